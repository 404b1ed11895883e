"""Import a 10,000-row return and compare with openpyxl read-only iteration over the same file.

    python -m tests.benchmarks.bench_import [--rows 10000] [--repeat 3]

The plan has one lead with ``rows`` objectives and one open period. The return is issued, every
row is given a new commentary (so every row is a change), and then timed: "ours" is
``preview_return`` (inspection, manifest, every input cell parsed and validated, the plan read
and compared); "raw" is openpyxl read-only iteration over every cell of every sheet. Applying
(through the services, audited) is timed and printed apart: raw openpyxl writes nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl

from tracker.db import Actor
from tracker.models import Objective, Outcome, Person, Plan, ReportingPeriod, Theme
from tracker.services.base import unit_of_work
from tracker.store import open_store
from tracker.workbooks.returns_apply import apply_return
from tracker.workbooks.returns_import import preview_return
from tracker.workbooks.returns_issue import issue_returns

TARGET = 2.0
ACTOR = Actor("Benchmark", "cli")


def build(store, rows: int) -> str:  # type: ignore[no-untyped-def]
    with store.write() as s:
        uow = unit_of_work(s, ACTOR)
        plan = uow.create(Plan, name="Bench", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))
        theme = uow.create(Theme, plan_id=plan.id, code="T", name="Theme")
        outcome = uow.create(Outcome, theme_id=theme.id, code="T-1", title="Outcome")
        lead = uow.create(Person, name="Lead")
        period = uow.create(ReportingPeriod, plan_id=plan.id, name="Q1", start_date=date(2024, 4, 1),
                            end_date=date(2024, 6, 30))  # fmt: skip
        uow.bulk_create(Objective, [
            {"id": f"{n:08d}-0000-0000-0000-000000000000", "plan_id": plan.id, "outcome_id": outcome.id,
             "ref": f"T-{n:05d}", "title": f"Objective {n}", "lead_id": lead.id, "ordinal": n,
             "lifecycle": "not started", "four_p": ""}
            for n in range(rows)
        ])  # fmt: skip
        uow.changes("bench plan")
        return period.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, alternating")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "bench.db")
        period_id = build(store, args.rows)
        with store.write() as s:
            path = issue_returns(s, ACTOR, period_id, folder)[0].path
        wb = openpyxl.load_workbook(path)
        ws = wb["Objectives"]
        for row in ws.iter_rows(min_row=3):
            row[9].value = f"Commentary for {row[0].value}: on track, nothing to add."
        wb.save(path)

        raw = ours = float("inf")
        for _ in range(args.repeat):  # alternate, so a busy spell slows both alike; the fastest counts
            start = time.perf_counter()
            ro = openpyxl.load_workbook(path, read_only=True)
            cells = sum(1 for sheet in ro.worksheets for row in sheet.iter_rows() for _ in row)
            ro.close()
            raw = min(raw, time.perf_counter() - start)

            start = time.perf_counter()
            with store.read() as s:
                preview = preview_return(s, path)
            ours = min(ours, time.perf_counter() - start)
        assert not preview.problems and len(preview.changes) == args.rows, preview.problems[:3]

        start = time.perf_counter()
        with store.write() as s:
            apply_return(s, ACTOR, preview)
        applied = time.perf_counter() - start
        store.close()
    ratio = ours / raw
    print(f"return of {args.rows:,} rows ({cells:,} cells in all sheets)")
    print(f"openpyxl read-only iteration: {raw:.2f} s")
    print(f"preview_return:               {ours:.2f} s   ratio {ratio:.2f}x (target <= {TARGET:.1f}x)")
    print(f"apply_return (services):      {applied:.2f} s   (writes {args.rows:,} audited status updates)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
