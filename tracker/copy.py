"""Copy every table of a store into another: the backup of a shared PostgreSQL store, or a take-away copy.

The rows are read in one snapshot (on PostgreSQL a read-only REPEATABLE READ transaction), so a copy
taken while people work holds the plan and its audit log as they were at one moment: every row
with the entries that explain it, and the log's head at its last entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Select, Table, delete, func, select
from sqlmodel import SQLModel

from tracker.backup import Progress
from tracker.db import StoreError, bulk_rows

BATCH = 5_000
META = "store_meta"
OWN_META = ("app_version",)  # what a store records of itself (the app that wrote it): not carried over


@dataclass(frozen=True)
class Copied:
    tables: int
    rows: int


def _rows(table: Table) -> Select:  # type: ignore[type-arg]
    query = select(table)
    return query.where(table.c.key.notin_(OWN_META)) if table.name == META else query


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(_rows(table).subquery())).scalar_one())


def copy_rows(source: Engine, dest: Connection, progress: Progress | None = None) -> Copied:
    """Write every table of ``source`` into the new, empty store open on ``dest`` (in its transaction)."""
    tables = list(SQLModel.metadata.sorted_tables)
    with source.connect() as src:
        if source.dialect.name == "postgresql":
            src = src.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with src.begin():
            totals = {t.name: _count(src, t) for t in tables}
            grand, done = sum(totals.values()), 0
            meta = SQLModel.metadata.tables[META]
            dest.execute(delete(meta).where(meta.c.key.notin_(OWN_META)))
            with bulk_rows():
                for table in tables:
                    result = src.execution_options(stream_results=True).execute(_rows(table))
                    while batch := result.fetchmany(BATCH):
                        dest.execute(table.insert(), [r._asdict() for r in batch])
                        done += len(batch)
                        if progress is not None:
                            progress(done, grand)
    for table in tables:
        got = _count(dest, table)
        if got != totals[table.name]:
            raise StoreError(f"The copy has {got} rows in {table.name}; the source has {totals[table.name]}.")
    return Copied(len(tables), grand)
