"""Everything the dashboard, the board pack and the status workbook show for a period, in one read.

:func:`dashboard_data` reads the objectives' statuses once, the open milestones that matter once and
the open risks once, and folds them into every aggregate. The single-purpose functions in
:mod:`.dashboard` and :mod:`.exceptions` give the same answers one at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import Select, and_, or_, select
from sqlmodel import Session

from tracker.db import bulk_rows
from tracker.enums import Brag, MilestoneState, RiskStatus
from tracker.kept import kept
from tracker.rules import RuleSettings, as_of_date, milestone_state

from ._period import ObjectiveStatus, closed_objectives, objective_statuses
from ._sql import Days, driver_rows, in_plan, live, milestone_done, t
from .common import PeriodRow, find_period, period_before, periods, person_contacts, rule_settings, themes
from .dashboard import (
    BodyStatusRow,
    Headline,
    MovementSummary,
    ReturnRow,
    RiskMatrix,
    ThemeStatusRow,
    TrendRow,
    fold_by_theme,
    fold_headline,
    fold_matrix,
    fold_movement,
    fold_returns,
    periods_up_to,
    recommendations_by_body_status,
    trend_rows,
)
from .exceptions import ExceptionRow, OverdueItem, could_count, derive_all, fold_exceptions, risk_scope
from .filters import NO_FILTERS, Filters, scope_conditions
from .registers import OPEN_STATUSES, answered_by_objective

LIVE_BRAGS = (Brag.RED, Brag.AMBER, Brag.GREEN)  # only reported statuses can disagree with a derived RAG
HORIZON_DAYS = 90  # the milestone timeline looks this far ahead of the as-of date
# A milestone as _milestones reads it, values as the driver gives them (dates are ISO text on SQLite):
# (id, title, objective id, owner id, baseline, forecast, completed)
MilestoneRow = tuple[Any, ...]
# The date cache (see Days) as this module reads it: only non-null values are looked up in it, because
# baseline and forecast dates are NOT NULL columns and completed and review dates are tested for None
# first, so every value it gives here is a date.
NonNullDays = dict[Any, date]


class UpcomingMilestone(NamedTuple):
    id: str
    objective_id: str
    objective_ref: str
    title: str
    owner_id: str | None
    owner_name: str
    forecast_date: date
    state: MilestoneState  # on track or slipping: unfinished and not yet overdue


class RiskLabel(NamedTuple):
    id: str
    ref: str
    title: str


@dataclass(frozen=True)
class DashboardData:
    period: PeriodRow
    baseline: PeriodRow | None  # what movement and "deteriorated" compare with
    as_of: date  # milestones, recommendations and derived RAGs are judged as of this date
    statuses: tuple[ObjectiveStatus, ...]  # every objective in scope, plan order (carried ones marked)
    rag_by_theme: tuple[ThemeStatusRow, ...]
    trend: tuple[TrendRow, ...]
    movement: MovementSummary
    headline: Headline
    inherent: RiskMatrix
    residual: RiskMatrix
    recommendations: tuple[BodyStatusRow, ...]  # by body and status
    returns: tuple[ReturnRow, ...]
    upcoming: tuple[UpcomingMilestone, ...]  # unfinished, forecast within the horizon, by date
    open_risks: tuple[RiskLabel, ...]  # open risks in scope by ref (the matrices' cells hold their ids)
    overdue: tuple[
        OverdueItem, ...
    ]  # milestones, recommendations and risk reviews past due, most overdue first
    exceptions: tuple[ExceptionRow, ...]  # what needs SLT attention (see .exceptions.fold_exceptions)


def dashboard_data(
    session: Session,
    period_id: str,
    *,
    baseline_id: str | None = None,
    filters: Filters | None = None,
    today: date | None = None,
    horizon_days: int = HORIZON_DAYS,
    keep: bool = True,
) -> DashboardData:
    """Every dashboard aggregate for a period, compared with ``baseline_id`` (default: the period before).

    Judged as of the period's end, or ``today`` while it runs; ``upcoming`` looks ``horizon_days`` ahead.
    Kept until the store changes (``kept``): asked again with nothing changed, it costs one lookup;
    ``keep=False`` computes it from scratch.
    """
    chosen = filters or NO_FILTERS
    when = today or date.today()  # judged as of today while the period runs: part of what is kept

    def compute(s: Session) -> DashboardData:
        with bulk_rows():  # tens of thousands of rows at scale
            return _fold(s, period_id, baseline_id, chosen, when, horizon_days)

    if not keep:
        return compute(session)
    return kept(session, ("dashboard_data", period_id, baseline_id, chosen, when, horizon_days), compute)


def _fold(
    session: Session,
    period_id: str,
    baseline_id: str | None,
    f: Filters,
    today: date | None,
    horizon_days: int,
) -> DashboardData:
    rows = periods(session, count_updates=False)
    this = find_period(rows, period_id)
    baseline = find_period(rows, baseline_id) if baseline_id is not None else period_before(rows, this)
    as_of = as_of_date(this.end, today or date.today())
    settings = rule_settings(session, this.id)
    statuses = objective_statuses(session, this, baseline, f)

    # The objectives in scope are known from the statuses: milestones and the timeline need no joins.
    refs = {x.id: x.ref for x in statuses} if f.ids is None else _objective_refs(session, f, this.start)
    names = {pid: name for pid, (name, _email) in person_contacts(session).items()}  # not a join per row
    horizon = as_of + timedelta(days=horizon_days)
    days = cast(NonNullDays, Days())
    # Rows as the driver gives them (see _milestones): overdue ones and those that could change a
    # derived RAG are kept as they are, their dates read only by the lists that need them (below).
    late: list[MilestoneRow] = []
    facts: dict[str, list[MilestoneRow]] = defaultdict(list)
    upcoming: list[UpcomingMilestone] = []
    tolerance = settings.slip_tolerance_days
    # A cancelled or completed objective's unfinished milestones are not pursued: never late or due.
    closed = set(session.execute(closed_objectives(this.start)).scalars())
    for row in driver_rows(session, _milestones(as_of, horizon, settings)):
        mid, title, oid, owner_id, b, fc, c = row
        ref = refs.get(oid)
        if ref is None or oid in closed:
            continue
        forecast = days[fc]
        if forecast < as_of:
            late.append(row)
        elif c is None and forecast <= horizon:
            state = milestone_state(days[b], forecast, None, as_of=as_of, tolerance_days=tolerance)
            owner = names.get(owner_id, "")
            upcoming.append(UpcomingMilestone(mid, oid, ref, title, owner_id, owner, forecast, state))
        if forecast < as_of or forecast > days[b] or tolerance < 0:  # the rest are on track: see could_count
            facts[oid].append(row)
    upcoming.sort(key=attrgetter("forecast_date", "objective_ref", "id"))
    # (id, ref, title, objective id, owner id, inherent likelihood, impact, residual likelihood, impact, review)
    risks = driver_rows(session, _open_risks(f, this.start))
    above = [
        (rid, ref, title, oid, rl, ri)
        for rid, ref, title, oid, _owner, _il, _ii, rl, ri, _review in risks
        if rl * ri > settings.risk_appetite
    ]
    above.sort(key=lambda r: (-r[4] * r[5], r[1]))
    recs = _open_recommendations(session, f)
    late_recs = [r for r in recs if r[5] is not None and r[5] < as_of]

    counts = (len(late), len(above), len(recs), len(late_recs))
    return DashboardData(
        period=this,
        baseline=baseline,
        as_of=as_of,
        statuses=tuple(statuses),
        rag_by_theme=tuple(fold_by_theme(statuses, themes(session), f)),
        trend=tuple(  # up to this period: a report for a period shows nothing after it
            trend_rows(session, f, periods_up_to(rows, this))
        ),
        movement=fold_movement(statuses, this, baseline),
        headline=fold_headline(this, as_of, statuses, counts),
        inherent=fold_matrix("inherent", ((r[0], r[5], r[6]) for r in risks), settings),
        residual=fold_matrix("residual", ((r[0], r[7], r[8]) for r in risks), settings),
        recommendations=tuple(recommendations_by_body_status(session, as_of, f)),
        returns=tuple(fold_returns(statuses)),
        upcoming=tuple(upcoming),
        open_risks=tuple(RiskLabel(r[0], r[1], r[2]) for r in risks),
        overdue=tuple(_overdue(as_of, days, late, late_recs, risks, refs, names)),
        exceptions=tuple(_exceptions(this, baseline, statuses, days, late, above, facts, as_of, settings)),
    )


def _exceptions(
    this: PeriodRow,
    baseline: PeriodRow | None,
    statuses: list[ObjectiveStatus],
    days: NonNullDays,
    late: list[MilestoneRow],
    above: list[tuple[str, str, str, str | None, int, int]],
    facts: dict[str, list[MilestoneRow]],
    as_of: date,
    settings: RuleSettings,
) -> list[ExceptionRow]:
    """The exceptions from what was read, with the derived RAGs of the statuses that can disagree."""
    dated = {
        oid: [(days[b], days[fc], None if c is None else days[c]) for *_, b, fc, c in rows]
        for oid, rows in facts.items()
    }
    could_disagree = (s for s in statuses if s.has_update and s.brag in LIVE_BRAGS)
    derived = derive_all(could_disagree, dated, above, as_of=as_of, settings=settings, period_name=this.name)
    by_date = sorted((days[fc], mid, title, oid) for mid, title, oid, _owner, _b, fc, _c in late)
    late_ms = [(mid, title, oid, fc) for fc, mid, title, oid in by_date]
    return fold_exceptions(this, baseline, statuses, late_ms, above, derived, as_of=as_of, settings=settings)


def _overdue(
    as_of: date,
    days: NonNullDays,
    late: list[MilestoneRow],
    late_recs: list[Any],
    risks: list[tuple[Any, ...]],
    refs: dict[str, str],
    names: dict[str, str],
) -> list[OverdueItem]:
    """The overdue list from the late milestones, the late recommendations and the open risks (as
    ``_milestones``, ``_open_recommendations`` and ``_open_risks`` read them), most overdue first."""
    overdue = []
    for mid, title, oid, owner_id, _b, fc, _c in late:
        due = days[fc]
        owner = names.get(owner_id, "")
        overdue.append(
            OverdueItem("milestone", mid, refs[oid], title, owner_id, owner, due, (as_of - due).days, oid)
        )
    overdue += [
        OverdueItem("recommendation", rid, ref, text, owner_id, owner or "", due, (as_of - due).days, None)
        for rid, ref, text, owner_id, owner, due in late_recs
    ]
    for rid, ref, title, oid, owner_id, *_, review in risks:
        if review is not None and (review := days[review]) < as_of:
            overdue.append(
                OverdueItem("risk review", rid, ref, title, owner_id, names.get(owner_id, ""), review,
                            (as_of - review).days, oid)
            )  # fmt: skip
    overdue.sort(key=itemgetter(6, 0, 2, 1))  # due, kind, ref, id
    return overdue


def _milestones(as_of: date, horizon: date, settings: RuleSettings) -> Select[Any]:
    """Live milestones unfinished as of the date that are overdue, could be slipping or are due by
    ``horizon``: (id, title, objective id, owner id, baseline, forecast, completed)."""
    m = t.milestone
    due_soon = and_(m.c.completed_date.is_(None), m.c.forecast_date >= as_of, m.c.forecast_date <= horizon)
    could = could_count(m, as_of, settings)
    return select(
        m.c.id,
        m.c.title,
        m.c.objective_id,
        m.c.owner_id,
        m.c.baseline_date,
        m.c.forecast_date,
        m.c.completed_date,
    ).where(live(m), ~milestone_done(m, as_of), *([or_(*could, due_soon)] if could else []))  # fmt: skip


def _objective_refs(session: Session, f: Filters, on: date) -> dict[str, str]:
    """Live objectives (of live outcomes and themes) in the plan on ``on`` and in the filters' scope,
    ignoring an id list: id -> ref."""
    ob, oc, th = t.objective, t.outcome, t.theme
    stmt = (
        select(ob.c.id, ob.c.ref)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .where(live(ob), live(oc), live(th), *(in_plan(x, on) for x in (ob, oc, th)))
        .where(*scope_conditions(f, ob, oc))
    )
    return dict(driver_rows(session, stmt))


def _open_risks(f: Filters, on: date) -> Select[Any]:
    """Open risks in scope and in the plan on ``on``, by ref: (id, ref, title, objective id, owner id,
    inherent likelihood, impact, residual likelihood, impact, review date)."""
    r = t.risk
    return (
        risk_scope(
            select(
                r.c.id,
                r.c.ref,
                r.c.title,
                r.c.objective_id,
                r.c.owner_id,
                r.c.inherent_likelihood,
                r.c.inherent_impact,
                r.c.residual_likelihood,
                r.c.residual_impact,
                r.c.review_date,
            ).select_from(r),  # fmt: skip
            f,
            on=on,
        )
        .where(r.c.status == RiskStatus.OPEN.value)
        .order_by(r.c.ref, r.c.id)
    )


def _open_recommendations(session: Session, f: Filters) -> list[Any]:
    """Open recommendations answering an objective in scope: (id, ref, text, owner id, owner name, due)."""
    rec, insp, owner = t.recommendation, t.inspection, t.person.alias("rec_owner")
    objective_scope = scope_conditions(f, t.objective, t.outcome)
    stmt = (
        select(rec.c.id, rec.c.ref, rec.c.text, rec.c.owner_id, owner.c.name, rec.c.due_date)
        .join(insp, insp.c.id == rec.c.inspection_id)
        .outerjoin(owner, owner.c.id == rec.c.owner_id)
        .where(live(rec), live(insp), rec.c.status.in_(OPEN_STATUSES))
        .where(*([answered_by_objective(objective_scope)] if objective_scope else []))
    )
    return list(session.execute(stmt).all())
