"""Report sheets made the same way: a title row, a header row, then rows, in write-only mode.

The look is set once per workbook (:class:`Look`): styles are prepared once and rows go through
:class:`~tracker.workbooks.cells.RowWriter`, so a styled 100,000-row sheet costs little more than
an unstyled one. Text is wrapped and top-aligned; statuses are a fill and a word, never colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from .cells import (
    MAX_CELL_TEXT,
    PAPER_A4,
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
    "not pursued": ("F3F2F1", INK),  # its objective was cancelled or completed
    # movement
    "improved": ("CCE2D8", INK),
    "deteriorated": ("F6D7D2", INK),
    "new": ("D2E2F1", INK),
    "unchanged": ("F3F2F1", INK),
    "attention": ("FFDD00", INK),
}

FONT = "Arial"  # on every Windows PC; LibreOffice shows it as the metric-compatible Liberation Sans
TOP = Alignment(vertical="top", wrap_text=True)
ROW_POINTS = 15.0
LINE_POINTS = 12.75  # one line of 10-point Arial
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
        self.subtitle = style(
            font=font(size=11, color=MUTED, italic=True), alignment=Alignment(vertical="top")
        )
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
                font=font(bold=True, size=12, color=text),
                fill=_solid(fill),
                border=box,
                alignment=Alignment(vertical="center", horizontal="center"),
            )  # fmt: skip
            for key, (fill, text) in STATUS_COLOURS.items()
        }
        wb.remove(probe)


def _solid(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


class TableSheet:
    """A write-only sheet: title (row 1), header (row 2, frozen, filtered, printed on every page), rows."""

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
        paper_size: int = PAPER_A4,
        on_row: Callable[[], None] | None = None,
    ):
        self.ws = ws = wb.create_sheet(valid_sheet_title(title, wb.sheetnames))
        self.look, self.overflow, self.columns = look, overflow, list(columns)
        self._on_row = on_row
        column_widths(ws, [c.width for c in self.columns])
        print_setup(
            ws, header_rows=2, last_row=n_rows + 2, last_column=len(self.columns), paper_size=paper_size
        )
        ws.row_dimensions[1].height = 27
        ws.append([styled_value(ws, heading, look.title)])
        ws.row_dimensions[2].height = 28
        heads = {"date": look.header_centre, "datetime": look.header_centre, "status": look.header_centre,
                 "int": look.header_right, "pct": look.header_right}  # fmt: skip
        ws.append([styled_value(ws, c.header, heads.get(c.kind, look.header)) for c in self.columns])
        self.row = 2
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
        height = ROW_POINTS
        for i, (value, column) in enumerate(zip(values, self.columns, strict=True)):
            if isinstance(value, str):
                if len(value) > _SURELY_FITS:
                    values[i] = value = self.overflow.fit(
                        value, self.ws.title, f"{self._letters[i]}{self.row}"
                    )
                if len(value) > column.width or "\n" in value:
                    height = max(height, wrapped_height(value, column.width, line_points=LINE_POINTS))
        styles = {}
        for i in self._status:
            word, key = values[i] or ("", None)
            values[i] = word or None
            if key:
                styles[i] = self.look.status[key]
        if height > ROW_POINTS:
            set_row_height(self.ws, self.row, height)
        self._rows.append(values, styles)
        if self._on_row is not None:
            self._on_row()


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
        if height != ROW_POINTS:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(list(cells))
        return self.row
