"""Reading a return's rows and comparing them with what was issued and what the plan holds now.

The comparison itself is :func:`tracker.merge.merge_fields` (base: as issued, theirs: as returned,
ours: as the plan holds it now); this module reads the rows, fetches the plan's values, and puts
each change and conflict in the return's words (sheet, row, column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from tracker.errors import ValidationError
from tracker.merge import merge_fields, same
from tracker.queries.returns import return_objectives
from tracker.rules import implied_by_lifecycle
from tracker.schemas import RecommendationIn, RiskIn, StatusUpdateIn
from tracker.services.base import validate
from tracker.wording import listing
from tracker.workbooks.returns_issue import ITEMS, objective_values
from tracker.workbooks.returns_layout import (
    MILESTONE,
    OBJECTIVE,
    RECOMMENDATION,
    RISK,
    SHEET_BY_KIND,
    CellProblem,
    Column,
    ManifestRow,
    SheetSpec,
    describe,
    parse,
)
from tracker.workbooks.returns_rows import FieldChange, FieldConflict, NotOwned, ReturnProblem, RowChange
from tracker.workbooks.safety import cell_is_formula

LABEL_FIELD: dict[str, str] = {OBJECTIVE: "ref", MILESTONE: "title", RISK: "ref", RECOMMENDATION: "ref"}
LABEL_FIELD_NEW: dict[str, str] = {RISK: "title"}  # a new item has no reference yet
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
    new: bool = False  # a row for a new item (its id one of the sheet's "new-n")


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
        raw_id = values[-1]
        new = isinstance(raw_id, str) and raw_id.strip() in spec.new_ids()
        bad = False
        for i, column in enumerate(columns):
            typed = column.new_input if new else column.input
            if not (typed or column.kind == "id") or i >= len(cells):
                continue
            value = values[i]
            formula = (
                (isinstance(value, str) and value.startswith("="))
                or getattr(cells[i], "data_type", "") == "f"
            ) and cell_is_formula(cells[i])
            if formula and (new or not self._as_issued(raw_id, column, value)):  # only a change is checked
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
        if new:
            self._read_new(number, str(raw_id).strip(), values, bad, problems)
            return
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
                        "a row as issued: rows cannot be added to a return (ask the PMO to add the item)"
                        + (f", or a '{spec.new_noun}' row" if spec.new_rows else ""),
                    )  # fmt: skip
                )
            return
        item_id = item_id.strip()
        if not self._first(item_id, number, problems):
            return
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

    def _as_issued(self, raw_id: Any, column: Column, value: Any) -> bool:
        """Whether a cell holds what was issued in it: then it is the app's own text, never a formula
        (LibreOffice saves the app's text "=2 of 3 posts filled" without its quote prefix)."""
        row = self.issued.get(raw_id.strip()) if isinstance(raw_id, str) else None
        if row is None:
            return False
        if column.kind == "id":
            return value == raw_id
        try:
            return parse(column, value) == row.issued().get(column.field)
        except CellProblem:
            return False

    def _first(self, item_id: str, number: int, problems: list[ReturnProblem]) -> bool:
        """Whether this is the first row with the id; a copied row is a problem."""
        assert self.spec is not None
        if item_id not in self.seen:
            self.seen[item_id] = number
            return True
        problems.append(
            ReturnProblem(
                self.spec.title,
                number,
                self.spec.columns[-1].header,
                f"the same item as row {self.seen[item_id]}",
                "each item once (delete the copied row)",
            )  # fmt: skip
        )
        return False

    def _read_new(
        self, number: int, item_id: str, values: list[Any], bad: bool, problems: list[ReturnProblem]
    ) -> None:
        """A row for a new item: left empty, it is not read; filled in, every cell it takes is parsed."""
        spec = self.spec
        assert spec is not None
        typed = [(i, c) for i, c in enumerate(spec.columns) if c.new_input]
        if not bad and all(_blank(values[i]) for i, _ in typed):
            return
        if not self._first(item_id, number, problems):
            return
        theirs = {}
        for i, column in typed:
            try:
                theirs[column.field] = parse(column, values[i])
            except CellProblem as exc:
                problems.append(
                    ReturnProblem(spec.title, number, column.header, describe(values[i]), str(exc))
                )
                bad = True
        label = str(theirs.get(LABEL_FIELD_NEW.get(spec.kind, ""), "") or "")
        self.rows.append(ReadRow(item_id, number, label, theirs, not bad, new=True))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------- the plan now


@dataclass
class Current:
    """The plan now for one kind: the lead's items (values, revision) and who answers for other ids."""

    mine: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)
    others: dict[str, str | None] = field(default_factory=dict)


def current_items(
    session: Session, period_id: str, lead_id: str, readers: dict[str, RowReader]
) -> dict[str, Current]:
    """One statement per kind for the lead's items, and one for any other ids the return holds.

    An id the lead still answers for but that the first statement does not hold (a risk closed
    since the return was issued, say) is theirs all the same.
    """
    out: dict[str, Current] = {}
    for kind, reader in readers.items():
        cur = Current()
        if kind == OBJECTIVE:
            for r in return_objectives(session, period_id, lead_id=lead_id):
                cur.mine[r.id] = ({**objective_values(r), "_prev_rag": r.prev_rag}, r.update_revision)
        else:
            query, values, _asked = ITEMS[kind]
            for row in query(session, lead_id=lead_id):
                cur.mine[row.id] = (values(row), row.revision)
        strangers = [r.item_id for r in reader.rows if not r.new and r.item_id not in cur.mine]
        if strangers:
            found: list[tuple[Any, dict[str, Any], int]] = (
                [(r, {**objective_values(r), "_prev_rag": r.prev_rag}, r.update_revision)
                 for r in return_objectives(session, period_id, ids=strangers)]
                if kind == OBJECTIVE
                else [(r, ITEMS[kind].values(r), r.revision) for r in ITEMS[kind].query(session, ids=strangers)]
            )  # fmt: skip
            for r, values_now, revision in found:
                if r.responsible == lead_id:
                    cur.mine[r.id] = (values_now, revision)
                else:
                    cur.others[r.id] = r.responsible
        out[kind] = cur
    return out


# ---------------------------------------------------------------------------------------------- comparing


@dataclass
class Comparison:
    """What comparing a return's rows with the plan found."""

    changes: list[RowChange] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)
    not_owned: list[NotOwned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about what was read but will not be kept


def compare_rows(
    readers: dict[str, RowReader],
    current: dict[str, Current],
    notes_on_record: set[tuple[str, str]],
    problems: list[ReturnProblem],
    names: dict[str | None, str],
    *,
    lead_id: str,
    today: date,
) -> Comparison:
    """Changes, conflicts, rows not applied and notes, with validation problems added to ``problems``."""
    out = Comparison()
    objectives = _objectives_for_new_items(readers, current)
    for kind, reader in readers.items():
        spec = SHEET_BY_KIND[kind]
        cur = current[kind]
        for row in reader.rows:
            if row.new:
                new = _new_item(spec, row, objectives, lead_id, names, problems)
                if new is not None:
                    out.changes.append(new)
                continue
            what = f"{NOUN[kind]} {row.label}" if kind != MILESTONE else f"milestone “{row.label}”"
            if row.item_id not in reader.issued or row.item_id not in cur.mine:
                out.not_owned.append(
                    NotOwned(spec.title, row.number, what, _why(row.item_id, reader, cur, names))
                )
                continue
            if not row.ok:
                continue
            ours, revision = cur.mine[row.item_id]
            issued = reader.issued[row.item_id].issued()
            _check_dates(spec, row, issued, today, problems)
            # a new progress note is added, never merged: it is a change whenever it is not on record
            theirs = dict(row.theirs)
            note = theirs.pop("note", None) if kind == RECOMMENDATION else None
            merged = merge_fields(issued, ours, theirs)
            found: list[FieldChange] = []
            row_conflicts: list[FieldConflict] = []
            for column in spec.inputs:
                f = column.field
                explained = {*merged.changes, *merged.conflicts} & set(column.explains)
                if column.explains and f in merged.changes and not explained:
                    # a reason goes with the change it explains, or not at all
                    out.notes.append(_reason_not_kept(spec, row, column))
                    continue
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
                        )  # fmt: skip
                    )
            out.conflicts += row_conflicts
            if not found and not row_conflicts:
                continue
            wanted = {c.field: c.theirs for c in found} | {c.field: c.theirs for c in row_conflicts}
            implied = _check(kind, spec, row, ours, wanted, problems)
            found += [
                FieldChange(f, _header(spec, f), ours.get(f), v, implied=True, implied_by="lifecycle")
                for f, v in implied.items()
                if f not in wanted and not same(v, ours.get(f))
            ]
            out.changes.append(
                RowChange(kind, row.item_id, spec.title, row.number, what, tuple(found), revision, ours)
            )
    return out


def _check_dates(
    spec: SheetSpec, row: ReadRow, issued: dict[str, Any], today: date, problems: list[ReturnProblem]
) -> None:
    """A date the lead moved needs its reason; a completed date cannot be after today."""
    theirs = row.theirs
    for column in spec.inputs:
        if not column.explains or not _blank(theirs.get(column.field)):
            continue
        moved = [f for f in column.explains if not same(theirs.get(f), issued.get(f))]
        if moved:
            what = listing(
                f"the {_header(spec, f).lower()} from {describe(issued.get(f))} to {describe(theirs.get(f))}"
                for f in moved
            )
            problems.append(
                ReturnProblem(spec.title, row.number, column.header, "(blank)", f"a reason for moving {what}")
            )
    done = theirs.get("completed_date")
    if isinstance(done, date) and done > today and not same(done, issued.get("completed_date")):
        problems.append(
            ReturnProblem(
                spec.title,
                row.number,
                _header(spec, "completed_date"),
                describe(done),
                f"the day the milestone was done, today ({today:%d %b %Y}) or earlier: leave it blank "
                "until it is done, and move the forecast date instead",
            )  # fmt: skip
        )


def _reason_not_kept(spec: SheetSpec, row: ReadRow, column: Column) -> str:
    dates = listing(_header(spec, f).lower() for f in column.explains)
    return (
        f"{spec.title}, row {row.number}: the {column.header.lower()} is not kept, because the "
        f"{dates} it explains {'does' if len(column.explains) == 1 else 'do'} not change the plan."
    )


def _objectives_for_new_items(
    readers: dict[str, RowReader], current: dict[str, Current]
) -> dict[str, tuple[str, str]]:
    """Reference (case-folded) -> (id, reference) of each objective a new item may be raised on:
    those on the return that the lead still leads."""
    reader, cur = readers.get(OBJECTIVE), current.get(OBJECTIVE)
    if reader is None or cur is None:
        return {}
    return {
        str(values["ref"]).casefold(): (item_id, str(values["ref"]))
        for item_id, (values, _revision) in cur.mine.items()
        if item_id in reader.issued
    }


def _new_item(
    spec: SheetSpec,
    row: ReadRow,
    objectives: dict[str, tuple[str, str]],
    lead_id: str,
    names: dict[str | None, str],
    problems: list[ReturnProblem],
) -> RowChange | None:
    """A new risk from its row: what to create (owned by the lead), or None with its problems listed.

    A target score left blank is the residual one. The objective must be one the lead leads.
    A row with a cell that could not be read has its objective checked, and nothing more.
    """
    theirs = dict(row.theirs)
    ref = theirs.pop("objective_ref", None)
    objective = objectives.get(ref.casefold()) if isinstance(ref, str) else None
    if objective is None:
        refs = sorted(r for _id, r in objectives.values())
        listed = ", ".join(refs[:12]) + (f" and {len(refs) - 12} more" if len(refs) > 12 else "")
        problems.append(
            ReturnProblem(
                spec.title,
                row.number,
                _header(spec, "objective_ref"),
                describe(ref),
                f"one of the objectives you lead on this return ({listed})"
                if refs
                else "an objective you lead (this return has none, so no risk can be raised here)",
            )  # fmt: skip
        )
    if _blank(theirs.get("title")):
        problems.append(
            ReturnProblem(
                spec.title, row.number, _header(spec, "title"), "(blank)", "a short title for the new risk"
            )
        )
    if not row.ok:
        return None
    defaulted = {
        f"target_{part}": theirs[f"residual_{part}"]
        for part in ("likelihood", "impact")
        if theirs.get(f"target_{part}") is None
    }
    create = {**theirs, **defaulted, "objective_id": objective[0] if objective else None}
    try:
        validate(RiskIn, {**create, "objective_id": create["objective_id"] or "-", "owner_id": lead_id})
    except ValidationError as exc:
        for p in exc.problems:
            name = p.field.split(".")[0]
            if name in ("objective_id", "owner_id", "title"):
                continue  # the objective and title are said above, in the sheet's words; the owner is the lead
            problems.append(
                ReturnProblem(spec.title, row.number, _header(spec, name), describe(create.get(name)),
                              _message(name, p.message))
            )  # fmt: skip
        return None
    if objective is None:
        return None
    shown = {**theirs, "objective_ref": objective[1]}
    fields = [
        FieldChange(c.field, c.header, None, shown[c.field])
        for c in spec.new_inputs
        if c.field not in defaulted and not _blank(shown.get(c.field))
    ]
    fields += [FieldChange(f, _header(spec, f), None, v, implied=True) for f, v in defaulted.items()]
    fields.append(
        FieldChange("owner_name", _header(spec, "owner_name"), None, names.get(lead_id, ""), implied=True)
    )
    what = f"new risk “{theirs.get('title') or ''}”"
    return RowChange(spec.kind, "", spec.title, row.number, what, tuple(fields), 0, create, new=True)


def _message(field_name: str, message: str) -> str:
    label = field_name.replace("_", " ") + ": "
    return message[len(label) :] if message.startswith(label) else message


def _why(item_id: str, reader: RowReader, cur: Current, names: dict[str | None, str]) -> str:
    if item_id in cur.others:
        owner = cur.others[item_id]
        who = names.get(owner, "no one") if owner else "no one"
        if item_id in reader.issued:
            return f"no longer yours: {who} answers for it now, so it was not applied"
        return f"not in this return: {who} answers for it, so it was not applied"
    if item_id in cur.mine:  # the lead's, but not asked about (complete or cancelled, say)
        return "not in this return as issued (it was not asked about), so it was not applied"
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
            message = _message(field_name, p.message)
            value = {**ours, **implied, **wanted}.get(field_name)
            problems.append(
                ReturnProblem(spec.title, row.number, _header(spec, field_name), describe(value), message)
            )
    return implied
