"""Many people saving at once on one team server: no save lost, every refusal reported, one audit chain.

    python -m tests.benchmarks.bench_team [--clients 20] [--updates 200] [--server URL]

Makes a throwaway database on the server (``--server``, an administrator's URL; default
``TRACKER_TEST_DATABASE_URL``), sets it up with ``server init``, builds a plan as a PMO login (one
objective per lead, each objective's milestones owned by the next lead, an open period with a status
update per objective) and adds the logins: one PMO and ``clients - 1`` leads. Every client is a
process of its own with its own login. Each save reads an item, then saves a new value through the
services with the revision it read (``expected_revision``); the items overlap: a milestone can be
written by the lead of its objective, by its owner and by the PMO; a status update by its
objective's lead and by the PMO. A save refused because someone else saved first (ConflictError) is
counted as a refusal reported to its client.

Then it checks, from the audit log, that nothing was silently overwritten: every accepted save is in
the log once; each field's entries follow one another (an entry's old value is the entry before's
new value), so no save was made over a value its client had not seen; each row's current value is
its last entry's, and its revision moved once per accepted save. And the chain verifies.

Save times (the write transaction: the service and the commit) are printed as median and 95th
percentile, for one client alone first, then for all of them at once, and as ratios. The database
and its roles are dropped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tracker.audit import decode, verify_chain
from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.errors import ConflictError
from tracker.models import Milestone, Objective, Outcome, Person, Plan, ReportingPeriod, StatusUpdate, Theme
from tracker.services import record_status_update, update_milestone
from tracker.services.base import unit_of_work
from tracker.store import open_store
from tracker.team.accounts import add_user
from tracker.team.server import init_server

PASSWORD = "bench"  # the throwaway cluster trusts local logins; a real one would ask for it
MILESTONES_PER_OBJECTIVE = 2
ACTOR = Actor("Benchmark", Source.APP)
# (entity, field) each kind of item is saved through
FIELD = {"milestone": "notes", "status_update": "commentary"}


def login_url(admin: str, login: str) -> str:
    return make_url(admin).set(username=login, password=None).render_as_string(hide_password=False)


# ---------------------------------------------------------------------------------------------- set-up


def build(admin: str, db: str, leads: int) -> tuple[dict[str, list[tuple[str, str]]], str]:
    """Server, plan and logins; returns each login's writable items [(kind, id)] and the period's id."""
    init_server(admin)
    pmo = f"{db}_pmo1"
    add_user(admin, pmo, Role.PMO, PASSWORD)
    items: dict[str, list[tuple[str, str]]] = {pmo: []}
    with open_store(login_url(admin, pmo)) as store, store.write() as session:
        uow = unit_of_work(session, ACTOR)
        plan = uow.create(
            Plan, name="Team benchmark", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31)
        )
        theme = uow.create(Theme, plan_id=plan.id, code="BEN", name="Benchmark", ordinal=1)
        outcome = uow.create(Outcome, theme_id=theme.id, code="BEN-01", title="Saves are safe", ordinal=1)
        period = uow.create(ReportingPeriod, plan_id=plan.id, name="2026/27 Q1",
                            start_date=date(2026, 4, 1), end_date=date(2026, 6, 30))  # fmt: skip
        people = [uow.create(Person, name=f"Lead {n:02d}") for n in range(leads)]
        for n, lead in enumerate(people):
            objective = uow.create(
                Objective, plan_id=plan.id, outcome_id=outcome.id, ref=f"BEN-01.{n:02d}",
                title=f"Objective {n}", lead_id=lead.id, ordinal=n,
                start_date=date(2026, 4, 1), target_date=date(2027, 3, 31),
                lifecycle="in progress", rag="green",
            )  # fmt: skip
            status = uow.create(StatusUpdate, objective_id=objective.id, period_id=period.id,
                                lifecycle="in progress", rag="green", rationale="Started")  # fmt: skip
            owner = people[(n + 1) % leads]
            milestones = [
                uow.create(Milestone, objective_id=objective.id, owner_id=owner.id, title=f"Step {m}",
                           baseline_date=date(2026, 9, 30), forecast_date=date(2026, 9, 30), ordinal=m)
                for m in range(MILESTONES_PER_OBJECTIVE)
            ]  # fmt: skip
            mine = [("status_update", status.id)] + [("milestone", m.id) for m in milestones]
            items[pmo] += mine
            items.setdefault(f"{db}_lead{n:02d}", []).extend(mine)  # the objective's lead
            items.setdefault(f"{db}_lead{(n + 1) % leads:02d}", []).extend(mine[1:])  # the milestones' owner
        uow.changes("Built the benchmark plan")
        period_id = period.id
    for n, lead in enumerate(people):
        add_user(admin, f"{db}_lead{n:02d}", Role.LEAD, PASSWORD, person=lead.name)
    return items, period_id


# ---------------------------------------------------------------------------------------------- one client


def client(url: str, login: str, items: list[tuple[str, str]], period_id: str, updates: int, seed: int,
           start: Any, out: Any) -> None:  # fmt: skip
    """Make ``updates`` saves as ``login``; put (login, times, accepted saves, refusals, errors, seconds) on ``out``."""
    rng = random.Random(seed)
    times: list[float] = []
    accepted: list[tuple[str, str, str, str]] = []  # (kind, id, value, txn)
    refused = errors = 0
    with open_store(url) as store:
        with store.read() as session:  # connect and warm up before the clock
            session.get(Milestone, items[0][1])
        if start is not None:
            start.wait()
        t0 = time.perf_counter()
        for i in range(updates):
            kind, item_id = rng.choice(items)
            value = f"{login} save {i}"
            with store.read() as session:
                if kind == "milestone":
                    row: Any = session.get(Milestone, item_id)
                else:
                    row = session.get(StatusUpdate, item_id)
                assert row is not None
                revision, objective_id = row.revision, getattr(row, "objective_id", None)
            began = time.perf_counter()
            try:
                with store.write() as session:
                    if kind == "milestone":
                        changes = update_milestone(session, actor=ACTOR, milestone_id=item_id,
                                                   changes={"notes": value}, expected_revision=revision)  # fmt: skip
                    else:
                        changes = record_status_update(
                            session, actor=ACTOR, objective_id=objective_id, period_id=period_id,
                            data={"commentary": value}, expected_revision=revision,
                        )  # fmt: skip
            except ConflictError:
                refused += 1  # reported to this client: someone saved the item since it was read
            except DBAPIError as exc:  # the server refused (a deadlock, say): also reported, never silent
                errors += 1
                print(f"{login}: {str(exc.orig).splitlines()[0] if exc.orig else exc}", file=sys.stderr)
            else:
                accepted.append((kind, item_id, value, str(changes.txn)))
            times.append(time.perf_counter() - began)
        loop = time.perf_counter() - t0
    out.put((login, times, accepted, refused, errors, loop))


def run_clients(admin: str, items: dict[str, list[tuple[str, str]]], period_id: str, logins: list[str],
                updates: int) -> list[tuple[Any, ...]]:  # fmt: skip
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start = ctx.Barrier(len(logins)) if len(logins) > 1 else None
    procs = [
        ctx.Process(
            target=client,
            args=(login_url(admin, login), login, items[login], period_id, updates, n, start, out),
        )  # fmt: skip
        for n, login in enumerate(logins)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a client process failed (exit code {p.exitcode})")
    return results


# ---------------------------------------------------------------------------------------------- checks


def lost_saves(url: str, accepted: list[tuple[str, str, str, str]]) -> list[str]:
    """What the audit log and the rows say against the accepted saves (empty when nothing was lost)."""
    problems: list[str] = []
    with open_store(url, readonly=True) as store, store.read() as session:
        chain = verify_chain(session)
        problems += [f"audit chain: {p.message}" for p in chain]
        entries: dict[tuple[str, str], list[tuple[str | None, str | None, str]]] = {}
        for entity, entity_id, old, new, txn in session.execute(
            text(
                "SELECT entity, entity_id, old, new, txn FROM audit_entry "
                "WHERE (entity = 'milestone' AND field = 'notes') "
                "OR (entity = 'status_update' AND field = 'commentary') ORDER BY seq"
            )  # fmt: skip
        ):
            entries.setdefault((entity, entity_id), []).append((decode(old), decode(new), txn))
        saves: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for kind, item_id, value, txn in accepted:
            saves.setdefault((kind, item_id), []).append((value, txn))
        for key, made in saves.items():
            log = entries.get(key, [])
            logged = {(new, txn) for _old, new, txn in log}
            problems += [f"{key[0]} {key[1]}: the save {v!r} is not in the audit log" for v, t in made
                         if (v, t) not in logged]  # fmt: skip
            if len(log) != len(made):
                problems.append(f"{key[0]} {key[1]}: {len(made)} accepted saves but {len(log)} audit entries")
            for before, after in zip(log, log[1:], strict=False):
                if after[0] != before[1]:
                    problems.append(
                        f"{key[0]} {key[1]}: {after[1]!r} was saved over {after[0]!r}, "
                        f"not over the value then current, {before[1]!r} (a lost save)"
                    )
            cls: Any = Milestone if key[0] == "milestone" else StatusUpdate
            row = session.get(cls, key[1])
            current = getattr(row, FIELD[key[0]])
            if log and current != log[-1][1]:
                problems.append(
                    f"{key[0]} {key[1]}: holds {current!r}, the last save logged is {log[-1][1]!r}"
                )
            if row.revision != 1 + len(made):
                problems.append(f"{key[0]} {key[1]}: revision {row.revision} after {len(made)} saves")
    return problems


def quantiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20, help="client processes: one PMO, the rest leads")
    parser.add_argument("--updates", type=int, default=200, help="saves per client")
    parser.add_argument("--server", default=os.environ.get("TRACKER_TEST_DATABASE_URL"),
                        help="an administrator's URL on the server (default: TRACKER_TEST_DATABASE_URL)")  # fmt: skip
    args = parser.parse_args(argv)
    if not args.server:
        parser.error(
            "give --server postgresql+psycopg://ADMIN@HOST/DATABASE (or set TRACKER_TEST_DATABASE_URL)"
        )
    db = f"bench_team_{uuid.uuid4().hex[:8]}"
    cluster = create_engine(
        make_url(args.server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with cluster.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    admin = (
        make_url(args.server)
        .set(drivername="postgresql+psycopg", database=db)
        .render_as_string(hide_password=False)
    )
    try:
        leads = args.clients - 1
        items, period_id = build(admin, db, leads)
        pmo = f"{db}_pmo1"
        logins = [pmo] + [f"{db}_lead{n:02d}" for n in range(leads)]
        print(f"{db}: {leads} leads, {leads} objectives, {leads * MILESTONES_PER_OBJECTIVE} milestones; "
              f"{args.clients} clients x {args.updates} saves")  # fmt: skip

        alone = run_clients(admin, items, period_id, [pmo], args.updates)
        alone_wall = alone[0][5]
        together = run_clients(admin, items, period_id, logins, args.updates)
        wall = max(r[5] for r in together)  # from the moment all had connected to the last one done

        accepted = [a for r in alone + together for a in r[2]]
        refused = sum(r[3] for r in together)
        errors = sum(r[4] for r in alone + together)
        problems = lost_saves(login_url(admin, pmo), accepted)
        a_med, a_p95 = quantiles(alone[0][1])
        t_med, t_p95 = quantiles([t for r in together for t in r[1]])
        print(f"one client alone: {len(alone[0][1])} saves in {alone_wall:.1f} s "
              f"({len(alone[0][1]) / alone_wall:.0f} a second); "
              f"median {a_med * 1000:.1f} ms, 95th percentile {a_p95 * 1000:.1f} ms")  # fmt: skip
        print(f"{args.clients} clients at once: {sum(len(r[1]) for r in together)} saves in {wall:.1f} s "
              f"({sum(len(r[1]) for r in together) / wall:.0f} a second): "
              f"{sum(len(r[2]) for r in together)} accepted, {refused} refused as conflicts "
              f"(each reported to its client), {errors} refused by the server with an error")  # fmt: skip
        print(f"  median {t_med * 1000:.1f} ms ({t_med / a_med:.2f}x alone), "
              f"95th percentile {t_p95 * 1000:.1f} ms ({t_p95 / a_p95:.2f}x alone)")  # fmt: skip
        if problems:
            print(f"LOST OR UNEXPLAINED SAVES ({len(problems)}):")
            for line in problems[:20]:
                print(f"  {line}")
            return 1
        print("No save lost or silently overwritten: every accepted save is in the audit log, each over "
              "the value then current; the audit chain verifies.")  # fmt: skip
        return 0
    finally:
        with cluster.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            names = (
                conn.execute(
                    text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p ORDER BY rolcanlogin DESC"),
                    {"p": db + "\\_%"},
                )
                .scalars()
                .all()
            )
            for name in names:
                conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        cluster.dispose()


if __name__ == "__main__":
    sys.exit(main())
