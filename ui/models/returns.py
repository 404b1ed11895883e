"""Item models for period returns: the tracker (one row per lead) and each part of an import preview.

The conflicts model is the only editable one: its last column holds the PMO's choice for each
conflict (keep ours, take theirs, or not settled yet), which the preview dialog hands to the apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from tracker.queries.returns import ReturnTrackerRow
from tracker.workbooks.returns_apply import KEEP_OURS, TAKE_THEIRS
from tracker.workbooks.returns_layout import describe
from ui.models.rows import ROOT, ROW_ROLE, Column, RowsModel

Index = QModelIndex | QPersistentModelIndex
CHOICE_TEXT = {None: "Not settled", KEEP_OURS: "Keep ours", TAKE_THEIRS: "Take theirs"}
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 20  # the choice key: None, KEEP_OURS or TAKE_THEIRS


def _when(value: Any) -> str:
    return f"{value:%d %b %Y %H:%M}" if value is not None else ""


def _status(r: ReturnTrackerRow) -> str:
    return r.status.capitalize()


class ReturnsTrackerModel(RowsModel[ReturnTrackerRow]):
    """Per lead: how many objectives, where their return is, when it moved and who applied it."""

    columns = (
        Column("Lead", lambda r: r.lead_name, lambda r: r.lead_email or r.lead_name),
        Column("Objectives", lambda r: str(r.n_objectives), right=True),
        Column("Status", _status, lambda r: r.file_name or "No return issued for this period"),
        Column("Issued", lambda r: _when(r.issued_at)),
        Column("Received", lambda r: _when(r.received_at)),
        Column("Applied", lambda r: _when(r.applied_at)),
        Column("Applied by", lambda r: r.applied_by),
        Column("Rows applied", lambda r: str(r.rows_applied) if r.status == "applied" else "", right=True),
        Column("Outstanding", lambda r: "Yes" if r.outstanding else ""),
    )


def _whole(value: Any) -> str:
    """A tooltip's value: long text in full (the cell shows it shortened)."""
    return value if isinstance(value, str) and value else describe(value)


class ChangeLine(NamedTuple):
    """One field a return would change: a row of the changes table."""

    sheet: str
    row: int
    item: str
    column: str
    ours: Any
    theirs: Any
    implied: bool


def change_lines(changes: Sequence[Any]) -> list[ChangeLine]:
    """The preview's row changes, one line per field."""
    return [
        ChangeLine(c.sheet, c.row, c.item, f.column, f.ours, f.theirs, f.implied)
        for c in changes
        for f in c.fields
    ]


class ProblemsModel(RowsModel[Any]):
    columns = (
        Column("Sheet", lambda p: p.sheet),
        Column("Row", lambda p: str(p.row) if p.row else "", right=True),
        Column("Column", lambda p: p.column),
        Column("Value found", lambda p: p.found),
        Column("Expected", lambda p: p.expected),
    )


class ChangesModel(RowsModel[ChangeLine]):
    columns = (
        Column("Sheet", lambda c: c.sheet),
        Column("Row", lambda c: str(c.row), right=True),
        Column("Item", lambda c: c.item),
        Column("Field", lambda c: c.column + (" (follows)" if c.implied else "")),
        Column("Ours (plan)", lambda c: describe(c.ours), lambda c: _whole(c.ours)),
        Column("Theirs (return)", lambda c: describe(c.theirs), lambda c: _whole(c.theirs)),
    )


class NotOwnedModel(RowsModel[Any]):
    columns = (
        Column("Sheet", lambda n: n.sheet),
        Column("Row", lambda n: str(n.row), right=True),
        Column("Item", lambda n: n.item),
        Column("Why it is not applied", lambda n: n.reason),
    )


_CONFLICT_COLUMNS = ("Sheet", "Row", "Item", "Field", "Issued", "Ours (plan)", "Theirs (return)", "Settle")
CHOICE_COLUMN = len(_CONFLICT_COLUMNS) - 1


class ConflictsModel(QAbstractTableModel):
    """Field-level conflicts, each settled keep ours / take theirs in the last (editable) column."""

    def __init__(self, conflicts: Sequence[Any] = (), parent: Any = None):
        super().__init__(parent)
        self.rows: list[Any] = list(conflicts)
        self.choices: list[str | None] = [None] * len(self.rows)

    def resolutions(self) -> dict[tuple[str, str, str], str]:
        """The settled conflicts, keyed as apply_return expects."""
        return {c.key: choice for c, choice in zip(self.rows, self.choices, strict=True) if choice}

    def unsettled(self) -> int:
        return sum(choice is None for choice in self.choices)

    def settle_all(self, choice: str) -> None:
        self.choices = [choice] * len(self.rows)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, CHOICE_COLUMN), self.index(len(self.rows) - 1, CHOICE_COLUMN), []
            )

    def settle(self, row: int, choice: str | None) -> None:
        self.setData(self.index(row, CHOICE_COLUMN), choice, CHOICE_ROLE)

    # ------------------------------------------------------------------------------------------ Qt

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(_CONFLICT_COLUMNS)

    def _text(self, row: int, column: int) -> str:
        c = self.rows[row]
        values = (c.sheet, str(c.row), c.item, c.column, describe(c.issued), describe(c.ours),
                  describe(c.theirs), CHOICE_TEXT[self.choices[row]])  # fmt: skip
        return values[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == CHOICE_COLUMN:
                return "Keep ours: the plan's value stays. Take theirs: the return's value is applied."
            c = self.rows[index.row()]
            values = {4: c.issued, 5: c.ours, 6: c.theirs}
            if index.column() in values:
                return _whole(values[index.column()])
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.EditRole and index.column() == CHOICE_COLUMN:
            return self.choices[index.row()]
        if role == CHOICE_ROLE:
            return self.choices[index.row()]
        if role == ROW_ROLE:
            return self.rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != CHOICE_COLUMN
            or role not in (Qt.ItemDataRole.EditRole, CHOICE_ROLE)
            or value not in CHOICE_TEXT
        ):
            return False
        self.choices[index.row()] = value
        self.dataChanged.emit(index, index, [])
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_CONFLICT_COLUMNS):
            return _CONFLICT_COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == CHOICE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags
