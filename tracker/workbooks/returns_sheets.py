"""The sheets of a return workbook: instructions, one data sheet per kind of item, the manifest.

Written in openpyxl's write-only mode through :mod:`tracker.workbooks.cells`, so text never
becomes a formula and every sheet carries the marking. Sheets are protected without a password:
a guard against slips (typing over a reference), not security. Every cell written has its font set
(the status workbook's), and every cell a lead fills in shows an input message saying what it takes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from tracker.enums import Brag
from tracker.workbooks.cells import (
    add_date_validation,
    add_list_validation,
    add_text_validation,
    add_whole_number_validation,
    column_widths,
    safe_row,
    safe_value,
    wrapped_height,
)
from tracker.workbooks.returns_layout import FIRST_ROW, SHEETS, Column, Contact, Manifest, SheetSpec
from tracker.workbooks.tables import FONT, LINE_POINTS, PAGE_UNITS, page_setup

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "fill me in"
INPUT_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
CONTEXT_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
NEW_ROW_FILL = PatternFill("solid", fgColor="EDEDED")  # a new item's reference cells: nothing to read
BRAG_FILLS = {
    Brag.RED: "F4B6B6", Brag.AMBER: "FFD699", Brag.GREEN: "B7DDB0", Brag.BLUE: "B4C7E7", Brag.GREY: "D9D9D9",
}  # fmt: skip
BODY = Font(name=FONT, size=10)
BOLD = Font(name=FONT, size=10, bold=True)
LEAD_LINE = Font(name=FONT, size=11, bold=True)
LEAD_LINE_WIDER = 1.25  # how much wider 11-point bold runs than the 10-point text widths count
TITLE = Font(name=FONT, size=16, bold=True)
SUBTITLE = Font(name=FONT, size=12, bold=True)
UNLOCKED = Protection(locked=False)
TOP = Alignment(vertical="top")
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TOP_CENTRE = Alignment(vertical="top", horizontal="center")  # dates, scores: clear of the next column
HEADER = Alignment(vertical="bottom", wrap_text=True)
DATE_FORMAT = "dd/mm/yyyy"
ROW_POINTS = 15.0  # the least height of a row
NEW_ROW_POINTS = 30.0  # a new item's row: room to see that it is there to be filled in
STEP_WIDTH = PAGE_UNITS - 25  # the instructions' text column: with the two before it, a page wide


def protect(ws: Any) -> None:
    """Lock the sheet without a password, leaving widths, heights, filters and sorting free."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.autoFilter = False
    p.sort = False


def write_instructions(
    wb: Any, plan: Any, this: Any, lead: Any, counts: dict[str, int], contact: Contact
) -> None:
    ws = wb.create_sheet("Instructions")
    column_widths(ws, [3, 22, STEP_WIDTH])
    page_setup(ws)
    row = 0

    def put(*cells: Any, text_for_height: str = "") -> None:
        nonlocal row
        row += 1
        if text_for_height:  # write-only mode: the height must be set before the row is written
            ws.row_dimensions[row].height = max(
                ROW_POINTS, wrapped_height(text_for_height, STEP_WIDTH, line_points=13)
            )
        ws.append([None, *cells])

    def line(text: str, font: Font = BODY) -> None:
        put(safe_value(ws, text, alignment=TOP, font=font))

    ws.row_dimensions[1].height = 24
    line(f"Period return: {this.name}", TITLE)
    line(f"For {lead.name}", SUBTITLE)
    line(plan.name)
    line(f"Reporting period {this.name}: {this.start:%d %b %Y} to {this.end:%d %b %Y}")
    if contact.line():
        ws.row_dimensions[row + 1].height = 20
        line(contact.line(), SUBTITLE)
    put()
    line("What to do", BOLD)
    sheets = ", ".join(f"{s.title} ({counts.get(s.kind, 0)})" for s in SHEETS)
    send = f"send it back to {contact.to_whom}" + (f" by {contact.due}" if contact.due else "")
    steps = [
        f"Fill in the yellow columns on each sheet: {sheets}. Grey columns are for reference. Choose "
        "a yellow cell to see what it takes.",
        "Choose from the drop-down lists where a cell has one. Type dates as 31/03/2025 and "
        "percentages as whole numbers (40, not 40%). Type values, not formulas.",
        "An objective in progress or on hold needs a RAG. A RAG that differs from last period "
        "needs a rationale; Red needs a corrective action.",
        "Milestones: move the forecast date when a milestone will land later or sooner. Any change "
        "of the baseline or forecast date needs a reason (the last column); it is kept in the "
        "milestone's notes with your name. Give the completed date once it is done, not before.",
        "Risks: re-score each risk as it stands now. To raise a new risk, fill in a 'New risk' row at "
        "the bottom of the Risks sheet: a title, the cause, event and effect, one of your objectives "
        "and the scores. You will own it.",
        "Recommendations: set the status and add a progress note. Proposing closure needs the "
        "evidence; closing needs a closure rationale.",
        "Not asked for: objectives that are complete or cancelled, milestones that are done or belong "
        "to a complete or cancelled objective, and closed risks and recommendations. Tell the PMO if "
        "one of those needs changing.",
        "The grey columns and the hidden row ids are locked so they are not changed by mistake. "
        "Please do not add, delete or rename sheets, or paste in rows from someone else's return: "
        "only the items listed for you, and the new risk rows, are taken in.",
        f"Save the file as an Excel Workbook (.xlsx) and {send}. "
        "Macro-enabled (.xlsm), old .xls, .ods, PDF and password-protected files cannot be read.",
    ]
    for n, step in enumerate(steps, start=1):
        put(
            safe_value(ws, f"Step {n}", font=BOLD, alignment=TOP),
            safe_value(ws, step, font=BODY, alignment=TOP_WRAP),
            text_for_height=step,
        )
    put()
    line("RAG definitions", BOLD)
    for status, text in (
        (Brag.GREEN, plan.rag_green), (Brag.AMBER, plan.rag_amber), (Brag.RED, plan.rag_red),
        (Brag.BLUE, plan.rag_blue), (Brag.GREY, plan.rag_grey),
    ):  # fmt: skip
        fill = PatternFill("solid", fgColor=BRAG_FILLS[status])
        put(
            safe_value(ws, status.label, font=BOLD, alignment=TOP, fill=fill),
            safe_value(ws, text, font=BODY, alignment=TOP_WRAP),
            text_for_height=text,
        )
    put()
    line(f"Questions about this return: contact {contact.to_whom}.")
    protect(ws)


def write_data_sheet(
    wb: Any,
    spec: SheetSpec,
    rows: list[tuple[str, list[Any]]],
    refs: dict[str, str],
    *,
    contact: Contact,
    new_row: Sequence[Any] = (),
) -> None:
    """One sheet: a line saying what to do, the header row, a row per item (id last, hidden), then
    ``spec.new_rows`` rows for new items, each starting as ``new_row`` (the values of its columns)."""
    ws = wb.create_sheet(spec.title)
    ncols = len(spec.columns)
    new_ids = spec.new_ids()
    last = FIRST_ROW - 1 + max(len(rows), 1) + len(new_ids)
    column_widths(ws, [c.width for c in spec.columns])
    ws.column_dimensions[get_column_letter(ncols)].hidden = True
    # Full size, so that 10-point text prints at 10 points: the columns continue on pages to the
    # right, each starting with the reference columns, and an item's pages follow one another.
    page_setup(ws, header_rows=FIRST_ROW - 1, frozen_columns=spec.repeat, last_row=last,
               last_column=ncols - 1, autofilter=True)  # fmt: skip
    ws.page_setup.pageOrder = "overThenDown"
    # The line saying what to do is for the screen, wrapped across the first page's columns; it
    # does not print (the instructions sheet, which prints, says the same), since the reference
    # columns repeated on each page to the right would print a piece of it there.
    ws.print_area = f"A{FIRST_ROW - 1}:{get_column_letter(ncols - 1)}{last}"
    ws.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    top = " ".join(x for x in (spec.what_to_do, contact.line()) if x)
    across = first_page_columns([c.width for c in spec.columns[:-1]])
    width = sum(c.width for c in spec.columns[:across])
    ws.row_dimensions[1].height = max(30.0, wrapped_height(top, width / LEAD_LINE_WIDER, line_points=15))
    ws.merged_cells.add(f"A1:{get_column_letter(across)}1")
    ws.append([safe_value(ws, top, font=LEAD_LINE, alignment=Alignment(vertical="center", wrap_text=True))])
    ws.row_dimensions[2].height = 48
    ws.append(
        [
            safe_value(ws, c.header, font=BOLD, alignment=HEADER,
                       fill=INPUT_HEADER_FILL if c.input else CONTEXT_HEADER_FILL)
            for c in spec.columns
        ]
    )  # fmt: skip
    wrapped = [(i, c.width) for i, c in enumerate(spec.columns) if c.wrap]
    r = FIRST_ROW
    for item_id, values in rows:
        texts = [(str(values[i]), width) for i, width in wrapped if isinstance(values[i], str)]
        height = max(
            (wrapped_height(text, width, line_points=LINE_POINTS) for text, width in texts), default=0
        )
        ws.row_dimensions[r].height = max(ROW_POINTS, height)
        ws.append(_cells(ws, spec, [*values, item_id], new=False))
        r += 1
    if not rows:
        nothing = f"There are no {spec.title.lower()} for you in this return."
        if new_ids:
            nothing += f" You can raise one in a '{spec.new_noun}' row below."
        ws.append([safe_value(ws, nothing, font=BODY, alignment=TOP)])
        r += 1
    first_new = r
    for item_id in new_ids:
        ws.row_dimensions[r].height = NEW_ROW_POINTS
        ws.append(_cells(ws, spec, [*new_row, item_id], new=True))
        r += 1
    existing = (FIRST_ROW, FIRST_ROW + len(rows) - 1) if rows else None
    added = (first_new, r - 1) if new_ids else None
    _validations(ws, spec, existing, added, refs)
    protect(ws)


def first_page_columns(widths: Sequence[float]) -> int:
    """How many columns, from A, print across the first page at full size (at least one)."""
    total, n = 0.0, 0
    for width in widths:
        if n and total + width > PAGE_UNITS:
            break
        total, n = total + width, n + 1
    return n


_CENTRED = frozenset({"date", "score", "percent", "choice"})


def _cells(ws: Any, spec: SheetSpec, values: Sequence[Any], *, new: bool) -> list[Any]:
    cells = []
    for column, value in zip(spec.columns, values, strict=True):
        align = TOP_WRAP if column.wrap else TOP_CENTRE if column.kind in _CENTRED else TOP
        style: dict[str, Any] = {"font": BODY, "alignment": align}
        if column.new_input if new else column.input:
            style.update(fill=INPUT_FILL, protection=UNLOCKED)
        elif new and column.kind != "id":
            style.update(fill=NEW_ROW_FILL, font=BOLD if value else BODY)
        if column.kind == "date":
            style["number_format"] = DATE_FORMAT
        cells.append(safe_value(ws, value, **style))
    return cells


def _validations(
    ws: Any,
    spec: SheetSpec,
    existing: tuple[int, int] | None,
    added: tuple[int, int] | None,
    refs: dict[str, str],
) -> None:
    """Each input column's rule and input message, over the rows where it is an input."""
    for i, c in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        for rows, needed in ((existing if c.input else None, True), (added if c.new_input else None, False)):
            if rows is not None:
                _validate(ws, c, f"{letter}{rows[0]}:{letter}{rows[1]}", refs, needed=needed)


def _validate(ws: Any, c: Column, cells: str, refs: dict[str, str], *, needed: bool) -> None:
    """``needed``: an item's row, where a score may not be left blank (a new item's row may stay empty)."""
    prompt, title = c.prompt, c.header
    if c.choices:
        error = f"Choose {c.expected}."
        add_list_validation(ws, refs[c.choices], cells, error=error, prompt=prompt, prompt_title=title)
    elif c.kind == "percent":
        add_whole_number_validation(ws, cells, 0, 100, prompt=prompt, prompt_title=title)
    elif c.kind == "score":
        blank = not needed or c.optional
        add_whole_number_validation(ws, cells, 1, 5, allow_blank=blank, prompt=prompt, prompt_title=title)
    elif c.kind == "date":
        add_date_validation(ws, cells, prompt=prompt, prompt_title=title)
    else:
        add_text_validation(ws, cells, c.max_chars, prompt=prompt, prompt_title=title)


def write_lists(wb: Any, lists: Mapping[str, Sequence[str]], title: str) -> dict[str, str]:
    """The hidden sheet of drop-down lists, locked; returns each list's reference."""
    from tracker.workbooks.cells import hidden_lists_sheet

    refs = hidden_lists_sheet(wb, lists, title=title, font=BODY)
    protect(next(ws for ws in wb.worksheets if ws.title == title))
    return refs


def write_manifest(wb: Any, manifest: Manifest, title: str) -> None:
    ws = wb.create_sheet(title)
    ws.sheet_state = "veryHidden"
    for row in manifest.header_rows() + manifest.data_rows():
        ws.append(safe_row(ws, row))
    protect(ws)
