"""Reporting periods: open a new one, close one (freezing its updates as reported), reopen with a reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.enums import PeriodStatus
from tracker.models import Kind
from tracker.queries import PeriodRow, current_plan, periods
from tracker.services import Changes, close_period, open_period, reopen_period
from ui.context import AppContext
from ui.models.periods import PeriodsModel
from ui.models.roles import ROW_ROLE
from ui.pages.board_report import BoardReportPanel
from ui.pages.following import FollowsChanges
from ui.pages.returns_panel import ReturnsPanel
from ui.tasks import Task
from ui.widgets.dates import DateField
from ui.widgets.dialogs import confirm
from ui.widgets.forms import FieldErrors
from ui.widgets.layout import page_layout
from ui.widgets.tables import table_view


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    return date(d.year + month // 12, month % 12 + 1, 1)


def suggest_next(rows: list[PeriodRow], frequency: str, today: date) -> tuple[str, date, date]:
    """The period after the last one: same length (a quarter or a month), named in the same pattern."""
    months = 1 if frequency == "monthly" else 3
    if not rows:
        start = date(today.year, today.month, 1)
        return "", start, _add_months(start, months) - timedelta(days=1)
    last = rows[-1]
    start = last.end + timedelta(days=1)
    end = _add_months(date(start.year, start.month, 1), months) - timedelta(days=1)
    return _next_name(last.name), start, end


def _next_name(name: str) -> str:
    """'2023/24 Q4' -> '2024/25 Q1', 'Q2' -> 'Q3'; anything else is left for the person to type."""
    m = re.fullmatch(r"(\d{4})/(\d{2}) Q([1-4])", name.strip())
    if not m:
        return ""
    year, quarter = int(m.group(1)), int(m.group(3))
    if quarter == 4:
        return f"{year + 1}/{(year + 2) % 100:02d} Q1"
    return f"{year}/{m.group(2)} Q{quarter + 1}"


class ReopenDialog(QDialog):
    """Asks why a closed period is being reopened; the service checks the reason."""

    def __init__(self, period_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Reopen {period_name}")
        self.setAccessibleName(f"Reopen {period_name}")
        intro = QLabel(f"{period_name} was closed as the record reported to SLT. Say why it is being "
                       "reopened: the reason is kept in the audit log.")  # fmt: skip
        intro.setWordWrap(True)
        form = QFormLayout()
        self.general_error = QLabel(self)
        self.errors = FieldErrors(form, self.general_error)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.errors.add_row("&Reason:", "reason", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Reopen", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setAccessibleName("Reopen the period")
        buttons.accepted.connect(self._on_reopen_clicked)
        buttons.rejected.connect(self.reject)
        self.submit: Callable[[ReopenDialog], object] | None = None  # starts the write; it closes the dialog
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def _on_reopen_clicked(self) -> None:
        if self.submit is None:
            self.accept()
            return
        self.ok.setEnabled(False)  # until the write is settled
        self.submit(self)


class PeriodsPage(FollowsChanges, QWidget):
    reload_on: ClassVar[frozenset[Kind]] = frozenset({Kind.REPORTING_PERIOD, Kind.STATUS_UPDATE, Kind.PLAN})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._frequency = "quarterly"
        layout = page_layout(self, "Periods and returns", "Closing a period freezes its status updates as "
                             "the record reported to SLT; trend arrows compare closed periods.")  # fmt: skip
        self.model = PeriodsModel(self)
        self.table = table_view("Reporting periods", self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(False)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.close_button = QPushButton("&Close period…", self)
        self.close_button.setAccessibleName("Close the selected period")
        self.reopen_button = QPushButton("&Reopen period…", self)
        self.reopen_button.setAccessibleName("Reopen the selected period")
        self.close_button.clicked.connect(self._on_close_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        # the new-period form is folded away until asked for, so the table has the height
        self.form_toggle = QToolButton(self)
        self.form_toggle.setText("Open a &new period")
        self.form_toggle.setAccessibleName("Show the form to open a new period")
        self.form_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.form_toggle.setCheckable(True)
        self.form_toggle.setEnabled(ctx.is_pmo)  # opening a period is the PMO's
        self.form_toggle.toggled.connect(self._on_form_toggle_toggled)
        actions.addWidget(self.close_button)
        actions.addWidget(self.reopen_button)
        actions.addStretch(1)
        actions.addWidget(self.form_toggle)
        left.addLayout(actions)
        left.addWidget(self._build_form())
        self._on_form_toggle_toggled(False)
        # beside the periods: what the PMO tells the board for the chosen one, and when its returns are due
        self.board_report = BoardReportPanel(ctx, self)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.board_report, 1)
        layout.addLayout(top, 1)
        # Panels added later (the returns status, say) go below the form, in the order added.
        self._panels = QVBoxLayout()
        layout.addLayout(self._panels, 1)
        self.returns_panel = ReturnsPanel(ctx, self)
        self.add_panel(self.returns_panel)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.follow(ctx)
        ctx.identity_changed.connect(self._on_ctx_identity_changed)
        self.setTabOrder(self.table, self.close_button)
        self.setTabOrder(self.close_button, self.reopen_button)
        self.setTabOrder(self.reopen_button, self.form_toggle)
        self.setTabOrder(self.form_toggle, self.name)
        self.setTabOrder(self.name, self.start)
        self.setTabOrder(self.start, self.end)
        self.setTabOrder(self.end, self.open_button)
        self.reload()
        self._suggest()

    def _build_form(self) -> QWidget:
        box = QGroupBox("Open a new period", self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form_error = QLabel(box)
        self.errors = FieldErrors(form, self.form_error)
        self.name = QLineEdit(box)
        self.name.setPlaceholderText("e.g. 2024/25 Q1")
        self.name.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.start = DateField(box, optional=False)
        self.end = DateField(box, optional=False)
        self.errors.add_row("&Name:", "name", self.name, accessible="New period name", keep_width=True)
        self.errors.add_row("&Starts:", "start_date", self.start, accessible="New period start date",
                            keep_width=True)  # fmt: skip
        self.errors.add_row("&Ends:", "end_date", self.end, accessible="New period end date", keep_width=True)
        self.open_button = QPushButton("&Open period", box)
        self.open_button.setAccessibleName("Open the new period")
        self.open_button.clicked.connect(self.open_new)
        self.name.returnPressed.connect(self.open_new)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        column = QVBoxLayout(box)
        column.addLayout(form)
        column.addWidget(self.form_error)
        column.addLayout(row)
        box.setEnabled(self.ctx.is_pmo)  # opening, closing and reopening are the PMO's
        self.form_box = box
        return box

    # ------------------------------------------------------------------------------------------ page protocol

    def add_panel(self, widget: QWidget) -> None:
        """Add a panel below the periods table and form (e.g. the status of this period's returns)."""
        self._panels.addWidget(widget)

    def show_form(self) -> None:
        """Unfold the new-period form."""
        self.form_toggle.setChecked(True)

    def new_item(self) -> None:
        if self.ctx.is_pmo:
            self.show_form()
            self.name.setFocus()
            self.name.selectAll()

    def focus_find(self) -> None:
        self.table.setFocus()

    def show_filters(self, filters: dict[str, Any]) -> None:
        period_id = filters.get("period_id")
        if period_id:
            self.select_period(str(period_id))

    # ------------------------------------------------------------------------------------------ data

    def reload(self) -> None:
        selected = self.selected()
        with self.ctx.read() as session:
            rows = periods(session)
            self._frequency = current_plan(session).period_frequency
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if selected is not None:
            self.select_period(selected.id)
        self._update_buttons()

    def selected(self) -> PeriodRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(ROW_ROLE) if rows else None

    def select_period(self, period_id: str) -> bool:
        row = self.model.view_row_of(period_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def open_new(self) -> Task | None:
        self.show_form()  # whatever it says is said beside its fields
        data = {"name": self.name.text(), "start_date": self.start.iso(), "end_date": self.end.iso()}

        def opened(changes: Changes) -> None:
            self.errors.clear()
            if changes.created:
                self.select_period(changes.created[0])
            self._suggest()

        return (
            self.ctx.write(open_period, data=data)
            .success(opened)
            .failure(self.errors.show)
            .run(initiator=self)
        )

    def close_selected(self, *, ask: bool = True) -> Task | None:
        row = self.selected()
        if row is None:
            return None
        question = (f"Close {row.name}? Its {row.n_updates} status updates become the record as reported "
                    "and can no longer be changed (a PMO can reopen it, giving a reason).")  # fmt: skip
        missing = self._still_missing(row.id)
        if missing:
            question = f"{missing}\n\n{question}"
        if ask and not confirm(self, "Close period", question, "Close period"):
            return None
        return self.ctx.write(close_period, period_id=row.id).failure(self.errors.show).run(initiator=self)

    def _still_missing(self, period_id: str) -> str:
        """What closing now would freeze as missing: returns not back, objectives with no update."""
        from tracker.queries import NO_UPDATE, rag_by_theme
        from tracker.queries.returns import returns_tracker
        from tracker.wording import plural

        with self.ctx.read() as session:
            waiting = [r.lead_name for r in returns_tracker(session, period_id) if r.outstanding]
            no_update = sum(t.counts.of(NO_UPDATE) for t in rag_by_theme(session, period_id))
        lines = []
        if waiting:
            lines.append(f"{plural(len(waiting), 'return')} not back yet: {', '.join(waiting)}.")
        if no_update:
            lines.append(
                f"{plural(no_update, 'objective')} with no update for this period (shown as No update)."
            )
        return "\n".join(lines)

    def reopen_selected(self, reason: str | None = None) -> Task | None:
        """Reopen the selected period: with ``reason`` at once, else after asking why in a dialog."""
        row = self.selected()
        if row is None:
            return None
        if reason is not None:
            op = self.ctx.write(reopen_period, period_id=row.id, reason=reason)
            return op.failure(self.errors.show).run(initiator=self)
        dialog = ReopenDialog(row.name, self)

        def submit(d: ReopenDialog) -> None:
            self.ctx.write(reopen_period, period_id=row.id, reason=d.reason.toPlainText()).success(
                lambda _changes: d.accept()
            ).failure(d.errors.show).finally_(lambda: d.ok.setEnabled(True)).run(initiator=self)

        dialog.submit = submit
        dialog.open()
        self._reopen_dialog = dialog  # kept while it is open
        return None

    def _suggest(self) -> None:
        name, start, end = suggest_next(self.model.rows, self._frequency, date.today())
        self.name.setText(name)
        self.start.set_day(start)
        self.end.set_day(end)

    # ------------------------------------------------------------------------------------------ events

    def _update_buttons(self) -> None:
        row = self.selected()
        editable = self.ctx.is_pmo
        self.close_button.setEnabled(editable and row is not None and row.status == PeriodStatus.OPEN)
        self.reopen_button.setEnabled(editable and row is not None and row.status == PeriodStatus.CLOSED)

    def _on_ctx_identity_changed(self, _identity: object) -> None:
        self.form_box.setEnabled(self.ctx.is_pmo)
        self.form_toggle.setEnabled(self.ctx.is_pmo)
        self._update_buttons()

    def _on_selection_changed(self, *_: object) -> None:
        self._update_buttons()
        row = self.selected()
        self.returns_panel.set_period(row.id if row is not None else None)
        self.board_report.set_period(row.id if row is not None else None)

    def _on_form_toggle_toggled(self, shown: bool) -> None:
        self.form_box.setVisible(shown)
        self.form_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.form_toggle.setAccessibleName(
            "Hide the form to open a new period" if shown else "Show the form to open a new period"
        )
        current = self.table.currentIndex()
        if current.isValid():  # the chosen period stays in sight in the shorter table
            self.table.scrollTo(current)
        if shown and self.isVisible():
            self.name.setFocus()

    def _on_close_clicked(self) -> None:
        self.close_selected()

    def _on_reopen_clicked(self) -> None:
        self.reopen_selected()
