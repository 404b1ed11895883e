"""Moving a plan between a file and a team server (issue 14, item 6): ``server import-file`` uploads a
plan file once into an empty database, and ``backup`` from the server writes a file that opens offline."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from tests.conftest import _pg_database
from tests.team_server import PASSWORD, drop_roles, login_url, raw
from tracker.cli import main
from tracker.db import Actor, make_engine
from tracker.enums import Role, Source
from tracker.services import create_person
from tracker.store import copy_to_sqlite, open_store
from tracker.team.accounts import add_user
from tracker.team.server import init_server

pytestmark = pytest.mark.postgres

PLAN_TABLES = [t for t in SQLModel.metadata.sorted_tables if t.name != "store_meta"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample plan (closed periods, their updates, an audit log of about a thousand entries) in a file."""
    path = tmp_path_factory.mktemp("sample") / "plan.db"
    assert main(["--db", str(path), "init", "--sample"]) == 0
    return path


@contextlib.contextmanager
def empty_team() -> Iterator[SimpleNamespace]:
    """A database set up by server init, with a PMO login, and no plan."""
    databases = _pg_database()
    admin = next(databases)
    db = str(make_url(admin).database)
    try:
        init_server(admin)
        add_user(admin, f"{db}_pmo1", Role.PMO, PASSWORD)
        yield SimpleNamespace(admin=admin, db=db, pmo=login_url(admin, f"{db}_pmo1"))
    finally:
        with contextlib.suppress(StopIteration):
            next(databases)
        drop_roles(db)


@pytest.fixture
def team() -> Iterator[SimpleNamespace]:
    with empty_team() as t:
        yield t


def rows_of(url: str) -> dict[str, list[tuple]]:
    """Every plan table's rows, typed by SQLAlchemy, in key order."""
    engine = make_engine(url, readonly=url.startswith("sqlite"))
    try:
        with engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in PLAN_TABLES
            }
    finally:
        engine.dispose()


def file_url(path: Path) -> str:
    return f"sqlite:///{path}"


def plan_count(url: str) -> int:
    engine = create_engine(make_url(url))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM plan")).scalar_one())
    finally:
        engine.dispose()


def test_import_file_loads_every_row_and_the_chain_verifies_on_the_server(sample, team, capsys):
    assert main(["server", "import-file", str(sample), "--db", team.admin]) == 0
    assert f"Uploaded plan.db into {team.db}" in capsys.readouterr().out
    want, got = rows_of(file_url(sample)), rows_of(team.admin)
    assert {t: len(r) for t, r in got.items()} == {t: len(r) for t, r in want.items()}
    for table in want:
        assert got[table] == want[table], table
    assert len(want["audit_entry"]) > 1000 and want["audit_head"][0][1] == len(want["audit_entry"])
    # closed periods' updates came in; the trigger that freezes them is on again, for everyone
    closed = "SELECT count(*) FROM status_update s JOIN reporting_period p ON p.id = s.period_id WHERE p.status = 'closed'"
    with psycopg.connect(team.admin.replace("+psycopg", "")) as conn:
        assert conn.execute(closed).fetchone()[0] > 500  # type: ignore[index]
    with pytest.raises(psycopg.errors.CheckViolation, match="is closed"):
        raw(
            team.pmo,
            f"UPDATE status_update SET commentary = 'x' WHERE id IN ({closed.replace('count(*)', 's.id')})",
        )
    assert main(["check", "--db", team.pmo]) == 0
    assert main(["server", "check", "--db", team.admin]) == 0


def test_import_file_is_refused_when_the_database_holds_a_plan(sample, team, capsys):
    assert main(["server", "import-file", str(sample), "--db", team.admin]) == 0
    before = rows_of(team.admin)
    capsys.readouterr()
    assert main(["server", "import-file", str(sample), "--db", team.admin]) == 2
    err = capsys.readouterr().err
    assert f"{team.db} already holds a plan (plan has rows)" in err and "\n" not in err.strip()
    assert rows_of(team.admin) == before


def test_import_file_needs_server_init_first(sample, capsys):
    databases = _pg_database()
    admin = next(databases)
    try:
        assert main(["server", "import-file", str(sample), "--db", admin]) == 2
        assert "is not set up for team work yet: run server init" in capsys.readouterr().err
    finally:
        next(databases, None)


def test_import_file_maps_people_to_existing_logins(sample, team, capsys):
    login = f"{team.db}_j.khan"
    raw(team.admin, f'CREATE ROLE "{login}" LOGIN')  # made by the force's IT, say, before the upload
    person = "Communications Lead"
    assert main(["server", "import-file", str(sample), "--db", team.admin, "--map", f"{person}={login}"]) == 0
    assert f"{login} is {person} in the plan (a lead)." in capsys.readouterr().out
    assert main(["users", "list", "--db", team.admin]) == 0
    listed = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith(login)]
    assert listed and "lead" in listed[0] and person in listed[0]
    # the server now treats the login as that lead: it may write its own objectives' open updates only
    url = login_url(team.admin, login)
    mine = (
        "SELECT s.id FROM status_update s JOIN objective o ON o.id = s.objective_id "
        "JOIN person p ON p.id = o.lead_id JOIN reporting_period r ON r.id = s.period_id "
        f"WHERE r.status = 'open' AND p.name {{}} '{person}'"
    )
    assert raw(url, f"UPDATE status_update SET commentary = 'mine' WHERE id IN ({mine.format('=')})") > 0
    assert (
        raw(url, f"UPDATE status_update SET commentary = 'not mine' WHERE id IN ({mine.format('<>')})") == 0
    )


@pytest.mark.parametrize(
    ("mapping", "said"),
    [
        ("Nobody In Particular={login}", "has no active person called 'Nobody In Particular'"),
        ("Communications Lead={db}_nobody", "there is no login {db}_nobody on the server"),
        ("Communications Lead", 'is not "Person Name=login"'),
    ],
)
def test_a_refused_import_leaves_the_database_as_it_was(sample, team, capsys, mapping, said):
    login = f"{team.db}_lead_x"
    raw(team.admin, f'CREATE ROLE "{login}" LOGIN')
    code = main(["server", "import-file", str(sample), "--db", team.admin,
                 "--map", mapping.format(login=login, db=team.db)])  # fmt: skip
    assert code == 2
    assert said.format(db=team.db) in capsys.readouterr().err
    assert plan_count(team.admin) == 0  # all or nothing: the rows loaded before the refusal are gone
    assert all(not rows for table, rows in rows_of(team.admin).items() if table != "audit_head")
    assert main(["server", "check", "--db", team.admin]) == 0  # the frozen-updates trigger is on


def test_backup_from_the_server_round_trips_the_plan_and_its_audit_chain(sample, team, tmp_path, capsys):
    assert main(["server", "import-file", str(sample), "--db", team.admin]) == 0
    copy = tmp_path / "offline.db"
    assert main(["backup", "--db", team.pmo, "--out", str(copy)]) == 0
    assert "(verified)" in capsys.readouterr().out
    assert rows_of(file_url(copy)) == rows_of(file_url(sample))  # every row, and the audit log entry by entry
    assert not copy.with_name("offline.db.building").exists()
    capsys.readouterr()
    assert main(["check", "--db", str(copy)]) == 0
    assert main(["summary", "--db", str(copy)]) == 0
    assert "EMSOU" in capsys.readouterr().out


def test_a_backup_holds_the_server_as_it_was_when_it_started(sample, team, tmp_path):
    """People keep working while a backup is taken: the copy is one moment's plan and log, which verify."""
    assert main(["server", "import-file", str(sample), "--db", team.admin]) == 0
    pmo = Actor("PMO analyst", Source.APP, role=Role.PMO)
    wrote = []

    def meanwhile(done: int, total: int) -> None:
        if not wrote:  # after the first batch of the copy, someone adds a person
            with open_store(team.pmo) as store, store.write() as session:
                create_person(session, actor=pmo, data={"name": "Added meanwhile"})
            wrote.append(done)

    with open_store(team.pmo, readonly=True) as server:
        before = rows_of(team.pmo)
        copy_to_sqlite(server.engine, tmp_path / "copy.db", progress=meanwhile)
    assert wrote
    assert rows_of(file_url(tmp_path / "copy.db")) == before
    assert main(["check", "--db", str(tmp_path / "copy.db")]) == 0


def test_an_administrator_who_is_not_a_superuser_uploads_a_plan(sample, capsys):
    """As documented: a login with CREATEROLE that owns the database, acting as the owner role."""
    databases = _pg_database()
    url = next(databases)
    db = str(make_url(url).database)
    admin, lead = f"{db}_admin", f"{db}_c.lead"
    raw(url, f'CREATE ROLE "{admin}" LOGIN CREATEROLE')
    raw(url, f'ALTER DATABASE "{db}" OWNER TO "{admin}"')
    raw(url, f'CREATE ROLE "{lead}" LOGIN')
    admin_url = login_url(url, admin)
    try:
        assert main(["server", "init", "--db", admin_url]) == 0
        assert main(["server", "import-file", str(sample), "--db", admin_url,
                     "--map", f"Communications Lead={lead}"]) == 0, capsys.readouterr().err  # fmt: skip
        assert rows_of(url) == rows_of(file_url(sample))
        assert main(["server", "check", "--db", admin_url]) == 0
    finally:
        next(databases, None)
        drop_roles(db)
