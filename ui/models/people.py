"""The People page's table: each person, their role, whether active, and what they lead or own."""

from __future__ import annotations

from tracker.queries.holdings import PersonHoldingRow
from ui.models.rows import Column, RowsModel


class PeopleModel(RowsModel[PersonHoldingRow]):
    columns = (
        Column("Name", lambda r: r.name),
        Column("Role", lambda r: r.role_title, tooltip=lambda r: r.role_title),
        Column("Email", lambda r: r.email),
        Column("Status", lambda r: "Active" if r.active else "Inactive"),
        Column("Leads and owns", lambda r: r.holds or "nothing open", tooltip=lambda r: r.holds),
    )
