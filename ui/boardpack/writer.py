"""Writing the board pack PDF: the cover, the contents, the sections as laid out, and each page's furniture.

Needs no display and no widgets (QPdfWriter and QPainter), so it runs on a worker thread from the app
and from the command line. Every page carries the protective marking at its head and foot, "page x
of y", and SAMPLE DATA when the plan is a sample; the PDF has a title, a language and bookmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from tracker.anchors import printed
from tracker.outputs import OutputError, why, written
from tracker.queries import Filters
from ui.boardpack.blocks import BOLD, Column, Row, Section, Style, Table
from ui.boardpack.content import PackData, load_pack, sections
from ui.boardpack.layout import RULE, Box, FillOp, Flow, Mark, Op, Page, PictureOp, RuleOp, TextOp
from ui.boardpack.pdf import Bookmark, add_outline, check_pdf
from ui.boardpack.text import Typesetter
from ui.boardpack.words import uk
from ui.palette import Palette, make_palette

DPI = 96  # page units are then screen pixels: A4 landscape is 1123 x 794
MARGIN = 40
HEADER = 34
LANGUAGE = "en-GB"
POINTS = 72 / DPI

ProgressFn = Callable[[int, int, str], None]

MARKING = Style(10.0, bold=True)
FURNITURE = Style(8.0)
SAMPLE = Style(8.0, bold=True, colour="#b3261e")


def write_board_pack(
    store_or_session: Any,
    period_id: str,
    out_path: str | Path,
    progress: ProgressFn | None = None,
    *,
    filters: Filters | None = None,
    today: date | None = None,
    palette: Palette | None = None,
    replace: bool = False,
) -> int:
    """Write the board pack PDF for a period; return the number of pages. Needs a QGuiApplication.

    The PDF is written whole or not at all (:func:`tracker.outputs.written`): under a temporary name
    beside ``out_path``, its trailer and page count checked, then renamed into place; an existing
    file is replaced only when ``replace``.
    """
    report = progress or (lambda done, total, text: None)
    report(0, 1, "Reading the plan")
    data = read_pack(store_or_session, period_id, filters, today)
    pal = palette or make_palette()  # print is always light
    out_path = Path(out_path)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"could not write {out_path}: {why(exc)}") from None
    total = 0
    with written(out_path, replace=replace, check=lambda p: check_pdf(p, total), what="board pack") as temp:
        writer = pdf_writer(temp, data)
        ts = Typesetter(writer)
        page = QRectF(0, 0, writer.width(), writer.height())
        report(0, 1, "Laying out the pages")
        pages, marks = lay_out(ts, body_box(page), sections(data, pal))
        total = 1 + len(pages)
        painter = QPainter(writer)
        if not painter.isActive():  # Qt could not open the file; every later call would only warn
            raise OutputError(f"could not write {out_path}: the PDF could not be opened for writing")
        try:
            report(1, total, "Cover")
            cover(painter, ts, page, data)
            furniture(painter, ts, page, data, 1, total)
            for n, pg in enumerate(pages, start=2):
                if not writer.newPage():
                    raise OutputError(f"could not write {out_path}: the PDF stopped taking pages")
                if n % 10 == 0 or n == total:
                    report(n, total, pg.section)
                paint(painter, ts, pg.ops, pal)
                furniture(painter, ts, page, data, n, total)
        finally:
            if not painter.end():  # ends the document: Qt writes its trailer and closes the file
                raise OutputError(f"could not write {out_path}: the PDF could not be finished")
        bookmarks = [
            Bookmark("Cover", 1, 0, 0),
            *(Bookmark(m.title, m.level, m.page + 1, m.y * POINTS) for m in marks),
        ]
        add_outline(temp, bookmarks, lang=LANGUAGE, page_height=page.height() * POINTS)
    report(total, total, f"Wrote {out_path.name}")
    return total


def read_pack(store_or_session: Any, period_id: str, filters: Filters | None, today: date | None) -> PackData:
    if hasattr(store_or_session, "read"):
        with store_or_session.read() as session:
            return load_pack(session, period_id, filters, today=today)
    return load_pack(store_or_session, period_id, filters, today=today)


def pdf_writer(out_path: Path, data: PackData) -> QPdfWriter:
    writer = QPdfWriter(str(out_path))
    writer.setResolution(DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape, QMarginsF(0, 0, 0, 0)
        )
    )
    writer.setTitle(f"{data.dash.plan.name}: board pack, {data.dash.period.name}")
    writer.setCreator("Delivery Plan Tracker")
    return writer


def body_box(page: QRectF) -> Box:
    return Box(MARGIN, MARGIN + HEADER, page.width() - 2 * MARGIN, page.height() - 2 * (MARGIN + HEADER))


def lay_out(ts: Typesetter, body: Box, parts: list[Section]) -> tuple[list[Page], list[Mark]]:
    """The contents page, then the sections, flowed onto pages (the cover is drawn apart)."""
    flow = Flow(ts, body)
    for s in parts:
        flow.section(s)
    entries = [(m, m.page) for m in flow.marks]
    draft = Flow(ts, body)
    draft.section(_contents(entries, first=0))  # how many pages the contents take
    offset = len(draft.pages)
    final = Flow(ts, body)
    final.section(_contents(entries, first=2 + offset))
    marks = [*final.marks, *(replace(m, page=m.page + offset) for m in flow.marks)]
    return [*final.pages, *flow.pages], marks


def _contents(entries: list[tuple[Mark, int]], first: int) -> Section:
    rows = [Row(((m.title if m.level == 1 else f"      {m.title}"), str(first + page)), bold=m.level == 1)
            for m, page in entries]  # fmt: skip
    return Section("Contents", "", (Table.of((Column("Section", 9), Column("Page", 1, right=True)), rows),))


def paint(p: QPainter, ts: Typesetter, ops: list[Op], pal: Palette) -> None:
    """A page's content: fills first, then rules, then text and pictures in reading order."""
    for op in ops:
        if isinstance(op, FillOp):
            p.fillRect(QRectF(op.x, op.y, op.w, op.h), QColor(op.colour))
    p.setPen(QPen(QColor(RULE), 0.8))
    p.drawLines([QLineF(op.x1, op.y1, op.x2, op.y2) for op in ops if isinstance(op, RuleOp)])
    current: Style | None = None
    for op in ops:
        if isinstance(op, TextOp):
            if op.style != current:
                current = op.style
                p.setFont(ts.font(current))
                p.setPen(QColor(current.colour or pal.surfaces.text))
            p.drawText(QPointF(op.x, op.y), op.text)
        elif isinstance(op, PictureOp):
            p.save()
            op.draw(p, QRectF(op.x, op.y, op.w, op.h))
            p.restore()
            current = None


def marking(data: PackData) -> str:
    plan = data.dash.plan
    return plan.protective_marking + (f" {plan.handling_caveat}" if plan.handling_caveat else "")


def _text(
    p: QPainter, ts: Typesetter, rect: QRectF, flags: Qt.AlignmentFlag, text: str, style: Style
) -> None:
    p.setFont(ts.font(style))
    p.setPen(QColor(style.colour or "#0b0c0c"))
    p.drawText(rect, flags, text)


def furniture(p: QPainter, ts: Typesetter, page: QRectF, data: PackData, n: int, total: int) -> None:
    """The marking centred at head and foot; the plan (and SAMPLE DATA), period and page x of y beside it."""
    plan, a = data.dash.plan, Qt.AlignmentFlag
    top = QRectF(MARGIN, 12, page.width() - 2 * MARGIN, HEADER - 8)
    bottom = QRectF(MARGIN, page.height() - HEADER - 4, page.width() - 2 * MARGIN, HEADER - 8)
    for r in (top, bottom):
        _text(p, ts, r, a.AlignCenter, marking(data), MARKING)
    left, mid = a.AlignLeft | a.AlignVCenter, a.AlignRight | a.AlignVCenter
    name = ts.metrics(FURNITURE).elidedText(plan.name, Qt.TextElideMode.ElideRight, top.width() * 0.36)
    _text(p, ts, top, left, name, FURNITURE)
    if plan.is_sample:
        _text(p, ts, top.adjusted(ts.width(name, FURNITURE) + 12, 0, 0, 0), left, "SAMPLE DATA", SAMPLE)
    _text(p, ts, top, mid, f"Board pack: {data.dash.period.name}", FURNITURE)
    _text(p, ts, bottom, left, f"Printed {uk(data.printed)} · {anchor(data, short=True)}", FURNITURE)
    _text(p, ts, bottom, mid, f"Page {n} of {total}", FURNITURE)


def cover(p: QPainter, ts: Typesetter, page: QRectF, data: PackData) -> None:
    dash, plan, a = data.dash, data.dash.plan, Qt.AlignmentFlag
    x, w = page.width() * 0.12, page.width() * 0.76
    wrap = a.AlignLeft | a.AlignTop | Qt.TextFlag.TextWordWrap
    _text(p, ts, QRectF(x, page.height() * 0.2, w, 100), wrap, plan.name, Style(26, bold=True))
    lines = [plan.organisation, f"Board pack for {dash.period.name} ({uk(dash.period.start)} to {uk(dash.period.end)})",
             f"Figures as of {uk(dash.as_of)}; printed {uk(data.printed)}"]  # fmt: skip
    for i, line in enumerate(x for x in lines if x):
        _text(p, ts, QRectF(x, page.height() * 0.4 + i * 30, w, 28), a.AlignLeft, line, Style(15))
    _text(p, ts, QRectF(x, page.height() * 0.62, w, 36), a.AlignLeft, marking(data), Style(20, bold=True))
    if plan.is_sample:
        _text(p, ts, QRectF(x, page.height() * 0.70, w, 50), a.AlignLeft, "SAMPLE DATA: not a real report",
              Style(28, bold=True, colour="#b3261e"))  # fmt: skip
    _text(p, ts, QRectF(x, page.height() * 0.82, w, 40), wrap,
          "The statuses, scores and words used are defined at the end of the pack.", BOLD)  # fmt: skip
    _text(p, ts, QRectF(x, page.height() * 0.88, w, 40), wrap,
          f"{anchor(data)}. Keep it: `check --anchor` with it tells whether the plan's audit log was "
          "rewritten since this pack was printed.", Style(9))  # fmt: skip


def anchor(data: PackData, *, short: bool = False) -> str:
    """The audit log's head when the pack was read, as ``check --anchor`` takes it (16 hex digits suffice)."""
    if data.audit_head is None:
        return "audit log: no head"
    seq, digest = data.audit_head
    return f"Audit anchor {printed(seq, digest[:16] if short else digest)}"
