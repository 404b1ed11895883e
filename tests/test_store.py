"""Opening stores: fresh, older (backed up, upgraded), newer (refused), foreign, damaged, locked."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

import tracker
from tracker.db import StoreError, to_url
from tracker.lock import DatabaseLocked
from tracker.migrate import (
    NewerSchema,
    NotATrackerDatabase,
    alembic_config,
    head_revision,
    schema_matches_models,
    script_directory,
)
from tracker.models import Milestone, Plan
from tracker.store import open_store


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_fresh_store_is_created_at_head_and_matches_the_models(any_store):
    assert any_store.schema_report.created
    with any_store.engine.connect() as conn:
        rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert rev == head_revision()
    assert schema_matches_models(any_store.engine) == []


def test_migrations_from_nothing_build_the_same_schema_as_the_models(store_url):
    engine = create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        assert schema_matches_models(engine) == []
    finally:
        engine.dispose()


def test_sqlite_connections_get_the_safety_pragmas(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_foreign_keys_are_enforced(any_store):
    with pytest.raises(IntegrityError), any_store.write() as session:
        session.add(Milestone(objective_id="no-such-objective", title="x", baseline_date=date(2024, 1, 1),
                              forecast_date=date(2024, 1, 1)))  # fmt: skip
        session.flush()


def test_a_failed_write_block_changes_nothing(any_store):
    with pytest.raises(RuntimeError), any_store.write() as session:
        session.add(Plan(name="P", start_date=date(2024, 1, 1), end_date=date(2025, 1, 1)))
        session.flush()
        raise RuntimeError("boom")
    with any_store.read() as session:
        assert session.execute(text("SELECT count(*) FROM plan")).scalar_one() == 0


def _older_file(path, rows: int = 3) -> str:
    """A store at the first schema revision, holding a plan and people."""
    first = [s.revision for s in script_directory().walk_revisions()][-1]
    engine = create_engine(to_url(path))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), first)
        conn.execute(
            text(
                "INSERT INTO plan (id, revision, changed_by, changed_at, deleted, name, organisation, start_date, "
                "end_date, period_frequency, protective_marking, handling_caveat, source, vision, mission, is_sample, "
                "rag_green, rag_amber, rag_red, rag_blue, rag_grey, risk_appetite, risk_low_max, risk_medium_max, "
                "risk_high_max, slip_tolerance_days) VALUES ('p1', 1, 'x', '2024-01-01 00:00:00', 0, 'Old plan', '', "
                "'2024-01-01', '2025-01-01', 'quarterly', 'OFFICIAL', '', '', '', '', 0, 'g', 'a', 'r', 'b', 'gr', 12, "
                "4, 9, 15, 14)"
            )
        )
        for i in range(rows):
            conn.execute(
                text(
                    "INSERT INTO person (id, revision, changed_by, changed_at, deleted, name, role_title, email, active)"
                    " VALUES (:id, 1, 'x', '2024-01-01 00:00:00', 0, :name, '', '', 1)"
                ),
                {"id": f"person-{i}", "name": f"Lead {i}"},
            )
    engine.dispose()
    return first


def test_an_older_store_is_backed_up_verified_then_upgraded(tmp_path):
    path = tmp_path / "old.db"
    first = _older_file(path)
    assert first != head_revision(), "needs at least two schema revisions to test an upgrade"

    with open_store(path) as store:
        report = store.schema_report
        assert report.upgraded_from == first
        assert report.backup is not None and report.backup.exists()
        with store.read() as session:
            assert session.execute(text("SELECT count(*) FROM person")).scalar_one() == 3
            assert (
                session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
                == head_revision()
            )
        assert schema_matches_models(store.engine) == []

    backup = sqlite3.connect(report.backup)
    try:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
        assert backup.execute("SELECT count(*) FROM person").fetchone()[0] == 3
    finally:
        backup.close()


def test_a_newer_store_is_refused_with_the_version_it_needs_and_left_alone(tmp_path):
    path = tmp_path / "newer.db"
    open_store(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'f00dcafe9999'")
    con.execute("UPDATE store_meta SET value = '9.4.0' WHERE key = 'app_version'")
    con.commit()
    con.close()
    before = _digest(path)

    with pytest.raises(NewerSchema) as err:
        open_store(path)
    message = str(err.value)
    assert "9.4.0" in message and "f00dcafe9999" in message and tracker.__version__ in message
    assert _digest(path) == before
    # The refusal released the write lock: a newer app can open the file straight away.
    from tracker.lock import WriteLock

    WriteLock(path).acquire().release()


@pytest.mark.parametrize("readonly", [False, True])
def test_a_newer_store_in_rollback_journal_mode_is_refused_byte_for_byte_untouched(tmp_path, readonly):
    path = tmp_path / "newer.db"
    open_store(path).close()
    (tmp_path / "newer.db.lock").unlink()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")  # as a copy made by another tool may be
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()  # store_meta still says this app's version wrote it: a development build's newer schema
    before = _digest(path)

    with pytest.raises(NewerSchema) as err:
        open_store(path, readonly=readonly)
    message = str(err.value)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.db"], "no lock, journal or WAL file either"
    assert f"written by Delivery Plan Tracker {tracker.__version__} with schema 9999" in message
    assert f"this version ({tracker.__version__}, schema {head_revision()})" in message
    assert "or later; this is version" not in message and "\n" not in message


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my meeting notes, not a database")
    with pytest.raises(StoreError, match="not a Delivery Plan Tracker database"):
        open_store(path)
    assert path.read_text().startswith("these are my meeting notes")


def test_a_sqlite_file_of_another_application_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NotATrackerDatabase):
        open_store(path)
    assert _digest(path) == before


def test_a_damaged_file_is_reported_as_damaged(tmp_path):
    path = tmp_path / "damaged.db"
    open_store(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page after the header
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|not a Delivery Plan Tracker"):
        open_store(path)


def damage_page_of(path, name: str) -> None:
    """Overwrite with junk the 4 KB page at the root of table or index ``name`` (its only page when small)."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] != "wal"  # the page must be in the file
        size = con.execute("PRAGMA page_size").fetchone()[0]
        root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    finally:
        con.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\xab" * size)


def test_a_store_damaged_inside_opens_read_only_saying_what_to_do_and_is_not_written(tmp_path):
    from tracker.backup import backup_sqlite

    path = tmp_path / "plan.db"
    with open_store(tmp_path / "whole.db") as whole, whole.write() as session:
        session.add(Plan(name="Damaged plan", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)))
    backup_sqlite(tmp_path / "whole.db", path)  # one file in rollback-journal mode, WAL folded in
    damage_page_of(path, "ix_risk_owner_id")
    before = _digest(path)

    with open_store(path) as store:
        assert store.readonly and store.damage is not None
        assert store.damage.startswith("plan.db is damaged (SQLite's check found: ")
        assert "Restore it from your latest backup" in store.damage and "\n" not in store.damage
        with store.read() as session:  # what can be read still can be, to look or to copy out
            assert session.execute(text("SELECT name FROM plan")).scalar_one() == "Damaged plan"
        with pytest.raises(StoreError, match="damaged") as err, store.write():
            pass
        assert str(err.value) == store.damage
    assert _digest(path) == before
    assert not (tmp_path / "plan.db.lock").exists(), "a damaged store is not opened for writing"


def test_only_one_process_writes_a_file(tmp_path):
    path = tmp_path / "plan.db"
    with open_store(path):
        with pytest.raises(DatabaseLocked) as err:
            open_store(path)
        assert "plan.db" in str(err.value) and "read-only" in str(err.value)

        code = (
            "import sys\nfrom tracker.store import open_store\nfrom tracker.db import StoreError\n"
            f"try:\n    open_store({str(path)!r})\nexcept StoreError as e:\n    print(type(e).__name__, e); sys.exit(3)\n"
        )
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert other.returncode == 3, other.stderr
        assert other.stdout.startswith("DatabaseLocked")

        with open_store(path, readonly=True) as viewer:
            with viewer.read() as session:
                assert session.execute(text("SELECT count(*) FROM plan")).scalar_one() == 0
            with pytest.raises(StoreError, match="read-only"), viewer.write():
                pass
    # Closed: the next opener gets it.
    open_store(path).close()


def test_backup_writes_a_verified_copy_that_opens(store, tmp_path):
    with store.write() as session:
        session.add(Plan(name="Backed up", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)))
    dest = tmp_path / "copies" / "copy.db"
    report = store.backup(dest)
    assert report.path == dest and report.rows > 0
    assert not dest.with_name("copy.db.partial").exists()
    with open_store(dest, readonly=True) as copy, copy.read() as session:
        assert session.execute(text("SELECT name FROM plan")).scalar_one() == "Backed up"


def test_backup_refuses_to_overwrite_its_own_database(store):
    with pytest.raises(StoreError, match="cannot be written over"):
        store.backup(store.path)


def test_any_store_copies_into_a_new_sqlite_file(any_store, actor, tmp_path):
    from tracker.audit import verify_chain
    from tracker.models import Person
    from tracker.services.base import unit_of_work
    from tracker.store import copy_to_sqlite

    with any_store.write() as session:
        uow = unit_of_work(session, actor)
        uow.create(Plan, name="Shared plan", start_date=date(2024, 4, 1), end_date=date(2025, 3, 31))
        for i in range(7):
            uow.create(Person, name=f"Lead {i}")
        uow.changes()
    seen = []
    dest = tmp_path / "copy.db"
    report = copy_to_sqlite(any_store.engine, dest, progress=lambda done, total: seen.append((done, total)))
    assert report.rows >= 8 + 8  # the rows and their audit entries
    assert seen and seen[-1][0] == seen[-1][1]
    with open_store(dest, readonly=True) as copy, copy.read() as session:
        assert session.execute(text("SELECT count(*) FROM person")).scalar_one() == 7
        assert verify_chain(session) == []
    with pytest.raises(StoreError, match="already exists"):
        copy_to_sqlite(any_store.engine, dest)


def test_the_schema_head_the_app_checks_first_is_alembics_head():
    from tracker.migrate import SCHEMA_HEAD, head_revision

    assert head_revision() == SCHEMA_HEAD, "a migration's file name must start with its four-digit revision"
