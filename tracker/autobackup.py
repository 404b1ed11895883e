"""Rolling backups of a SQLite store, kept beside it, and restoring one of them.

A backup is taken on the first write-open of each day (UTC), and before each return is applied,
each period is closed and each restore; the schema upgrade's own backup joins them. They live in
``<stem> backups/`` beside the store (``plan backups/`` for ``plan.db``), so they travel with the
plan they belong to and a second plan never mixes its backups with the first. Names sort by time
and say why: ``plan 2026-12-04 09.12.05 before period close.db``. ``backups.json`` in the folder
holds what each backup's verification counted; a file missing from it is listed as not verified.

Retention: the newest :data:`KEEP_DAILY` daily backups and the newest :data:`KEEP_BEFORE` taken
before an operation are kept, older ones deleted; the newest verified backup is never deleted.

A store on a server (PostgreSQL) is skipped: its administrators back it up.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlmodel import Session

from tracker import anchors
from tracker.backup import Progress, backup_sqlite, verify_copy
from tracker.db import BUSY_TIMEOUT_S, StoreError, sqlite_path, sqlite_uri
from tracker.errors import ServiceError
from tracker.lock import DatabaseLocked, WriteLock
from tracker.outputs import written

KEEP_DAILY = 7
KEEP_BEFORE = 10
DAILY = "daily"
BEFORE_IMPORT = "before return import"
BEFORE_PLAN_IMPORT = "before plan import"
BEFORE_CLOSE = "before period close"
BEFORE_UPGRADE = "before schema upgrade"
BEFORE_RESTORE = "before restore"
MANIFEST = "backups.json"
RULE = (
    f"Kept: the newest {KEEP_DAILY} daily backups and the newest {KEEP_BEFORE} taken before an "
    "import, a period close, a schema upgrade or a restore; the newest verified backup is never deleted."
)
SERVER_NOTE = (
    "Automatic backups are kept for plan files (SQLite) only; a plan on a server is backed up "
    "by the server's administrators."
)
_NAME = re.compile(
    r"^(?P<stem>.+) (?P<at>\d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d)(?:\.(?P<n>\d+))? (?P<why>[a-z ]+)\.db$"
)
_STAMP = "%Y-%m-%d %H.%M.%S"


class BackupFailed(ServiceError):
    """The automatic backup before an operation failed, so the operation did not go ahead."""


@dataclass(frozen=True)
class Kept:
    """One backup in the folder."""

    path: Path
    at: datetime  # UTC, from the name
    why: str
    size: int  # bytes
    rows: int | None  # None when the manifest has no record of its verification
    tables: int | None = None

    @property
    def verified(self) -> bool:
        return self.rows is not None

    @property
    def daily(self) -> bool:
        return self.why == DAILY


@dataclass(frozen=True)
class Restored:
    store: Path
    source: Path
    rows: int
    tables: int
    saved_first: Kept | None  # the backup of the store as it was, taken before restoring


def folder_for(store: Path) -> Path:
    return store.with_name(f"{store.stem} backups")


def listing(store: Path) -> list[Kept]:
    """The store's backups, newest first."""
    folder = folder_for(store)
    if not folder.is_dir():
        return []
    manifest = _read_manifest(folder)
    found = []
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if m is None or m["stem"] != store.stem or not path.is_file():
            continue
        at = datetime.strptime(m["at"], _STAMP).replace(tzinfo=UTC)
        record = manifest.get(path.name, {})
        found.append(
            (
                (at, int(m["n"] or 0), path.stat().st_mtime_ns),
                Kept(path, at, m["why"], path.stat().st_size, record.get("rows"), record.get("tables")),
            )
        )
    return [k for _key, k in sorted(found, key=lambda x: x[0], reverse=True)]


def take(
    store: Path,
    why: str,
    progress: Progress | None = None,
    *,
    now: datetime | None = None,
    keep: Path | None = None,
) -> Kept:
    """A verified backup of ``store`` into its folder, then the retention rule (sparing ``keep``); raises on failure."""
    folder = folder_for(store)
    folder.mkdir(parents=True, exist_ok=True)
    for partial in folder.glob("*.partial*"):  # left by a backup that was killed: never a good copy
        partial.unlink(missing_ok=True)
    dest = _free_name(folder, store.stem, why, now or datetime.now(UTC))
    report = backup_sqlite(store, dest, progress)
    _record(folder, dest.name, report.rows, report.tables)
    prune(store, keep=keep)
    return Kept(dest, _at_of(dest), why, dest.stat().st_size, report.rows, report.tables)


def prune(store: Path, *, keep: Path | None = None) -> list[Path]:
    """Delete what the retention rule does not keep (nor ``keep``, a backup being restored); the paths deleted."""
    kept = listing(store)
    newest_verified = next((k for k in kept if k.verified), None)
    daily = [k for k in kept if k.daily][KEEP_DAILY:]
    before = [k for k in kept if not k.daily][KEEP_BEFORE:]
    gone = [k.path for k in daily + before if k is not newest_verified and k.path != keep]
    for path in gone:
        path.unlink(missing_ok=True)
    if gone:
        _forget(folder_for(store), {p.name for p in gone})
    return gone


def daily(store: Path, *, now: datetime | None = None) -> Kept | None:
    """Today's daily backup if there is none yet (None when there already is one)."""
    now = now or datetime.now(UTC)
    if any(k.daily and k.at.date() == now.date() for k in listing(store)):
        return None
    return take(store, DAILY, now=now)


def on_open(store_path: Path | None, upgrade_backup: Path | None = None) -> list[str]:
    """After opening a store for writing: keep the upgrade's backup, take the daily one. Warnings, never raises.

    A failed daily backup only warns: the work of the day is not stopped by it.
    """
    if store_path is None:
        return []
    warnings = []
    if upgrade_backup is not None and upgrade_backup.exists():
        try:
            adopt(store_path, upgrade_backup, BEFORE_UPGRADE)
        except OSError as exc:
            warnings.append(f"The backup taken before the upgrade stays at {upgrade_backup} ({exc}).")
    try:
        daily(store_path)
    except Exception as exc:  # any failure is worth a warning, and none should stop the day's work
        warnings.append(
            f"Today's automatic backup of {store_path.name} failed ({_reason(exc)}); "
            f"make one with File > Save a copy or the backup command."
        )
    return warnings


def adopt(store: Path, backup: Path, why: str) -> Kept:
    """Move a verified backup taken elsewhere (the schema upgrade's) into the folder, under our name."""
    folder = folder_for(store)
    folder.mkdir(parents=True, exist_ok=True)
    when = datetime.fromtimestamp(backup.stat().st_mtime, UTC)
    dest = _free_name(folder, store.stem, why, when)
    tables, rows = _count(backup)
    backup.replace(dest)
    _record(folder, dest.name, rows, tables)
    prune(store)
    return Kept(dest, _at_of(dest), why, dest.stat().st_size, rows, tables)


P = ParamSpec("P")
R = TypeVar("R")


def backed_up(why: str, doing: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A write that takes a verified backup of its SQLite store first, and does not go ahead without one.

    The backup is taken inside the write's transaction once it holds SQLite's write lock, so it is
    exactly the state the write starts from. Both the command line and the app call the service,
    so this is the one place the hook lives.
    """

    def wrap(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            session = args[0] if args else kwargs.get("session")
            if isinstance(session, Session):
                path = sqlite_path(session.get_bind().engine.url)
                if path is not None:
                    session.connection()  # BEGIN IMMEDIATE: nobody writes between the backup and us
                    try:
                        take(path, why)
                    except Exception as exc:
                        raise BackupFailed(
                            f"{doing} did not go ahead: the automatic backup of {path.name} failed "
                            f"({_reason(exc)}); free some space in {folder_for(path)} and try again."
                        ) from exc
            return service(*args, **kwargs)

        return run

    return wrap


def restore(store: Path, backup: Path, progress: Progress | None = None) -> Restored:
    """Replace the store's contents with ``backup``'s, after backing up the store as it is.

    Refused while another process holds the store's write lock. The copy goes through SQLite's
    backup into the live file (so a reader with it open sees the old or the new plan, never a mix)
    and is compared with the backup before it counts; if it does not match, the store is put back.
    """
    backup = Path(backup)
    if backup.resolve() == store.resolve():
        raise StoreError(
            f"Nothing was restored: {backup.name} is the plan itself; choose one of its backups."
        )
    _check_backup(backup)
    try:
        lock = WriteLock(store).acquire()
    except DatabaseLocked as exc:
        who, pid = exc.holder.get("user", "someone"), exc.holder.get("pid", "?")
        raise StoreError(
            f"Nothing was restored: {store.name} is open for editing by {who} (process {pid}); "
            "close it there first and try again."
        ) from exc
    try:
        saved = None
        if store.exists() and store.stat().st_size > 0:
            try:
                saved = take(store, BEFORE_RESTORE, keep=backup)
            except Exception as exc:
                raise StoreError(
                    f"Nothing was restored: the backup of {store.name} as it is now failed ({_reason(exc)})."
                ) from exc
        try:
            tables, rows = _copy_into(backup, store, progress)
        except Exception as exc:
            raise StoreError(
                f"The restore from {backup.name} did not verify ({_reason(exc)}); {_put_back(store, saved)}"
            ) from exc
        # the heads remembered for the plan are of the history just replaced, on purpose: a later
        # `check` compares with the restored log's head, remembered at the next write
        anchors.forget(str(store))
    finally:
        lock.release()
    return Restored(store, backup, rows, tables, saved)


def resolve(store: Path, name: str) -> Path:
    """A backup named as ``backup --list`` shows it, or a path to a backup file."""
    candidate = folder_for(store) / name
    if candidate.is_file():
        return candidate
    path = Path(name).expanduser()
    if path.is_file():
        return path
    raise StoreError(f"There is no backup called {name!r}; `backup --list` shows them.")


# ---------------------------------------------------------------------------------------------- parts


def _copy_into(source: Path, store: Path, progress: Progress | None) -> tuple[int, int]:
    with closing(sqlite3.connect(sqlite_uri(source), uri=True)) as src:
        with closing(sqlite3.connect(store, timeout=BUSY_TIMEOUT_S)) as dst:

            def _step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=256, progress=_step)
        report = verify_copy(src, store)
    return report.tables, report.rows


def _put_back(store: Path, saved: Kept | None) -> str:
    """After a failed restore: the store as it was, copied back; what became of it, in words."""
    if saved is None:
        return f"{store.name} may be incomplete: restore another backup."
    try:
        _copy_into(saved.path, store, None)
    except Exception:  # the copy of the plan as it was is still there to restore by hand
        return f"{store.name} may be incomplete: restore {saved.path.name!r}, the plan as it was."
    return f"{store.name} was put back as it was."


def _check_backup(backup: Path) -> None:
    if not backup.is_file():
        raise StoreError(f"Nothing was restored: there is no backup at {backup}.")
    try:
        with closing(sqlite3.connect(sqlite_uri(backup), uri=True)) as con:
            check = con.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Nothing was restored: {backup.name} cannot be read ({exc}).") from exc
    if check != "ok":
        raise StoreError(f"Nothing was restored: {backup.name} is damaged ({check}).")
    if "alembic_version" not in tables:
        raise StoreError(f"Nothing was restored: {backup.name} is not a Delivery Plan Tracker plan.")


def _count(path: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(sqlite_uri(path), uri=True)) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return len(names), sum(con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names)


def _free_name(folder: Path, stem: str, why: str, at: datetime) -> Path:
    base = f"{stem} {at.astimezone(UTC):{_STAMP}}"
    dest, n = folder / f"{base} {why}.db", 1
    while dest.exists():
        n += 1
        dest = folder / f"{base}.{n} {why}.db"
    return dest


def _at_of(path: Path) -> datetime:
    m = _NAME.match(path.name)
    assert m is not None
    return datetime.strptime(m["at"], _STAMP).replace(tzinfo=UTC)


def _read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        value = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_manifest(folder: Path, manifest: dict[str, dict[str, Any]]) -> None:
    with written(folder / MANIFEST, replace=True) as temp:
        temp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def _record(folder: Path, name: str, rows: int, tables: int) -> None:
    manifest = _read_manifest(folder)
    manifest[name] = {"rows": rows, "tables": tables}
    _write_manifest(folder, manifest)


def _forget(folder: Path, names: set[str]) -> None:
    manifest = _read_manifest(folder)
    _write_manifest(folder, {k: v for k, v in manifest.items() if k not in names})


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
