"""What a period report prints about each objective: where it sits, its update and the one before."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, null, select
from sqlmodel import Session

from tracker.enums import Brag, Movement
from tracker.rules import brag, brag_label

from ._period import carried_statuses, status_movement
from ._sql import in_plan, live, t
from .common import find_period, period_before, periods


class PeriodObjectiveRow(NamedTuple):
    id: str
    ref: str
    title: str
    theme_code: str
    theme_name: str
    outcome_code: str
    outcome_title: str
    lead_name: str
    four_p: str
    has_update: bool
    lifecycle: str | None  # the period's update, or the closed one carried forward (None: no status)
    brag: Brag
    label: str
    progress_pct: int | None
    rationale: str
    corrective_action: str
    commentary: str
    next_steps: str
    author: str
    reported_at: datetime | None
    before: Brag | None  # the status in the period before (None: no update there, or no period)
    before_label: str
    movement: Movement | None  # None when there is no status this period
    carried_from: str = ""  # closed in this earlier period and not reported since: the status carries

    @property
    def has_status(self) -> bool:
        """Reported this period, or closed earlier and carried forward."""
        return self.has_update or bool(self.carried_from)


def period_objective_rows(session: Session, period_id: str) -> tuple[str | None, list[PeriodObjectiveRow]]:
    """The previous period's name and every live objective in the plan at the period's start, in plan
    order, with both updates (one SELECT)."""
    rows = periods(session)
    this = find_period(rows, period_id)
    prev_period = period_before(rows, this)
    ob, oc, th, lead = t.objective, t.outcome, t.theme, t.person
    cur, prev = t.status.alias("cur"), t.status.alias("prev")
    prev_cols = [prev.c.id, prev.c.lifecycle, prev.c.rag] if prev_period else [null(), null(), null()]
    stmt = (
        select(
            ob.c.id,
            ob.c.ref,
            ob.c.title,
            th.c.code,
            th.c.name,
            oc.c.code,
            oc.c.title,
            lead.c.name,
            ob.c.four_p,
            cur.c.id,
            cur.c.lifecycle,
            cur.c.rag,
            cur.c.progress_pct,
            cur.c.rationale,
            cur.c.corrective_action,
            cur.c.commentary,
            cur.c.next_steps,
            cur.c.author,
            cur.c.reported_at,
            *prev_cols,
        )  # fmt: skip
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .outerjoin(lead, lead.c.id == ob.c.lead_id)
        .outerjoin(cur, and_(cur.c.objective_id == ob.c.id, cur.c.period_id == this.id, live(cur)))
    )
    if prev_period is not None:
        stmt = stmt.outerjoin(
            prev, and_(prev.c.objective_id == ob.c.id, prev.c.period_id == prev_period.id, live(prev))
        )
    in_plan_then = (in_plan(x, this.start) for x in (ob, oc, th))  # retired by its start: not reported
    stmt = stmt.where(live(ob), live(oc), live(th), *in_plan_then).order_by(
        th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref
    )
    # Closed earlier and not reported since: the closed status carries forward, as on the dashboard.
    found = carried_statuses(session, this.start, *([prev_period.start] if prev_period else []))
    carried, carried_before = found[0], found[1] if prev_period else {}
    out = []
    for (oid, ref, title, tcode, tname, occode, octitle, lead_name, four_p, uid, lifecycle, rag, pct,
         rationale, action, commentary, steps, author, at, prev_id, prev_lifecycle, prev_rag,
         ) in session.execute(stmt).all():  # fmt: skip
        carried_id, carried_name, label = None, "", "No update"
        if uid is None and oid in carried:
            (lifecycle, carried_id, carried_name), rag = carried[oid], None
            label = brag_label(lifecycle, rag)
        if prev_id is None and oid in carried_before:
            (prev_lifecycle, prev_id, _), prev_rag = carried_before[oid], None
        has = uid is not None
        shown = brag(lifecycle, rag)
        before = brag(prev_lifecycle, prev_rag) if prev_id is not None else None
        out.append(
            PeriodObjectiveRow(
                oid, ref, title, tcode, tname, occode, octitle, lead_name or "", four_p or "", has,
                lifecycle, shown, brag_label(lifecycle, rag) if has else label, pct, rationale or "",
                action or "", commentary or "", steps or "", author or "", at, before,
                brag_label(prev_lifecycle, prev_rag) if prev_id is not None else "",
                status_movement(uid, carried_id, before, shown), carried_name,
            )
        )  # fmt: skip
    return (prev_period.name if prev_period else None), out
