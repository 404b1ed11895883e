"""The Periods page's table: each reporting period, its dates, whether open, and how many updates it holds."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from ui.models.table import RIGHT, Column, SortKind, TableModel

COLUMNS = (
    Column("period", "Period", attrgetter("name")),
    Column("starts", "Starts", attrgetter("start"), sort=SortKind.DATE),
    Column("ends", "Ends", attrgetter("end"), sort=SortKind.DATE),
    Column("status", "Status", lambda r: r.status.capitalize()),
    Column("closed", "Closed on", attrgetter("closed_at"), sort=SortKind.DATE),
    Column("updates", "Status updates", attrgetter("n_updates"), sort=SortKind.NUMBER, align=RIGHT),
)


class PeriodsModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(COLUMNS, parent=parent)
