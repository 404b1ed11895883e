"""The Audit log page's table: who changed what, when, from where, with the old and new values."""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any

from tracker.audit import CREATED
from tracker.queries import AuditRow
from tracker.queries.audit_words import kind_word
from ui.models.table import Column, SortKind, TableModel


def is_deletion(row: AuditRow) -> bool:
    """An entry that removed an item (a tombstone): the one kind of entry Restore applies to."""
    return row.field == "deleted" and row.new is True


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%d %b %Y %H:%M:%S")


def _values(row: AuditRow) -> str:
    if row.field == CREATED:
        return row.new_text[:2000]
    return f"Was: {row.old_text[:2000] or '—'}\nNow: {row.new_text[:2000] or '—'}"


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
    Column("from", "From", attrgetter("source_text"), tip=lambda r: r.detail or r.source_text),
    Column("item", "Item", attrgetter("item"), tip=lambda r: f"{kind_word(r.entity)} {r.entity_id}"),
    Column("change", "Change", attrgetter("change"), tip=_values),
)


class AuditModel(TableModel):
    """A page of entries, newest first; older pages are appended (``append_rows``)."""

    def __init__(self, parent: Any = None):
        super().__init__(COLUMNS, row_id=attrgetter("seq"), parent=parent)
