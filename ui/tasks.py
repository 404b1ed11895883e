"""The one way to run work off the UI thread: a task is a plain callable given a :class:`Progress`.

Build a task with :meth:`TaskRunner.task`, connect to its signals, then :meth:`Task.start` it (or
use :meth:`TaskRunner.run`, which takes the handlers as arguments, Anki-style). Results, errors and
progress come back on the main thread as signals; the callable itself never touches a widget.

Database writes go through one serial lane (a pool of one thread), so two writes never race for
the store; reads and exports run on the shared pool. ``TaskRunner(synchronous=True)`` runs every
task at once on the calling thread, so tests see the same signals without threads (Picard's fake
thread pool).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QWidget,
)

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task when the person asked it to stop; the task ends as cancelled, not failed."""


class Progress:
    """Handed to a task: report how far it got, and learn whether it should stop.

    Thread-safe. ``report`` raises :class:`Cancelled` once cancel was asked, so a task that
    reports regularly stops without checking the flag itself.
    """

    def __init__(self, emit: Callable[[int, int, str], None] | None = None):
        self._emit = emit
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def report(self, done: int, total: int, text: str = "") -> None:
        self.check()
        if self._emit is not None:
            self._emit(int(done), int(total), text)


class Task(QObject):
    """A unit of background work and its signals, delivered on the thread that created the task."""

    progressed = Signal(int, int, str)  # done, total, text
    succeeded = Signal(object)  # the callable's return value
    failed = Signal(object)  # the exception it raised
    cancelled = Signal()
    finished = Signal()  # after exactly one of succeeded, failed, cancelled

    # The worker emits these; each is connected (queued) to its public twin, so the public
    # signals are always emitted on the task's own thread, whatever kind of slot listens.
    _progressed_on_worker = Signal(int, int, str)
    _succeeded_on_worker = Signal(object)
    _failed_on_worker = Signal(object)
    _cancelled_on_worker = Signal()
    _finished_on_worker = Signal()

    def __init__(self, runner: TaskRunner, fn: Callable[[Progress], Any], *, label: str, write: bool):
        # Parented to the runner so the object outlives the worker's last reference to it and is
        # deleted on the main thread with the runner, never on a worker thread.
        super().__init__(runner)
        self.fn: Callable[[Progress], Any] | None = fn
        self.label = label
        self.write = write
        self.progress = Progress(self._progressed_on_worker.emit)
        kind = (
            Qt.ConnectionType.DirectConnection if runner.synchronous else Qt.ConnectionType.QueuedConnection
        )
        self._progressed_on_worker.connect(self.progressed, kind)
        self._succeeded_on_worker.connect(self.succeeded, kind)
        self._failed_on_worker.connect(self.failed, kind)
        self._cancelled_on_worker.connect(self.cancelled, kind)
        self._finished_on_worker.connect(self.finished, kind)
        self._runner = runner
        self.started = False
        self.done = False
        self.result: Any = None  # what the callable returned, once it succeeded
        self.error: BaseException | None = None  # what it raised, once it failed
        self.stopped = False  # it ended as cancelled

    @property
    def ok(self) -> bool:
        """Finished and succeeded (not failed, not cancelled)."""
        return self.done and self.error is None and not self.stopped

    def start(self) -> Task:
        if self.started:
            raise RuntimeError(f"task {self.label!r} was already started")
        self.started = True
        self._runner._start(self)
        return self

    def cancel(self) -> None:
        self.progress.cancel()

    def _execute(self) -> None:
        """Run on a worker thread (or the calling thread in synchronous mode); signals do the rest."""
        fn, self.fn = self.fn, None  # let go of the closure (and what it holds) once run
        assert fn is not None
        try:
            self.progress.check()
            result = fn(self.progress)
        except Cancelled:
            self.stopped = True
            self._cancelled_on_worker.emit()
        except Exception as exc:  # delivered to the caller, who decides what to tell the person
            log.debug("task %r failed", self.label, exc_info=exc)
            self.error = exc
            self._failed_on_worker.emit(exc)
        else:
            self.result = result
            self._succeeded_on_worker.emit(result)
        self._finished_on_worker.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._execute()


class TaskRunner(QObject):
    """Starts tasks on a thread pool, with a serial lane for database writes."""

    task_started = Signal(object)  # Task
    task_finished = Signal(object)  # Task

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False):
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool.globalInstance()
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._active: set[Task] = set()

    def task(self, fn: Callable[[Progress], Any], *, label: str = "", write: bool = False) -> Task:
        """A task not yet started: connect to its signals, then call ``start()``."""
        return Task(self, fn, label=label, write=write)

    def run(
        self,
        fn: Callable[[Progress], Any],
        *,
        label: str = "",
        write: bool = False,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> Task:
        """Build, connect and start a task in one call."""
        task = self.task(fn, label=label, write=write)
        for signal, slot in (
            (task.succeeded, on_result),
            (task.failed, on_error),
            (task.progressed, on_progress),
            (task.cancelled, on_cancelled),
            (task.finished, on_finished),
        ):
            if slot is not None:
                signal.connect(slot)
        return task.start()

    @property
    def active(self) -> frozenset[Task]:
        return frozenset(self._active)

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every started task has finished (used when closing the store)."""
        ok = self._writes.waitForDone(msecs)
        return self._pool.waitForDone(msecs) and ok

    def _start(self, task: Task) -> None:
        self._active.add(task)
        task.finished.connect(lambda: self._on_task_finished(task))
        self.task_started.emit(task)
        if self.synchronous:
            task._execute()
        else:
            (self._writes if task.write else self._pool).start(_Runnable(task))

    def _on_task_finished(self, task: Task) -> None:
        task.done = True
        self._active.discard(task)
        self.task_finished.emit(task)


# ---------------------------------------------------------------------------------------------- showing progress


class TaskProgressDialog(QProgressDialog):
    """A window-modal progress dialog with Cancel for one long task (backup, export, import)."""

    def __init__(self, task: Task, parent: QWidget | None = None, *, title: str = ""):
        super().__init__(task.label or "Working…", "Cancel", 0, 0, parent)
        self.setWindowTitle(title or task.label or "Working")
        self.setAccessibleName(title or task.label or "Progress")
        self.setMinimumDuration(400)  # a task done in a blink shows no dialog at all
        self.setAutoClose(False)
        self.setAutoReset(False)
        self._task = task
        self.canceled.connect(self._on_dialog_canceled)
        task.progressed.connect(self._on_task_progressed)
        task.finished.connect(self._on_task_finished)

    def _on_dialog_canceled(self) -> None:
        self.setLabelText("Stopping…")
        self._task.cancel()

    def _on_task_progressed(self, done: int, total: int, text: str) -> None:
        if self._task.progress.cancelled:
            return
        self.setMaximum(max(total, 0))
        self.setValue(min(done, total) if total > 0 else 0)
        if text:
            self.setLabelText(text)

    def _on_task_finished(self) -> None:
        self.reset()
        self.close()
        self.deleteLater()


class TaskStatusWidget(QWidget):
    """Status-bar progress for whatever runs in the background: a bar, what it is, and Cancel."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TaskStatus")
        self._runner = runner
        self._current: Task | None = None
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Background task progress")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel the background task")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        runner.task_started.connect(self._on_runner_task_started)
        runner.task_finished.connect(self._on_runner_task_finished)
        self.hide()

    def _on_runner_task_started(self, task: Task) -> None:
        self._follow(task)

    def _on_runner_task_finished(self, task: Task) -> None:
        if task is not self._current:
            return
        remaining = [t for t in self._runner.active if not t.done]
        if remaining:
            self._follow(remaining[0])
        else:
            self._current = None
            self.hide()

    def _follow(self, task: Task) -> None:
        if self._current is not None:
            self._current.progressed.disconnect(self._on_task_progressed)
        self._current = task
        task.progressed.connect(self._on_task_progressed)
        self.label.setText(task.label or "Working…")
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()

    def _on_task_progressed(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 0))
        if total > 0:
            self.bar.setValue(min(done, total))
        if text:
            self.label.setText(text)

    def _on_cancel_clicked(self) -> None:
        if self._current is not None:
            self._current.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Stopping…")
