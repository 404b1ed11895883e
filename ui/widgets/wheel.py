"""The mouse wheel scrolls the page; it changes a field only once the field has focus.

Qt lets the wheel change a combo box, spin box or date box that the pointer merely passes over, so
scrolling down a form could flip a risk from Open to Closed. One filter on the application stops
that for every such field in every window: a wheel event on a field without focus goes to the
nearest scroll area instead (or nowhere). Such fields also take focus only by click or tab, not by
the wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

_FIELDS = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(obj, _FIELDS):
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        elif kind == QEvent.Type.Wheel and isinstance(obj, _FIELDS) and not obj.hasFocus():
            area = _scroll_area_of(obj)
            if area is not None:
                QCoreApplication.sendEvent(area.viewport(), event)
            return True
        return False


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def guard_wheel(app: QApplication) -> None:
    """Install the guard on ``app`` once (later calls do nothing)."""
    if app.property("wheelGuarded"):
        return
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    app.setProperty("wheelGuarded", True)
