"""Measuring and wrapping text as the PDF will print it (the writer's own font metrics and resolution).

Each cell and paragraph is broken into lines here and drawn line by line, so the height a row is given
is the height its text takes: a long word that fits no line is broken inside, never clipped.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF, QPaintDevice, QTextLayout, QTextOption

from ui.boardpack.blocks import Style


def plain(font: QFont) -> QFont:
    """No kerning (widths measured are widths drawn) and no ligatures: a PDF reader copies, searches
    and reads aloud "fi" as two letters, not as the one glyph U+FB01."""
    font.setKerning(False)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


class Typesetter:
    """Fonts, metrics and line breaks for one paint device (the PDF writer), each worked out once."""

    def __init__(self, device: QPaintDevice, family: str = "") -> None:
        self.device = device
        self.family = family
        self._fonts: dict[tuple[float, bool], QFont] = {}
        self._metrics: dict[tuple[float, bool], QFontMetricsF] = {}
        self._wrapped: dict[tuple[str, float, bool, float], list[str]] = {}
        self._option = QTextOption()
        self._option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def font(self, style: Style) -> QFont:
        key = (style.size, style.bold)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self.family) if self.family else QFont()
            font.setPointSizeF(style.size)
            font.setBold(style.bold)
            plain(font)
            font = self._fonts[key] = font
        return font

    def metrics(self, style: Style) -> QFontMetricsF:
        key = (style.size, style.bold)
        fm = self._metrics.get(key)
        if fm is None:
            fm = self._metrics[key] = QFontMetricsF(self.font(style), self.device)
        return fm

    def line_height(self, style: Style) -> float:
        return self.metrics(style).lineSpacing()

    def ascent(self, style: Style) -> float:
        return self.metrics(style).ascent()

    def width(self, text: str, style: Style) -> float:
        return self.metrics(style).horizontalAdvance(text)

    def wrap(self, text: str, style: Style, width: float) -> list[str]:
        """The text's lines at this width: its own line breaks kept, words kept whole where they fit."""
        key = (text, style.size, style.bold, width)
        lines = self._wrapped.get(key)
        if lines is None:
            lines = []
            for para in text.strip().split("\n"):
                lines += self._wrap_one(para.rstrip(), style, width)
            self._wrapped[key] = lines
        return lines

    def _wrap_one(self, para: str, style: Style, width: float) -> list[str]:
        if not para or self.metrics(style).horizontalAdvance(para) <= width:
            return [para]
        layout = QTextLayout(para, self.font(style), self.device)
        layout.setTextOption(self._option)
        layout.beginLayout()
        out = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start = line.textStart()
            out.append(para[start : start + line.textLength()].rstrip())
        layout.endLayout()
        return out
