"""Every objective's status for a period and the period before: the one fetch the dashboard folds.

An objective closed in an earlier period (its latest earlier update says complete or cancelled) and
not reported since carries that closed status forward: it shows Blue or Grey-cancelled, expects no
return, and has not moved.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, Select, and_, exists, func, literal, null, select, union_all
from sqlmodel import Session

from tracker.enums import Brag, Movement
from tracker.rules import CLOSED_LIFECYCLES as RULE_CLOSED
from tracker.rules import brag, brag_label, movement

from ._sql import RowShape, all_of, driver_rows, in_plan, keep_ids, live, t
from .common import NO_UPDATE, PeriodRow, person_contacts
from .filters import NO_FILTERS, Filters, id_conditions, scope_conditions

CLOSED_LIFECYCLES = tuple(sorted(lc.value for lc in RULE_CLOSED))


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


# The period's own lifecycle and RAG give way to a closed status carried forward; the baseline
# period's update (the period compared with) is read only to work out before and movement.
STATUS = RowShape(
    ObjectiveStatus,
    derived=("lead_name", "lead_email", "brag", "label", "before", "before_label", "movement",
             "carried_from_id", "carried_from"),
    converted=("lifecycle", "rag"),
    inputs=("baseline_update_id", "baseline_lifecycle", "baseline_rag"),
)  # fmt: skip


def carry_conditions(
    update: FromClause,
    update_period: FromClause,
    period_start: ColumnElement[Any] | date,
    *,
    own: bool = False,
) -> list[ColumnElement[bool]]:
    """The update (in its period) is a closing one that a period starting on ``period_start`` carries:
    earlier, complete or cancelled, and the objective's last live update up to that start.
    ``own`` counts the period's own update too (one closing it in that very period)."""
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
        update_period.c.start_date <= period_start if own else update_period.c.start_date < period_start,
        ~exists(reported_since),
    ]


def closed_objectives(period_start: date) -> Select[Any]:
    """The objectives complete or cancelled as reported for a period starting on this date (closed in
    it or carried from before): their unfinished milestones are not pursued in that period's views.

    The same objectives as :func:`objective_statuses` gives a closed lifecycle for the period.
    """
    u, up = t.status.alias("closing"), t.period.alias("closing_period")
    return (
        select(u.c.objective_id)
        .select_from(u.join(up, up.c.id == u.c.period_id))
        .where(*carry_conditions(u, up, period_start, own=True))
    )


def carried_statuses(session: Session, *starts: date) -> list[dict[str, tuple[str, str, str]]]:
    """For periods starting on each date: objective id -> (closed lifecycle, period id, period name) of
    the closing update it carries forward. One statement for all the dates."""
    parts = []
    for n, start in enumerate(starts):
        c, cp = t.status.alias(f"carried_{n}"), t.period.alias(f"carried_period_{n}")
        parts.append(
            select(literal(n), c.c.objective_id, c.c.lifecycle, cp.c.id, cp.c.name, cp.c.start_date)
            .join(cp, cp.c.id == c.c.period_id)
            .where(*carry_conditions(c, cp, start))
        )
    out: list[dict[str, tuple[str, str, str]]] = [{} for _ in starts]
    if not parts:
        return out
    rows = session.execute(parts[0] if len(parts) == 1 else union_all(*parts)).all()
    # Two periods starting on the same day could both qualify: the later-named one wins, as in periods().
    for n, oid, lifecycle, pid, name, _start in sorted(rows, key=lambda r: (r[5], r[4])):
        out[n][oid] = (lifecycle, pid, name)
    return out


def objective_statuses(
    session: Session, period: PeriodRow, baseline: PeriodRow | None, filters: Filters = NO_FILTERS
) -> list[ObjectiveStatus]:
    """Live objectives (of live outcomes and themes) in the plan at the period's start, in plan order,
    with their status for the period.

    Two statements: each objective's update for the period (and the baseline), then the closed
    statuses carried forward into them.
    """
    ob, oc, th = t.objective, t.outcome, t.theme
    cur, prev = t.status.alias("cur"), t.status.alias("prev")
    columns = {
        "id": ob.c.id,
        "ref": ob.c.ref,
        "title": ob.c.title,
        "theme_id": oc.c.theme_id,
        "lead_id": ob.c.lead_id,
        "current_lifecycle": ob.c.lifecycle,
        "update_id": cur.c.id,
        "lifecycle": cur.c.lifecycle,
        "rag": cur.c.rag,
        "rationale": func.coalesce(cur.c.rationale, ""),
        "corrective_action": func.coalesce(cur.c.corrective_action, ""),
        "baseline_update_id": prev.c.id if baseline else null(),
        "baseline_lifecycle": prev.c.lifecycle if baseline else null(),
        "baseline_rag": prev.c.rag if baseline else null(),
    }
    stmt = (
        STATUS.select(columns)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
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
        *(in_plan(x, period.start) for x in (ob, oc, th)),
        *scope_conditions(filters, ob, oc),
        *id_conditions(filters, ob.c.id),
    ]
    stmt = stmt.where(all_of(where)).order_by(
        th.c.ordinal, th.c.code, oc.c.ordinal, oc.c.code, ob.c.ordinal, ob.c.ref
    )
    rows = keep_ids(driver_rows(session, stmt), filters.ids)
    found = carried_statuses(session, period.start, *([baseline.start] if baseline else []))
    carried, carried_before = found[0], found[1] if baseline else {}
    leads = person_contacts(session)  # a few hundred people: read once rather than joined per objective
    nobody = ("", "")
    read = STATUS.getter("id", "lead_id", "update_id", "lifecycle", "rag",
                         "baseline_update_id", "baseline_lifecycle", "baseline_rag")  # fmt: skip
    make = STATUS.make
    out = []
    for r in rows:
        oid, lead_id, uid, lifecycle, rag, prev_id, prev_lifecycle, prev_rag = read(r)
        carried_id, carried_name = None, ""
        if uid is None and oid in carried:
            lifecycle, carried_id, carried_name = carried[oid]
            rag = None
        if prev_id is None and oid in carried_before:
            prev_lifecycle, prev_id, _ = carried_before[oid]
            prev_rag = None
        shown, label = _shown(lifecycle, rag)
        before_shown, before_label = _shown(prev_lifecycle, prev_rag)
        before = None if prev_id is None else before_shown
        lead_name, email = leads.get(lead_id, nobody) if lead_id is not None else nobody
        out.append(
            make(
                r,
                lead_name=lead_name,
                lead_email=email,
                lifecycle=lifecycle,
                rag=rag,
                brag=shown,
                label=label,
                before=before,
                before_label=before_label,
                movement=status_movement(uid, carried_id, before, shown),
                carried_from_id=carried_id,
                carried_from=carried_name,
            )
        )
    return out


_SHOWN: dict[tuple[str | None, str | None], tuple[Brag, str]] = {}


def _shown(lifecycle: str | None, rag: str | None) -> tuple[Brag, str]:
    """brag() and brag_label() of a pair, remembered: a plan has a dozen pairs and thousands of rows."""
    key = (lifecycle, rag)
    found = _SHOWN.get(key)
    if found is None:
        found = _SHOWN[key] = (brag(lifecycle, rag), brag_label(lifecycle, rag))
    return found


def status_movement(
    update_id: str | None, carried_id: str | None, before: Brag | None, shown: Brag
) -> Movement | None:
    if update_id is not None:
        return movement(before, shown)
    if carried_id is None:
        return None
    # A carried status is never news: against the period before it is always the same status.
    return movement(before, shown) if before is not None else Movement.UNCHANGED
