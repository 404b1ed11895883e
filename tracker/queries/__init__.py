"""The read side: every list the views, dashboard, workbooks and CLI show, as plain rows.

Each list is one SQL statement (portable between SQLite and PostgreSQL) read into tuples; what SQL
cannot compute portably is derived in Python with :mod:`tracker.rules`. Nothing here writes.
"""

from ._period import ObjectiveStatus
from .common import (
    NO_UPDATE,
    STATUS_KEYS,
    BoardRow,
    BragCounts,
    OutcomeRow,
    PeriodRow,
    PersonRow,
    PlanInfo,
    ThemeRow,
    boards,
    current_plan,
    latest_period_with_updates,
    objectives_by_board,
    outcomes,
    people,
    period,
    periods,
    plan_for_period,
    previous_period,
    rule_settings,
    same_period_last_year,
    themes,
)
from .counts import live_count
from .dashboard import (
    BodyStatusRow,
    ExceptionKind,
    ExceptionRow,
    Headline,
    MatrixCell,
    MovementSummary,
    OverdueItem,
    ReturnRow,
    RiskMatrix,
    ThemeStatusRow,
    TrendRow,
    derived_rags,
    exceptions,
    headline,
    movement_summary,
    overdue_items,
    rag_by_theme,
    recommendations_by_body_status,
    returns_status,
    risk_matrix,
    trend,
)
from .filters import NO_FILTERS, Filters
from .inspections import InspectionRow, inspections
from .overview import (
    HORIZON_DAYS,
    DashboardData,
    RiskLabel,
    UpcomingMilestone,
    dashboard_data,
)
from .plan_items import PlanItem, plan_item
from .registers import (
    AuditRow,
    LinkRow,
    MilestoneRow,
    NoteRow,
    ObjectiveRow,
    RecommendationRow,
    RiskRow,
    StatusHistoryRow,
    audit_rows,
    milestone_pages,
    milestone_rows,
    objective_rows,
    progress_notes,
    recommendation_links,
    recommendation_rows,
    risk_rows,
    status_history,
)
from .report import PeriodObjectiveRow, period_objective_rows
from .tree import TreeRow, plan_tree

__all__ = [
    "HORIZON_DAYS", "NO_FILTERS", "NO_UPDATE", "RiskLabel", "STATUS_KEYS", "UpcomingMilestone", "AuditRow", "BoardRow", "BodyStatusRow", "BragCounts", "DashboardData",
    "ExceptionKind", "ExceptionRow", "Filters", "Headline", "InspectionRow", "inspections", "live_count", "LinkRow", "MatrixCell", "MilestoneRow",
    "MovementSummary", "NoteRow", "ObjectiveRow", "ObjectiveStatus", "OutcomeRow", "OverdueItem", "PeriodObjectiveRow", "PeriodRow", "PersonRow",
    "PlanInfo", "RecommendationRow", "ReturnRow", "RiskMatrix", "RiskRow", "StatusHistoryRow", "ThemeRow",
    "ThemeStatusRow", "TreeRow", "TrendRow", "audit_rows", "boards", "current_plan", "dashboard_data", "derived_rags",
    "exceptions", "headline", "latest_period_with_updates", "milestone_pages", "milestone_rows", "movement_summary",
    "objective_rows", "objectives_by_board", "outcomes", "overdue_items", "people", "period", "period_objective_rows", "periods", "plan_for_period", "plan_tree", "PlanItem", "plan_item",
    "previous_period", "progress_notes", "rag_by_theme", "recommendation_links", "recommendation_rows",
    "recommendations_by_body_status", "returns_status", "risk_matrix", "risk_rows", "rule_settings",
    "same_period_last_year", "status_history", "themes", "trend",
]  # fmt: skip
