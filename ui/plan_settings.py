"""Edit > Plan settings…: the PMO changes the plan's name, dates, reporting, risk bands, RAG words and boards.

The settings are one write (undoable) when Save is pressed; boards are written as each is added, changed
or removed (each undoable). A closed period keeps the settings it was reported with, and the dialog says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.enums import Marking, PeriodFrequency
from tracker.queries import PlanInfo, current_plan
from tracker.services import Changes, update_plan_settings
from ui.context import AppContext
from ui.plan_boards import BoardsPanel
from ui.widgets.dates import DateField
from ui.widgets.forms import FieldErrors

FROM_NOW_ON = (
    "Changes to the risk appetite, the risk bands, the slip tolerance and the RAG definitions apply from "
    "the current period on. Closed periods keep the values they were reported with, in every report."
)
RAG_LABELS = {"rag_green": "&Green:", "rag_amber": "&Amber:", "rag_red": "&Red:",
              "rag_blue": "&Blue (complete):", "rag_grey": "Gre&y (not started):"}  # fmt: skip
BANDS = ("risk_low_max", "risk_medium_max", "risk_high_max")


class PlanSettingsDialog(QDialog):
    """The plan's settings in sections; Save writes the fields changed, as one undoable change."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Plan settings")
        self.setAccessibleName("Plan settings")
        self.plan: PlanInfo | None = None
        self.fields: dict[str, QWidget] = {}
        self.general_error = QLabel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Sections")
        self._pages: dict[str, int] = {}  # field -> the tab it is on
        self.errors = FieldErrors(QFormLayout(), self.general_error)  # each row names its own form
        self._build_plan_tab()
        self._build_reporting_tab()
        self._build_risk_tab()
        self._build_rag_tab()
        self.boards = BoardsPanel(ctx, self)
        self.tabs.addTab(self.boards, "B&oards")

        notice = QLabel(FROM_NOW_ON, self)
        notice.setObjectName("Hint")
        notice.setWordWrap(True)
        notice.setAccessibleName("When changes apply")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = buttons.addButton("&Save settings", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save the plan settings")
        self.save_button.setToolTip(
            "Save the changes to the plan, reporting, risk and RAG sections (boards are saved as you go)"
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self._titles = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        self.reload()
        # room for the boards list and the RAG words without scrolling; within a 1366x768 screen
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().lineSpacing() * 40)

    # ------------------------------------------------------------------------------------------ building

    def _tab(self, title: str, hint: str = "") -> QFormLayout:
        page = QWidget(self.tabs)
        column = QVBoxLayout(page)
        if hint:
            note = QLabel(hint, page)
            note.setWordWrap(True)
            note.setObjectName("Hint")
            column.addWidget(note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        column.addLayout(form)
        column.addStretch(1)
        self.tabs.addTab(page, title)
        return form

    def _row(self, form: QFormLayout, label: str, field: str, widget: QWidget, **kw: Any) -> None:
        self.errors.add_row(label, field, widget, form=form, **kw)
        self.fields[field] = widget
        self._pages[field] = self.tabs.count() - 1

    def _build_plan_tab(self) -> None:
        form = self._tab("&Plan")
        self.name = QLineEdit(self)
        self.organisation = QLineEdit(self)
        self.start = DateField(self, optional=False)
        self.end = DateField(self, optional=False)
        self.marking = QComboBox(self)
        for m in Marking:
            self.marking.addItem(m.value, m.value)
        self.caveat = QLineEdit(self)
        self.caveat.setPlaceholderText("none")
        self.contact = QLineEdit(self)
        self.contact.setPlaceholderText(
            "who readers of a committee paper contact, e.g. Head of PMO, 0115 000 0000"
        )
        self._row(form, "&Name:", "name", self.name, accessible="Plan name")
        self._row(form, "&Organisation:", "organisation", self.organisation)
        self._row(form, "&Starts:", "start_date", self.start, accessible="Plan start date", keep_width=True)
        self._row(form, "&Ends:", "end_date", self.end, accessible="Plan end date", keep_width=True)
        self._row(form, "Protective &marking:", "protective_marking", self.marking, keep_width=True)
        self._row(form, "&Handling caveat:", "handling_caveat", self.caveat)
        self._row(form, "&Contact officer:", "contact_officer", self.contact,
                  accessible="Contact officer named on committee papers")  # fmt: skip

    def _build_reporting_tab(self) -> None:
        form = self._tab(
            "&Reporting", "How often the plan reports, and how late a milestone's forecast may run against its "
            "baseline before it counts as slipping."
        )  # fmt: skip
        self.frequency = QComboBox(self)
        for f in PeriodFrequency:
            self.frequency.addItem(f.label, f.value)
        self.tolerance = QSpinBox(self)
        self.tolerance.setRange(0, 365)
        self.tolerance.setSuffix(" days")
        self._row(form, "Period &frequency:", "period_frequency", self.frequency, keep_width=True)
        self._row(form, "Milestone slip &tolerance:", "slip_tolerance_days", self.tolerance, keep_width=True)

    def _build_risk_tab(self) -> None:
        form = self._tab(
            "Ris&k", "Scores run from 1 to 25 (likelihood × impact). Each band runs up to the score given; "
            "above the high band is very high. An open risk whose residual score is above the appetite "
            "is an exception."
        )  # fmt: skip
        self.appetite = self._score()
        self.bands = {field: self._score() for field in BANDS}
        self._row(form, "Risk &appetite:", "risk_appetite", self.appetite, keep_width=True)
        for field, label in zip(BANDS, ("&Low up to:", "&Medium up to:", "&High up to:"), strict=True):
            self._row(form, label, field, self.bands[field], accessible=f"{label[1:-1].replace('&', '')} band",
                      keep_width=True)  # fmt: skip
        self.band_words = QLabel(self)
        self.band_words.setWordWrap(True)
        self.band_words.setAccessibleName("The bands")
        self.tabs.widget(self.tabs.count() - 1).layout().insertWidget(2, self.band_words)  # type: ignore[union-attr]
        for box in (self.appetite, *self.bands.values()):
            box.valueChanged.connect(self._show_bands)

    def _score(self) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(1, 25)
        return box

    def _build_rag_tab(self) -> None:
        form = self._tab("RA&G definitions", "What each status means, printed on every export.")
        self.rag: dict[str, QPlainTextEdit] = {}
        for field, label in RAG_LABELS.items():
            box = QPlainTextEdit(self)
            box.setTabChangesFocus(True)
            box.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
            self.rag[field] = box
            self._row(form, label, field, box, accessible=f"{label.replace('&', '').rstrip(':')} means")

    # ------------------------------------------------------------------------------------------ values

    def reload(self) -> None:
        with self.ctx.read() as session:
            self.plan = plan = current_plan(session)
        self.name.setText(plan.name)
        self.organisation.setText(plan.organisation)
        self.start.set_day(plan.start_date)
        self.end.set_day(plan.end_date)
        self.marking.setCurrentIndex(max(0, self.marking.findData(plan.protective_marking)))
        self.caveat.setText(plan.handling_caveat)
        self.contact.setText(plan.contact_officer)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(plan.period_frequency)))
        self.tolerance.setValue(plan.slip_tolerance_days)
        self.appetite.setValue(plan.risk_appetite)
        for field, box in self.bands.items():
            box.setValue(getattr(plan, field))
        for field, text in self.rag.items():
            text.setPlainText(getattr(plan, field))
        self._show_bands()
        self.boards.reload()

    def values(self) -> dict[str, Any]:
        """Every setting as the form holds it, as the service takes it."""
        return {
            "name": self.name.text(), "organisation": self.organisation.text(),
            "start_date": self.start.iso(), "end_date": self.end.iso(),
            "protective_marking": self.marking.currentData(), "handling_caveat": self.caveat.text(),
            "contact_officer": self.contact.text(),
            "period_frequency": self.frequency.currentData(), "slip_tolerance_days": self.tolerance.value(),
            "risk_appetite": self.appetite.value(), **{f: box.value() for f, box in self.bands.items()},
            **{f: box.toPlainText() for f, box in self.rag.items()},
        }  # fmt: skip

    def changed(self) -> dict[str, Any]:
        """The settings that differ from the plan as read (dates compared as written)."""
        assert self.plan is not None
        now = {k: getattr(self.plan, k) for k in self.values()}
        now["start_date"], now["end_date"] = now["start_date"].isoformat(), now["end_date"].isoformat()
        return {k: v for k, v in self.values().items() if v != now[k]}

    def _show_bands(self) -> None:
        low, medium, high = (self.bands[f].value() for f in BANDS)
        self.band_words.setText(
            f"Low 1 to {low} · Medium {low + 1} to {medium} · High {medium + 1} to {high} · "
            f"Very high {high + 1} to 25. Above appetite: a residual score over {self.appetite.value()}."
        )

    # ------------------------------------------------------------------------------------------ saving

    def save(self):  # type: ignore[no-untyped-def]
        """Write the changed settings (None when nothing changed: the dialog just closes)."""
        self.errors.clear()
        for tab, title in enumerate(self._titles):
            self.tabs.setTabText(tab, title)
        changes = self.changed()
        if not changes:
            self.accept()
            return None
        assert self.plan is not None
        self.save_button.setEnabled(False)  # until the write is settled
        return (
            self.ctx.write(update_plan_settings, plan_id=self.plan.id, changes=changes,
                           expected_revision=self.plan.revision)
            .success(self._on_saved)
            .failure(self._on_refused)
            .finally_(lambda: self.save_button.setEnabled(True))
            .run(initiator=self)
        )  # fmt: skip

    def _on_saved(self, _changes: Changes) -> None:
        self.accept()

    def _on_refused(self, error: Exception) -> None:
        self.errors.show(error)
        wrong = [f for f in self._pages if self.errors.error(f)]
        for tab, title in enumerate(self._titles):  # a section with a problem says so on its tab
            n = sum(1 for f in wrong if self._pages[f] == tab)
            self.tabs.setTabText(tab, f"{title} ({n} to fix)" if n else title)
        if wrong:
            self.tabs.setCurrentIndex(self._pages[wrong[0]])
            self.fields[wrong[0]].setFocus()
