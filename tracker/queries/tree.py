"""The plan as a tree: themes, their outcomes, their objectives, with status and roll-up counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, func, literal, null, select
from sqlmodel import Session

from tracker.enums import Brag, Movement
from tracker.rules import brag, brag_label

from ._period import carried_statuses, status_movement
from ._sql import in_plan, live, t
from .common import NO_UPDATE, BragCounts, PeriodRow, find_period, period_before, periods


class TreeRow(NamedTuple):
    kind: str  # "theme", "outcome" or "objective"
    id: str
    parent_id: str | None
    depth: int
    ref: str  # theme code, outcome code or objective reference
    title: str
    lead_id: str | None = None
    lead_name: str = ""
    lifecycle: str | None = None
    rag: str | None = None
    brag: Brag | None = None
    brag_label: str = ""
    progress_pct: int | None = None
    movement: Movement | None = None
    last_update: date | None = None
    has_update: bool = False
    counts: BragCounts | None = None  # theme and outcome rows: their objectives by status
    theme_id: str | None = None  # the theme a row sits in (a theme row: its own id)
    four_p: str = ""  # objective rows: "Pursue,Protect" (canonical order)
    carried_from: str = ""  # closed in this earlier period and not reported since: the status carries
    retired_on: date | None = None  # retired from the plan by the day shown (only with include_retired)

    @property
    def has_status(self) -> bool:
        """Reported this period, or closed earlier and carried forward."""
        return self.has_update or bool(self.carried_from)


def plan_tree(
    session: Session, *, period_id: str | None = None, include_retired: bool = False
) -> list[TreeRow]:
    """Every live theme, outcome and objective in the plan, in plan order.

    "In the plan" is as of the period's start (today without a period): retired items are left out,
    or with ``include_retired`` shown with their ``retired_on`` and not counted in the roll-ups.

    With a period, an objective's status is its update for that period (Grey, "No update", when it
    has none) and movement compares with the period before. Without one, the status is the
    objective's current fields and movement compares with the period before the latest period that
    has updates (so an objective whose latest update is older shows unchanged).
    """
    all_periods = periods(session)
    this: PeriodRow | None = None
    reported = True
    if period_id is not None:
        this = find_period(all_periods, period_id)
        baseline = period_before(all_periods, this)
    else:
        with_updates = [p for p in all_periods if p.n_updates]
        baseline = period_before(all_periods, with_updates[-1]) if with_updates else None
        reported = bool(with_updates)  # a plan just set up or carried over: nothing reported in it yet

    on = this.start if this is not None else date.today()
    rows = session.execute(
        _statement(this, baseline, None if include_retired else on, reported=reported)
    ).all()
    if this is None:
        return _fold(rows, {}, {}, on)
    # Closed earlier and not reported since: the closed status carries forward, as on the dashboard.
    found = carried_statuses(session, this.start, *([baseline.start] if baseline else []))
    return _fold(rows, found[0], found[1] if baseline else {}, on)


def _statement(
    this: PeriodRow | None, baseline: PeriodRow | None, in_plan_on: date | None, *, reported: bool = True
) -> Any:
    th, oc, ob, person = t.theme, t.outcome, t.objective, t.person
    cur, prev = t.status.alias("cur"), t.status.alias("prev")

    last = select(t.status.c.objective_id, func.max(t.status.c.reported_at).label("at")).where(live(t.status))
    if this is not None:
        last = last.join(t.period, t.period.c.id == t.status.c.period_id).where(
            live(t.period), t.period.c.start_date <= this.start
        )
    last_sq = last.group_by(t.status.c.objective_id).subquery("last")

    status_cols: list[Any]
    if this is not None:
        status_cols = [cur.c.lifecycle, cur.c.rag, cur.c.progress_pct, cur.c.id]
    elif reported:
        status_cols = [ob.c.lifecycle, ob.c.rag, ob.c.progress_pct, literal("current")]
    else:  # what an objective carried over last reported belongs to the old plan: "No update" here
        status_cols = [null(), null(), null(), null()]
    prev_cols = [prev.c.lifecycle, prev.c.rag, prev.c.id] if baseline else [null(), null(), null()]

    stmt = (
        select(
            th.c.id,
            th.c.code,
            th.c.name,
            oc.c.id,
            oc.c.code,
            oc.c.title,
            ob.c.id,
            ob.c.ref,
            ob.c.title,
            ob.c.lead_id,
            person.c.name,
            ob.c.four_p,
            *status_cols,
            *prev_cols,
            last_sq.c.at,
            th.c.retired_on,
            oc.c.retired_on,
            ob.c.retired_on,
        )  # fmt: skip
        .select_from(th)
        .outerjoin(oc, and_(oc.c.theme_id == th.c.id, live(oc), *_kept(oc, in_plan_on)))
        .outerjoin(ob, and_(ob.c.outcome_id == oc.c.id, live(ob), *_kept(ob, in_plan_on)))
        .outerjoin(person, person.c.id == ob.c.lead_id)
        .outerjoin(last_sq, last_sq.c.objective_id == ob.c.id)
    )
    if this is not None:
        stmt = stmt.outerjoin(cur, and_(cur.c.objective_id == ob.c.id, cur.c.period_id == this.id, live(cur)))
    if baseline is not None:
        stmt = stmt.outerjoin(
            prev, and_(prev.c.objective_id == ob.c.id, prev.c.period_id == baseline.id, live(prev))
        )
    return stmt.where(live(th), *_kept(th, in_plan_on)).order_by(
        th.c.ordinal, th.c.code, th.c.id, oc.c.ordinal, oc.c.code, oc.c.id, ob.c.ordinal, ob.c.ref
    )


def _kept(table: Any, on: date | None) -> list[Any]:
    return [] if on is None else [in_plan(table, on)]


Carried = dict[str, tuple[str, str, str]]


def _fold(rows: Sequence[Any], carried: Carried, carried_before: Carried, on: date) -> list[TreeRow]:
    out: list[TreeRow] = []
    keys: dict[int, list[str]] = {}  # index of a theme/outcome row -> its objectives' status keys
    theme_at = outcome_at = -1
    for (
        theme_id, theme_code, theme_name, outcome_id, outcome_code, outcome_title,
        obj_id, ref, title, lead_id, lead_name, four_p,
        lifecycle, rag, progress, update_id, prev_lifecycle, prev_rag, prev_id, last_at,
        theme_retired, outcome_retired, obj_retired,
    ) in rows:  # fmt: skip
        theme_retired, outcome_retired, obj_retired = (
            d if d is not None and d <= on else None for d in (theme_retired, outcome_retired, obj_retired)
        )
        if theme_at < 0 or out[theme_at].id != theme_id:
            theme_at = len(out)
            keys[theme_at] = []
            out.append(
                TreeRow(
                    "theme",
                    theme_id,
                    None,
                    0,
                    theme_code,
                    theme_name,
                    theme_id=theme_id,
                    retired_on=theme_retired,
                )
            )
            outcome_at = -1
        if outcome_id is None:
            continue
        if outcome_at < 0 or out[outcome_at].id != outcome_id:
            outcome_at = len(out)
            keys[outcome_at] = []
            out.append(
                TreeRow(
                    "outcome", outcome_id, theme_id, 1, outcome_code, outcome_title, theme_id=theme_id,
                    retired_on=outcome_retired,
                )
            )  # fmt: skip
        if obj_id is None:
            continue
        carried_id, carried_name = None, ""
        if update_id is None and obj_id in carried:
            (lifecycle, carried_id, carried_name), rag, progress = carried[obj_id], None, None
        if prev_id is None and obj_id in carried_before:
            (prev_lifecycle, prev_id, _), prev_rag = carried_before[obj_id], None
        has_update = update_id is not None
        shown = brag(lifecycle, rag)
        before = brag(prev_lifecycle, prev_rag) if prev_id is not None else None
        key = shown.value if has_update or carried_id else NO_UPDATE
        label = brag_label(lifecycle, rag)  # "No update" when there is none
        if carried_id is not None:
            label = f"{label} (since {carried_name})"
        out_of_plan = obj_retired or outcome_retired or theme_retired
        if not out_of_plan:  # a retired objective is shown, not counted
            keys[theme_at].append(key)
            keys[outcome_at].append(key)
        out.append(
            TreeRow(
                "objective", obj_id, outcome_id, 2, ref, title,
                lead_id=lead_id,
                lead_name=lead_name or "",
                lifecycle=lifecycle,
                rag=rag,
                brag=shown,
                brag_label=label,
                progress_pct=progress,
                movement=status_movement(update_id, carried_id, before, shown),
                last_update=_day(last_at),
                has_update=has_update,
                theme_id=theme_id,
                four_p=four_p or "",
                carried_from=carried_name,
                retired_on=out_of_plan,
            )
        )  # fmt: skip
    for index, objective_keys in keys.items():
        out[index] = out[index]._replace(counts=BragCounts.tally(objective_keys))
    return out


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None
