"""Writing a plan workbook: the blank template (with an example row a sheet) or the store's plan.

Both have the same sheets and columns (:mod:`tracker.workbooks.plan_layout`), so a plan exported
here and imported into an empty store is the same plan. Each sheet has its heading row frozen and
filtered, readable column widths, dates shown as 31/03/2025, drop-down lists for the choices (on a
hidden "Lists" sheet), whole numbers 1 to 5 for risk scores and dates checked as dates, on the rows
written and on :data:`~.plan_layout.VALIDATED_ROWS` more. The file is written whole or not at all
(:func:`tracker.outputs.written`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from tracker.enums import Marking
from tracker.errors import ValidationError
from tracker.models import Kind
from tracker.outputs import written
from tracker.services.plan_state import LINK_LISTS, PlanState, read_plan_state

from .cells import (
    LongTextSheet,
    add_date_validation,
    add_list_validation,
    add_text_validation,
    add_whole_number_validation,
    cell_style,
    hidden_lists_sheet,
    mark_workbook,
    styled_value,
)
from .plan_layout import (
    CHOICES,
    EXAMPLE_NOTE,
    FIRST_ROW,
    INSTRUCTIONS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEETS,
    VALIDATED_ROWS,
    Col,
    Sheet,
    shown,
)
from .saving import check_workbook, sheets_beside, streaming
from .tables import FONT, PAGE_UNITS, Column, FreeSheet, Look, TableSheet, page_setup

_KINDS = {"date": "date", "score": "int", "order": "int"}
# An item is in the plan only while what it belongs to is: kind -> (its parent's kind, the column naming it).
_PARENT = {
    Kind.OUTCOME: (Kind.THEME, "theme_id"), Kind.OBJECTIVE: (Kind.OUTCOME, "outcome_id"),
    Kind.MILESTONE: (Kind.OBJECTIVE, "objective_id"), Kind.RECOMMENDATION: (Kind.INSPECTION, "inspection_id"),
}  # fmt: skip


class _PlanLook(Look):
    """The report look, with dates as they are typed (31/03/2025) so an edited cell reads the same."""

    def __init__(self, wb: Workbook):
        super().__init__(wb)
        probe = wb.create_sheet("styles")
        self.date = cell_style(
            probe, number_format="dd/mm/yyyy", font=Font(name=FONT, size=10),
            alignment=Alignment(vertical="top", horizontal="center"),
        )  # fmt: skip
        wb.remove(probe)


def write_plan_template(path: str | os.PathLike[str], *, replace: bool = False, author: str = "") -> Path:
    """A blank plan workbook: instructions, then a sheet per kind with its example row."""
    rows = {s.kind: [list(s.example)] for s in SHEETS}
    return _write(
        Path(path), rows, Marking.OFFICIAL.value, "", "Plan template", author, example=True, replace=replace
    )


def export_plan(
    session: Session, path: str | os.PathLike[str], *, replace: bool = False, author: str = ""
) -> Path:
    """The store's plan in the template's sheets: retired items too, deleted ones not.

    ValidationError, and nothing written, when two items of a sheet have the same key (two people of
    one name, say): the file could not be imported back, since import matches items by key.
    """
    state = read_plan_state(session)
    links = {name: state.linked(name) for name in LINK_LISTS}
    items = {s.kind: _rows_of(state, s.kind) for s in SHEETS}
    _refuse_twins(Path(path), state, items)
    rows = {s.kind: [_cells(state, s, r, links) for r in items[s.kind]] for s in SHEETS}
    title = f"{state.plan_name} — plan"
    return _write(
        Path(path), rows, state.marking, state.caveat, title, author, example=False, replace=replace
    )


def _rows_of(state: PlanState, kind: Kind) -> list[dict[str, Any]]:
    """The live items of a kind whose parent is live too, in the order the plan shows them."""
    parent = _PARENT.get(kind)
    rows = state.live(kind)
    if parent is not None:
        live = {r["id"] for r in state.live(parent[0])}
        rows = [r for r in rows if r[parent[1]] in live]
    if kind == Kind.PERSON:  # every person in the store, in name order
        return sorted(rows, key=lambda r: (r["name"].casefold(), r["id"]))
    if kind == Kind.MILESTONE:  # under their objectives, in plan order
        place = {o["id"]: n for n, o in enumerate(_rows_of(state, Kind.OBJECTIVE))}
        return sorted(rows, key=lambda r: (place.get(r["objective_id"], -1), r["ordinal"], r["title"]))
    if kind == Kind.OBJECTIVE:
        outcome = {o["id"]: n for n, o in enumerate(_rows_of(state, Kind.OUTCOME))}
        return sorted(rows, key=lambda r: (outcome.get(r["outcome_id"], -1), r["ordinal"], r["ref"]))
    if kind == Kind.OUTCOME:
        theme = {t["id"]: n for n, t in enumerate(state.live(Kind.THEME))}
        return sorted(rows, key=lambda r: (theme.get(r["theme_id"], -1), r["ordinal"], r["code"]))
    if kind in (Kind.RISK, Kind.RECOMMENDATION):
        return sorted(rows, key=lambda r: (str(state.key(kind, r)), r["id"]))
    return rows


def _refuse_twins(path: Path, state: PlanState, items: dict[Kind, list[dict[str, Any]]]) -> None:
    """Refuse items a plan workbook could not tell apart: its rows are matched by key on import.

    Refused rather than told apart (a "(2)" after a name, say) because any such mark would be a new
    name: importing the file would not give back the plan, and every row naming the item (a lead,
    an owner) would have to choose between them, which only the PMO can.
    """
    found = []
    for spec in SHEETS:
        by_key: dict[Any, list[dict[str, Any]]] = {}
        for row in items[spec.kind]:
            by_key.setdefault(state.key(spec.kind, row), []).append(row)
        found += [f"{_twins(spec.kind, key, rows)} on the {spec.title} sheet" for key, rows in by_key.items()
                  if len(rows) > 1]  # fmt: skip
    if found:
        listed = ", ".join(found[:5]) + (f" and {len(found) - 5:,} more" if len(found) > 5 else "")
        raise ValidationError(
            f"{path.name} was not written: the plan has items a plan workbook cannot tell apart, since "
            f"importing matches them by name or code: {listed}; rename all but one of each in the app "
            "and export again",
            field="plan",
        )


def _twins(kind: Kind, key: Any, rows: list[dict[str, Any]]) -> str:
    """“Jane Smith” twice; “Jane Smith” and “jane smith” (a name as written, else the key)."""
    if kind in (Kind.PERSON, Kind.BOARD):
        spellings = list(dict.fromkeys(r["name"] for r in rows))
    else:
        spellings = [", ".join(map(str, key)) if isinstance(key, tuple) else str(key)]
    if len(spellings) > 1:
        return " and ".join(f"“{x}”" for x in spellings)
    return f"“{spellings[0]}” {'twice' if len(rows) == 2 else f'{len(rows)} times'}"


def _cells(
    state: PlanState, sheet: Sheet, row: dict[str, Any], links: dict[str, dict[str, list[str]]]
) -> list[Any]:
    named = state.named(sheet.kind, row)
    if sheet.kind == Kind.RECOMMENDATION:
        for name, (target, _, _) in LINK_LISTS.items():
            named[name] = tuple(sorted(str(state.key_of(target, t)) for t in links[name].get(row["id"], ())))
    return [shown(c, named.get(c.field)) for c in sheet.columns]


# ---------------------------------------------------------------------------------------------- writing


def _write(
    path: Path, rows: dict[Kind, list[list[Any]]], marking: str, caveat: str, title: str, author: str, *,
    example: bool, replace: bool,
) -> Path:  # fmt: skip
    with (
        written(path, replace=replace, check=check_workbook, what="plan workbook") as temp,
        sheets_beside(path),
        streaming(Workbook(write_only=True)) as wb,
    ):
        look = _PlanLook(wb)
        overflow = LongTextSheet(wb)
        _instructions(wb, look)
        sheets = []
        for spec in SHEETS:
            body = rows[spec.kind]
            note = spec.what + (f" {EXAMPLE_NOTE}" if example else "")
            ts = TableSheet(wb, look, overflow, spec.title, spec.title, [_column(c) for c in spec.columns],
                            len(body), note=note, frozen=1, printed=_printed(spec.columns))  # fmt: skip
            for values in body:
                ts.append(values)
            sheets.append((spec, ts, len(body)))
        refs = hidden_lists_sheet(wb, {name: [label for _, label in pairs] for name, pairs in CHOICES.items()},
                                  title=LISTS_SHEET)  # fmt: skip
        for spec, ts, n in sheets:
            _validations(ts.ws, spec.columns, refs, FIRST_ROW + n + VALIDATED_ROWS - 1)
        mark_workbook(wb, marking, caveat, title=title, author=author or "Delivery Plan Tracker")
        wb.save(temp)
    return path


def _column(col: Col) -> Column:
    return Column(col.heading, col.width, _KINDS.get(col.kind, "text"))


def _printed(columns: Sequence[Col]) -> int:
    total = 0.0
    for n, col in enumerate(columns):
        total += col.width
        if total > PAGE_UNITS:
            return max(1, n)
    return len(columns)


def _instructions(wb: Workbook, look: Look) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    page_setup(ws)
    sheet = FreeSheet(ws, [PAGE_UNITS - 10])
    title, *paragraphs = INSTRUCTIONS
    sheet.put(styled_value(ws, title, look.title), height=27)
    for text in paragraphs:
        sheet.put(styled_value(ws, text, look.text))
    sheet.put(styled_value(ws, "Columns marked * must be filled in on every row.", look.note))


def _validations(ws: Any, columns: Iterable[Col], refs: dict[str, str], last: int) -> None:
    for n, col in enumerate(columns, start=1):
        letter = get_column_letter(n)
        cells = f"{letter}{FIRST_ROW}:{letter}{last}"
        title = col.header[:32]
        prompt = col.prompt or ("Required." if col.required else "")
        if col.kind in ("choice", "yesno"):
            add_list_validation(ws, refs[col.choices or "Yes or no"], cells, allow_blank=not col.required,
                                prompt=prompt, prompt_title=title, error=f"Choose: {col.expected}.")  # fmt: skip
        elif col.kind == "score":
            add_whole_number_validation(ws, cells, 1, 5, allow_blank=False, prompt=prompt, prompt_title=title)
        elif col.kind == "order":
            add_whole_number_validation(ws, cells, 0, 100_000, prompt=prompt, prompt_title=title)
        elif col.kind == "date":
            add_date_validation(ws, cells, allow_blank=not col.required, prompt=prompt, prompt_title=title)
        elif col.max_chars < 30_000 or prompt:
            add_text_validation(ws, cells, col.max_chars, prompt=prompt, prompt_title=title)
