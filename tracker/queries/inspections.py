"""The live inspections of the plan, for choosing which one a recommendation belongs to."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from ._sql import live, t


class InspectionRow(NamedTuple):
    id: str
    body: str
    title: str
    published_date: date | None
    grade: str


def inspections(session: Session) -> list[InspectionRow]:
    """Live inspections, newest published first (unpublished last), then by title."""
    c = t.inspection.c
    stmt = (
        select(c.id, c.body, c.title, c.published_date, c.grade)
        .where(live(t.inspection))
        .order_by(c.published_date.desc().nulls_last(), c.title, c.id)
    )
    return [InspectionRow(*r) for r in session.execute(stmt).all()]
