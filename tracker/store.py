"""A plan store: an opened database with its schema checked, its write lock held, and its sessions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from tracker.backup import BackupReport, Progress, backup_sqlite
from tracker.db import (
    BUSY_TIMEOUT_S,
    StoreError,
    make_engine,
    read_session,
    sqlite_path,
    to_url,
    write_session,
)
from tracker.lock import WriteLock
from tracker.migrate import NotATrackerDatabase, SchemaReport, ensure_schema

APP_NAME = "DeliveryPlanTracker"
SQLITE_HEADER = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """The embedded default: a SQLite file in the user's data folder (override: TRACKER_DB)."""
    env = os.environ.get("TRACKER_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "plan.db"


class Store:
    """An open database. Reads through :meth:`read`; writes only through services inside :meth:`write`."""

    def __init__(
        self, url: str, engine: Engine, *, lock: WriteLock | None, readonly: bool, report: SchemaReport
    ):
        self.url = url
        self.engine = engine
        self.path = sqlite_path(url)
        self.readonly = readonly
        self.schema_report = report
        self._lock = lock

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with read_session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        if self.readonly:
            raise StoreError("This plan is open read-only; nothing can be changed.")
        with write_session(self.engine) as session:
            yield session
        self.remember_head()

    def remember_head(self) -> None:
        """Keep the audit log's head outside the file (see tracker.anchors); never fails a write."""
        from tracker.anchors import remember

        try:
            with self.engine.connect() as conn:
                remember(conn, self.display_name)
        except (OSError, DatabaseError):
            pass  # the anchor is a second witness; the write itself has been committed

    def backup(self, dest: Path, progress: Progress | None = None) -> BackupReport:
        if self.path is None:
            from tracker.copy import copy_to_sqlite

            return copy_to_sqlite(self.engine, Path(dest), progress=progress)
        return backup_sqlite(self.path, Path(dest), progress=progress)

    def close(self) -> None:
        self.remember_head()
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path_or_url: str | os.PathLike[str], *, readonly: bool = False, create: bool = True) -> Store:
    """Open (creating if asked) a store, taking the write lock and bringing its schema up to date.

    Raises StoreError subclasses with a message for a person: locked by another process, not a
    tracker database, damaged, or written by a newer version.
    """
    url = to_url(path_or_url)
    path = sqlite_path(url)
    lock = None
    if path is not None:
        _check_sqlite_file(path, create=create)
        _probe_sqlite(path)
        if not readonly:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = WriteLock(path).acquire()
    try:
        engine = make_engine(url, readonly=readonly)
        try:
            report = ensure_schema(engine, db_path=path, writable=not readonly)
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            raise _damaged(path, url, exc) from exc
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Store(url, engine, lock=lock, readonly=readonly, report=report)


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if not path.exists():
        if not create:
            raise StoreError(f"There is no plan at {path}.")
        return
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a plan file.")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path.name} is not a Delivery Plan Tracker database (it is not a SQLite file).")


def _probe_sqlite(path: Path) -> None:
    """Look inside without writing a byte: a file of another application must stay exactly as it was."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(path), exc) from exc
    if tables and "alembic_version" not in tables:
        raise NotATrackerDatabase(f"{path.name} holds tables but is not a Delivery Plan Tracker database.")


def _damaged(path: Path | None, url: str, exc: Exception) -> StoreError:
    if isinstance(exc, OperationalError) and "unable to open" in str(exc):
        return StoreError(f"Could not open {path or url}: {exc.orig}")
    what = path.name if path is not None else url
    return StoreError(
        f"{what} is damaged and cannot be read ({getattr(exc, 'orig', exc)}). "
        "Restore it from a backup; the file has not been changed."
    )
