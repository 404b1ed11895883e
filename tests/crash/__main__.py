"""python -m tests.crash: see tests/crash/__init__.py."""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.crash import report
from tests.crash.cli import Stopped
from tests.crash.operations import BY_NAME, OPERATIONS
from tests.crash.prepare import Reference, SetupFailed, Template, build_template, measure
from tests.crash.runner import OTHER, Kill, Problem, RunResult, crash
from tests.crash.schedule import schedule

ENOUGH = 100  # the fewest runs that count as a crash test (issue 11); the budget may cut the rest


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m tests.crash",
        description="SIGKILL the command line mid-write and check that nothing is lost or faked.",
    )
    p.add_argument(
        "--kills", type=int, default=120, help="runs in all, shared among the operations (default 120)"
    )
    p.add_argument("--seed", type=int, help="for the delays and their order (default: random, printed)")
    p.add_argument(
        "--budget-seconds", type=float, default=300, help="start no new run after this long (default 300)"
    )
    p.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    p.add_argument("--ops", help="a comma-separated subset: " + ", ".join(BY_NAME))
    p.add_argument("--keep", action="store_true", help="leave the work folder for inspection")
    args = p.parse_args(argv)
    unknown = set((args.ops or "").split(",")) - set(BY_NAME) - {""}
    if unknown:
        p.error(f"unknown operation(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    began = time.monotonic()
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    ops = [BY_NAME[n] for n in args.ops.split(",")] if args.ops else list(OPERATIONS)
    work = Path(tempfile.mkdtemp(prefix="crash test "))  # a space in every path the CLI is given
    print(f"crash test: {args.kills} kills over {', '.join(o.name for o in ops)}; seed {seed}; in {work}")
    try:
        try:
            template = build_template(work)
            # Two at a time, as the crashes run: the durations are then those the crashes see.
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                refs = list(pool.map(lambda op: measure(template, op, work), ops))
        except SetupFailed as e:
            print(f"SETUP FAILED: {e}", file=sys.stderr)
            return 2
        print("uncrashed runs:\n" + report.references(refs))
        results = run_all(template, schedule(refs, args.kills, random.Random(seed)), work, args, began)
        return finish(results, refs, args, seed, began)
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run_all(
    template: Template,
    plan: list[Kill],
    work: Path,
    args: argparse.Namespace,
    began: float,
) -> list[RunResult]:
    def one(index: int, kill: Kill) -> RunResult | None:
        if time.monotonic() - began > args.budget_seconds:
            return None
        try:
            result = crash(template, kill, index, work)
        except Exception as e:  # a command that hangs, say: a finding for this run, not the end of all
            result = RunResult(index, kill.ref.op.name, kill, Stopped(None, kill.delay, None))
            result.problems.append(
                Problem(OTHER, f"the harness could not finish the run: {type(e).__name__}: {e}")
            )
        mark = "FAIL" if result.failed else "ok"
        print(f"  {mark:4} {result.headline()}" + "".join(f"; {p.kind}" for p in result.problems), flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(one, i, kill) for i, kill in enumerate(plan, 1)]
        return [r for f in futures if (r := f.result()) is not None]


def finish(
    results: list[RunResult], refs: list[Reference], args: argparse.Namespace, seed: int, began: float
) -> int:
    print()
    print(report.summary(results, [r.op.name for r in refs]))
    lines = report.failures(results)
    for ref in refs:
        if ref.litter:
            lines.append(f"FAIL {ref.op.name} uncrashed leaves in its temp folder: {', '.join(ref.litter)}")
    if len(results) < args.kills:
        cut = f"the budget of {args.budget_seconds:.0f} s ran out after {len(results)} of {args.kills} runs"
        if len(results) < min(args.kills, ENOUGH):
            lines.append(f"FAIL {cut}, fewer than {min(args.kills, ENOUGH)}")
        else:
            print(f"note: {cut}")
    print()
    print("\n".join(lines) if lines else "No failures.")
    failed = sum(r.failed for r in results)
    print(
        f"\n{len(results)} runs ({sum(r.killed for r in results)} killed), {failed} failed, "
        f"in {time.monotonic() - began:.0f} s; seed {seed}"
    )
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
