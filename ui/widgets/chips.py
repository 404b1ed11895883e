"""Status chips: one delegate draws a status as a rounded chip with its word inside, and a roll-up as a row of them.

Status is never colour alone: the word (or, in a tally, the count and letter) is always inside the
chip. Models give the words as ``DisplayRole`` (what a screen reader and a copy read) and the status
key under :data:`CHIP_ROLE` (a :class:`tracker.enums.Brag` value or ``NO_UPDATE``) or a tally under
:data:`COUNTS_ROLE` (:class:`tracker.queries.BragCounts`); the delegate only draws them, in the
palette's colours (standard or colour-blind safe). Other cells are drawn as usual, so one delegate
can serve a whole view.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QHelpEvent, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from tracker.queries import NO_UPDATE, STATUS_KEYS, BragCounts
from ui.models.roles import CHIP_ROLE, COUNTS_ROLE
from ui.palette import Palette

Index = QModelIndex | QPersistentModelIndex

# The status colour each state argues for, wherever a state is drawn as a chip (a value's word is
# drawn inside it, so the colour never stands alone).
STATE_CHIP = {"complete": "blue", "on track": "green", "slipping": "amber", "overdue": "red",
              "not pursued": "grey"}  # milestones  # fmt: skip
BAND_CHIP = {"low": "green", "medium": "amber", "high": "red", "very high": "red"}  # risk bands
RECOMMENDATION_CHIP = {"awaiting allocation": "grey", "being progressed": "amber", "proposed for closure": "green",
                       "closed": "blue", "superseded": "grey", "not accepted": "grey"}  # fmt: skip

# Short forms for a tally; Grey and "no update" keep words so that G stays Green.
_SHORT = {"red": "R", "amber": "A", "green": "G", "blue": "B", "grey": "Grey", NO_UPDATE: "no update"}
_LONG = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue (complete)",
         "grey": "Grey (not started or cancelled)", NO_UPDATE: "no update"}  # fmt: skip
_MARGIN = 4  # between the cell's edge and its first chip
_GAP = 4  # between the chips of a tally
_GRID = 2  # a grid line, and a pixel of rounding in the words' width


def counts_text(counts: BragCounts) -> str:
    """The tally in short words: "3 R · 5 A · 8 G · 2 B" (zero counts left out)."""
    parts = [f"{counts.of(k)} {_SHORT[k]}" for k in STATUS_KEYS if counts.of(k)]
    return " · ".join(parts) if parts else "no objectives"


def counts_words(counts: BragCounts) -> str:
    """The tally in full words, for tooltips and screen readers."""
    parts = [f"{counts.of(k)} {_LONG[k]}" for k in STATUS_KEYS if counts.of(k)]
    return ", ".join(parts) if parts else "no objectives"


def chip_icon(colour: str, size: int = 12) -> QIcon:
    """A square of a status colour, for a drop-down's choices (the choice's text carries the word)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    icon = QIcon(pixmap)
    # a read-only form disables its drop-downs; a status colour must not turn grey with them
    icon.addPixmap(pixmap, QIcon.Mode.Disabled)
    return icon


def _tally(counts: BragCounts) -> list[tuple[str, str]]:
    return [(key, f"{counts.of(key)} {_SHORT[key]}") for key in STATUS_KEYS if counts.of(key)]


def _padding(metrics: QFontMetrics) -> tuple[float, float]:
    """A chip's room around its words, across and up-down: its rounded ends need the width."""
    return metrics.height() * 0.5, metrics.height() * 0.18


class ChipDelegate(QStyledItemDelegate):
    """Paints cells with a CHIP_ROLE status or a COUNTS_ROLE tally as chips; other cells as usual."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette = palette

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        status = index.data(CHIP_ROLE)
        counts = None if status else index.data(COUNTS_ROLE)
        if not status and counts is None:
            super().paint(painter, option, index)
            return
        # the row's selection, focus and alternate colour first, then the chips on top
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.backgroundBrush = QBrush()
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(opt.font)
        room = opt.rect.adjusted(_MARGIN, 0, -_MARGIN, 0)
        if counts is not None:
            x = room.left()
            for key, words in _tally(counts):
                if x >= room.right():
                    break
                x += self._chip(painter, opt, room.adjusted(x - room.left(), 0, 0, 0), key, words) + _GAP
        else:
            self._chip(painter, opt, room, str(status), str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        painter.restore()

    def _chip(self, painter: QPainter, opt: QStyleOptionViewItem, room: QRect, key: str, words: str) -> int:
        """Draw one chip at the left of ``room``, vertically centred, its words elided to fit; returns its width."""
        metrics = opt.fontMetrics
        pad_x, pad_y = _padding(metrics)
        text = metrics.elidedText(words, Qt.TextElideMode.ElideRight, max(0, int(room.width() - 2 * pad_x)))
        width = metrics.horizontalAdvance(text) + 2 * pad_x
        height = min(metrics.height() + 2 * pad_y, room.height() - 2)
        chip = QRectF(room.left(), room.center().y() - height / 2 + 0.5, width, height)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if key == NO_UPDATE:  # no colour to show: a dashed outline, the words in the text colour
            painter.setPen(QPen(QColor(self.palette.surfaces.text_muted), 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
            ink = opt.palette.color(role)
        else:
            if selected:  # a Blue chip would vanish into the selection: outline it
                painter.setPen(QPen(QColor(self.palette.surfaces.on_accent), 1.5))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.palette.brag_fill(key)))
            ink = QColor(self.palette.brag_text(key))
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.setPen(ink)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return int(width + 0.5)

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: Index
    ) -> bool:  # noqa: N802 (Qt's name)
        """A chip's whole words on hover (a narrow column elides them), unless the model says more."""
        if (
            event.type() == QEvent.Type.ToolTip
            and index.isValid()
            and not index.data(Qt.ItemDataRole.ToolTipRole)
        ):
            status = index.data(CHIP_ROLE)
            counts = None if status else index.data(COUNTS_ROLE)
            words = counts_words(counts) if counts is not None else str(index.data() or "") if status else ""
            if words:
                QToolTip.showText(event.globalPos(), words, view)
                return True
        return super().helpEvent(event, view, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        status = index.data(CHIP_ROLE)
        counts = None if status else index.data(COUNTS_ROLE)
        if counts is None and not status:
            return size
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)  # the font paint() draws with (a model may set its own)
        metrics = QFontMetrics(opt.font)
        pad_x = _padding(metrics)[0]
        if counts is not None:
            words = [w for _, w in _tally(counts)]
        else:
            words = [str(index.data(Qt.ItemDataRole.DisplayRole) or "")]
        chips = sum(metrics.horizontalAdvance(w) + 2 * pad_x for w in words) + _GAP * (len(words) - 1)
        # a chip keeps a pixel of its colour above and below its words; in taller rows it is rounder
        height = max(size.height(), metrics.height() + 4)
        # + the table's grid line, which the cell's rectangle leaves out of the section's width
        return QSize(math.ceil(chips) + 2 * _MARGIN + _GRID, height)
