"""The sheets of a return workbook: instructions, one data sheet per kind of item, the manifest.

Written in openpyxl's write-only mode through :mod:`tracker.workbooks.cells`, so text never
becomes a formula and every sheet carries the marking. Sheets are protected without a password:
a guard against slips (typing over a reference), not security.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from tracker.enums import Brag
from tracker.workbooks.cells import (
    add_date_validation,
    add_list_validation,
    add_whole_number_validation,
    column_widths,
    print_setup,
    safe_row,
    safe_value,
    wrapped_height,
)
from tracker.workbooks.returns_layout import FIRST_ROW, SHEETS, Manifest, SheetSpec

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "fill me in"
INPUT_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
CONTEXT_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
BRAG_FILLS = {
    Brag.RED: "F4B6B6", Brag.AMBER: "FFD699", Brag.GREEN: "B7DDB0", Brag.BLUE: "B4C7E7", Brag.GREY: "D9D9D9",
}  # fmt: skip
UNLOCKED = Protection(locked=False)
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
HEADER = Alignment(vertical="bottom", wrap_text=True)
DATE_FORMAT = "dd/mm/yyyy"
MIN_VALIDATED_ROWS = 50  # so a drop-down still works on a row the lead adds below a short list


def protect(ws: Any) -> None:
    """Lock the sheet without a password, leaving widths, heights, filters and sorting free."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.autoFilter = False
    p.sort = False


def write_instructions(wb: Any, plan: Any, this: Any, lead: Any, counts: dict[str, int]) -> None:
    ws = wb.create_sheet("Instructions")
    column_widths(ws, [3, 22, 95])
    print_setup(ws, header_rows=0)
    bold = Font(bold=True)
    row = 0

    def put(*cells: Any, text_for_height: str = "") -> None:
        nonlocal row
        row += 1
        if text_for_height:  # write-only mode: the height must be set before the row is written
            ws.row_dimensions[row].height = max(15.0, wrapped_height(text_for_height, 90))
        ws.append([None, *cells])

    def line(text: str, font: Font | None = None) -> None:
        put(safe_value(ws, text, alignment=TOP, **({"font": font} if font else {})))

    ws.row_dimensions[1].height = 24
    line(f"Period return: {this.name}", font=Font(bold=True, size=16))
    line(f"For {lead.name}", font=Font(bold=True, size=12))
    line(plan.name)
    line(f"Reporting period {this.name}: {this.start:%d %b %Y} to {this.end:%d %b %Y}")
    put()
    line("What to do", font=bold)
    sheets = ", ".join(f"{s.title} ({counts.get(s.kind, 0)})" for s in SHEETS)
    steps = [
        f"Fill in the yellow columns on each sheet: {sheets}. Grey columns are for reference.",
        "Choose from the drop-down lists where a cell has one. Type dates as 31/03/2025 and "
        "percentages as whole numbers (40, not 40%). Type values, not formulas.",
        "An objective in progress or on hold needs a RAG. A RAG that differs from last period "
        "needs a rationale; Red needs a corrective action.",
        "The grey columns and the hidden row ids are locked so they are not changed by mistake. "
        "Please do not add, delete or rename sheets, or paste in rows from someone else's return: "
        "only the items listed for you are taken in.",
        "Save the file as an Excel Workbook (.xlsx) and send it back to the PMO. "
        "Macro-enabled (.xlsm), old .xls, .ods, PDF and password-protected files cannot be read.",
    ]
    for n, step in enumerate(steps, start=1):
        put(
            safe_value(ws, f"Step {n}", font=bold, alignment=TOP),
            safe_value(ws, step, alignment=TOP_WRAP),
            text_for_height=step,
        )
    put()
    line("RAG definitions", font=bold)
    for status, text in (
        (Brag.GREEN, plan.rag_green), (Brag.AMBER, plan.rag_amber), (Brag.RED, plan.rag_red),
        (Brag.BLUE, plan.rag_blue), (Brag.GREY, plan.rag_grey),
    ):  # fmt: skip
        fill = PatternFill("solid", fgColor=BRAG_FILLS[status])
        put(
            safe_value(ws, status.label, font=bold, alignment=TOP, fill=fill),
            safe_value(ws, text, alignment=TOP_WRAP),
            text_for_height=text,
        )
    put()
    line("Questions about this return: contact the PMO.")
    protect(ws)


def write_data_sheet(
    wb: Any, spec: SheetSpec, rows: list[tuple[str, list[Any]]], refs: dict[str, str]
) -> None:
    """One sheet: a line saying what to do, the header row, then a row per item (id last, hidden)."""
    ws = wb.create_sheet(spec.title)
    ncols = len(spec.columns)
    last = FIRST_ROW - 1 + max(len(rows), 1)
    column_widths(ws, [c.width for c in spec.columns])
    ws.column_dimensions[get_column_letter(ncols)].hidden = True
    print_setup(ws, header_rows=FIRST_ROW - 1, last_row=last, last_column=ncols - 1)
    ws.row_dimensions[1].height = 30
    ws.append(
        [
            safe_value(
                ws, spec.what_to_do, font=Font(bold=True, size=11), alignment=Alignment(vertical="center")
            )
        ]
    )
    ws.row_dimensions[2].height = 48
    ws.append(
        [
            safe_value(ws, c.header, font=Font(bold=True), alignment=HEADER,
                       fill=INPUT_HEADER_FILL if c.input else CONTEXT_HEADER_FILL)
            for c in spec.columns
        ]
    )  # fmt: skip
    wrapped = [(i, c.width) for i, c in enumerate(spec.columns) if c.wrap]
    for r, (item_id, values) in enumerate(rows, start=FIRST_ROW):
        texts = [(str(values[i]), width) for i, width in wrapped if isinstance(values[i], str)]
        height = max((wrapped_height(text, width) for text, width in texts), default=15.0)
        ws.row_dimensions[r].height = max(15.0, height)
        cells = []
        for column, value in zip(spec.columns, [*values, item_id], strict=True):
            style: dict[str, Any] = {"alignment": TOP_WRAP if column.wrap else TOP}
            if column.input:
                style.update(fill=INPUT_FILL, protection=UNLOCKED)
            if column.kind == "date":
                style["number_format"] = DATE_FORMAT
            cells.append(safe_value(ws, value, **style))
        ws.append(cells)
    if not rows:
        ws.append(
            [safe_value(ws, f"There are no {spec.title.lower()} for you in this return.", alignment=TOP)]
        )
    _validations(ws, spec, max(last, FIRST_ROW - 1 + MIN_VALIDATED_ROWS), refs)
    protect(ws)


def _validations(ws: Any, spec: SheetSpec, last: int, refs: dict[str, str]) -> None:
    for i, c in enumerate(spec.columns, start=1):
        if not c.input:
            continue
        cells = f"{get_column_letter(i)}{FIRST_ROW}:{get_column_letter(i)}{last}"
        if c.kind == "choice":
            add_list_validation(ws, refs[c.choices], cells, error=f"Choose {c.expected}.")
        elif c.kind == "percent":
            add_whole_number_validation(ws, cells, 0, 100)
        elif c.kind == "score":
            add_whole_number_validation(ws, cells, 1, 5, allow_blank=False)
        elif c.kind == "date":
            add_date_validation(ws, cells)


def write_manifest(wb: Any, manifest: Manifest, title: str) -> None:
    ws = wb.create_sheet(title)
    ws.sheet_state = "veryHidden"
    for row in manifest.header_rows() + manifest.data_rows():
        ws.append(safe_row(ws, row))
    protect(ws)
