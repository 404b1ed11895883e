"""Every objective's status for a period and the period before: the one fetch the dashboard folds.

An objective closed in an earlier period (its latest earlier update says complete or cancelled) and
not reported since carries that closed status forward: it shows Blue or Grey-cancelled, expects no
return, and has not moved.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, Subquery, and_, exists, literal, null, select
from sqlmodel import Session

from tracker.enums import Brag, Lifecycle, Movement
from tracker.rules import brag, brag_label, movement

from ._sql import all_of, keep_ids, live, t
from .common import NO_UPDATE, PeriodRow
from .filters import NO_FILTERS, Filters, id_conditions, scope_conditions

CLOSED_LIFECYCLES = (Lifecycle.COMPLETE.value, Lifecycle.CANCELLED.value)


class ObjectiveStatus(NamedTuple):
    id: str
    ref: str
    title: str
    theme_id: str
    lead_id: str | None
    lead_name: str
    lead_email: str
    current_lifecycle: str  # the objective's fields now, not the period's
    update_id: str | None  # the period's own update (None: not reported this period)
    lifecycle: str | None  # the period's update's, or the carried closed one (None: no status)
    rag: str | None
    rationale: str
    corrective_action: str
    brag: Brag  # Grey when there is no status
    label: str
    before: Brag | None  # the status in the period compared with (None: no status there)
    before_label: str
    movement: Movement | None  # None when there is no status this period
    carried_from_id: str | None = None  # the period whose closing update is carried forward
    carried_from: str = ""  # that period's name, for "Complete since 2022/23 Q1"

    @property
    def has_update(self) -> bool:
        """Reported for this period (a carried closed status is not a report)."""
        return self.update_id is not None

    @property
    def is_carried(self) -> bool:
        return self.carried_from_id is not None

    @property
    def has_status(self) -> bool:
        """Reported this period, or closed earlier and carried forward."""
        return self.update_id is not None or self.carried_from_id is not None

    @property
    def key(self) -> str:
        """The tally key: the BRAG colour, or NO_UPDATE."""
        return self.brag.value if self.has_status else NO_UPDATE


def carried_closed(period_start: date) -> Subquery:
    """Per objective, its latest update before a period starting on ``period_start``, when that update
    closed it and nothing was reported since (so also not in the period itself)."""
    c, cp = t.status.alias("carried"), t.period.alias("carried_period")
    return (
        select(c.c.objective_id, c.c.lifecycle, cp.c.id.label("period_id"), cp.c.name.label("period_name"))
        .join(cp, cp.c.id == c.c.period_id)
        .where(*carry_conditions(c, cp, period_start))
        .subquery()
    )


def carry_conditions(
    update: FromClause, update_period: FromClause, period_start: ColumnElement[Any] | date
) -> list[ColumnElement[bool]]:
    """The update (in its period) is a closing one that a period starting on ``period_start`` carries:
    earlier, complete or cancelled, and the objective's last live update up to that start."""
    later, lp = t.status.alias("later"), t.period.alias("later_period")
    reported_since = (
        select(literal(1))
        .select_from(later.join(lp, lp.c.id == later.c.period_id))
        .where(
            later.c.objective_id == update.c.objective_id,
            live(later),
            live(lp),
            lp.c.start_date > update_period.c.start_date,
            lp.c.start_date <= period_start,
        )
    )
    return [
        live(update),
        live(update_period),
        update.c.lifecycle.in_(CLOSED_LIFECYCLES),
        update_period.c.start_date < period_start,
        ~exists(reported_since),
    ]


def objective_statuses(
    session: Session, period: PeriodRow, baseline: PeriodRow | None, filters: Filters = NO_FILTERS
) -> list[ObjectiveStatus]:
    """Live objectives (of live outcomes and themes) in plan order with their status for the period.

    One statement: each objective's update for the period (and the baseline), or the closed status
    it carries forward into them.
    """
    ob, oc, th, lead = t.objective, t.outcome, t.theme, t.person
    cur, prev = t.status.alias("cur"), t.status.alias("prev")
    carry = carried_closed(period.start)
    prev_cols: list[Any] = [null()] * 5
    if baseline is not None:
        carry_before = carried_closed(baseline.start).alias("carried_before")
        prev_cols = [
            prev.c.id,
            prev.c.lifecycle,
            prev.c.rag,
            carry_before.c.lifecycle,
            carry_before.c.period_id,
        ]
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
            carry.c.lifecycle,
            carry.c.period_id,
            carry.c.period_name,
            *prev_cols,
        )  # fmt: skip
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(lead, lead.c.id == ob.c.lead_id)
        .outerjoin(cur, and_(cur.c.objective_id == ob.c.id, cur.c.period_id == period.id, live(cur)))
        .outerjoin(carry, carry.c.objective_id == ob.c.id)
    )
    if baseline is not None:
        stmt = stmt.outerjoin(
            prev, and_(prev.c.objective_id == ob.c.id, prev.c.period_id == baseline.id, live(prev))
        ).outerjoin(carry_before, carry_before.c.objective_id == ob.c.id)
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
    seen: set[str] = set()  # two periods starting the same day could carry two rows
    for (oid, ref, title, theme_id, lead_id, lead_name, email, current, uid, lifecycle, rag, rationale,
         action, carried, carried_id, carried_name, prev_id, prev_lifecycle, prev_rag, prev_carried,
         prev_carried_id) in keep_ids(session.execute(stmt).all(), filters.ids):  # fmt: skip
        if oid in seen:
            continue
        seen.add(oid)
        if uid is not None or carried is None:
            carried_id, carried_name = None, ""
        else:
            lifecycle, rag = carried, None
        if prev_id is None and prev_carried_id is not None:
            prev_id, prev_lifecycle, prev_rag = prev_carried_id, prev_carried, None
        shown = brag(lifecycle, rag)
        before = brag(prev_lifecycle, prev_rag) if prev_id is not None else None
        out.append(
            ObjectiveStatus(
                oid, ref, title, theme_id, lead_id, lead_name or "", email or "", current, uid, lifecycle,
                rag, rationale or "", action or "", shown, brag_label(lifecycle, rag), before,
                brag_label(prev_lifecycle, prev_rag), _moved(uid, carried_id, before, shown),
                carried_id, carried_name or "",
            )
        )  # fmt: skip
    return out


def _moved(
    update_id: str | None, carried_id: str | None, before: Brag | None, shown: Brag
) -> Movement | None:
    if update_id is not None:
        return movement(before, shown)
    if carried_id is None:
        return None
    # A carried status is never news: against the period before it is always the same status.
    return movement(before, shown) if before is not None else Movement.UNCHANGED
