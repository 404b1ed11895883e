"""The command line on stores in trouble: damaged, refused, unwritable. One line each, the true cause."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.test_store import damage_page_of
from tracker.backup import backup_sqlite
from tracker.cli import EXIT_ERROR, main


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
    assert err.splitlines()[-1].startswith("error: ") and "check(s) failed: database" in err


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
    assert code != 0 and out == "" and err.startswith("error: "), err
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
