"""On the Periods page: what the PMO tells the board for the selected period, and when its returns are due.

The key messages and the decisions the board is asked to make open the board pack's executive
summary; every save is audited, so the audit log is their history. The return-by date and the
PMO's contact go on the returns issued for the period.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.models import Kind
from tracker.queries.period_report import PeriodReportRow, period_report
from tracker.services import Changes, record_period_report, update_period
from ui.context import AppContext
from ui.pages.following import FollowsChanges
from ui.tasks import Task
from ui.widgets.forms import FieldErrors


class BoardReportPanel(FollowsChanges, QGroupBox):
    """Shows the period given with :meth:`set_period` (none: the panel is off)."""

    reload_on: ClassVar[frozenset[Kind]] = frozenset({Kind.PERIOD_REPORT, Kind.REPORTING_PERIOD})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("For the board", parent)
        self.ctx = ctx
        self.setAccessibleName("For the board")
        self.row: PeriodReportRow | None = None
        self._period_id: str | None = None

        form = QFormLayout()
        self.errors = FieldErrors(form, QLabel(self))
        self.key_messages = self._text("The PMO's key messages for the period: what the board should know.")
        self.decisions = self._text("Decisions the board is asked to make, one per line.")
        self.errors.add_row("&Key messages:", "key_messages", self.key_messages)
        self.errors.add_row(
            "&Decisions asked:",
            "decisions",
            self.decisions,
            accessible="Decisions the board is asked to make",
        )
        self.written = QLabel(self)
        self.written.setObjectName("PageHint")
        self.written.setWordWrap(True)
        self.save_button = QPushButton("&Save for the board", self)
        self.save_button.setAccessibleName("Save the key messages and decisions")
        self.save_button.clicked.connect(self.save_report)
        self.history_button = QPushButton("History…", self)
        self.history_button.setAccessibleName("Show the history of the board reports")
        self.history_button.setToolTip("Every change to the key messages and decisions, in the audit log")
        self.history_button.clicked.connect(lambda: ctx.navigate("audit", entity=Kind.PERIOD_REPORT.value))

        returns = QFormLayout()
        self.return_errors = FieldErrors(returns, QLabel(self))
        self.has_return_by = QCheckBox("&Returns due by", self)
        self.return_by = QDateEdit(self)
        self.return_by.setCalendarPopup(True)
        self.return_by.setDisplayFormat("dd/MM/yyyy")  # as every date field shows a date
        self.return_by.setAccessibleName("Date the returns are due")
        self.has_return_by.toggled.connect(self.return_by.setEnabled)
        due = QHBoxLayout()
        due.addWidget(self.has_return_by)
        due.addWidget(self.return_by)
        due.addStretch(1)
        holder = QWidget(self)
        holder.setLayout(due)
        self.return_errors.add_row("", "return_by", holder, accessible="When returns are due")
        self.return_contact = QLineEdit(self)
        self.return_contact.setPlaceholderText("e.g. PMO, pmo@example.org, 0115 000 0000")
        self.return_errors.add_row(
            "PMO &contact:", "return_contact", self.return_contact, accessible="PMO contact for returns"
        )
        self.save_returns_button = QPushButton("Save for the &returns", self)
        self.save_returns_button.setAccessibleName("Save when returns are due and the PMO contact")
        self.save_returns_button.clicked.connect(self.save_returns)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        returns_buttons = QHBoxLayout()
        returns_buttons.addWidget(self.save_returns_button)
        returns_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.written)
        layout.addLayout(buttons)
        layout.addLayout(returns)
        layout.addWidget(self.return_errors.general)
        layout.addLayout(returns_buttons)
        self.follow(ctx)
        ctx.identity_changed.connect(lambda _who: self.reload())  # what may be written is the PMO's
        self.set_period(None)

    def _text(self, hint: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setPlaceholderText(hint)
        box.setTabChangesFocus(True)
        box.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        return box

    # ------------------------------------------------------------------------------------------ showing

    def set_period(self, period_id: str | None) -> None:
        self._period_id = period_id
        self.reload()

    def reload(self) -> None:
        self.errors.clear()
        self.return_errors.clear()
        self.row = None
        if self._period_id is not None:
            with self.ctx.read() as session:
                self.row = period_report(session, self._period_id)
        row = self.row
        self.setTitle(f"For the board: {row.period_name}" if row else "For the board")
        self.key_messages.setPlainText(row.key_messages if row else "")
        self.decisions.setPlainText(row.decisions if row else "")
        if row is None or row.report_id is None:
            self.written.setText("Nothing written for the board yet." if row else "Choose a period.")
        else:
            when = row.written_at.astimezone().strftime("%d %b %Y %H:%M") if row.written_at else ""
            self.written.setText(f"Last changed by {row.written_by} on {when}.")
        self.has_return_by.setChecked(row is not None and row.return_by is not None)
        self.return_by.setEnabled(self.has_return_by.isChecked())
        due = row.return_by if row is not None and row.return_by is not None else date.today()
        self.return_by.setDate(QDate(due.year, due.month, due.day))
        self.return_contact.setText(row.return_contact if row else "")
        editable = row is not None and self.ctx.is_pmo
        for widget in (self.key_messages, self.decisions, self.save_button, self.has_return_by,
                       self.return_contact, self.save_returns_button):  # fmt: skip
            widget.setEnabled(editable)
        self.return_by.setEnabled(editable and self.has_return_by.isChecked())

    # ------------------------------------------------------------------------------------------ saving

    def save_report(self) -> Task | None:
        row = self.row
        if row is None or not self.ctx.is_pmo:
            return None
        data = {"key_messages": self.key_messages.toPlainText(), "decisions": self.decisions.toPlainText()}
        op = self.ctx.write(
            record_period_report, period_id=row.period_id, data=data,
            expected_revision=row.report_revision or None,
        )  # fmt: skip
        return op.success(self._saved).failure(self.errors.show).run(initiator=self)

    def save_returns(self) -> Task | None:
        row = self.row
        if row is None or not self.ctx.is_pmo:
            return None
        chosen = self.return_by.date()
        changes = {
            "return_by": date(chosen.year(), chosen.month(), chosen.day())
            if self.has_return_by.isChecked()
            else None,
            "return_contact": self.return_contact.text(),
        }
        op = self.ctx.write(update_period, period_id=row.period_id, changes=changes,
                            expected_revision=row.period_revision)  # fmt: skip
        return op.success(self._saved).failure(self.return_errors.show).run(initiator=self)

    def _saved(self, _changes: Changes) -> None:
        self.errors.clear()
        self.return_errors.clear()
