"""What the app's GUI tests share: settings on a temporary file, message boxes that record instead of block."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from tracker.services import Changes
from ui.context import AppContext
from ui.tasks import Task


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


def settled(task: Task | None, timeout_ms: int = 10_000) -> Task | None:
    """Wait (turning the event loop) until a write or task has finished; the task, for its outcome."""
    if task is None or task.done:
        return task
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    if not task.done:
        loop.exec()
    assert task.done, f"{task.label!r} did not finish within {timeout_ms} ms"
    return task


def succeeded(task: Task | None) -> bool:
    """A write was started and committed (False: nothing to write, refused, failed or cancelled)."""
    settled(task)
    return task is not None and task.ok


def written(ctx: AppContext, service: Callable[..., Changes], **kwargs: Any) -> Changes:
    """Run one service through the context's write lane, as a page does, and wait for it.

    Returns its Changes; raises what it raised (a refusal) after the context has reported it.
    """
    task = settled(ctx.write(service, **kwargs).failure(lambda _error: None).run())
    assert task is not None
    if task.error is not None:
        raise task.error
    return task.result  # type: ignore[no-any-return]
