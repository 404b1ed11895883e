"""Add or edit one theme, outcome or objective of the plan (the PMO's form; the services check it too).

The dialog stays open when the write is refused, with each problem beside its field, and closes when
the write is committed; the write is undoable like any other (Edit > Undo).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker import queries as q
from tracker.enums import FourP
from tracker.models import Objective, Outcome
from tracker.services import (
    Changes,
    create_objective,
    create_outcome,
    create_theme,
    update_objective,
    update_outcome,
    update_theme,
)
from tracker.services.structure import next_code
from ui.context import AppContext
from ui.widgets.dates import DateField
from ui.widgets.forms import FieldErrors, fit_popup, shrinkable

_CREATE = {"theme": create_theme, "outcome": create_outcome, "objective": create_objective}
_UPDATE = {"theme": update_theme, "outcome": update_outcome, "objective": update_objective}
_PARENT_ARG = {"theme": "plan_id", "outcome": "theme_id", "objective": "outcome_id"}
_ID_ARG = {"theme": "theme_id", "outcome": "outcome_id", "objective": "objective_id"}
_TITLE_FIELD = {"theme": "name", "outcome": "title", "objective": "title"}
_CODE_FIELD = {"theme": "code", "outcome": "code", "objective": "ref"}


class PlanItemDialog(QDialog):
    """``item`` None: a new item of ``kind`` under ``parent_id``; else that item's fields to change."""

    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        *,
        item: q.PlanItem | None = None,
        parent_id: str | None = None,
        parent_words: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx, self.kind, self.item, self.parent_id = ctx, kind, item, parent_id
        self.saved: Changes | None = None
        verb = "Edit" if item is not None else "New"
        self.setWindowTitle(
            f"{verb} {kind}" + (f" in {parent_words}" if parent_words and item is None else "")
        )
        self.setAccessibleName(self.windowTitle())

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        general = QLabel()
        self.errors = FieldErrors(form, general)
        field = _CODE_FIELD[kind]
        self.code = QLineEdit()
        self.code.setMaxLength(10 if kind == "theme" else 20)
        self.code.setToolTip(
            "Letters, digits and - . / only. Suggested from where it sits; change it if you wish."
            if kind != "theme" else "A short code for the theme, such as SER"
        )  # fmt: skip
        self.errors.add_row("&Code:" if kind != "objective" else "&Reference:", field, self.code)
        self.title = QLineEdit() if kind != "objective" else QPlainTextEdit()
        if isinstance(self.title, QPlainTextEdit):
            self.title.setTabChangesFocus(True)
            self.title.setFixedHeight(self.title.fontMetrics().lineSpacing() * 4 + 12)
        self.errors.add_row("&Name:" if kind == "theme" else "&Title:", _TITLE_FIELD[kind], self.title)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 4 + 12)
        self.errors.add_row("&Description:", "description", self.description)

        self.lead: QComboBox | None = None
        self.board: QComboBox | None = None
        self.four_p: dict[str, QCheckBox] = {}
        self.start: DateField | None = None
        self.target: DateField | None = None
        if kind == "objective":
            self._objective_rows(form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(buttons)
        self._fill()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)

    def _objective_rows(self, form: QFormLayout) -> None:
        with self.ctx.read() as s:
            people = q.people(s)
            boards = q.boards(s)
        current_lead = self.item.lead_id if self.item is not None else None
        self.lead = shrinkable(QComboBox(), 24)
        self.lead.addItem("No lead yet", "")
        for p in people:
            if p.active or p.id == current_lead:
                self.lead.addItem(p.name + ("" if p.active else " (inactive)"), p.id)
        fit_popup(self.lead)
        self.errors.add_row("&Lead:", "lead_id", self.lead)
        self.board = shrinkable(QComboBox(), 24)
        self.board.addItem("No board", "")
        for b in boards:
            self.board.addItem(b.name, b.id)
        fit_popup(self.board)
        self.errors.add_row("&Board:", "board_id", self.board)
        tags = QWidget()
        row = QHBoxLayout(tags)
        row.setContentsMargins(0, 0, 0, 0)
        for tag in FourP:
            box = QCheckBox(tag.value)
            box.setAccessibleName(f"4P {tag.value}")
            self.four_p[tag.value] = box
            row.addWidget(box)
        row.addStretch(1)
        self.errors.add_row("4&P:", "four_p", tags, accessible="4P tags")
        self.start = DateField()
        self.target = DateField()
        self.errors.add_row("&Start:", "start_date", self.start, keep_width=True)
        self.errors.add_row("&End (target):", "target_date", self.target, keep_width=True)

    def _fill(self) -> None:
        item = self.item
        if item is None:
            if self.kind != "theme" and self.parent_id:
                with self.ctx.read() as s:
                    self.code.setText(
                        next_code(s, Outcome if self.kind == "outcome" else Objective, self.parent_id)
                    )
            return
        self.code.setText(item.code)
        _set_text(self.title, item.title)
        self.description.setPlainText(item.description)
        if self.kind == "objective":
            assert self.lead is not None and self.board is not None and self.start and self.target
            self.lead.setCurrentIndex(max(0, self.lead.findData(item.lead_id or "")))
            self.board.setCurrentIndex(max(0, self.board.findData(item.board_id or "")))
            for tag in item.four_p.split(","):
                if tag in self.four_p:
                    self.four_p[tag].setChecked(True)
            self.start.set_day(item.start_date)
            self.target.set_day(item.target_date)

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            _CODE_FIELD[self.kind]: self.code.text(),
            _TITLE_FIELD[self.kind]: _text(self.title),
            "description": self.description.toPlainText(),
        }
        if self.kind == "objective":
            assert self.lead is not None and self.board is not None and self.start and self.target
            data |= {
                "lead_id": self.lead.currentData() or None,
                "board_id": self.board.currentData() or None,
                "four_p": [tag for tag, box in self.four_p.items() if box.isChecked()],
                "start_date": self.start.iso(),
                "target_date": self.target.iso(),
            }
        return data

    def save(self) -> None:
        self.errors.clear()
        if self.item is None:
            where = {_PARENT_ARG[self.kind]: self.parent_id} if self.kind != "theme" else {}
            op = self.ctx.write(_CREATE[self.kind], data=self.values(), **where)
        else:
            op = self.ctx.write(
                _UPDATE[self.kind],
                changes=self.values(),
                expected_revision=self.item.revision,
                **{_ID_ARG[self.kind]: self.item.id},
            )
        self.save_button.setEnabled(False)
        op.success(self._done).failure(self.errors.show).finally_(lambda: self.save_button.setEnabled(True))
        op.run(initiator=self)

    def _done(self, changes: Changes) -> None:
        self.saved = changes  # the window's status bar says what was done
        self.accept()


def _set_text(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)


def _text(widget: QLineEdit | QPlainTextEdit) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
