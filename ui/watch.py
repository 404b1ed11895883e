"""Changes made elsewhere appear without a restart: another window or the command line on the same
file, a colleague on the same server.

Every committed change moves the audit head, so the watcher reads one number on a timer and, when it
has moved, the audit entries after it. Entries from this window's own writes (their transactions are
broadcast by :class:`AppContext` already) are skipped; the rest are broadcast like any write, so
every page that shows those kinds of item reloads, and the status bar says who changed what.

Ticks are skipped while this window is writing, so its own commit is never mistaken for someone
else's before its broadcast arrives. Reading a number every second or two costs well under a
millisecond on SQLite and one round trip on PostgreSQL (where LISTEN/NOTIFY can wake it sooner).
"""

from __future__ import annotations

import logging
from collections import Counter

from PySide6.QtCore import QObject, QTimer

from tracker.models import Kind
from tracker.queries.feed import FeedEntry, audit_head_seq, entries_after
from tracker.services import Changes
from tracker.wording import listing, plural
from ui.context import AppContext

log = logging.getLogger(__name__)
INTERVAL_MS = 1_500
_OWN_KEPT = 1_000  # the own transactions remembered (far more than a tick can ever see)
FEED_LIMIT = 20_000  # the entries one look reads; past that, every page reloads


class ChangeWatcher(QObject):
    def __init__(self, ctx: AppContext, *, interval_ms: int = INTERVAL_MS, parent: QObject | None = None):
        super().__init__(parent or ctx)
        self.ctx = ctx
        self._own: dict[str, None] = {}  # insertion-ordered set of this window's transactions
        self.seen = self._head()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        ctx.changed.connect(self._on_ctx_changed)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _head(self) -> int:
        with self.ctx.read() as s:
            return audit_head_seq(s)

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
            if head <= self.seen:
                return None
            with self.ctx.read() as s:
                entries = entries_after(s, self.seen, limit=FEED_LIMIT)
        except Exception:  # a store gone away for a moment: the next tick tries again
            log.warning("could not look for changes made elsewhere", exc_info=True)
            return None
        self.seen = max([head, *(e.seq for e in entries)])
        theirs = [e for e in entries if e.txn not in self._own]
        unread = len(entries) >= FEED_LIMIT  # entries up to the head were not read: any kind may have changed
        if not theirs and not unread:
            return None
        if unread:
            changes = Changes(kinds=frozenset(Kind))  # whose they were is unknown: reload quietly
        else:
            changes = _as_changes(theirs, you=self.ctx.identity.name)
        self.ctx.changed.emit(changes, self)
        if changes.summary:
            self.ctx.message.emit(changes.summary)
        return changes


def _as_changes(entries: list[FeedEntry], *, you: str) -> Changes:
    kinds = frozenset(Kind(e.entity) for e in entries if e.entity in Kind._value2member_map_)
    items: Counter[str] = Counter()
    for kind, _ in {(e.entity, e.entity_id) for e in entries if e.entity in Kind._value2member_map_}:
        items[kind] += 1
    who = sorted({e.actor for e in entries if e.actor != you})
    what = listing(plural(n, Kind(kind).label) for kind, n in items.most_common(3))
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
