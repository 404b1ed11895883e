"""Bringing a plan in from a spreadsheet: a preview that writes nothing, then an all-or-nothing import.

The workbook layer reads the file into a :class:`~tracker.services.plan_rows.PlanInput` (rows of plain values, each reference
named by the key of what it refers to, every cell already checked); :func:`preview_plan` matches
each row with the store's items by key (see :mod:`tracker.services.plan_state`), checks that every
reference names an item in the file or in the plan, and says what importing would create and change,
field by field. :func:`import_plan` does it, only for the PMO, in the caller's transaction: new rows
with one audited insert per kind, changed rows through the unit of work. Items the file does not
name are left as they are.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from tracker.autobackup import BEFORE_PLAN_IMPORT, backed_up
from tracker.db import Actor, bulk_rows
from tracker.enums import RecommendationStatus, RiskStatus
from tracker.errors import Problem, ValidationError
from tracker.models import ENTITIES, Kind
from tracker.services._common import require_pmo
from tracker.services.base import Changes, UnitOfWork, unit_of_work
from tracker.services.plan_rows import (
    FieldChange,
    PlanInput,
    PlanPreview,
    PlanProblem,
    PlanSheet,
    SheetCount,
    SheetRow,
)
from tracker.services.plan_state import (
    KEYS,
    LINK_LISTS,
    ORDER,
    REFS,
    PlanState,
    audit_seq,
    read_plan_state,
)
from tracker.wording import plural

# What a new item's order follows when the file leaves it blank: the items it is numbered among.
SIBLINGS: dict[Kind, str | None] = {
    Kind.THEME: None, Kind.OUTCOME: "theme_id", Kind.OBJECTIVE: "outcome_id", Kind.MILESTONE: "objective_id",
}  # fmt: skip
# The fields of a row that make its key (see plan_state.KEYS).
KEY_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.PERSON: ("name",), Kind.BOARD: ("name",), Kind.THEME: ("code",), Kind.OUTCOME: ("code",),
    Kind.OBJECTIVE: ("ref",), Kind.MILESTONE: ("objective", "title"), Kind.RISK: ("ref",),
    Kind.INSPECTION: ("title",), Kind.RECOMMENDATION: ("inspection", "ref"),
}  # fmt: skip
_IN_PLAN = frozenset(kind for kind in ORDER if "plan_id" in ENTITIES[kind].model_fields)
_REF_NAMES = {kind: frozenset(r.name for r in refs) for kind, refs in REFS.items()}
WHAT: dict[Kind, str] = {
    Kind.PERSON: "a person's name", Kind.BOARD: "a board's name", Kind.THEME: "a theme code",
    Kind.OUTCOME: "an outcome code", Kind.OBJECTIVE: "an objective ref", Kind.RISK: "a risk ref",
    Kind.INSPECTION: "an inspection's title", Kind.MILESTONE: "a milestone", Kind.RECOMMENDATION: "a recommendation",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------- preview


def preview_plan(session: Session, data: PlanInput) -> PlanPreview:
    """Say what importing ``data`` into the store's plan would create and change; writes nothing."""
    with bulk_rows():
        return _Matcher(read_plan_state(session), data).run()


class _Matcher:
    def __init__(self, state: PlanState, data: PlanInput):
        self.state, self.data = state, data
        self.problems: list[PlanProblem] = list(data.problems)
        self.changes: list[FieldChange] = []
        self.creates: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
        self.updates: dict[Kind, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        self.link_creates: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.link_flips: list[tuple[str, str, bool]] = []
        self.counts: list[SheetCount] = []
        # key -> id: the store's live items, then the file's new ones
        self.ids: dict[Kind, dict[Any, str]] = {}
        # theme, outcome and objective id -> (retired on, the id it sits in), as the import leaves them
        self.placed: dict[str, tuple[date | None, str | None]] = {}

    def run(self) -> PlanPreview:
        for kind in ORDER:
            self.ids[kind] = {}
            for row in self.state.live(kind):
                self.ids[kind].setdefault(self.state.key(kind, row), row["id"])
                self._place(kind, row["id"], row)
        for kind in ORDER:
            sheet = self.data.sheets.get(kind)
            if sheet is not None:
                self._sheet(sheet)
        order = {title: n for n, title in enumerate(self.data.titles)}
        place = {(s.title, h): n for s in self.data.sheets.values() for n, h in enumerate(s.headers.values())}
        self.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row, place.get((p.sheet, p.column), -1)))
        return PlanPreview(
            self.data.file_name, self.state.plan_name, tuple(self.problems), tuple(self.counts),
            tuple(self.changes), dict(self.creates), dict(self.updates), dict(self.link_creates),
            tuple(self.link_flips), self.data, self.state.audit_seq,
        )  # fmt: skip

    def _place(self, kind: Kind, item_id: str, values: Mapping[str, Any]) -> None:
        parent = {Kind.OUTCOME: "theme_id", Kind.OBJECTIVE: "outcome_id"}.get(kind)
        if kind in (Kind.THEME, Kind.OUTCOME, Kind.OBJECTIVE):
            self.placed[item_id] = (values.get("retired_on"), values.get(parent) if parent else None)

    def _retired(self, item_id: str | None) -> bool:
        """Whether the theme, outcome or objective, or what it sits in, is retired after the import."""
        while item_id:
            retired_on, item_id = self.placed.get(item_id, (None, None))
            if retired_on is not None:
                return True
        return False

    def _problem(self, sheet: PlanSheet, row: int, name: str, found: Any, expected: str) -> None:
        self.problems.append(
            PlanProblem(sheet.title, row, sheet.headers.get(name, name), _words(found), expected)
        )

    def _sheet(self, sheet: PlanSheet) -> None:
        kind = sheet.kind
        stored = {r["id"]: r for r in self.state.live(kind)}
        gone = {self.state.key(kind, r) for r in self.state.rows[kind] if r["deleted"]}
        seen: dict[Any, int] = {}
        next_ordinal: dict[Any, int] = {}
        created = updated = unchanged = 0
        key_fields = KEY_FIELDS[kind]
        columns = {r.name: r.column for r in REFS.get(kind, ())}
        place = {columns.get(f, f): n for n, f in enumerate(sheet.headers)}  # changes in column order
        for item in sheet.rows:
            values = item.values
            target = self._target(sheet, item)
            key = KEYS[kind](values) if all(values.get(f) is not None for f in key_fields) else None
            if key is None:
                continue
            if key in seen:
                self._problem(
                    sheet, item.row, key_fields[-1], values[key_fields[-1]],
                    f"{WHAT[kind]} used once (row {seen[key]} has it too)",
                )  # fmt: skip
                continue
            seen[key] = item.row
            if target is None:  # refused; still known, so rows naming it are not refused for that too
                self.ids[kind].setdefault(key, "")
                continue
            existing = self.ids[kind].get(key)
            links = target.pop("_links", {})
            if existing is not None and existing in stored:
                old = stored[existing]
                if target.get("ordinal", 0) is None:
                    target.pop("ordinal")
                changed = [(k, v) for k, v in target.items() if old[k] != v]
                diff = dict(sorted(changed, key=lambda kv: place.get(kv[0], len(place))))
                self._place(kind, existing, {**old, **target})
                if diff:
                    self.updates[kind].append((existing, diff))
                    for name, new in diff.items():
                        self._change(sheet, item.row, kind, values, name, old[name], new)
                link_diff = self._links(sheet, item.row, values, existing, links, new=False)
                updated += bool(diff or link_diff)
                unchanged += not (diff or link_diff)
                continue
            if kind == Kind.OBJECTIVE and key in gone:
                self._problem(sheet, item.row, "ref", key, "a ref not held by a deleted objective (restore "
                              "that objective in the app, or choose another ref)")  # fmt: skip
                continue
            new_id = str(uuid.uuid4())
            self.ids[kind][key] = new_id
            if "ordinal" in target and target["ordinal"] is None:
                target["ordinal"] = self._next_ordinal(kind, target, next_ordinal)
            self.creates[kind].append({"id": new_id, **target})
            self._place(kind, new_id, target)
            self._links(sheet, item.row, values, new_id, links, new=True)
            created += 1
        self.counts.append(SheetCount(sheet.title, created, updated, unchanged))

    def _target(self, sheet: PlanSheet, item: SheetRow) -> dict[str, Any] | None:
        """The row's column values, references as ids; None when a reference or a rule fails."""
        kind, values, ok = sheet.kind, item.values, True
        skip = _REF_NAMES.get(kind, frozenset()) | LINK_LISTS.keys()
        out = {k: v for k, v in values.items() if k not in skip}
        for ref in REFS.get(kind, ()):
            named = values.get(ref.name)
            target_id = None if named is None else self.ids[ref.target].get(_lookup(ref.target, named))
            if named is not None and target_id is None:
                self._problem(
                    sheet, item.row, ref.name, named, f"{WHAT[ref.target]} on its sheet or in the plan"
                )
                ok = False
            out[ref.column] = target_id
        if kind in _IN_PLAN:
            out["plan_id"] = self.state.plan_id
        links: dict[str, list[str]] = {}
        for name, (target, _, _) in LINK_LISTS.items():
            if name not in values:
                continue
            links[name] = []
            for named in values[name] or ():
                target_id = self.ids[target].get(named)
                if target_id is None:
                    self._problem(sheet, item.row, name, named, f"{WHAT[target]} on its sheet or in the plan")
                    ok = False
                elif target_id not in links[name]:
                    links[name].append(target_id)
        ok = self._rules(sheet, item.row, values, out) and ok
        if not ok or any(values.get(k) is None for k in KEY_FIELDS[kind]):
            return None
        if links:
            out["_links"] = links
        return out

    def _rules(self, sheet: PlanSheet, row: int, named: Mapping[str, Any], v: dict[str, Any]) -> bool:
        """The rules the services hold each item to, beyond what a cell alone shows.

        ``named`` is the row as read, ``v`` its values with references as ids (None for a
        reference that is blank, or names nothing: already a problem, so not refused again here).
        """
        problems = len(self.problems)
        kind = sheet.kind
        if kind == Kind.OBJECTIVE and _before(v.get("target_date"), v.get("start_date")):
            self._problem(sheet, row, "target_date", v["target_date"], "a date on or after the start date")
        if kind == Kind.MILESTONE and v.get("forecast_date") is None:
            v["forecast_date"] = v.get("baseline_date")
        if kind == Kind.RISK:
            if named.get("objective") is not None and named.get("theme") is not None:
                self._problem(sheet, row, "theme", named["theme"], "blank, or no objective ref: a risk belongs "
                              "to an objective or a theme, not both")  # fmt: skip
            elif named.get("objective") is None and named.get("theme") is None:
                self._problem(
                    sheet, row, "objective", None, "an objective ref or a theme code (the risk's home)"
                )
            elif v.get("status") == RiskStatus.OPEN.value and self._retired(
                v.get("objective_id") or v.get("theme_id")
            ):
                home = "objective" if named.get("objective") is not None else "theme"
                self._problem(
                    sheet, row, home, named[home], f"{'an objective' if home == 'objective' else 'a theme'} still in the plan for an open risk (it is retired: "
                    "close the risk, or give it a home that stays)",
                )  # fmt: skip
        if kind == Kind.RECOMMENDATION:
            status = v.get("status")
            if status and status != RecommendationStatus.AWAITING_ALLOCATION and named.get("owner") is None:
                self._problem(sheet, row, "owner", None, f"an owner, since the status is {status}")
            if status == RecommendationStatus.PROPOSED_FOR_CLOSURE and not v.get("evidence"):
                self._problem(sheet, row, "evidence", None, "evidence, to propose closure")
            if status == RecommendationStatus.CLOSED and not v.get("closure_rationale"):
                self._problem(sheet, row, "closure_rationale", None, "a closure rationale, to close it")
            if v.get("closed_date") is not None and status != RecommendationStatus.CLOSED:
                self._problem(
                    sheet, row, "closed_date", v["closed_date"], "blank: only a closed one has a closed date"
                )
        return len(self.problems) == problems

    def _next_ordinal(self, kind: Kind, target: dict[str, Any], counters: dict[Any, int]) -> int:
        parent_field = SIBLINGS[kind]
        parent = target.get(parent_field) if parent_field else None
        if parent not in counters:
            counters[parent] = max(
                (
                    r["ordinal"]
                    for r in self.state.live(kind)
                    if parent_field is None or r[parent_field] == parent
                ),
                default=0,
            )
        counters[parent] += 1
        return counters[parent]

    def _links(
        self,
        sheet: PlanSheet,
        row: int,
        values: Mapping[str, Any],
        rec_id: str,
        links: Mapping[str, list[str]],
        *,
        new: bool,
    ) -> bool:
        changed = False
        for name, wanted in links.items():
            target, _, column = LINK_LISTS[name]
            rows = [r for r in self.state.links[name] if r["recommendation_id"] == rec_id]
            have = {r[column]: r for r in rows}
            live = [r[column] for r in rows if not r["deleted"]]
            for target_id in wanted:
                if target_id not in have:
                    self.link_creates[name].append({"id": str(uuid.uuid4()), "recommendation_id": rec_id,
                                                    column: target_id})  # fmt: skip
                elif have[target_id]["deleted"]:
                    self.link_flips.append((name, have[target_id]["id"], False))
            for target_id in live:
                if target_id not in wanted:
                    self.link_flips.append((name, have[target_id]["id"], True))
            if not new and set(live) != set(wanted):
                changed = True
                before = ", ".join(sorted(str(self.state.key_of(target, t)) for t in live))
                after = ", ".join(str(k) for k in values.get(name) or ())
                item = _item(sheet.kind, values)
                self.changes.append(FieldChange(sheet.title, row, item, sheet.headers.get(name, name),
                                                before or "(blank)", after or "(blank)"))  # fmt: skip
        return changed

    def _change(
        self,
        sheet: PlanSheet,
        row: int,
        kind: Kind,
        values: Mapping[str, Any],
        column: str,
        old: Any,
        new: Any,
    ) -> None:
        ref = next((r for r in REFS.get(kind, ()) if r.column == column), None)
        name = ref.name if ref else column
        if ref is not None:
            old = self._name_of(ref.target, old)
            new = values.get(ref.name)
        self.changes.append(
            FieldChange(
                sheet.title, row, _item(kind, values), sheet.headers.get(name, name), *_change_words(old, new)
            )
        )

    def _name_of(self, kind: Kind, row_id: str | None) -> Any:
        if row_id is None:
            return None
        if kind in (Kind.PERSON, Kind.BOARD):
            return self.state.display_name(kind, row_id)
        return self.state.key_of(kind, row_id)


def _lookup(kind: Kind, named: Any) -> Any:
    """The key of the item a cell names (a person or board by name, in any case and spacing)."""
    return KEYS[kind]({"name": named}) if kind in (Kind.PERSON, Kind.BOARD) else named


def _before(later: date | None, earlier: date | None) -> bool:
    return later is not None and earlier is not None and later < earlier


def _item(kind: Kind, values: Mapping[str, Any]) -> str:
    """An item in words, for the preview: "objective SER-01.02", "milestone SER-01.02 “Train staff”"."""
    if kind == Kind.MILESTONE:
        return f"milestone {values['objective']} {_words(values['title'])}"
    if kind == Kind.RECOMMENDATION:
        return f"recommendation {values['ref']} of {_words(values['inspection'])}"
    key_field = KEY_FIELDS[kind][0]
    value = values[key_field]
    return f"{kind.label} {value if key_field in ('code', 'ref') else _words(value)}"


def _words(value: Any) -> str:
    """A value in a message: quoted text (shortened), a date as 31 Mar 2025, Yes/No, (blank) for nothing."""
    if value is None or value == "" or value == ():
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str):
        short = value if len(value) <= 60 else value[:59] + "…"
        return f"“{short}”"
    return str(value)


def _change_words(old: Any, new: Any) -> tuple[str, str]:
    """Old and new in words; long texts that differ late are shown from a little before the difference,
    so an edit at the end of a long title is not hidden behind two identical shortened beginnings."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= 60:
        return _words(old), _words(new)
    same = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new))
    )
    if same < 40:
        return _words(old), _words(new)
    start = same - 30
    return _words("…" + old[start:]), _words("…" + new[start:])


# ---------------------------------------------------------------------------------------------- import


def import_plan(
    session: Session, *, actor: Actor, data: PlanInput, preview: PlanPreview | None = None
) -> Changes:
    """Create and update the plan's items as ``data`` says, in the caller's transaction; all or nothing.

    Only the PMO may. ``preview`` (of this ``data``) is used as it is when nothing at all has been
    written to the store since it was made (the audit log has not moved on); otherwise the file is
    matched with the store again here. Any problem refuses the whole import (ValidationError listing each).
    """
    require_pmo(actor, "import a plan")
    if preview is None or preview.data is not data or preview.audit_seq != audit_seq(session):
        preview = preview_plan(session, data)
    if preview.problems:
        raise ValidationError([Problem(f"{p.sheet}:{p.row}:{p.column}", str(p)) for p in preview.problems])
    return _import(session, actor=actor, preview=preview)


@backed_up(BEFORE_PLAN_IMPORT, "Importing the plan")
def _import(session: Session, *, actor: Actor, preview: PlanPreview) -> Changes:
    uow = unit_of_work(session, actor)
    with bulk_rows():
        _write(uow, preview)
    return uow.changes(
        f"Imported the plan from {preview.file_name}: {plural(preview.n_create, 'item')} added, "
        f"{plural(preview.n_update, 'item')} changed"
    )


def _write(uow: UnitOfWork, preview: PlanPreview) -> None:
    for kind in ORDER:
        uow.bulk_create(ENTITIES[kind], preview.creates.get(kind, []))
    for kind in ORDER:
        for row_id, values in preview.updates.get(kind, []):
            uow.update(uow.get(ENTITIES[kind], row_id), values)
    for name, (_, link_table, _) in LINK_LISTS.items():
        uow.bulk_create(link_table, preview.link_creates.get(name, []))
    for name, link_id, deleted in preview.link_flips:
        uow.update(uow.get(LINK_LISTS[name][1], link_id, allow_deleted=True), {"deleted": deleted})
    uow.audit.flush()  # the entries too are many rows
