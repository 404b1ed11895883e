"""How many live rows a kind of item has: cheap, to decide whether a list is worth reading in the background."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import ENTITIES

from ._sql import live


def live_count(session: Session, entity: str) -> int:
    """The number of live (not deleted) rows of an audited entity, e.g. ``live_count(s, "milestone")``."""
    table = ENTITIES[entity].__table__  # type: ignore[attr-defined]
    return int(session.execute(select(func.count()).select_from(table).where(live(table))).scalar_one())
