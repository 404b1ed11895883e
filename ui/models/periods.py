"""The Periods page's table: each reporting period, its dates, whether open, and how many updates it holds."""

from __future__ import annotations

from tracker.queries import PeriodRow
from ui.models.rows import Column, RowsModel


def _when(row: PeriodRow) -> str:
    return f"{row.closed_at:%d %b %Y}" if row.closed_at else ""


class PeriodsModel(RowsModel[PeriodRow]):
    columns = (
        Column("Period", lambda r: r.name),
        Column("Starts", lambda r: f"{r.start:%d %b %Y}"),
        Column("Ends", lambda r: f"{r.end:%d %b %Y}"),
        Column("Status", lambda r: r.status.capitalize()),
        Column("Closed on", _when),
        Column("Status updates", lambda r: str(r.n_updates), right=True),
    )
