"""What every page shares: the open store, who you are, the current period, and the one way to write.

Pages take an :class:`AppContext` and nothing else. They read through :meth:`AppContext.read`
(plain rows from :mod:`tracker.queries`), write only through :meth:`AppContext.write` (a service
call in one transaction, run on the write lane off the UI thread), and reload when
:attr:`AppContext.changed` says their kinds of item moved. Each accepted write goes on the undo
stack; undo and redo replay through :func:`tracker.services.revert_transaction` on the same lane,
so they are audited like any other change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.services import Changes, ServiceError, revert_transaction
from tracker.store import Store
from tracker.team.connect import is_connection_lost
from ui.palette import Palette, make_palette
from ui.tasks import Progress, Task, TaskProgressDialog, TaskRunner

if TYPE_CHECKING:
    from ui.settings import AppSettings

UNDO_LIMIT = 100
log = logging.getLogger(__name__)


class ReadOnly(ServiceError):
    """Raised by :meth:`AppContext.write` in read-only (viewer) mode."""


class Disconnected(ServiceError):
    """A write refused because the team plan's server cannot be reached just now."""


@dataclass(frozen=True)
class Identity:
    """Who is using the app: a person from the plan, or the PMO (``person_id`` None)."""

    name: str
    person_id: str | None = None
    role: str = ""  # what they are called: "PMO", "viewer", or a person's role title
    granted: str = ""  # on a team plan: the Role the server gives the login (it, not the picker, decides)
    server: str = ""  # on a team plan: HOST/DATABASE
    login: str = ""  # on a team plan: the login, which the audit names as the actor

    @property
    def access(self) -> Role:
        """What they may change: on a team plan what the server grants; else a person from the plan is
        a lead, the viewer nothing, anyone else the PMO."""
        if self.granted:
            return Role(self.granted)
        if self.person_id is not None:
            return Role.LEAD
        return Role.VIEWER if self.role == "viewer" else Role.PMO


@dataclass(frozen=True)
class _Step:
    txn: str
    summary: str


class AppContext(QObject):
    """The app's shared state; signals fire on the main thread after each committed write."""

    changed = Signal(object, object)  # Changes a committed write (or undo/redo) made; the view that asked
    failed = Signal(str, object)  # what was being done, the unexpected error (not a refusal) that stopped it
    period_changed = Signal(object)  # str | None: the id of the period the pages show
    identity_changed = Signal(object)  # Identity: who is using the app now
    undo_state_changed = Signal()
    navigate_requested = Signal(str, object)  # page key, filters (dict) for that page
    message = Signal(str)  # a short line for the status bar
    connection_changed = Signal(bool)  # a team plan's server was lost (False) or is back (True)

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
        self._identity = identity
        self.read_only = read_only or store.readonly
        self.palette = palette or make_palette()
        self.runner = runner or TaskRunner(self)
        self.settings: AppSettings | None = None  # the window's, for remembered folders (None in tests)
        self._period_id: str | None = None
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._replaying = False
        self.connected = True  # False while a team plan's server cannot be reached

    # ------------------------------------------------------------------------------------------ reading

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.store.read() as session:
            yield session

    @property
    def identity(self) -> Identity:
        return self._identity

    @identity.setter
    def identity(self, identity: Identity) -> None:
        if identity != self._identity:
            self._identity = identity
            self.identity_changed.emit(identity)

    @property
    def actor(self) -> Actor:
        who = self.identity
        # the person only on a team plan, where the server checks it too; the local picker's choice of a
        # person is a name on the change, not a limit on it (tracker.services.permissions)
        return Actor(who.name, Source.APP, who.role, who.access, who.person_id if who.granted else None)

    @property
    def is_pmo(self) -> bool:
        """Whether the plan's structure, people and settings may be changed here (the PMO, not read-only)."""
        return not self.read_only and self.identity.access == Role.PMO

    def set_connected(self, connected: bool) -> None:
        """The server was lost or is back (the change watcher's probe, or a write that failed)."""
        if connected != self.connected:
            self.connected = connected
            self.connection_changed.emit(connected)

    def disconnected_message(self) -> str:
        where = self.identity.server or self.store.display_name
        return (
            f"Not saved: the server {where} cannot be reached just now (the app keeps trying); "
            "try again once the status bar no longer says disconnected."
        )

    @property
    def period_id(self) -> str | None:
        return self._period_id

    def set_period(self, period_id: str | None) -> None:
        if period_id != self._period_id:
            self._period_id = period_id
            self.period_changed.emit(period_id)

    # ------------------------------------------------------------------------------------------ writing

    def write(self, service: Callable[..., Changes], /, **kwargs: Any) -> WriteOp:
        """A write to run: ``service(session, actor=..., **kwargs)`` in one transaction, off the UI thread.

        Give it handlers, then ``run()`` it (as Anki's CollectionOp)::

            ctx.write(update_milestone, milestone_id=..., changes=...).success(self._on_saved) \
               .failure(self._on_refused).run(initiator=self)

        Raises :class:`ReadOnly` at once in read-only (viewer) mode.
        """
        if self.read_only:
            raise ReadOnly("This plan is open read-only: nothing can be changed.")
        return WriteOp(self, service, kwargs)

    def _committed(self, changes: Changes, initiator: object | None) -> None:
        if changes.txn:
            self._undo.append(_Step(changes.txn, changes.summary))
            del self._undo[:-UNDO_LIMIT]
            self._redo.clear()
            self.undo_state_changed.emit()
        self._broadcast(changes, initiator)

    def can_undo(self) -> bool:
        return bool(self._undo) and not self.read_only and not self._replaying

    def can_redo(self) -> bool:
        return bool(self._redo) and not self.read_only and not self._replaying

    def undo_text(self) -> str:
        return self._undo[-1].summary if self._undo else ""

    def redo_text(self) -> str:
        return self._redo[-1].summary if self._redo else ""

    def undo(self, refused: Callable[[Exception], None] | None = None) -> Task | None:
        """Revert the last change, on the write lane; None when there is nothing to undo.

        ``refused`` hears why an undo cannot be done (a later change in the way, a closed period).
        """
        return self._replay(self._undo, self._redo, refused)

    def redo(self, refused: Callable[[Exception], None] | None = None) -> Task | None:
        return self._replay(self._redo, self._undo, refused)

    def _replay(
        self, take: list[_Step], give: list[_Step], refused: Callable[[Exception], None] | None
    ) -> Task | None:
        if not take or self.read_only or self._replaying:
            return None
        step = take[-1]
        self._replaying = True  # one replay at a time: the stacks move only when it commits
        self.undo_state_changed.emit()

        def moved(changes: Changes) -> None:
            # only once the revert committed (a refused undo stays on the stack), and this step even if
            # a write queued before the undo has committed on top of it meanwhile
            if step in take:
                take.remove(step)
            if changes.txn:
                give.append(_Step(changes.txn, step.summary))

        def settled() -> None:
            self._replaying = False
            self.undo_state_changed.emit()

        redo = take is self._redo

        def replay(session: Any, *, actor: Actor, txn: str) -> Changes:
            changes = revert_transaction(session, actor=actor, txn=txn)
            return replace(changes, summary=f"Redid: {step.summary}") if redo else changes

        op = WriteOp(self, replay, {"txn": step.txn}, stack=False).success(moved).finally_(settled)
        return (op.failure(refused) if refused is not None else op).run()

    def broadcast(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every page of a change written outside a service (a sync's): it is not on the undo stack."""
        self._broadcast(changes, initiator)

    def _broadcast(self, changes: Changes, initiator: object | None = None) -> None:
        if changes.summary:
            self.message.emit(changes.summary)
        self.changed.emit(changes, initiator)

    # ------------------------------------------------------------------------------------------ moving

    def navigate(self, page: str, **filters: Any) -> None:
        """Ask the window to show ``page`` with these filters (e.g. a chart click opening a register)."""
        self.navigate_requested.emit(page, filters)


class WriteOp:
    """One service call for the write lane: built by :meth:`AppContext.write`, given handlers, then run.

    The service runs in one transaction on the runner's serial write lane, so the window stays
    responsive while SQLite waits on another process's lock or a long write works. On the main
    thread afterwards: a committed change goes on the undo stack and is broadcast (with the view
    that asked, so it can skip work it has done itself), then the success handler runs. A refusal
    (a :class:`ServiceError`: validation, conflict, closed period) goes to the failure handler, or
    to the status bar when there is none; any other error is logged with its traceback and goes to
    the failure handler, or to :attr:`AppContext.failed` when there is none. Nothing is written in
    either case.
    """

    def __init__(
        self, ctx: AppContext, service: Callable[..., Changes], kwargs: dict[str, Any], *, stack: bool = True
    ):
        self._ctx = ctx
        self._service = service
        self._kwargs = kwargs
        self._stack = stack  # False for undo and redo, which move the stacks themselves
        self._on_success: Callable[[Changes], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._on_finally: Callable[[], None] | None = None
        self._label = ""
        self._progress_parent: QWidget | None = None
        self._with_progress = False

    def success(self, handler: Callable[[Changes], None]) -> WriteOp:
        self._on_success = handler
        return self

    def failure(self, handler: Callable[[Exception], None]) -> WriteOp:
        """Hears why nothing was written: a refusal (:class:`ServiceError`) or any other error."""
        self._on_failure = handler
        return self

    def cancelled(self, handler: Callable[[], None]) -> WriteOp:
        """Hears that a write with progress was cancelled (rolled back)."""
        self._on_cancel = handler
        return self

    def finally_(self, handler: Callable[[], None]) -> WriteOp:
        """Called last, whatever happened (committed, refused, failed or cancelled)."""
        self._on_finally = handler
        return self

    def with_progress(self, label: str, parent: QWidget | None = None) -> WriteOp:
        """A long write: the service is given ``progress`` (raising stops it, rolling back) and a
        progress dialog with Cancel shows while it runs."""
        self._label, self._progress_parent, self._with_progress = label, parent, True
        return self

    def run(self, *, initiator: object | None = None) -> Task:
        """Start the write; ``initiator`` is the view that asked, passed along with the broadcast."""
        ctx, service, kwargs = self._ctx, self._service, dict(self._kwargs)
        store, actor, with_progress = ctx.store, ctx.actor, self._with_progress
        on_server, lost = store.path is None, ctx.disconnected_message()
        refuse = on_server and not ctx.connected  # the watcher's probe says when the server is back

        def work(progress: Progress) -> Changes:
            if refuse:
                raise Disconnected(lost)
            if with_progress:
                kwargs["progress"] = progress.report
            try:
                with store.write() as session:
                    return service(session, actor=actor, **kwargs)
            except DBAPIError as exc:
                if on_server and is_connection_lost(exc):
                    raise Disconnected(lost) from exc
                raise

        label = self._label or _describe(service)
        task = ctx.runner.task(work, label=label, write=True)

        def succeeded(changes: Changes) -> None:
            if self._stack:
                ctx._committed(changes, initiator)
            else:
                ctx._broadcast(changes, initiator)
            if self._on_success is not None:
                self._on_success(changes)

        def failed(error: Exception) -> None:
            if isinstance(error, Disconnected):
                ctx.set_connected(False)
            if not isinstance(error, ServiceError):  # not a refusal: a fault to find in the log later
                log.error("%s failed", label, exc_info=error)
            if self._on_failure is not None:
                self._on_failure(error)
            elif isinstance(error, ServiceError):
                ctx.message.emit(str(error))
            else:
                ctx.failed.emit(label, error)

        task.succeeded.connect(succeeded)
        task.failed.connect(failed)
        if self._on_cancel is not None:
            task.cancelled.connect(self._on_cancel)
        if self._on_finally is not None:
            task.finished.connect(self._on_finally)
        if with_progress:
            task.progress_dialog = TaskProgressDialog(task, self._progress_parent, title=label)  # type: ignore[attr-defined]  # kept alive with the task
        return task.start()


def _describe(service: Callable[..., Changes]) -> str:
    """'update milestone' for update_milestone: what a write was, for a log line or a message."""
    return getattr(service, "__name__", "a change").replace("_", " ")
