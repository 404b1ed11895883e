"""Milestone timeline: overdue milestones and those due in the next 90 days, on a date axis with a today line."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import NamedTuple

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from tracker.enums import MilestoneState
from ui.charts.base import Chart, Region
from ui.dashboard_data import HORIZON_DAYS, DashboardData

MAX_ROWS = 30  # more than this reads as noise on a screen; the table has them all


class Point(NamedTuple):
    id: str
    ref: str
    title: str
    owner: str
    due: date
    state: MilestoneState


def points(data: DashboardData, limit: int | None = None) -> list[Point]:
    """Overdue first (most overdue at the top), then upcoming by date; the first ``limit`` of them."""
    overdue = data.overdue_milestones[:limit]
    out = [Point(m.id, m.ref, m.title, m.owner_name, m.due, MilestoneState.OVERDUE) for m in overdue]
    upcoming = data.upcoming if limit is None else data.upcoming[: max(0, limit - len(out))]
    out += [Point(m.id, m.objective_ref, m.title, m.owner_name, m.forecast_date, m.state) for m in upcoming]
    return out


def _stamp(d: date) -> float:
    return datetime.combine(d, time(12)).timestamp()


def state_fill(chart: Chart, state: MilestoneState) -> str:
    colour = {
        MilestoneState.OVERDUE: "red",
        MilestoneState.SLIPPING: "amber",
        MilestoneState.ON_TRACK: "green",
    }
    return chart.ctx.palette.brag_fill(colour.get(state, "blue"))


SYMBOLS = {MilestoneState.OVERDUE: "x", MilestoneState.SLIPPING: "t", MilestoneState.ON_TRACK: "o"}
MARKER = 13  # the symbol's size in pixels, before the chart's scale


class Spot(NamedTuple):
    """A label's place: its whole text, beside the point (x, y), kept between two fences (None: the edge)."""

    item: pg.TextItem
    text: str
    x: float
    y: float
    low: float | None
    high: float | None


class TimelineChart(Chart):
    title = "Milestones: overdue and next 90 days"

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        axis = pg.DateAxisItem(orientation="bottom")
        pal = self.ctx.palette.surfaces
        axis.setPen(pg.mkPen(pal.border))
        axis.setTextPen(pg.mkPen(pal.text))
        self.plot.setAxisItems({"bottom": axis})
        self.spots: list[Spot] = []
        view = self.plot.getPlotItem().getViewBox()
        view.sigResized.connect(self.place_labels)  # labels fit the room in pixels, so follow the size
        view.sigRangeChanged.connect(self.place_labels)

    def draw(self, data: DashboardData) -> None:
        pts = points(data, MAX_ROWS)
        pal = self.ctx.palette.surfaces
        day = 86_400.0
        for state in (MilestoneState.OVERDUE, MilestoneState.SLIPPING, MilestoneState.ON_TRACK):
            mine = [(i, p) for i, p in enumerate(pts) if p.state is state]
            if not mine:
                continue
            self.plot.addItem(
                pg.ScatterPlotItem(
                    x=[_stamp(p.due) for _, p in mine], y=[i for i, _ in mine], symbol=SYMBOLS[state], size=MARKER * self.scale,
                    brush=state_fill(self, state), pen=pg.mkPen(pal.text, width=1), name=state.label,
                )
            )  # fmt: skip
        today = _stamp(data.as_of)
        self.spots = []
        for i, p in enumerate(pts):
            x = _stamp(p.due)
            late = (data.as_of - p.due).days
            when = f"{late} days overdue" if p.state is MilestoneState.OVERDUE else f"due {p.due:%d %b %Y}"
            tip = f"{p.ref} {p.title}\n{p.state.label}: {when}" + (f"\nOwner: {p.owner}" if p.owner else "")
            self.add_region(
                Region(x - 4 * day, i - 0.45, x + 4 * day, i + 0.45, tip, "milestones", {"ids": [p.id]})
            )
            # a label keeps to its side of the as-of line: the line is never crossed
            fences = (None, today) if x < today else (today, None)
            self._spot(p.title, x, i, *fences)
        word = "Today" if data.as_of == date.today() else f"As of {data.as_of:%d %b %Y}"
        self.plot.addItem(pg.InfiniteLine(
            pos=today, angle=90, pen=pg.mkPen(pal.accent, width=2, style=pg.QtCore.Qt.PenStyle.DashLine)
        ))  # fmt: skip
        self._spot(word, today, -1, today, None, colour=pal.accent)  # in a row of its own, over the rest
        self.set_ticks("left", [(i, p.ref) for i, p in enumerate(pts)])
        self.plot.getPlotItem().getViewBox().invertY(True)
        first = min([p.due for p in pts] + [data.as_of])
        span = (_stamp(data.as_of) + HORIZON_DAYS * day) - _stamp(first)
        self.plot.setXRange(
            _stamp(first) - 0.03 * span, _stamp(data.as_of) + HORIZON_DAYS * day + 0.35 * span, padding=0
        )
        rows = max(len(pts), 3)
        self.plot.setYRange(-1.5, rows - 0.5, padding=0)
        # a row for each milestone a line of type high, as far as the screen allows (place_labels
        # makes the type smaller where it does not)
        line = QFontMetricsF(self.font_of(0.8)).height() + 1
        self.plot.setMinimumHeight(int(max(220 * self.scale, min((rows + 4) * line, 380))))
        if not pts:
            self._spot("No overdue milestones and none due in the next 90 days", today, 1, today, None)
        self.place_labels()

    def _spot(self, text: str, x: float, y: float, low: float | None, high: float | None,
              colour: str | None = None) -> None:  # fmt: skip
        item = self.add_label(text, x, y, anchor=(0, 0.5), size=0.8, colour=colour)
        item.textItem.document().setDocumentMargin(0)  # the item is as big as its words
        self.spots.append(Spot(item, text, x, y, low, high))

    def place_labels(self, *_: object) -> None:
        """Each label beside its point, on the side with room for it (else the roomier, elided)."""
        view = self.plot.getPlotItem().getViewBox()
        (start, end), _rows = view.viewRange()
        per_pixel, per_row = view.viewPixelSize()
        if per_pixel <= 0 or per_row <= 0 or not self.spots:
            return
        gap = (MARKER * self.scale / 2 + 4) * per_pixel
        font = self.font_of(0.8)
        while QFontMetricsF(font).height() > 1 / per_row and font.pointSizeF() > 6:  # rows never overlap
            font.setPointSizeF(font.pointSizeF() - 0.5)
        metrics = QFontMetricsF(font)
        for spot in self.spots:
            if spot.item.textItem.font() != font:
                spot.item.setFont(font)
            low = start if spot.low is None else spot.low
            high = end if spot.high is None else spot.high
            after = (high - spot.x - gap) / per_pixel - 3  # pixels free on each side
            before = (spot.x - gap - low) / per_pixel - 3
            on_right = metrics.horizontalAdvance(spot.text) <= after or after >= before
            text = metrics.elidedText(spot.text, Qt.TextElideMode.ElideRight, after if on_right else before)
            if spot.item.toPlainText() != text:
                spot.item.setPlainText(text)
            spot.item.setAnchor((0, 0.5) if on_right else (1, 0.5))
            spot.item.setPos(spot.x + gap if on_right else spot.x - gap, spot.y)

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(data)


def table(data: DashboardData) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = [
        [p.ref, p.title, p.owner, p.due.isoformat(), p.state.label,
         (data.as_of - p.due).days if p.state is MilestoneState.OVERDUE else 0]
        for p in points(data)
    ]  # fmt: skip
    return ["Objective", "Milestone", "Owner", "Due", "State", "Days overdue"], rows
