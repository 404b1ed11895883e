"""Start-up to a painted main window on the sample plan, against a bare PySide6 window that imports pyqtgraph.

    python -m tests.benchmarks.bench_startup            # best of 5 each
    python -m tests.benchmarks.bench_startup --runs 9

Each run is a fresh Python process (what a person waits for), timed from launch to the first
paint of the window. The app run goes through the real launcher: open the plan off the UI thread
with the progress dialog, remember who you are, build the window and its first page. The sample
plan is made once beforehand, so the figure is opening, not seeding. Prints both times and the
ratio (target: at most 1.5x).
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
TARGET = 1.5

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
import pyqtgraph
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("Hello")); w.resize(1500, 950); w.show()
w.grab()
"""

APP = """
import sys
from PySide6.QtCore import QSettings
from ui.app import Launcher, application
from ui.appearance import Appearance
from ui.settings import AppSettings
app = application()
settings = AppSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
appearance = Appearance(settings)
appearance.apply()
launcher = Launcher(settings, appearance)
assert launcher.open(sys.argv[1], as_name="PMO")
launcher.window.resize(1500, 950)
launcher.window.grab()
"""


def best_of(code: str, args: list[str], runs: int) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, cwd=ROOT,
                       stderr=subprocess.DEVNULL)  # fmt: skip
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from ui.opening import create_sample_plan

    with tempfile.TemporaryDirectory(prefix="dpt-bench-") as tmp:
        db = Path(tmp) / "sample.db"
        create_sample_plan(str(db))
        ini = str(Path(tmp) / "settings.ini")
        best_of(BARE, [], 1)  # warm the file cache for both
        best_of(APP, [str(db), ini], 1)
        bare = best_of(BARE, [], args.runs)
        ours = best_of(APP, [str(db), ini], args.runs)
    ratio = ours / bare
    print(f"bare PySide6 + pyqtgraph window: {bare * 1000:.0f} ms (best of {args.runs})")
    print(f"app on the sample plan:          {ours * 1000:.0f} ms (best of {args.runs})")
    print(f"ratio: {ratio:.2f}x (target <= {TARGET}x) {'OK' if ratio <= TARGET else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
