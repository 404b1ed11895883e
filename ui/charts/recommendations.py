"""Inspection recommendations by body and status, with how many of each are overdue."""

from __future__ import annotations

from tracker.enums import RecommendationStatus
from ui.charts.base import Chart
from ui.charts.status import stacked_bars
from ui.dashboard_data import DashboardData

LETTERS = {
    "awaiting allocation": "AA", "being progressed": "BP", "proposed for closure": "PC",
    "closed": "C", "superseded": "S", "not accepted": "NA",
}  # fmt: skip


def body_label(body: str) -> str:
    return body[0].upper() + body[1:]


class RecommendationsChart(Chart):
    title = "Inspection recommendations by body and status"

    def statuses(self) -> list[str]:
        return [s.value for s in RecommendationStatus]

    def draw(self, data: DashboardData) -> None:
        rows = data.recommendations
        bodies = sorted({r.body for r in rows}, key=str.casefold)
        cell = {(r.body, r.status): r for r in rows}
        series = self.ctx.palette.series
        colour = {s: series[i % len(series)] for i, s in enumerate(self.statuses())}

        def tip(body: str, status: str, n: int) -> str:
            late = cell[(body, status)].n_overdue
            return (
                f"{body_label(body)}, {status}: {n}"
                + (f" ({late} overdue)" if late else "")
                + "\nClick to open them"
            )

        stacked_bars(
            self, bodies, lambda b, s: cell[(b, s)].n if (b, s) in cell else 0, keys=self.statuses(),
            horizontal=True, fill=colour.__getitem__, legend=lambda s: f"{LETTERS[s]} · {s.capitalize()}",
            letter=LETTERS.get, tip=tip,
            target=lambda b, s: ("recommendations", {"body": b, "status": s}),
        )  # fmt: skip
        most = 1
        danger = self.ctx.palette.surfaces.danger
        for i, body in enumerate(bodies):
            total = sum(r.n for r in rows if r.body == body)
            late = sum(r.n_overdue for r in rows if r.body == body)
            most = max(most, total)
            if late:
                self.add_label(f"⚠ {late} overdue", total, i, anchor=(-0.05, 0.5), colour=danger, bold=True)
        self.set_ticks("left", [(i, body_label(b)) for i, b in enumerate(bodies)])
        self.plot.getPlotItem().getViewBox().invertY(True)
        self.axis_label("bottom", "Recommendations")
        self.plot.setXRange(0, most * 1.4, padding=0)  # room for the overdue note after a bar
        self.plot.setYRange(-0.6, max(len(bodies), 1) - 0.4, padding=0)
        if not bodies:
            self.add_label("No inspection recommendations", 0, 0, anchor=(0, 0.5))

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(data)


def table(data: DashboardData) -> tuple[list[str], list[list[object]]]:
    rows: list[list[object]] = [
        [body_label(r.body), r.status.capitalize(), r.n, r.n_overdue] for r in data.recommendations
    ]
    return ["Body", "Status", "Recommendations", "Overdue"], rows
