"""A wake-up for the change watcher on PostgreSQL: LISTEN on the audit's channel, so a colleague's
save shows at once rather than at the next look.

The writer of every audit entry sends ``NOTIFY tracker_audit`` (tracker.audit), delivered when its
transaction commits. One connection of the window's own listens; a socket notifier on the main
thread drains it, so nothing blocks. A notification only wakes the watcher, which reads from its
cursor as on every tick: a lost notification costs at most one interval, never a change.
"""

from __future__ import annotations

import contextlib
import logging

import psycopg
from PySide6.QtCore import QObject, QSocketNotifier, Signal
from sqlalchemy.engine import URL

from tracker.audit import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class ServerWakeUp(QObject):
    woken = Signal()  # something was committed on the server (by anyone, this window too)

    def __init__(self, url: URL, parent: QObject | None = None):
        super().__init__(parent)
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: psycopg.Connection | None = None
        self._notifier: QSocketNotifier | None = None

    @property
    def listening(self) -> bool:
        return self._conn is not None

    def start(self) -> bool:
        """Listen (True), or leave the watcher to its timer (False) when the server cannot be asked."""
        if self._conn is not None:
            return True
        try:
            conn = psycopg.connect(self._conninfo, autocommit=True)
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            log.info("not listening for changes (looking on a timer instead): %s", exc)
            return False
        self._conn = conn
        self._notifier = QSocketNotifier(conn.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        return True

    def stop(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            with contextlib.suppress(psycopg.Error):
                conn.close()

    def _drain(self) -> None:
        if self._conn is None:
            return
        pg = self._conn.pgconn
        try:
            pg.consume_input()
        except psycopg.Error:  # the server went away: the watcher's tick notices and restarts this
            self.stop()
            return
        if pg.status != psycopg.pq.ConnStatus.OK:
            self.stop()
            return
        got = 0
        while pg.notifies() is not None:
            got += 1
        if got:
            self.woken.emit()
