"""The People page's table: each person, their role, whether active, and what they lead or own."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from tracker.queries.holdings import PersonHoldingRow
from ui.models.table import Column, TableModel


def _status(row: PersonHoldingRow) -> str:
    return "Active" if row.active else "Inactive"


COLUMNS = (
    Column("name", "Name", attrgetter("name")),
    Column("role", "Role", attrgetter("role_title"), tip=attrgetter("role_title")),
    Column("email", "Email", attrgetter("email")),
    Column("status", "Status", _status),
    Column("holds", "Leads and owns", lambda r: r.holds or "nothing open", tip=attrgetter("holds")),
)


class PeopleModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(COLUMNS, parent=parent)
