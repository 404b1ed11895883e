"""Command-line mistakes each get their true cause in one line, exit 2, and change nothing
(issue 12, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import snapshot
from tests.test_cli_store import one_line_error, run, sample_db  # noqa: F401  (a fixture)
from tracker.cli import EXIT_ERROR


def rows_of(path: Path) -> object:
    from tracker.store import open_store

    with open_store(path, readonly=True) as store:
        return snapshot(store)


@pytest.fixture
def plan(sample_db: Path, tmp_path: Path) -> Path:  # noqa: F811
    from tracker.backup import backup_sqlite

    path = tmp_path / "plan.db"
    backup_sqlite(sample_db, path)
    return path


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("issue-returns", "--period", "2023/24 Q4", "--out", "{file}"), "is a file: give --out a folder"),
        (("backup", "{folder}"), "is a folder: give the backup a file name"),
        (("audit", "--entity", "spaceship"), "'spaceship' is not a kind of item: choose from board,"),
    ],
)
def test_a_wrong_target_or_name_is_refused_in_one_line(plan, tmp_path, capsys, argv, says) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a file").write_text("mine")
    (tmp_path / "a folder").mkdir()
    args = [a.format(file=tmp_path / "a file", folder=tmp_path / "a folder") for a in argv]
    before = rows_of(plan)
    code, _, err = run(capsys, "--db", str(plan), *args)
    assert code == EXIT_ERROR and one_line_error(err) and says in err, err
    assert "unexpected" not in err and rows_of(plan) == before
    assert (tmp_path / "a file").read_text() == "mine" and not any((tmp_path / "a folder").iterdir())


def test_a_location_that_is_neither_a_file_nor_a_server_is_named_as_such(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--db", "foo://bar", "summary")
    assert code == EXIT_ERROR and one_line_error(err) and "unexpected" not in err
    assert err.startswith("error: foo://bar is not a plan location: give a file path")


def test_a_server_that_refuses_the_connection_is_not_called_a_damaged_file(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--db", "postgresql+psycopg://someone@127.0.0.1:1/plan", "summary")
    assert code == EXIT_ERROR and one_line_error(err), err
    assert err.startswith("error: Could not connect to postgresql+psycopg://someone@127.0.0.1:1/plan (")
    assert "refused" in err and "check that the server is running" in err
    assert "damaged" not in err and "backup" not in err and "file" not in err


def test_init_name_without_empty_is_refused_not_ignored(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "--db", str(tmp_path / "new.db"), "init", "--name", "My plan")
    assert (
        code == EXIT_ERROR and one_line_error(err) and "--name names a blank plan: use it with --empty" in err
    )
    assert not (tmp_path / "new.db").exists()
