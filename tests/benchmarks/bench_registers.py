"""The milestone register at scale: open, sort by each column, filter by text, against plain Python.

    python -m tests.benchmarks.bench_registers                      # builds a scale plan (100,000 milestones)
    python -m tests.benchmarks.bench_registers --db scale.db        # or reuses one built before
    python -m tests.benchmarks.bench_registers --milestones 20000   # a smaller one

Each sort is timed cold (the column's keys built from the rows, then sorted) and warm (the keys
cached, as on a second click), and compared with Python's own ``sorted(range(n), key=keys.__getitem__)``
over the same keys already in a list. The text filter is compared with a list comprehension over
the same lowercase strings. The register's open time is the query plus loading the model and
showing the page.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication

from tracker.db import Actor
from tracker.queries import milestone_rows
from tracker.seed.scale import build_scale_plan
from tracker.store import open_store
from ui.context import AppContext, Identity
from ui.models.table import _key_function
from ui.pages.registers.milestones import MilestonesPage

TARGET = 3.0
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "scale.db"
        if not path.exists():
            t0 = time.perf_counter()
            store = open_store(path)
            with store.write() as session:
                build_scale_plan(session, actor=Actor("Benchmark", "cli"), objectives=args.milestones // 10,
                                 milestones=args.milestones, risks=args.milestones // 5, audit_entries=0)  # fmt: skip
            store.close()
            print(f"built the scale plan in {time.perf_counter() - t0:.1f} s")
        store = open_store(path, readonly=True)
        try:
            _run(app, store, args.repeat)
        finally:
            store.close()
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="a scale plan built before (made here when missing)")
    p.add_argument("--milestones", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3, help="take the best of this many runs")
    return p


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _run(app: QApplication, store, repeat: int) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext(store, Identity("Benchmark"), read_only=True)
    t0 = time.perf_counter()
    with ctx.read() as session:
        rows = milestone_rows(session)
    query = time.perf_counter() - t0
    t0 = time.perf_counter()
    loop = QEventLoop()
    page = MilestonesPage(ctx)
    page.loaded.connect(loop.quit)
    first: list[float] = []  # when the first rows were in the table, painted

    def on_first_rows() -> None:
        if not first and page.model.rowCount():
            page.table.viewport().repaint()
            first.append(time.perf_counter() - t0)

    page.model.modelReset.connect(on_first_rows)
    page.model.rowsInserted.connect(on_first_rows)
    page.resize(1400, 800)
    page.show()
    app.processEvents()
    painted = time.perf_counter() - t0
    if not page._loaded:  # the rows arrive from the worker thread
        loop.exec()
    app.processEvents()
    filled = time.perf_counter() - t0
    model = page.model
    n = len(model.rows)
    print(f"milestone register: {n:,} rows; the query alone {query * 1000:.0f} ms; page painted and "
          f"responsive {painted * 1000:.0f} ms; first screen of rows shown {first[0] * 1000:.0f} ms (target < 300 ms); "
          f"all rows shown (read on a worker) {filled * 1000:.0f} ms (target < 1,000 ms)")  # fmt: skip
    t0 = time.perf_counter()
    model.set_rows(rows)
    print(f"loading the model with {n:,} rows (reset) {(time.perf_counter() - t0) * 1000:.1f} ms")

    worst = 0.0
    for column_no, column in enumerate(model.columns):
        keyfn = _key_function(column)
        keys = [keyfn(column.value(r)) for r in model.rows]
        if None in keys:  # Python cannot compare None with values: blanks last, as the model puts them
            fill = next(k for k in keys if k is not None)
            keys = [(k is None, fill if k is None else k) for k in keys]
        python = _best(lambda keys=keys: sorted(range(n), key=keys.__getitem__), repeat)

        def cold(c: int = column_no) -> None:
            model._ranks.pop(c, None)
            model.sort(c, ASC)

        cold_t = _best(cold, repeat)
        warm_t = _best(lambda c=column_no: model.sort(c, DESC), repeat)
        worst = max(worst, cold_t / python)
        print(f"sort {column.header:<14} cold {cold_t * 1000:6.1f} ms ({cold_t / python:4.2f}x)  "
              f"warm {warm_t * 1000:6.1f} ms ({warm_t / python:4.2f}x)  python sorted {python * 1000:6.1f} ms")  # fmt: skip
    model.sort(-1)

    model.set_filter("")
    hay = model._haystack()
    for needle in ("review", "zzz-not-there", "ser-0"):
        python = _best(lambda needle=needle: [i for i, h in enumerate(hay) if needle in h], repeat)
        ours = _best(lambda needle=needle: model.set_filter(needle), repeat)
        worst = max(worst, ours / python)
        print(f"filter text {needle!r:<16} {ours * 1000:6.1f} ms ({ours / python:4.2f}x) "
              f"list comprehension {python * 1000:6.1f} ms; {model.visible_count:,} shown")  # fmt: skip
    model.set_filter("")
    facet = _best(lambda: model.set_filter("", {"state": lambda v: v == "overdue"}), repeat)
    print(f"filter by state (facet, warm) {facet * 1000:.1f} ms; {model.visible_count:,} shown")
    verdict = "ok" if worst <= TARGET else "OVER TARGET"
    print(f"worst ratio {worst:.2f}x (target <= {TARGET:g}x) {verdict}")
    page.close()
    page.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    raise SystemExit(main())
