"""The 5x5 risk heat map: open risks by likelihood and impact, inherent or residual, counts in the cells."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox

from tracker.enums import RiskBand
from tracker.queries import RiskMatrix
from ui.charts.base import Chart, Region
from ui.dashboard_data import DashboardData
from ui.palette import Palette, mix, readable_on

BAND_LETTERS = {RiskBand.LOW: "L", RiskBand.MEDIUM: "M", RiskBand.HIGH: "H", RiskBand.VERY_HIGH: "VH"}


def band_fill(palette: Palette, band: RiskBand) -> str:
    """Tints of the status colours, light enough that counts read on them."""
    base = {RiskBand.LOW: "green", RiskBand.MEDIUM: "amber", RiskBand.HIGH: "red", RiskBand.VERY_HIGH: "red"}[
        band
    ]
    amount = {RiskBand.LOW: 0.55, RiskBand.MEDIUM: 0.45, RiskBand.HIGH: 0.35, RiskBand.VERY_HIGH: 0.0}[band]
    return mix(palette.brag_fill(base), palette.surfaces.surface, amount)


class RiskHeatMap(Chart):
    title = "Risk heat map"

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Risk scores shown")
        self.kind.addItem("Residual", "residual")
        self.kind.addItem("Inherent", "inherent")
        self.kind.currentIndexChanged.connect(lambda _i: self.redraw())
        self.controls.addWidget(self.kind)

    def matrix(self, data: DashboardData) -> RiskMatrix:
        return data.inherent if self.kind.currentData() == "inherent" else data.residual

    def draw(self, data: DashboardData) -> None:
        mx = self.matrix(data)
        pal = self.ctx.palette
        for band in RiskBand:
            cells = [c for c in mx.cells if c.band is band]
            if not cells:
                continue
            colour = band_fill(pal, band)
            self.plot.addItem(
                pg.BarGraphItem(
                    x=[c.impact for c in cells], y=[c.likelihood for c in cells], width=0.96, height=0.96,
                    brush=colour, pen=pg.mkPen(pal.surfaces.surface), name=f"{BAND_LETTERS[band]} · {band.label}",
                )
            )  # fmt: skip
        above = [c for c in mx.cells if c.above_appetite]
        if above:  # the appetite line: a heavy outline round every cell above it
            self.plot.addItem(
                pg.BarGraphItem(
                    x=[c.impact for c in above], y=[c.likelihood for c in above], width=0.96, height=0.96,
                    brush=None, pen=pg.mkPen(pal.surfaces.text, width=2.5), name=f"Above appetite (> {mx.appetite})",
                )
            )  # fmt: skip
        for c in mx.cells:
            ink = readable_on(band_fill(pal, c.band))
            names = [data.risk_text(i) for i in c.ids[:12]]
            more = f"\n… and {c.n - 12} more" if c.n > 12 else ""
            tip = (
                f"Likelihood {c.likelihood} × impact {c.impact} = {c.score} ({c.band.label}"
                f"{', above appetite' if c.above_appetite else ''}): {c.n} open risk{'s' if c.n != 1 else ''}\n"
                + "\n".join(names[:12])
                + more
            )
            self.add_region(
                Region(c.impact - 0.48, c.likelihood - 0.48, c.impact + 0.48, c.likelihood + 0.48, tip,
                       "risks" if c.n else "",
                       {"ids": list(c.ids), "what": f"likelihood {c.likelihood} × impact {c.impact} on the heat map"})
            )  # fmt: skip
            if c.n:
                self.add_label(str(c.n), c.impact, c.likelihood + 0.08, colour=ink, bold=True, size=1.3)
            self.add_label(BAND_LETTERS[c.band], c.impact, c.likelihood - 0.28, colour=ink, size=0.7)
        self.set_ticks("bottom", [(i, str(i)) for i in range(1, 6)])
        self.set_ticks("left", [(i, str(i)) for i in range(1, 6)])
        self.axis_label("bottom", "Impact")
        self.axis_label("left", "Likelihood")
        self.plot.setXRange(0.5, 5.5, padding=0)
        self.plot.setYRange(0.5, 5.5, padding=0)

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        return table(self.matrix(data))


def table(mx: RiskMatrix) -> tuple[list[str], list[list[object]]]:
    headers = [f"{mx.kind.capitalize()} likelihood \\ impact", *(str(i) for i in range(1, 6))]
    rows: list[list[object]] = [
        [str(lk), *(mx.cell(lk, im).n for im in range(1, 6))] for lk in range(5, 0, -1)
    ]
    return headers, rows
