"""Syncing many offline changes: a replica's outbox pushed to its team plan and the rows pulled back.

    python -m tests.benchmarks.bench_sync [--changes 1000 10000] [--server URL]

For each size, makes a throwaway team database (``--server``, an administrator's URL; default
``TRACKER_TEST_DATABASE_URL``) with the small test plan and that many milestones, takes the PMO's
replica, changes every milestone's notes offline (one outbox operation each) and times one sync:
the push (each operation checked against what was applied before, merged field by field, audited,
recorded once) and the pull (the changed rows read in one snapshot and written into the replica,
audited there). The baseline, in the same run: inserting the same number of milestone-wide rows into
PostgreSQL with ``executemany`` on one connection, in one transaction.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg

from tests.conftest import PG_ENV
from tests.sync_helpers import ME, PMO
from tests.team_server import libpq_url, team_server
from tracker.models import Milestone
from tracker.services import update_milestone
from tracker.services.base import unit_of_work
from tracker.store import open_store
from tracker.sync.replica import create_replica
from tracker.sync.run import sync_file


def _milestones(url: str, objective: str, n: int) -> list[str]:
    with open_store(url) as store, store.write() as session:
        uow = unit_of_work(session, PMO)
        rows = [{"id": str(uuid.uuid4()), "objective_id": objective, "title": f"Milestone {i}", "ordinal": i,
                 "baseline_date": date(2024, 9, 30), "forecast_date": date(2024, 9, 30), "notes": "",
                 "owner_id": None, "completed_date": None, "carried_from": ""} for i in range(n)]  # fmt: skip
        uow.bulk_create(Milestone, rows)
        uow.changes("bench milestones")
    return [r["id"] for r in rows]


def _raw_insert(admin: str, n: int) -> float:
    rows = [(str(uuid.uuid4()), 1, "bench", "2024-01-01 00:00:00", False, str(uuid.uuid4()), f"Milestone {i}",
             None, date(2024, 9, 30), date(2024, 9, 30), None, f"notes {i}", i) for i in range(n)]  # fmt: skip
    with psycopg.connect(libpq_url(admin)) as conn:
        conn.execute(
            "CREATE TEMP TABLE bench_rows (id varchar(36), revision int, changed_by varchar(200), changed_at "
            "timestamp, deleted boolean, objective_id varchar(36), title varchar(500), owner_id varchar(36), "
            "baseline_date date, forecast_date date, completed_date date, notes text, ordinal int)"
        )
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO bench_rows VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows)
        conn.commit()
        return time.perf_counter() - started


def measure(n: int, folder: Path) -> tuple[float, float, float]:
    with team_server() as t:
        ids = _milestones(t.pmo, t.ids.obj1, n)
        replica = folder / f"bench-{n}.db"
        create_replica(t.pmo, replica)
        with open_store(replica) as store, store.write() as session:
            for i, milestone in enumerate(ids):
                update_milestone(session, actor=ME, milestone_id=milestone, changes={"notes": f"offline {i}"})
        started = time.perf_counter()
        report = sync_file(replica)
        ours = time.perf_counter() - started
        assert report.outcomes == {"applied": n}, report.outcomes
        raw = _raw_insert(t.admin, n)
        return ours, raw, ours / raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--server", default=os.environ.get(PG_ENV))
    args = parser.parse_args()
    if not args.server:
        parser.error(f"give --server URL or set {PG_ENV}")
    os.environ[PG_ENV] = args.server
    print(f"{'changes':>8} {'sync':>9} {'executemany':>12} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.changes:
            ours, raw, ratio = measure(n, Path(folder))
            print(f"{n:>8,} {ours:>8.2f}s {raw:>11.3f}s {ratio:>6.1f}x", flush=True)


if __name__ == "__main__":
    main()
