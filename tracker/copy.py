"""Copy a whole store into a new SQLite file: the backup of a shared PostgreSQL store, or a take-away copy."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from tracker.backup import BackupReport, Progress
from tracker.db import StoreError, make_engine, to_url
from tracker.migrate import ensure_schema

BATCH = 5_000
SKIP = {"store_meta"}  # the copy records the app version that wrote it


def copy_to_sqlite(source: Engine, dest: Path, progress: Progress | None = None) -> BackupReport:
    """Write every table of ``source`` into a new SQLite store at ``dest``, then check the counts."""
    dest = Path(dest)
    if dest.exists():
        raise StoreError(f"{dest} already exists; choose a new file name for the copy.")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in SKIP]
    try:
        with source.connect() as src:
            totals = {t.name: src.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}
            grand, done = sum(totals.values()), 0
            copy = make_engine(to_url(partial))
            try:
                ensure_schema(copy, db_path=partial)
                with copy.begin() as dst:
                    for table in tables:
                        result = src.execution_options(stream_results=True).execute(select(table))
                        while batch := result.fetchmany(BATCH):
                            dst.execute(table.insert(), [r._asdict() for r in batch])
                            done += len(batch)
                            if progress is not None:
                                progress(done, grand)
                    for table in tables:
                        got = dst.execute(select(func.count()).select_from(table)).scalar_one()
                        if got != totals[table.name]:
                            raise StoreError(
                                f"The copy has {got} rows in {table.name}; the source has {totals[table.name]}."
                            )
            finally:
                copy.dispose()
        for suffix in ("-wal", "-shm", ".lock"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
        partial.replace(dest)
    except BaseException:
        for suffix in ("", "-wal", "-shm", ".lock"):
            partial.with_name(partial.name + suffix).unlink(missing_ok=True)
        raise
    return BackupReport(dest, len(tables), sum(totals.values()))
