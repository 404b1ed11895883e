"""Schema versions: create a fresh store, upgrade an older one (after a verified backup), refuse a newer one."""

from __future__ import annotations

import glob
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, Engine, delete, insert, inspect, select, text
from sqlmodel import SQLModel, col

import tracker
from tracker import models
from tracker.backup import PARTIAL, backup_sqlite
from tracker.db import StoreError, is_sqlite

if TYPE_CHECKING:
    import sqlite3

    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _script_revisions() -> frozenset[str]:
    """Every migration's revision, from the scripts' names (``0004_status_covering_index.py``).

    Each script's revision is its four-digit prefix and revises the one before (a test keeps the
    newest equal to Alembic's head), so a store can be checked against them without importing
    Alembic, which costs a tenth of a second of every start-up; and adding a migration is one new file.
    """
    return frozenset(p.name[:4] for p in (MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _newest_script() -> str:
    return max(_script_revisions())


SCHEMA_HEAD = _newest_script()
KNOWN_REVISIONS = _script_revisions()


class NewerSchema(StoreError):
    """The file was written by a newer version of the app than this one."""


class NotATrackerDatabase(StoreError):
    pass


@dataclass(frozen=True)
class SchemaReport:
    created: bool = False
    upgraded_from: str | None = None
    backup: Path | None = None


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine, *, db_path: Path | None, writable: bool = True) -> SchemaReport:
    """Bring the store to the app's schema, or refuse with a message that says why."""
    if _at_head(engine):
        return SchemaReport()
    from alembic import command

    head = head_revision()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        rev = current_revision(conn) if "alembic_version" in tables else None
        written_by = _written_by(conn) if "store_meta" in tables else None
    known = {s.revision for s in script_directory().walk_revisions()}

    if rev is None:
        if tables - {"alembic_version"}:
            raise NotATrackerDatabase(
                f"{_name(engine, db_path)} holds tables but is not a Delivery Plan Tracker database."
            )
        if not writable:
            raise StoreError(
                f"{_name(engine, db_path)} is empty; open it for editing to create a plan store."
            )
        with engine.begin() as conn:
            SQLModel.metadata.create_all(conn)
            command.stamp(alembic_config(conn), "head")
            _record_version(conn)
        return SchemaReport(created=True)

    if rev not in known:
        raise newer_schema(_name(engine, db_path), rev, written_by)
    if rev == head:
        return SchemaReport()
    if not writable:
        raise StoreError(
            f"{_name(engine, db_path)} uses an older schema ({rev}); open it for editing once so it can be upgraded."
        )

    backup = None
    if db_path is not None and is_sqlite(engine):
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        backup = db_path.with_name(f"{db_path.stem}.before-{head}-{stamp}{db_path.suffix or '.db'}")
        # Each attempt's copy has its own name, so the partial copies of attempts that were killed
        # are removed here (the write lock is ours: no other upgrade of this store is running).
        for left in db_path.parent.glob(f"{glob.escape(db_path.stem)}.before-*{PARTIAL}*"):
            left.unlink(missing_ok=True)
        backup_sqlite(db_path, backup)
    with engine.connect() as conn:
        sqlite = is_sqlite(engine)
        if sqlite:
            # Batch migrations drop and rebuild tables: foreign keys must be off, and the PRAGMA is
            # a no-op inside a transaction, so it goes to the driver before BEGIN (docs/PITFALLS.md).
            # SQLAlchemy types the driver's connection as optional; an open connection always has it.
            cast("sqlite3.Connection", conn.connection.driver_connection).execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), "head")
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise StoreError(
                            f"The upgrade would leave {len(bad)} broken references; nothing was changed."
                        )
                _record_version(conn)
        finally:
            if sqlite:
                cast("sqlite3.Connection", conn.connection.driver_connection).execute(
                    "PRAGMA foreign_keys=ON"
                )
    return SchemaReport(upgraded_from=rev, backup=backup)


def newer_schema(name: str, rev: str, written_by: str | None) -> NewerSchema:
    """The refusal of a store whose schema this version does not know, naming who wrote it and who we are."""
    by = f"Delivery Plan Tracker {written_by}" if written_by else "a newer Delivery Plan Tracker"
    return NewerSchema(
        f"{name} was written by {by} with schema {rev}, which this version "
        f"({tracker.__version__}, schema {SCHEMA_HEAD}) does not know. "
        "Open it with the version that wrote it or a later one; the file has not been changed."
    )


def _at_head(engine: Engine) -> bool:
    """Whether the store is stamped with this app's newest revision (plain SQL, no Alembic)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return versions == [SCHEMA_HEAD]


def _record_version(conn: Connection) -> None:
    meta = models.StoreMeta
    conn.execute(delete(meta).where(col(meta.key) == "app_version"))
    conn.execute(insert(meta).values(key="app_version", value=tracker.__version__))


def _written_by(conn: Connection) -> str | None:
    meta = models.StoreMeta
    return conn.execute(select(col(meta.value)).where(col(meta.key) == "app_version")).scalar()


def _name(engine: Engine, db_path: Path | None) -> str:
    if db_path is not None:
        return db_path.name
    return engine.url.render_as_string(hide_password=True)


def schema_matches_models(engine: Engine) -> list[object]:
    """Differences between the migrated schema and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, SQLModel.metadata))
