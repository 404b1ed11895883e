"""Reading a return's rows and comparing them with what was issued and what the plan holds now.

The comparison itself is :func:`tracker.merge.merge_fields` (base: as issued, theirs: as returned,
ours: as the plan holds it now); this module reads the rows, fetches the plan's values, and puts
each change and conflict in the return's words (sheet, row, column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from tracker.errors import ValidationError
from tracker.merge import merge_fields, same
from tracker.queries.returns import return_objectives
from tracker.rules import implied_by_lifecycle
from tracker.schemas import RecommendationIn, StatusUpdateIn
from tracker.services.base import validate
from tracker.workbooks.returns_issue import ITEMS, objective_values
from tracker.workbooks.returns_layout import (
    MILESTONE,
    OBJECTIVE,
    RECOMMENDATION,
    RISK,
    SHEET_BY_KIND,
    CellProblem,
    ManifestRow,
    SheetSpec,
    describe,
    parse,
)
from tracker.workbooks.returns_rows import FieldChange, FieldConflict, NotOwned, ReturnProblem, RowChange
from tracker.workbooks.safety import cell_is_formula

LABEL_FIELD: dict[str, str] = {OBJECTIVE: "ref", MILESTONE: "title", RISK: "ref", RECOMMENDATION: "ref"}
NOUN: dict[str, str] = {
    OBJECTIVE: "objective",
    MILESTONE: "milestone",
    RISK: "risk",
    RECOMMENDATION: "recommendation",
}


@dataclass
class ReadRow:
    item_id: str
    number: int
    label: str
    theirs: dict[str, Any]
    ok: bool


@dataclass
class RowReader:
    """Reads one data sheet's rows: each input cell parsed, every fault recorded as a problem."""

    spec: SheetSpec | None = None
    issued: dict[str, ManifestRow] = field(default_factory=dict)
    rows: list[ReadRow] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)

    def read(self, number: int, cells: tuple[Any, ...], problems: list[ReturnProblem]) -> None:
        spec = self.spec
        assert spec is not None
        columns = spec.columns
        values = [getattr(c, "value", None) for c in cells] + [None] * (len(columns) - len(cells))
        bad = False
        for i, column in enumerate(columns):
            if not (column.input or column.kind == "id") or i >= len(cells):
                continue
            value = values[i]
            if (
                (isinstance(value, str) and value.startswith("="))
                or getattr(cells[i], "data_type", "") == "f"
            ) and cell_is_formula(cells[i]):
                found = describe(value if isinstance(value, str) else "a formula")
                problems.append(
                    ReturnProblem(
                        spec.title,
                        number,
                        column.header,
                        f"the formula {found}",
                        "a typed value (formulas are never calculated on import)",
                    )  # fmt: skip
                )
                bad = True
                values[i] = None
        item_id = values[-1]
        label_index = next(i for i, c in enumerate(columns) if c.field == LABEL_FIELD[spec.kind])
        label = str(values[label_index] or "")
        inputs = [(i, c) for i, c in enumerate(columns) if c.input]
        if not isinstance(item_id, str) or not item_id.strip():
            if bad or any(values[i] not in (None, "") for i, _ in inputs):
                problems.append(
                    ReturnProblem(
                        spec.title,
                        number,
                        columns[-1].header,
                        describe(item_id),
                        "a row as issued: rows cannot be added to a return (ask the PMO to add the item)",
                    )  # fmt: skip
                )
            return
        item_id = item_id.strip()
        if item_id in self.seen:
            problems.append(
                ReturnProblem(
                    spec.title,
                    number,
                    columns[-1].header,
                    f"the same item as row {self.seen[item_id]}",
                    "each item once (delete the copied row)",
                )  # fmt: skip
            )
            return
        self.seen[item_id] = number
        theirs = {}
        for i, column in inputs:
            try:
                theirs[column.field] = parse(column, values[i])
            except CellProblem as exc:
                problems.append(
                    ReturnProblem(spec.title, number, column.header, describe(values[i]), str(exc))
                )
                bad = True
        self.rows.append(ReadRow(item_id, number, label, theirs, not bad))


# ---------------------------------------------------------------------------------------------- the plan now


@dataclass
class Current:
    """The plan now for one kind: the lead's items (values, revision) and who answers for other ids."""

    mine: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)
    others: dict[str, str | None] = field(default_factory=dict)


def current_items(
    session: Session, period_id: str, lead_id: str, readers: dict[str, RowReader]
) -> dict[str, Current]:
    """One statement per kind for the lead's items, and one for any ids that are not theirs."""
    out: dict[str, Current] = {}
    for kind, reader in readers.items():
        cur = Current()
        if kind == OBJECTIVE:
            for r in return_objectives(session, period_id, lead_id=lead_id):
                cur.mine[r.id] = ({**objective_values(r), "_prev_rag": r.prev_rag}, r.update_revision)
        else:
            query, values = ITEMS[kind]
            for row in query(session, lead_id=lead_id):
                cur.mine[row.id] = (values(row), row.revision)
        strangers = [r.item_id for r in reader.rows if r.item_id not in cur.mine]
        if strangers:
            if kind == OBJECTIVE:
                cur.others = {
                    r.id: r.responsible for r in return_objectives(session, period_id, ids=strangers)
                }
            else:
                cur.others = {r.id: r.responsible for r in ITEMS[kind].query(session, ids=strangers)}
        out[kind] = cur
    return out


# ---------------------------------------------------------------------------------------------- comparing


def compare_rows(
    readers: dict[str, RowReader],
    current: dict[str, Current],
    notes_on_record: set[tuple[str, str]],
    problems: list[ReturnProblem],
    names: dict[str | None, str],
) -> tuple[list[RowChange], list[FieldConflict], list[NotOwned]]:
    """Changes, conflicts and rows not applied, with validation problems added to ``problems``."""
    changes: list[RowChange] = []
    conflicts: list[FieldConflict] = []
    not_owned: list[NotOwned] = []
    for kind, reader in readers.items():
        spec = SHEET_BY_KIND[kind]
        cur = current[kind]
        for row in reader.rows:
            what = f"{NOUN[kind]} {row.label}" if kind != MILESTONE else f"milestone “{row.label}”"
            if row.item_id not in reader.issued or row.item_id not in cur.mine:
                not_owned.append(
                    NotOwned(spec.title, row.number, what, _why(row.item_id, reader, cur, names))
                )
                continue
            if not row.ok:
                continue
            ours, revision = cur.mine[row.item_id]
            issued = reader.issued[row.item_id].issued()
            # a new progress note is added, never merged: it is a change whenever it is not on record
            theirs = dict(row.theirs)
            note = theirs.pop("note", None) if kind == RECOMMENDATION else None
            merged = merge_fields(issued, ours, theirs)
            found: list[FieldChange] = []
            row_conflicts: list[FieldConflict] = []
            for column in spec.inputs:
                f = column.field
                if kind == RECOMMENDATION and f == "note":
                    if note and (row.item_id, note) not in notes_on_record:
                        found.append(FieldChange(f, column.header, None, note))
                elif f in merged.changes:
                    found.append(FieldChange(f, column.header, ours[f], merged.changes[f]))
                elif f in merged.conflicts:
                    c = merged.conflicts[f]
                    row_conflicts.append(
                        FieldConflict(
                            kind,
                            row.item_id,
                            spec.title,
                            row.number,
                            what,
                            f,
                            column.header,
                            c.base,
                            c.ours,
                            c.theirs,
                        )
                    )
            conflicts += row_conflicts
            if not found and not row_conflicts:
                continue
            wanted = {c.field: c.theirs for c in found} | {c.field: c.theirs for c in row_conflicts}
            implied = _check(kind, spec, row, ours, wanted, problems)
            found += [
                FieldChange(f, _header(spec, f), ours.get(f), v, implied=True)
                for f, v in implied.items()
                if f not in wanted and not same(v, ours.get(f))
            ]
            changes.append(
                RowChange(kind, row.item_id, spec.title, row.number, what, tuple(found), revision, ours)
            )
    return changes, conflicts, not_owned


def _why(item_id: str, reader: RowReader, cur: Current, names: dict[str | None, str]) -> str:
    if item_id in cur.others:
        owner = cur.others[item_id]
        who = names.get(owner, "no one") if owner else "no one"
        if item_id in reader.issued:
            return f"no longer yours: {who} answers for it now, so it was not applied"
        return f"not in this return: {who} answers for it, so it was not applied"
    if item_id in reader.issued:
        return "removed from the plan since the return was issued, so it was not applied"
    return "not in this return and not in the plan, so it was not applied"


def _header(spec: SheetSpec, f: str) -> str:
    return next((c.header for c in spec.columns if c.field == f), f.replace("_", " "))


def _check(
    kind: str,
    spec: SheetSpec,
    row: ReadRow,
    ours: dict[str, Any],
    wanted: dict[str, Any],
    problems: list[ReturnProblem],
) -> dict[str, Any]:
    """Validate the row as it would be written; add problems; return what the change implies."""
    implied: dict[str, Any] = {}
    try:
        if kind == OBJECTIVE:
            base = {c.field: ours[c.field] for c in spec.inputs}
            implied = implied_by_lifecycle(dict(wanted), current=base)
            validate(StatusUpdateIn, {**base, **implied}, context={"previous_rag": ours["_prev_rag"]})
        elif kind == RECOMMENDATION:
            merged = {c.field: ours[c.field] for c in spec.inputs if c.field != "note"}
            merged.update({k: v for k, v in wanted.items() if k != "note"})
            validate(
                RecommendationIn,
                {
                    **merged,
                    "inspection_id": "-",
                    "ref": "-",
                    "text": "-",
                    "owner_id": "-",
                    "closed_date": None,
                },
            )
    except ValidationError as exc:
        for p in exc.problems:
            field_name = p.field.split(".")[0]
            label = field_name.replace("_", " ") + ": "
            message = p.message[len(label) :] if p.message.startswith(label) else p.message
            value = {**ours, **implied, **wanted}.get(field_name)
            problems.append(
                ReturnProblem(spec.title, row.number, _header(spec, field_name), describe(value), message)
            )
    return implied
