"""Reading a plan workbook from outside: checked as a return is, then every cell of every sheet.

The file goes through the returns' safety checks (:mod:`tracker.workbooks.safety`: size, zip bombs,
macros, XML entities, the work reading it would take) with bounds of its own, :data:`PLAN_LIMITS`,
sized for a national plan rather than a lead's return, and is read in read-only mode, values only.
A formula in any cell refuses the file, as in a return. Every
cell's problem is listed (sheet, row, column, what was found and what was expected); reading needs
no store, so a large file never holds the store's write lock while it is read.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from tracker.db import bulk_rows
from tracker.services.plan_rows import PlanInput, PlanProblem, PlanSheet, SheetRow
from tracker.workbooks.returns_layout import describe
from tracker.workbooks.safety import MB, Wording, inspect_upload, open_untrusted, refuse_formulas

from .plan_layout import FIRST_ROW, HEADER_ROW, SHEETS, CellProblem, Sheet, parse

_PLAIN = (str, int, float, date, type(None))  # what a typed cell holds (a datetime is a date)

PLAN_WORDING = Wording(
    "a plan workbook", "import it again", "copy the rows into a new template (plan-template) and import that"
)
# The scale plan (10,000 objectives, 100,000 milestones, 20,000 risks) exports as 6.7 MB expanding to
# 81 MB of XML (47 MB of it the 100,003-row milestones sheet, 28 MB the risks' 19 columns), with no
# table of texts (Excel saving it again would make one). These allow 2.5 times that, a sheet of up to
# 250,000 rows (Excel's limit is 1,048,576) of up to 20 columns, and still refuse zip bombs and
# absurd files: checking 512 MB of XML takes about a minute, and openpyxl holds every shared text.
PLAN_LIMITS: dict[str, Any] = {
    "max_bytes": 64 * MB,
    "max_uncompressed": 512 * MB,
    "max_rows": 250_000,
    "max_cells": 5_000_000,
    "max_strings": 1_000_000,
    "max_strings_bytes": 128 * MB,
    "max_part_bytes": 32 * MB,
    "wording": PLAN_WORDING,
}


def read_plan_file(path: str | os.PathLike[str], **limits: Any) -> PlanInput:
    """Check and parse a plan workbook; UnsafeWorkbook refuses a hostile or damaged file.

    The bounds are :data:`PLAN_LIMITS` (``limits`` override them: see
    :func:`~tracker.workbooks.safety.inspect_upload`), so a sheet holds at most 250,000 rows.
    """
    safe = inspect_upload(path, **{**PLAN_LIMITS, **limits})
    problems: list[PlanProblem] = []
    sheets = {}
    with open_untrusted(safe) as wb, bulk_rows():
        for spec in SHEETS:
            if spec.title not in wb.sheetnames:
                problems.append(
                    PlanProblem(
                        spec.title, 0, "", "no such sheet", f"the '{spec.title}' sheet of the template"
                    )
                )
                continue
            rows = _read_sheet(safe.name, spec, wb[spec.title], problems)
            if rows is not None:
                sheets[spec.kind] = PlanSheet(spec.kind, spec.title, spec.headers, tuple(rows))
    return PlanInput(safe.name, sheets, tuple(problems), tuple(s.title for s in SHEETS))


def _read_sheet(file_name: str, spec: Sheet, ws: Any, problems: list[PlanProblem]) -> list[SheetRow] | None:
    columns = spec.columns
    width = len(columns)
    found = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    expected = [c.heading for c in columns]
    found = [(str(v).strip() if v is not None else "") for v in list(found)[:width]]
    if found != expected:
        problems.append(PlanProblem(
            spec.title, HEADER_ROW, "", describe(" | ".join(found)),
            "the column headings of the template (columns cannot be added, moved or renamed): " + " | ".join(expected),
        ))  # fmt: skip
        return None
    example = [parse(c, v) for c, v in zip(columns, spec.example, strict=True)]
    rows: list[SheetRow] = []
    suspect = False  # text starting "=": a formula, or text typed with Excel's quote prefix
    for n, raw in enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True), start=FIRST_ROW
    ):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        raw = tuple(raw) + (None,) * (width - len(raw))
        values: dict[str, Any] = {}
        for col, cell in zip(columns, raw, strict=True):
            if isinstance(cell, str) and cell.startswith("=") or not isinstance(cell, _PLAIN):
                suspect = True
            try:
                values[col.field] = parse(col, cell)
            except CellProblem as exc:
                values[col.field] = None
                problems.append(PlanProblem(spec.title, n, col.header, describe(cell), str(exc)))
        if n == FIRST_ROW and list(values.values()) == example:
            continue
        rows.append(SheetRow(n, values))
    if suspect:  # read the cells themselves, to tell a formula from quoted text
        for cells in ws.iter_rows(min_row=FIRST_ROW, max_col=width):
            refuse_formulas(file_name, spec.title, cells)
    return rows
