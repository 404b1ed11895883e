"""The numbers a board pack prints, read in one session, and the small helpers its sections share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from tracker.audit import read_head
from tracker.queries import NO_UPDATE, ExceptionRow, Filters
from tracker.queries.pack import OpenRecommendation, TopRisks, open_recommendations, top_risks
from tracker.queries.period_report import PeriodReportRow, period_report
from ui.boardpack.blocks import Chip, Row
from ui.charts.status import status_fill
from ui.dashboard_data import HORIZON_DAYS, DashboardData, load_dashboard
from ui.palette import Palette

# The pack's words for each status key; the definitions page gives the plan's meaning of each colour.
STATUS_WORDS: dict[str, str] = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue: complete",
                                "grey": "Grey: not started, cancelled or no RAG", NO_UPDATE: "No update"}  # fmt: skip
SHORT = {"blue": "Blue", "grey": "Grey"}
HORIZON = timedelta(days=HORIZON_DAYS)
STATE_COLOURS = {"overdue": "red", "slipping": "amber", "on track": "green", "complete": "blue"}


@dataclass(frozen=True)
class PackData:
    """Everything the pack prints for a period: the dashboard's numbers and the pack's own reads."""

    dash: DashboardData
    top: TopRisks
    recommendations: tuple[OpenRecommendation, ...]
    report: PeriodReportRow  # the PMO's key messages and the decisions asked of the board
    printed: date
    audit_head: tuple[int, str] | None = None  # the audit log's last entry when read: printed as the anchor

    @property
    def baseline_name(self) -> str:
        return self.dash.compare_to.name if self.dash.compare_to else "no earlier period"


def load_pack(
    session: Session, period_id: str, filters: Filters | None = None, *, today: date | None = None
) -> PackData:
    """Everything the pack prints, read in one session."""
    dash = load_dashboard(session, period_id, filters, today=today)
    return PackData(
        dash=dash,
        top=top_risks(
            session, dash.compare_to, dash.filters, settings=dash.plan.rule_settings, on=dash.period.start
        ),
        recommendations=tuple(open_recommendations(session, dash.as_of, dash.filters)),
        report=period_report(session, period_id),
        printed=today or date.today(),
        audit_head=read_head(session),
    )


def chip(key: str, pal: Palette, words: str | None = None) -> Chip:
    return Chip(words or STATUS_WORDS.get(key, key), status_fill(pal, key))


def total(label: str, *cells: object) -> Row:
    """A breakdown's total row (tests check it is the sum of the rows above it)."""
    return Row((label, *(f"{c:,}" if isinstance(c, int) else str(c) for c in cells)), bold=True)


def num(v: int) -> str:
    return f"{v:,}"


def by_objective(rows: tuple[ExceptionRow, ...]) -> dict[str | None, list[ExceptionRow]]:
    """Exceptions grouped by their objective (None: risks held against a theme), in the order given."""
    out: dict[str | None, list[ExceptionRow]] = defaultdict(list)
    for r in rows:
        out[r.objective_id].append(r)
    return out
