"""The side form that creates or edits one register item, with each refusal shown beside its field.

The form does not judge input: it hands what was typed to the service, which names the field and
what was expected; :meth:`ItemForm.show_problems` puts each message under its field. Dates are
a :class:`ui.widgets.dates.DateField`: shown as DD/MM/YYYY, typed as people write it or picked from
its calendar, and sent as YYYY-MM-DD when it is a date (as typed when not, for the service to refuse).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from tracker.services import Problem
from ui.pages.register_specs import FormField, Lookups
from ui.widgets.dates import DateField
from ui.widgets.forms import clear_when_edited, field_with_error, fit_popup, shrinkable


class ItemForm(QWidget):
    """One editor per field, each with a hidden message label beneath it for the service's problem."""

    def __init__(self, fields: Iterable[FormField], noun: str, danger: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = {f.name: f for f in fields}
        self.noun = noun
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._loaded: dict[str, Any] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.general.setStyleSheet(f"color: {danger}; font-weight: 600;")
        self.general.setAccessibleName(f"Problem with this {noun}")
        self.general.hide()
        layout.addRow(self.general)
        for f in self.fields.values():
            editor = self._editor(f)
            editor.setAccessibleName(f.label)
            editor.setObjectName(f"field_{f.name}")
            error = QLabel()
            error.setStyleSheet(f"color: {danger};")
            error.setAccessibleName(f"{f.label} problem")
            error.setObjectName(f"error_{f.name}")
            error.hide()
            holder = field_with_error(editor, error)
            clear_when_edited(editor, error)
            label = QLabel(f"&{f.label}" + (" *" if f.required else ""))
            label.setBuddy(editor)
            layout.addRow(label, holder)
            self.editors[f.name], self.errors[f.name] = editor, error

    def _editor(self, f: FormField) -> QWidget:
        if f.kind == "combo":
            return shrinkable(QComboBox())
        if f.kind == "spin":
            spin = QSpinBox()
            spin.setRange(1, 5)
            return spin
        if f.kind == "text":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            text.setMinimumHeight(text.fontMetrics().lineSpacing() * 3)
            text.setMaximumHeight(text.fontMetrics().lineSpacing() * 6)
            return text
        if f.kind == "date":
            return DateField(optional=not f.required)
        return QLineEdit()

    # ------------------------------------------------------------------------------------------ choices

    def set_lookups(self, lookups: Lookups) -> None:
        """Fill the combos from the register's lists, keeping what each shows."""
        for name, f in self.fields.items():
            combo = self.editors[name]
            if f.kind != "combo" or f.options is None:
                continue
            assert isinstance(combo, QComboBox)
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if f.blank or not f.required:
                combo.addItem(f.blank or "—", None)
            for text, value in f.options(lookups):
                combo.addItem(text, value)
            at = combo.findData(keep)
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(False)
            combo.setToolTip(combo.currentText())
            fit_popup(combo)

    # ------------------------------------------------------------------------------------------ values

    def load(self, row: Any | None, defaults: dict[str, Any] | None = None) -> None:
        """Show an item (None: an empty form for a new one, with these defaults)."""
        self.clear_problems()
        source = defaults or {}
        for name in self.fields:
            value = getattr(row, name, None) if row is not None else source.get(name)
            self._set(name, value)
        self._loaded = self.values()

    def _set(self, name: str, value: Any) -> None:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            value = getattr(value, "value", value)
            at = editor.findData(value)
            if at < 0 and value is not None:  # a value the lists lack (an inactive person, say)
                editor.addItem(str(value), value)
                at = editor.count() - 1
            editor.setCurrentIndex(max(at, 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value) if value else 1)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value or "")
        elif isinstance(editor, DateField):
            editor.set_day(value)
        elif isinstance(editor, QLineEdit):
            editor.setText(value.isoformat() if isinstance(value, date) else (value or ""))
            editor.setCursorPosition(0)  # show the start of a long title, not its end

    def value(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, DateField):
            return editor.iso()
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def values(self) -> dict[str, Any]:
        return {name: self.value(name) for name in self.fields}

    def changed_values(self) -> dict[str, Any]:
        """Only the fields edited since :meth:`load`, so an update audits just what the person changed."""
        now = self.values()
        return {k: v for k, v in now.items() if v != self._loaded.get(k)}

    # ------------------------------------------------------------------------------------------ problems

    def clear_problems(self) -> None:
        self.general.clear()
        self.general.hide()
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_problems(self, problems: Iterable[Problem]) -> None:
        """Each problem under its field; one the form has no field for goes at the top."""
        self.clear_problems()
        first: QWidget | None = None
        general = []
        for p in problems:
            label = self.errors.get(p.field)
            if label is None:
                general.append(p.message)
                continue
            label.setText(_sentence(p.message))
            label.show()
            first = first or self.editors[p.field]
        if general:
            self.show_message(" ".join(_sentence(m) for m in general))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        self.general.setText(text)
        self.general.setVisible(bool(text))

    def problem(self, name: str) -> str:
        return self.errors[name].text()

    def set_editable(self, editable: bool) -> None:
        for editor in self.editors.values():
            editor.setEnabled(editable)


def _sentence(message: str) -> str:
    return message[0].upper() + message[1:] if message else message
