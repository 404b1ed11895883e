"""The audit log in words, for the Audit log page and the ``audit`` command alike: which item an entry
changed (its code and title, read even when the item was removed), its field by the app's label, its
values as the app shows them, and where the change came from.

Names are read for one page of entries at a time, in one query per kind of item (and one more per
kind for items no longer in their table, from the log's own "created" entries), never row by row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Table, select
from sqlmodel import Session

from tracker.audit import CREATED, NOTE_FIELDS, decode
from tracker.enums import Source
from tracker.models import ENTITIES, Kind, kept_settings
from tracker.services.registry import REGISTRY
from tracker.wording import field_label

from ._sql import driver_rows, t

CHUNK = 900  # ids per IN (...): well inside every backend's limit on bound values
KINDS = {k.value: k for k in Kind}
_SOURCES = {s.value for s in Source}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?$")
_SHA = re.compile(r"\s*\(sha256 [0-9a-f]+\)$")
# Fields holding one of the app's closed vocabularies (tracker.enums), whose labels are the value capitalised.
_CHOICES = frozenset({"lifecycle", "rag", "status", "response", "kind", "body", "period_frequency"})
# What a new item of a kind with no name of its own is, in a few words.
ITEM_NOTES = "item_notes"  # a committee paper's narratives, one per item
_SUMMARY: dict[Kind, tuple[str, ...]] = {
    Kind.STATUS_UPDATE: ("lifecycle", "rag", "progress_pct"),
    Kind.PROGRESS_NOTE: ("note_date", "text"),
    Kind.PERIOD_RETURN: ("status",),
}


class Entry(Protocol):
    """What this module reads of an audit entry (an ``AuditRow``)."""

    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def old(self) -> Any: ...
    @property
    def new(self) -> Any: ...


def clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(kind: Kind) -> Table:
    return ENTITIES[kind].__table__  # type: ignore[attr-defined, no-any-return]


@cache
def targets(kind: Kind) -> dict[str, Kind]:
    """The kind's columns that name another item, and that item's kind: ``owner_id`` -> person."""
    out: dict[str, Kind] = {}
    for column in _table(kind).columns:
        for key in column.foreign_keys:
            target = KINDS.get(key.column.table.name)
            if target is not None:
                out[column.name] = target
    return out


@cache
def _naming(kind: Kind) -> tuple[str, ...]:
    """The columns that name an item of the kind: its name field (the registry's), the title or text
    beside a code, or, for a kind with no name of its own, the items it belongs to."""
    named = REGISTRY[kind].name_field
    if named is None:
        return tuple(targets(kind)) + tuple(f for f in _SUMMARY.get(kind, ()) if f == "note_date")
    columns = _table(kind).c
    beside = next((c for c in ("title", "text") if named == "ref" and c in columns), None)
    return (named, beside) if beside else (named,)


def kind_word(entity: str) -> str:
    """The kind of item in words, as the registry names it ('Progress note')."""
    kind = KINDS.get(entity)
    word = REGISTRY[kind].noun if kind is not None else entity.replace("_", " ")
    return word[:1].upper() + word[1:]


class Names:
    """The items a page of entries touches, and the items their values name, read in one query per kind."""

    def __init__(self, session: Session, entries: Sequence[Entry]):
        self._values: dict[str, tuple[Kind, Mapping[str, Any]]] = {}  # id -> its kind and naming columns
        wanted: dict[Kind, set[str]] = {}
        for e in entries:
            kind = KINDS.get(e.entity)
            if kind is None:
                continue
            wanted.setdefault(kind, set()).add(e.entity_id)
            refs = targets(kind)
            named = e.new.items() if e.field == CREATED and isinstance(e.new, dict) else ()
            for f, value in ((e.field, e.old), (e.field, e.new), *named):
                if f in refs and isinstance(value, str) and value:
                    wanted.setdefault(refs[f], set()).add(value)
            if e.field == ITEM_NOTES:  # a committee paper's narratives, by the item each is about
                for value in (e.old, e.new):
                    wanted.setdefault(Kind.RECOMMENDATION, set()).update(_item_notes(value))
        self._read(session, wanted)
        parents: dict[Kind, set[str]] = {}  # what unnamed items belong to: an update's objective and period
        for kind, values in list(self._values.values()):
            if REGISTRY[kind].name_field is None:
                for f, target in targets(kind).items():
                    if isinstance(values.get(f), str) and values[f] not in self._values:
                        parents.setdefault(target, set()).add(values[f])
        self._read(session, parents)

    def _read(self, session: Session, wanted: Mapping[Kind, set[str]]) -> None:
        missing: dict[Kind, list[str]] = {}
        for kind, ids in wanted.items():
            todo = sorted(ids - self._values.keys())
            columns = _naming(kind)
            table = _table(kind)
            for start in range(0, len(todo), CHUNK):
                stmt = select(table.c.id, *(table.c[c] for c in columns)).where(
                    table.c.id.in_(todo[start : start + CHUNK])
                )  # removed (tombstoned) items too: an entry names what it changed
                for item_id, *values in driver_rows(session, stmt):
                    self._values[item_id] = (kind, dict(zip(columns, values, strict=True)))
            missing[kind] = [i for i in todo if i not in self._values]
        a = t.audit.c
        for kind, gone in missing.items():  # gone from its table: the log's entry that created it
            for start in range(0, len(gone), CHUNK):
                stmt = select(a.entity_id, a.new).where(
                    a.entity == kind.value, a.entity_id.in_(gone[start : start + CHUNK]), a.field == CREATED
                )
                for item_id, new in driver_rows(session, stmt):
                    created = decode(new)
                    if isinstance(created, dict):
                        self._values[item_id] = (kind, created)

    def short(self, item_id: str) -> str:
        """An item named briefly, as a value: a code ('SER-01.02') or a name ('Jane Smith')."""
        found = self._values.get(item_id)
        if found is None:
            return f"an item no longer recorded ({item_id[:8]})"
        kind, values = found
        named = REGISTRY[kind].name_field
        if named is None:
            return self.item(kind, item_id)
        return clip(str(values.get(named) or ""), 40) or kind_word(kind)

    def item(self, kind: Kind, item_id: str) -> str:
        """An item named in full: 'SER-01.02 Improve …', 'R-006 Key staff leave', 'Milestone: Pilot live'."""
        found = self._values.get(item_id)
        if found is None:
            return f"{kind_word(kind)} {item_id[:8]}"
        values = found[1]
        named = REGISTRY[kind].name_field
        if named == "ref":
            beside = next((str(values[c]) for c in ("title", "text") if values.get(c)), "")
            return f"{values.get(named) or ''} {clip(beside, 48)}".strip()
        if named is not None:
            return f"{kind_word(kind)}: {clip(str(values.get(named) or ''), 48)}"
        parts = [self.short(values[f]) for f in targets(kind) if isinstance(values.get(f), str)]
        if "note_date" in values:
            parts.append(value_words("note_date", values["note_date"], self))
        return f"{kind_word(kind)}: {', '.join(parts)}" if parts else kind_word(kind)

    def of(self, entry: Entry) -> str:
        kind = KINDS.get(entry.entity)
        return self.item(kind, entry.entity_id) if kind else f"{entry.entity} {entry.entity_id[:8]}"


def value_words(
    field: str, value: Any, names: Names | None = None, refs: Mapping[str, Kind] | None = None
) -> str:
    """A value as the app shows it: a date as '04 Dec 2026', an item by its name, a choice by its label."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):  # as PostgreSQL's driver gives a name's date; the log holds text
        return f"{value.astimezone(UTC) if value.tzinfo else value:%d %b %Y %H:%M} UTC"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, str):
        if names is not None and refs is not None and field in refs:
            return names.short(value)
        if field == "settings" and value.startswith("{"):  # what a closed period kept, in words
            return value_words(field, kept_settings(value), names, refs)
        if field == ITEM_NOTES and value.startswith("{"):  # "SOC-Rec-1: Workshops held; ..."
            return "; ".join(
                f"{names.short(rid) if names is not None else 'an item'}: {' '.join(text.split())}"
                for rid, text in _item_notes(value).items()
            )
        when = _when(value)
        if when is not None:
            return value_words(field, when)
        text = " ".join(value.split())
        return text[:1].upper() + text[1:] if field in _CHOICES else text
    if field == "progress_pct" and isinstance(value, int | float):
        return f"{value}%"
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(k)}: {words}"
            for k, v in value.items()
            if (words := value_words(k, v, names, refs))
        )
    if isinstance(value, list | tuple):
        return ", ".join(value_words(field, v, names, refs) for v in value)
    return str(value)


def _item_notes(value: Any) -> dict[str, str]:
    """A committee paper's narratives as the log holds them (JSON: item id -> text); {} for anything else."""
    if not (isinstance(value, str) and value.startswith("{")):
        return {}
    try:
        notes = json.loads(value)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in notes.items()} if isinstance(notes, dict) else {}


def _when(text: str) -> date | None:
    """A date or time written as the log writes them (ISO), or None for any other text."""
    try:
        if _DAY.match(text):
            return date.fromisoformat(text)
        if _TIME.match(text):
            return datetime.fromisoformat(text)
    except ValueError:  # looks like one, but is not a real day
        return None
    return None


def change_words(entry: Entry, names: Names | None = None, limit: int = 40) -> str:
    """One entry's change: 'Progress: 45% → 70%', "added: 'Key staff leave'", 'removed'."""
    kind = KINDS.get(entry.entity)
    refs = targets(kind) if kind else {}
    if entry.field == CREATED:
        new = entry.new if isinstance(entry.new, dict) else {}
        return "added" + (f": {summary}" if (summary := _summary(kind, new, names, refs)) else "")
    if entry.field == "deleted":
        return "removed" if entry.new else "restored"
    if entry.field in NOTE_FIELDS:  # an entry that explains a change: "Reason for reopening: late return"
        return f"{field_label(entry.field)}: {clip(value_words(entry.field, entry.new), 2 * limit)}"
    old = value_words(entry.field, entry.old, names, refs)
    new_words = value_words(entry.field, entry.new, names, refs)
    return f"{field_label(entry.field)}: {clip(old, limit) or '—'} → {clip(new_words, limit) or '—'}"


def _summary(kind: Kind | None, new: Mapping[str, Any], names: Names | None, refs: Mapping[str, Kind]) -> str:
    if kind is None:
        return ""
    named = REGISTRY[kind].name_field
    if named is not None:
        name = next((new[c] for c in ("title", "text") if named == "ref" and new.get(c)), new.get(named))
        return f"'{clip(str(name))}'" if name else ""
    words = (value_words(f, new.get(f), names, refs) for f in _SUMMARY.get(kind, ()))
    return clip(", ".join(w for w in words if w))


def source_words(source: str, detail: str) -> str:
    """Where a change came from, said once: 'the app (PMO)', 'return file SER lead.xlsx', 'undo'."""
    where = Source(source).label if source in _SOURCES else source
    if not detail:
        return where
    if source == Source.RETURN:
        return _SHA.sub("", detail)  # 'return file X.xlsx': the checksum is for the tooltip
    if source == Source.UNDO:
        return where  # the detail is the undone transaction's id
    return f"{where} ({detail})"
