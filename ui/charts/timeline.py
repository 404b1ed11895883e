"""Milestone timeline: overdue milestones and those due in the next 90 days, on a date axis with a today line."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import NamedTuple

import pyqtgraph as pg

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


class TimelineChart(Chart):
    title = "Milestones: overdue and next 90 days"

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        axis = pg.DateAxisItem(orientation="bottom")
        pal = self.ctx.palette.surfaces
        axis.setPen(pg.mkPen(pal.border))
        axis.setTextPen(pg.mkPen(pal.text))
        self.plot.setAxisItems({"bottom": axis})

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
                    x=[_stamp(p.due) for _, p in mine], y=[i for i, _ in mine], symbol=SYMBOLS[state], size=13 * self.scale,
                    brush=state_fill(self, state), pen=pg.mkPen(pal.text, width=1), name=state.label,
                )
            )  # fmt: skip
        for i, p in enumerate(pts):
            x = _stamp(p.due)
            late = (data.as_of - p.due).days
            when = f"{late} days overdue" if p.state is MilestoneState.OVERDUE else f"due {p.due:%d %b %Y}"
            tip = f"{p.ref} {p.title}\n{p.state.label}: {when}" + (f"\nOwner: {p.owner}" if p.owner else "")
            self.add_region(
                Region(x - 4 * day, i - 0.45, x + 4 * day, i + 0.45, tip, "milestones", {"ids": [p.id]})
            )
            self.add_label(
                f"{p.title[:48]}{'…' if len(p.title) > 48 else ''}", x + 3 * day, i, anchor=(0, 0.5), size=0.8
            )
        today = _stamp(data.as_of)
        word = "Today" if data.as_of == date.today() else f"As of {data.as_of:%d %b %Y}"
        line = pg.InfiniteLine(
            pos=today, angle=90, pen=pg.mkPen(pal.accent, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
            label=word, labelOpts={"position": 0.02, "color": pal.accent, "anchors": [(0, 0), (0, 0)]},
        )  # fmt: skip
        self.plot.addItem(line)
        self.set_ticks("left", [(i, p.ref) for i, p in enumerate(pts)])
        self.plot.getPlotItem().getViewBox().invertY(True)
        first = min([p.due for p in pts] + [data.as_of])
        span = (_stamp(data.as_of) + HORIZON_DAYS * day) - _stamp(first)
        self.plot.setXRange(
            _stamp(first) - 0.03 * span, _stamp(data.as_of) + HORIZON_DAYS * day + 0.35 * span, padding=0
        )
        self.plot.setYRange(-1, max(len(pts), 3), padding=0)
        if not pts:
            self.add_label(
                "No overdue milestones and none due in the next 90 days", today, 1, anchor=(0, 0.5)
            )

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(data)


def table(data: DashboardData) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = [
        [p.ref, p.title, p.owner, p.due.isoformat(), p.state.label,
         (data.as_of - p.due).days if p.state is MilestoneState.OVERDUE else 0]
        for p in points(data)
    ]  # fmt: skip
    return ["Objective", "Milestone", "Owner", "Due", "State", "Days overdue"], rows
