"""A heading that keeps to a few lines: a long objective title is cut with "…" at the end of its
last line, and the whole of it is the tooltip (and what a screen reader hears)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget


class ShortTitle(QLabel):
    def __init__(self, lines: int = 2, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._lines = lines
        self._full = ""

    def set_title(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self._fit()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The longest start of the title (ending "…") that wraps into the allowed lines."""
        width = self.width()
        room = self.fontMetrics().lineSpacing() * self._lines + 2
        text = self._full
        if width <= 0 or self._height(text, width) <= room:
            self._show(text)
            return
        low, high = 0, len(text)
        while low < high:  # the most characters that fit, with the ellipsis
            mid = (low + high + 1) // 2
            if self._height(text[:mid].rstrip() + "…", width) <= room:
                low = mid
            else:
                high = mid - 1
        self._show(text[:low].rstrip() + "…")

    def _height(self, text: str, width: int) -> int:
        """The height ``text`` wraps to (what a plain-text QLabel measures it with)."""
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        return self.fontMetrics().boundingRect(QRect(0, 0, width, 100_000), flags, text).height()

    def _show(self, text: str) -> None:
        if text != self.text():
            super().setText(text)
