"""The returns tracker on the Periods page: per lead, where this period's return is, and the two actions."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tracker.enums import PeriodStatus
from tracker.models import Kind
from tracker.queries import PeriodRow, periods
from tracker.queries.returns import returns_tracker
from tracker.services import Changes
from tracker.wording import plural
from ui.context import AppContext
from ui.models.returns import ReturnsTrackerModel
from ui.widgets.tables import table_view


class ReturnsPanel(QGroupBox):
    """Shows the period chosen with :meth:`set_period`, else the period the window shows."""

    reload_on: ClassVar[frozenset[Kind]] = frozenset(
        {Kind.PERIOD_RETURN, Kind.PERSON, Kind.OBJECTIVE, Kind.REPORTING_PERIOD}
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Returns", parent)
        self.ctx = ctx
        self.setAccessibleName("Period returns")
        self._chosen: str | None = None
        self.period: PeriodRow | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = ReturnsTrackerModel(self)
        self.table = table_view("Returns by lead", self)
        self.table.setModel(self.model)
        self.table.setMinimumHeight(self.fontMetrics().height() * 10)
        self.issue_button = QPushButton("&Issue returns…", self)
        self.issue_button.setAccessibleName("Issue period returns to the leads")
        self.issue_button.setToolTip("Write a return workbook for each lead to fill in without the app")
        self.import_button = QPushButton("I&mport a return…", self)
        self.import_button.setAccessibleName("Import a returned workbook")
        self.import_button.setToolTip("Preview a lead's filled-in return, settle conflicts and apply it")
        self.issue_button.clicked.connect(self._on_issue_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.issue_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ctx.changed.connect(self._on_ctx_changed)
        ctx.period_changed.connect(self._on_ctx_period_changed)
        self.reload()

    def set_period(self, period_id: str | None) -> None:
        """Show this period's returns (None: follow the period the window shows)."""
        if period_id != self._chosen:
            self._chosen = period_id
            self.reload()

    def reload(self) -> None:
        with self.ctx.read() as session:
            rows = periods(session)
            wanted = self._chosen or self.ctx.period_id
            self.period = next((p for p in rows if p.id == wanted), None) or _fallback(rows)
            tracker = returns_tracker(session, self.period.id) if self.period else []
        self.model.set_rows(tracker)
        self.table.resizeColumnsToContents()
        self._show_summary()
        self._update_buttons()

    def _show_summary(self) -> None:
        if self.period is None:
            self.setTitle("Returns")
            self.summary.setText("Open a reporting period to issue returns.")
            return
        self.setTitle(f"Returns for {self.period.name}")
        rows = self.model.rows
        issued = sum(r.status != "not issued" for r in rows)
        waiting = sum(r.outstanding for r in rows)
        applied = sum(r.status == "applied" for r in rows)
        if not issued:
            text = f"No returns issued for {self.period.name} yet ({plural(len(rows), 'lead')})."
        else:
            text = f"{issued} of {plural(len(rows), 'lead')} issued a return: {waiting} outstanding, {applied} applied."
        if self.period.status != PeriodStatus.OPEN:
            text += " The period is closed: returns cannot be issued or imported for it."
        self.summary.setText(text)
        self.summary.setAccessibleName(text)

    def _update_buttons(self) -> None:
        writable = not self.ctx.read_only
        is_open = self.period is not None and self.period.status == PeriodStatus.OPEN
        self.issue_button.setEnabled(writable and is_open)
        self.import_button.setEnabled(writable)

    # ------------------------------------------------------------------------------------------ events

    def _on_issue_clicked(self) -> None:
        from ui.returns_dialogs import issue_returns_dialog

        if self.period is not None:
            issue_returns_dialog(self.ctx, self, period_id=self.period.id)

    def _on_import_clicked(self) -> None:
        from ui.returns_dialogs import import_return_dialog

        import_return_dialog(self.ctx, self)

    def _on_ctx_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(*self.reload_on) or not changes.kinds:
            self.reload()

    def _on_ctx_period_changed(self, _period_id: object) -> None:
        if self._chosen is None:
            self.reload()


def _fallback(rows: list[PeriodRow]) -> PeriodRow | None:
    """The latest open period, else the latest: where returns are usually being chased."""
    open_rows = [p for p in rows if p.status == PeriodStatus.OPEN]
    return (open_rows or rows)[-1] if rows else None
