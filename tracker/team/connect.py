"""Connecting to a team plan as yourself: where the server is, who the server says you are, and why
a connection failed, in one line.

The password is never part of :class:`TeamServer` (which the app remembers): it is given for one
connection only, or left empty so libpq finds it in ``~/.pgpass``, ``PGPASSFILE`` or a service file.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from tracker.db import StoreError, make_engine
from tracker.team.identity import ServerIdentity, server_identity
from tracker.team.policies import LOGIN_TABLE

SSLMODES = ("prefer", "require", "verify-ca", "verify-full", "disable", "allow")
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 10


class ConnectError(StoreError):
    """A team plan that could not be connected to, said in one line with what to do."""


@dataclass(frozen=True)
class TeamServer:
    """Where a team plan is and who logs in: everything but the password."""

    host: str
    database: str
    login: str
    port: int = DEFAULT_PORT
    sslmode: str = "prefer"

    @property
    def where(self) -> str:
        """HOST/DATABASE, as the status bar says it (the port only when it is not the usual one)."""
        host = self.host if self.port == DEFAULT_PORT else f"{self.host}:{self.port}"
        return f"{host}/{self.database}"

    def url(self, password: str = "") -> str:
        """The SQLAlchemy URL; without a password libpq looks in ~/.pgpass, PGPASSFILE or a service file."""
        # a server gone without a word (a network dropped, not a refusal) is noticed in seconds, not the
        # system's TCP timeout of many minutes: unanswered data and keepalives give up after these
        query = {"connect_timeout": str(CONNECT_TIMEOUT_S), "tcp_user_timeout": str(CONNECT_TIMEOUT_S * 1000),
                 "keepalives_idle": "30", "keepalives_interval": "10", "keepalives_count": "3"}  # fmt: skip
        if self.sslmode:
            query["sslmode"] = self.sslmode
        return URL.create(
            "postgresql+psycopg",
            username=self.login,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, url: str) -> TeamServer:
        """The server, database and login of a postgresql:// URL (its password, if any, left out)."""
        u = make_url(url)
        sslmode = u.query.get("sslmode", "prefer")
        return cls(
            u.host or "localhost", u.database or "", u.username or "", u.port or DEFAULT_PORT,
            sslmode if isinstance(sslmode, str) else "prefer",
        )  # fmt: skip

    @property
    def location(self) -> str:
        """The URL without a password: what the app remembers and shows."""
        return self.url()


@dataclass(frozen=True)
class WhoYouAre:
    """The server's word on the session: the login, its role, and for a lead the person and name."""

    login: str
    role: str  # a Role value
    person_id: str | None
    name: str  # the person's name for a lead, else the login


def who_you_are(session: Session, server: TeamServer) -> WhoYouAre:
    """Who the server says this session is; ConnectError when the database is not a team plan or the
    login has no place in it."""
    has_team = session.execute(text(f"SELECT to_regclass('public.{LOGIN_TABLE}') IS NOT NULL")).scalar()
    if not has_team:
        raise ConnectError(
            f"{server.where} is not a team plan: an administrator runs `python main.py server init` on it "
            "first (see the README's Team mode)."
        )
    known: ServerIdentity | None = server_identity(session)
    if known is None:
        raise ConnectError(
            f"The login {server.login} is not one of {server.where}'s team logins: ask the PMO to add it "
            "with `users add`."
        )
    name = known.login
    if known.person_id is not None:
        found = session.execute(
            text("SELECT name FROM public.person WHERE id = :id"), {"id": known.person_id}
        ).scalar()
        name = str(found) if found else known.login
    return WhoYouAre(known.login, known.role, known.person_id, name)


def names_by_login(session: Session) -> dict[str, str]:
    """On a team plan, each lead's login and the name of the person it is (for "changed by" notes)."""
    if session.get_bind().dialect.name != "postgresql":
        return {}
    if not session.execute(text(f"SELECT to_regclass('public.{LOGIN_TABLE}') IS NOT NULL")).scalar():
        return {}
    rows = session.execute(
        text(f"SELECT l.login, p.name FROM public.{LOGIN_TABLE} l JOIN public.person p ON p.id = l.person_id")
    ).all()
    return {str(login): str(name) for login, name in rows}


def check_connection(server: TeamServer, password: str = "") -> WhoYouAre:
    """Log in once and ask who you are; ConnectError (one line, what to do) when that fails."""
    engine = make_engine(server.url(password))
    try:
        with Session(engine) as session:
            return who_you_are(session, server)
    except DBAPIError as exc:
        raise ConnectError(why_not_connected(exc, server)) from exc
    finally:
        engine.dispose()


def why_not_connected(exc: BaseException, server: TeamServer) -> str:
    """One line for a failed connection: the libpq message read for its usual causes."""
    raw = str(getattr(exc, "orig", None) or exc)
    said = raw.casefold()
    host = f"{server.host}:{server.port}"
    if "password authentication failed" in said:
        return f"The server {host} refused the password for {server.login}: check it and try again."
    if "no password supplied" in said:
        return f"The server {host} asks {server.login} for a password: type it, or put it in your ~/.pgpass file."
    if "is not permitted to log in" in said:
        return f"The login {server.login} is disabled on {host}: ask the PMO or the administrator."
    if "role" in said and "does not exist" in said:
        return f"There is no login {server.login} on {host}: check the login, or ask the PMO to add it."
    if "database" in said and "does not exist" in said:
        return f"There is no database {server.database} on {host}: check its name with the administrator."
    if "ssl" in said:
        return (
            f"Could not agree a secure connection with {host} (sslmode {server.sslmode}): {_first_line(raw)}"
        )
    unreachable = (
        "connection refused", "could not translate host name", "timeout expired", "no route to host",
        "network is unreachable", "name or service not known", "connection timed out",
        "server closed the connection", "could not connect", "connection failed",
    )  # fmt: skip
    if any(words in said for words in unreachable):
        return f"Cannot reach the server {host}: check the server name and port, and your network."
    return f"Could not connect to {host}: {_first_line(raw)}"


def is_connection_lost(exc: BaseException) -> bool:
    """Whether an error means the server went away (rather than it refusing a statement): a dropped
    connection, one that could not be made, or the server shutting down (SQLSTATE 08xxx, 57P0x)."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    import psycopg  # only a server's errors get here: a window on a file never loads the driver

    orig = exc.orig
    if not isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError):
        return False
    state = getattr(orig, "sqlstate", None)
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return lines[-1] if lines else message
