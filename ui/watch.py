"""Changes made elsewhere appear without a restart: another window or the command line on the same
file, a colleague on the same server.

Every committed change moves the audit head, so the watcher reads one number on a timer and, when it
has moved, the audit entries after it. Entries from this window's own writes (their transactions are
broadcast by :class:`AppContext` already) are skipped; the rest are broadcast like any write, so
every page that shows those kinds of item reloads, and the status bar says who changed what.

Ticks are skipped while this window is writing, so its own commit is never mistaken for someone
else's before its broadcast arrives. Reading a number every second or two costs well under a
millisecond on SQLite and one round trip on PostgreSQL, where a LISTEN on the audit's channel
(ui.listen) wakes it as soon as a colleague commits: the timer is then only the fallback.

On a team plan the same tick is the connection's probe: when the server cannot be reached the
context is told (the window says so and writes are refused); then each tick asks the server on a
thread of its own (an unreachable host can take the connect timeout), and the first answer says it
is back (the engine's pre-ping replaces the dead connections) and reads what changed meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from tracker.models import Kind
from tracker.queries.feed import FeedEntry, audit_head_seq, entries_after
from tracker.services import Changes
from tracker.team.connect import is_connection_lost, names_by_login
from tracker.wording import listing, plural
from ui.context import AppContext

if TYPE_CHECKING:
    from ui.listen import ServerWakeUp

log = logging.getLogger(__name__)
INTERVAL_MS = 1_500
RELISTEN_TICKS = 20  # a listener lost while the server stayed is asked for again every 20 ticks (30 s)
_OWN_KEPT = 1_000  # the own transactions remembered (far more than a tick can ever see)
FEED_LIMIT = 20_000  # the entries one look reads; past that, every page reloads


class ChangeWatcher(QObject):
    _probed = Signal(bool)  # from the reconnection probe's thread: whether the server answered

    def __init__(self, ctx: AppContext, *, interval_ms: int = INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent or ctx)
        self.ctx = ctx
        self._own: dict[str, None] = {}  # insertion-ordered set of this window's transactions
        self.seen = self._head()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        ctx.changed.connect(self._on_ctx_changed)
        engine = ctx.store.engine
        self.wakeup: ServerWakeUp | None = None
        if engine.dialect.name == "postgresql":  # the driver is loaded only for a server's window
            from ui.listen import ServerWakeUp

            self.wakeup = ServerWakeUp(engine.url, self)
        if self.wakeup is not None:
            self.wakeup.woken.connect(self.check)
        self._ticks = 0
        self._probing = False
        self._probed.connect(self._on_probed)

    def start(self) -> None:
        self.timer.start()
        if self.wakeup is not None:
            self.wakeup.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.wakeup is not None:
            self.wakeup.stop()

    def _tick(self) -> None:
        if self.ctx.connected or self.ctx.store.path is not None:
            self.check()
        else:
            self._probe()
        self._ticks += 1
        listener = self.wakeup
        if (
            listener is not None
            and self.ctx.connected
            and not listener.listening
            and self._ticks % RELISTEN_TICKS == 0
        ):
            listener.start()  # lost with the connection, or refused: asked again now and then

    def _head(self) -> int:
        with self.ctx.read() as s:
            return audit_head_seq(s)

    def _probe(self) -> None:
        """Ask the lost server off the UI thread (an unreachable host can take the connect timeout)."""
        if self._probing:
            return
        self._probing = True

        def probe() -> None:
            try:
                self._head()
            except Exception:  # still away: the next tick asks again
                self._probed.emit(False)
            else:
                self._probed.emit(True)

        threading.Thread(target=probe, name="tracker-reconnect", daemon=True).start()

    def _on_probed(self, answered: bool) -> None:
        self._probing = False
        if answered and self.timer.isActive():
            self.check()  # reads what changed meanwhile, and says the server is back

    def _on_ctx_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is not self and changes.txn:
            self._own[changes.txn] = None
            while len(self._own) > _OWN_KEPT:
                del self._own[next(iter(self._own))]

    def check(self) -> Changes | None:
        """Look once; broadcast what others changed since the last look (None when nothing)."""
        if any(task.write for task in self.ctx.runner.active):
            return None  # this window is writing: its broadcast comes first
        try:
            head = self._head()
            if head > self.seen:
                with self.ctx.read() as s:
                    entries = entries_after(s, self.seen, limit=FEED_LIMIT)
                    names = names_by_login(s)  # a team plan's leads by name, not login
        except Exception as exc:  # a store gone away for a moment: the next tick tries again
            if self.ctx.store.path is None and is_connection_lost(exc):
                if self.ctx.connected:
                    log.warning("lost the connection to the server: %s", exc)
                self.ctx.set_connected(False)  # the tick goes on probing; the pool reconnects
                if self.wakeup is not None:
                    self.wakeup.stop()
            else:
                log.warning("could not look for changes made elsewhere", exc_info=True)
            return None
        if not self.ctx.connected:
            self.ctx.set_connected(True)
            if self.wakeup is not None and self.timer.isActive():
                self.wakeup.start()
        if head <= self.seen:
            return None
        self.seen = max([head, *(e.seq for e in entries)])
        theirs = [e for e in entries if e.txn not in self._own]
        unread = len(entries) >= FEED_LIMIT  # entries up to the head were not read: any kind may have changed
        if not theirs and not unread:
            return None
        if unread:
            changes = Changes(kinds=frozenset(Kind))  # whose they were is unknown: reload quietly
        else:
            who = self.ctx.identity
            changes = _as_changes(theirs, you=who.login or who.name, names=names)
        self.ctx.changed.emit(changes, self)
        if changes.summary:
            self.ctx.message.emit(changes.summary)
        return changes


def _as_changes(entries: list[FeedEntry], *, you: str, names: dict[str, str] | None = None) -> Changes:
    kinds = frozenset(Kind(e.entity) for e in entries if e.entity in Kind._value2member_map_)
    items: Counter[str] = Counter()
    for kind, _ in {(e.entity, e.entity_id) for e in entries if e.entity in Kind._value2member_map_}:
        items[kind] += 1
    who = sorted({(names or {}).get(e.actor, e.actor) for e in entries if e.actor != you})
    ranked = sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))[:3]  # set order must not decide the words
    what = listing(plural(n, Kind(kind).label) for kind, n in ranked)
    last = entries[-1].at
    summary = (
        f"{listing(who)} changed {what} ({last:%H:%M}): shown now" if who and what else ""
    )  # your own changes from elsewhere (the command line) reload quietly
    return Changes(
        txn=None,
        kinds=kinds,
        ids=frozenset(e.entity_id for e in entries),
        summary=summary,
    )
