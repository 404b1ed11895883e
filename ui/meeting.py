"""Meeting mode: the dashboard full screen, larger type, one section per screen, stepped with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ui.charts import CHARTS
from ui.context import AppContext
from ui.dashboard_data import DashboardData
from ui.pages.dashboard_parts import ExceptionsTable, Headline

SCALE = 1.6
NEXT_KEYS = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space}
BACK_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace}


class MeetingWindow(QWidget):
    """→ / PageDown / Space: next section; ← / PageUp: back; Home / End; Esc: leave."""

    def __init__(self, ctx: AppContext, data: DashboardData, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{data.plan.name}: {data.period.name} (meeting mode)")
        self.setAccessibleName("Meeting mode")
        self.setPalette(ctx.palette.qpalette())
        self.setAutoFillBackground(True)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * SCALE)
        self.setFont(font)
        self.stack = QStackedWidget(self)
        self.sections: list[str] = []
        headline = Headline(ctx, self, scale=SCALE)
        headline.set_data(data)
        self._add("Headline", headline)
        for cls in CHARTS:
            chart = cls(ctx, self, scale=SCALE)
            chart.present()
            chart.set_data(data)
            self._add(chart.title, chart)
        table = ExceptionsTable(ctx, self)
        table.set_rows(data.exceptions)
        self._add(f"Exceptions ({len(data.exceptions)})", table)
        self.header = QLabel(self)
        big = self.font()
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.header.setFont(big)
        marking = data.plan.protective_marking + (
            f" {data.plan.handling_caveat}" if data.plan.handling_caveat else ""
        )
        self.footer = QLabel(f"{marking}  ·  ← → to step, Esc to leave", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)
        self.go(0)

    def _add(self, title: str, widget: QWidget) -> None:
        self.sections.append(title)
        self.stack.addWidget(widget)

    @property
    def index(self) -> int:
        return self.stack.currentIndex()

    def go(self, index: int) -> None:
        index = max(0, min(index, self.stack.count() - 1))
        self.stack.setCurrentIndex(index)
        self.header.setText(f"{self.sections[index]}   ({index + 1} of {self.stack.count()})")
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in NEXT_KEYS:
            self.go(self.index + 1)
        elif key in BACK_KEYS:
            self.go(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(self.stack.count() - 1)
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
