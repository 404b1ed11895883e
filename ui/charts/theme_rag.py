"""RAG by theme: one stacked horizontal bar per theme, each segment labelled with its letter and count."""

from __future__ import annotations

from tracker.queries import STATUS_KEYS, ThemeStatusRow
from ui.charts.base import Chart
from ui.charts.status import LETTERS, legend_name, stacked_bars, status_fill, status_name
from ui.dashboard_data import DashboardData


class ThemeRagChart(Chart):
    title = "RAG by theme"
    legend_cell = Chart.UNDER  # beside the bars it left them too little of a laptop's width

    def draw(self, data: DashboardData) -> None:
        rows = data.by_theme
        stacked_bars(
            self, rows, lambda r, k: r.counts.of(k), horizontal=True,
            fill=lambda k: status_fill(self.ctx.palette, k), legend=legend_name, letter=LETTERS.get,
            tip=lambda r, k, n: _tip(data, r, k, n),
            target=lambda r, k: ("plan", {"ids": list(r.ids[k])}),
            count_only=0.12 * max((r.counts.total for r in rows), default=1),
        )  # fmt: skip
        self.set_ticks("left", [(i, f"{r.code} {r.name}") for i, r in enumerate(rows)])
        self.plot.getPlotItem().getViewBox().invertY(True)
        self.axis_label("bottom", f"Objectives, {data.period.name}")
        most = max((r.counts.total for r in rows), default=1)
        self.fit_legend()
        self.plot.setXRange(0, most * 1.08, padding=0)
        self.plot.setYRange(-0.6, len(rows) - 0.4, padding=0)

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(data)


def _tip(data: DashboardData, row: ThemeStatusRow, key: str, n: int) -> str:
    ids = row.ids[key]
    more = f"\n… and {len(ids) - 12} more" if len(ids) > 12 else ""
    return f"{row.name}: {n} {status_name(key)}\n" + "\n".join(map(data.objective_text, ids[:12])) + more


def table(data: DashboardData) -> tuple[list[str], list[list[object]]]:
    headers = ["Theme", *(status_name(k) for k in STATUS_KEYS), "Total"]
    rows: list[list[object]] = [[f"{r.code} {r.name}", *r.counts, r.counts.total] for r in data.by_theme]
    return headers, rows
