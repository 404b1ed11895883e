"""Report sheets made the same way: a title row, a header row, then rows, in write-only mode.

The look is set once per workbook (:class:`Look`): styles are prepared once and rows go through
:class:`~tracker.workbooks.cells.RowWriter`, so a styled 100,000-row sheet costs little more than
an unstyled one. Text is wrapped and top-aligned; statuses are a fill and a word, never colour alone.

Every sheet prints on A4 landscape at 100 %, so the 10-point text prints at 10 points (fitting a
wide sheet to the page width shrank it to under 5). A sheet's printed columns therefore fit in
:data:`PAGE_UNITS`; a register wider than that prints its first columns and says on the sheet which
columns are on screen only (:class:`TableSheet`'s ``printed``), and the RAG trend (a column a period)
folds its earliest periods away (``fold``) and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook import Workbook
from openpyxl.worksheet.page import PageMargins

from .cells import (
    MAX_CELL_TEXT,
    LongTextSheet,
    RowWriter,
    cell_style,
    column_widths,
    print_setup,
    set_row_height,
    styled_value,
    valid_sheet_title,
    wrapped_height,
)

NAVY = "12436D"
INK = "0B0C0C"
MUTED = "505A5F"
WHITE = "FFFFFF"
LINE = "B1B4B6"
SHADE = "F3F2F1"

# Fill and text colour per status key: the app's standard palette (ui/palette.py), so the workbook
# matches the screens. Text is white where that reads better on the fill.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "red": ("D4351C", WHITE),
    "amber": ("F47738", INK),
    "green": ("00703C", WHITE),
    "blue": ("1D70B8", WHITE),
    "grey": ("B1B4B6", INK),
    "no update": ("F3F2F1", INK),
    # risk bands
    "low": ("CCE2D8", INK),
    "medium": ("FFF2B2", INK),
    "high": ("F9C6A5", INK),
    "very high": ("D4351C", WHITE),
    # milestone states
    "complete": ("D2E2F1", INK),
    "on track": ("CCE2D8", INK),
    "slipping": ("FCD6B8", INK),
    "overdue": ("D4351C", WHITE),
    # movement
    "improved": ("CCE2D8", INK),
    "deteriorated": ("F6D7D2", INK),
    "new": ("D2E2F1", INK),
    "unchanged": ("F3F2F1", INK),
    "attention": ("FFDD00", INK),
    "not pursued": ("DEE0E2", INK),  # a milestone of a cancelled, completed or retired objective
    "retired": ("DEE0E2", INK),  # an objective in the periods after it left the plan (not counted)
}

FONT = "Arial"  # on every Windows PC; LibreOffice shows it as the metric-compatible Liberation Sans
TOP = Alignment(vertical="top", wrap_text=True)
ROW_POINTS = 15.0
LINE_POINTS = 12.75  # one line of 10-point Arial
PRINT_SCALE = 100  # every sheet prints at full size: the smallest text (10 point) prints at 10 points
# Column width units that print across A4 landscape at 100 % within PAGE_MARGINS. A unit is the
# width of a digit of the workbook's default font (Arial 10: 7 pixels in Excel, 5.25 points, plus
# 5 pixels a column); LibreOffice without Arial draws it wider (6.4 points with DejaVu Sans), so the
# budget keeps to what fits there: 784 points of paper over 6.4 is 122.
PAGE_UNITS = 120
PAGE_MARGINS = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3, footer=0.3)  # inches
# Text up to this length always fits one cell (a UTF-16 length is at most twice the length).
_SURELY_FITS = MAX_CELL_TEXT // 2


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text, date, datetime, int, pct, status ((word, key) pairs)


class Look:
    """The workbook's prepared styles (made once: styling by keyword per cell is slow)."""

    def __init__(self, wb: Workbook):
        default_font(wb)
        probe = wb.create_sheet("styles")  # cell_style needs a sheet of the workbook
        thin = Side(style="thin", color=LINE)
        box = Border(left=thin, right=thin, top=thin, bottom=thin)

        def style(**kw: Any) -> Any:
            kw.setdefault("alignment", TOP)
            kw.setdefault("font", Font(name=FONT, size=10))
            return cell_style(probe, **kw)

        def font(**kw: Any) -> Font:
            return Font(name=FONT, **{"size": 10, **kw})

        self.title = style(font=font(bold=True, size=15, color=NAVY), alignment=Alignment(vertical="center"))
        self.section = style(
            font=font(bold=True, size=12, color=NAVY), alignment=Alignment(vertical="bottom")
        )
        self.header = style(
            font=font(bold=True, color=WHITE), fill=_solid(NAVY), border=box,
            alignment=Alignment(vertical="center", wrap_text=True),
        )  # fmt: skip
        # A header sits over its column the way the column's values do (numbers right, statuses centred).
        self.header_centre, self.header_right = (
            style(font=font(bold=True, color=WHITE), fill=_solid(NAVY), border=box,
                  alignment=Alignment(vertical="center", horizontal=side, wrap_text=True))
            for side in ("center", "right")
        )  # fmt: skip
        self.centre = style(alignment=Alignment(vertical="top", horizontal="center", wrap_text=True))
        self.text = style()
        self.label = style(font=font(bold=True), fill=_solid(SHADE), border=box)
        self.boxed = style(border=box)
        self.bold = style(font=font(bold=True), border=box)
        self.number = style(alignment=Alignment(vertical="top", horizontal="right"))
        self.count = style(border=box, alignment=Alignment(vertical="top", horizontal="center"))
        self.total = style(
            font=font(bold=True), border=box, alignment=Alignment(vertical="top", horizontal="center")
        )
        # Dates centred: right-aligned, they run into the next column's left-aligned text.
        self.date = style(
            number_format="dd mmm yyyy", alignment=Alignment(vertical="top", horizontal="center")
        )
        self.datetime = style(
            number_format="dd mmm yyyy hh:mm", alignment=Alignment(vertical="top", horizontal="center")
        )
        self.pct = style(number_format='0"%"', alignment=Alignment(vertical="top", horizontal="right"))
        self.warning = style(font=font(bold=True, size=13, color=WHITE), fill=_solid("D4351C"))
        self.banner = style(
            font=font(bold=True, size=11, color=WHITE), fill=_solid("D4351C"),
            alignment=Alignment(vertical="center", wrap_text=True),
        )  # fmt: skip
        self.note = style(font=font(italic=True, color=MUTED))
        self.status = {
            key: style(
                font=font(bold=True, color=text),
                fill=_solid(fill),
                border=box,
                alignment=Alignment(vertical="top", horizontal="center", wrap_text=True),
            )  # fmt: skip
            for key, (fill, text) in STATUS_COLOURS.items()
        }
        self.cell = {
            key: style(
                font=font(bold=True, size=11, color=text),
                fill=_solid(fill),
                border=box,
                alignment=Alignment(vertical="center", horizontal="center"),
            )  # fmt: skip
            for key, (fill, text) in STATUS_COLOURS.items()
        }
        self.unknown_status = self.centre  # a status word this version has no colour for: the word alone
        wb.remove(probe)

    def status_of(self, key: str) -> Any:
        """The fill and font of a status key (a word the queries give that has no colour yet: none)."""
        return self.status.get(key, self.unknown_status)


def default_font(wb: Workbook) -> None:
    """Make Arial 10 the workbook's default font (Excel's "Normal" style) before any style is made.

    Column widths are counted in digits of the default font, so with the font the cells use the
    widths mean what they say, in Excel and in LibreOffice alike.
    """
    if len(wb._cell_styles) > 1:
        raise ValueError("default_font must be called before any cell is styled")
    font = Font(name=FONT, size=10, family=2)
    wb._fonts = IndexedList([font])
    normal = wb._named_styles["Normal"]
    normal.font = font
    normal.bind(wb)


def page_setup(ws: Any, *, header_rows: int = 0, frozen_columns: int = 0, last_row: int | None = None,
               last_column: int | None = None, autofilter: bool = False) -> None:  # fmt: skip
    """A4 landscape at full size with the report's margins (see :func:`~.cells.print_setup`)."""
    print_setup(ws, header_rows=header_rows, last_row=last_row, last_column=last_column, autofilter=autofilter,
                scale=PRINT_SCALE, frozen_columns=frozen_columns)  # fmt: skip
    ws.page_margins = copy(PAGE_MARGINS)


def _solid(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


class TableSheet:
    """A write-only register: title, a banner and a note when given, the header row, then rows.

    The header row is frozen with the first ``frozen`` columns (the reference and title), filtered,
    and printed at the top of every page. ``printed`` columns (default: all) print; the rest are on
    screen only, which the note must say. ``fold`` columns after the frozen ones are folded away
    (grouped and hidden, so not printed either) until the reader opens them with the group's "+".
    """

    def __init__(
        self,
        wb: Workbook,
        look: Look,
        overflow: LongTextSheet,
        title: str,
        heading: str,
        columns: Sequence[Column],
        n_rows: int,
        *,
        banner: str = "",
        note: str = "",
        frozen: int = 1,
        printed: int | None = None,
        fold: int = 0,
        on_row: Callable[[], None] | None = None,
    ):
        self.ws = ws = wb.create_sheet(valid_sheet_title(title, wb.sheetnames))
        self.look, self.overflow, self.columns = look, overflow, list(columns)
        self._on_row = on_row
        self.printed = len(self.columns) if printed is None else printed
        shown = self.columns[:frozen] + self.columns[frozen + fold : self.printed]
        width = sum(c.width for c in shown)
        if width > PAGE_UNITS:
            raise ValueError(f"{title}: the printed columns are {width:g} wide; a page holds {PAGE_UNITS}")
        above = [(text, style) for text, style in ((banner, look.banner), (note, look.note)) if text]
        self.header_row = 2 + len(above)
        last_row = self.header_row + n_rows
        column_widths(ws, [c.width for c in self.columns])
        if fold:
            ws.column_dimensions.group(
                get_column_letter(frozen + 1), get_column_letter(frozen + fold), hidden=True
            )
        page_setup(ws, header_rows=self.header_row, frozen_columns=frozen, last_row=last_row,
                   last_column=len(self.columns), autofilter=True)  # fmt: skip
        # The header row heads every page; the title, banner and note print once, above the first.
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        last_printed = get_column_letter(self.printed)
        if self.printed < len(self.columns):
            ws.print_area = f"A1:{last_printed}{last_row}"
        # Title, banner and note each span the printed columns, so that no grid line crosses them.
        ws.row_dimensions[1].height = 27
        ws.append([styled_value(ws, heading, look.title)])
        ws.merged_cells.add(f"A1:{last_printed}1")
        for row, (text, style) in enumerate(above, start=2):
            ws.row_dimensions[row].height = max(20.0, wrapped_height(text, width, line_points=LINE_POINTS))
            ws.append([styled_value(ws, text, style)])
            ws.merged_cells.add(f"A{row}:{last_printed}{row}")
        ws.row_dimensions[self.header_row].height = 28
        heads = {"date": look.header_centre, "datetime": look.header_centre, "status": look.header_centre,
                 "int": look.header_right, "pct": look.header_right}  # fmt: skip
        ws.append([styled_value(ws, c.header, heads.get(c.kind, look.header)) for c in self.columns])
        self.row = self.header_row
        self._letters = [get_column_letter(i) for i in range(1, len(self.columns) + 1)]
        self._status = [i for i, c in enumerate(self.columns) if c.kind == "status"]
        kinds = {"date": look.date, "datetime": look.datetime, "pct": look.pct, "int": look.number,
                 "status": look.centre}  # fmt: skip
        self._rows = RowWriter(ws, [kinds.get(c.kind, look.text) for c in self.columns])
        ws.print_options.gridLines = True  # printed rules between cells, at no cost per cell

    def append(self, values: Sequence[Any]) -> None:
        """One row; status columns take (word, key) pairs; text is never cut (see cells.RowWriter)."""
        self.row += 1
        values = list(values)
        styles = {}
        for i in self._status:
            word, key = values[i] or ("", None)
            values[i] = word or None
            if key:
                styles[i] = self.look.status_of(key)
        height = ROW_POINTS
        for i, (value, column) in enumerate(zip(values, self.columns, strict=True)):
            if isinstance(value, str):
                if len(value) > _SURELY_FITS:
                    values[i] = value = self.overflow.fit(
                        value, self.ws.title, f"{self._letters[i]}{self.row}"
                    )
                if len(value) > column.width or "\n" in value:
                    height = max(height, wrapped_height(value, column.width, line_points=LINE_POINTS))
        if height > ROW_POINTS:
            set_row_height(self.ws, self.row, height)
        self._rows.append(values, styles)
        if self._on_row is not None:
            self._on_row()

    def put(self, *cells: Any, height: float = ROW_POINTS) -> None:
        """A row of styled cells below the register (totals), outside its filter."""
        self.row += 1
        set_row_height(self.ws, self.row, height)
        self.ws.append(list(cells))


class FreeSheet:
    """A write-only sheet laid out row by row (cover, summary, heat map), rows sized for wrapped text."""

    def __init__(self, ws: Any, widths: Sequence[float]):
        column_widths(ws, widths)
        self.ws, self.widths, self.row = ws, list(widths), 0

    def put(self, *cells: Any, height: float | None = None) -> int:
        """Append a row of values or styled cells; returns its number."""
        self.row += 1
        if height is None:
            height = ROW_POINTS
            for cell, width in zip(cells, self.widths, strict=False):
                text = getattr(cell, "value", cell)
                if isinstance(text, str) and (len(text) > width or "\n" in text):
                    height = max(height, wrapped_height(text, width, line_points=LINE_POINTS))
        # Always set: LibreOffice sizes a row without a height itself, and for wrapped text in a merged
        # cell it sizes it to the first column alone (and then paginates on that).
        self.ws.row_dimensions[self.row].height = height
        self.ws.append(list(cells))
        return self.row

    def banner(self, cell: Any) -> int:
        """A row of one cell across the sheet (a banner or a note), as tall as its wrapped text."""
        text = str(getattr(cell, "value", cell) or "")
        height = max(20.0, wrapped_height(text, sum(self.widths), line_points=LINE_POINTS))
        row = self.put(cell, height=height)
        self.ws.merged_cells.add(f"A{row}:{get_column_letter(len(self.widths))}{row}")
        return row
