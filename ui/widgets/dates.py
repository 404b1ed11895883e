"""The one date field: typed as people write dates (31/03/2027), with a calendar to pick from.

A line edit, so a wrong date can be typed and then refused beside the field with the reason (an
impossible date is not silently turned into a possible one), and so an optional date can be left
blank. It shows DD/MM/YYYY; it accepts 31/3/2027, 31-03-2027 and ISO 2027-03-31 too
(:func:`tracker.dates.parse_day`), and rewrites what it understood as DD/MM/YYYY when the person
leaves it. The calendar button (or Alt+Down) opens a month to pick a day from.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from tracker.dates import ENTRY_HINT, as_typed, entry_text, parse_day
from ui.icons import icon


class DateField(QLineEdit):
    """A date typed or picked; :meth:`day` reads it, :meth:`iso` gives it to a service as typed."""

    def __init__(self, parent: QWidget | None = None, *, optional: bool = True, colour: str = "#505a5f"):
        super().__init__(parent)
        self.optional = optional
        self.setPlaceholderText(ENTRY_HINT)
        self.setToolTip(
            f"A date as {ENTRY_HINT}, for example 31/03/2027"
            + ("; leave it empty for none" if optional else "")
        )
        width = self.fontMetrics().horizontalAdvance("00/00/00000") + 48
        self.setMinimumWidth(width)
        self.pick = QAction(icon("periods", colour), "Pick a date from a calendar", self)
        self.pick.setToolTip("Pick a date from a calendar (Alt+Down)")
        self.pick.triggered.connect(self.open_calendar)
        self.addAction(self.pick, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None  # made when first opened, like QDateEdit's
        self.editingFinished.connect(self._tidy)

    # ------------------------------------------------------------------------------------------ values

    def day(self) -> date | None:
        """The date shown (None when blank); ValueError, in plain words, when it is not a date."""
        return parse_day(self.text())

    def iso(self) -> str:
        """The date as YYYY-MM-DD when it is one, else the text as typed (for the service to refuse)."""
        return as_typed(self.text())

    def set_day(self, value: date | str | None) -> None:
        """Show ``value`` as DD/MM/YYYY (a string that is not a date is shown as it is)."""
        if isinstance(value, str):
            self.setText(value)
            self._tidy()
        else:
            self.setText(entry_text(value))

    def _tidy(self) -> None:
        try:
            day = self.day()
        except ValueError:
            return  # left as typed, for the form to refuse with the reason
        if day is not None and self.text() != entry_text(day):
            self.setText(entry_text(day))

    # ------------------------------------------------------------------------------------------ calendar

    def open_calendar(self) -> None:
        try:
            day = self.day() or date.today()
        except ValueError:
            day = date.today()
        calendar = self.calendar or self._make_calendar()
        calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        calendar.adjustSize()
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _make_calendar(self) -> QCalendarWidget:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setGridVisible(False)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        calendar.setAccessibleName("Calendar")
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        self.calendar = calendar
        return calendar

    def _picked(self, when: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self.set_day(date(when.year(), when.month(), when.day()))
        self.textEdited.emit(self.text())  # a pick is an edit: forms clear the field's error, note the change
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.open_calendar()
            return
        super().keyPressEvent(event)


class DateDelegate(QStyledItemDelegate):
    """A table's date cell edits in a :class:`DateField`; the model gets the text as typed to judge."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        field = DateField(parent)
        field.setFrame(False)
        field.setAccessibleName(
            str(index.model().headerData(index.column(), Qt.Orientation.Horizontal) or "Date")
        )
        return field

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, DateField)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, DateField)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
