"""Copies of a live SQLite store, taken with SQLite's online backup and verified before they count."""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.db import StoreError, sqlite_uri

Progress = Callable[[int, int], None]  # (done, total) pages; may raise to cancel
PARTIAL = (
    ".partial"  # a copy being written; a run that died leaves it (and its journal) for the next to remove
)
SIDECARS = ("-journal", "-wal", "-shm", ".lock")


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: int
    rows: int


def backup_sqlite(source: Path, dest: Path, progress: Progress | None = None) -> BackupReport:
    """Copy ``source`` to ``dest`` page by page while it stays usable, then verify the copy.

    The copy is written beside ``dest`` and renamed into place only once verified, so a failed or
    cancelled backup never leaves a file that looks like a good one. The copy and its verification
    read one snapshot of the source (a read transaction held throughout), so a write by another
    process meanwhile neither restarts the copy nor makes it differ from what it is compared with.
    """
    source, dest = Path(source), Path(dest)
    if dest.resolve() == source.resolve():
        raise StoreError("A backup cannot be written over the database it copies.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + PARTIAL)
    remove_with_sidecars(partial)  # what a run that died left: a stale journal must not touch the new copy
    src = sqlite3.connect(sqlite_uri(source), uri=True, isolation_level=None)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        dst = sqlite3.connect(partial)
        try:
            # No journal for a copy that is thrown away unless it completes: a kill mid-copy then
            # leaves the one .partial file the next backup to this name removes, and no journal.
            dst.execute("PRAGMA journal_mode=OFF")

            def _step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=256, progress=_step)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        except sqlite3.OperationalError as exc:
            if "full" in str(exc):  # the copy's disk, not the database's
                raise StoreError(
                    f"There is no room for the backup in {dest.parent} ({exc}): free some space there "
                    "or choose another place; no backup was written."
                ) from exc
            raise
        finally:
            dst.close()
        report = verify_copy(src, partial)
    except BaseException:
        remove_with_sidecars(partial)
        raise
    finally:
        src.close()
    partial.replace(dest)
    return BackupReport(dest, report.tables, report.rows)


def remove_with_sidecars(path: Path) -> None:
    """Remove a SQLite file with its journal, WAL, shared memory and lock files, if there."""
    for suffix in ("", *SIDECARS):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def verify_copy(src: sqlite3.Connection, copy: Path) -> BackupReport:
    """The copy passes SQLite's integrity check and has the source's schema and rows, table by table.

    Each table is compared by its row count and a hash of its rows' content, so a copy that is
    empty, of another file, or differs in a single value never passes.
    """
    dst = sqlite3.connect(sqlite_uri(copy), uri=True)
    try:
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            first = next(ln for ln in f"{check}\n?".splitlines() if not ln.startswith("*** in database"))
            raise StoreError(f"The backup {copy.name} failed SQLite's integrity check: {first}")
        if _schema(dst) != _schema(src):
            raise StoreError(f"The backup {copy.name} does not have the database's tables and indexes.")
        tables = [name for kind, name, _sql in _schema(src) if kind == "table"]
        rows = 0
        for table in tables:
            want, got = table_digest(src, table), table_digest(dst, table)
            if want[0] != got[0]:
                raise StoreError(
                    f"The backup {copy.name} has {got[0]} rows in {table}; the database has {want[0]}."
                )
            if want != got:
                raise StoreError(f"The backup {copy.name} differs from the database in table {table}.")
            rows += got[0]
        if not tables:
            raise StoreError(f"The backup {copy.name} holds no tables: the database could not be read.")
        return BackupReport(copy, len(tables), rows)
    finally:
        dst.close()


def _schema(con: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return con.execute(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "ORDER BY type, name"
    ).fetchall()


def table_digest(con: sqlite3.Connection, table: str) -> tuple[int, str]:
    """A table's row count and a hash of its rows in rowid order.

    The driver gives only str, int, float, bytes and None, which pickle writes the same way every
    time, and pickling a batch is quicker than its repr.
    """
    digest = hashlib.blake2b()
    name = '"' + table.replace('"', '""') + '"'
    try:
        cur = con.execute(f"SELECT * FROM {name} ORDER BY rowid")
    except sqlite3.OperationalError:  # a WITHOUT ROWID table: its primary key orders the scan
        cur = con.execute(f"SELECT * FROM {name}")
    count = 0
    while batch := cur.fetchmany(5_000):
        count += len(batch)
        digest.update(pickle.dumps(batch, protocol=5))
    return count, digest.hexdigest()
