"""RAG trend: one stacked bar per reporting period, for the whole plan or one theme."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from tracker.queries import STATUS_KEYS, TrendRow
from ui.charts.base import Chart
from ui.charts.status import LETTERS, legend_name, stacked_bars, status_fill, status_name
from ui.dashboard_data import DashboardData


class TrendChart(Chart):
    """A click on a period's bar shows that period on the dashboard (periods are not register rows)."""

    title = "RAG trend across periods"
    legend_cell = Chart.UNDER  # under the period names: the bars need the width
    scope_changed = Signal(object)  # theme id, or None for the whole plan

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Trend for")
        self.scope.addItem("Whole plan", None)
        self.scope.currentIndexChanged.connect(self._on_scope_index_changed)
        self.controls.addWidget(self.scope)
        self._filling = False
        self.region_clicked.connect(self._on_region_clicked)

    def set_themes(self, themes: list[tuple[str, str]]) -> None:
        """(id, name) of each theme the scope box offers."""
        self._filling = True
        current = self.scope.currentData()
        self.scope.clear()
        self.scope.addItem("Whole plan", None)
        for tid, name in themes:
            self.scope.addItem(name, tid)
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        self._filling = False

    def _on_scope_index_changed(self, _index: int) -> None:
        if not self._filling:
            self.scope_changed.emit(self.scope.currentData())

    def draw(self, data: DashboardData) -> None:
        rows = data.trend
        stacked_bars(
            self, rows, lambda r, k: r.counts.of(k), horizontal=False,
            fill=lambda k: status_fill(self.ctx.palette, k), legend=legend_name, letter=LETTERS.get,
            tip=lambda r, k, n: f"{r.name}: {n} {status_name(k)}\nClick to show {r.name}",
            target=lambda r, k: ("", {"period_id": r.period_id}),
            min_label=0.08 * max((r.counts.total for r in rows), default=1),
        )  # fmt: skip
        step = max(1, -(-len(rows) // 8))  # at most eight names: more ran into each other under narrow bars
        self.set_ticks("bottom", [(i, short_name(r.name)) for i, r in enumerate(rows) if i % step == 0])
        self.axis_label("left", "Objectives")
        self.axis_label("bottom", f"Reporting periods (the dashboard shows {data.period.name})")
        most = max((r.counts.total for r in rows), default=1)
        self.fit_legend()
        self.plot.setYRange(0, most * 1.05, padding=0)
        self.plot.setXRange(-0.6, len(rows) - 0.4, padding=0)

    def _on_region_clicked(self, region) -> None:  # type: ignore[no-untyped-def]
        period_id = region.filters.get("period_id")
        if period_id:
            self.ctx.set_period(period_id)

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return trend_table(data.trend)


def short_name(name: str) -> str:
    """'2021/22 Q1' -> '21/22 Q1', so a dozen periods fit under their bars."""
    return re.sub(r"\b20(\d\d)/(\d\d)\b", r"\1/\2", name)


def trend_table(rows: list[TrendRow]) -> tuple[list[str], list[list[object]]]:
    headers = ["Period", *(status_name(k) for k in STATUS_KEYS), "Total"]
    return headers, [[r.name, *r.counts, r.counts.total] for r in rows]
