"""What every dashboard chart shares: a plot, a table of the same numbers, hover, click, copy and save.

A chart subclass draws into ``self.plot`` from a :class:`ui.dashboard_data.DashboardData` and
records what sits where as :class:`Region` rectangles (data coordinates). The base turns a region
under the cursor into a tooltip and a click on it into ``ctx.navigate(key, **filters)``. The
table behind the plot (Table button) carries every number, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QMimeData, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.dashboard_data import DashboardData
from ui.models.table import RIGHT, Column, SortKind, TableModel


def _cell_column(n: int, title: str, number: bool) -> Column:
    """Column ``n`` of a chart's table rows (plain lists): its values as written, numbers to the right."""
    if number:
        return Column(str(n), title, lambda r: r[n], display=_written, sort=SortKind.NUMBER, align=RIGHT)
    return Column(str(n), title, lambda r: r[n], display=_written)


def _written(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Region:
    """A rectangle in data coordinates, what it means, and where a click on it goes."""

    x0: float
    y0: float
    x1: float
    y1: float
    tip: str
    key: str = ""  # register key for ctx.navigate; "" when a click goes nowhere
    filters: dict[str, Any] = field(default_factory=dict)

    def contains(self, x: float, y: float) -> bool:
        return min(self.x0, self.x1) <= x <= max(self.x0, self.x1) and min(self.y0, self.y1) <= y <= max(
            self.y0, self.y1
        )

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


class Chart(QWidget):
    """Base of the dashboard charts; subclasses implement :meth:`draw` and :meth:`table_data`."""

    title = "Chart"
    UNDER = (4, 0, 1, 2)  # the PlotItem layout's row under the bottom axis, across the left axis too
    legend_cell = (2, 3)  # row and column in the PlotItem's layout: right of the data (2, 1)
    region_clicked = Signal(object)  # Region, after navigation was asked for

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, scale: float = 1.0):
        super().__init__(parent)
        self.ctx = ctx
        self.scale = scale
        self.data: DashboardData | None = None
        self.regions: list[Region] = []
        self.labels: list[pg.TextItem] = []
        pal = ctx.palette.surfaces
        self.setObjectName(type(self).__name__)
        self.setAccessibleName(self.title)

        self.heading = QLabel(self.title, self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15 * scale)
        self.heading.setFont(font)
        self.controls = QHBoxLayout()
        self.table_button = self._tool(
            "Table", "Show the numbers as a table (for screen readers and copying)"
        )
        self.table_button.setCheckable(True)
        self.table_button.toggled.connect(self._on_table_button_toggled)
        copy = self._tool("Copy", "Copy the chart picture and its numbers to the clipboard")
        copy.clicked.connect(self.copy_to_clipboard)
        save = self._tool("Save…", "Save the chart as PNG or SVG")
        self.tool_buttons = (self.table_button, copy, save)
        save.clicked.connect(self._on_save_clicked)
        self.heading.setWordWrap(True)  # long titles wrap rather than widening the dashboard
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addLayout(self.controls)
        for b in (self.table_button, copy, save):
            top.addWidget(b)

        # no right-click menus: building the view box's for each chart was a tenth of start-up's chart time
        self.plot = pg.PlotWidget(parent=self, background=pal.surface, enableMenu=False)
        self.plot.setAccessibleName(f"{self.title} chart")
        self.plot.setAccessibleDescription(
            "A picture of the numbers in the chart's table: press Table to read them."
        )
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(int(220 * scale))
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            item.getAxis(name).setStyle(tickFont=self.font_of(0.9))
        # the legend sits in the plot's own layout, beside (or under) the data, never over it: as an
        # overlay it covered bars and heat-map cells whenever the chart was narrower than planned
        self.legend = pg.LegendItem()
        self.legend.setLabelTextSize(f"{self.font_of(0.9).pointSizeF():.1f}pt")  # larger in meeting mode
        self._colour_frame()
        item.layout.addItem(self.legend, *self.legend_cell)
        item.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.legend.setSizePolicy(
            QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed
        )  # not stretched to the row
        item.legend = self.legend  # named items added to the plot get an entry
        self.table = QTableView(self)
        self.table_model = TableModel(parent=self.table)
        self.table.setModel(self.table_model)
        self._table_stale = False
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setAccessibleName(f"{self.title}: the numbers")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_scene_mouse_moved)
        scene.sigMouseClicked.connect(self._on_scene_mouse_clicked)

    # ------------------------------------------------------------------------------------------ for subclasses

    def draw(self, data: DashboardData) -> None:
        raise NotImplementedError

    def table_data(self, data: DashboardData) -> tuple[list[str], list[list[object]]]:
        raise NotImplementedError

    def present(self) -> None:
        """For meeting mode: the picture alone (the window's header names it; no table, copy or save)."""
        self.heading.hide()
        for button in self.tool_buttons:
            button.hide()

    def axis_label(self, side: str, text: str) -> None:
        """An axis's label in the chart's type size (pyqtgraph's default is small and never scales)."""
        self.plot.setLabel(side, text, **{"font-size": f"{self.font_of(0.9).pointSizeF():.1f}pt"})

    def font_of(self, factor: float = 1.0, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, self.font().pointSizeF() * factor * self.scale))
        font.setBold(bold)
        return font

    def add_label(
        self,
        text: str,
        x: float,
        y: float,
        *,
        anchor: tuple[float, float] = (0.5, 0.5),
        colour: str | None = None,
        bold: bool = False,
        size: float = 0.9,
    ) -> pg.TextItem:
        item = pg.TextItem(text, color=colour or self.ctx.palette.surfaces.text, anchor=anchor)
        item.setFont(self.font_of(size, bold))
        item.setPos(x, y)
        self.plot.addItem(item)
        self.labels.append(item)
        return item

    def add_region(self, region: Region) -> None:
        self.regions.append(region)

    def set_ticks(self, axis: str, ticks: Sequence[tuple[float, str]]) -> None:
        item = self.plot.getPlotItem().getAxis(axis)
        item.setTicks([list(ticks)])
        # named categories need no tick marks: on a bar chart the mark ran into the first segment,
        # beside its count, where "1" read as "-1"
        item.setStyle(tickLength=0)
        if axis == "left":  # pyqtgraph hides tick text wider than the axis: make room for the longest
            metrics = QFontMetrics(self.font_of(0.9))
            item.setWidth(max([metrics.horizontalAdvance(text) for _, text in ticks] + [20]) + 16)

    def _colour_frame(self) -> None:
        """The plot's background, axes and legend in the context's palette."""
        pal = self.ctx.palette.surfaces
        self.plot.setBackground(pal.surface)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(pal.border))
            axis.setTextPen(pg.mkPen(pal.text))
        self.legend.setLabelTextColor(pal.text)
        self.legend.setBrush(pg.mkBrush(pal.surface))
        self.legend.setPen(pg.mkPen(pal.border))

    def apply_palette(self) -> None:
        """Draw again in the context's palette (light or dark, standard or colour-blind safe)."""
        self._colour_frame()
        self.redraw()

    # ------------------------------------------------------------------------------------------ data in

    def set_data(self, data: DashboardData) -> None:
        self.data = data
        self.redraw()

    def redraw(self) -> None:
        if self.data is None:
            return
        self.plot.clear()
        self.legend.clear()
        self.regions = []
        self.labels = []
        self.draw(self.data)
        self.legend.updateGeometry()  # its size follows its entries; the plot's layout makes room
        self._table_stale = True
        if self.stack.currentWidget() is self.table:
            self.fill_table()

    def fill_table(self) -> TableModel:
        """The table's model, filled from the data now if a change came since it was last filled."""
        if self._table_stale and self.data is not None:
            self._table_stale = False
            headers, rows = self.table_data(self.data)
            first = rows[0] if rows else []
            columns = [_cell_column(c, title, c < len(first) and isinstance(first[c], int))
                       for c, title in enumerate(headers)]  # fmt: skip
            self.table_model.set_rows(rows, columns=columns)
            self.table.resizeColumnsToContents()
        return self.table_model

    def table_text(self) -> str:
        """The table as tab-separated text (what Copy puts beside the picture)."""
        if self.data is None:
            return ""
        headers, rows = self.table_data(self.data)
        lines = ["\t".join(headers), *("\t".join("" if v is None else str(v) for v in row) for row in rows)]
        return "\n".join(lines)

    # ------------------------------------------------------------------------------------------ pointing

    def region_at(self, x: float, y: float) -> Region | None:
        for region in reversed(self.regions):  # the last drawn is on top
            if region.contains(x, y):
                return region
        return None

    def scene_pos_of(self, x: float, y: float) -> QPointF:
        return self.plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y))

    def activate(self, region: Region) -> None:
        if region.key:
            self.ctx.navigate(region.key, **region.filters)
        self.region_clicked.emit(region)

    def _view_point(self, scene_pos: QPointF) -> QPointF | None:
        vb = self.plot.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        return vb.mapSceneToView(scene_pos)

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        point = self._view_point(scene_pos)
        region = self.region_at(point.x(), point.y()) if point is not None else None
        tip = region.tip if region else ""
        self.plot.setToolTip(tip)
        if tip:
            QToolTip.showText(QCursor.pos(), tip, self.plot)
        else:
            QToolTip.hideText()
        self.plot.setCursor(
            Qt.CursorShape.PointingHandCursor if region and region.key else Qt.CursorShape.ArrowCursor
        )

    def _on_scene_mouse_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self._view_point(event.scenePos())
        region = self.region_at(point.x(), point.y()) if point is not None else None
        if region is not None:
            event.accept()
            self.activate(region)

    # ------------------------------------------------------------------------------------------ out

    def _tool(self, text: str, tip: str) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(f"{text.rstrip('…')} {self.title}")
        return b

    def _on_table_button_toggled(self, on: bool) -> None:
        if on:
            self.fill_table()
        self.stack.setCurrentWidget(self.table if on else self.plot)

    def image(self, width: int = 0) -> Any:
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.plot.getPlotItem())
        if width:
            exporter.parameters()["width"] = width
        exporter.parameters()["background"] = QColor(self.ctx.palette.surfaces.surface)
        return exporter.export(toBytes=True)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.fit_legend()

    def fit_legend(self) -> None:
        """A legend under the data gets as many columns as fit, so it never pushes the data out of view."""
        if self.legend_cell != self.UNDER:
            return
        entry = self.fontMetrics().horizontalAdvance("Gy · Grey (not started or cancelled)") + 50
        room = self.width() - 30
        columns = max(1, min(3, int(room) // max(entry, 1)))
        if self.legend.columnCount != columns:
            self.legend.setColumnCount(columns)

    def copy_to_clipboard(self) -> None:
        mime = QMimeData()
        mime.setImageData(self.image())
        mime.setText(self.table_text())
        QGuiApplication.clipboard().setMimeData(mime)
        self.ctx.message.emit(f"Copied the {self.title.lower()} chart and its numbers")

    def save(self, path: str | Path, *, replace: bool = True) -> Path:
        """Save as SVG or PNG, by the file's suffix (PNG when it has neither), whole or not at all
        (:func:`tracker.outputs.written`; the save dialog asks before replacing a file)."""
        from tracker.outputs import OutputError, written

        path = Path(path)
        if path.suffix.lower() == ".svg":
            from pyqtgraph.exporters import SVGExporter

            with written(path, replace=replace, check=_check_svg, what="chart") as temp:
                SVGExporter(self.plot.getPlotItem()).export(str(temp))
            return path
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        with written(path, replace=replace, check=_check_png, what="chart") as temp:
            if not self.image(width=max(1200, self.plot.width())).save(str(temp), "PNG"):
                raise OutputError(f"could not write {path}: the picture could not be saved")
        return path

    def _on_save_clicked(self) -> None:
        from tracker.db import StoreError

        name, _ = QFileDialog.getSaveFileName(
            self, f"Save {self.title}", f"{self.title}.png", "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if not name:
            return
        try:
            saved = self.save(name)
        except Exception as exc:  # nothing was left behind (pyqtgraph 0.13.7's SVG export fails here)
            why = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}"
            self.ctx.message.emit(f"The chart was not saved: {why}")
            return
        self.ctx.message.emit(f"Saved {saved.name}")


def _check_png(path: Path) -> None:
    if QImage(str(path), "PNG").isNull():
        raise ValueError("the picture does not read back")


def _check_svg(path: Path) -> None:
    if not path.read_bytes().rstrip().endswith(b"</svg>"):
        raise ValueError("the drawing does not end")
