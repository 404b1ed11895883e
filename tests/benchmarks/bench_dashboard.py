"""Dashboard refresh for the scale plan, as a ratio to the aggregate queries alone (target <= 2x).

    python -m tests.benchmarks.bench_dashboard                      # 10,000 objectives, 100,000 milestones ...
    python -m tests.benchmarks.bench_dashboard --objectives 2000 --milestones 20000 --risks 4000 --audit 50000
    python -m tests.benchmarks.bench_dashboard --db scale.db        # reuses (or first builds) that store

"Queries" is what the page reads, alone: ``tracker.queries.dashboard_data`` (every aggregate, one
read) and the plan. "Refresh" is what the page does on a change: the same reads through
``ui.dashboard_data.load_dashboard`` plus drawing the headline, six charts, their tables and the
exceptions list (offscreen Qt), painted. Both from scratch: what is kept (``tracker.kept``) is
forgotten before each. "Refresh, kept" is the refresh again with nothing changed since, which reads
the kept figures (the page's refresh after switching pages, or a second window on the same plan).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tracker.db import Actor
from tracker.kept import forget
from tracker.queries import current_plan, dashboard_data, latest_period_with_updates
from tracker.seed.scale import build_scale_plan
from tracker.store import open_store

TARGET = 2.0


def queries_alone(store, period) -> None:  # type: ignore[no-untyped-def]
    """What a refresh reads: every aggregate from ``dashboard_data`` and the plan's settings."""
    with store.read() as s:
        current_plan(s)
        dashboard_data(s, period.id, keep=False)


def forget_kept(store) -> None:  # type: ignore[no-untyped-def]
    with store.read() as s:
        forget(s)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--objectives", type=int, default=10_000)
    p.add_argument("--milestones", type=int, default=100_000)
    p.add_argument("--risks", type=int, default=20_000)
    p.add_argument("--audit", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument(
        "--db", default=None, help="a store to use; built with the scale plan if it does not exist"
    )
    args = p.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from ui.context import AppContext, Identity
    from ui.pages.dashboard import DashboardPage
    from ui.tasks import TaskRunner

    with tempfile.TemporaryDirectory() as tmp:
        server = bool(args.db) and args.db.startswith("postgresql")  # a server holding the scale plan
        path = args.db if server else Path(args.db) if args.db else Path(tmp) / "scale.db"
        fresh = not server and not Path(path).exists()
        store = open_store(path)
        if fresh:
            t0 = time.perf_counter()
            with store.write() as s:
                build_scale_plan(s, actor=Actor("Benchmark", "cli"), objectives=args.objectives,
                                 milestones=args.milestones, risks=args.risks, audit_entries=args.audit)  # fmt: skip
            print(f"built the scale plan in {time.perf_counter() - t0:.1f} s")
        with store.read() as s:
            period = latest_period_with_updates(s)
        assert period is not None
        ctx = AppContext(
            store, Identity("Benchmark"), runner=TaskRunner(synchronous=True)
        )  # read, then paint
        ctx.set_period(period.id)
        page = DashboardPage(ctx)  # the first refresh builds the widgets; time the ones after
        page.resize(1600, 1000)
        page.show()
        app.processEvents()
        q, r, k = [], [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            queries_alone(store, period)
            q.append(time.perf_counter() - t)
            forget_kept(store)
            t = time.perf_counter()
            page.refresh()
            app.processEvents()  # let the charts paint
            r.append(time.perf_counter() - t)
            t = time.perf_counter()
            page.refresh()  # nothing changed: the kept figures
            app.processEvents()
            k.append(time.perf_counter() - t)
        store.close()
    queries, refresh, kept = statistics.median(q), statistics.median(r), statistics.median(k)
    ratio = refresh / queries
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"dashboard refresh {refresh:.2f} s, aggregate queries alone {queries:.2f} s, ratio {ratio:.2f}x "
          f"(target <= {TARGET:g}x) {verdict}; refresh, kept (nothing changed) {kept:.2f} s")  # fmt: skip
    os._exit(0)  # skip Qt teardown at exit (pyqtgraph items can crash interpreter finalisation)


if __name__ == "__main__":
    sys.exit(main())
