"""The plan tree (theme → outcome → objective) as a Qt model over :func:`tracker.queries.plan_tree` rows.

Filtering runs in the model: each objective's keys (folded text, theme, lead, status, lifecycle,
4P tags) are computed once when rows arrive, a filter is one pass over them, and the tree is
rebuilt from the survivors with roll-up counts of what is shown. No per-comparison Python calls.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from tracker.queries import NO_UPDATE, BragCounts, TreeRow
from ui.models.roles import CHIP_ROLE, COUNTS_ROLE, ID_ROLE, KIND_ROLE
from ui.widgets.chips import counts_text, counts_words

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
MIME = "application/x-plan-item"  # a dragged item: "kind id"; it moves only among its siblings

COLUMNS = ("Objective", "Status", "Lifecycle", "Lead", "Movement", "Progress", "Last update")
NAME, STATUS, LIFECYCLE, LEAD, MOVEMENT, PROGRESS, UPDATED = range(len(COLUMNS))


@dataclass(frozen=True)
class TreeFilter:
    """What the plan page is narrowed to; ``status`` is a Brag value or NO_UPDATE."""

    text: str = ""
    theme_id: str | None = None
    lead_id: str | None = None
    status: str | None = None
    lifecycle: str | None = None
    four_p: str | None = None
    ids: frozenset[str] | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "") for f in fields(self))


class _Keys(NamedTuple):
    text: str
    theme_id: str | None
    lead_id: str | None
    status: str
    lifecycle: str | None
    four_p: frozenset[str]


class _Node(NamedTuple):
    row: TreeRow
    parent: int  # node number of the parent, -1 for a theme
    position: int  # row number under the parent
    children: list[int]
    counts: BragCounts | None


def status_key(row: TreeRow) -> str:
    return row.brag.value if row.has_status and row.brag is not None else NO_UPDATE


class PlanTreeModel(QAbstractItemModel):
    move_requested = Signal(str, str, int)  # kind, id, its new position among its siblings (a drop)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._movable = False  # items can be dragged to reorder them (the PMO, with no filter narrowing)
        self._rows: list[TreeRow] = []
        self._keys: dict[int, _Keys] = {}  # row number of each objective -> its filter keys
        self._filter = TreeFilter()
        self._nodes: list[_Node] = []
        self._roots: list[int] = []
        self._by_id: dict[str, int] = {}

    # ------------------------------------------------------------------------------------------ feeding

    def set_rows(self, rows: list[TreeRow]) -> None:
        self._rows = rows
        self._keys = {
            i: _Keys(
                f"{r.ref}\n{r.title}\n{r.lead_name}".casefold(),
                r.theme_id,
                r.lead_id,
                status_key(r),
                r.lifecycle,
                frozenset(t for t in r.four_p.split(",") if t),
            )
            for i, r in enumerate(rows)
            if r.kind == "objective"
        }
        self._rebuild()

    def set_filter(self, f: TreeFilter) -> None:
        if f != self._filter:
            self._filter = f
            self._rebuild()

    @property
    def filter(self) -> TreeFilter:
        return self._filter

    def _matching(self) -> set[int]:
        f = self._filter
        text = f.text.strip().casefold()
        return {
            i
            for i, k in self._keys.items()
            if (not text or text in k.text)
            and (f.theme_id is None or k.theme_id == f.theme_id)
            and (f.lead_id is None or k.lead_id == f.lead_id)
            and (f.status is None or k.status == f.status)
            and (f.lifecycle is None or k.lifecycle == f.lifecycle)
            and (f.four_p is None or f.four_p in k.four_p)
            and (f.ids is None or self._rows[i].id in f.ids)
        }

    def _rebuild(self) -> None:
        self.beginResetModel()
        keep = self._matching()
        show_empty = self._filter.is_empty
        nodes: list[_Node] = []
        roots: list[int] = []
        theme = outcome = -1
        tallies: dict[int, list[str]] = {}
        for i, row in enumerate(self._rows):
            if row.kind == "theme":
                theme, outcome = len(nodes), -1
                nodes.append(_Node(row, -1, len(roots), [], None))
                roots.append(theme)
                tallies[theme] = []
            elif row.kind == "outcome":
                outcome = len(nodes)
                nodes.append(_Node(row, theme, len(nodes[theme].children), [], None))
                nodes[theme].children.append(outcome)
                tallies[outcome] = []
            elif i in keep and outcome >= 0:
                number = len(nodes)
                nodes.append(_Node(row, outcome, len(nodes[outcome].children), [], None))
                nodes[outcome].children.append(number)
                if row.retired_on is None:  # shown, not counted
                    key = self._keys[i].status
                    tallies[outcome].append(key)
                    tallies[theme].append(key)
        for number, keys in tallies.items():
            nodes[number] = nodes[number]._replace(counts=BragCounts.tally(keys))
        if not show_empty:  # drop the themes and outcomes with nothing left to show
            nodes, roots = _pruned(nodes, roots)
        self._nodes, self._roots = nodes, roots
        self._by_id = {n.row.id: number for number, n in enumerate(nodes)}
        self.endResetModel()

    # ------------------------------------------------------------------------------------------ lookups

    def row_at(self, index: Index) -> TreeRow | None:
        return self._nodes[index.internalId()].row if index.isValid() else None

    def index_of(self, item_id: str, column: int = 0) -> QModelIndex:
        number = self._by_id.get(item_id)
        if number is None:
            return QModelIndex()
        return self.createIndex(self._nodes[number].position, column, number)

    def counts_of(self, item_id: str) -> BragCounts | None:
        number = self._by_id.get(item_id)
        return self._nodes[number].counts if number is not None else None

    def total_objectives(self) -> int:
        """All the objectives the model holds, shown or not."""
        return sum(1 for r in self._rows if r.kind == "objective")

    def row_by_id(self, item_id: str) -> TreeRow | None:
        number = self._by_id.get(item_id)
        return self._nodes[number].row if number is not None else None

    def position_of(self, item_id: str) -> int:
        """The item's place among the siblings shown."""
        return self._nodes[self._by_id[item_id]].position

    def sibling_count(self, item_id: str) -> int:
        up = self._nodes[self._by_id[item_id]].parent
        return len(self._nodes[up].children) if up >= 0 else len(self._roots)

    def set_movable(self, movable: bool) -> None:
        self._movable = movable

    def retired_shown(self) -> int:
        """How many of the objectives shown are retired (shown greyed, not counted)."""
        return sum(1 for n in self._nodes if n.row.kind == "objective" and n.row.retired_on is not None)

    def objective_ids(self) -> list[str]:
        """The objectives shown, in plan order."""
        return [n.row.id for n in self._nodes if n.row.kind == "objective"]

    # ------------------------------------------------------------------------------------------ Qt model

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        siblings = self._nodes[parent.internalId()].children if parent.isValid() else self._roots
        if row >= len(siblings):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._nodes[index.internalId()].parent
        if up < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[up].position, 0, up)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self._roots)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: Index = ROOT) -> int:
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self._reorderable() else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._reorderable() and self._nodes[index.internalId()].row.retired_on is None:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # ------------------------------------------------------------------------------------------ dragging

    def _reorderable(self) -> bool:
        # a filtered tree hides siblings, so a position among those shown would not be the plan's
        return self._movable and self._filter.is_empty

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        data = QMimeData()
        rows = [self.row_at(i) for i in indexes if i.isValid()]
        if rows and rows[0] is not None:
            data.setData(MIME, f"{rows[0].kind} {rows[0].id}".encode())
        return data

    def _drop_target(self, data: QMimeData, row: int, parent: Index) -> tuple[str, str, int] | None:
        """(kind, id, new position) when the drop puts an item among its own siblings, else None."""
        if not self._reorderable() or not data.hasFormat(MIME):
            return None
        kind, _, item_id = bytes(data.data(MIME).data()).decode().partition(" ")
        number = self._by_id.get(item_id)
        if number is None:
            return None
        node = self._nodes[number]
        onto = parent.internalId() if parent.isValid() else -1
        if row < 0 and onto >= 0 and self._nodes[onto].parent == node.parent:
            row, onto = self._nodes[onto].position, node.parent  # dropped on a sibling: take its place
        if onto != node.parent:
            return None  # only among its siblings: another outcome is an edit, not a drag
        count = len(self._nodes[onto].children) if onto >= 0 else len(self._roots)
        row = count if row < 0 else row
        to = row - 1 if row > node.position else row  # positions after it close up once it is lifted
        return (kind, item_id, max(0, min(to, count - 1))) if to != node.position else None

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self._drop_target(data, row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        target = self._drop_target(data, row, parent)
        if target is not None:
            self.move_requested.emit(*target)  # the page writes it; the reload redraws the tree
        return False  # nothing for the view to remove: the tree is rebuilt from the store

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        row, column = node.row, index.column()
        if role == ID_ROLE:
            return row.id
        if role == KIND_ROLE:
            return row.kind
        if row.retired_on is not None:
            return _retired_data(row, column, role)
        if row.kind != "objective":
            return self._group_data(node, column, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _objective_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (NAME, LEAD):
            return f"{row.ref} {row.title}" if column == NAME else row.lead_name or None
        if role == CHIP_ROLE and column == STATUS:
            return status_key(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PROGRESS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _group_data(self, node: _Node, column: int, role: int) -> Any:
        row, counts = node.row, node.counts or BragCounts()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return f"{row.ref}  {row.title}" if row.ref else row.title
            if column == STATUS:
                return counts_text(counts)
            return None
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            if column == NAME:
                return f"{row.kind.capitalize()} {row.ref} {row.title}"
            if column == STATUS:
                return counts_words(counts)
        if role == COUNTS_ROLE and column == STATUS:
            return counts
        if role == Qt.ItemDataRole.FontRole and column == NAME and row.kind == "theme":
            font = QFont()
            font.setBold(True)
            return font
        return None


def _retired_data(row: TreeRow, column: int, role: int) -> Any:
    """A retired item: its code and title muted and in italics, "Retired dd/mm/yyyy" as its status."""
    when = f"Retired {row.retired_on:%d %b %Y}"
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        if column == NAME:
            return f"{row.ref}  {row.title}"
        if column == STATUS:
            return when
        return _objective_text(row, column) if row.kind == "objective" and column != STATUS else None
    if role == Qt.ItemDataRole.ToolTipRole:
        return (
            f"{row.kind.capitalize()} {row.ref} {row.title}: {when.lower()}; left out of reports from then on"
        )
    if role == Qt.ItemDataRole.ForegroundRole:
        return QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    if role == Qt.ItemDataRole.FontRole and column in (NAME, STATUS):
        font = QFont()
        font.setItalic(True)
        return font
    return None


def _objective_text(row: TreeRow, column: int) -> str | None:
    if column == NAME:
        return f"{row.ref}  {row.title}"
    if column == STATUS:
        return row.brag_label
    if column == LIFECYCLE:
        return row.lifecycle.capitalize() if row.lifecycle else "—"
    if column == LEAD:
        return row.lead_name or "No lead"
    if column == MOVEMENT:
        return f"{row.movement.arrow} {row.movement.label}" if row.movement else "—"
    if column == PROGRESS:
        return f"{row.progress_pct}%" if row.progress_pct is not None else "—"
    if column == UPDATED:
        return f"{row.last_update:%d %b %Y}" if row.last_update else "Never"
    return None


def _pruned(nodes: list[_Node], roots: list[int]) -> tuple[list[_Node], list[int]]:
    """The same tree without themes and outcomes that hold no shown objective."""
    out: list[_Node] = []
    new_roots: list[int] = []

    def keep(number: int, parent: int, position: int) -> int:
        node = nodes[number]
        at = len(out)
        out.append(node._replace(parent=parent, position=position, children=[]))
        for child in node.children:
            if nodes[child].row.kind == "objective" or (nodes[child].counts and nodes[child].counts.total):
                out[at].children.append(keep(child, at, len(out[at].children)))
        return at

    for root in roots:
        if nodes[root].counts and nodes[root].counts.total:
            new_roots.append(keep(root, -1, len(new_roots)))
    return out, new_roots
