"""Who the server says the session is: the login, its group and, for a lead, the person it maps to.

On a team server this, not the name or role the client chose, decides what the services let a
person try (the server decides what they may do). None on SQLite or a server not set up for teams.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from tracker.team.policies import LOGIN_TABLE

_KEY = "tracker.team_identity"


@dataclass(frozen=True)
class ServerIdentity:
    login: str
    role: str  # a Role value
    person_id: str | None


def server_identity(session: Session) -> ServerIdentity | None:
    """The session's identity on a team server (asked once per session: its engine has one login)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if _KEY in session.info:
        cached: ServerIdentity | None = session.info[_KEY]
        return cached
    found = None
    team = session.execute(text(f"SELECT to_regclass('public.{LOGIN_TABLE}') IS NOT NULL")).scalar()
    if team:
        row = session.execute(
            text(f"SELECT login, role, person_id FROM public.{LOGIN_TABLE} WHERE login = session_user")
        ).first()
        if row is not None:
            found = ServerIdentity(str(row[0]), str(row[1]), row[2])
    session.info[_KEY] = found
    return found
