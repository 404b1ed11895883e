"""Time the read side on the scale plan against the driver alone (sqlite3, or psycopg on a server) running the same SQL.

    python -m tests.benchmarks.bench_queries                 # builds the scale plan in a temporary file
    python -m tests.benchmarks.bench_queries --db scale.db   # reuses (or first builds) that store
    python -m tests.benchmarks.bench_queries --db postgresql+psycopg://postgres@127.0.0.1:55440/postgres  # a server
    python -m tests.benchmarks.bench_queries --objectives 1000 --milestones 10000 --risks 2000 --audit 100000

Registers: "ours" is the query function in a read session, rows and all (rules applied, tuples
built); "raw" replays the very statements it sent, with the same parameters, through a plain
``sqlite3`` connection and ``fetchall()``. The ratio is what our layer costs over the driver.

Dashboard: every aggregate for the latest period with updates, in one read session, first through the
single-purpose functions one after another, then through ``dashboard_data`` (one shared read, from
scratch), then ``dashboard_data`` again with nothing changed since (the kept result: its one
statement reads the audit head); each against its own statements replayed through plain sqlite3.
Best of N throughout.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event, func, select
from sqlmodel import Session

from tracker import queries as q
from tracker.db import Actor
from tracker.models import Objective
from tracker.seed.scale import build_scale_plan
from tracker.store import Store, open_store

REGISTER_TARGET = 2.0
DASHBOARD_TARGET = 0.15  # seconds (issue 16)
ACTOR = Actor("Benchmark", "cli")
COUNTED = ("objective", "outcome", "theme", "person", "board", "reporting_period", "status_update", "milestone",
           "risk", "inspection", "recommendation", "recommendation_objective")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.db:
        return _run(args.db if args.db.startswith("postgresql") else Path(args.db), args)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        return _run(Path(tmp) / "scale.db", args)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--db", default=None, help="a store to use; built with the scale plan if it does not exist"
    )
    p.add_argument("--objectives", type=int, default=10_000)
    p.add_argument("--milestones", type=int, default=100_000)
    p.add_argument("--risks", type=int, default=20_000)
    p.add_argument("--audit", type=int, default=1_000_000, help="audit entries in all (creation + history)")
    p.add_argument("--periods", type=int, default=8)
    p.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    p.add_argument("--dir", default=None, help="where to put the temporary database")
    return p


def _run(path: Path | str, args: argparse.Namespace) -> int:
    server = isinstance(path, str)  # a PostgreSQL URL: the same statements replayed through psycopg alone
    fresh = not server and not Path(path).exists()
    store = open_store(path)
    try:
        if server:
            with store.read() as session:
                fresh = session.execute(select(func.count()).select_from(Objective)).scalar_one() == 0
        if fresh:
            t0 = time.perf_counter()
            with store.write() as session:
                build_scale_plan(session, actor=ACTOR, objectives=args.objectives, milestones=args.milestones,
                                 risks=args.risks, audit_entries=args.audit, periods=args.periods)  # fmt: skip
            print(f"built the scale plan in {path} ({time.perf_counter() - t0:.1f} s)")
        with store.read() as session:
            n = session.execute(select(func.count()).select_from(Objective)).scalar_one()
            latest = q.latest_period_with_updates(session)
        if latest is None:
            print("the store has no status updates: nothing to benchmark")
            return 1
        shown = store.engine.url.render_as_string(hide_password=True) if server else path
        print(f"{shown}: {n:,} objectives; latest period with updates {latest.name!r}; best of {args.repeat}; "
              f"raw = the same SQL through {'psycopg' if server else 'sqlite3'} alone")  # fmt: skip
        raw = _raw(store) if server else sqlite3.connect(path)
        try:
            _registers(store, raw, latest.end, args.repeat)
            _dashboard(store, raw, latest, args.repeat)
        finally:
            raw.close()
    finally:
        store.close()
    return 0


def _raw(store: Store) -> Any:
    """A plain psycopg connection to the store's server, reading in autocommit as a read session would."""
    import psycopg

    url = store.engine.url.set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def _registers(store: Store, raw: Any, as_of: Any, repeat: int) -> None:
    registers: list[tuple[str, Callable[[Session], list[Any]]]] = [
        ("objectives", lambda s: q.objective_rows(s)),
        ("milestones", lambda s: q.milestone_rows(s, as_of=as_of)),
        ("risks", lambda s: q.risk_rows(s)),
        ("recommendations", lambda s: q.recommendation_rows(s, as_of=as_of)),
        ("audit rows (newest 1,000)", lambda s: q.audit_rows(s)),
        ("audit rows (one entity type)", lambda s: q.audit_rows(s, entity="milestone")),
    ]
    for name, fn in registers:
        statements, n = _capture(store, fn)
        ours = _best(repeat, lambda fn=fn: _in_session(store, fn))  # type: ignore[misc]
        plain = _best(
            repeat, lambda st=statements: [raw.execute(sql, params).fetchall() for sql, params in st]
        )  # type: ignore[misc]
        ratio = ours / plain
        verdict = "ok" if ratio <= REGISTER_TARGET else "OVER TARGET"
        print(f"{name:30} {n:>8,} rows  ours {ours * 1000:8.1f} ms  raw {plain * 1000:8.1f} ms  "
              f"ratio {ratio:4.2f}x ({len(statements)} statements; target <= {REGISTER_TARGET:g}x) {verdict}")  # fmt: skip


def _dashboard(store: Store, raw: Any, latest: q.PeriodRow, repeat: int) -> None:
    def everything(s: Session) -> list[Any]:
        pid, as_of = latest.id, latest.end
        return [
            q.rag_by_theme(s, pid), q.trend(s), q.movement_summary(s, pid), q.headline(s, pid, today=as_of),
            q.risk_matrix(s), q.recommendations_by_body_status(s, as_of), q.overdue_items(s, pid, as_of=as_of),
            q.returns_status(s, pid), q.exceptions(s, pid, today=as_of),
        ]  # fmt: skip

    def together(s: Session) -> Any:
        return q.dashboard_data(s, latest.id, today=latest.end, keep=False)

    def kept(s: Session) -> Any:
        return q.dashboard_data(s, latest.id, today=latest.end)

    counts = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in COUNTED)
    plain = _best(repeat, lambda: raw.execute(counts).fetchall())
    for name, fn in (("dashboard, one call at a time", everything), ("dashboard_data (one read)", together),
                     ("dashboard_data, kept", kept)):  # fmt: skip
        _in_session(store, fn)  # (kept: what the statements captured next are is the lookup alone)
        statements, _ = _capture(store, fn)
        ours = _best(repeat, lambda fn=fn: _in_session(store, fn))  # type: ignore[misc]
        replayed = _best(
            repeat, lambda st=statements: [raw.execute(sql, params).fetchall() for sql, params in st]
        )  # type: ignore[misc]
        verdict = "ok" if ours < DASHBOARD_TARGET else "OVER TARGET"
        print(f"{name:30} ours {ours * 1000:8.1f} ms ({len(statements)} statements; target < "
              f"{DASHBOARD_TARGET * 1000:g} ms) {verdict}; its SQL raw {replayed * 1000:.1f} ms")  # fmt: skip
    print(f"{'':30} (one count(*) pass over {len(COUNTED)} tables: {plain * 1000:.1f} ms)")


def _in_session(store: Store, fn: Callable[[Session], Any]) -> Any:
    with store.read() as session:
        return fn(session)


def _capture(store: Store, fn: Callable[[Session], Any]) -> tuple[list[tuple[str, Any]], int]:
    """The statements (SQL and driver parameters) one call sends, and how many rows it returned."""
    seen: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        result = _in_session(store, fn)
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    statements = [
        (sql, params) for sql, params in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    return statements, len(result) if isinstance(result, list) else 0


def _best(repeat: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    raise SystemExit(main())
