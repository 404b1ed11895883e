"""Backups are what they claim: the file asked for, every row, verified by content, at any path."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.backup import backup_sqlite, verify_copy
from tracker.db import StoreError
from tracker.models import Plan
from tracker.store import open_store

# Each of these broke an unescaped ``file:{path}`` URI or SQLAlchemy URL in its own way.
ODD_FOLDERS = ["Team #3", "what?", "plan%41", "two words", "Zürich – ünïcödé", "two\nlines"]


def _plan_store(path: Path, name: str) -> None:
    with open_store(path) as store, store.write() as session:
        session.add(Plan(name=name, start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)))


def _plan_name(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT name FROM plan").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_a_store_at_an_odd_path_opens_and_backs_up_whole(tmp_path, folder):
    path = tmp_path / folder / "plan.db"
    path.parent.mkdir()
    _plan_store(path, f"Plan in {folder}")
    assert path.exists() and sorted(p.name for p in tmp_path.iterdir()) == [folder]

    dest = tmp_path / folder / "copies #1?" / "copy%20.db"
    with open_store(path, readonly=True) as store:
        report = store.backup(dest)
    assert report.path == dest and report.tables > 5 and report.rows >= 3
    assert _plan_name(dest) == f"Plan in {folder}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder], "nothing written beside the folder"


def test_a_percent_in_the_name_backs_up_that_file_not_its_decoded_namesake(tmp_path):
    _plan_store(tmp_path / "planA.db", "Plan A, a different plan")
    _plan_store(tmp_path / "plan%41.db", "Plan percent-41")
    backup_sqlite(tmp_path / "plan%41.db", tmp_path / "copy.db")
    assert _plan_name(tmp_path / "copy.db") == "Plan percent-41"
    assert _plan_name(tmp_path / "planA.db") == "Plan A, a different plan"


@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_the_backup_before_an_upgrade_holds_the_store_at_an_odd_path(tmp_path, folder):
    from tests.test_store import _older_file

    path = tmp_path / folder / "old.db"
    path.parent.mkdir()
    _older_file(path, rows=4)
    with open_store(path) as store:
        backup = store.schema_report.backup
        with store.read() as session:
            assert session.execute(text("SELECT count(*) FROM person")).scalar_one() == 4
    assert backup is not None and backup.parent == path.parent
    con = sqlite3.connect(backup)
    try:
        assert con.execute("SELECT count(*) FROM person").fetchone()[0] == 4
    finally:
        con.close()


def test_a_missing_source_is_an_error_and_creates_nothing(tmp_path):
    with pytest.raises(sqlite3.OperationalError):
        backup_sqlite(tmp_path / "Team #3.db", tmp_path / "copy.db")
    assert list(tmp_path.iterdir()) == []


def _copy(source: Path, dest: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(dest)
    src.backup(dst)
    src.close()
    dst.close()


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM plan",  # a row fewer
        "UPDATE plan SET name = 'Another plan'",  # the same rows, one value different
        "DROP TABLE store_meta",  # a table missing
    ],
)
def test_verification_refuses_a_copy_that_differs_from_the_source(tmp_path, damage):
    source = tmp_path / "plan.db"
    _plan_store(source, "The plan")
    copy = tmp_path / "copy.db"
    _copy(source, copy)
    con = sqlite3.connect(copy)
    con.execute(damage)
    con.commit()
    con.close()
    src = sqlite3.connect(source)
    try:
        with pytest.raises(StoreError, match="copy.db"):
            verify_copy(src, copy)
    finally:
        src.close()


def test_verification_refuses_an_empty_copy_of_an_empty_file(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(StoreError, match="no tables"):
        backup_sqlite(tmp_path / "empty.db", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_a_backup_clears_what_a_killed_backup_to_the_same_name_left(tmp_path):
    source = tmp_path / "plan.db"
    _plan_store(source, "The plan")
    (tmp_path / "copy.db.partial").write_bytes(b"half a copy")
    (tmp_path / "copy.db.partial-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)
    report = backup_sqlite(source, tmp_path / "copy.db")
    assert report.rows >= 3 and _plan_name(tmp_path / "copy.db") == "The plan"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]


def test_a_backup_under_way_is_one_partial_file_with_no_journal_to_leave_behind(tmp_path):
    source = tmp_path / "plan.db"
    _plan_store(source, "The plan")
    con = sqlite3.connect(source)
    with con:  # enough pages that the copy takes several steps
        con.execute("CREATE TABLE filler (x BLOB)")
        con.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(4000),) for _ in range(600)])
    con.close()
    folder = tmp_path / "copies"
    seen = []
    backup_sqlite(
        source, folder / "copy.db", progress=lambda done, total: seen.append(sorted(os.listdir(folder)))
    )
    assert seen and all(names == ["copy.db.partial"] for names in seen), seen
    assert os.listdir(folder) == ["copy.db"]


def test_a_failed_backup_leaves_nothing_behind(tmp_path):
    source = tmp_path / "plan.db"
    _plan_store(source, "The plan")

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backup_sqlite(source, tmp_path / "copies" / "copy.db", progress=cancel)
    assert list((tmp_path / "copies").iterdir()) == []


def test_an_upgrade_clears_the_partial_copies_of_upgrades_that_were_killed(tmp_path):
    from tests.test_store import _older_file

    path = tmp_path / "old.db"
    _older_file(path)
    left = [
        tmp_path / "old.before-0005-20240101-090000.db.partial",
        tmp_path / "old.before-0005-20240101-090000.db.partial-journal",
        tmp_path / "old.before-0005-20240102-090000.db.partial",
    ]
    for p in left:
        p.write_bytes(b"x" * 100_000)
    keep = tmp_path / "old.before-0004-20231201-090000.db"  # a finished backup is the person's to keep
    keep.write_bytes(b"a backup")
    with open_store(path) as store:
        backup = store.schema_report.backup
    assert backup is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["old.db", "old.db.lock", keep.name, backup.name]
    )


def test_verification_refuses_a_copy_that_fails_sqlites_integrity_check_in_one_line(tmp_path):
    source = tmp_path / "plan.db"
    _plan_store(source, "The plan")
    copy = tmp_path / "copy.db"
    _copy(source, copy)
    con = sqlite3.connect(copy)
    con.execute("CREATE TABLE t (a, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(1, "x"), (2, "y")])
    con.execute("CREATE INDEX ix_t ON t (a)")
    con.execute("PRAGMA writable_schema = ON")  # the index no longer matches its table
    con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX ix_t ON t (b)' WHERE name = 'ix_t'")
    con.commit()
    con.close()
    src = sqlite3.connect(source)
    try:
        with pytest.raises(StoreError, match=r"^The backup copy.db failed SQLite's integrity check: [^\n]+$"):
            verify_copy(src, copy)
    finally:
        src.close()
