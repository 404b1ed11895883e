"""Copies of a live SQLite store, taken with SQLite's online backup and verified before they count."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.db import StoreError

Progress = Callable[[int, int], None]  # (done, total) pages; may raise to cancel


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: int
    rows: int


def backup_sqlite(source: Path, dest: Path, progress: Progress | None = None) -> BackupReport:
    """Copy ``source`` to ``dest`` page by page while it stays usable, then verify the copy.

    The copy is written beside ``dest`` and renamed into place only once verified, so a failed or
    cancelled backup never leaves a file that looks like a good one.
    """
    dest = Path(dest)
    if dest.resolve() == Path(source).resolve():
        raise StoreError("A backup cannot be written over the database it copies.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:

            def _step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=256, progress=_step)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
        report = verify_copy(src, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    partial.replace(dest)
    return BackupReport(dest, report.tables, report.rows)


def verify_copy(src: sqlite3.Connection, copy: Path) -> BackupReport:
    """The copy passes SQLite's integrity check and holds the same rows in every table."""
    dst = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise StoreError(f"The backup {copy.name} failed SQLite's integrity check: {check}")
        tables = [
            r[0]
            for r in src.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        rows = 0
        for table in tables:
            want = src.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            got = dst.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if want != got:
                raise StoreError(
                    f"The backup {copy.name} has {got} rows in {table}; the database has {want}."
                )
            rows += got
        return BackupReport(copy, len(tables), rows)
    finally:
        dst.close()
