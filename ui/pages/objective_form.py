"""This period's status update for one objective: the form a lead fills in, saved through the service.

A refused save shows each problem under its field (and in that field's accessible description),
and writes nothing. A closed period, or a read-only plan, shows the form read-only with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.enums import Brag, Lifecycle, PeriodStatus, Rag
from tracker.queries import StatusHistoryRow
from tracker.rules import RAG_ALLOWED, DerivedRag, disagrees
from tracker.services import ConflictError, ServiceError, ValidationError, record_status_update
from tracker.wording import field_label
from ui.context import AppContext
from ui.tasks import Task
from ui.widgets.chips import chip_icon
from ui.widgets.forms import field_with_error, on_edit

TEXT_FIELDS = (
    ("rationale", "Rationale", "Why the status is what it is (needed when the RAG changes)"),
    ("corrective_action", "Corrective action", "What will bring it back on track (needed for Red)"),
    ("commentary", "Commentary", "Progress this period"),
    ("next_steps", "Next steps", "What happens next period"),
)
LABELS = {f: field_label(f) for f in ("lifecycle", "rag", "progress_pct", *(f for f, _, _ in TEXT_FIELDS))}


@dataclass(frozen=True)
class FormState:
    """What the form shows: the objective, the period, the update there (if any) and what to start from."""

    objective_id: str
    objective_ref: str
    period: StatusHistoryRow
    start_from: StatusHistoryRow | None  # the latest earlier update, when this period has none
    derived: DerivedRag | None
    open_instead: StatusHistoryRow | None = None  # the latest open period, when this one is closed


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def display_message(field: str, message: str) -> str:
    """The service's message with the field named as the form names it ("progress pct" -> "Progress")."""
    words = field.replace("_", " ")
    if message.startswith(words):
        message = LABELS.get(field, words) + message[len(words) :]
    return message[:1].upper() + message[1:]


class StatusForm(QWidget):
    saved = Signal(object)  # the Changes of a committed save
    reload_requested = Signal()  # a save was refused over someone else's newer change: show theirs

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.state: FormState | None = None
        self._filled: dict[str, Any] | None = None  # the values as filled in: different ones are typing
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

        self.banner = QLabel(wordWrap=True)
        self.banner.setAccessibleName("Why the update cannot be edited")
        self.banner.setVisible(False)
        self.banner.setObjectName("banner")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        # the window's period changes for every page: one current period, chosen in one place
        self.banner.linkActivated.connect(self.ctx.set_period)

        self.reported = QLabel(textFormat=Qt.TextFormat.RichText)
        self.reported.setAccessibleName("Reported status")
        self.derived = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.derived.setAccessibleName("Suggested status from the evidence")
        self.derived_box = QFrame()
        self.derived_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.derived_box)
        box.setSpacing(4)
        box.addWidget(self.reported)
        box.addWidget(self.derived)

        self.lifecycle = QComboBox()
        for value in Lifecycle:
            self.lifecycle.addItem(value.label, value.value)
        self.rag = QComboBox()
        self.rag.addItem("No RAG", "")  # not None: see ui.pages.plan.chosen
        for value in Rag:
            self.rag.addItem(chip_icon(ctx.palette.brag_fill(Brag(value.value))), value.label, value.value)
        self.progress = QLineEdit(placeholderText="0 to 100")
        self.progress.setMaximumWidth(self.progress.fontMetrics().horizontalAdvance("0 to 1000") + 24)
        self.lifecycle.currentIndexChanged.connect(self._on_lifecycle_changed)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, widget, hint in (
            ("lifecycle", self.lifecycle, "Where the objective is in its life"),
            ("rag", self.rag, "Red, Amber or Green while in progress or on hold"),
            ("progress_pct", self.progress, "Per cent complete, a whole number from 0 to 100"),
        ):
            self._add(form, name, widget, hint)
        for name, _label, hint in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(hint)
            lines = edit.fontMetrics().lineSpacing()
            edit.setMinimumHeight(lines * 3 + 12)
            edit.setMaximumHeight(lines * 6 + 12)
            self._add(form, name, edit, hint)

        self.problem = QLabel(wordWrap=True)
        self.problem.setAccessibleName("Why the update was not saved")
        self.problem.setVisible(False)
        self.save_button = QPushButton("Save update")
        self.save_button.setAccessibleName("Save update")
        self.save_button.setToolTip("Save this period's update (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setAccessibleName("Reload the update as it is stored now (what you typed is lost)")
        self.reload_button.setToolTip("Show the update as it is stored now; what you typed here is lost")
        self.reload_button.setVisible(False)
        self.reload_button.clicked.connect(self._on_reload_clicked)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setAccessibleName("Revert the form to what is stored")
        self.revert_button.clicked.connect(self._fill)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.derived_box)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)

        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)
        order = [
            self.inputs[n] for n in ("lifecycle", "rag", "progress_pct", *(f for f, _, _ in TEXT_FIELDS))
        ]
        for a, b in zip(
            [*order, self.revert_button], [*order[1:], self.revert_button, self.save_button], strict=False
        ):
            QWidget.setTabOrder(a, b)
        self.setEnabled(False)

    def _add(self, form: QFormLayout, name: str, widget: QWidget, hint: str) -> None:
        widget.setAccessibleName(LABELS[name])
        widget.setAccessibleDescription(hint)
        widget.setToolTip(hint)
        error = QLabel()
        error.setAccessibleName(f"{LABELS[name]}: problem")
        error.setStyleSheet(f"color: {self.ctx.palette.surfaces.danger};")
        error.setVisible(False)
        label = QLabel(f"&{LABELS[name]}")
        label.setBuddy(widget)
        form.addRow(label, field_with_error(widget, error))
        on_edit(widget, lambda: self._clear_problem(name))
        self.inputs[name] = widget
        self.errors[name] = error

    # ------------------------------------------------------------------------------------------ showing

    def show_state(self, state: FormState | None) -> None:
        """Show this state; what the person is typing into the same update stays (a colleague's save,
        shown by the change watcher, must not wipe it), and the save is checked against what they
        started from, so it is refused, naming who, if that update itself changed meanwhile."""
        old = self.state
        if (old is not None and state is not None and self.typing()
                and (old.objective_id, old.period.period_id) == (state.objective_id, state.period.period_id)):  # fmt: skip
            if state.period.update_revision != old.period.update_revision:
                self._say("Someone else has saved this update since you started typing: Reload to see "
                          "theirs (what you typed here is lost), or Save to be told who.")  # fmt: skip
                self._offer_reload(True)
            return
        self.state = state
        self._fill()

    def typing(self) -> bool:
        """Whether the form holds changes not saved yet."""
        return self._filled is not None and self.values() != self._filled

    def _offer_reload(self, offer: bool) -> None:
        """Reload (to what is stored now) in place of Revert (to what the form started from)."""
        self.reload_button.setVisible(offer)
        self.revert_button.setVisible(not offer)

    def _on_reload_clicked(self) -> None:
        self._filled = None  # what was typed is given up for what is stored
        self.reload_requested.emit()

    def _fill(self) -> None:
        self.clear_problems()
        state = self.state
        if state is None:
            self.setEnabled(False)
            self._filled = None
            return
        self.setEnabled(True)
        p = state.period
        source = p if p.update_id is not None else state.start_from
        self._set_combo(self.lifecycle, source.lifecycle if source else Lifecycle.NOT_STARTED.value)
        self._set_combo(self.rag, source.rag if source else None)
        pct = source.progress_pct if source else None
        self.progress.setText("" if pct is None else str(pct))
        for name, _, _ in TEXT_FIELDS:
            text = getattr(p, name) if p.update_id is not None else ""
            self._text(name).setPlainText(text)
        self._show_comparison(state)
        reason = self._why_read_only(p)
        if reason and state.open_instead is not None and not self.ctx.read_only:
            other = state.open_instead
            reason += f' <a href="{other.period_id}">Update {_html(other.period_name)} (open) instead</a>'
        self.banner.setText(reason or "")
        self.banner.setVisible(bool(reason))
        for widget in (*self.inputs.values(), self.save_button, self.revert_button):
            widget.setEnabled(not reason)
        self._on_lifecycle_changed()
        self._filled = self.values()

    def _why_read_only(self, p: StatusHistoryRow) -> str:
        if self.ctx.read_only:
            return "This plan is open read-only: updates can be read here but not changed."
        if p.period_status == PeriodStatus.CLOSED:
            return (
                f"{_html(p.period_name)} is closed: its updates are frozen as reported to SLT. "
                "The PMO can reopen it, giving a reason."
            )
        return ""

    def _show_comparison(self, state: FormState) -> None:
        p = state.period
        if p.update_id is not None:
            self.reported.setText(
                f"Reported for {p.period_name}: {self._chip(p.brag.value)} <b>{p.brag_label}</b>"
            )
        else:
            self.reported.setText(f"Reported for {p.period_name}: no update yet")
        self.reported.setAccessibleDescription(self.reported.text())
        d = state.derived
        if d is None:
            self.derived.setText("")
            self.derived_box.setStyleSheet("")
            return
        differs = p.update_id is not None and disagrees(p.brag, d.status)
        label = {Brag.BLUE: "Complete", Brag.GREY: "Grey"}.get(d.status, d.status.value.capitalize())
        reason = "" if d.reason.casefold() in (label.casefold(), d.status.value) else f" — {_html(d.reason)}"
        flag = " <b>⚠ differs from the reported status</b>" if differs else ""
        self.derived.setText(
            f"Suggested from the evidence: {self._chip(d.status.value)} <b>{label}</b>{reason}{flag}"
        )
        self.derived.setAccessibleDescription("Disagrees with the reported status" if differs else "")
        colour = self.ctx.palette.surfaces.danger if differs else self.ctx.palette.surfaces.border
        self.derived_box.setStyleSheet(
            f"QFrame {{ border: {2 if differs else 1}px solid {colour}; border-radius: 4px; }}"
            " QLabel { border: none; }"
        )
        self.derived_box.setProperty("disagrees", differs)

    def _chip(self, status: str) -> str:
        fill = self.ctx.palette.brag_fill(status)
        return f"<span style='background-color:{fill}; color:{fill}'>&#9632;&#9632;</span>"

    @staticmethod
    def _set_combo(combo: QComboBox, value: Any) -> None:
        at = combo.findData(value if value is not None else "")
        combo.setCurrentIndex(max(at, 0))

    def _text(self, name: str) -> QPlainTextEdit:
        widget = self.inputs[name]
        assert isinstance(widget, QPlainTextEdit)
        return widget

    def _on_lifecycle_changed(self) -> None:
        allowed = self.lifecycle.currentData() in RAG_ALLOWED
        if not allowed:
            self.rag.setCurrentIndex(0)
        self.rag.setEnabled(allowed and self.lifecycle.isEnabled())

    # ------------------------------------------------------------------------------------------ saving

    def values(self) -> dict[str, Any]:
        pct = self.progress.text().strip()
        data: dict[str, Any] = {
            "lifecycle": self.lifecycle.currentData(),
            "rag": self.rag.currentData() or None,
            "progress_pct": pct or None,
        }
        for name, _, _ in TEXT_FIELDS:
            data[name] = self._text(name).toPlainText()
        return data

    def save(self) -> Task | None:
        """Save this period's update on the write lane; refusals are shown beside the fields."""
        state = self.state
        if state is None or not self.save_button.isEnabled():
            return None
        self.clear_problems()
        self.save_button.setEnabled(False)  # until the write is settled: one save at a time
        return (
            self.ctx.write(
                record_status_update,
                objective_id=state.objective_id,
                period_id=state.period.period_id,
                data=self.values(),
                expected_revision=state.period.update_revision,
            )
            .success(self._on_saved)
            .failure(self._on_refused)
            .finally_(lambda: self.save_button.setEnabled(self.state is not None and self.banner.isHidden()))
            .run(initiator=self)
        )

    def _on_saved(self, changes: Any) -> None:
        self._filled = None  # saved: the reload that follows shows it as stored
        self.saved.emit(changes)

    def _on_refused(self, error: ServiceError) -> None:
        if isinstance(error, ValidationError):
            self.show_problems(error)
        elif isinstance(error, ConflictError):  # someone else saved first: say who, offer theirs
            self._say(f"Not saved: {error}")
            self._offer_reload(True)
        else:
            self._say(str(error))

    def show_problems(self, exc: ValidationError) -> None:
        loose = []
        for problem in exc.problems:
            label = self.errors.get(problem.field)
            if label is None:
                loose.append(problem.message)
                continue
            message = display_message(problem.field, problem.message)
            label.setText(f"⚠ {message}")
            label.setVisible(True)
            self.inputs[problem.field].setAccessibleDescription(message)
        first = next((self.inputs[p.field] for p in exc.problems if p.field in self.inputs), None)
        if first is not None:
            first.setFocus()
        self._say("Not saved: " + ("; ".join(loose) if loose else "see the messages beside the fields."))

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setStyleSheet(f"color: {self.ctx.palette.surfaces.danger};")
        self.problem.setVisible(True)

    def _clear_problem(self, name: str) -> None:
        """The person is changing the field: its message goes (it comes back on saving if still wrong)."""
        error = self.errors[name]
        if not error.isHidden():
            error.clear()
            error.setVisible(False)
            self.inputs[name].setAccessibleDescription(self.inputs[name].toolTip())

    def clear_problems(self) -> None:
        for name, label in self.errors.items():
            label.clear()
            label.setVisible(False)
            self.inputs[name].setAccessibleDescription(self.inputs[name].toolTip())
        self.problem.clear()
        self.problem.setVisible(False)
        self._offer_reload(False)

    def problem_for(self, field: str) -> str:
        """The message shown under a field ("" when none), for tests and screen readers."""
        label = self.errors[field]
        return label.text() if not label.isHidden() else ""
