"""The one engine factory, the write lock, and sessions for reading and writing.

SQLite is opened with WAL, foreign keys on, a busy timeout and ``synchronous=FULL`` on every
connection. Python 3.11's sqlite3 begins transactions lazily, so we take over: the driver runs in
autocommit mode and we emit ``BEGIN`` ourselves (``BEGIN IMMEDIATE`` for writes, so two writers
queue on the busy timeout instead of failing half-way). See docs/PITFALLS.md.
"""

from __future__ import annotations

import gc
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

from tracker.enums import Role, Source

BUSY_TIMEOUT_S = 10.0
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)


class StoreError(Exception):
    """A problem opening or using a store, worded for the person who asked."""


def to_url(path_or_url: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a file path or a URL given as is."""
    text = os.fspath(path_or_url)
    if _URL.match(text):
        return text
    # SQLAlchemy percent-decodes the database part and stops it at "?", so the path is quoted:
    # unquoted, "plan%41.db" would open "planA.db" and "what?/plan.db" a file called "what".
    return "sqlite:///" + quote(str(Path(text).expanduser().resolve()), safe="/")


def sqlite_uri(path: Path, *, mode: str = "ro") -> str:
    """A ``file:`` URI for sqlite3.connect(..., uri=True), every special character escaped.

    Never ``f"file:{path}"``: SQLite stops the path at "?" or "#" and decodes "%41" as "A", so
    ".../Team #3/plan.db" would open (and create) a file called "Team ".
    """
    path = Path(path).absolute()
    uri = f"{path.as_uri()}?mode={mode}"
    if mode == "ro" and _unwritable_without_wal(path):
        # SQLite must create "-shm" beside a WAL-mode file even to read it, which a folder we cannot
        # write to refuses ("unable to open database file"). No writer of ours can change the file
        # there (a writer needs a journal or WAL beside it), so it is read as an unchanging file. Only
        # someone else who may write the folder could change it meanwhile; with no WAL of theirs
        # there now, that is the one risk taken, and only where reading would otherwise fail.
        uri += "&immutable=1"
    return uri


def _unwritable_without_wal(path: Path) -> bool:
    """A folder we cannot write, holding neither a WAL nor the shared memory a reader could use."""
    wal, shm = (path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))
    if wal.exists() or shm.exists():
        return False
    return path.parent.exists() and not os.access(path.parent, os.W_OK)


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for other back-ends and in-memory databases."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, readonly: bool = False) -> Engine:
    """The engine for any SQLAlchemy URL; SQLite gets its pragmas and real transactions.

    A read-only SQLite engine opens the file with ``mode=ro``, so not even the journal mode is written.
    """
    u = make_url(url)
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"{u.render_as_string(hide_password=True)} is not a plan location: give a file path "
            "(a SQLite plan) or a postgresql+psycopg:// URL (a plan on a server)."
        )
    if u.get_backend_name() != "sqlite":
        kwargs: dict[str, Any] = {}
        if u.get_backend_name() == "postgresql" and u.drivername == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        return create_engine(u, pool_pre_ping=True, **kwargs)

    path = sqlite_path(url)
    if readonly and path is not None:
        engine = create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(
                sqlite_uri(path), uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
            ),
        )
    else:
        engine = create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # On 3.11 the driver's own transaction handling must be off before PRAGMAs and BEGIN.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("tracker_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


@dataclass(frozen=True)
class Actor:
    """Who is making a change, and through what (ui, cli, a return file, ...)."""

    name: str
    source: str = Source.APP  # a Source value
    detail: str = ""
    role: str = Role.PMO  # a Role value: what they may change (the command line works as the PMO)
    person_id: str | None = None  # a lead: the person in the plan they are (whose items they may write)


@contextmanager
def bulk_rows() -> Iterator[None]:
    """Python's cyclic garbage collector paused while many thousands of rows are built or written.

    Plain tuples and dicts of str, int and date make no cycles, but each thousand allocations sets
    off a collection that walks every object alive: a third of a 100,000-row read at scale, and
    of a plan workbook's import.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back whole if it raises."""
    writer = engine.execution_options(tracker_write=True)
    with Session(writer, expire_on_commit=False) as session, session.begin():
        yield session
