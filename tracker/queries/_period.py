"""Every objective's status for a period and the period before: the one fetch the dashboard folds."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import and_, null, select
from sqlmodel import Session

from tracker.enums import Brag, Movement
from tracker.rules import brag, brag_label, movement

from ._sql import all_of, keep_ids, live, t
from .common import NO_UPDATE, PeriodRow
from .filters import NO_FILTERS, Filters, id_conditions, scope_conditions


class ObjectiveStatus(NamedTuple):
    id: str
    ref: str
    title: str
    theme_id: str
    lead_id: str | None
    lead_name: str
    lead_email: str
    current_lifecycle: str  # the objective's fields now, not the period's
    update_id: str | None
    lifecycle: str | None  # the period's update (None: no update)
    rag: str | None
    rationale: str
    corrective_action: str
    brag: Brag  # Grey when there is no update
    label: str
    before: Brag | None  # the status in the period compared with (None: no update there)
    before_label: str
    movement: Movement | None  # None when there is no update this period

    @property
    def has_update(self) -> bool:
        return self.update_id is not None

    @property
    def key(self) -> str:
        """The tally key: the BRAG colour, or NO_UPDATE."""
        return self.brag.value if self.has_update else NO_UPDATE


def objective_statuses(
    session: Session, period: PeriodRow, baseline: PeriodRow | None, filters: Filters = NO_FILTERS
) -> list[ObjectiveStatus]:
    """Live objectives (of live outcomes and themes) in plan order with their update for the period."""
    ob, oc, th, lead = t.objective, t.outcome, t.theme, t.person
    cur, prev = t.status.alias("cur"), t.status.alias("prev")
    prev_cols = [prev.c.id, prev.c.lifecycle, prev.c.rag] if baseline else [null(), null(), null()]
    stmt = (
        select(
            ob.c.id,
            ob.c.ref,
            ob.c.title,
            oc.c.theme_id,
            ob.c.lead_id,
            lead.c.name,
            lead.c.email,
            ob.c.lifecycle,
            cur.c.id,
            cur.c.lifecycle,
            cur.c.rag,
            cur.c.rationale,
            cur.c.corrective_action,
            *prev_cols,
        )  # fmt: skip
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(lead, lead.c.id == ob.c.lead_id)
        .outerjoin(cur, and_(cur.c.objective_id == ob.c.id, cur.c.period_id == period.id, live(cur)))
    )
    if baseline is not None:
        stmt = stmt.outerjoin(
            prev, and_(prev.c.objective_id == ob.c.id, prev.c.period_id == baseline.id, live(prev))
        )
    where = [
        live(ob),
        live(oc),
        live(th),
        *scope_conditions(filters, ob, oc),
        *id_conditions(filters, ob.c.id),
    ]
    stmt = stmt.where(all_of(where)).order_by(
        th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref
    )
    out = []
    for (oid, ref, title, theme_id, lead_id, lead_name, email, current, uid, lifecycle, rag, rationale,
         action, prev_id, prev_lifecycle, prev_rag) in keep_ids(session.execute(stmt).all(), filters.ids):  # fmt: skip
        shown = brag(lifecycle, rag)
        before = brag(prev_lifecycle, prev_rag) if prev_id is not None else None
        out.append(
            ObjectiveStatus(
                oid, ref, title, theme_id, lead_id, lead_name or "", email or "", current, uid, lifecycle,
                rag, rationale or "", action or "", shown, brag_label(lifecycle, rag), before,
                brag_label(prev_lifecycle, prev_rag),
                movement(before, shown) if uid is not None else None,
            )
        )  # fmt: skip
    return out
