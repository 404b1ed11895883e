"""Connecting to a team plan (issue 14, item 4): who the server says you are, and one line saying
why a connection failed, read from the server's own refusals."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _pg_database
from tests.team_server import raw, team_server
from tracker.enums import Role
from tracker.team.accounts import disable_user
from tracker.team.connect import ConnectError, TeamServer, check_connection

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def team():
    with team_server() as t:
        yield t


def server_for(url: str, **changes) -> TeamServer:
    u = make_url(url)
    return TeamServer(**{"host": u.host, "port": u.port, "database": u.database, "login": u.username,
                         "sslmode": "disable", **changes})  # fmt: skip


def test_the_server_says_who_you_are(team):
    lead = check_connection(server_for(team.lead_a))
    assert (lead.login, lead.role, lead.person_id, lead.name) == (
        team.logins.lead_a, Role.LEAD, team.ids.lead, "Head of Intelligence",
    )  # fmt: skip
    pmo = check_connection(server_for(team.pmo))
    assert (pmo.role, pmo.person_id, pmo.name) == (Role.PMO, None, team.logins.pmo)
    assert check_connection(server_for(team.viewer)).role == Role.VIEWER


def test_the_url_remembered_holds_no_password():
    server = TeamServer("db.example.org", "delivery_plan", "j.khan", sslmode="require")
    assert "secret" in server.url("secret")
    assert "secret" not in server.location and "j.khan@db.example.org" in server.location
    assert server.where == "db.example.org/delivery_plan"
    assert TeamServer.from_url(server.url("secret")) == server


def test_an_unknown_database_is_named(team):
    with pytest.raises(ConnectError, match="^There is no database no_such_plan on .*check its name"):
        check_connection(server_for(team.lead_a, database="no_such_plan"))


def test_an_unknown_login_is_named(team):
    with pytest.raises(ConnectError, match="^There is no login nobody_here on "):
        check_connection(server_for(team.lead_a, login="nobody_here"))


def test_a_server_that_is_not_there_is_unreachable(team):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectError, match=f"^Cannot reach the server 127.0.0.1:{port}: check"):
        check_connection(server_for(team.lead_a, port=port))


def test_a_database_without_server_init_is_not_a_team_plan():
    databases = _pg_database()
    url = next(databases)
    try:
        with pytest.raises(ConnectError, match="is not a team plan: an administrator runs .*server init"):
            check_connection(server_for(url))
    finally:
        next(databases, None)


def test_a_login_that_is_not_one_of_the_plans_is_told_so(team):
    # the cluster's superuser can log in, but the plan does not know it as a person or role
    with pytest.raises(ConnectError, match="is not one of .* team logins: ask the PMO"):
        check_connection(server_for(team.admin))


def test_a_disabled_login_is_told_so(team):
    login = f"{team.db}_leaver"
    from tracker.team.accounts import add_user

    add_user(team.admin, login, Role.VIEWER, "not-used")
    assert check_connection(server_for(team.admin, login=login)).role == Role.VIEWER
    disable_user(team.admin, login)
    with pytest.raises(ConnectError, match=f"^The login {login} is disabled on .*ask the PMO"):
        check_connection(server_for(team.admin, login=login))
    assert raw(team.pmo, "SELECT 1") == 1  # the others still log in
