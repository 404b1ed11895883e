"""The command line of team mode: server init / check and users add / list / disable (issue 14)."""

from __future__ import annotations

import io
import logging

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _pg_database
from tests.team_server import drop_roles, libpq_url, login_url, raw, team_server
from tracker import cli
from tracker.cli import main

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def team():
    with team_server() as t:
        yield t


@pytest.fixture
def stdin(monkeypatch):
    """Standard input that is not a terminal, as in a script."""

    def give(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return give


def test_server_init_twice_then_check(capsys):
    databases = _pg_database()
    admin = next(databases)
    try:
        assert main(["server", "init", "--db", admin]) == 0
        out = capsys.readouterr().out
        assert "created the plan's tables" in out and "is set up for team work" in out
        assert main(["server", "init", "--db", admin]) == 0
        assert "already set up for team work: nothing changed" in capsys.readouterr().out
        assert main(["server", "check", "--db", admin]) == 0
        assert "enforces the team plan's roles" in capsys.readouterr().out
    finally:
        next(databases, None)
        drop_roles(str(make_url(admin).database))


def test_server_check_exits_non_zero_with_one_line_per_finding(team, capsys):
    raw(team.admin, "ALTER TABLE risk DISABLE ROW LEVEL SECURITY")
    try:
        assert main(["server", "check", "--db", team.admin]) == 1
        captured = capsys.readouterr()
        assert (
            "table risk does not have row-level security enabled: run server init"
            in captured.out.splitlines()
        )
        assert "problems found" in captured.err
    finally:
        main(["server", "init", "--db", team.admin])
    capsys.readouterr()
    assert main(["server", "check", "--db", team.admin]) == 0


def test_server_needs_a_server_url(capsys, tmp_path):
    assert main(["server", "check", "--db", str(tmp_path / "plan.db")]) == cli.EXIT_ERROR
    assert "give the server with --db postgresql+psycopg://" in capsys.readouterr().err


def test_users_add_reads_the_password_from_stdin_and_the_login_works(team, stdin, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    login = f"{team.db}_lead_c"
    stdin("correct horse battery\n")
    assert (
        main(["users", "add", login, "--role", "lead", "--person", "business analyst", "--db", team.admin])
        == 0
    )
    out = capsys.readouterr().out
    assert f"Added {login} as a lead, who is Business Analyst in the plan." in out
    assert "correct horse" not in out + caplog.text
    verifier = raw_one(team.admin, f"SELECT rolpassword FROM pg_authid WHERE rolname = '{login}'")
    assert verifier.startswith("SCRAM-SHA-256$") and "correct horse" not in verifier
    assert raw_one(login_url(team.admin, login), "SELECT public.tracker_person()") == team.ids.spare

    assert main(["users", "list", "--db", team.admin]) == 0
    listing = capsys.readouterr().out
    assert login in listing and "Business Analyst" in listing


def test_users_add_asks_twice_at_a_terminal(team, monkeypatch, capsys):
    answers = iter(["one password", "another"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["users", "add", f"{team.db}_typo", "--role", "viewer", "--db", team.admin]) == cli.EXIT_ERROR
    assert "the two passwords differ; nothing was changed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--role", "lead"], "a lead needs --person NAME"),
        (["--role", "lead", "--person", "Former Lead"], "no active person called 'Former Lead'"),
        (["--role", "viewer", "--person", "Business Analyst"], "--person is for leads"),
    ],
)
def test_users_add_refuses_with_a_reason(team, stdin, capsys, args, said):
    stdin("pw\n")
    assert main(["users", "add", f"{team.db}_nobody", *args, "--db", team.admin]) == cli.EXIT_ERROR
    assert said in capsys.readouterr().err
    assert raw_one(team.admin, f"SELECT count(*) FROM pg_roles WHERE rolname = '{team.db}_nobody'") == 0


def test_users_add_refuses_an_existing_login(team, stdin, capsys):
    stdin("pw\n")
    assert (
        main(["users", "add", team.logins.lead_b, "--role", "viewer", "--db", team.admin]) == cli.EXIT_ERROR
    )
    assert "already exists" in capsys.readouterr().err


def test_users_disable_stops_the_login_and_keeps_its_history(team, stdin, capsys):
    login = f"{team.db}_leaver"
    stdin("pw\n")
    main(["users", "add", login, "--role", "viewer", "--db", team.admin])
    assert raw_one(login_url(team.admin, login), "SELECT 1") == 1
    assert main(["users", "disable", login, "--db", team.admin]) == 0
    assert "can no longer log in" in capsys.readouterr().out
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        raw(login_url(team.admin, login), "SELECT 1")
    assert main(["users", "disable", login, "--db", team.admin]) == 0
    assert "already disabled" in capsys.readouterr().out
    assert raw_one(team.admin, f"SELECT role FROM team_login WHERE login = '{login}'") == "viewer"


def raw_one(url: str, statement: str):
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(statement).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return row[0]


def test_an_administrator_who_is_not_a_superuser_sets_up_the_server(stdin, capsys):
    """The documented case: a login with CREATEROLE that owns the database, not the cluster's superuser."""
    databases = _pg_database()
    url = next(databases)
    db = str(make_url(url).database)
    admin = f"{db}_admin"
    raw(url, f'CREATE ROLE "{admin}" LOGIN CREATEROLE')
    raw(url, f'ALTER DATABASE "{db}" OWNER TO "{admin}"')
    admin_url = login_url(url, admin)
    try:
        assert main(["server", "init", "--db", admin_url]) == 0
        capsys.readouterr()
        assert main(["server", "init", "--db", admin_url]) == 0
        assert "nothing changed" in capsys.readouterr().out
        stdin("pw\n")
        assert main(["users", "add", f"{db}_pmo1", "--role", "pmo", "--db", admin_url]) == 0
        assert main(["server", "check", "--db", admin_url]) == 0, capsys.readouterr()
    finally:
        next(databases, None)
        drop_roles(db)


def test_a_refusal_by_the_server_is_one_plain_line(team, capsys):
    assert main(["periods", "--db", team.viewer, "open", "2025/26 Q1", "--start", "01/04/2025",
                 "--end", "30/06/2025"]) == cli.EXIT_ERROR  # fmt: skip
    err = capsys.readouterr().err
    assert "refused the change (permission denied for table reporting_period)" in err
    assert len(err.strip().splitlines()) == 1
