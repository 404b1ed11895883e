"""What every page shares: the open store, who you are, the current period, and the one way to write.

Pages take an :class:`AppContext` and nothing else. They read through :meth:`AppContext.read`
(plain rows from :mod:`tracker.queries`), write only through :meth:`AppContext.apply` (a service
call in one transaction), and reload when :attr:`AppContext.changed` says their kinds of item
moved. Each accepted write is committed at once and goes on the undo stack; undo and redo replay
through :func:`tracker.services.revert_transaction`, so they are audited like any other change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlmodel import Session

from tracker.db import Actor
from tracker.services import Changes, ServiceError, revert_transaction
from tracker.store import Store
from ui.palette import Palette, make_palette
from ui.tasks import Progress, Task, TaskRunner

UNDO_LIMIT = 100


class ReadOnly(ServiceError):
    """Raised by :meth:`AppContext.apply` in read-only (viewer) mode."""


@dataclass(frozen=True)
class Identity:
    """Who is using the app: a person from the plan, or the PMO (``person_id`` None)."""

    name: str
    person_id: str | None = None
    role: str = ""

    @property
    def is_pmo(self) -> bool:
        return self.person_id is None


@dataclass(frozen=True)
class _Step:
    txn: str
    summary: str


class AppContext(QObject):
    """The app's shared state; signals fire on the main thread after each committed write."""

    changed = Signal(object)  # Changes: what a committed write (or undo/redo) touched
    period_changed = Signal(object)  # str | None: the id of the period the pages show
    undo_state_changed = Signal()
    navigate_requested = Signal(str, object)  # page key, filters (dict) for that page
    message = Signal(str)  # a short line for the status bar

    def __init__(
        self,
        store: Store,
        identity: Identity,
        *,
        read_only: bool = False,
        palette: Palette | None = None,
        runner: TaskRunner | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.identity = identity
        self.read_only = read_only or store.readonly
        self.palette = palette or make_palette()
        self.runner = runner or TaskRunner(self)
        self._period_id: str | None = None
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []

    # ------------------------------------------------------------------------------------------ reading

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.store.read() as session:
            yield session

    @property
    def actor(self) -> Actor:
        return Actor(self.identity.name, "app", self.identity.role)

    @property
    def period_id(self) -> str | None:
        return self._period_id

    def set_period(self, period_id: str | None) -> None:
        if period_id != self._period_id:
            self._period_id = period_id
            self.period_changed.emit(period_id)

    # ------------------------------------------------------------------------------------------ writing

    def apply(self, service: Callable[..., Changes], /, **kwargs: Any) -> Changes:
        """Run ``service(session, actor=..., **kwargs)`` in one transaction; broadcast and make it undoable.

        Raises the service's :class:`ServiceError` (validation problems, conflicts) with nothing
        written, for the caller to show beside its fields.
        """
        if self.read_only:
            raise ReadOnly("This plan is open read-only: nothing can be changed.")
        with self.store.write() as session:
            changes = service(session, actor=self.actor, **kwargs)
        self._committed(changes)
        return changes

    def apply_task(self, service: Callable[..., Changes], /, *, label: str = "", **kwargs: Any) -> Task:
        """Like :meth:`apply` for long writes: run on the runner's serial write lane, not yet started.

        The service is also given ``progress`` (``Progress.report``: raise to cancel, which rolls
        the transaction back). When it succeeds the undo step and the broadcast happen on the main
        thread before the task's other ``succeeded`` slots run. Connect to the task, then ``start()`` it.
        """
        if self.read_only:
            raise ReadOnly("This plan is open read-only: nothing can be changed.")
        store, actor = self.store, self.actor

        def work(progress: Progress) -> Changes:
            with store.write() as session:
                return service(session, actor=actor, progress=progress.report, **kwargs)

        task = self.runner.task(work, label=label, write=True)
        task.succeeded.connect(self._committed)
        return task

    def _committed(self, changes: Changes) -> None:
        if changes.txn:
            self._undo.append(_Step(changes.txn, changes.summary))
            del self._undo[:-UNDO_LIMIT]
            self._redo.clear()
            self.undo_state_changed.emit()
        self._broadcast(changes)

    def can_undo(self) -> bool:
        return bool(self._undo) and not self.read_only

    def can_redo(self) -> bool:
        return bool(self._redo) and not self.read_only

    def undo_text(self) -> str:
        return self._undo[-1].summary if self._undo else ""

    def redo_text(self) -> str:
        return self._redo[-1].summary if self._redo else ""

    def undo(self) -> Changes:
        return self._replay(self._undo, self._redo)

    def redo(self) -> Changes:
        return self._replay(self._redo, self._undo)

    def _replay(self, take: list[_Step], give: list[_Step]) -> Changes:
        if not take or self.read_only:
            return Changes()
        step = take[-1]
        with self.store.write() as session:
            changes = revert_transaction(session, actor=self.actor, txn=step.txn)
        take.pop()  # only once the revert committed: a refused undo stays on the stack
        if changes.txn:
            give.append(_Step(changes.txn, step.summary))
        self.undo_state_changed.emit()
        self._broadcast(changes)
        return changes

    def _broadcast(self, changes: Changes) -> None:
        if changes.summary:
            self.message.emit(changes.summary)
        self.changed.emit(changes)

    # ------------------------------------------------------------------------------------------ moving

    def navigate(self, page: str, **filters: Any) -> None:
        """Ask the window to show ``page`` with these filters (e.g. a chart click opening a register)."""
        self.navigate_requested.emit(page, filters)
