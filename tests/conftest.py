"""Shared fixtures. Qt is told to draw offscreen before anything imports it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHONFAULTHANDLER", "1")
os.environ.setdefault(
    "TRACKER_DB", os.path.join(os.path.dirname(__file__), "..", ".no-default-db-in-tests.db")
)

import pytest  # noqa: E402

from tests.builders import small_plan  # noqa: E402
from tracker.db import Actor  # noqa: E402
from tracker.store import Store, open_store  # noqa: E402

PG_ENV = "TRACKER_TEST_DATABASE_URL"


# Audit anchors (tracker.anchors) never go to the user's data folder from a test: the session's
# fixtures share one file in pytest's temporary folder, and each test has its own. Logs (the app's,
# the command line's) go to the session's temporary folder too.
@pytest.fixture(scope="session", autouse=True)
def _anchors_in_the_sessions_tmp(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACKER_ANCHORS", str(tmp_path_factory.mktemp("anchors") / "audit-anchors.json"))
        mp.setenv("TRACKER_LOGS", str(tmp_path_factory.mktemp("logs")))
        yield


@pytest.fixture(autouse=True)
def anchors_file(tmp_path_factory, monkeypatch):
    """This test's anchors file: in a folder of its own, so a test's own folder holds only what it made."""
    path = tmp_path_factory.mktemp("anchors") / "audit-anchors.json"
    monkeypatch.setenv("TRACKER_ANCHORS", str(path))
    return path


@pytest.fixture
def actor() -> Actor:
    return Actor("PMO analyst", "cli")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "plan.db"


@pytest.fixture
def store(db_path) -> Iterator[Store]:
    """A fresh, empty SQLite store in a temporary folder."""
    s = open_store(db_path)
    yield s
    s.close()


def _pg_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server to test against")
    name = f"dpt_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=True,  # a test may restart its own server meanwhile (tests/pg_cluster.py)
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> Iterator[str]:
    """A URL for a fresh store on each back-end: a SQLite file, and PostgreSQL when one is configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plan.db'}"
    else:
        yield from _pg_database()


@pytest.fixture
def any_store(store_url) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


@pytest.fixture
def plan_file(tmp_path: Path, actor: Actor) -> Path:
    """A small plan in a file that no process holds open."""
    path = tmp_path / "plan.db"
    with open_store(path) as store:
        small_plan(store, actor)
    return path
