"""Peak resident memory with the scale plan: the app after visiting every page, and two commands.

    python -m tests.benchmarks.bench_memory --db /tmp/scale.db            # the app, then the commands
    python -m tests.benchmarks.bench_memory --db /tmp/scale.db --app-only

Each figure is a fresh process's high-water mark (``resource.getrusage``, ``ru_maxrss``), so one
does not inherit another's. The app: the main window on the plan (opened read-only, so the store is
left as it was) with the real task runner, each page shown in turn and its reads waited for, the
peak printed after each. The commands: ``export-status`` and ``board-pack`` for the latest period
with updates, written to a temporary folder. Target: the app under 600 MB (issue 16).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_MB = 600

APP = """
import resource, sys, time
from PySide6.QtCore import QEventLoop, QTimer
from ui.start import application
from ui.context import AppContext, Identity
from ui.main_window import MainWindow
from tracker.store import open_store
app = application()
store = open_store(sys.argv[1], readonly=True)
ctx = AppContext(store, Identity("PMO", None, "PMO"), read_only=True)
window = MainWindow(ctx, location=sys.argv[1])
window.resize(1500, 950)
window.show()

def settle():
    loop = QEventLoop()
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: not ctx.runner.active and loop.quit())
    timer.start()
    loop.exec()
    app.processEvents()

for key in window.page_keys():
    t = time.perf_counter()
    window.show_page(key)
    settle()
    window.grab()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"after {key:16} peak {peak:6.0f} MB ({time.perf_counter() - t:.1f} s)", flush=True)
"""

COMMAND = """
import resource, sys
from ui.cli import main
code = main(sys.argv[1:])
print(f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (exit {code})")
"""


def run(code: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return out.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the scale plan (build it with bench_queries --db)")
    parser.add_argument("--app-only", action="store_true")
    args = parser.parse_args(argv)
    out = run(APP, args.db)
    print("the app, read-only, each page shown in turn:")
    print(out)
    peak = float(out.splitlines()[-1].split("peak")[1].split()[0])
    print(f"app peak {peak:.0f} MB (target < {TARGET_MB} MB) {'ok' if peak < TARGET_MB else 'OVER TARGET'}")
    if args.app_only:
        return 0
    with tempfile.TemporaryDirectory(prefix="dpt-mem-") as tmp:
        for command, name in (("export-status", "status.xlsx"), ("board-pack", "pack.pdf")):
            result = run(COMMAND, "--db", args.db, command, "--out", str(Path(tmp) / name))
            print(f"{command:14} {result.splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
