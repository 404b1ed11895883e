"""The SLT dashboard: a period's headline, charts and exceptions, filtered by theme, lead and board."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.queries import Filters, boards, latest_period_with_updates, people, periods, themes
from tracker.team.connect import is_connection_lost
from ui.charts import CHARTS, Chart, TrendChart
from ui.context import AppContext
from ui.dashboard_data import LAST_YEAR, PREVIOUS, DashboardData, load_dashboard
from ui.pages.dashboard_parts import ExceptionsTable, Headline
from ui.pages.following import FollowsChanges
from ui.tasks import Progress
from ui.widgets.forms import fit_popup, shrinkable

log = logging.getLogger(__name__)


class DashboardPage(FollowsChanges, QWidget):
    """Refreshes in one read session; the trend's own theme box re-reads only when changed."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: DashboardData | None = None
        self._trend_theme: str | None = None
        self._filling = True  # until the choices are filled
        self._wanted = 0  # the latest refresh asked for: an older read that arrives late is dropped

        self.period = self._combo("Reporting period")
        self.compare = self._combo("Compare with")
        self.compare.addItem("Previous period", PREVIOUS)
        self.compare.addItem("Same period a year earlier", LAST_YEAR)
        self.theme = self._combo("Theme")
        self.lead = self._combo("Lead")
        self.board = self._combo("Board")
        meeting = QPushButton("Meeting mode", self)
        meeting.setToolTip("Full screen, one section at a time; arrow keys to step, Esc to leave")
        meeting.clicked.connect(self.start_meeting)
        export = QPushButton("Board pack…", self)
        export.setToolTip("Export the board pack (PDF) for this period")
        export.clicked.connect(self._on_export_clicked)
        bar = QHBoxLayout()
        for label, box, stretch in (("&Period", self.period, 1), ("&Compare with", self.compare, 1),
                                    ("&Theme", self.theme, 2), ("Le&ad", self.lead, 2),
                                    ("&Board", self.board, 2)):  # fmt: skip
            caption = QLabel(label, self)
            caption.setBuddy(box)
            bar.addWidget(caption)
            bar.addWidget(box, stretch)

        self.title = QLabel(self)
        self.title.setWordWrap(True)  # a long plan name wraps rather than widening the page
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.headline = Headline(ctx, self)
        self.charts: list[Chart] = [cls(ctx, self) for cls in CHARTS]
        for chart in self.charts:
            chart.setMinimumHeight(340)
            if isinstance(chart, TrendChart):
                chart.scope_changed.connect(self._on_trend_scope_changed)
                self.trend = chart
        self.exceptions = ExceptionsTable(ctx, self)
        self.exceptions.setMinimumHeight(260)
        self.exceptions_title = QLabel(self)
        self.exceptions_title.setFont(self.charts[0].heading.font())

        body = QWidget(self)
        grid = QGridLayout(body)
        top = QHBoxLayout()  # the actions sit by the title, leaving the filter bar narrow enough for a laptop
        top.addWidget(self.title, 1)
        top.addWidget(meeting)
        top.addWidget(export)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.headline, 1, 0, 1, 2)
        for i, chart in enumerate(self.charts):
            grid.addWidget(chart, 2 + i // 2, i % 2)
        row = 2 + (len(self.charts) + 1) // 2
        grid.addWidget(self.exceptions_title, row, 0, 1, 2)
        grid.addWidget(self.exceptions, row + 1, 0, 1, 2)
        grid.setRowStretch(row + 2, 1)  # with nothing to show yet, the title keeps to the top
        # shown only once there is a period to draw them for: empty axes would read as figures of zero
        self._figures: list[QWidget] = [self.headline, *self.charts, self.exceptions_title, self.exceptions,
                                        meeting, export]  # fmt: skip
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Dashboard sections")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)

        self.follow(ctx)  # every figure may move with any change
        ctx.period_changed.connect(self._on_ctx_period_changed)
        self._fill_choices()
        self.refresh()

    # ------------------------------------------------------------------------------------------ choices

    def _combo(self, name: str) -> QComboBox:
        box = shrinkable(QComboBox(self), 9)
        box.setAccessibleName(name)
        box.currentIndexChanged.connect(self._on_choice_changed)
        return box

    def _fill_choices(self) -> None:
        self._filling = True
        with self.ctx.read() as session:
            all_periods = periods(session)
            latest = latest_period_with_updates(session)
            theme_rows, lead_rows, board_rows = themes(session), people(session), boards(session)
        for box, items in (
            (self.period, [(p.name, p.id) for p in reversed(all_periods)]),
            (self.theme, [("All themes", None), *((f"{t.code} {t.name}", t.id) for t in theme_rows)]),
            (self.lead, [("All leads", None), *((p.name, p.id) for p in lead_rows)]),
            (self.board, [("All boards", None), *((b.name, b.id) for b in board_rows)]),
        ):
            current = box.currentData()
            box.clear()
            for text, value in items:
                box.addItem(text, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            fit_popup(box)
        wanted = self.ctx.period_id or (latest.id if latest else None)
        if wanted is not None and self.period.findData(wanted) >= 0:
            self.period.setCurrentIndex(self.period.findData(wanted))
        self.trend.set_themes([(t.id, t.name) for t in theme_rows])
        self._filling = False

    def filters(self) -> Filters:
        return Filters(
            theme_id=self.theme.currentData(),
            lead_id=self.lead.currentData(),
            board_id=self.board.currentData(),
        )

    # ------------------------------------------------------------------------------------------ loading

    def refresh(self) -> None:
        period_id = self.period.currentData()
        for widget in self._figures:
            widget.setVisible(period_id is not None)
        if period_id is None:
            self.title.setText(
                "No reporting periods yet. The PMO opens one on the Periods and returns page; "
                "the figures appear here once it is open."
            )
            return
        # read on the shared pool: the window paints its frame (and stays responsive) while the
        # figures are read, then fills; a refresh asked for meanwhile supersedes this one
        if self.data is None:
            self.title.setText("Reading the figures…")
        self._wanted += 1
        wanted, ctx, filters = self._wanted, self.ctx, self.filters()
        compare, trend_theme = self.compare.currentData(), self._trend_theme

        def read(_progress: Progress) -> tuple[int, DashboardData]:
            with ctx.read() as session:
                data = load_dashboard(
                    session, period_id, filters, compare=compare, trend_theme_id=trend_theme
                )
            return wanted, data

        task = ctx.runner.task(read, label="Reading the dashboard")
        task.succeeded.connect(self._on_read)
        task.failed.connect(self._on_read_failed)
        task.start()

    def _on_read(self, result: tuple[int, DashboardData]) -> None:
        wanted, data = result
        if wanted == self._wanted:  # else a newer refresh is on its way
            self.show_data(data)

    def _on_read_failed(self, error: BaseException) -> None:
        if self.ctx.store.path is None and is_connection_lost(error):
            self.ctx.set_connected(False)  # the figures are read again once the server is back
            return
        log.error("reading the dashboard failed", exc_info=error)
        self.title.setText(f"The dashboard could not be read ({error}). The log has the details.")

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        sample = "  [SAMPLE DATA]" if data.plan.is_sample else ""
        self.title.setText(f"{data.plan.name}: {data.period.name} (as of {data.as_of:%d %b %Y}){sample}")
        self.headline.set_data(data)
        for chart in self.charts:
            chart.set_data(data)
        self.exceptions_title.setText(f"Exceptions: {len(data.exceptions)} items need attention")
        self.exceptions.set_rows(data.exceptions)

    def apply_palette(self, _palette: object) -> None:
        """A change of theme or status colours: every chart, tile and chip drawn again in them."""
        for chart in self.charts:
            chart.apply_palette()
        if self.data is not None:
            self.headline.set_data(self.data)
            self.exceptions.set_rows(self.data.exceptions)

    def show_filters(self, filters: dict[str, Any]) -> None:
        """Navigation into the dashboard: ``period_id``, ``theme_id``, ``lead_id``, ``board_id``."""
        self._filling = True
        for key, box in (("period_id", self.period), ("theme_id", self.theme), ("lead_id", self.lead),
                         ("board_id", self.board)):  # fmt: skip
            if key in filters and box.findData(filters[key]) >= 0:
                box.setCurrentIndex(box.findData(filters[key]))
        self._filling = False
        self.refresh()

    # ------------------------------------------------------------------------------------------ reacting

    def _on_choice_changed(self, _index: int) -> None:
        if self._filling:
            return
        if self.sender() is self.period and self.period.currentData() != self.ctx.period_id:
            self.ctx.set_period(self.period.currentData())
        self.refresh()

    def _on_trend_scope_changed(self, theme_id: str | None) -> None:
        self._trend_theme = theme_id
        self.refresh()

    def reload(self) -> None:
        self._fill_choices()
        self.refresh()

    def _on_ctx_period_changed(self, period_id: str | None) -> None:
        if period_id is not None and period_id != self.period.currentData():
            self.show_filters({"period_id": period_id})

    def start_meeting(self) -> None:
        from ui.meeting import MeetingWindow

        if self.data is not None:
            self._meeting = MeetingWindow(self.ctx, self.data)
            self._meeting.showFullScreen()

    def _on_export_clicked(self) -> None:
        from ui.boardpack import export_board_pack

        export_board_pack(self.ctx, self)
