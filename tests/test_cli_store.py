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
