"""The one table model: plain rows, a column spec, sorting and filtering on precomputed keys.

Every table in the app uses it, the 100,000-row registers and the short lists alike (people,
periods, the audit log, an objective's tabs, a chart's numbers, a return's preview); a list that
edits in place (an objective's milestones, a return's conflicts) is a thin subclass adding
``flags`` and ``setData``. Roles come from :mod:`ui.models.roles`; status cells are drawn by
:class:`ui.widgets.chips.ChipDelegate`.

Nothing here calls Python once per comparison. Each column's sort key is factorised once per load
(distinct values sorted once, each row given its value's rank as an integer), so a sort is one
numpy ``argsort`` of integers; descending keeps ties in load order and blanks last either way.
Filters work the same way: a facet (theme, owner, RAG, ...) is factorised into integer codes once,
its predicate is asked once per *distinct* value, and the row mask is an array lookup. Free text
is one substring test per row over lowercase haystacks built once per load. Keys are built the
first time they are needed, so opening a register costs only the query.

A sort or a filter emits ``layoutChanged`` with the persistent indexes (selection, current row)
moved to their rows' new places; a new set of rows is a model reset.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.models.roles import CHIP_ROLE, ID_ROLE, ROW_ROLE

Index = QModelIndex | QPersistentModelIndex
Row = Any

RIGHT = Qt.AlignmentFlag.AlignRight  # numbers and dates read better right-aligned
_BLANK = np.iinfo(np.int64).max  # sorts after every rank, ascending or descending
_LONG = 40  # a cell's text longer than this is its own tooltip (the column may elide it)


class SortKind(Enum):
    TEXT = "text"  # case-insensitive
    NUMBER = "number"
    DATE = "date"
    RANK = "rank"  # an explicit order (red < amber < green) from Column.rank


def show(value: Any) -> str:
    """The default cell text: blank for None, dates as 30 Sep 2024, enum words capitalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, Enum):
        label = getattr(value, "label", None)
        return str(label) if label is not None else str(value.value)
    if isinstance(value, (tuple, list)):
        return ", ".join(show(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Column:
    """How one column reads, shows, sorts and colours a row's value."""

    key: str
    header: str
    value: Callable[[Row], Any]
    display: Callable[[Any], str] = show
    sort: SortKind = SortKind.TEXT
    rank: Mapping[Any, int] = field(default_factory=dict)  # for SortKind.RANK; unknown values sort last
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    chip: Callable[[Any], str | None] | None = None  # value -> status key (CHIP_ROLE), drawn as a chip
    searchable: bool = True  # part of the free-text haystack
    tooltip: str = ""  # the header's tooltip
    tip: Callable[[Row], str | None] | None = None  # a cell's tooltip from its row (default: long text)

    def text(self, row: Row) -> str:
        """The cell's words for ``row``, as shown (and as exported beside the table)."""
        return self.display(self.value(row))


class Chip(NamedTuple):
    """The value of a status cell whose words are not its key's own, such as "Overdue 12 d" drawn Red."""

    text: str
    status: str | None  # a status key (CHIP_ROLE), None for no chip


def chip_column(key: str, header: str, value: Callable[[Row], Chip], **options: Any) -> Column:
    """A column of :class:`Chip` values: shown and sorted by their words, drawn in their status colour."""
    return Column(key, header, value, display=attrgetter("text"), chip=attrgetter("status"), **options)


def _id_of(row: Row) -> Any:
    return getattr(row, "id", None)


@dataclass(frozen=True)
class Factorised:
    """A column of values as integer codes into its distinct values (first-seen order)."""

    codes: np.ndarray
    uniques: list[Any]


def factorise(values: Sequence[Hashable]) -> Factorised:
    # dict.fromkeys and map run in C: no Python call per row
    uniques = list(dict.fromkeys(values))
    code_of = {v: i for i, v in enumerate(uniques)}
    codes = np.fromiter(map(code_of.__getitem__, values), dtype=np.int64, count=len(values))
    return Factorised(codes, uniques)


class TableModel(QAbstractTableModel):
    """A read-only table over plain rows; views sort it through :meth:`sort` and filter it with :meth:`set_filter`."""

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        facets: Mapping[str, Callable[[Row], Hashable]] | None = None,
        row_id: Callable[[Row], Any] = _id_of,
        parent: Any = None,
    ):
        super().__init__(parent)
        self.columns = tuple(columns)
        self.facets = dict(facets or {})
        self.row_id = row_id
        self._rows: list[Row] = []
        self._visible = np.arange(0, dtype=np.int64)  # view row -> index into _rows
        self._order: np.ndarray | None = None  # the sorted permutation of all rows, None = load order
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._text = ""
        self._facet_filters: dict[str, Callable[[Any], bool]] = {}
        self._ids: frozenset[str] | None = None
        self._clear_caches()

    def _clear_caches(self) -> None:
        self._ranks: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # column -> (rank, is_blank)
        self._factors: dict[str, Factorised] = {}
        self._haystacks: list[str] | None = None
        self._positions: dict[str, int] | None = None

    # ------------------------------------------------------------------------------------------ loading

    def set_rows(self, rows: Sequence[Row], *, columns: Sequence[Column] | None = None) -> None:
        """Show a new set of rows (and columns, if given), keeping the current sort and filter."""
        self.beginResetModel()
        if columns is not None:
            self.columns = tuple(columns)
            if self._sort_column >= len(self.columns):
                self._sort_column = -1
        self._rows = list(rows)
        self._clear_caches()
        self._order = self._sorted(self._sort_column, self._sort_order)
        self._visible = self._compute_visible()
        self.endResetModel()

    def replace_rows(self, fresh: Sequence[Row], gone: Collection[str] = ()) -> None:
        """Swap in new versions of some rows (matched by id; an unknown id is added at the end) and drop
        the ``gone`` ids, keeping the sort, the filter and the selection: a layout change, not a reset."""
        positions = self._id_positions()
        drop = {positions[i] for i in gone if i in positions}
        if not fresh and not drop:
            return
        rows = list(self._rows)
        for row in fresh:
            at = positions.get(self.row_id(row))
            if at is None:
                rows.append(row)
            else:
                rows[at] = row
        keep = np.ones(len(rows), dtype=bool)
        keep[list(drop)] = False
        kept = np.flatnonzero(keep)
        moved_to = np.full(len(rows), -1, dtype=np.int64)  # old position -> new position
        moved_to[kept] = np.arange(len(kept), dtype=np.int64)

        def change() -> None:
            self._rows = [rows[i] for i in kept.tolist()] if drop else rows
            self._clear_caches()
            self._order = self._sorted(self._sort_column, self._sort_order)

        self._relayout(change, moved_to)

    def append_rows(self, rows: Sequence[Row]) -> None:
        """Add rows after the others (a page of older entries); sorted or filtered, they take their places."""
        if not rows:
            return
        if self._order is not None or self.is_filtered:
            self.set_rows([*self._rows, *rows])
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._clear_caches()
        self._visible = np.arange(len(self._rows), dtype=np.int64)
        self.endInsertRows()

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def visible_count(self) -> int:
        return len(self._visible)

    def row_at(self, view_row: int) -> Row:
        return self._rows[int(self._visible[view_row])]

    def visible_rows(self) -> list[Row]:
        rows = self._rows
        return [rows[i] for i in self._visible.tolist()]

    def has_row(self, item_id: str) -> bool:
        """Whether a row with this id is loaded (shown or filtered out)."""
        return item_id in self._id_positions()

    def view_row_of(self, item_id: str) -> int:
        """Where the row with this id is shown, or -1 when it is filtered out or absent."""
        at = self._id_positions().get(item_id)
        if at is None:
            return -1
        hits = np.flatnonzero(self._visible == at)
        return int(hits[0]) if len(hits) else -1

    def _id_positions(self) -> dict[str, int]:
        if self._positions is None:
            self._positions = {self.row_id(r): i for i, r in enumerate(self._rows)}
        return self._positions

    # ------------------------------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        row = self._rows[int(self._visible[index.row()])]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.display(column.value(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tip is not None:
                return column.tip(row) or None
            text = column.display(column.value(row))
            return text if len(text) > _LONG else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == CHIP_ROLE:
            return column.chip(column.value(row)) if column.chip else None
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.row_id(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:  # row numbers, where a view shows them
            ok = role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._visible)
            return str(section + 1) if ok else None
        if not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip or f"Sort by {column.header.lower()}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # ------------------------------------------------------------------------------------------ sorting

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: load order); persistent indexes follow their rows."""
        if column >= len(self.columns):
            return
        self._sort_column, self._sort_order = column, order
        self._relayout(lambda: setattr(self, "_order", self._sorted(column, order)))

    def _sorted(self, column: int, order: Qt.SortOrder) -> np.ndarray | None:
        if column < 0 or not self._rows:
            return None
        rank, blank = self._rank(column)
        key = rank if order == Qt.SortOrder.AscendingOrder else -rank
        key = np.where(blank, _BLANK, key)
        return np.argsort(key, kind="stable")

    def _rank(self, column: int) -> tuple[np.ndarray, np.ndarray]:
        """Each row's rank among the column's distinct sort keys, and whether the row is blank there."""
        cached = self._ranks.get(column)
        if cached is not None:
            return cached
        spec = self.columns[column]
        keyfn = _key_function(spec)
        # keys are made once per distinct value, not once per row
        factors = factorise(list(map(spec.value, self._rows)))
        keys = [keyfn(u) for u in factors.uniques]
        by_key = sorted((i for i, k in enumerate(keys) if k is not None), key=keys.__getitem__)
        ranks = [0] * len(keys)
        rank, previous = -1, object()
        for i in by_key:  # equal keys (Apple, apple) share a rank, so ties keep load order
            if keys[i] != previous:
                rank, previous = rank + 1, keys[i]
            ranks[i] = rank
        unique_rank = np.array(ranks, dtype=np.int64)
        unique_blank = np.array([k is None for k in keys], dtype=bool)
        result = unique_rank[factors.codes], unique_blank[factors.codes]
        self._ranks[column] = result
        return result

    # ------------------------------------------------------------------------------------------ filtering

    def set_filter(
        self,
        text: str = "",
        facets: Mapping[str, Callable[[Any], bool]] | None = None,
        ids: Collection[str] | None = None,
    ) -> None:
        """Show only rows containing ``text`` (any case), whose facets pass, and (if given) with these ids.

        ``facets`` maps a facet name to a predicate on that facet's value, asked once per distinct value.
        """
        unknown = set(facets or {}) - set(self.facets)
        if unknown:
            raise KeyError(f"unknown facet(s): {', '.join(sorted(unknown))}")
        self._text = text.strip().casefold()
        self._facet_filters = dict(facets or {})
        self._ids = frozenset(ids) if ids is not None else None
        self._relayout(lambda: None)

    @property
    def is_filtered(self) -> bool:
        return bool(self._text or self._facet_filters or self._ids is not None)

    def _compute_visible(self) -> np.ndarray:
        n = len(self._rows)
        order = self._order if self._order is not None else np.arange(n, dtype=np.int64)
        if not self.is_filtered:
            return order
        mask = np.ones(n, dtype=bool)
        for name, accept in self._facet_filters.items():
            factors = self._facet(name)
            allowed = np.fromiter(
                (bool(accept(u)) for u in factors.uniques), dtype=bool, count=len(factors.uniques)
            )
            mask &= allowed[factors.codes]
        if self._ids is not None:
            chosen = np.zeros(n, dtype=bool)
            positions = self._id_positions()
            chosen[[positions[i] for i in self._ids if i in positions]] = True
            mask &= chosen
        if self._text:
            needle, hay = self._text, self._haystack()
            candidates = (
                np.flatnonzero(mask).tolist() if self._facet_filters or self._ids is not None else range(n)
            )
            hits = [i for i in candidates if needle in hay[i]]
            mask = np.zeros(n, dtype=bool)
            mask[hits] = True
        return order[mask[order]]

    def _facet(self, name: str) -> Factorised:
        factors = self._factors.get(name)
        if factors is None:
            factors = self._factors[name] = factorise(list(map(self.facets[name], self._rows)))
        return factors

    def _haystack(self) -> list[str]:
        if self._haystacks is None:
            parts = [(c.value, c.display) for c in self.columns if c.searchable]
            self._haystacks = [
                "\x1f".join(display(value(r)) for value, display in parts).casefold() for r in self._rows
            ]
        return self._haystacks

    # ------------------------------------------------------------------------------------------ layout

    def _relayout(self, change: Callable[[], None], moved_to: np.ndarray | None = None) -> None:
        """Apply a change as a layout change, moving persistent indexes with their rows.

        ``moved_to`` maps each row's old position among the rows to its new one (-1: gone) when the
        change replaced rows; a sort or filter moves none.
        """
        self.layoutAboutToBeChanged.emit()
        old_visible = self._visible
        persistent = self.persistentIndexList()
        change()
        self._visible = self._compute_visible()
        if persistent:
            where = np.full(len(self._rows), -1, dtype=np.int64)
            where[self._visible] = np.arange(len(self._visible), dtype=np.int64)
            moved = []
            for index in persistent:
                at = int(old_visible[index.row()]) if 0 <= index.row() < len(old_visible) else -1
                if moved_to is not None and at >= 0:
                    at = int(moved_to[at])
                row = int(where[at]) if at >= 0 else -1
                moved.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()


def _key_function(column: Column) -> Callable[[Any], Any]:
    """Value -> comparable sort key, None for a blank (blanks sort last both ways)."""
    if column.sort is SortKind.TEXT:  # by the words shown; a cell showing none is blank
        return lambda v: None if v is None or v == "" else (column.display(v).casefold() or None)
    if column.sort is SortKind.RANK:
        ranks, last = column.rank, len(column.rank)
        return lambda v: None if v is None else ranks.get(v, last)
    return lambda v: v  # numbers and dates compare as themselves
