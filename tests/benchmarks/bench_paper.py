"""The committee paper for the scale plan's largest board, against python-docx writing the same paragraphs unstyled.

    python -m tests.benchmarks.bench_paper            # 10,000 objectives, 100,000 milestones
    python -m tests.benchmarks.bench_paper --objectives 1000 --milestones 10000 --risks 2000

"Ours" is the whole draft: reading the board's items for the latest period with the queries (notes,
linked objectives and milestones, the audit log's changes), building the text, writing it in Word's
styles with the marking, page numbers and appendix table, saving, and reading the file back before
it takes its name. "Raw" writes the same paragraph texts (read back from our document before the
clock starts) with ``doc.add_paragraph(text)`` and the appendix's cells into a plain table, no
styles, and saves: the floor for writing that text with python-docx.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docx import Document

from tracker.db import Actor
from tracker.papers.draft import draft_committee_paper
from tracker.queries import boards, latest_period_with_updates
from tracker.queries.committee import committee_data
from tracker.seed.scale import build_scale_plan
from tracker.store import open_store

ACTOR = Actor("Benchmark", "cli")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        store = open_store(folder / "scale.db")
        t0 = time.perf_counter()
        with store.write() as session:
            build_scale_plan(session, actor=ACTOR, objectives=args.objectives, milestones=args.milestones,
                             risks=args.risks, audit_entries=0, periods=args.periods)  # fmt: skip
        print(f"built the scale plan in {time.perf_counter() - t0:.1f} s")
        try:
            with store.read() as session:
                period = latest_period_with_updates(session)
                assert period is not None
                sizes = {
                    b.id: (len(committee_data(session, period.id, b.id).items), b.name)
                    for b in boards(session)
                }
                board_id = max(sizes, key=lambda k: sizes[k])
                n_items, name = sizes[board_id]
                ours = _ours(session, period.id, board_id, folder / "ours0.docx")
                paragraphs, table = _content(folder / "ours0.docx")
                raw = _raw(folder / "raw0.docx", paragraphs, table)
                for n in range(1, args.repeat):  # alternate, so a busy spell slows both alike
                    ours = min(ours, _ours(session, period.id, board_id, folder / f"ours{n}.docx"))
                    raw = min(raw, _raw(folder / f"raw{n}.docx", paragraphs, table))
        finally:
            store.close()
    print(
        f"{name}: {n_items} items, {len(paragraphs):,} paragraphs, appendix {len(table)} rows, {period.name}"
    )
    print(
        f"committee paper: ours {ours:.2f} s, raw python-docx unstyled {raw:.2f} s, ratio {ours / raw:.2f}x"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--objectives", type=int, default=10_000)
    p.add_argument("--milestones", type=int, default=100_000)
    p.add_argument("--risks", type=int, default=20_000)
    p.add_argument("--periods", type=int, default=8)
    p.add_argument(
        "--repeat", type=int, default=3, help="runs of each, alternating; the fastest of each counts"
    )
    p.add_argument("--dir", default=None, help="where to put the temporary files")
    return p


def _ours(session: Any, period_id: str, board_id: str, path: Path) -> float:
    start = time.perf_counter()
    draft_committee_paper(session, period_id, board_id, path)
    return time.perf_counter() - start


def _content(path: Path) -> tuple[list[str], list[list[str]]]:
    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    table = [[c.text for c in row.cells] for row in doc.tables[-1].rows] if len(doc.tables) > 1 else []
    return paragraphs, table


def _raw(path: Path, paragraphs: list[str], table: list[list[str]]) -> float:
    start = time.perf_counter()
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
    doc.save(str(path))
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
