"""The board pack: a PDF of the dashboard for a period, with the protective marking on every page.

:func:`write_board_pack` needs no display and no widgets (QPdfWriter, QPainter, QTextDocument), so
it runs on a worker thread from the app (:func:`export_board_pack`) and from the command line.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from tracker.queries import Filters
from ui.boardpack_draw import (
    heat_map,
    movement_chart,
    recommendations_chart,
    theme_chart,
    timeline_chart,
    trend_chart,
)
from ui.charts import movement, recommendations, risk_heatmap, theme_rag, timeline, trend
from ui.charts.movement import compared_with
from ui.charts.status import LETTERS
from ui.dashboard_data import DashboardData, load_dashboard
from ui.pages.dashboard_parts import EXCEPTION_HEADERS, exception_cells
from ui.palette import Palette, make_palette

DPI = 96  # page units are then screen pixels: A4 landscape is 1123 x 794
MARGIN = 40
HEADER = 34

ProgressFn = Callable[[int, int, str], None]
Table = tuple[list[str], list[list[object]]]


@dataclass(frozen=True)
class Section:
    title: str
    subtitle: str
    draw: Callable[[QPainter, QRectF, DashboardData, Palette], None] | None
    table: Table | None = None
    below: bool = False  # the table under the chart (wide tables), not beside it


def sections(data: DashboardData) -> list[Section]:
    h = data.headline
    headline_table: Table = (
        ["Measure", "Count"],
        [["Objectives", h.n_objectives], *[[label, n] for label, n in _status_lines(data)],
         ["Overdue milestones", h.overdue_milestones],
         [f"Open risks above appetite ({data.plan.risk_appetite})", h.risks_above_appetite],
         ["Open inspection recommendations", h.open_recommendations],
         ["… of which overdue", h.overdue_recommendations]],
    )  # fmt: skip
    return [
        Section("Headline", f"{data.period.name}, as of {data.as_of:%d %B %Y}", None, headline_table),
        Section("RAG by theme", f"Objectives by status, {data.period.name}", theme_chart, theme_rag.table(data)),
        Section("RAG trend across periods", "Objectives by status in each reporting period", trend_chart,
                trend.trend_table(data.trend)),
        Section("Movement", f"{data.period.name} against {compared_with(data)}", movement_chart, movement.table(data),
                below=True),
        Section("Risk heat map", "Open risks by likelihood and impact", heat_map, risk_heatmap.table(data.residual)),
        Section("Milestones: overdue and next 90 days", f"As of {data.as_of:%d %B %Y}", timeline_chart,
                timeline.table(data), below=True),
        Section("Inspection recommendations by body and status", "Overdue: open and past the due date",
                recommendations_chart, recommendations.table(data)),
    ]  # fmt: skip


def _status_lines(data: DashboardData) -> list[tuple[str, int]]:
    c = data.headline.by_status
    return [("R · Red", c.red), ("A · Amber", c.amber), ("G · Green", c.green), ("B · Blue: complete", c.blue),
            ("Gy · Grey: not started, cancelled or no RAG", c.grey), ("NU · No update", c.no_update)]  # fmt: skip


def write_board_pack(
    store_or_session: Any,
    period_id: str,
    out_path: str | Path,
    progress: ProgressFn | None = None,
    *,
    filters: Filters | None = None,
    today: date | None = None,
    palette: Palette | None = None,
) -> int:
    """Write the board pack PDF for a period; return the number of pages. Needs a QGuiApplication."""
    report = progress or (lambda done, total, text: None)
    report(0, 1, "Reading the dashboard")
    if hasattr(store_or_session, "read"):
        with store_or_session.read() as session:
            data = load_dashboard(session, period_id, filters, today=today)
    else:
        data = load_dashboard(store_or_session, period_id, filters, today=today)
    pal = palette or make_palette()  # print is always light
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(out_path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)
        )
    )
    writer.setTitle(f"{data.plan.name}: board pack, {data.period.name}")
    writer.setCreator("Delivery Plan Tracker")
    page = QRectF(0, 0, writer.width(), writer.height())
    body = page.adjusted(MARGIN, MARGIN + HEADER, -MARGIN, -MARGIN - HEADER)
    exception_pages = _exception_pages(data, body.size().shrunkBy(QMarginsF(0, 50, 0, 0)))
    parts = sections(data)
    n_exception_pages = len(exception_pages)
    total = 1 + len(parts) + n_exception_pages
    painter = QPainter(writer)
    try:
        n = 1
        report(n, total, "Cover")
        _cover(painter, page, data, pal)
        _furniture(painter, page, data, n, total)
        for section in parts:
            writer.newPage()
            n += 1
            report(n, total, section.title)
            _section(painter, body, section, data, pal)
            _furniture(painter, page, data, n, total)
        for i in range(n_exception_pages):
            writer.newPage()
            n += 1
            report(n, total, "Exceptions")
            _exceptions_page(painter, body, data, exception_pages[i], i, n_exception_pages)
            _furniture(painter, page, data, n, total)
    finally:
        painter.end()
    report(total, total, f"Wrote {out_path.name}")
    return total


def marking(data: DashboardData) -> str:
    plan = data.plan
    return plan.protective_marking + (f" {plan.handling_caveat}" if plan.handling_caveat else "")


def _font(p: QPainter, size: float, bold: bool = False) -> None:
    f = QFont(p.font())
    f.setPointSizeF(size)
    f.setBold(bold)
    p.setFont(f)


def _furniture(p: QPainter, page: QRectF, data: DashboardData, n: int, total: int) -> None:
    """The marking centred in the header and footer; plan, period and page x of y beside it."""
    p.save()
    p.setPen(QColor("#0b0c0c"))
    top = QRectF(MARGIN, 12, page.width() - 2 * MARGIN, HEADER - 8)
    bottom = QRectF(MARGIN, page.height() - HEADER - 4, page.width() - 2 * MARGIN, HEADER - 8)
    _font(p, 10, bold=True)
    for r in (top, bottom):
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, marking(data))
    _font(p, 8)
    sample = "  SAMPLE DATA" if data.plan.is_sample else ""
    p.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{data.plan.name}{sample}")
    p.drawText(
        top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"Board pack: {data.period.name}"
    )
    p.drawText(
        bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"Printed {date.today():%d %B %Y}"
    )
    p.drawText(bottom, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"Page {n} of {total}")
    p.restore()


def _cover(p: QPainter, page: QRectF, data: DashboardData, pal: Palette) -> None:
    plan = data.plan
    p.setPen(QColor(pal.surfaces.text))
    x, w = page.width() * 0.12, page.width() * 0.76
    _font(p, 26, bold=True)
    p.drawText(
        QRectF(x, page.height() * 0.22, w, 100),
        Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
        plan.name,
    )
    _font(p, 16)
    lines = [plan.organisation, f"Board pack for {data.period.name} ({data.period.start:%d %b %Y} to {data.period.end:%d %b %Y})",
             f"Prepared {date.today():%d %B %Y}; figures as of {data.as_of:%d %B %Y}"]  # fmt: skip
    for i, line in enumerate(lines):
        p.drawText(QRectF(x, page.height() * 0.40 + i * 34, w, 30), Qt.AlignmentFlag.AlignLeft, line)
    _font(p, 20, bold=True)
    p.drawText(QRectF(x, page.height() * 0.62, w, 36), Qt.AlignmentFlag.AlignLeft, marking(data))
    if plan.is_sample:
        p.save()
        p.setPen(QColor(pal.surfaces.danger))
        _font(p, 30, bold=True)
        p.drawText(
            QRectF(x, page.height() * 0.70, w, 50),
            Qt.AlignmentFlag.AlignLeft,
            "SAMPLE DATA: not a real report",
        )
        p.restore()
    _font(p, 9)
    defs = "   ".join(f"{LETTERS[b.value]}: {text}" for b, text in plan.rag_definitions.items() if text)
    p.drawText(QRectF(x, page.height() * 0.80, w, 60), Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
               f"Status scheme. {defs}")  # fmt: skip


def _title(p: QPainter, body: QRectF, title: str, subtitle: str, pal: Palette) -> QRectF:
    p.setPen(QColor(pal.surfaces.text))
    _font(p, 16, bold=True)
    p.drawText(QRectF(body.left(), body.top(), body.width(), 26), Qt.AlignmentFlag.AlignLeft, title)
    _font(p, 9)
    p.drawText(QRectF(body.left(), body.top() + 26, body.width(), 16), Qt.AlignmentFlag.AlignLeft, subtitle)
    return body.adjusted(0, 48, 0, 0)


def _section(p: QPainter, body: QRectF, section: Section, data: DashboardData, pal: Palette) -> None:
    rest = _title(p, body, section.title, section.subtitle, pal)
    if section.draw is not None:
        if section.below:
            chart = QRectF(rest.left(), rest.top(), rest.width(), rest.height() * 0.5)
        else:
            chart = QRectF(rest.left(), rest.top(), rest.width() * 0.62, rest.height())
        p.save()
        section.draw(p, chart, data, pal)
        p.restore()
        if section.below:
            rest = QRectF(rest.left(), chart.bottom() + 16, rest.width(), rest.height() - chart.height() - 16)
        else:
            rest = QRectF(chart.right() + 20, rest.top(), rest.width() - chart.width() - 20, rest.height())
    if section.table is not None:
        headers, rows = section.table
        fit = max(3, int(rest.height() // 19) - 1) if section.below else 40
        if not section.below and section.draw is not None:  # narrow: status letters, as in the legend
            headers = [SHORT_HEADERS.get(h, h) for h in headers]
        doc = _table_document(headers, rows, width=rest.width(), size=7.5 if section.draw else 10, fit=fit)
        p.save()
        p.translate(rest.topLeft())
        doc.drawContents(p, QRectF(0, 0, rest.width(), rest.height()))
        p.restore()


def _table_html(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse: collapse;'>"
        f"<thead><tr style='background:#f3f2f1'>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _cell(column: int, value: object) -> str:
    """A table cell, numbers right-aligned."""
    if isinstance(value, int | float):
        return f"<td align='right'>{value}</td>"
    return f"<td>{html.escape('' if value is None else str(value))}</td>"


def _table_document(
    headers: list[str], rows: list[list[object]], *, width: float, size: float, fit: int = 40
) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(size)
    doc.setDefaultFont(font)
    more = [[f"… and {len(rows) - fit} more (see the app)"]] if len(rows) > fit else []
    doc.setHtml(_table_html(headers, rows[:fit] + more))
    doc.setTextWidth(width)
    return doc


SHORT_HEADERS = {"Red": "R", "Amber": "A", "Green": "G", "Blue (complete)": "B", "Grey (not started)": "Gy",
                 "No update": "NU"}  # fmt: skip

MAX_EXCEPTIONS = 400  # beyond this a printed list stops helping; the app has them all


def _exception_html(rows: list[list[object]]) -> str:
    widths = [9, 24, 10, 8, 19, 15, 15]
    head = "".join(
        f"<th align='left' width='{w}%'>{html.escape(h)}</th>"
        for h, w in zip(EXCEPTION_HEADERS, widths, strict=True)
    )
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse: collapse;'>"
        f"<thead><tr style='background:#f3f2f1'>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _exception_doc(rows: list[list[object]], width: float) -> QTextDocument:
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(7.5)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(_exception_html(rows))
    doc.setTextWidth(width)
    return doc


def _exception_pages(data: DashboardData, size: QSizeF) -> list[QTextDocument]:
    """The exceptions table cut into pages at row boundaries, the header repeated on each."""
    rows: list[list[object]] = []
    for r in data.exceptions[:MAX_EXCEPTIONS]:
        cells: list[object] = exception_cells(r)
        title = str(cells[1])
        cells[1] = title if len(title) <= 110 else title[:108] + "…"
        rows.append(cells)
    if len(data.exceptions) > MAX_EXCEPTIONS:
        rows.append(
            ["", f"… and {len(data.exceptions) - MAX_EXCEPTIONS} more: see the dashboard", "", "", "", "", ""]
        )
    header = _exception_doc([], size.width()).size().height()
    heights = [_exception_doc([row], size.width()).size().height() - header for row in rows]
    pages: list[list[list[object]]] = [[]]
    used = header
    for row, h in zip(rows, heights, strict=True):
        if pages[-1] and used + h > size.height():
            pages.append([])
            used = header
        pages[-1].append(row)
        used += h
    return [_exception_doc(chunk, size.width()) for chunk in pages]


def _exceptions_page(
    p: QPainter, body: QRectF, data: DashboardData, doc: QTextDocument, i: int, n: int
) -> None:
    pal = make_palette()
    more = f" (page {i + 1} of {n})" if n > 1 else ""
    rest = _title(p, body, f"Exceptions{more}", f"{len(data.exceptions)} items need attention in {data.period.name}: "
                  "Red, deteriorated, overdue milestones, risks above appetite, derived status disagreeing", pal)  # fmt: skip
    if not data.exceptions:
        p.drawText(rest, Qt.AlignmentFlag.AlignLeft, "Nothing needs attention this period.")
        return
    p.save()
    p.translate(rest.topLeft())
    doc.drawContents(p, QRectF(0, 0, rest.width(), rest.height()))
    p.restore()


# ---------------------------------------------------------------------------------------------- from the app


def export_board_pack(ctx: Any, parent: Any = None, *, path: str | None = None) -> Any:
    """File > Export board pack (and the dashboard's button): ask for a file, write it in the background.

    ``path`` skips the file dialog. Returns the running task, or None when there is nothing to report
    on or the person cancelled the file dialog.
    """
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from tracker.queries import latest_period_with_updates
    from ui.tasks import TaskProgressDialog

    period_id = ctx.period_id
    if period_id is None:
        with ctx.read() as session:
            latest = latest_period_with_updates(session)
        period_id = latest.id if latest else None
    if period_id is None:
        QMessageBox.information(
            parent, "Board pack", "There is no reporting period with updates to report on yet."
        )
        return None
    name = path
    if name is None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Export board pack", "board-pack.pdf", "PDF document (*.pdf)"
        )
        if not name:
            return None
    target = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")
    store = ctx.store
    task = ctx.runner.task(lambda progress: write_board_pack(store, period_id, target, progress.report),
                           label="Exporting the board pack")  # fmt: skip
    task.progress_dialog = TaskProgressDialog(task, parent, title="Board pack")  # kept alive with the task
    task.succeeded.connect(lambda pages: ctx.message.emit(f"Board pack saved: {target.name}, {pages} pages"))
    task.failed.connect(
        lambda exc: QMessageBox.warning(parent, "Board pack", f"The board pack was not written: {exc}")
    )
    return task.start()
