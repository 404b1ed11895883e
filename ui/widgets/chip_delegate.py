"""Draws a status cell as a rounded chip: the palette's fill with its word, so status is never colour alone."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui.models.table import CHIP_ROLE
from ui.palette import Palette


class ChipDelegate(QStyledItemDelegate):
    """Paints cells whose model gives a CHIP_ROLE colour word; other cells are drawn as usual."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette = palette

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        status = index.data(CHIP_ROLE)
        if not status:
            super().paint(painter, option, index)
            return
        # the row's selection and focus first, then the chip on top
        self.initStyleOption(option, index)
        option.text = ""
        option.backgroundBrush = Qt.BrushStyle.NoBrush
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        metrics = option.fontMetrics
        pad_x, pad_y = metrics.height() * 0.5, metrics.height() * 0.18
        width = min(metrics.horizontalAdvance(text) + 2 * pad_x, option.rect.width() - 4)
        height = min(metrics.height() + 2 * pad_y, option.rect.height() - 2)
        chip = QRectF(option.rect.left() + 4, option.rect.center().y() - height / 2 + 0.5, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_Selected:  # a Blue chip would vanish into the selection
            painter.setPen(QPen(QColor(self.palette.surfaces.on_accent), 1.5))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.palette.brag_fill(status)))
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.setPen(QColor(self.palette.brag_text(status)))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
