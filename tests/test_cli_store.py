"""The command line on stores in trouble: damaged, refused, unwritable. One line each, the true cause."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_store import damage_page_of
from tracker.backup import backup_sqlite
from tracker.cli import EXIT_ERROR, main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-store") / "plan.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


@pytest.fixture
def damaged_db(sample_db: Path, tmp_path: Path) -> Path:
    """The sample plan with 4 KB overwritten inside it (an index of the status updates)."""
    path = tmp_path / "plan.db"
    backup_sqlite(sample_db, path)
    damage_page_of(path, "ix_status_update_lifecycle")
    return path


def test_check_reports_a_damaged_store_as_a_failed_finding(
    damaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(damaged_db), "check")
    assert code == EXIT_ERROR
    assert out.splitlines()[0].startswith("FAIL  database: ") and "unexpected" not in err
    assert err.splitlines()[0].startswith("warning: plan.db is damaged") and "latest backup" in err
    assert err.splitlines()[-1].startswith("error: ") and re.search(r"\d+ checks? failed: database", err)


def test_reading_a_damaged_store_warns_or_fails_in_one_line_never_with_sql(
    damaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("summary", "periods", "audit"):
        code, _, err = run(capsys, "--db", str(damaged_db), command)
        assert "SELECT" not in err and "unexpected" not in err and "Traceback" not in err
        assert err.startswith("warning: plan.db is damaged")
        assert all(line.startswith(("warning: ", "error: ")) for line in err.splitlines()), err
        assert code in (0, EXIT_ERROR)


def test_a_write_to_a_damaged_store_is_refused_and_writes_nothing(
    damaged_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(damaged_db)
    code, out, err = run(
        capsys, "--db", str(damaged_db), "periods", "open", "2024/25 Q1", "--start", "2024-04-01",
        "--end", "2024-06-30",
    )  # fmt: skip
    assert (code, out) == (EXIT_ERROR, "")
    assert err.startswith("error: plan.db is damaged (SQLite's check found: ") and err.count("\n") == 1
    assert "Restore it from your latest backup" in err
    assert digest(damaged_db) == before


def test_a_read_that_meets_the_damage_says_so_in_one_line(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.store

    path = tmp_path / "plan.db"
    backup_sqlite(sample_db, path)
    damage_page_of(path, "reporting_period")
    # As if the quick check on opening had passed it (a large store's audit log is not checked then).
    monkeypatch.setattr(tracker.store, "_quick_check", lambda *a: None)
    code, _, err = run(capsys, "--db", str(path), "periods")
    assert code == EXIT_ERROR and err.count("\n") == 1
    assert err.startswith("error: plan.db is damaged (") and "latest backup" in err


def full_disk_after(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Every store opened from now on fills up at ``pages`` pages: SQLite's own 'database or disk is full'."""
    from sqlalchemy import event

    import tracker.store

    real = tracker.store.make_engine

    def make_engine(url: str, **kwargs: bool):  # type: ignore[no-untyped-def]
        engine = real(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        return engine

    monkeypatch.setattr(tracker.store, "make_engine", make_engine)


def test_init_on_a_full_disk_leaves_no_store_and_no_litter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    full_disk_after(monkeypatch, pages=200)  # the schema fits; the sample plan does not
    code, out, err = run(capsys, "--db", str(tmp_path / "plan.db"), "init", "--sample")
    assert (code, out) == (EXIT_ERROR, "")
    assert err == "error: The disk holding plan.db is full (database or disk is full). Free some space and " \
        "try again; nothing was changed.\n"  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_init_builds_the_store_whole_and_clears_what_a_killed_run_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plan.db.building").write_bytes(b"half a store")
    (tmp_path / "plan.db.building-journal").write_bytes(b"its journal")
    (tmp_path / "plan.db").write_bytes(b"")  # an empty file holds nothing to keep
    code, out, _ = run(capsys, "--db", str(tmp_path / "plan.db"), "init", "--sample")
    assert code == 0 and out.endswith(f"in {tmp_path / 'plan.db'} with SAMPLE progress\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.db", "plan.db.lock"]
    code, _, _ = run(capsys, "--db", str(tmp_path / "plan.db"), "check")
    assert code == 0


def test_a_write_command_on_an_empty_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "plan.db"
    empty.write_bytes(b"")
    code, _, err = run(
        capsys,
        "--db",
        str(empty),
        "periods",
        "open",
        "2024/25 Q1",
        "--start",
        "2024-04-01",
        "--end",
        "2024-06-30",
    )
    assert code == EXIT_ERROR and err == f"error: There is no plan in {empty}: the file is empty. " \
        "Create a plan there, or open another file.\n"  # fmt: skip
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.db"]


# Errors say the true cause in one line: no SQL, no parameters, no "unexpected", no traceback.


def one_line_error(err: str) -> str:
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "unexpected" not in err and "SELECT" not in err and "INSERT" not in err and "[SQL" not in err
    return err


OPEN_PERIOD = ("periods", "open", "2024/25 Q1", "--start", "2024-04-01", "--end", "2024-06-30")


def deny_writes_under(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What a person who is not the superuser sees in a folder made read-only (root may write anyway)."""
    real = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).is_relative_to(folder):
            return False
        return real(path, mode, **kwargs)  # type: ignore[arg-type]

    if getattr(os, "geteuid", lambda: -1)() == 0:
        monkeypatch.setattr(os, "access", access)


def test_a_healthy_store_in_a_read_only_folder_reads_and_refuses_changes_for_that_reason(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "plan.db"
    backup_sqlite(sample_db, db)
    assert main(["--db", str(db), "periods", "close", "2023/24 Q4"]) == 0  # now in WAL mode, as in use
    assert sorted(p.name for p in folder.iterdir()) == ["plan backups", "plan.db", "plan.db.lock"]
    before = digest(db)
    folder.chmod(0o555)
    try:
        deny_writes_under(monkeypatch, folder)
        capsys.readouterr()
        code, out, err = run(capsys, "--db", str(db), "summary")
        assert (code, err) == (0, "") and "All themes" in out
        code, _, err = run(capsys, "--db", str(db), *OPEN_PERIOD)
        assert code == EXIT_ERROR and one_line_error(err)
        assert err.startswith(f"error: plan.db is in a folder that cannot be written to ({folder})")
        assert "damaged" not in err and "backup" not in err
    finally:
        folder.chmod(0o755)
    assert digest(db) == before


def test_a_read_only_file_refuses_changes_in_one_line(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "plan.db"
    backup_sqlite(sample_db, db)
    db.chmod(0o444)
    deny_writes_under(monkeypatch, db)
    code, _, err = run(capsys, "--db", str(db), *OPEN_PERIOD)
    assert code == EXIT_ERROR and one_line_error(err)
    assert err.startswith("error: plan.db is read-only (its file permissions): make it writable")


def test_a_write_sqlite_refuses_as_read_only_says_so_without_the_sql(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.store

    db = tmp_path / "plan.db"
    backup_sqlite(sample_db, db)
    real = tracker.store.make_engine
    # Whatever the permissions said, SQLite opened the file read-only: its own refusal, at the INSERT.
    monkeypatch.setattr(tracker.store, "make_engine", lambda url, readonly=False: real(url, readonly=True))
    code, _, err = run(capsys, "--db", str(db), *OPEN_PERIOD)
    assert code == EXIT_ERROR and one_line_error(err)
    assert err.startswith("error: plan.db cannot be changed (attempt to write a readonly database)")


def test_a_store_another_program_keeps_locked_says_so_in_one_line(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.db

    db = tmp_path / "plan.db"
    backup_sqlite(sample_db, db)
    monkeypatch.setattr(tracker.db, "BUSY_TIMEOUT_S", 0.05)  # the wait is not what is tested
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another program, mid-write
        code, _, err = run(capsys, "--db", str(db), *OPEN_PERIOD)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == EXIT_ERROR and one_line_error(err)
    assert (
        err.startswith("error: plan.db is busy: another program kept it locked")
        and "(database is locked)" in err
    )


def test_a_file_name_with_a_newline_is_named_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "two\nlines.db"), "summary")
    assert code == EXIT_ERROR and one_line_error(err)
    assert err == f"error: There is no plan at {tmp_path}/two\\nlines.db.\n"


def test_a_closed_output_pipe_is_one_line_not_an_unexpected_error(sample_db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(sample_db), "audit", "--limit", "500"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    proc.stdout.close()  # as '| head' does once it has what it wants
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_ERROR
    assert err.decode() == (
        "error: the output was closed before all of it was written (its reader, such as '| head', stopped early)\n"
    )


def test_a_full_disk_when_taking_the_lock_names_the_file_and_what_to_do(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from tracker.lock import WriteLock

    db = tmp_path / "plan.db"
    backup_sqlite(sample_db, db)

    def no_space(self: WriteLock) -> WriteLock:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))

    monkeypatch.setattr(WriteLock, "acquire", no_space)
    code, _, err = run(capsys, "--db", str(db), *OPEN_PERIOD)
    assert code == EXIT_ERROR and one_line_error(err)
    assert err == f"error: The disk is full: {db}.lock could not be written (No space left on device). " \
        "Free some space and try again.\n"  # fmt: skip


def test_a_backup_to_a_full_disk_says_where_there_is_no_room(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracker.backup

    class FullCopies:
        """sqlite3 as the backup sees it, each copy it writes capped at 20 pages."""

        def __getattr__(self, name: str) -> object:
            return getattr(sqlite3, name)

        def connect(self, target: object, *args: object, **kwargs: object) -> sqlite3.Connection:
            con = sqlite3.connect(target, *args, **kwargs)  # type: ignore[arg-type]
            if str(target).endswith(".partial"):
                con.execute("PRAGMA max_page_count = 20")
            return con

    monkeypatch.setattr(tracker.backup, "sqlite3", FullCopies())
    dest = tmp_path / "copies" / "copy.db"
    code, out, err = run(capsys, "--db", str(sample_db), "backup", str(dest))
    assert (code, out) == (EXIT_ERROR, "") and one_line_error(err)
    assert err.startswith(
        f"error: There is no room for the backup in {dest.parent} (database or disk is full)"
    )
    assert list(dest.parent.iterdir()) == []
