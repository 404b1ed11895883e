"""Working offline in the app: File > Work offline takes a replica of the team plan, and on a replica a
Sync button says how many changes wait, sends them, and fetches what changed on the team plan.

The sync itself is the core's (:func:`tracker.sync.run.sync_store`). It writes the replica, so it
runs on the write lane like every other write; what it changed is broadcast to every page as a
change of every kind (it may touch anything), and is not on the undo stack.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QLineEdit, QToolButton, QWidget

from tracker.models import Kind
from tracker.queries.conflicts import waiting_count
from tracker.services import Changes
from tracker.store import default_db_path
from tracker.sync.replica import Replica, SyncError, create_replica, read_replica
from tracker.sync.run import SyncReport, sync_store
from tracker.team.connect import ConnectError, TeamServer, check_connection
from tracker.wording import plural
from ui.context import AppContext
from ui.tasks import Progress, Task, TaskProgressDialog
from ui.widgets.dialogs import tell

log = logging.getLogger(__name__)


def default_replica_path(server: TeamServer, folder: Path | None = None) -> Path:
    """A new file in the user's data folder named after the team plan and the login."""
    folder = folder or default_db_path().parent
    stem = f"{server.database} {server.login} offline"
    path, n = folder / f"{stem}.db", 1
    while path.exists():
        n += 1
        path = folder / f"{stem} {n}.db"
    return path


def take_offline(
    ctx: AppContext, parent: QWidget, out: Path | None = None, *, then: Any = None
) -> Task | None:
    """File > Work offline…: copy the team plan as this login reads it into a new file, off the UI
    thread; ``then(path)`` opens it. None when the person cancelled the file dialog."""
    url = ctx.store.engine.url.render_as_string(hide_password=False)  # the password typed, if any
    server = TeamServer.from_url(url)
    if out is None:
        suggested = default_replica_path(server)
        suggested.parent.mkdir(parents=True, exist_ok=True)
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Save the offline copy as", str(suggested), "Plan files (*.db)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # an existing file is refused, never replaced
        )  # fmt: skip
        if not chosen:
            return None
        out = Path(chosen if chosen.lower().endswith(".db") else chosen + ".db")
    target = out

    def work(progress: Progress) -> Replica:
        return create_replica(url, target, lambda done, total: progress.report(done, total, "Copying…"))

    task = ctx.runner.task(work, label=f"Taking {server.where} offline")
    task.succeeded.connect(lambda _r: then(target) if then is not None else None)
    task.failed.connect(
        lambda exc: tell(parent, "Not taken offline", f"{exc}\n\nThe team plan is unchanged.")
    )
    TaskProgressDialog(task, parent, title="Work offline")
    return task.start()


RETRY_MS = 60_000  # how often waiting changes look for the team plan: a network back is a sync soon after


class SyncControl(QObject):
    """The replica's Sync button and the banner saying where it came from; runs each sync, and, while
    changes wait, looks for the team plan every minute and syncs quietly once it answers (a reconnect)."""

    synced = Signal(object, bool)  # SyncReport, after its changes were broadcast; whether asked quietly
    sync_failed = Signal(str)  # why nothing was synced, in one line

    def __init__(self, ctx: AppContext, replica: Replica, parent: QWidget):
        super().__init__(parent)
        self.ctx = ctx
        self.replica = replica
        self.server = TeamServer.from_url(replica.server)
        self.window = parent
        self.waiting = 0
        self.running: Task | None = None
        self.last_problem = ""
        self._password = ""  # typed once when the server asks; kept for this window only, never saved
        self.button = QToolButton(parent)
        self.button.setObjectName("SyncButton")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.clicked.connect(self._on_button_clicked)
        self.banner = QLabel(parent)
        self.banner.setObjectName("OfflineBanner")
        self.banner.setWordWrap(True)
        ctx.changed.connect(self._on_ctx_changed)
        self.retry = QTimer(self)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self._on_retry)
        self.retry.start()
        self.probing: Task | None = None
        self.refresh()

    # ------------------------------------------------------------------------------------------ showing

    def refresh(self) -> int:
        """Read the waiting count and the cursor again, and say them."""
        with self.ctx.read() as session:
            self.waiting = waiting_count(session)
            self.replica = read_replica(session) or self.replica
        busy = self.running is not None
        words = "Syncing…" if busy else f"Sync: {plural(self.waiting, 'change')} waiting"
        self.button.setText(words)
        self.button.setEnabled(not busy and not self.ctx.store.readonly)
        tip = "Send your changes to the team plan and fetch what changed there"
        self.button.setToolTip(tip + (f"\nLast try: {self.last_problem}" if self.last_problem else ""))
        self.button.setAccessibleName(f"{words}. {tip}")
        text = (f"Offline copy of {self.server.where} as {self.replica.login} — last synced at log entry "
                f"{self.replica.cursor}")  # fmt: skip
        self.banner.setText(text)
        self.banner.setAccessibleName(text)
        return self.waiting

    def _on_ctx_changed(self, _changes: Changes, _initiator: object) -> None:
        self.refresh()

    def _on_button_clicked(self) -> None:
        self.sync()

    def _on_retry(self) -> Task | None:
        """Changes waiting and no sync under way: look for the team plan, and sync if it answers."""
        if (
            not self.waiting
            or self.running is not None
            or self.probing is not None
            or self.ctx.store.readonly
        ):
            return None
        return self.sync_if_reachable()

    # ------------------------------------------------------------------------------------------ syncing

    def sync(self, *, quiet: bool = False) -> Task | None:
        """Send and fetch on the write lane. ``quiet`` (on opening): say nothing when it fails."""
        if self.running is not None or self.ctx.store.readonly:
            return None
        store, password = self.ctx.store, self._password

        def work(_progress: Progress) -> SyncReport:
            return sync_store(store, password)

        task = self.ctx.runner.task(work, label=f"Syncing with {self.server.where}", write=True)
        task.succeeded.connect(lambda report: self._on_task_succeeded(report, quiet))
        task.failed.connect(lambda exc: self._on_task_failed(exc, quiet))
        task.finished.connect(self._on_task_finished)
        self.running = task
        self.refresh()
        return task.start()

    def sync_if_reachable(self) -> Task:
        """On opening: ask whether the server answers (off the lane, so an unreachable one holds up no
        write), and sync quietly if it does; otherwise the count just stays."""
        server, password = self.server, self._password

        def probe(_progress: Progress) -> bool:
            try:
                check_connection(server, password)
            except ConnectError:
                return False
            return True

        task = self.ctx.runner.task(probe, label=f"Looking for {server.where}")
        task.succeeded.connect(lambda answered: self.sync(quiet=True) if answered else None)
        task.finished.connect(self._on_probe_finished)
        self.probing = task
        return task.start()

    def _on_probe_finished(self) -> None:
        self.probing = None

    def _on_task_succeeded(self, report: SyncReport, quiet: bool) -> None:
        self.last_problem = ""
        self.running = None
        # a sync may touch any kind of item: every page reads again, and the status bar says what it did
        self.ctx.broadcast(Changes(kinds=frozenset(Kind), summary=report.words), self)
        self.synced.emit(report, quiet)

    def _on_task_failed(self, error: BaseException, quiet: bool) -> None:
        self.running = None
        said = str(error)
        if not isinstance(error, SyncError):
            log.error("sync failed", exc_info=error)
            said = f"Nothing was synced: {type(error).__name__}: {error}. Your waiting changes are kept."
        self.last_problem = said
        if quiet:
            return
        if isinstance(error, SyncError) and "password" in said.casefold():
            typed = self.ask_password(said)
            if typed:
                self._password = typed
                self.sync()
                return
        self.sync_failed.emit(said)

    def _on_task_finished(self) -> None:
        self.refresh()

    def ask_password(self, why: str) -> str:
        """The login's password, asked only when the server wants one (libpq found none in ~/.pgpass)."""
        typed, ok = QInputDialog.getText(
            self.window, "Password for the team plan", f"{why}\n\nPassword for {self.replica.login}:",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        return typed if ok else ""
