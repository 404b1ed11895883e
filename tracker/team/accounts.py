"""People's logins on a team server: add one to a group (a lead mapped to a person), list, disable.

Each person logs in as their own PostgreSQL role. The password is hashed by libpq on this machine
(SCRAM-SHA-256) before it is sent, so neither the server's statement log nor ours ever holds it;
the app never writes it anywhere. Disabling a login takes away LOGIN and keeps the role, its
mapping and everything it did in the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, text

from tracker.db import StoreError
from tracker.enums import Role
from tracker.team.catalog import read_catalog
from tracker.team.policies import LOGIN_TABLE, Roles, q
from tracker.team.server import server_engine

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.@-]{0,62}$")


class AccountError(StoreError):
    """A refusal worded for the administrator."""


@dataclass(frozen=True)
class Account:
    login: str
    role: str
    person: str  # the person's name in the plan ("" for the PMO and viewers)
    can_log_in: bool


def add_user(url: str, login: str, role: str, password: str, *, person: str | None = None) -> Account:
    """Create ``login`` in the group for ``role``; a lead names the active person they are."""
    if not _LOGIN.match(login):
        raise AccountError(
            f"{login!r} is not a login name this app makes: use lower-case letters, digits and _ . @ - "
            "(starting with a letter or _), at most 63 characters"
        )
    role = Role(role).value
    if not password:
        raise AccountError("the password is empty: give one (it is asked twice, or read from standard input)")
    engine = server_engine(url)
    try:
        with engine.begin() as conn:
            cat = read_catalog(conn)
            roles = Roles(cat.database)
            if roles.owner not in cat.roles or LOGIN_TABLE not in cat.table_owner:
                raise AccountError(f"{cat.database} is not set up for team work yet: run server init first")
            if login in (roles.owner, *roles.groups):
                raise AccountError(
                    f"{login} is the name of one of the team's own roles; choose another login name"
                )
            if login in cat.roles:
                raise AccountError(f"the login {login} already exists on this server; choose another name")
            person_id, person_name = _person(conn, person, role)
            verifier = _scram(conn, login, password)
            _run(conn, sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD {} IN ROLE {}")
                 .format(sql.Identifier(login), sql.Literal(verifier), sql.Identifier(roles.group(role))))  # fmt: skip
            conn.execute(text(f"SET LOCAL ROLE {q(roles.owner)}"))  # the mapping belongs to the owner
            conn.execute(
                text(f"INSERT INTO public.{LOGIN_TABLE} (login, person_id, role) VALUES (:l, :p, :r)"),
                {"l": login, "p": person_id, "r": role},
            )
    finally:
        engine.dispose()
    return Account(login, role, person_name, True)


def list_users(url: str) -> list[Account]:
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    f"SELECT t.login, t.role, coalesce(p.name, ''), coalesce(r.rolcanlogin, false) "
                    f"FROM public.{LOGIN_TABLE} t LEFT JOIN public.person p ON p.id = t.person_id "
                    "LEFT JOIN pg_roles r ON r.rolname = t.login ORDER BY t.role, t.login"
                )
            ).all()
    finally:
        engine.dispose()
    return [Account(*row) for row in rows]


def disable_user(url: str, login: str) -> bool:
    """Take LOGIN away (True), or False when it was already disabled; the role and its history stay."""
    engine = server_engine(url)
    try:
        with engine.begin() as conn:
            known = conn.execute(
                text(f"SELECT 1 FROM public.{LOGIN_TABLE} WHERE login = :l"), {"l": login}
            ).first()
            can = conn.execute(
                text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :l"), {"l": login}
            ).scalar()
            if known is None or can is None:
                raise AccountError(f"there is no team login {login}; see users list")
            if not can:
                return False
            _run(conn, sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
            return True
    finally:
        engine.dispose()


def _person(conn: Connection, name: str | None, role: str) -> tuple[str | None, str]:
    if role != Role.LEAD:
        if name:
            raise AccountError("--person is for leads: the PMO and viewers are not mapped to a person")
        return None, ""
    if not name:
        raise AccountError("a lead needs --person NAME: the person in the plan whose items they write")
    rows = conn.execute(
        text("SELECT id, name FROM public.person WHERE lower(name) = lower(:n) AND active AND NOT deleted"),
        {"n": name.strip()},
    ).all()
    if not rows:
        raise AccountError(
            f"there is no active person called {name!r} in the plan; add them first (People page)"
        )
    if len(rows) > 1:
        raise AccountError(
            f"more than one active person is called {name!r}; rename one so the login maps to one"
        )
    return rows[0][0], rows[0][1]


def _scram(conn: Connection, login: str, password: str) -> str:
    """The SCRAM verifier for the password, computed by libpq here: the password never leaves this machine."""
    raw: Any = conn.connection.driver_connection
    return bytes(raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")).decode()


def _run(conn: Connection, statement: sql.Composed) -> None:
    """A DDL statement composed with quoted names and literals (DDL takes no parameters)."""
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(statement)
