"""Form helpers: a field with its error shown beside it (and told to the screen reader), combos that shrink."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.services import ValidationError

MAX_VISIBLE = 20  # items a drop-down list shows before it scrolls


def shrinkable(combo: QComboBox, min_chars: int = 10, *, tooltip: bool = True) -> QComboBox:
    """Let ``combo`` shrink with its panel, eliding a long choice, with the whole choice as its tooltip.

    Qt sizes a combo to its longest item by default, so one long objective title or name would make
    a whole form or filter bar wider than the window. Call :func:`fit_popup` after filling it.
    ``tooltip=False`` keeps the combo's own tooltip (a filter's name, say).
    """
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(min_chars)
    combo.setMaxVisibleItems(MAX_VISIBLE)  # then it scrolls (the stylesheet's combobox-popup: 0)
    if tooltip:
        combo.currentTextChanged.connect(combo.setToolTip)
    return combo


def fit_popup(combo: QComboBox) -> None:
    """Let the drop-down list be as wide as its longest item (up to 70 characters), wider than the combo."""
    metrics = combo.fontMetrics()
    texts = (combo.itemText(i) for i in range(min(combo.count(), 500)))  # enough to judge, cheap at scale
    widest = max((metrics.horizontalAdvance(t) for t in texts), default=0) + metrics.averageCharWidth() * 4
    view = combo.view()
    view.setMinimumWidth(
        min(widest + view.verticalScrollBar().sizeHint().width(), metrics.averageCharWidth() * 70)
    )


def on_edit(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever the person changes the field (to clear its error once it is being fixed)."""
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(lambda _text: callback())
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.textChanged.connect(callback)
    elif isinstance(widget, QComboBox):
        widget.activated.connect(lambda _index: callback())
    elif isinstance(widget, QAbstractSpinBox):
        widget.editingFinished.connect(callback)
        if hasattr(widget, "dateChanged"):
            widget.dateChanged.connect(lambda _date: callback())
        elif hasattr(widget, "valueChanged"):
            widget.valueChanged.connect(lambda _value: callback())
    elif isinstance(widget, QAbstractButton):
        widget.toggled.connect(lambda _on: callback())


class _TallEnough(QObject):
    """Keeps a wrapped label as tall as its text needs at its width. In a scroll area (the side
    forms) Qt sizes a wrapped label by its unwrapped height, and the third line of a message was cut."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show) and isinstance(watched, QLabel):
            need = watched.heightForWidth(watched.width()) if watched.width() > 0 else -1
            if need > 0 and need != watched.minimumHeight():
                watched.setMinimumHeight(need)
        return False


_TALL_ENOUGH = _TallEnough()


def clear_when_edited(widget: QWidget, error: QLabel) -> None:
    """The field's message goes once the person changes the field (saving says it again if still wrong)."""
    on_edit(widget, lambda: (error.clear(), error.hide()))


def field_with_error(widget: QWidget, error: QLabel, *, keep_width: bool = False) -> QWidget:
    """A field and its error line under it, as one form cell that takes the form's full width.

    In a bare layout the error would be as narrow as a narrow field (a percentage box) and wrap one
    word to a line, clipped; in a widget of its own it wraps across the whole field column.
    """
    holder = QWidget()
    holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    if keep_width:  # a date or a number: its own width, the error still across the column
        box.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
    else:
        box.addWidget(widget)
    box.addWidget(error)
    error.setWordWrap(True)
    error.installEventFilter(_TALL_ENOUGH)
    error.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    return holder


class FieldErrors:
    """Error labels under each field of a QFormLayout, filled from a ValidationError's problems."""

    def __init__(self, form: QFormLayout, general: QLabel):
        self._form = form
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.general = general
        general.setObjectName("FieldError")
        general.setWordWrap(True)
        general.hide()

    def add_row(
        self,
        label: str,
        field: str,
        widget: QWidget,
        *,
        accessible: str = "",
        keep_width: bool = False,
        form: QFormLayout | None = None,
    ) -> QLabel:
        """Add ``widget`` under ``label`` with an (initially hidden) error label beneath it (in ``form``
        when given: a dialog in sections keeps one set of errors across its forms)."""
        error = QLabel()
        error.setObjectName("FieldError")
        error.setAccessibleName(f"{accessible or label.rstrip(':')} error")
        error.hide()
        holder = field_with_error(widget, error, keep_width=keep_width)
        on_edit(widget, lambda: self._clear_one(widget, error))
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setAccessibleName(accessible or label.replace("&", "").rstrip(":"))
        (form or self._form).addRow(caption, holder)
        self._fields[field] = (widget, error)
        return error

    def _clear_one(self, widget: QWidget, error: QLabel) -> None:
        if not error.isHidden():
            error.clear()
            error.hide()
            _mark(widget, "")

    def error(self, field: str) -> str:
        widget_error = self._fields.get(field)
        if widget_error is None:
            return self.general.text() if not self.general.isHidden() else ""
        return widget_error[1].text() if not widget_error[1].isHidden() else ""

    def clear(self) -> None:
        for widget, label in self._fields.values():
            label.clear()
            label.hide()
            _mark(widget, "")
        self.general.clear()
        self.general.hide()

    def show(self, exc: Exception) -> None:
        """Put each problem beside its field; anything without a field goes in the general line."""
        self.clear()
        problems = exc.problems if isinstance(exc, ValidationError) else []
        leftover: list[str] = [] if problems else [str(exc)]
        first: QWidget | None = None
        for problem in problems:
            target = self._fields.get(problem.field)
            if target is None:
                leftover.append(problem.message)
                continue
            widget, label = target
            label.setText(problem.message if not label.text() else f"{label.text()}\n{problem.message}")
            label.show()
            _mark(widget, problem.message)
            first = first or widget
        if leftover:
            self.general.setText("\n".join(leftover))
            self.general.show()
        if first is not None:
            first.setFocus()


def _mark(widget: QWidget, message: str) -> None:
    widget.setProperty("invalid", bool(message))
    widget.setAccessibleDescription(message)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
