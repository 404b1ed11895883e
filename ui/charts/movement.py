"""Movement since the compared period: improved, deteriorated, unchanged, new, with the items behind each."""

from __future__ import annotations

import pyqtgraph as pg

from tracker.enums import Movement
from ui.charts.base import Chart, Region
from ui.dashboard_data import LAST_YEAR, DashboardData
from ui.palette import readable_on

ORDER = (Movement.IMPROVED, Movement.DETERIORATED, Movement.UNCHANGED, Movement.NEW)


def movement_fill(chart: Chart, m: Movement) -> str:
    pal = chart.ctx.palette
    return {
        Movement.IMPROVED: pal.brag_fill("green"),
        Movement.DETERIORATED: pal.brag_fill("red"),
        Movement.UNCHANGED: pal.brag_fill("grey"),
        Movement.NEW: pal.brag_fill("blue"),
    }[m]


def compared_with(data: DashboardData) -> str:
    if data.compare_to is None:
        return "no earlier period"
    how = "same period a year earlier" if data.compare_mode == LAST_YEAR else "previous period"
    return f"{data.compare_to.name} ({how})"


class MovementChart(Chart):
    title = "Movement"

    def draw(self, data: DashboardData) -> None:
        mv = data.movement
        pal = self.ctx.palette.surfaces
        most = max((len(getattr(mv, m.value)) for m in ORDER), default=0) or 1
        for i, m in enumerate(ORDER):
            ids = getattr(mv, m.value)
            n = len(ids)
            colour = movement_fill(self, m)
            name = f"{m.arrow} {m.label}"
            self.plot.addItem(
                pg.BarGraphItem(
                    x0=[0], y=[i], width=[n], height=0.7, brush=colour, pen=pg.mkPen(pal.surface), name=name
                )
            )
            more = f"\n… and {n - 12} more" if n > 12 else ""
            tip = f"{name}: {n}\n" + "\n".join(map(data.objective_text, ids[:12])) + more
            self.add_region(
                Region(
                    0, i - 0.35, max(n, most * 0.02), i + 0.35, tip, "plan" if n else "", {"ids": list(ids)}
                )
            )
            if n:
                self.add_label(f"{m.arrow} {n}", n / 2, i, colour=readable_on(colour), bold=True)
            else:
                self.add_label("0", 0, i, anchor=(0, 0.5))
        self.set_ticks("left", [(i, f"{m.arrow} {m.label}") for i, m in enumerate(ORDER)])
        self.plot.getPlotItem().getViewBox().invertY(True)
        self.plot.setLabel("bottom", f"Objectives, {data.period.name} against {compared_with(data)}")
        self.plot.setXRange(0, most * 1.1, padding=0)
        self.plot.setYRange(-0.6, len(ORDER) - 0.4, padding=0)

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(data)


def table(data: DashboardData) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = []
    for m in ORDER:
        ids = getattr(data.movement, m.value)
        refs = ", ".join(data.objectives[x].ref if x in data.objectives else x for x in ids)
        rows.append([f"{m.arrow} {m.label}", len(ids), refs])
    return ["Movement", "Objectives", "Which"], rows
