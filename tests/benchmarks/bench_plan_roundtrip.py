"""The scale plan's round trip through a plan workbook: export, import into an empty store, compare.

    python -m tests.benchmarks.bench_plan_roundtrip [--objectives 10000] [--milestones 100000]
        [--risks 20000] [--audit 0] [--dir /some/disk]

The plan is the scale plan's generator (:mod:`tracker.seed.scale`) at its defaults, but with no
audit entries beyond its rows' own (``--audit``): the history is not exported, and a million entries
would cost a minute of building for nothing (not timed). Then, once each, timed: ``export_plan``;
``read_plan_file`` (the safety inspection and every cell read and checked); ``preview_plan`` against
a new empty store (``init --empty``: :func:`~tracker.seed.template.empty_template`); and
``import_plan`` given that preview, as the command line does. Last, every theme, outcome,
objective, person, board, milestone, risk, inspection and recommendation, and the
recommendations' links, are compared field by field with the source (``tests.builders.plan_fields``,
the tests' comparison). Prints the times, the peak resident memory of the process (which includes
building the plan) and what did not match; exits 1 if anything did not.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.builders import plan_fields
from tracker.db import Actor
from tracker.seed.scale import build_scale_plan
from tracker.seed.template import empty_template, seed_plan
from tracker.services.plan_import import import_plan, preview_plan
from tracker.store import open_store
from tracker.workbooks.plan_read import read_plan_file
from tracker.workbooks.plan_write import export_plan

ACTOR = Actor("Benchmark", "cli")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objectives", type=int, default=10_000)
    parser.add_argument("--milestones", type=int, default=100_000)
    parser.add_argument("--risks", type=int, default=20_000)
    parser.add_argument("--audit", type=int, default=0, help="audit entries beyond the rows' own")
    parser.add_argument("--dir", default=None, help="where the stores and the workbook go")
    args = parser.parse_args(argv)
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        path = folder / "plan.xlsx"
        source = open_store(folder / "source.db")
        with source.write() as s:
            build_scale_plan(s, actor=ACTOR, objectives=args.objectives, milestones=args.milestones,
                             risks=args.risks, audit_entries=args.audit)  # fmt: skip
        built = _peak_mb()

        start = time.perf_counter()
        with source.read() as s:
            export_plan(s, path)
        times["export"] = time.perf_counter() - start

        target = open_store(folder / "copy.db")
        with target.write() as s:
            seed_plan(s, actor=ACTOR, template=empty_template("Round trip"))
        start = time.perf_counter()
        data = read_plan_file(path)
        times["read"] = time.perf_counter() - start
        start = time.perf_counter()
        with target.read() as s:
            preview = preview_plan(s, data)
        times["preview"] = time.perf_counter() - start
        if preview.problems:
            print("\n".join(str(p) for p in preview.problems[:10]))
            return 1
        start = time.perf_counter()
        with target.write() as s:
            changes = import_plan(s, actor=ACTOR, data=data, preview=preview)
        times["apply"] = time.perf_counter() - start
        peak = _peak_mb()

        start = time.perf_counter()
        before, after = plan_fields(source), plan_fields(target)
        compared = time.perf_counter() - start
        size = path.stat().st_size
        source.close()
        target.close()

    print(f"plan of {args.objectives:,} objectives, {args.milestones:,} milestones, {args.risks:,} risks, "
          f"{args.audit:,} extra audit entries: workbook {size / 1e6:.1f} MB, {preview.n_create:,} items")  # fmt: skip
    for step, seconds in times.items():
        print(f"  {step:<8} {seconds:8.1f} s")
    print(
        f"  peak RSS {peak:,.0f} MB (after building the plan: {built:,.0f} MB); compared in {compared:.1f} s"
    )
    print(f"  {changes.summary}")
    failed = 0
    for kind in before:
        same = after.get(kind) == before[kind]
        failed += not same
        print(f"  {kind:<24} {len(before[kind]):>8,}  {'matches' if same else 'DIFFERS'}")
        if not same:
            print(f"    {_first_difference(before[kind], after.get(kind))}")
    return 1 if failed else 0


def _first_difference(before: Any, after: Any) -> str:
    if not isinstance(before, dict) or not isinstance(after, dict):
        extra = sorted(set(after or ()) ^ set(before), key=str)[:3]
        return f"e.g. {extra}"
    for key, fields in before.items():
        if key not in after:
            return f"e.g. {key!r} is missing ({len(set(before) - set(after)):,} in all)"
        if after[key] != fields:
            diff = {f: (v, after[key].get(f)) for f, v in fields.items() if after[key].get(f) != v}
            return f"e.g. {key!r}: {diff}"
    return f"e.g. {sorted(set(after) - set(before), key=str)[:3]} were not in the source"


if __name__ == "__main__":
    sys.exit(main())
