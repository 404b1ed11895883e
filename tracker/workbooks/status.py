"""The status workbook: a period's position for the PMO and SLT, as an Excel workbook.

Sheets: Cover (plan, period, who and when, marking, RAG definitions, contents), Summary (theme by
status with a native stacked bar chart, movement, headline numbers), Exceptions, Objectives, Updates,
RAG trend, Milestones, Due in 90 days, Risks, Risk changes, Heat map, Recommendations, Returns and
Changes, plus "Long text" when some text is longer than a cell holds. Every sheet carries the
protective marking (and a sample plan's SAMPLE DATA) in its header and footer with "Page x of y",
and prints on A4 landscape at full size (see :mod:`.tables`); the registers freeze and repeat their
header row, freeze their reference and title, and have a filter.

Everything is read from :mod:`tracker.queries` first, then written in openpyxl's write-only mode
(a scale plan's 100,000 milestones stream to disk, beside ``path``) to a temporary file that is
read back and replaces ``path`` only when complete (:func:`tracker.outputs.written`), so a failed,
cancelled or killed export leaves nothing half-written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from tracker import queries as q
from tracker.audit import read_head
from tracker.outputs import written
from tracker.queries.returns import ReturnTrackerRow, returns_tracker
from tracker.queries.workbook import ObjectiveTrend, RiskChanges, objective_trend, risk_changes
from tracker.rules import DerivedRag, as_of_date

from .cells import LongTextSheet, mark_workbook, styled_value, wrapped_height
from .saving import check_workbook, sheets_beside, streaming
from .status_front import cover, heat_map, summary
from .status_period import (
    EXCEPTION_COLUMNS,
    EXCEPTION_PRINTED,
    RETURN_COLUMNS,
    RETURN_PRINTED,
    RISK_CHANGE_COLUMNS,
    RISK_CHANGE_PRINTED,
    UPCOMING_COLUMNS,
    exception_cells,
    exception_note,
    return_note,
    return_rows,
    risk_change_cells,
    risk_change_note,
    trend_cells,
    trend_columns,
    trend_counts,
    trend_folded,
    trend_note,
    upcoming_cells,
    upcoming_note,
)
from .status_registers import (
    CHANGE_COLUMNS,
    MILESTONE_COLUMNS,
    MILESTONE_NOTE,
    MILESTONE_PRINTED,
    OBJECTIVE_COLUMNS,
    OBJECTIVE_NOTE,
    OBJECTIVE_PRINTED,
    RECOMMENDATION_COLUMNS,
    RECOMMENDATION_NOTE,
    RECOMMENDATION_PRINTED,
    RISK_COLUMNS,
    RISK_NOTE,
    RISK_PRINTED,
    UPDATE_COLUMNS,
    UPDATE_NOTE,
    changes,
    milestone_cells,
    objective_cells,
    recommendation_cells,
    risk_cells,
    update_cells,
)
from .tables import LINE_POINTS, PAGE_MARGINS, PRINT_SCALE, ROW_POINTS, Column, Look, TableSheet

Progress = Callable[[int, int, str], None]
REPORT_EVERY = 2_000  # rows between progress reports
SAMPLE_WARNING = "Made-up progress for trying the tracker: not real performance information"
SAMPLE_BANNER = f"SAMPLE DATA. {SAMPLE_WARNING}."
LONG_TEXT_WIDTH = 80  # the "Long text" sheet's text column: with its other two, a page wide


@dataclass(frozen=True)
class StatusData:
    """Everything the workbook shows, read before writing starts."""

    plan: q.PlanInfo
    period: q.PeriodRow
    previous: str | None
    as_of: date
    objectives: list[q.PeriodObjectiveRow]
    derived: dict[str, DerivedRag]
    dashboard: q.DashboardData  # by theme, movement, headline, exceptions, due soon, updates per lead
    milestones: list[q.MilestoneRow]
    risks: list[q.RiskRow]
    target: q.RiskMatrix
    recommendations: list[q.RecommendationRow]
    trend: ObjectiveTrend
    risk_changes: RiskChanges
    returns: list[ReturnTrackerRow]
    audit_head: tuple[int, str] | None = None  # the log's last entry when read: printed as the anchor

    @property
    def matrices(self) -> list[q.RiskMatrix]:
        return [self.dashboard.residual, self.dashboard.inherent, self.target]


def read_status_data(session: Session, period_id: str, *, today: date | None = None) -> StatusData:
    """Read the period's position with the queries, judged as at the period's as-of date (its end, or
    today while it runs)."""
    plan = q.plan_for_period(session, period_id)  # a closed period's settings as it was reported with
    period = q.period(session, period_id)
    today = today or date.today()
    as_of = as_of_date(period.end, today)
    previous, objectives = q.period_objective_rows(session, period_id)
    return StatusData(
        plan, period, previous, as_of, objectives, q.derived_rags(session, period_id, today=today),
        q.dashboard_data(session, period_id, today=today),
        q.milestone_rows(session, as_of=as_of, settings=plan.rule_settings, period_start=period.start),
        q.risk_rows(session, settings=plan.rule_settings),
        q.risk_matrix(session, "target", period_id=period_id, on=period.start),
        q.recommendation_rows(session, as_of=as_of), objective_trend(session, period_id),
        risk_changes(session, period_id, as_of=as_of), returns_tracker(session, period_id), read_head(session),
    )  # fmt: skip


def export_status_workbook(
    session: Session,
    period_id: str,
    path: str | os.PathLike[str],
    *,
    generated_by: str,
    progress: Progress | None = None,
    today: date | None = None,
    replace: bool = False,
) -> Path:
    """Write the status workbook for a period to ``path``, whole or not at all (an existing file is
    replaced only when ``replace``)."""
    report = progress or (lambda done, total, text: None)
    report(0, 0, "Reading the plan…")
    data = read_status_data(session, period_id, today=today)
    return write_status_workbook(data, path, generated_by=generated_by, progress=report, replace=replace)


def write_status_workbook(
    data: StatusData,
    path: str | os.PathLike[str],
    *,
    generated_by: str,
    progress: Progress,
    replace: bool = False,
) -> Path:
    from openpyxl import Workbook

    path = Path(path)
    p, dash = data.period, data.dashboard
    change_rows = list(
        changes(data.objectives, data.milestones, data.recommendations, start=p.start, end=p.end,
                previous=data.previous)
    )  # fmt: skip
    by_id = {m.id: m for m in data.milestones} if dash.upcoming else {}
    returns = return_rows(data.returns, dash.returns)
    total = 2 * len(data.objectives) + len(data.milestones) + len(data.risks) + len(data.recommendations)
    total += len(change_rows) + len(dash.exceptions) + len(data.trend.rows) + len(dash.upcoming)
    total += len(data.risk_changes.rows) + len(returns)
    done = 0

    def step(text: str = "") -> None:
        nonlocal done
        done += 1
        if text or done % REPORT_EVERY == 0:
            progress(done, total, text or f"Writing {done:,} of {total:,} rows…")

    banner = SAMPLE_BANNER if data.plan.is_sample else ""
    title = f"Status report {p.name}"
    with (
        written(path, replace=replace, check=check_workbook, what="status workbook") as temp,
        sheets_beside(path),
        streaming(Workbook(write_only=True)) as wb,
    ):
        look = Look(wb)
        overflow = LongTextSheet(wb, text_width=LONG_TEXT_WIDTH, scale=PRINT_SCALE)
        progress(0, total, "Writing the cover and summary…")
        cover(wb, look, data, generated_by, SAMPLE_WARNING)
        summary(wb, look, data, banner)

        def table(
            name: str, heading: str, columns: list[Column], rows: list[Any], *, note: str = "",
            printed: int | None = None, frozen: int = 2, fold: int = 0,
        ) -> TableSheet:  # fmt: skip
            progress(done, total, f"Writing {name.lower()}…")
            sheet = TableSheet(wb, look, overflow, name, heading, columns, len(rows), banner=banner, note=note,
                               frozen=frozen, printed=printed, fold=fold, on_row=step)  # fmt: skip
            for cells in rows:
                sheet.append(cells)
            return sheet

        at = f"as at {data.as_of:%d %b %Y}"
        has_previous = data.previous is not None
        appetite = data.plan.rule_settings.risk_appetite
        table("Exceptions", f"Exceptions — {p.name}, {at}", EXCEPTION_COLUMNS,
              [exception_cells(e) for e in dash.exceptions], printed=EXCEPTION_PRINTED,
              note=exception_note(p.name, data.previous, data.as_of, appetite))  # fmt: skip
        table("Objectives", f"Objectives — {p.name}", OBJECTIVE_COLUMNS,
              [objective_cells(r, data.derived.get(r.id), has_previous) for r in data.objectives],
              printed=OBJECTIVE_PRINTED, note=OBJECTIVE_NOTE)  # fmt: skip
        table("Updates", f"Updates from the leads — {p.name}", UPDATE_COLUMNS,
              [update_cells(r) for r in data.objectives], note=UPDATE_NOTE)  # fmt: skip
        _trend(table, look, data)
        table("Milestones", f"Milestones — {at}", MILESTONE_COLUMNS, [milestone_cells(m) for m in data.milestones],
              printed=MILESTONE_PRINTED, note=f"Days overdue are counted to {data.as_of:%d %b %Y}, the period's "
              f"as-of date. {MILESTONE_NOTE}")  # fmt: skip
        table("Due in 90 days", f"Milestones due in the next 90 days — {at}", UPCOMING_COLUMNS,
              [upcoming_cells(m, by_id.get(m.id), data.as_of) for m in dash.upcoming],
              note=upcoming_note(data.as_of, q.HORIZON_DAYS, len(dash.upcoming)))  # fmt: skip
        table("Risks", "Risks — highest residual score first", RISK_COLUMNS, [risk_cells(r) for r in data.risks],
              printed=RISK_PRINTED, note=RISK_NOTE)  # fmt: skip
        table("Risk changes", f"Risk changes since the last period — {p.name}", RISK_CHANGE_COLUMNS,
              [risk_change_cells(c) for c in data.risk_changes.rows], printed=RISK_CHANGE_PRINTED,
              note=risk_change_note(data.risk_changes))  # fmt: skip
        heat_map(wb, look, data, banner)
        table("Recommendations", f"Inspection recommendations — {at}", RECOMMENDATION_COLUMNS,
              [recommendation_cells(r) for r in data.recommendations], printed=RECOMMENDATION_PRINTED,
              note=RECOMMENDATION_NOTE)  # fmt: skip
        table("Returns", f"Returns — {p.name}", RETURN_COLUMNS, returns, printed=RETURN_PRINTED, frozen=1,
              note=return_note(data.returns))  # fmt: skip
        since = f"since {data.previous}" if data.previous else "in the period"
        table("Changes", f"Changes {since} — {p.name}", CHANGE_COLUMNS, change_rows,
              note=f"What moved in {p.name}: status changes, milestones completed or gone overdue, "
              "recommendations closed. Each shows what it was and what it is now.")  # fmt: skip
        if overflow.worksheet is not None:  # made when first needed; it belongs at the end
            overflow.worksheet.page_margins = copy(PAGE_MARGINS)
            wb.move_sheet(overflow.worksheet.title, len(wb.sheetnames) - 1 - wb.index(overflow.worksheet))
        mark_workbook(wb, data.plan.protective_marking, data.plan.handling_caveat,
                      title=f"{data.plan.name} — {title}", author=generated_by, sample=data.plan.is_sample)  # fmt: skip
        progress(total, total, "Saving the workbook…")
        wb.save(temp)
    return path


def _trend(table: Callable[..., TableSheet], look: Look, data: StatusData) -> None:
    """The RAG trend: an objective a row, a period a column, the query's counts under them."""
    trend = data.trend
    sheet = table("RAG trend", f"RAG trend — every period up to {data.period.name}", trend_columns(trend),
                  [trend_cells(r) for r in trend.rows], note=trend_note(trend), fold=trend_folded(trend))  # fmt: skip
    ws = sheet.ws
    sheet.put()
    sheet.put(styled_value(ws, "Objectives by status", look.section))
    label_width = sum(c.width for c in sheet.columns[:2])
    for label, key, counts in trend_counts(trend, data.dashboard.trend):
        sheet.put(styled_value(ws, label, look.status_of(key) if key else look.total), None,
                  *(styled_value(ws, n, look.total if not key else look.count) for n in counts),
                  height=max(ROW_POINTS, wrapped_height(label, label_width, line_points=LINE_POINTS)))  # fmt: skip
        ws.merged_cells.add(f"A{sheet.row}:B{sheet.row}")
