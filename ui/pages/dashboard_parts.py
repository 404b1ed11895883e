"""Pieces of the dashboard page: the headline tiles and the exceptions table."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.queries import NO_UPDATE, ExceptionKind, ExceptionRow
from ui.charts.status import LETTERS
from ui.context import AppContext
from ui.dashboard_data import DashboardData
from ui.models.table import Chip, Column, TableModel, chip_column
from ui.palette import readable_on
from ui.widgets.chips import ChipDelegate


class Tile(QPushButton):
    """A big number with its words; a click opens the register behind it."""

    def __init__(self, parent: QWidget | None = None, *, scale: float = 1.0):
        super().__init__(parent)
        self.setFlat(True)
        self.number = QLabel(self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.0 * scale)
        font.setBold(True)
        self.number.setFont(font)
        small = self.caption.font()
        small.setPointSizeF(small.pointSizeF() * scale)
        self.caption.setFont(small)
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # a narrower tile wraps its words onto more lines and grows taller
        self.setSizePolicy(policy)
        self.target: tuple[str, dict[str, Any]] | None = None

    # QPushButton sizes itself from its own (empty) text and ignores the labels in its layout, which
    # clipped a long caption; these size the tile from the words it shows, in its own fonts.

    def _width_for(self, text_width: int) -> int:
        margins = self.layout().contentsMargins()
        return text_width + margins.left() + margins.right() + 2  # the 1 px border each side

    def minimumSizeHint(self) -> QSize:
        words = self.caption.text().split() or [""]
        caption = self.caption.fontMetrics()
        widest = max(
            self.number.fontMetrics().horizontalAdvance(self.number.text()),
            *(caption.horizontalAdvance(w) for w in words),
            caption.averageCharWidth() * 10,
        )
        width = self._width_for(widest)
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:
        caption = self.caption.fontMetrics()
        text = min(caption.horizontalAdvance(self.caption.text()), caption.averageCharWidth() * 22)
        width = max(self._width_for(text), self.minimumSizeHint().width())
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().totalHeightForWidth(width)

    def show_value(self, n: int, caption: str, fill: str, ink: str, border: str) -> None:
        self.number.setText(str(n))
        self.caption.setText(caption)
        self.updateGeometry()
        self.setAccessibleName(f"{caption}: {n}")
        self.setToolTip(f"{caption}: {n}" + ("\nClick to open them" if self.target else ""))
        self.setStyleSheet(
            f"QPushButton {{ background: {fill}; border: 1px solid {border}; border-radius: 6px; }}"
            f"QLabel {{ color: {ink}; background: transparent; }}"
        )


class Headline(QWidget):
    """The tiles: objectives by status, overdue milestones, risks above appetite, open recommendations."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, scale: float = 1.0):
        super().__init__(parent)
        self.ctx = ctx
        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["red", "amber", "green", "blue", "grey", NO_UPDATE, "milestones", "risks", "recommendations"]
        for i, key in enumerate(keys):
            tile = Tile(self, scale=scale)
            tile.clicked.connect(lambda _=False, k=key: self._on_tile_clicked(k))
            self.tiles[key] = tile
            grid.addWidget(tile, 0, i)

    def set_data(self, data: DashboardData) -> None:
        pal = self.ctx.palette
        s = pal.surfaces
        h = data.headline
        ids = {r_key: [i for row in data.by_theme for i in row.ids[r_key]] for r_key in LETTERS}
        words = {
            "red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue: complete",
            "grey": f"Grey: not started ({h.not_started}) or cancelled ({h.cancelled})", NO_UPDATE: "No update",
        }  # fmt: skip
        for key, word in words.items():
            tile = self.tiles[key]
            tile.target = ("plan", {"ids": ids[key], "what": f"{word} on the dashboard"})
            fill = pal.brag_fill(key) if key != NO_UPDATE else s.surface_alt
            ink = readable_on(fill)
            tile.show_value(h.by_status.of(key), f"{LETTERS[key]} · {word}", fill, ink, s.border)
        above = [i for c in data.residual.cells if c.above_appetite for i in c.ids]
        late = [m.id for m in data.overdue_milestones]
        self.tiles["milestones"].target = ("milestones", {"ids": late, "what": "overdue on the dashboard"})
        self.tiles["risks"].target = ("risks", {"ids": above, "what": "above appetite on the dashboard"})
        self.tiles["recommendations"].target = ("recommendations", {})
        self.tiles["milestones"].show_value(
            h.overdue_milestones, "Overdue milestones", s.surface, s.text, s.border
        )
        self.tiles["risks"].show_value(
            h.risks_above_appetite,
            f"Risks above appetite (score over {data.plan.risk_appetite})",
            s.surface,
            s.text,
            s.border,
        )
        self.tiles["recommendations"].show_value(
            h.open_recommendations,
            f"Open recommendations, {h.overdue_recommendations} overdue",
            s.surface,
            s.danger if h.overdue_recommendations else s.text,
            s.border,
        )
        self._even_heights()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._even_heights()

    def _even_heights(self) -> None:
        """Every tile as tall as the one with most lines, so the row reads as one band."""
        tallest = max(t.heightForWidth(t.width()) for t in self.tiles.values())
        for tile in self.tiles.values():
            if tile.minimumHeight() != tallest:
                tile.setMinimumHeight(tallest)

    def _on_tile_clicked(self, key: str) -> None:
        target = self.tiles[key].target
        if target is not None:
            self.ctx.navigate(target[0], **target[1])


def _status(row: ExceptionRow) -> Chip:
    if row.status is None:
        return Chip("", None)
    return Chip(f"{LETTERS[row.status.value]} · {row.status_label}", row.status.value)


EXCEPTION_COLUMNS = (
    Column("why", "Why", attrgetter("kind")),
    Column("objective", "Objective", lambda r: f"{r.objective_ref} {r.objective_title}".strip()),
    Column("lead", "Lead", attrgetter("lead_name"), tip=attrgetter("lead_name")),
    chip_column("status", "Status", _status),
    Column("what", "What", attrgetter("detail")),
    Column("rationale", "Lead's rationale", attrgetter("rationale")),
    Column("corrective_action", "Corrective action", attrgetter("corrective_action")),
)


def exception_cells(row: ExceptionRow) -> list[str]:
    return [column.text(row) for column in EXCEPTION_COLUMNS]


EXCEPTION_HEADERS = [column.header for column in EXCEPTION_COLUMNS]


def exception_target(row: ExceptionRow) -> tuple[str, dict[str, Any]]:
    if row.kind is ExceptionKind.OVERDUE_MILESTONE:
        return "milestones", {"ids": [row.item_id], "what": "an exception on the dashboard"}
    if row.kind is ExceptionKind.RISK_ABOVE_APPETITE:
        return "risks", {"ids": [row.item_id], "what": "an exception on the dashboard"}
    return "plan", {"ids": [row.item_id], "what": "an exception on the dashboard"}


class ExceptionsTable(QTableView):
    """What needs SLT attention; a double-click (or Enter) opens the item's register.

    A model over the rows (cells made when painted) with one row height: at scale there are tens of
    thousands of exceptions, and an item per cell or rows sized to their contents took seconds.
    """

    opened = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model_ = TableModel(EXCEPTION_COLUMNS, row_id=attrgetter("item_id"), parent=self)
        self.setModel(self.model_)
        self.setAccessibleName("Exceptions: what needs attention")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.setItemDelegateForColumn(3, ChipDelegate(ctx.palette, self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        em = self.fontMetrics().averageCharWidth()  # in characters: meeting mode's type is larger
        for c, chars in enumerate([22, 48, 19, 21, 60, 40]):
            self.setColumnWidth(c, em * chars)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.activated.connect(self._on_activated)

    @property
    def rows(self) -> list[ExceptionRow]:
        return self.model_.rows

    def set_rows(self, rows: Sequence[ExceptionRow]) -> None:
        self.model_.set_rows(rows)

    def rowCount(self) -> int:  # noqa: N802 - the QTableWidget name the page's callers use
        return self.model_.rowCount()

    def _on_activated(self, index: Any) -> None:
        row = self.model_.row_at(index.row())
        key, filters = exception_target(row)
        self.ctx.navigate(key, **filters)
