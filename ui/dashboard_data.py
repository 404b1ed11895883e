"""The dashboard's view of :func:`tracker.queries.dashboard_data`: the plan, the comparison chosen, labels.

No Qt here, and no SQL: every number comes from ``dashboard_data`` (one read); this adapter only picks
the baseline the "compare with" box asks for and names things for the charts. It runs on a worker
thread (the board pack) or the UI thread (a refresh).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlmodel import Session

from tracker import queries as q
from tracker.queries import (
    HORIZON_DAYS,
    BodyStatusRow,
    ExceptionRow,
    Filters,
    Headline,
    MovementSummary,
    ObjectiveStatus,
    OverdueItem,
    PeriodRow,
    PlanInfo,
    RiskLabel,
    RiskMatrix,
    ThemeStatusRow,
    TrendRow,
    UpcomingMilestone,
)

__all__ = ["HORIZON_DAYS", "LAST_YEAR", "PREVIOUS", "DashboardData", "load_dashboard"]

PREVIOUS = "previous"
LAST_YEAR = "last year"


@dataclass(frozen=True)
class DashboardData:
    """The dashboard's numbers for one period under one set of filters (``core`` holds them all)."""

    plan: PlanInfo
    core: q.DashboardData
    compare_mode: str  # PREVIOUS, or LAST_YEAR when a period a year earlier exists
    filters: Filters
    trend: tuple[TrendRow, ...]  # the core's, or the trend chart's own theme's
    trend_theme_id: str | None

    @property
    def period(self) -> PeriodRow:
        return self.core.period

    @property
    def as_of(self) -> date:
        return self.core.as_of

    @property
    def compare_to(self) -> PeriodRow | None:
        return self.core.baseline

    @property
    def headline(self) -> Headline:
        return self.core.headline

    @property
    def by_theme(self) -> tuple[ThemeStatusRow, ...]:
        return self.core.rag_by_theme

    @property
    def movement(self) -> MovementSummary:
        return self.core.movement

    @property
    def residual(self) -> RiskMatrix:
        return self.core.residual

    @property
    def inherent(self) -> RiskMatrix:
        return self.core.inherent

    @property
    def overdue(self) -> tuple[OverdueItem, ...]:
        """Milestones, recommendations and risk reviews past due."""
        return self.core.overdue

    @property
    def upcoming(self) -> tuple[UpcomingMilestone, ...]:
        return self.core.upcoming

    @property
    def recommendations(self) -> tuple[BodyStatusRow, ...]:
        return self.core.recommendations

    @property
    def exceptions(self) -> tuple[ExceptionRow, ...]:
        return self.core.exceptions

    @cached_property
    def objectives(self) -> dict[str, ObjectiveStatus]:
        """Objective id -> its status row (``ref``, ``title``, ...), for every objective in scope."""
        return {s.id: s for s in self.core.statuses}

    @cached_property
    def risks(self) -> dict[str, RiskLabel]:
        """Open risk id -> its ref and title."""
        return {r.id: r for r in self.core.open_risks}

    @cached_property
    def overdue_milestones(self) -> list[OverdueItem]:
        return [i for i in self.core.overdue if i.kind == "milestone"]

    def objective_text(self, oid: str) -> str:
        o = self.objectives.get(oid)
        return f"{o.ref} {o.title}" if o else oid

    def risk_text(self, rid: str) -> str:
        r = self.risks.get(rid)
        return f"{r.ref} {r.title}" if r else rid


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
    baseline = q.same_period_last_year(session, period_id) if compare == LAST_YEAR else None
    if baseline is None:  # no period a year earlier: say so, and compare with the one before
        compare = PREVIOUS
    core = q.dashboard_data(
        session, period_id, baseline_id=baseline.id if baseline else None, filters=f, today=today
    )
    # The trend chart can narrow to a theme of its own; only then is the trend read again.
    trend = (
        core.trend if trend_theme_id is None else tuple(q.trend(session, trend_theme_id, f, up_to=period_id))
    )
    return DashboardData(
        plan=q.plan_for_period(session, period_id),
        core=core,
        compare_mode=compare,
        filters=f,
        trend=trend,
        trend_theme_id=trend_theme_id,
    )
