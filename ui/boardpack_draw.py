"""The board pack's charts, drawn with QPainter alone (no widgets), so a worker thread or a headless run can print them.

They show the same numbers as the screen charts in ``ui.charts`` and use the same colours,
letters and words; pyqtgraph needs widgets, which may only live on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from tracker.enums import MilestoneState, RiskBand
from tracker.queries import STATUS_KEYS
from ui.charts.movement import ORDER
from ui.charts.recommendations import LETTERS as REC_LETTERS
from ui.charts.recommendations import body_label
from ui.charts.risk_heatmap import BAND_LETTERS, band_fill
from ui.charts.status import LETTERS, legend_name, status_fill
from ui.charts.timeline import points
from ui.dashboard_data import HORIZON_DAYS, DashboardData
from ui.palette import Palette, readable_on

Bar = list[tuple[str, int]]  # (key, count) segments of one bar


def _font(p: QPainter, size: float, bold: bool = False) -> None:
    f = QFont(p.font())
    f.setPointSizeF(size)
    f.setBold(bold)
    p.setFont(f)


def _legend(p: QPainter, rect: QRectF, items: Sequence[tuple[str, str]], pal: Palette) -> None:
    _font(p, 8)
    x = rect.left()
    for colour, text in items:
        p.fillRect(QRectF(x, rect.top() + 3, 10, 10), QColor(colour))
        p.setPen(QColor(pal.surfaces.text))
        width = p.fontMetrics().horizontalAdvance(text)
        p.drawText(QRectF(x + 14, rect.top(), width + 4, 16), Qt.AlignmentFlag.AlignVCenter, text)
        x += width + 30


def stacked(
    p: QPainter,
    rect: QRectF,
    labels: Sequence[str],
    bars: Sequence[Bar],
    *,
    fill: Callable[[str], str],
    letter: Callable[[str], str],
    legend: Sequence[tuple[str, str]],
    pal: Palette,
    horizontal: bool = True,
    notes: Sequence[str] = (),
) -> None:
    """Stacked bars with letter-and-count labels, category labels, and a legend along the top."""
    _legend(p, QRectF(rect.left(), rect.top(), rect.width(), 16), legend, pal)
    area = rect.adjusted(0, 28, 0, 0)
    most = max([sum(n for _, n in b) for b in bars] + [1])
    _font(p, 8)
    if horizontal:
        gutter = max([p.fontMetrics().horizontalAdvance(t) for t in labels] + [0]) + 10
        plot = area.adjusted(gutter, 0, -90, 0)
        step = plot.height() / max(len(bars), 1)
        for i, (label, bar) in enumerate(zip(labels, bars, strict=True)):
            h = min(step * 0.7, 56.0)
            y = plot.top() + i * step + (step - h) / 2
            p.setPen(QColor(pal.surfaces.text))
            _font(p, 8)
            p.drawText(
                QRectF(area.left(), y, gutter - 8, h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x = plot.left()
            for key, n in bar:
                if not n:
                    continue
                w = plot.width() * n / most
                seg = QRectF(x, y, w, h)
                p.fillRect(seg, QColor(fill(key)))
                _font(p, 7.5, bold=True)
                p.setPen(QColor(readable_on(fill(key))))
                text = f"{letter(key)} {n}"
                if p.fontMetrics().horizontalAdvance(text) < w:
                    p.drawText(seg, Qt.AlignmentFlag.AlignCenter, text)
                x += w
            if i < len(notes) and notes[i]:
                p.setPen(QColor(pal.surfaces.danger))
                p.drawText(QRectF(x + 6, y, 200, h), Qt.AlignmentFlag.AlignVCenter, notes[i])
    else:
        plot = area.adjusted(30, 0, 0, -22)
        step = plot.width() / max(len(bars), 1)
        for i, (label, bar) in enumerate(zip(labels, bars, strict=True)):
            x = plot.left() + i * step + step * 0.12
            w = step * 0.76
            y = plot.bottom()
            for key, n in bar:
                if not n:
                    continue
                h = plot.height() * n / most
                seg = QRectF(x, y - h, w, h)
                p.fillRect(seg, QColor(fill(key)))
                _font(p, 7, bold=True)
                p.setPen(QColor(readable_on(fill(key))))
                if h > 11:
                    p.drawText(seg, Qt.AlignmentFlag.AlignCenter, f"{letter(key)} {n}")
                y -= h
            _font(p, 7)
            p.setPen(QColor(pal.surfaces.text))
            p.drawText(QRectF(x - 6, plot.bottom() + 2, w + 12, 18), Qt.AlignmentFlag.AlignCenter, label)
    p.setPen(QPen(QColor(pal.surfaces.border)))
    p.drawLine(
        plot.bottomLeft(), plot.bottomRight() if not horizontal else QPointF(plot.right(), plot.bottom())
    )


def theme_chart(p: QPainter, rect: QRectF, data: DashboardData, pal: Palette) -> None:
    keys = [k for k in STATUS_KEYS if any(r.counts.of(k) for r in data.by_theme)]
    stacked(
        p, rect, [f"{r.code} {r.name}" for r in data.by_theme],
        [[(k, r.counts.of(k)) for k in keys] for r in data.by_theme],
        fill=lambda k: status_fill(pal, k), letter=LETTERS.__getitem__,
        legend=[(status_fill(pal, k), legend_name(k)) for k in keys], pal=pal,
    )  # fmt: skip


def trend_chart(p: QPainter, rect: QRectF, data: DashboardData, pal: Palette) -> None:
    from ui.charts.trend import short_name

    keys = [k for k in STATUS_KEYS if any(r.counts.of(k) for r in data.trend)]
    stacked(
        p, rect, [short_name(r.name) for r in data.trend], [[(k, r.counts.of(k)) for k in keys] for r in data.trend],
        fill=lambda k: status_fill(pal, k), letter=LETTERS.__getitem__,
        legend=[(status_fill(pal, k), legend_name(k)) for k in keys], pal=pal, horizontal=False,
    )  # fmt: skip


def movement_chart(p: QPainter, rect: QRectF, data: DashboardData, pal: Palette) -> None:
    colour = {"improved": "green", "deteriorated": "red", "unchanged": "grey", "new": "blue"}
    stacked(
        p, rect, [f"{m.arrow} {m.label}" for m in ORDER],
        [[(m.value, len(getattr(data.movement, m.value)))] for m in ORDER],
        fill=lambda k: pal.brag_fill(colour[k]), letter=lambda k: next(m.arrow for m in ORDER if m.value == k),
        legend=[(pal.brag_fill(colour[m.value]), f"{m.arrow} {m.label}") for m in ORDER], pal=pal,
    )  # fmt: skip


def recommendations_chart(p: QPainter, rect: QRectF, data: DashboardData, pal: Palette) -> None:
    bodies = sorted({r.body for r in data.recommendations}, key=str.casefold)
    statuses = list(dict.fromkeys(REC_LETTERS))
    colour = {s: pal.series[i % len(pal.series)] for i, s in enumerate(statuses)}
    cell = {(r.body, r.status): r for r in data.recommendations}
    used = [s for s in statuses if any((b, s) in cell for b in bodies)]
    late = [sum(r.n_overdue for r in data.recommendations if r.body == b) for b in bodies]
    stacked(
        p, rect, [body_label(b) for b in bodies],
        [[(s, cell[(b, s)].n if (b, s) in cell else 0) for s in used] for b in bodies],
        fill=colour.__getitem__, letter=REC_LETTERS.__getitem__,
        legend=[(colour[s], f"{REC_LETTERS[s]} · {s.capitalize()}") for s in used], pal=pal,
        notes=[f"⚠ {n} overdue" if n else "" for n in late],
    )  # fmt: skip


def heat_map(p: QPainter, rect: QRectF, data: DashboardData, pal: Palette) -> None:
    """Residual and inherent side by side."""
    half = rect.width() / 2
    for i, mx in enumerate((data.residual, data.inherent)):
        area = QRectF(rect.left() + i * half, rect.top(), half - 20, rect.height())
        _font(p, 9, bold=True)
        p.setPen(QColor(pal.surfaces.text))
        p.drawText(
            QRectF(area.left(), area.top(), area.width(), 18),
            Qt.AlignmentFlag.AlignCenter,
            f"{mx.kind.capitalize()} ({mx.total} open risks)",
        )
        side = min(area.width() - 40, area.height() - 60) / 5
        left, top = area.left() + 30, area.top() + 24
        for c in mx.cells:
            cellr = QRectF(left + (c.impact - 1) * side, top + (5 - c.likelihood) * side, side - 2, side - 2)
            colour = band_fill(pal, c.band)
            p.fillRect(cellr, QColor(colour))
            if c.above_appetite:
                p.setPen(QPen(QColor(pal.surfaces.text), 2))
                p.drawRect(cellr.adjusted(1, 1, -1, -1))
            p.setPen(QColor(readable_on(colour)))
            _font(p, 7)
            p.drawText(
                cellr.adjusted(0, 0, 0, -3),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                BAND_LETTERS[c.band],
            )
            if c.n:
                _font(p, 12, bold=True)
                p.drawText(cellr, Qt.AlignmentFlag.AlignCenter, str(c.n))
        _font(p, 8)
        p.setPen(QColor(pal.surfaces.text))
        for k in range(1, 6):
            p.drawText(
                QRectF(left + (k - 1) * side, top + 5 * side, side, 14), Qt.AlignmentFlag.AlignCenter, str(k)
            )
            p.drawText(
                QRectF(left - 20, top + (5 - k) * side, 16, side), Qt.AlignmentFlag.AlignCenter, str(k)
            )
        p.drawText(QRectF(left, top + 5 * side + 14, 5 * side, 14), Qt.AlignmentFlag.AlignCenter, "Impact →")
        p.drawText(QRectF(left - 30, top - 18, 80, 14), Qt.AlignmentFlag.AlignLeft, "Likelihood ↑")
    items = [(band_fill(pal, b), f"{BAND_LETTERS[b]} · {b.label}") for b in RiskBand]
    _legend(
        p,
        QRectF(rect.left(), rect.bottom() - 16, rect.width(), 16),
        [*items, (pal.surfaces.text, f"Heavy outline: above appetite (> {data.residual.appetite})")],
        pal,
    )


def timeline_chart(p: QPainter, rect: QRectF, data: DashboardData, pal: Palette) -> None:
    pts = points(data, 16)
    start = min([x.due for x in pts] + [data.as_of])
    end = data.as_of + timedelta(HORIZON_DAYS)
    span = max((end - start).days, 1)
    gutter = 80
    plot = rect.adjusted(gutter, 26, -220, -20)

    def xof(d: date) -> float:
        return plot.left() + plot.width() * (d - start).days / span

    colours = {
        MilestoneState.OVERDUE: "red",
        MilestoneState.SLIPPING: "amber",
        MilestoneState.ON_TRACK: "green",
    }
    _legend(p, QRectF(rect.left(), rect.top(), rect.width(), 16),
            [(pal.brag_fill(c), f"{s.label}") for s, c in colours.items()], pal)  # fmt: skip
    step = plot.height() / max(len(pts), 1)
    for i, pt in enumerate(pts):
        y = plot.top() + (i + 0.5) * step
        colour = pal.brag_fill(colours.get(pt.state, "blue"))
        x = xof(pt.due)
        p.setBrush(QColor(colour))
        p.setPen(QPen(QColor(pal.surfaces.text), 0.8))
        p.drawEllipse(QPointF(x, y), 4, 4)
        _font(p, 7)
        p.setPen(QColor(pal.surfaces.text))
        p.drawText(
            QRectF(rect.left(), y - 7, gutter - 6, 14),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            pt.ref,
        )
        word = "overdue" if pt.state is MilestoneState.OVERDUE else pt.state.label.lower()
        p.drawText(QRectF(x + 7, y - 7, 420, 14), Qt.AlignmentFlag.AlignVCenter, f"{pt.title[:60]} ({word})")
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor(pal.surfaces.accent), 1.5, Qt.PenStyle.DashLine))
    x = xof(data.as_of)
    p.drawLine(QPointF(x, plot.top() - 6), QPointF(x, plot.bottom()))
    _font(p, 8)
    p.drawText(
        QRectF(x + 3, plot.top() - 20, 160, 14), Qt.AlignmentFlag.AlignLeft, f"As of {data.as_of:%d %b %Y}"
    )
    p.setPen(QColor(pal.surfaces.border))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    p.setPen(QColor(pal.surfaces.text))
    every = 1 if span <= 240 else 3 if span <= 800 else 6
    month = date(start.year, start.month, 1)
    while month <= end:
        if month >= start and (month.month - 1) % every == 0:
            p.drawText(
                QRectF(xof(month) - 30, plot.bottom() + 2, 60, 14),
                Qt.AlignmentFlag.AlignCenter,
                f"{month:%b %y}",
            )
        month = date(month.year + (month.month // 12), month.month % 12 + 1, 1)
    if not pts:
        p.drawText(
            plot, Qt.AlignmentFlag.AlignCenter, "No overdue milestones and none due in the next 90 days"
        )
