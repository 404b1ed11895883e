"""How many live rows a kind of item has: cheap, to decide whether a list is worth reading in the background."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import ENTITIES, Kind

from ._sql import live


def live_count(session: Session, kind: Kind) -> int:
    """The number of live (not deleted) rows of a kind of item, e.g. ``live_count(s, Kind.MILESTONE)``."""
    table = ENTITIES[kind].__table__  # type: ignore[attr-defined]  # SQLModel's stubs lack __table__
    return int(session.execute(select(func.count()).select_from(table).where(live(table))).scalar_one())
