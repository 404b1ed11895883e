"""A table model over plain rows (tuples from tracker.queries), described by its columns.

For short lists (people, periods, an objective's milestones, a page of audit entries): rows are
shown as given. Long registers use :mod:`ui.models.table`, which sorts and filters with
precomputed keys. Columns come from the subclass (``columns = (...)``) or the constructor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.brag_delegate import BRAG_ROLE

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's ``id``
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a sort key for small lists behind a proxy
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # the plain row behind a cell


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str] | None = None
    right: bool = False  # numbers and dates read better right-aligned
    brag: Callable[[Any], str | None] | None = None  # a status key: the column is drawn as a chip


class RowsModel(QAbstractTableModel, Generic[R]):
    """Read-only rows; ``set_rows`` replaces them all, ``append_rows`` adds a page at the end."""

    columns: Sequence[Column] = ()

    def __init__(self, parent: Any = None, *, columns: Sequence[Column] | None = None):
        super().__init__(parent)
        if columns is not None:
            self.columns = tuple(columns)
        self.rows: list[R] = []

    # ------------------------------------------------------------------------------------------ contents

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Sequence[R]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def row_at(self, row: int) -> R:
        return self.rows[row]

    def row_of(self, item_id: str) -> int:
        return next((n for n, r in enumerate(self.rows) if getattr(r, "id", None) == item_id), -1)

    # ------------------------------------------------------------------------------------------ Qt

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else column.text(row) or None
        if role == BRAG_ROLE and column.brag is not None:
            return column.brag(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return column.text(row).casefold()
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def day(value: Any) -> str:
    """A date as people read it; empty for none."""
    return f"{value:%d %b %Y}" if value is not None else ""
