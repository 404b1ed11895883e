"""Movement since the compared period: improved, deteriorated, unchanged, new, and no update (so the
bars add up to every objective in scope), with the items behind each."""

from __future__ import annotations

import pyqtgraph as pg

from tracker.enums import Movement
from ui.charts.base import Chart, Region
from ui.dashboard_data import LAST_YEAR, DashboardData
from ui.palette import readable_on

ORDER = (Movement.IMPROVED, Movement.DETERIORATED, Movement.UNCHANGED, Movement.NEW)
NO_UPDATE_LABEL = "No update"  # not reported this period: nothing to compare, but counted


def rows(data: DashboardData) -> list[tuple[str, tuple[str, ...], Movement | None]]:
    """(label, objective ids, movement or None for no update) for every bar, in order: they add up."""
    mv = data.movement
    out: list[tuple[str, tuple[str, ...], Movement | None]] = [
        (f"{m.arrow} {m.label}", tuple(getattr(mv, m.value)), m) for m in ORDER
    ]
    out.append((NO_UPDATE_LABEL, tuple(mv.no_update), None))
    return out


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
        pal = self.ctx.palette.surfaces
        bars = rows(data)
        most = max((len(ids) for _, ids, _ in bars), default=0) or 1
        for i, (name, ids, m) in enumerate(bars):
            n = len(ids)
            if m is not None:
                colour = movement_fill(self, m)
                brush, pen = colour, pg.mkPen(pal.surface)
            else:  # no colour to give: an outline, as a chip for "no update" is drawn
                colour = pal.surface
                brush, pen = (
                    pal.surface,
                    pg.mkPen(pal.border, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
                )
            self.plot.addItem(
                pg.BarGraphItem(x0=[0], y=[i], width=[n], height=0.7, brush=brush, pen=pen, name=name)
            )
            more = f"\n… and {n - 12} more" if n > 12 else ""
            tip = f"{name}: {n}\n" + "\n".join(map(data.objective_text, ids[:12])) + more
            self.add_region(
                Region(
                    0, i - 0.35, max(n, most * 0.02), i + 0.35, tip, "plan" if n else "", {"ids": list(ids)}
                )
            )
            if n:
                label = f"{m.arrow} {n}" if m is not None else str(n)
                self.add_label(label, n / 2, i, colour=readable_on(colour), bold=True)
            else:
                self.add_label("0", 0, i, anchor=(0, 0.5))
        self.set_ticks("left", [(i, name) for i, (name, _, _) in enumerate(bars)])
        self.plot.getPlotItem().getViewBox().invertY(True)
        self.axis_label("bottom", f"Objectives, {data.period.name} against {compared_with(data)}")
        self.plot.setXRange(0, most * 1.1, padding=0)
        self.plot.setYRange(-0.6, len(bars) - 0.4, padding=0)

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(data)


def table(data: DashboardData) -> tuple[list[str], list[list[object]]]:
    out: list[list[object]] = []
    for name, ids, _ in rows(data):
        refs = ", ".join(data.objectives[x].ref if x in data.objectives else x for x in ids)
        out.append([name, len(ids), refs])
    return ["Movement", "Objectives", "Which"], out
