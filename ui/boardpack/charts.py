"""The board pack's charts, drawn with QPainter alone (no widgets), so a worker thread or a headless run can print them.

They take the numbers the content gives them (``Bars``, the risk matrices) and use the screen charts'
colours, letters and words; pyqtgraph needs widgets, which may only live on the UI thread. No text
here is smaller than 8 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from tracker.enums import RiskBand
from tracker.queries import RiskMatrix
from ui.boardpack.text import plain
from ui.charts.risk_heatmap import BAND_LETTERS, band_fill
from ui.palette import Palette, readable_on

LABEL_PT = 8.0
COUNT_PT = 8.5


@dataclass(frozen=True)
class Bars:
    """Stacked bars: one per label, each a list of (key, count) segments."""

    labels: tuple[str, ...]
    bars: tuple[tuple[tuple[str, int], ...], ...]
    fills: dict[str, str]  # key -> colour
    letters: dict[str, str]  # key -> the letter (or arrow) written in a segment
    legend: tuple[tuple[str, str], ...]  # (colour, words)
    notes: tuple[str, ...] = ()  # after each bar, in the warning colour
    horizontal: bool = True

    @property
    def totals(self) -> list[int]:
        return [sum(n for _, n in bar) for bar in self.bars]


def _font(p: QPainter, size: float, bold: bool = False) -> None:
    f = plain(QFont(p.font()))
    f.setPointSizeF(size)
    f.setBold(bold)
    p.setFont(f)


def legend(p: QPainter, rect: QRectF, items: Sequence[tuple[str, str]], pal: Palette) -> float:
    """A row of swatches with their words, wrapping onto more rows; returns the height used."""
    _font(p, LABEL_PT)
    fm = p.fontMetrics()
    x, y, row = rect.left(), rect.top(), 16.0
    for colour, text in items:
        width = fm.horizontalAdvance(text)
        if x > rect.left() and x + width + 18 > rect.right():
            x, y = rect.left(), y + row
        p.fillRect(QRectF(x, y + 3, 10, 10), QColor(colour))
        p.setPen(QColor(pal.surfaces.text))
        p.drawText(QRectF(x + 14, y, width + 4, row), Qt.AlignmentFlag.AlignVCenter, text)
        x += width + 30
    return y + row - rect.top()


def bars(p: QPainter, rect: QRectF, b: Bars, pal: Palette) -> None:
    """Stacked bars with letter-and-count labels, category labels, a legend along the top and each
    bar's total at its end."""
    used = legend(p, QRectF(rect.left(), rect.top(), rect.width(), 16), b.legend, pal)
    area = rect.adjusted(0, used + 10, 0, 0)
    most = max([*b.totals, 1])
    _font(p, LABEL_PT)
    fm = p.fontMetrics()
    if b.horizontal:
        gutter = max([fm.horizontalAdvance(t) for t in b.labels] + [0]) + 10
        plot = area.adjusted(gutter, 0, -170, 0)
        step = plot.height() / max(len(b.bars), 1)
        for i, (label, bar) in enumerate(zip(b.labels, b.bars, strict=True)):
            h = min(step * 0.7, 40.0)
            y = plot.top() + i * step + (step - h) / 2
            p.setPen(QColor(pal.surfaces.text))
            _font(p, LABEL_PT)
            p.drawText(QRectF(area.left(), y, gutter - 8, h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)  # fmt: skip
            x = plot.left()
            for key, n in bar:
                if n:
                    w = plot.width() * n / most
                    _segment(p, QRectF(x, y, w, h), b.fills[key], f"{b.letters[key]} {n:,}", f"{n:,}")
                    x += w
            _font(p, LABEL_PT, bold=True)
            p.setPen(QColor(pal.surfaces.text))
            total = f"{sum(n for _, n in bar):,}"
            note = b.notes[i] if i < len(b.notes) else ""
            p.drawText(QRectF(x + 6, y, 160, h), Qt.AlignmentFlag.AlignVCenter, total)
            if note:
                p.setPen(QColor(pal.surfaces.danger))
                _font(p, LABEL_PT)
                p.drawText(QRectF(x + 12 + fm.horizontalAdvance(total), y, 160, h), Qt.AlignmentFlag.AlignVCenter,
                           note)  # fmt: skip
        p.setPen(QPen(QColor(pal.surfaces.border)))
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
        return
    plot = area.adjusted(10, 16, -10, -20)
    step = plot.width() / max(len(b.bars), 1)
    for i, (label, bar) in enumerate(zip(b.labels, b.bars, strict=True)):
        x = plot.left() + i * step + step * 0.1
        w = step * 0.8
        y = plot.bottom()
        for key, n in bar:
            if n:
                h = plot.height() * n / most
                _segment(p, QRectF(x, y - h, w, h), b.fills[key], f"{b.letters[key]} {n:,}", f"{n:,}")
                y -= h
        _font(p, LABEL_PT, bold=True)
        p.setPen(QColor(pal.surfaces.text))
        p.drawText(
            QRectF(x - 6, y - 16, w + 12, 14), Qt.AlignmentFlag.AlignCenter, f"{sum(n for _, n in bar):,}"
        )
        _font(p, LABEL_PT)
        p.drawText(QRectF(x - 6, plot.bottom() + 3, w + 12, 16), Qt.AlignmentFlag.AlignCenter, label)
    p.setPen(QPen(QColor(pal.surfaces.border)))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())


def _segment(p: QPainter, seg: QRectF, fill: str, text: str, short: str) -> None:
    """A filled segment labelled with its letter and count, or its count alone where that is all that
    fits (the legend and the table beside the chart give every count in full)."""
    p.fillRect(seg, QColor(fill))
    _font(p, COUNT_PT, bold=True)
    p.setPen(QColor(readable_on(fill)))
    fm = p.fontMetrics()
    for words in (text, short):
        if fm.horizontalAdvance(words) + 4 < seg.width() and fm.height() < seg.height():
            p.drawText(seg, Qt.AlignmentFlag.AlignCenter, words)
            return


def heat_maps(p: QPainter, rect: QRectF, matrices: Sequence[RiskMatrix], pal: Palette) -> None:
    """Risk matrices side by side: the count in each cell, its band's letter, appetite outlined."""
    half = rect.width() / len(matrices)
    for i, mx in enumerate(matrices):
        area = QRectF(rect.left() + i * half, rect.top(), half - 20, rect.height() - 22)
        _font(p, 9.5, bold=True)
        p.setPen(QColor(pal.surfaces.text))
        p.drawText(QRectF(area.left(), area.top(), area.width(), 18), Qt.AlignmentFlag.AlignCenter,
                   f"{mx.kind.capitalize()} scores ({mx.total:,} open risks)")  # fmt: skip
        side = min(area.width() - 60, area.height() - 70) / 5
        left = area.left() + (area.width() - 5 * side) / 2 + 10
        top = area.top() + 40
        for c in mx.cells:
            cell = QRectF(left + (c.impact - 1) * side, top + (5 - c.likelihood) * side, side - 2, side - 2)
            colour = band_fill(pal, c.band)
            p.fillRect(cell, QColor(colour))
            if c.above_appetite:
                p.setPen(QPen(QColor(pal.surfaces.text), 2))
                p.drawRect(cell.adjusted(1, 1, -1, -1))
            p.setPen(QColor(readable_on(colour)))
            _font(p, LABEL_PT)
            p.drawText(cell.adjusted(0, 0, 0, -3), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                       BAND_LETTERS[c.band])  # fmt: skip
            if c.n:
                _font(p, 12, bold=True)
                p.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{c.n:,}")
        _font(p, LABEL_PT)
        p.setPen(QColor(pal.surfaces.text))
        for k in range(1, 6):
            p.drawText(
                QRectF(left + (k - 1) * side, top + 5 * side, side, 14), Qt.AlignmentFlag.AlignCenter, str(k)
            )
            p.drawText(
                QRectF(left - 22, top + (5 - k) * side, 16, side), Qt.AlignmentFlag.AlignCenter, str(k)
            )
        p.drawText(QRectF(left, top + 5 * side + 14, 5 * side, 14), Qt.AlignmentFlag.AlignCenter, "Impact →")
        p.drawText(QRectF(left - 30, top - 18, 120, 14), Qt.AlignmentFlag.AlignLeft, "Likelihood ↑")
    items = [(band_fill(pal, b), f"{BAND_LETTERS[b]} · {b.label}") for b in RiskBand]
    appetite = matrices[0].appetite if matrices else 0
    legend(p, QRectF(rect.left(), rect.bottom() - 16, rect.width(), 16),
           [*items, (pal.surfaces.text, f"Heavy outline: above the appetite of {appetite}")], pal)  # fmt: skip
