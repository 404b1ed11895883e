"""Reading a status workbook back as a reader would: its registers' rows, and how each sheet prints.

How Excel prints a sheet, from the sheet's own settings (ECMA-376 Part 1, 18.3.1.63 pageSetup and
18.3.1.13 col):

- Without fit-to (``pageSetUpPr fitToPage="0"``) the sheet prints at ``scale`` percent.
- With fit-to, Excel shrinks (never enlarges) until the printed area is ``fitToWidth`` pages wide
  and, unless ``fitToHeight`` is 0, that many tall; the scale is a whole percentage, 10 at least.
- A column ``width`` is in digits of the default font: in pixels at 96 dpi,
  ``trunc(((256 * width + trunc(128 / mdw)) / 256) * mdw)``, where ``mdw`` is that font's widest
  digit (7 pixels for Arial 10 and Calibri 11, the defaults here and in openpyxl).
"""

from __future__ import annotations

import math
import re
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

A4_LANDSCAPE = (842.0, 595.0)  # points
MDW = 7  # the widest digit of the default font, in pixels
LIBREOFFICE_UNIT = 6.36  # points per width unit where LibreOffice draws Arial as DejaVu Sans (this machine)


def header_row(ws: Any) -> int:
    """A register's header row: the last row frozen above its data."""
    return coordinate_from_string(ws.freeze_panes)[1] - 1


def headers(ws: Any) -> list[Any]:
    return [c.value for c in ws[header_row(ws)]]


def column(ws: Any, header: str) -> int:
    return headers(ws).index(header) + 1


def last_data_row(ws: Any) -> int:
    """The register's last row: where its filter ends (rows below it, such as totals, are not data)."""
    return int(re.search(r"(\d+)$", ws.auto_filter.ref).group(1))


def body(ws: Any, header: str) -> list[Any]:
    col = column(ws, header)
    return [ws.cell(row=r, column=col) for r in range(header_row(ws) + 1, last_data_row(ws) + 1)]


def records(ws: Any) -> list[dict[str, Any]]:
    """A register's rows as header -> value."""
    names = headers(ws)
    return [
        dict(zip(names, (c.value for c in row), strict=False))
        for row in ws.iter_rows(min_row=header_row(ws) + 1, max_row=last_data_row(ws))
    ]


# ---------------------------------------------------------------------------------------------- printing


def column_points(width: float | None) -> float:
    """A column's printed width in points, as Excel computes it (default width 8.43 digits)."""
    width = 8.43 if width is None else width
    pixels = math.trunc(((256 * width + math.trunc(128 / MDW)) / 256) * MDW)
    return pixels * 0.75


def _dimension(ws: Any, index: int) -> Any:
    """The column's settings: a <col> element may cover several columns (openpyxl keys it by the first)."""
    letter = get_column_letter(index)
    if letter in ws.column_dimensions:
        return ws.column_dimensions[letter]
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= index <= (dim.max or dim.min):
            return dim
    return None


def width_of(ws: Any, letter: str) -> float | None:
    dim = _dimension(ws, column_index_from_string(letter))
    return None if dim is None else dim.width


def is_hidden(ws: Any, letter: str) -> bool:
    dim = _dimension(ws, column_index_from_string(letter))
    return bool(dim is not None and dim.hidden)


def printed_columns(ws: Any) -> list[str]:
    """The letters of the columns that print: the print area's (else the used range's), less hidden ones."""
    if ws.print_area:
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        first, _, last, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
    else:
        first, last = 1, ws.max_column
    letters = [get_column_letter(i) for i in range(first, last + 1)]
    return [c for c in letters if not is_hidden(ws, c)]


def page_width(ws: Any) -> float:
    """The paper's width less the left and right margins, in points."""
    assert ws.page_setup.paperSize in (None, 9, "9") and ws.page_setup.orientation == "landscape", ws.title
    margins = ws.page_margins
    return A4_LANDSCAPE[0] - 72 * (margins.left + margins.right)


def print_scale(ws: Any) -> float:
    """The scale Excel prints the sheet at (1.0 is full size)."""
    setup = ws.page_setup
    if not ws.sheet_properties.pageSetUpPr.fitToPage:
        return int(setup.scale or 100) / 100
    wide = sum(column_points(width_of(ws, c)) for c in printed_columns(ws))
    scale = min(1.0, int(setup.fitToWidth or 1) * page_width(ws) / wide)
    if int(setup.fitToHeight or 0):
        margins = ws.page_margins
        tall = sum((ws.row_dimensions[r].height or 15) for r in range(1, ws.max_row + 1))
        scale = min(
            scale, int(setup.fitToHeight) * (A4_LANDSCAPE[1] - 72 * (margins.top + margins.bottom)) / tall
        )
    return max(10, math.floor(scale * 100)) / 100


def smallest_font(ws: Any) -> float:
    """The smallest font size of any printed cell with something in it (the workbook's default: 11)."""
    letters = set(printed_columns(ws))
    sizes = [
        float(cell.font.sz or 11)
        for row in ws.iter_rows()
        for cell in row
        if cell.value not in (None, "") and cell.column_letter in letters
    ]
    return min(sizes)


def printed_width(ws: Any) -> tuple[float, float]:
    """The printed columns' width in points as Excel draws them and as LibreOffice does here."""
    widths = [width_of(ws, c) for c in printed_columns(ws)]
    return (
        sum(column_points(w) for w in widths),
        sum((8.43 if w is None else w) * LIBREOFFICE_UNIT for w in widths),
    )


def repeated_columns(ws: Any) -> list[str]:
    """The columns printed again at the left of every page to the right (the sheet's print titles)."""
    if not ws.print_title_cols:
        return []
    first, last = ws.print_title_cols.replace("$", "").split(":")
    letters = (
        get_column_letter(i)
        for i in range(column_index_from_string(first), column_index_from_string(last) + 1)
    )
    return [c for c in letters if not is_hidden(ws, c)]


def page_strips(ws: Any, points: Any = column_points) -> list[list[str]]:
    """The printed columns as they fall across pages, the repeated columns at the left of each: a
    page takes columns until the next would not fit (``points``: a column's width in points)."""
    scale, repeated = print_scale(ws), repeated_columns(ws)
    room = page_width(ws) / scale - sum(points(width_of(ws, c)) for c in repeated)
    strips: list[list[str]] = []
    used = room
    for letter in printed_columns(ws):
        if letter in repeated:
            continue
        wide = points(width_of(ws, letter))
        assert wide <= room, f"{ws.title}: column {letter} is wider than a page beside the repeated columns"
        if used + wide > room:
            strips.append([])
            used = 0.0
        strips[-1].append(letter)
        used += wide
    return [repeated + strip for strip in strips] or [repeated]


def libreoffice_points(width: float | None) -> float:
    return (8.43 if width is None else width) * LIBREOFFICE_UNIT
