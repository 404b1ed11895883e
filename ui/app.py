"""The desktop app: open a plan off the UI thread, ask who you are, show the main window.

``python main.py [--db PATH_OR_URL] [--read-only] [--as NAME]``. With no database at the default
location the EMSOU plan with sample progress is created there. A plan that cannot be opened gets a
dialog saying what happened and what to do; the app then exits non-zero with no window left open.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QEventLoop, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

import tracker
from tracker.autobackup import on_open
from tracker.enums import Role
from tracker.migrate import SCHEMA_HEAD
from tracker.places import log_to_file
from tracker.team.connect import TeamServer
from ui.appearance import Appearance
from ui.context import AppContext, Identity
from ui.identity import IdentityDialog, identity_from_name
from ui.main_window import MainWindow
from ui.opening import Opened, OpenFailure, create_blank_plan, describe_failure, open_plan
from ui.settings import AppSettings, Remembered
from ui.start import (  # noqa: F401  (the start-up's own names, kept importable from here)
    APPLICATION,
    EXIT_OPEN_FAILED,
    ORGANISATION,
    StartFrame,
    application,
    main,
    missing_x11_library,
    parse_args,
    place_window,
)
from ui.tasks import Cancelled, Progress, TaskProgressDialog, TaskRunner

APP_LOG = "app.log"  # in tracker.places.log_folder()
log = logging.getLogger(__name__)
ROLE_WORDS = {Role.PMO: "PMO", Role.LEAD: "lead", Role.VIEWER: "viewer"}  # "You are: NAME (lead)"


def run_with_progress(runner: TaskRunner, fn: Callable[[Progress], Any], label: str,
                      parent: QWidget | None = None) -> tuple[Any, BaseException | None]:  # fmt: skip
    """Run ``fn`` as a task with a progress dialog, waiting in a local event loop: (result, error)."""
    out: dict[str, Any] = {"result": None, "error": None}
    task = runner.task(fn, label=label)
    task.succeeded.connect(lambda r: out.__setitem__("result", r))
    task.failed.connect(lambda e: out.__setitem__("error", e))
    task.cancelled.connect(lambda: out.__setitem__("error", Cancelled()))
    TaskProgressDialog(task, parent, title=label)
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    task.start()
    if not task.done:
        loop.exec()
    return out["result"], out["error"]


def show_failure(failure: OpenFailure, parent: QWidget | None = None) -> bool:
    """The dialog for a plan that would not open; True when the person chose to open it read-only."""
    box = QMessageBox(
        QMessageBox.Icon.Critical, failure.title, failure.text, QMessageBox.StandardButton.Close, parent
    )
    box.setAccessibleName(failure.title)
    read_only = (
        box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        if failure.can_open_read_only
        else None
    )
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    box.exec()
    return read_only is not None and box.clickedButton() is read_only


class Launcher(QObject):
    """Opens plans and owns the window showing the current one (File > Open swaps it)."""

    def __init__(self, settings: AppSettings, appearance: Appearance, *, runner: TaskRunner | None = None,
                 frame: StartFrame | None = None):  # fmt: skip
        super().__init__()
        self.frame = frame  # the start-up frame on screen until the first window takes its place
        self.settings = settings
        self.appearance = appearance
        self.runner = runner or TaskRunner(self)
        self.window: MainWindow | None = None
        self.opened: Opened | None = None
        self.last_failure: OpenFailure | None = None

    def open(self, location: str | None, *, readonly: bool = False, as_name: str | None = None) -> bool:
        """Open a plan and show it; False (with the reason shown) when it could not be opened."""
        parent = self.window or self.frame
        while True:
            opened, error = run_with_progress(
                self.runner,
                lambda p, ro=readonly: open_plan(location, readonly=ro, progress=p),
                "Opening the plan",
                parent,
            )
            if error is None:
                break
            if isinstance(error, Cancelled):
                return False
            self.last_failure = describe_failure(error, location or "the default plan")
            if show_failure(self.last_failure, parent) and not readonly:
                readonly = True
                continue
            return False
        if opened.store.damage:  # it opened read-only: say why, and what to do
            show_failure(OpenFailure("Plan damaged", opened.store.damage), parent)
            readonly = True
        if opened.store.superseded:  # the record of a plan a newer one replaced: the window says so
            readonly = True
        if opened.team is not None:
            self.show_team_plan(opened)
            return True
        if opened.replica is not None:
            self.show_replica(opened, readonly=readonly)
            return True
        chosen = self._who(opened, readonly=readonly, as_name=as_name)
        if chosen is None:
            opened.store.close()
            return False
        self._show(opened, chosen, readonly=readonly)
        self._back_up(opened)
        return True

    def _back_up(self, opened: Opened) -> None:
        """The day's first open takes the daily backup: on the write lane, after the window is on screen.

        Any change the person makes waits on that lane behind it, so the backup still comes before
        the day's first write; a failure only warns, in the status bar.
        """
        store = opened.store
        if store.readonly or store.path is None:
            return
        task = self.runner.task(lambda _p: on_open(store.path, store.schema_report.backup),
                                label="Taking today's backup", write=True)  # fmt: skip
        task.succeeded.connect(self._on_backed_up)
        task.start()

    def _on_backed_up(self, warnings: list[str]) -> None:
        if warnings and self.window is not None:
            self.window.statusBar().showMessage(" ".join(warnings))  # stays until the next message

    def _who(self, opened: Opened, *, readonly: bool, as_name: str | None) -> Remembered | None:
        if as_name:
            chosen = identity_from_name(as_name, opened.people)
        else:
            remembered = self.settings.identity_for(opened.location)
            if remembered is not None and (remembered.identity.person_id is None or any(
                    p.id == remembered.identity.person_id for p in opened.people)):  # fmt: skip
                chosen = remembered
            else:
                dialog = IdentityDialog(
                    opened.people, opened.plan.name, remembered, self.window or self.frame
                )
                if dialog.exec() != IdentityDialog.DialogCode.Accepted or dialog.chosen is None:
                    return None
                chosen = dialog.chosen
            self.settings.remember_identity(opened.location, chosen)
        if readonly and not chosen.read_only:
            chosen = Remembered(chosen.identity, read_only=True)
        return chosen

    def connect(self, last: TeamServer | None = None) -> bool:
        """File > Connect to a team plan…: log in, and show the plan as the server says you are."""
        from ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.runner, last or self.settings.team_server(), self.window)
        if dialog.exec() != ConnectDialog.DialogCode.Accepted or dialog.opened is None:
            return False
        self.show_team_plan(dialog.opened)
        return True

    def show_team_plan(self, opened: Opened) -> MainWindow:
        """A connected team plan: no identity picker, who you are is the server's word."""
        assert opened.team is not None and opened.server is not None
        who = opened.team
        identity = Identity(who.name, who.person_id, ROLE_WORDS[Role(who.role)], granted=who.role,
                            server=opened.server.where, login=who.login)  # fmt: skip
        self.settings.remember_team_server(opened.server)
        return self._show(opened, Remembered(identity), readonly=who.role == Role.VIEWER)

    def show_replica(self, opened: Opened, *, readonly: bool = False) -> MainWindow:
        """An offline copy of a team plan: you are the login it was taken as, with what it may change."""
        assert opened.replica is not None
        r = opened.replica
        name = next((p.name for p in opened.people if p.id == r.person_id), r.login)
        identity = Identity(name, r.person_id, ROLE_WORDS[Role(r.role)], granted=r.role,
                            server=TeamServer.from_url(r.server).where, login=r.login)  # fmt: skip
        return self._show(opened, Remembered(identity), readonly=readonly or r.role == Role.VIEWER)

    def _show(self, opened: Opened, chosen: Remembered, *, readonly: bool) -> MainWindow:
        ctx = AppContext(opened.store, chosen.identity, read_only=readonly or chosen.read_only,
                         palette=self.appearance.palette, runner=self.runner)  # fmt: skip
        window = MainWindow(ctx, location=opened.location, settings=self.settings, appearance=self.appearance)
        window.open_requested.connect(self._on_window_open_requested)
        window.connect_requested.connect(lambda: self.connect())
        window.new_plan_requested.connect(self._on_window_new_plan_requested)
        window.mode_change_requested.connect(self._on_window_mode_change_requested)
        window.restore_requested.connect(self._on_window_restore_requested)
        window.closed.connect(lambda w=window, s=opened.store: self._on_window_closed(w, s))
        old = self.window
        self.window, self.opened = window, opened
        self.settings.add_recent(opened.location)
        if old is not None:
            window.setGeometry(old.geometry())
        elif self.frame is not None:
            window.restoreGeometry(self.frame.saveGeometry())
        else:
            place_window(window, self.settings.window_geometry())
        window.show()
        if old is not None:
            old.close()
        if self.frame is not None:
            self.frame.close()
            self.frame.deleteLater()
            self.frame = None
        if opened.warnings:
            window.statusBar().showMessage(" ".join(opened.warnings))  # stays until the next message
        return window

    def _on_window_open_requested(self, location: str, readonly: bool) -> None:
        if location.startswith("postgresql"):  # a team plan from the recent list: log in again
            self.connect(TeamServer.from_url(location))
            return
        self.open(location, readonly=readonly)

    def _on_window_new_plan_requested(self, location: str, name: str) -> None:
        who = self.window.ctx.identity.name if self.window else "PMO"
        _, error = run_with_progress(
            self.runner, lambda _p: create_blank_plan(location, name, who), "Creating the plan", self.window
        )
        if error is not None:
            show_failure(OpenFailure("Plan not created", f"{error}"), self.window)
            return
        self.open(location)

    def _on_window_mode_change_requested(self, chosen: Remembered) -> None:
        if self.opened is not None:
            self._show(self.opened, chosen, readonly=self.opened.store.readonly)

    def _on_window_restore_requested(self, backup: Path) -> None:
        """Close the plan (its write lock too), restore the backup into it, and open it again."""
        from tracker.autobackup import restore

        opened, window = self.opened, self.window
        if opened is None or window is None or opened.store.path is None:
            return
        window.ctx.runner.wait(30_000)  # a write on the lane finishes first
        path = opened.store.path
        opened.store.close()
        _, error = run_with_progress(
            self.runner,
            lambda p: restore(path, backup, progress=lambda done, total: p.report(done, total, "Restoring…")),
            "Restoring the plan",
            window,
        )
        if error is not None and not isinstance(error, Cancelled):
            show_failure(OpenFailure("Plan not restored", f"{error}"), window)
        if not self.open(opened.location):
            window.close()
            return
        if error is None and self.window is not None:
            self.window.statusBar().showMessage(f"Restored {path.name} from {backup.name}", 15_000)

    def _on_window_closed(self, window: MainWindow, store: Any) -> None:
        if self.window is window:
            self.settings.remember_window_geometry(window.saveGeometry())
        window.deleteLater()
        if self.window is window:
            self.window = None
        current = self.opened.store if self.opened else None
        if store is not current or self.window is None:
            store.close()


LOGGED_AT_INFO = ("ui", "tracker", "alembic.runtime.migration")  # our own notes, and each schema upgrade


def _worth_logging(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name.startswith(LOGGED_AT_INFO)


@contextmanager
def app_log() -> Iterator[Path]:
    """While the app runs, its warnings, errors and uncaught exceptions go to app.log in the log folder
    (Help > About says where): a window program started from a menu has no console to show them."""
    root = logging.getLogger()
    handler = log_to_file(APP_LOG, root)
    handler.addFilter(_worth_logging)
    level, hook = root.level, sys.excepthook
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)

    def uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught error", exc_info=(kind, value, tb))
        hook(kind, value, tb)

    sys.excepthook = uncaught
    log.info("Delivery Plan Tracker %s (schema %s) started", tracker.__version__, SCHEMA_HEAD)
    try:
        yield Path(handler.baseFilename)
    finally:
        sys.excepthook = hook
        root.setLevel(level)
        root.removeHandler(handler)
        handler.close()


__all__ = [
    "Identity",
    "app_log",
    "Launcher",
    "main",
    "missing_x11_library",
    "parse_args",
    "run_with_progress",
    "show_failure",
]
