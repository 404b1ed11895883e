"""Start-up of the frozen app (``python -m tools.build``) against the same app started from the venv.

    python -m tests.benchmarks.bench_frozen dist/DeliveryPlanTracker            # one run each
    python -m tests.benchmarks.bench_frozen dist/DeliveryPlanTracker --runs 5   # best of 5

Each run is a fresh process, timed from launch to exit, on the sample plan (made once beforehand):
`--version` (start-up alone), `summary` (open the plan and print), and `screenshots --page
dashboard` (open the plan, build the window and paint the dashboard, offscreen). Each command runs
once first, not timed, to warm the file cache. Prints both times and the ratio frozen / venv; no target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def best_of(command: list[str], runs: int, cwd: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    subprocess.run(command, check=True, env=env, cwd=cwd, capture_output=True)  # warm the cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, env=env, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the app folder (dist/DeliveryPlanTracker)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    frozen = [str(args.bundle.resolve() / "delivery-plan")]
    venv = [sys.executable, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory(prefix="dpt-bench-") as tmp:
        db = Path(tmp) / "sample.db"
        subprocess.run([*frozen, "--db", str(db), "init", "--sample"], check=True, capture_output=True)
        steps = {
            "--version": ["--version"],
            "summary": ["--db", str(db), "summary"],
            "dashboard painted": [
                "--db",
                str(db),
                "screenshots",
                tmp,
                "--page",
                "dashboard",
                "--size",
                "1500x950",
            ],
        }
        print(f"{'':20} {'venv':>8} {'frozen':>8}  ratio  (best of {args.runs})")
        for name, step in steps.items():
            from_venv = best_of([*venv, *step], args.runs, Path(tmp))
            from_bundle = best_of([*frozen, *step], args.runs, Path(tmp))
            print(
                f"{name:20} {from_venv * 1000:6.0f}ms {from_bundle * 1000:6.0f}ms  {from_bundle / from_venv:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
