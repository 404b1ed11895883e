"""What the app's GUI tests share: settings on a temporary file, message boxes that record instead of block."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


@dataclass
class Shown:
    boxes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def titles(self) -> list[str]:
        return [t for t, _ in self.boxes]

    @property
    def texts(self) -> str:
        return "\n".join(x for _, x in self.boxes)


def record_message_boxes(monkeypatch, answer: str | None = None) -> Shown:  # type: ignore[no-untyped-def]
    """Replace QMessageBox.exec: record title and text; click the button labelled ``answer`` if given."""
    shown = Shown()

    def fake_exec(box: QMessageBox) -> int:
        shown.boxes.append((box.windowTitle(), box.text()))
        if answer is not None:
            for button in box.buttons():
                if button.text().replace("&", "") == answer:
                    button.click()
                    return 0
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def accessible_name(widget: QWidget | QAbstractButton) -> str:
    from PySide6.QtGui import QAccessible

    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""
