"""The status workbook: a period's position for the PMO and SLT, as an Excel workbook.

Sheets: Cover (plan, period, who and when, marking, RAG definitions), Summary (theme by status with
a native stacked bar chart, movement, headline numbers), Objectives, Milestones, Risks, Heat map,
Recommendations and Changes, plus "Long text" when some text is longer than a cell holds. Every
sheet carries the protective marking and "Page x of y" in its header and footer, prints landscape
fitted to the page width, and the registers repeat and freeze their header row and have a filter.

Everything is read from :mod:`tracker.queries` first, then written in openpyxl's write-only mode
(a scale plan's 100,000 milestones stream to disk) to a temporary file that replaces ``path``
only when complete, so a failed or cancelled export leaves nothing half-written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from tracker import queries as q
from tracker.enums import Brag, Movement
from tracker.rules import DerivedRag, as_of_date

from .cells import PAPER_A3, LongTextSheet, column_widths, mark_workbook, print_setup, styled_value
from .status_registers import (
    CHANGE_COLUMNS,
    MILESTONE_COLUMNS,
    OBJECTIVE_COLUMNS,
    RECOMMENDATION_COLUMNS,
    RISK_COLUMNS,
    changes,
    milestone_cells,
    objective_cells,
    recommendation_cells,
    risk_cells,
)
from .tables import STATUS_COLOURS, FreeSheet, Look, TableSheet

Progress = Callable[[int, int, str], None]
REPORT_EVERY = 2_000  # rows between progress reports
SAMPLE_WARNING = "Made-up progress for trying the tracker: not real performance information"


@dataclass(frozen=True)
class StatusData:
    """Everything the workbook shows, read before writing starts."""

    plan: q.PlanInfo
    period: q.PeriodRow
    previous: str | None
    as_of: date
    objectives: list[q.PeriodObjectiveRow]
    derived: dict[str, DerivedRag]
    by_theme: list[q.ThemeStatusRow]
    movement: q.MovementSummary
    headline: q.Headline
    milestones: list[q.MilestoneRow]
    risks: list[q.RiskRow]
    matrices: list[q.RiskMatrix]
    recommendations: list[q.RecommendationRow]


def read_status_data(session: Session, period_id: str, *, today: date | None = None) -> StatusData:
    """Read the period's position with the queries (milestones and recommendations judged as at its end)."""
    plan = q.current_plan(session)
    period = q.period(session, period_id)
    today = today or date.today()
    as_of = as_of_date(period.end, today)
    previous, objectives = q.period_objective_rows(session, period_id)
    return StatusData(
        plan, period, previous, as_of, objectives,
        q.derived_rags(session, period_id, today=today), q.rag_by_theme(session, period_id),
        q.movement_summary(session, period_id), q.headline(session, period_id, today=today),
        q.milestone_rows(session, as_of=as_of, settings=plan.rule_settings, period_start=period.start),
        q.risk_rows(session, settings=plan.rule_settings),
        [q.risk_matrix(session, kind) for kind in ("residual", "inherent", "target")],
        q.recommendation_rows(session, as_of=as_of),
    )  # fmt: skip


def export_status_workbook(
    session: Session,
    period_id: str,
    path: str | os.PathLike[str],
    *,
    generated_by: str,
    progress: Progress | None = None,
    today: date | None = None,
) -> Path:
    """Write the status workbook for a period to ``path`` (replaced whole, or left untouched on failure)."""
    report = progress or (lambda done, total, text: None)
    report(0, 0, "Reading the plan…")
    data = read_status_data(session, period_id, today=today)
    return write_status_workbook(data, path, generated_by=generated_by, progress=report)


def write_status_workbook(
    data: StatusData, path: str | os.PathLike[str], *, generated_by: str, progress: Progress
) -> Path:
    from openpyxl import Workbook

    path = Path(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    p = data.period
    change_rows = list(
        changes(data.objectives, data.milestones, data.recommendations, start=p.start, end=p.end,
                as_of=data.as_of, previous=data.previous)
    )  # fmt: skip
    total = len(data.objectives) + len(data.milestones) + len(data.risks) + len(data.recommendations)
    total += len(change_rows)
    done = 0

    def step(text: str = "") -> None:
        nonlocal done
        done += 1
        if text or done % REPORT_EVERY == 0:
            progress(done, total, text or f"Writing {done:,} of {total:,} rows…")

    wb = Workbook(write_only=True)
    look = Look(wb)
    overflow = LongTextSheet(wb)
    title = f"Status report {p.name}"
    try:
        progress(0, total, "Writing the cover and summary…")
        _cover(wb, look, data, generated_by)
        _summary(wb, look, data)

        def table(
            name: str, heading: str, columns: Any, rows: list[Any], paper: int = PAPER_A3
        ) -> TableSheet:
            progress(done, total, f"Writing {name.lower()}…")
            sheet = TableSheet(
                wb, look, overflow, name, heading, columns, len(rows), paper_size=paper, on_row=step
            )
            for cells in rows:
                sheet.append(cells)
            return sheet

        has_previous = data.previous is not None
        table("Objectives", f"Objectives — {p.name}", OBJECTIVE_COLUMNS,
              [objective_cells(r, data.derived.get(r.id), has_previous) for r in data.objectives])  # fmt: skip
        table("Milestones", f"Milestones — as at {data.as_of:%d %B %Y}", MILESTONE_COLUMNS,
              [milestone_cells(m) for m in data.milestones])  # fmt: skip
        table(
            "Risks", "Risks — highest residual score first", RISK_COLUMNS, [risk_cells(r) for r in data.risks]
        )
        _heat_map(wb, look, data)
        table("Recommendations", f"Inspection recommendations — as at {data.as_of:%d %B %Y}",
              RECOMMENDATION_COLUMNS, [recommendation_cells(r) for r in data.recommendations])  # fmt: skip
        since = f"since {data.previous}" if data.previous else "in the period"
        table("Changes", f"Changes {since} — {p.name}", CHANGE_COLUMNS, change_rows)
        mark_workbook(wb, data.plan.protective_marking, data.plan.handling_caveat,
                      title=f"{data.plan.name} — {title}", author=generated_by)  # fmt: skip
        if overflow.worksheet is not None:  # made when first needed; it belongs at the end
            wb.move_sheet(overflow.worksheet.title, len(wb.sheetnames) - 1 - wb.index(overflow.worksheet))
        progress(total, total, "Saving the workbook…")
        wb.save(temp)
        os.replace(temp, path)
    except BaseException:
        _discard(wb)
        raise
    finally:
        temp.unlink(missing_ok=True)
    return path


def _discard(wb: Any) -> None:
    """Close a failed export's sheets and delete the temporary files openpyxl streams them to."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
        except Exception:  # a sheet that failed half-way may not close; its file goes anyway
            pass
        Path(writer.out).unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------- cover


def _cover(wb: Any, look: Look, data: StatusData, generated_by: str) -> None:
    plan, p = data.plan, data.period
    ws = wb.create_sheet("Cover")
    sheet = FreeSheet(ws, [30, 100])
    print_setup(ws, header_rows=0)
    ws.page_setup.fitToHeight = 1  # the cover is one page
    put = sheet.put
    put(styled_value(ws, plan.name, look.title), height=30)
    put(styled_value(ws, f"Status report — {p.name}", look.section))
    put()
    if plan.is_sample:
        put(
            styled_value(ws, "SAMPLE DATA", look.warning),
            styled_value(ws, SAMPLE_WARNING, look.warning),
            height=24,
        )
        put()
    marking = plan.protective_marking + (f" – {plan.handling_caveat}" if plan.handling_caveat else "")
    generated = datetime.now().astimezone().replace(tzinfo=None)
    facts = [
        ("Protective marking", marking),
        ("Organisation", plan.organisation),
        ("Reporting period", f"{p.name} ({p.start:%d %B %Y} to {p.end:%d %B %Y}, {p.status})"),
        ("Compared with", data.previous or "No earlier period"),
        ("Milestones and risks as at", f"{data.as_of:%d %B %Y}"),
        ("Generated", f"{generated:%d %B %Y at %H:%M}"),
        ("Generated by", generated_by),
    ]
    for label, value in facts:
        put(styled_value(ws, label, look.label), styled_value(ws, value, look.boxed))
    put()
    put(styled_value(ws, "RAG definitions", look.section), height=20)
    for brag, text in data.plan.rag_definitions.items():
        label = {Brag.BLUE: "Blue — complete", Brag.GREY: "Grey — not started"}.get(
            brag, brag.value.capitalize()
        )
        put(styled_value(ws, label, look.status[brag.value]), styled_value(ws, text, look.boxed))
    put(styled_value(ws, "No update", look.status["no update"]),
        styled_value(ws, "No status update was received for the period.", look.boxed))  # fmt: skip
    put()
    put(styled_value(ws, "In this workbook", look.section), height=20)
    for name, what in _CONTENTS:
        put(styled_value(ws, name, look.label), styled_value(ws, what, look.boxed))


_CONTENTS = [
    ("Summary", "Objectives by theme and status (table and chart), movement since the previous period, headline numbers."),
    ("Objectives", "Every objective's RAG for the period, the previous RAG, movement, the derived RAG and the lead's update."),
    ("Milestones", "Baseline, forecast and completed dates with each milestone's state; overdue ones in red."),
    ("Risks", "Inherent, residual and target scores and bands; open risks above appetite are flagged."),
    ("Heat map", "Open risks counted by likelihood and impact (residual, inherent and target)."),
    ("Recommendations", "Inspection recommendations: status, owner, due date, latest progress note, linked objectives."),
    ("Changes", "What moved in the period: status changes, milestones completed or gone overdue, recommendations closed."),
    ("Long text", "Only present when some text was longer than a cell holds: the rest of it, in order."),
]  # fmt: skip


# ---------------------------------------------------------------------------------------------- summary


_SUMMARY_KEYS = ("red", "amber", "green", "blue", "grey", q.NO_UPDATE)
_CHART_COLOURS = {q.NO_UPDATE: "DEE0E2"}  # the table's pale fill would vanish on a white chart
_SUMMARY_HEADERS = ("Red", "Amber", "Green", "Complete (Blue)", "Not started (Grey)", "No update")


def _summary(wb: Any, look: Look, data: StatusData) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef

    ws = wb.create_sheet("Summary")
    sheet = FreeSheet(ws, [36, 11, 9, 9, 11, 11, 10, 9])
    print_setup(ws, header_rows=1, autofilter=False)
    ws.page_setup.fitToHeight = 1  # tables and chart on one page, the chart under the tables
    put = sheet.put
    p = data.period
    put(styled_value(ws, f"Summary — {p.name}", look.title), height=30)
    put(styled_value(ws, "Objectives by theme and status", look.section), height=20)
    put(styled_value(ws, "Theme", look.header),
        *(styled_value(ws, h, look.header_centre) for h in (*_SUMMARY_HEADERS, "Total")), height=30)  # fmt: skip
    first = 4
    for r in data.by_theme:
        put(styled_value(ws, r.name, look.label), *(styled_value(ws, n, look.count) for n in r.counts),
            styled_value(ws, r.counts.total, look.total))  # fmt: skip
    last = first + len(data.by_theme) - 1
    totals = [sum(r.counts[i] for r in data.by_theme) for i in range(len(_SUMMARY_KEYS))]
    put(styled_value(ws, "All themes", look.label), *(styled_value(ws, n, look.total) for n in totals),
        styled_value(ws, sum(totals), look.total))  # fmt: skip
    put()

    counts = data.movement.counts
    since = f"since {data.previous}" if data.previous else "(no earlier period)"
    put(styled_value(ws, f"Movement {since}", look.section), height=20)
    put(styled_value(ws, "Movement", look.header_centre), styled_value(ws, "Objectives", look.header_centre))
    for m in (Movement.IMPROVED, Movement.DETERIORATED, Movement.UNCHANGED, Movement.NEW):
        put(
            styled_value(ws, f"{m.arrow} {m.label}", look.status[m.value]),
            styled_value(ws, counts[m.value], look.count),
        )
    put(
        styled_value(ws, "No update", look.status[q.NO_UPDATE]),
        styled_value(ws, counts[q.NO_UPDATE], look.count),
    )
    put()

    h = data.headline
    put(styled_value(ws, f"Headline numbers (as at {h.as_of:%d %B %Y})", look.section), height=20)
    for label, n in (
        ("Objectives", h.n_objectives),
        ("Reported Red", h.by_status.red),
        ("Complete", h.by_status.blue),
        ("No update for the period", h.by_status.no_update),
        ("Milestones overdue", h.overdue_milestones),
        ("Open risks above appetite", h.risks_above_appetite),
        ("Open inspection recommendations", h.open_recommendations),
        ("Recommendations past their due date", h.overdue_recommendations),
    ):
        put(styled_value(ws, label, look.label), styled_value(ws, n, look.count))

    if data.by_theme:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.gapWidth = 60
        chart.title = f"Objectives by theme and status, {p.name}"
        chart.y_axis.title = "Objectives"
        chart.y_axis.majorGridlines = None
        chart.x_axis.scaling.orientation = "maxMin"  # themes top to bottom in plan order
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.legend.position = "b"
        values = Reference(ws, min_col=2, max_col=1 + len(_SUMMARY_KEYS), min_row=first - 1, max_row=last)
        chart.add_data(values, titles_from_data=True)
        themes = Reference(ws, min_col=1, min_row=first, max_row=last)
        for series, key in zip(chart.series, _SUMMARY_KEYS, strict=True):
            series.cat = AxDataSource(strRef=StrRef(f=str(themes)))  # theme names are text, not numbers
            colour = _CHART_COLOURS.get(key, STATUS_COLOURS[key][0])
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = "FFFFFF"
        # Under the tables and as wide as them: beside them, it made the printed page a third smaller.
        chart.width, chart.height = 19.5, 9.5
        ws.add_chart(chart, f"A{sheet.row + 2}")


# ---------------------------------------------------------------------------------------------- heat map


def _heat_map(wb: Any, look: Look, data: StatusData) -> None:
    ws = wb.create_sheet("Heat map")
    block = [15, 8, 8, 8, 8, 8]
    column_widths(ws, [*block, 3, *block, 3, *block])
    print_setup(ws, header_rows=1, autofilter=False)
    ws.row_dimensions[1].height = 30
    s = data.plan.rule_settings
    ws.append([styled_value(ws, "Risk heat map — open risks by likelihood and impact", look.title)])
    ws.append([styled_value(ws, f"Risk appetite: a residual score above {s.risk_appetite}. Each cell counts "
                                "the open risks with that likelihood and impact; its colour is the score's band.",
                            look.subtitle)])  # fmt: skip
    ws.append([])

    def gap(row: list[Any]) -> list[Any]:
        return row + [None]

    titles: list[Any] = []
    heads: list[Any] = []
    for m in data.matrices:
        titles += gap(
            [styled_value(ws, f"{m.kind.capitalize()} ({m.total} risks)", look.section), *[None] * 5]
        )
        heads += gap([styled_value(ws, "Likelihood ↓ Impact →", look.header),
                      *(styled_value(ws, i, look.header_centre) for i in range(1, 6))])  # fmt: skip
    ws.append(titles)
    ws.row_dimensions[5].height = 30
    ws.append(heads)
    for likelihood in range(5, 0, -1):
        ws.row_dimensions[6 + 5 - likelihood].height = 30
        row: list[Any] = []
        for m in data.matrices:
            row += gap([styled_value(ws, likelihood, look.header_centre),
                        *(styled_value(ws, m.cell(likelihood, i).n, look.cell[m.cell(likelihood, i).band.value])
                          for i in range(1, 6))])  # fmt: skip
        ws.append(row)
    ws.append([])
    ws.append([styled_value(ws, "Bands (score = likelihood × impact)", look.section)])
    bands = [
        ("low", f"Low: 1 to {s.risk_low_max}"),
        ("medium", f"Medium: {s.risk_low_max + 1} to {s.risk_medium_max}"),
        ("high", f"High: {s.risk_medium_max + 1} to {s.risk_high_max}"),
        ("very high", f"Very high: {s.risk_high_max + 1} to 25"),
    ]
    for key, text in bands:
        ws.append([styled_value(ws, text, look.status[key])])
