"""SVG icons from resources/icons, drawn in the palette's text colour so they suit light and dark."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from tracker import resources


@cache
def _svg(name: str) -> str:
    return resources.read_text("icons", f"{name}.svg")


class _SvgEngine(QIconEngine):
    """Renders the SVG at whatever size and device pixel ratio is asked: sharp on high-DPI screens."""

    def __init__(self, data: bytes):
        super().__init__()
        self._data = data

    def paint(self, painter: QPainter, rect, mode, state) -> None:  # type: ignore[no-untyped-def]
        renderer = QSvgRenderer(QByteArray(self._data))
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.4)
        renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode, state) -> QPixmap:  # type: ignore[no-untyped-def]
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, pm.rect(), mode, state)
        painter.end()
        return pm

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._data)


def icon(name: str, colour: str = "#0b0c0c") -> QIcon:
    """The icon ``resources/icons/<name>.svg`` with its strokes in ``colour``."""
    data = _svg(name).replace("currentColor", colour).encode("utf-8")
    return QIcon(_SvgEngine(data))
