"""Import a 10,000-objective plan workbook into an empty store and compare with openpyxl read-only iteration.

    python -m tests.benchmarks.bench_plan_import [--objectives 10000] [--milestones 20000] [--risks 2000] [--repeat 3]

The plan is the scale plan's generator (:mod:`tracker.seed.scale`) at the size asked for, exported
with ``export_plan`` (not timed). Then, alternately: "raw" is openpyxl read-only iteration over every
cell of every sheet of the file; "ours" is the whole import into a new empty store (made before the
clock starts): the safety inspection, every cell read and checked (``read_plan_file``), the preview
(``preview_plan``: matched with the store, references checked, field changes listed) and the import
(``import_plan``: given the preview, as the command line does, it checks that nothing was written
since and inserts every row, audited).
The fastest of each counts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl

from tracker.db import Actor
from tracker.seed.scale import build_scale_plan
from tracker.seed.template import empty_template, seed_plan
from tracker.services.plan_import import import_plan, preview_plan
from tracker.store import open_store
from tracker.workbooks.plan_read import read_plan_file
from tracker.workbooks.plan_write import export_plan

TARGET = 2.0
ACTOR = Actor("Benchmark", "cli")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objectives", type=int, default=10_000)
    parser.add_argument("--milestones", type=int, default=20_000)
    parser.add_argument("--risks", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, alternating")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "plan.xlsx"
        with open_store(folder / "source.db") as source:
            with source.write() as s:
                build_scale_plan(s, actor=ACTOR, objectives=args.objectives, milestones=args.milestones,
                                 risks=args.risks, audit_entries=0, periods=4)  # fmt: skip
            with source.read() as s:
                export_plan(s, path)

        raw = ours = read = float("inf")
        for n in range(args.repeat):  # alternate, so a busy spell slows both alike; the fastest counts
            start = time.perf_counter()
            ro = openpyxl.load_workbook(path, read_only=True)
            cells = sum(1 for sheet in ro.worksheets for row in sheet.iter_rows() for _ in row)
            ro.close()
            raw = min(raw, time.perf_counter() - start)

            with open_store(folder / f"empty-{n}.db") as target:
                with target.write() as s:
                    seed_plan(s, actor=ACTOR, template=empty_template("Bench"))
                start = time.perf_counter()
                data = read_plan_file(path)
                parsed = time.perf_counter()
                with target.read() as s:
                    preview = preview_plan(s, data)
                assert not preview.problems, [str(p) for p in preview.problems[:3]]
                with target.write() as s:
                    changes = import_plan(s, actor=ACTOR, data=data, preview=preview)
                ours = min(ours, time.perf_counter() - start)
                read = min(read, parsed - start)
        size = path.stat().st_size
    ratio = ours / raw
    print(f"plan of {args.objectives:,} objectives, {args.milestones:,} milestones, {args.risks:,} risks "
          f"({preview.n_create:,} items, {cells:,} cells in all sheets, {size / 1e6:.1f} MB)")  # fmt: skip
    print(f"openpyxl read-only iteration:        {raw:.2f} s")
    print(f"read, preview and import (ours):     {ours:.2f} s   ratio {ratio:.2f}x (target <= {TARGET:.1f}x)")
    print(f"  of which reading the file:         {read:.2f} s")
    print(f"  {changes.summary}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
