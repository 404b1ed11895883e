"""The status workbook for the scale plan, against raw openpyxl write-only mode writing the same cells.

    python -m tests.benchmarks.bench_status_workbook            # 10,000 objectives, 100,000 milestones
    python -m tests.benchmarks.bench_status_workbook --objectives 1000 --milestones 10000 --risks 2000

"Ours" is the whole export: reading the period with the queries, then writing every sheet with its
styles, row heights, chart, marking and print set-up, and saving. "Raw" writes the same cell values
(read back from our workbook before the clock starts) sheet by sheet with ``ws.append`` in a
write-only workbook, unstyled, and saves: the floor for writing those cells with openpyxl.
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

from openpyxl import Workbook, load_workbook

from tracker.db import Actor
from tracker.queries import latest_period_with_updates
from tracker.seed.scale import build_scale_plan
from tracker.store import open_store
from tracker.workbooks.status import export_status_workbook, read_status_data

TARGET = 1.5
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
                start = time.perf_counter()
                read_status_data(session, period.id)
                reading = time.perf_counter() - start
                ours = _ours(session, period.id, folder / "ours.xlsx")
                sheets = _cells(folder / "ours.xlsx")
                n_cells = sum(1 for rows in sheets.values() for row in rows for v in row if v is not None)
                raw = _raw(folder / "raw0.xlsx", sheets)
                for n in range(1, args.repeat):  # alternate, so a busy spell slows both alike
                    ours = min(ours, _ours(session, period.id, folder / "ours.xlsx"))
                    raw = min(raw, _raw(folder / f"raw{n}.xlsx", sheets))
        finally:
            store.close()
    ratio = ours / raw
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"{n_cells:,} cells in {len(sheets)} sheets; reading the period takes {reading:.1f} s of ours")
    print(f"status workbook: ours {ours:.1f} s, raw openpyxl write-only {raw:.1f} s, ratio {ratio:.2f}x "
          f"(target <= {TARGET:g}x) {verdict}")  # fmt: skip
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


def _ours(session: Any, period_id: str, path: Path) -> float:
    start = time.perf_counter()
    export_status_workbook(session, period_id, path, generated_by="Benchmark")
    return time.perf_counter() - start


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def _raw(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> float:
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
