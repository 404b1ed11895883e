"""The board pack of the scale plan, against drawing the same number of pages with their furniture only.

    python -m tests.benchmarks.bench_boardpack                    # 10,000 objectives, 100,000 milestones
    python -m tests.benchmarks.bench_boardpack --objectives 1000 --milestones 10000 --risks 2000
    python -m tests.benchmarks.bench_boardpack --db /tmp/scale.db # reuse (or build once) a scale plan

"Ours" is the whole pack: reading the period with the queries, laying out every section (each line
measured), painting the pages and adding the bookmarks. "Furniture only" writes a PDF of the same
number of A4 pages with the same writer, each carrying only its marking, plan, period and page x of
y: the floor for writing that many pages with Qt's PDF engine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QPainter

from tracker.db import Actor
from tracker.queries import latest_period_with_updates
from tracker.seed.scale import build_scale_plan
from tracker.store import open_store
from ui.boardpack.text import Typesetter
from ui.boardpack.writer import furniture, pdf_writer, read_pack, write_board_pack

ACTOR = Actor("Benchmark", "cli")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(["bench"])  # noqa: F841 - fonts need it
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        db = Path(args.db) if args.db else folder / "scale.db"
        fresh = not db.exists()
        store = open_store(db)
        try:
            if fresh:
                t0 = time.perf_counter()
                with store.write() as session:
                    build_scale_plan(session, actor=ACTOR, objectives=args.objectives, milestones=args.milestones,
                                     risks=args.risks, audit_entries=0, periods=args.periods)  # fmt: skip
                print(f"built the scale plan in {time.perf_counter() - t0:.1f} s")
            with store.read() as session:
                period = latest_period_with_updates(session)
                assert period is not None
            ours, phases, pages = _ours(store, period.id, folder / "ours.pdf")
            data = read_pack(store, period.id, None, None)
            blank = _blank(data, pages, folder / "blank0.pdf")
            for n in range(1, args.repeat):  # alternate, so a busy spell slows both alike
                t, p, _ = _ours(store, period.id, folder / "ours.pdf")
                if t < ours:
                    ours, phases = t, p
                blank = min(blank, _blank(data, pages, folder / f"blank{n}.pdf"))
            size = (folder / "ours.pdf").stat().st_size
        finally:
            store.close()
    said = ", ".join(f"{name} {secs:.1f} s" for name, secs in phases)
    print(f"{pages:,} pages ({size / 1e6:.1f} MB): {said}")
    print(f"board pack: ours {ours:.1f} s, furniture only {blank:.2f} s, ratio {ours / blank:.1f}x")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--objectives", type=int, default=10_000)
    p.add_argument("--milestones", type=int, default=100_000)
    p.add_argument("--risks", type=int, default=20_000)
    p.add_argument("--periods", type=int, default=8)
    p.add_argument(
        "--db", default=None, help="a scale plan to use (built there first if the file is missing)"
    )
    p.add_argument(
        "--repeat", type=int, default=3, help="runs of each, alternating; the fastest of each counts"
    )
    p.add_argument("--dir", default=None, help="where to put the temporary files")
    return p


def _ours(store: Any, period_id: str, path: Path) -> tuple[float, list[tuple[str, float]], int]:
    """The whole pack, and how long it spent reading, laying out and painting (from its progress)."""
    marks: list[tuple[str, float]] = []

    def progress(done: int, total: int, text: str) -> None:
        if text in ("Reading the plan", "Laying out the pages", "Cover") or text.startswith("Wrote"):
            marks.append((text, time.perf_counter()))

    start = time.perf_counter()
    pages = write_board_pack(store, period_id, path, progress)
    end = time.perf_counter()
    times = [t for _, t in marks]
    names = ["reading", "laying out", "painting and bookmarks"]
    return (
        end - start,
        list(zip(names, [b - a for a, b in zip(times, times[1:], strict=False)], strict=False)),
        pages,
    )


def _blank(data: Any, pages: int, path: Path) -> float:
    start = time.perf_counter()
    writer = pdf_writer(path, data)
    ts = Typesetter(writer)
    page = QRectF(0, 0, writer.width(), writer.height())
    painter = QPainter(writer)
    try:
        for n in range(1, pages + 1):
            if n > 1:
                writer.newPage()
            furniture(painter, ts, page, data, n, pages)
    finally:
        painter.end()
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
