"""One objective's milestones, editable in place; each accepted edit goes to a commit callback at once.

The model does not write: ``setData`` hands ``(milestone row, field, value)`` to the callback the
panel gives it, which runs the service and returns a problem message (or None). There is never
unsaved state in the table: after a commit the panel reloads the rows from the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from tracker.enums import MilestoneState
from tracker.queries import MilestoneRow
from ui.models.rows import Column, Index, RowsModel, day

Commit = Callable[[MilestoneRow, str, Any], object]  # starts the write; a refusal sets last_problem

TITLE, OWNER, BASELINE, FORECAST, COMPLETED, STATE = range(6)
FIELDS = {TITLE: "title", OWNER: "owner_id", BASELINE: "baseline_date", FORECAST: "forecast_date",
          COMPLETED: "completed_date"}  # fmt: skip

_STATE_KEY = {  # a milestone state drawn with the status colour it argues for
    MilestoneState.COMPLETE: "blue",
    MilestoneState.ON_TRACK: "green",
    MilestoneState.SLIPPING: "amber",
    MilestoneState.OVERDUE: "red",
}


def _state_text(m: MilestoneRow) -> str:
    if m.state is MilestoneState.OVERDUE:
        return f"Overdue {m.days_overdue} d"
    if m.state is MilestoneState.SLIPPING:
        return f"Slipping {m.slip_days} d"
    return m.state.label


COLUMNS = (
    Column("Milestone", lambda m: m.title),
    Column("Owner", lambda m: m.owner_name or "No owner"),
    Column("Baseline", lambda m: day(m.baseline_date), right=True),
    Column("Forecast", lambda m: day(m.forecast_date), right=True),
    Column("Completed", lambda m: day(m.completed_date), right=True),
    Column(
        "State",
        _state_text,
        brag=lambda m: _STATE_KEY[m.state],
        tooltip=lambda m: f"{m.state.label}: forecast {m.slip_days} days after baseline",
    ),
)


class MilestonesModel(RowsModel):
    def __init__(self, commit: Commit, parent: Any = None):
        super().__init__(parent, columns=COLUMNS)
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
            value = getattr(self.rows[index.row()], FIELDS[index.column()])
            if index.column() == OWNER:
                return value
            return value.isoformat() if hasattr(value, "isoformat") else (value or "")
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in FIELDS:
            return False
        if value == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        # the value shows once the write commits and the panel reloads; a refusal sets last_problem
        self._commit(self.rows[index.row()], FIELDS[index.column()], value)
        return True

    def index_of(self, milestone_id: str, column: int = 0) -> QModelIndex:
        row = self.row_of(milestone_id)
        return self.index(row, column) if row >= 0 else QModelIndex()
