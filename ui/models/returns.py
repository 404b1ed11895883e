"""Item models for period returns: the tracker (one row per lead) and each part of an import preview.

The conflicts model is the only editable one: its last column holds the PMO's choice for each
conflict (keep ours, take theirs, or not settled yet), which the preview dialog hands to the apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from PySide6.QtCore import Qt

from tracker.workbooks.returns_apply import KEEP_OURS, TAKE_THEIRS
from tracker.workbooks.returns_layout import value_words
from ui.models.roles import CHOICE_ROLE
from ui.models.table import RIGHT, Column, Index, SortKind, TableModel

CHOICE_TEXT = {None: "Not settled", KEEP_OURS: "Keep ours", TAKE_THEIRS: "Take theirs"}


def _when(value: Any) -> str:
    return f"{value:%d %b %Y %H:%M}" if value is not None else ""


def _number(key: str, header: str, value: Any) -> Column:
    return Column(key, header, value, sort=SortKind.NUMBER, align=RIGHT)


TRACKER_COLUMNS = (
    Column("lead", "Lead", attrgetter("lead_name"), tip=lambda r: r.lead_email or r.lead_name),
    _number("objectives", "Objectives", attrgetter("n_objectives")),
    Column("status", "Status", lambda r: r.status.capitalize(),
           tip=lambda r: r.file_name or "No return issued for this period"),
    Column("issued", "Issued", attrgetter("issued_at"), display=_when, sort=SortKind.DATE),
    Column("received", "Received", attrgetter("received_at"), display=_when, sort=SortKind.DATE),
    Column("applied", "Applied", attrgetter("applied_at"), display=_when, sort=SortKind.DATE),
    Column("applied_by", "Applied by", attrgetter("applied_by")),
    _number("rows_applied", "Rows applied", lambda r: r.rows_applied if r.status == "applied" else None),
    Column("outstanding", "Outstanding", attrgetter("outstanding")),
)  # fmt: skip


class ReturnsTrackerModel(TableModel):
    """Per lead: how many objectives, where their return is, when it moved and who applied it."""

    def __init__(self, parent: Any = None):
        super().__init__(TRACKER_COLUMNS, row_id=attrgetter("lead_id"), parent=parent)


class ChangeLine(NamedTuple):
    """One field a return would change: a row of the changes table."""

    sheet: str
    row: int
    item: str
    column: str
    ours: Any
    theirs: Any
    implied: bool
    kind: str = ""
    field: str = ""


def change_lines(changes: Sequence[Any]) -> list[ChangeLine]:
    """The preview's row changes, one line per field."""
    return [
        ChangeLine(c.sheet, c.row, c.item, f.column, f.ours, f.theirs, f.implied, c.kind, f.field)
        for c in changes
        for f in c.fields
    ]


def _values(key: str, header: str, field: str) -> Column:
    """A column of plan or return values in the app's words ("Green"), long text whole in the tooltip."""
    get = attrgetter(field)

    def words(r: Any) -> str:
        return value_words(r.kind, r.field, get(r))

    def whole(r: Any) -> str:
        return value_words(r.kind, r.field, get(r), whole=True)

    return Column(key, header, words, tip=whole)


_SHEET = Column("sheet", "Sheet", attrgetter("sheet"))
_ROW = _number("row", "Row", lambda r: r.row or None)
_ITEM = Column("item", "Item", attrgetter("item"))


class ProblemsModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(
            (
                _SHEET,
                _ROW,
                Column("column", "Column", attrgetter("column")),
                Column("found", "Value found", attrgetter("found")),
                Column("expected", "Expected", attrgetter("expected")),
            ),
            parent=parent,
        )


class ChangesModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(
            (
                _SHEET,
                _ROW,
                _ITEM,
                Column("field", "Field", lambda c: c.column + (" (follows)" if c.implied else "")),
                _values("ours", "Ours (plan)", "ours"),
                _values("theirs", "Theirs (return)", "theirs"),
            ),
            parent=parent,
        )


class NotOwnedModel(TableModel):
    def __init__(self, parent: Any = None):
        super().__init__(
            (_SHEET, _ROW, _ITEM, Column("reason", "Why it is not applied", attrgetter("reason"))),
            parent=parent,
        )


CHOICE_COLUMN = 7  # the conflicts table's last column: how each conflict is settled
_SETTLE_TIP = "Keep ours: the plan's value stays. Take theirs: the return's value is applied."


class ConflictsModel(TableModel):
    """Field-level conflicts, each settled keep ours / take theirs in the last (editable) column.

    The only editable table of a return's preview: the choices live beside the rows, keyed by each
    conflict's key, and the settle column reads them like any other value.
    """

    def __init__(self, conflicts: Sequence[Any] = (), parent: Any = None):
        self._choices: dict[tuple[str, str, str], str] = {}
        columns = (
            _SHEET,
            _ROW,
            _ITEM,
            Column("field", "Field", attrgetter("column")),
            _values("issued", "Issued", "issued"),
            _values("ours", "Ours (plan)", "ours"),
            _values("theirs", "Theirs (return)", "theirs"),
            Column("settle", "Settle", self.choice_of, display=CHOICE_TEXT.__getitem__, tip=lambda _c: _SETTLE_TIP),
        )  # fmt: skip
        super().__init__(columns, row_id=attrgetter("key"), parent=parent)
        self.set_rows(conflicts)

    def choice_of(self, conflict: Any) -> str | None:
        return self._choices.get(conflict.key)

    def resolutions(self) -> dict[tuple[str, str, str], str]:
        """The settled conflicts, keyed as apply_return expects."""
        return {c.key: self._choices[c.key] for c in self.rows if c.key in self._choices}

    def unsettled(self) -> int:
        return sum(c.key not in self._choices for c in self.rows)

    def settle_all(self, choice: str) -> None:
        self._choices = {c.key: choice for c in self.rows}
        self._settled(0, self.rowCount() - 1)

    def _settled(self, first: int, last: int) -> None:
        self._clear_caches()  # the settle column's sort key and search text
        if first <= last:
            self.dataChanged.emit(self.index(first, CHOICE_COLUMN), self.index(last, CHOICE_COLUMN), [])

    # ------------------------------------------------------------------------------------------ Qt

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.EditRole, CHOICE_ROLE) and index.isValid():
            return self.choice_of(self.row_at(index.row())) if index.column() == CHOICE_COLUMN else None
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != CHOICE_COLUMN
            or role not in (Qt.ItemDataRole.EditRole, CHOICE_ROLE)
            or value not in CHOICE_TEXT
        ):
            return False
        key = self.row_at(index.row()).key
        if value is None:
            self._choices.pop(key, None)
        else:
            self._choices[key] = value
        self._settled(index.row(), index.row())
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == CHOICE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags
