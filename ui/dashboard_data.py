"""Everything the dashboard and the board pack show for a period, read in one session.

No Qt here: the loader runs on a worker thread (the board pack) or the UI thread (a refresh), and
the benchmark times it alone. Every number comes from :mod:`tracker.queries`; the charts only draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session

from tracker.enums import MilestoneState
from tracker.queries import (
    BodyStatusRow,
    ExceptionRow,
    Filters,
    Headline,
    MilestoneRow,
    MovementSummary,
    OverdueItem,
    PeriodRow,
    PlanInfo,
    RiskMatrix,
    ThemeStatusRow,
    TrendRow,
    current_plan,
    exceptions,
    headline,
    milestone_rows,
    movement_summary,
    objective_rows,
    overdue_items,
    periods,
    previous_period,
    rag_by_theme,
    recommendations_by_body_status,
    risk_matrix,
    risk_rows,
    same_period_last_year,
    trend,
)
from tracker.rules import as_of_date

HORIZON_DAYS = 90  # the milestone timeline looks this far ahead of the as-of date
PREVIOUS = "previous"
LAST_YEAR = "last year"


@dataclass(frozen=True)
class ObjectiveLabel:
    ref: str
    title: str


@dataclass(frozen=True)
class DashboardData:
    """The dashboard's numbers for one period under one set of filters."""

    plan: PlanInfo
    period: PeriodRow
    compare_to: PeriodRow | None
    compare_mode: str
    as_of: date
    filters: Filters
    headline: Headline
    by_theme: list[ThemeStatusRow]
    trend: list[TrendRow]
    trend_theme_id: str | None
    movement: MovementSummary
    residual: RiskMatrix
    inherent: RiskMatrix
    overdue: list[OverdueItem]  # milestones, recommendations and risk reviews past due
    upcoming: list[MilestoneRow]  # unfinished milestones due within the horizon
    recommendations: list[BodyStatusRow]
    exceptions: list[ExceptionRow]
    objectives: dict[str, ObjectiveLabel] = field(default_factory=dict)  # id -> ref and title
    risk_refs: dict[str, str] = field(default_factory=dict)  # open risk id -> "ref title"

    def objective_text(self, oid: str) -> str:
        o = self.objectives.get(oid)
        return f"{o.ref} {o.title}" if o else oid

    @property
    def overdue_milestones(self) -> list[OverdueItem]:
        return [i for i in self.overdue if i.kind == "milestone"]


def load_dashboard(
    session: Session,
    period_id: str,
    filters: Filters | None = None,
    *,
    compare: str = PREVIOUS,
    trend_theme_id: str | None = None,
    today: date | None = None,
) -> DashboardData:
    """Read every aggregate the dashboard shows (call inside one read session)."""
    f = filters or Filters()
    today = today or date.today()
    plan = current_plan(session)
    rows = periods(session)
    this = next(p for p in rows if p.id == period_id)
    other = same_period_last_year(session, period_id) if compare == LAST_YEAR else None
    if other is None:  # no period a year earlier: say so, and compare with the one before
        compare = PREVIOUS
        other = previous_period(session, period_id)
    as_of = as_of_date(this.end, today)
    upcoming = [
        m
        for m in milestone_rows(
            session,
            Filters(**_scope(f), due_from=as_of, due_to=as_of + timedelta(HORIZON_DAYS)),
            as_of=as_of,
            settings=plan.rule_settings,
        )  # fmt: skip
        if m.state is not MilestoneState.COMPLETE and m.completed_date is None
    ]
    labels = {o.id: ObjectiveLabel(o.ref, o.title) for o in objective_rows(session, Filters(**_scope(f)))}
    risks = {r.id: f"{r.ref} {r.title}" for r in risk_rows(session, Filters(**_scope(f), status="open"))}
    return DashboardData(
        plan=plan,
        period=this,
        compare_to=other,
        compare_mode=compare,
        as_of=as_of,
        filters=f,
        headline=headline(session, period_id, f, today=today),
        by_theme=rag_by_theme(session, period_id, f),
        trend=trend(session, trend_theme_id, f),
        trend_theme_id=trend_theme_id,
        movement=movement_summary(session, period_id, other.id if other else None, f),
        residual=risk_matrix(session, "residual", f),
        inherent=risk_matrix(session, "inherent", f),
        overdue=overdue_items(session, as_of, f),
        upcoming=upcoming,
        recommendations=recommendations_by_body_status(session, as_of, f),
        exceptions=exceptions(session, period_id, as_of, f, today=today),
        objectives=labels,
        risk_refs=risks,
    )


def _scope(f: Filters) -> dict[str, str | None]:
    """The dashboard's scope filters, to narrow a register query the same way."""
    return {"theme_id": f.theme_id, "lead_id": f.lead_id, "board_id": f.board_id}
