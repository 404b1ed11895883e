"""One theme, outcome or objective with the fields the PMO edits (the plan-editing forms read it)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import literal, select
from sqlmodel import Session

from tracker.errors import NotFound

from ._sql import live, t


class PlanItem(NamedTuple):
    kind: str  # "theme", "outcome" or "objective"
    id: str
    revision: int
    parent_id: str  # the plan, theme or outcome it sits in
    code: str  # a theme's or outcome's code, an objective's ref
    title: str  # a theme's name, an outcome's or objective's title
    description: str
    retired_on: date | None
    lead_id: str | None = None
    board_id: str | None = None
    four_p: str = ""
    start_date: date | None = None
    target_date: date | None = None


def plan_item(session: Session, kind: str, item_id: str) -> PlanItem:
    """The item's editable fields; NotFound when it is gone (removed, or its adding undone)."""
    th, oc, ob = t.theme.c, t.outcome.c, t.objective.c
    if kind == "theme":
        stmt = select(literal("theme"), th.id, th.revision, th.plan_id, th.code, th.name, th.description,
                      th.retired_on).where(th.id == item_id, live(t.theme))  # fmt: skip
    elif kind == "outcome":
        stmt = select(literal("outcome"), oc.id, oc.revision, oc.theme_id, oc.code, oc.title, oc.description,
                      oc.retired_on).where(oc.id == item_id, live(t.outcome))  # fmt: skip
    elif kind == "objective":
        stmt = select(
            literal("objective"), ob.id, ob.revision, ob.outcome_id, ob.ref, ob.title, ob.description, ob.retired_on,
            ob.lead_id, ob.board_id, ob.four_p, ob.start_date, ob.target_date,
        ).where(ob.id == item_id, live(t.objective))  # fmt: skip
    else:
        raise ValueError(f"not a kind of plan item: {kind!r}")
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound(f"The {kind} has been removed (or its adding undone) since it was shown.")
    return PlanItem(*row)
