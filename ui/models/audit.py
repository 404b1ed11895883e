"""The Audit log page's table: who changed what, when, from where, with the old and new values."""

from __future__ import annotations

import json
from typing import Any

from tracker.audit import CREATED
from tracker.queries import AuditRow
from tracker.services.registry import REGISTRY
from ui.models.rows import Column, RowsModel

SOURCES = {"app": "the app", "cli": "command line", "return": "a return file", "sync": "a sync"}


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


def _when(row: AuditRow) -> str:
    return row.at.astimezone().strftime("%d %b %Y %H:%M:%S")


def _source(row: AuditRow) -> str:
    where = SOURCES.get(row.source, row.source)
    return f"{where} ({row.detail})" if row.detail else where


class AuditModel(RowsModel[AuditRow]):
    columns = (
        Column("When", _when, tooltip=lambda r: f"{r.at:%Y-%m-%d %H:%M:%S} UTC, entry {r.seq}"),
        Column("Who", lambda r: r.actor),
        Column("From", _source),
        Column("Item", lambda r: entity_word(r.entity), tooltip=lambda r: f"{r.entity} {r.entity_id}"),
        Column(
            "Change",
            change_text,
            tooltip=lambda r: f"old: {value_text(r.old, 2000)}\nnew: {value_text(r.new, 2000)}",
        ),
    )
