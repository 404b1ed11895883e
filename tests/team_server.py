"""A team server for tests: a fresh database set up by ``server init``, with a PMO, two leads and a
viewer added by ``users add``, and the small plan written by the PMO's own login.

Roles are shared by the whole cluster, so every role made here starts with the database's name
and is dropped with it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.builders import small_plan
from tests.conftest import PG_ENV, _pg_database
from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.services import record_status_update, update_objective
from tracker.store import open_store
from tracker.team.accounts import add_user
from tracker.team.policies import Roles
from tracker.team.server import init_server

PASSWORD = "not-used: the test cluster trusts local logins"


def login_url(admin_url: str, login: str) -> str:
    return make_url(admin_url).set(username=login, password=None).render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def raw(url: str, statement: str, params: Any = None) -> int:
    """Run one statement on that login's own connection (not through the app); its row count."""
    with psycopg.connect(libpq_url(url)) as conn:
        cur = conn.execute(statement, params)  # type: ignore[arg-type]
        return cur.rowcount


def drop_roles(db: str) -> None:
    """Drop the roles made for the database (after it: the cluster's own database is where this connects)."""
    cluster = make_url(os.environ[PG_ENV]).set(drivername="postgresql+psycopg")
    engine = create_engine(cluster, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
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
    finally:
        engine.dispose()


@contextlib.contextmanager
def team_server() -> Iterator[SimpleNamespace]:
    databases = _pg_database()
    admin = next(databases)
    db = make_url(admin).database
    assert db is not None
    try:
        init_server(admin)
        add_user(admin, f"{db}_pmo1", Role.PMO, PASSWORD)
        pmo = Actor("PMO analyst", Source.APP, role=Role.PMO)
        pmo_url = login_url(admin, f"{db}_pmo1")
        with open_store(pmo_url) as store:
            ids = small_plan(store, pmo)
            with store.write() as session:  # a second lead: objective 3 is the Programme Manager's
                update_objective(session, actor=pmo, objective_id=ids.obj3, changes={"lead_id": ids.owner})
            with store.write() as session:
                for objective in (ids.obj1, ids.obj3):
                    record_status_update(
                        session, actor=pmo, objective_id=objective, period_id=ids.q1,
                        data={"lifecycle": "in progress", "rag": "green", "rationale": "Started"},
                    )  # fmt: skip
        add_user(admin, f"{db}_lead_a", Role.LEAD, PASSWORD, person="Head of Intelligence")
        add_user(admin, f"{db}_lead_b", Role.LEAD, PASSWORD, person="Programme Manager")
        add_user(admin, f"{db}_viewer1", Role.VIEWER, PASSWORD)
        yield SimpleNamespace(
            admin=admin,
            db=db,
            roles=Roles(db),
            ids=ids,
            pmo=pmo_url,
            lead_a=login_url(admin, f"{db}_lead_a"),
            lead_b=login_url(admin, f"{db}_lead_b"),
            viewer=login_url(admin, f"{db}_viewer1"),
            logins=SimpleNamespace(pmo=f"{db}_pmo1", lead_a=f"{db}_lead_a", lead_b=f"{db}_lead_b"),
        )
    finally:
        with contextlib.suppress(StopIteration):
            next(databases)  # drops the database
        drop_roles(db)
