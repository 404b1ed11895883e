"""Status cells: a colour chip beside the word (never colour alone), and roll-up tallies of chips.

Models give the word as ``DisplayRole`` (what a screen reader and a copy read) and the colour key
under :data:`BRAG_ROLE` (a :class:`tracker.enums.Brag` value) or a tally under :data:`COUNTS_ROLE`
(:class:`tracker.queries.BragCounts`); the delegate only draws them, in the palette's colours.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from tracker.enums import Brag
from tracker.queries import NO_UPDATE, STATUS_KEYS, BragCounts
from ui.palette import Palette

BRAG_ROLE = Qt.ItemDataRole.UserRole + 40
COUNTS_ROLE = Qt.ItemDataRole.UserRole + 41

# Short forms for a tally; Grey and "no update" keep words so that G stays Green.
_SHORT = {"red": "R", "amber": "A", "green": "G", "blue": "B", "grey": "Grey", NO_UPDATE: "no update"}
_LONG = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue (complete)",
         "grey": "Grey (not started)", NO_UPDATE: "no update"}  # fmt: skip

Index = QModelIndex | QPersistentModelIndex


def model_data(index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    """``index.data(role)`` without PySide6 6.12's bug: ``QModelIndex.data`` returning None drops a
    reference to None each call, until the interpreter frees None and aborts. Ask the model itself."""
    model = index.model()
    return model.data(index, role) if model is not None and index.isValid() else None


def counts_text(counts: BragCounts) -> str:
    """The tally in short words: "3 R · 5 A · 8 G · 2 B" (zero counts left out)."""
    parts = [f"{counts.of(k)} {_SHORT[k]}" for k in STATUS_KEYS if counts.of(k)]
    return " · ".join(parts) if parts else "no objectives"


def counts_words(counts: BragCounts) -> str:
    """The tally in full words, for tooltips and screen readers."""
    parts = [f"{counts.of(k)} {_LONG[k]}" for k in STATUS_KEYS if counts.of(k)]
    return ", ".join(parts) if parts else "no objectives"


class BragDelegate(QStyledItemDelegate):
    """Paints a status chip then its word, or a row of chips with counts for a roll-up."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette = palette

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        status = model_data(index, BRAG_ROLE)
        counts = model_data(index, COUNTS_ROLE)
        if status is None and counts is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        view = self.parent()  # not opt.widget: PySide6 6.12 mishandles the None it may return
        style = view.style() if isinstance(view, QWidget) else QApplication.style()
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, view if isinstance(view, QWidget) else None
        )
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(opt.font)
        rect = opt.rect.adjusted(4, 0, -4, 0)
        if counts is not None:
            self._paint_counts(painter, rect, counts, opt.palette.color(text_role))
        else:
            x = self._chip(painter, rect, rect.left(), str(status))
            painter.setPen(opt.palette.color(text_role))
            words = rect.adjusted(x - rect.left(), 0, 0, 0)
            elided = opt.fontMetrics.elidedText(
                str(model_data(index) or ""), Qt.TextElideMode.ElideRight, words.width()
            )
            painter.drawText(words, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)
        painter.restore()

    def _paint_counts(self, painter: QPainter, rect: QRect, counts: BragCounts, text: QColor) -> None:
        x = rect.left()
        metrics = painter.fontMetrics()
        for key in STATUS_KEYS:
            n = counts.of(key)
            if not n:
                continue
            x = self._chip(painter, rect, x, key)
            label = f"{n} {_SHORT[key]}"
            painter.setPen(text)
            width = metrics.horizontalAdvance(label)
            painter.drawText(
                QRect(x, rect.top(), width + 2, rect.height()),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                label,
            )
            x += width + metrics.horizontalAdvance("  ")
            if x > rect.right():
                break

    def _chip(self, painter: QPainter, rect: QRect, x: int, key: str) -> int:
        """Draw one chip at x, vertically centred; returns where the text after it starts."""
        side = max(8, int(painter.fontMetrics().height() * 0.8))
        top = rect.top() + (rect.height() - side) // 2
        chip = QRect(x, top, side, side)
        border = QColor(self.palette.surfaces.border)
        if key == NO_UPDATE:  # no colour to show: an outline only
            painter.setPen(QPen(border, 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setPen(QPen(border.darker(130), 1))
            painter.setBrush(QColor(self.palette.brag_fill(Brag(key))))
        painter.drawRoundedRect(chip, 2, 2)
        return x + side + max(4, side // 2)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        counts = model_data(index, COUNTS_ROLE)
        metrics = option.fontMetrics
        chip = max(8, int(metrics.height() * 0.8))
        if counts is not None:
            keys = [k for k in STATUS_KEYS if counts.of(k)]
            width = sum(
                chip + chip // 2 + metrics.horizontalAdvance(f"{counts.of(k)} {_SHORT[k]}  ") for k in keys
            )
            return QSize(width + 8, size.height())
        if model_data(index, BRAG_ROLE) is not None:
            return QSize(size.width() + chip + chip // 2 + 8, size.height())
        return size
