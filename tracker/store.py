"""A plan store: an opened database with its schema checked, its write lock held, and its sessions."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, col

from tracker.backup import BackupReport, Progress, backup_sqlite, remove_with_sidecars
from tracker.db import (
    BUSY_TIMEOUT_S,
    StoreError,
    make_engine,
    read_session,
    sqlite_path,
    sqlite_uri,
    to_url,
    write_session,
)
from tracker.errors import explain
from tracker.lock import WriteLock
from tracker.migrate import (
    KNOWN_REVISIONS,
    SCHEMA_HEAD,
    NotATrackerDatabase,
    SchemaReport,
    ensure_schema,
    newer_schema,
)
from tracker.models import StoreMeta
from tracker.places import data_folder

SQLITE_HEADER = b"SQLite format 3\x00"
# Opening checks the whole file with SQLite's quick check up to this size (2-7 ms for the 2 MB
# sample plan); a larger file has every table checked but the audit log, which at scale is most of
# the file (0.35-0.45 s for the 775 MB scale plan, against 1.7-3.5 s for all of it); `check` reads it all.
QUICK_CHECK_WHOLE_BYTES = 64 * 1024 * 1024
AUDIT_LOG_TABLE = "audit_entry"
BUILDING = (
    ".building"  # a new store's name while it is made; a run that died leaves it for the next to remove
)
# store_meta keys saying which newer plan replaced this one (written by tracker.services.rollover)
SUPERSEDED_BY, SUPERSEDED_FILE, SUPERSEDED_AT = "superseded_by", "superseded_file", "superseded_at"
SUPERSEDED_KEYS = (SUPERSEDED_BY, SUPERSEDED_FILE, SUPERSEDED_AT)


class Unwritable(StoreError):
    """A store that could be read but not changed where it is (its folder or file cannot be written)."""


def default_db_path() -> Path:
    """The embedded default: a SQLite file in the user's data folder (override: TRACKER_DB)."""
    env = os.environ.get("TRACKER_DB")
    if env:
        return Path(env).expanduser()
    return data_folder() / "plan.db"


class Store:
    """An open database. Reads through :meth:`read`; writes only through services inside :meth:`write`."""

    def __init__(
        self,
        url: str,
        engine: Engine,
        *,
        lock: WriteLock | None,
        readonly: bool,
        report: SchemaReport,
        damage: str | None = None,
        shown_as: str | None = None,
        superseded: str | None = None,
    ):
        self.url = url
        self.engine = engine
        self.path = sqlite_path(url)
        self.readonly = readonly
        self.schema_report = report
        self.damage = damage  # what SQLite's check found, in words; a damaged store is open read-only
        self.superseded = superseded  # which newer plan replaced this one, in words; it is open read-only
        self._lock = lock
        self._shown_as = shown_as
        self._building = False  # a store being built is remembered once it is in place (building_store)

    @property
    def display_name(self) -> str:
        if self._shown_as is not None:
            return self._shown_as
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with read_session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        if self.damage:
            raise StoreError(self.damage)
        if self.superseded:
            raise StoreError(self.superseded)
        if self.readonly:
            raise StoreError("This plan is open read-only; nothing can be changed.")
        with write_session(self.engine) as session:
            yield session
        self.remember_head()

    def remember_head(self) -> None:
        """Keep the audit log's head outside the file (see tracker.anchors); never fails a write."""
        from tracker.anchors import remember

        if self._building:
            return
        try:
            with self.engine.connect() as conn:
                remember(conn, self.display_name)
        except (OSError, DatabaseError, StoreError):  # StoreError: an OutputError writing the file
            pass  # the anchor is a second witness; the write itself has been committed

    def backup(self, dest: Path, progress: Progress | None = None) -> BackupReport:
        if self.path is None:
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
    tracker database, unreadable, or written by a newer version. A file that SQLite's quick check
    finds damaged opens read-only, whatever was asked, with :attr:`Store.damage` saying what to do;
    so does a plan a newer plan replaced (:attr:`Store.superseded` names it).
    """
    url = to_url(path_or_url)
    path = sqlite_path(url)
    lock = None
    damage = superseded = None
    if path is not None:
        _check_sqlite_file(path, create=create)
        damage, superseded, current = _probe_sqlite(path)
        # a replaced plan is opened for reading only, without the write lock (the window that replaced it may
        # still hold it), unless its schema needs upgrading first
        readonly = readonly or damage is not None or (superseded is not None and current)
        if not readonly:
            _refuse_unwritable(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                lock = WriteLock(path).acquire()
            except OSError as exc:
                raise StoreError(
                    explain(exc, path.name) or f"Could not open {path} for changes: {exc}"
                ) from exc
    try:
        engine = make_engine(url, readonly=readonly)
        try:
            report = ensure_schema(engine, db_path=path, writable=not readonly)
        except (DatabaseError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            raise StoreError(damage) if damage else _damaged(path, url, exc) from exc
        except StoreError:
            engine.dispose()
            if damage:  # an older schema that cannot be upgraded read-only: the damage is the news
                raise StoreError(damage) from None
            raise
        except BaseException:
            engine.dispose()
            raise
        if path is None:  # a server's store: asked once its schema is known to hold the table
            shown = engine.url.render_as_string(hide_password=True)
            superseded = superseded_words(_server_meta(engine, SUPERSEDED_KEYS), shown)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if superseded is not None:  # kept as the record: its schema upgraded if it had to be, then read-only
        readonly = True
        if lock is not None:
            lock.release()
            lock = None
    return Store(
        url, engine, lock=lock, readonly=readonly, report=report, damage=damage, superseded=superseded
    )


@contextmanager
def building_store(path_or_url: str | os.PathLike[str]) -> Iterator[Store]:
    """A store to fill in one go: all of it or none of it exists afterwards.

    A new SQLite file is built under a temporary name beside its own (``plan.db.building``), with
    the write lock of the real name held, and renamed into place only when the block completes;
    so a failure (a full disk, an error, a kill) never leaves a store with a schema and no plan.
    An existing store, or a server's, is opened as usual (its writes are transactions already).
    """
    url = to_url(path_or_url)
    final = sqlite_path(url)
    if final is None or (final.exists() and final.stat().st_size > 0):
        with open_store(url) as store:
            yield store
        return
    _check_sqlite_file(final, create=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_name(final.name + BUILDING)
    with WriteLock(final) as lock:
        remove_with_sidecars(temp)  # what a run that died left
        try:
            with open_store(temp) as store:
                store._shown_as = str(final)
                store._building = True  # no anchor for a plan that may never be in place
                yield store
            _self_contained(temp)
            if final.exists() and final.stat().st_size > 0:
                raise StoreError(f"{final} was made by something else meanwhile; the new plan was not kept.")
            os.replace(temp, final)
            _sync_folder(final.parent)
            _remember_built(final)
        finally:
            remove_with_sidecars(temp)
            if not final.exists():  # no store, so no lock file beside it either (removed while held)
                lock.path.unlink(missing_ok=True)


def copy_to_sqlite(source: Engine, dest: Path, progress: Progress | None = None) -> BackupReport:
    """Copy every table of ``source`` (a server's store, as its login reads it) into a new SQLite file.

    Read in one snapshot of the source, built whole under a temporary name and moved into place
    only once every table's count agrees with it (see building_store), so a failure leaves no file.
    """
    from tracker.copy import copy_rows

    dest = Path(dest)
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose a new file name for the copy.")
    with building_store(dest) as built, built.engine.begin() as conn:
        copied = copy_rows(source, conn, progress)
    return BackupReport(dest, copied.tables, copied.rows)


def _remember_built(path: Path) -> None:
    """Remember a built store's head once it is in place (see Store.remember_head); never fails."""
    from tracker.anchors import remember

    engine = make_engine(to_url(path), readonly=True)
    try:
        with engine.connect() as conn:
            remember(conn, str(path))
    except (OSError, DatabaseError, StoreError):
        pass  # the anchor is a second witness; the store is in place
    finally:
        engine.dispose()


def _self_contained(path: Path) -> None:
    """Fold the WAL into the file and leave it in rollback-journal mode, so it can be renamed alone."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    if path.with_name(path.name + "-wal").exists():
        raise StoreError(f"{path.name} could not be completed: its write-ahead log is still in use.")


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: fsync the folder (POSIX; Windows has no such call and needs none)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if not path.exists():
        if not create:
            raise StoreError(f"There is no plan at {path}.")
        return
    if not create and path.is_file() and path.stat().st_size == 0:
        raise StoreError(
            f"There is no plan in {path}: the file is empty. Create a plan there, or open another file."
        )
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a plan file.")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path.name} is not a Delivery Plan Tracker database (it is not a SQLite file).")


def _probe_sqlite(path: Path) -> tuple[str | None, str | None, bool]:
    """Look inside without writing a byte: a file this version must refuse stays exactly as it was.

    That is a file of another application, and a store of a newer schema: it is refused here,
    before any connection that may write (switching to WAL rewrites the file's header). Returns
    what SQLite's quick check found wrong, in a sentence, or None for a sound file; which newer
    plan replaced this one, in a sentence, or None; and whether its schema is this version's.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None, None, False
    superseded = None
    try:
        con = sqlite3.connect(sqlite_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revs, written_by = [], None
            if "alembic_version" in tables:
                revs = [r[0] for r in con.execute("SELECT version_num FROM alembic_version")]
            if "store_meta" in tables:
                written_by = _app_version(con)
                superseded = superseded_words(_meta(con, SUPERSEDED_KEYS), path.name)
            problem = _quick_check(con, path, tables)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(path), exc) from exc
    if tables and "alembic_version" not in tables:
        raise NotATrackerDatabase(f"{path.name} holds tables but is not a Delivery Plan Tracker database.")
    unknown = [r for r in revs if r not in KNOWN_REVISIONS]
    if unknown:
        raise newer_schema(path.name, unknown[0], written_by)
    current = revs == [SCHEMA_HEAD]
    if problem is None:
        return None, superseded, current
    return (
        (
            f"{path.name} is damaged (SQLite's check found: {problem}), so it is open read-only. "
            "Restore it from your latest backup; the file has not been changed."
        ),
        superseded,
        current,
    )


def _quick_check(con: sqlite3.Connection, path: Path, tables: set[str]) -> str | None:
    """The first problem SQLite's quick check finds, in one line, or None."""
    try:
        if path.stat().st_size <= QUICK_CHECK_WHOLE_BYTES:
            rows = con.execute("PRAGMA quick_check").fetchall()
        else:
            rows = []
            for table in sorted(tables - {AUDIT_LOG_TABLE}):
                quoted = "'" + table.replace("'", "''") + "'"
                rows += con.execute(f"PRAGMA quick_check({quoted})").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    lines = [ln for r in rows if r[0] != "ok" for ln in str(r[0]).splitlines() if not ln.startswith("***")]
    return lines[0] if lines else None


def _meta(con: sqlite3.Connection, keys: tuple[str, ...]) -> dict[str, str]:
    """The store_meta values of ``keys`` that are set."""
    marks = ", ".join("?" for _ in keys)
    rows = con.execute(f"SELECT key, value FROM store_meta WHERE key IN ({marks})", keys).fetchall()
    return {str(k): str(v) for k, v in rows}


def _server_meta(engine: Engine, keys: tuple[str, ...]) -> dict[str, str]:
    meta = StoreMeta
    with engine.connect() as conn:
        rows = conn.execute(select(col(meta.key), col(meta.value)).where(col(meta.key).in_(keys))).all()
    return {str(k): str(v) for k, v in rows}


def superseded_words(meta: dict[str, str], name: str) -> str | None:
    """One line naming the plan that replaced this one and what to do, or None when none has."""
    plan = meta.get(SUPERSEDED_BY)
    if not plan:
        return None
    where = meta.get(SUPERSEDED_FILE, "")
    try:
        on = f" on {date.fromisoformat(meta.get(SUPERSEDED_AT, '')[:10]):%d %b %Y}"
    except ValueError:
        on = ""
    return (
        f"{name} was carried over into the newer plan {plan!r}"
        + (f" ({where})" if where else "")
        + f"{on}, so it is kept read-only as the record of this plan: open "
        + (Path(where).name if where else "the newer plan")
        + " to make changes."
    )


def _app_version(con: sqlite3.Connection) -> str | None:
    row = con.execute("SELECT value FROM store_meta WHERE key = 'app_version'").fetchone()
    return str(row[0]) if row else None


def _damaged(path: Path | None, url: str, exc: Exception) -> StoreError:
    """What an error on opening means: damage only when SQLite says so, otherwise its true cause."""
    what = path.name if path is not None else url
    cause = str(getattr(exc, "orig", exc))
    if "malformed" in cause or "not a database" in cause:
        return StoreError(
            f"{what} is damaged and cannot be read ({cause}). "
            "Restore it from your latest backup; the file has not been changed."
        )
    if path is None:  # a server: nothing of ours was changed, and there is no file to restore
        first = cause.replace("\\n", "\n").splitlines()[0].strip() if cause else type(exc).__name__
        return StoreError(
            explain(exc, what)
            or f"Could not connect to {what} ({first}): check that the server is running "
            "and can be reached, and the login."
        )
    return StoreError(
        explain(exc, what) or f"Could not open {what} ({cause}); the file has not been changed."
    )


def _refuse_unwritable(path: Path) -> None:
    """Opening for changes a file or folder that cannot be written fails later with SQL; say so now."""
    folder = path.parent if path.parent.exists() else None
    if folder is not None and not os.access(folder, os.W_OK):
        raise Unwritable(
            f"{path.name} is in a folder that cannot be written to ({folder}): open it read-only, "
            "or copy it to a folder you can write to."
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise Unwritable(
            f"{path.name} is read-only (its file permissions): make it writable, or open it read-only."
        )
