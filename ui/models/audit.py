"""The Audit log page's table: who changed what, when, from where, with the old and new values."""

from __future__ import annotations

import json
from datetime import datetime
from operator import attrgetter
from typing import Any

from tracker.audit import CREATED
from tracker.enums import Source
from tracker.queries import AuditRow
from tracker.services.registry import REGISTRY
from ui.models.table import Column, SortKind, TableModel

_SOURCES = {s.value for s in Source}


def entity_word(entity: str) -> str:
    """The kind of item in words, as the registry names it ('Progress note')."""
    known = REGISTRY.get(entity)  # type: ignore[call-overload]  # a Kind is its string: the text finds it
    return (known.noun if known is not None else entity.replace("_", " ")).capitalize()


def is_deletion(row: AuditRow) -> bool:
    """An entry that removed an item (a tombstone): the one kind of entry Restore applies to."""
    return row.field == "deleted" and row.new is True


def value_text(value: Any, limit: int = 80) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def change_text(row: AuditRow) -> str:
    if row.field == CREATED:
        new = row.new if isinstance(row.new, dict) else {}
        name = new.get("ref") or new.get("name") or new.get("title") or ""
        return f"created {value_text(name, 60)}".strip()
    if row.field == "deleted":
        return "removed" if row.new else "restored"
    return (
        f"{row.field.replace('_', ' ')}: {value_text(row.old, 40) or '—'} → {value_text(row.new, 40) or '—'}"
    )


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%d %b %Y %H:%M:%S")


def _source(row: AuditRow) -> str:
    where = Source(row.source).label if row.source in _SOURCES else row.source
    return f"{where} ({row.detail})" if row.detail else where


COLUMNS = (
    Column(
        "when",
        "When",
        attrgetter("at"),
        display=_when,
        sort=SortKind.DATE,
        tip=lambda r: f"{r.at:%Y-%m-%d %H:%M:%S} UTC, entry {r.seq}",
    ),
    Column("who", "Who", attrgetter("actor")),
    Column("from", "From", _source),
    Column("item", "Item", lambda r: entity_word(r.entity), tip=lambda r: f"{r.entity} {r.entity_id}"),
    Column(
        "change",
        "Change",
        change_text,
        tip=lambda r: f"old: {value_text(r.old, 2000)}\nnew: {value_text(r.new, 2000)}",
    ),
)


class AuditModel(TableModel):
    """A page of entries, newest first; older pages are appended (``append_rows``)."""

    def __init__(self, parent: Any = None):
        super().__init__(COLUMNS, row_id=attrgetter("seq"), parent=parent)
