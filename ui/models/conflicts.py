"""The Conflicts page's tables: the sync conflicts, and an offline copy's changes waiting or refused."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from tracker.wording import field_label
from ui.models.table import Column, TableModel

CONFLICT_COLUMNS = (
    Column("item", "Item", attrgetter("item")),
    Column("field", "Field", lambda r: field_label(r.field) if r.field else "(whole item)"),
    Column("why", "Why", attrgetter("why")),
    Column("base", "Before", attrgetter("base"), tooltip="The value both sides started from"),
    Column("mine", "Mine", attrgetter("mine"), tooltip="The value sent from the offline copy"),
    Column("theirs", "Theirs", attrgetter("theirs"), tooltip="The value on the team plan"),
    Column("login", "Sent by", attrgetter("login")),
    Column("state", "State", lambda r: r.state.capitalize()),
)

OUTBOX_COLUMNS = (
    Column("item", "Item", attrgetter("item")),
    Column("action", "Change", lambda r: "Added" if r.action == "create" else "Changed"),
    Column(
        "fields",
        "Fields",
        lambda r: (
            ", ".join(field_label(f) for f in r.fields.split(", ")) if r.action != "create" else "New item"
        ),
    ),
    Column("state", "State", lambda r: "Refused" if r.state == "refused" else "Waiting"),
    Column("message", "Why refused", attrgetter("message")),
)


class ConflictsModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(CONFLICT_COLUMNS, parent=parent)


class OutboxModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(OUTBOX_COLUMNS, row_id=lambda r: str(r.seq), parent=parent)
