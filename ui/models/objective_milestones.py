"""One objective's milestones, editable in place; each accepted edit goes to a commit callback at once.

The model does not write: ``setData`` hands ``(milestone row, field, value)`` to the callback the
panel gives it, which runs the service and returns a problem message (or None). There is never
unsaved state in the table: after a commit the panel reloads the rows from the store.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from tracker.dates import as_typed, entry_text
from tracker.enums import MilestoneState
from tracker.queries import MilestoneRow
from ui.models.table import RIGHT, Chip, Column, Index, SortKind, TableModel, chip_column
from ui.widgets.chips import STATE_CHIP

Commit = Callable[[MilestoneRow, str, Any], object]  # starts the write; a refusal sets last_problem

TITLE, OWNER, BASELINE, FORECAST, COMPLETED, STATE = range(6)
FIELDS = {TITLE: "title", OWNER: "owner_id", BASELINE: "baseline_date", FORECAST: "forecast_date",
          COMPLETED: "completed_date"}  # fmt: skip
DATES = (BASELINE, FORECAST, COMPLETED)


def _state(m: MilestoneRow) -> Chip:
    if m.state is MilestoneState.OVERDUE:
        words = f"Overdue {m.days_overdue} d"
    elif m.state is MilestoneState.SLIPPING:
        words = f"Slipping {m.slip_days} d"
    else:
        words = m.state.label
    return Chip(words, STATE_CHIP[m.state.value])


COLUMNS = (
    Column("title", "Milestone", attrgetter("title"), tip=attrgetter("title")),
    Column("owner", "Owner", lambda m: m.owner_name or "No owner"),
    Column("baseline", "Baseline", attrgetter("baseline_date"), sort=SortKind.DATE, align=RIGHT),
    Column("forecast", "Forecast", attrgetter("forecast_date"), sort=SortKind.DATE, align=RIGHT),
    Column("completed", "Completed", attrgetter("completed_date"), sort=SortKind.DATE, align=RIGHT),
    chip_column(
        "state", "State", _state, tip=lambda m: f"{m.state.label}: forecast {m.slip_days} days after baseline"
    ),
)


class MilestonesModel(TableModel):
    def __init__(self, commit: Commit, parent: Any = None):
        super().__init__(COLUMNS, parent=parent)
        self._commit = commit
        self.editable = True
        self.last_problem: str | None = None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.editable and index.column() in FIELDS:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and index.column() in FIELDS:
            value = getattr(self.row_at(index.row()), FIELDS[index.column()])
            if index.column() == OWNER:
                return value
            if index.column() in DATES:
                return entry_text(value)  # edited as typed: 31/03/2027
            return value or ""
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in FIELDS:
            return False
        if index.column() in DATES and isinstance(value, str):
            value = as_typed(value)  # YYYY-MM-DD when it is a date; as typed for the service to refuse
            current = getattr(self.row_at(index.row()), FIELDS[index.column()])
            if value == (current.isoformat() if current else ""):
                return False
        elif value == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        # the value shows once the write commits and the panel reloads; a refusal sets last_problem
        self._commit(self.row_at(index.row()), FIELDS[index.column()], value)
        return True

    def index_of(self, milestone_id: str, column: int = 0) -> QModelIndex:
        row = self.view_row_of(milestone_id)
        return self.index(row, column) if row >= 0 else QModelIndex()
