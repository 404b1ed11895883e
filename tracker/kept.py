"""Results kept per store until anything in it changes: the dashboard at scale in a few milliseconds.

Every write goes through the unit of work, which moves the audit log's head (its sequence number
and hash, one row) in the same transaction. A result computed in a read that saw head H is kept
under H; a later read gets it back only if it sees the same head, so any committed change (here,
or by another client of a team server) invalidates everything kept, and a change rolled back never
matches (its hash covers its transaction's id). Reading the head is one primary-key lookup in the
read's own transaction, so the result and the head it is kept under come from one snapshot.

Kept in this process only, a few results per store (the latest keys asked for): nothing is written,
so read-only stores and viewers keep results too. ``verify_kept`` recomputes every result kept
under the current head and names those that differ: ``check`` runs it (a command-line ``check``
starts with nothing kept, so it is the app's, or a test's, process where it finds something to
compare), and the property test in ``tests/test_kept.py`` changes random items through the
services and compares after each change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from tracker.models import AuditHead

T = TypeVar("T")
KEEP = (
    3  # results per store: the dashboard's current choices and the last two others (tens of MB each at scale)
)


class _Shelf:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.head: tuple[Any, ...] | None = None
        self.entries: OrderedDict[Hashable, tuple[Callable[[Session], Any], Any]] = OrderedDict()


_SHELVES: WeakKeyDictionary[Engine, _Shelf] = WeakKeyDictionary()
_SHELVES_LOCK = threading.Lock()


def _shelf(session: Session) -> _Shelf:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _SHELVES_LOCK:
        shelf = _SHELVES.get(engine)
        if shelf is None:
            shelf = _SHELVES[engine] = _Shelf()
        return shelf


def audit_head(session: Session) -> tuple[Any, ...]:
    """The audit log's head as this transaction sees it: moves with every committed change."""
    row = session.execute(
        select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)
    ).first()
    return tuple(row) if row is not None else ()


def kept(session: Session, key: Hashable, compute: Callable[[Session], T]) -> T:
    """``compute(session)``'s result, kept under the audit head this session sees; computed again once it moves.

    ``key`` must say everything the result depends on besides the store's contents (its arguments,
    the date it is judged as of).
    """
    try:
        hash(key)
    except TypeError:  # a key that cannot be kept (an unhashable filter): computed every time
        return compute(session)
    head = audit_head(session)
    shelf = _shelf(session)
    with shelf.lock:
        if shelf.head != head:
            shelf.entries.clear()
            shelf.head = head
        hit = shelf.entries.get(key)
        if hit is not None:
            shelf.entries.move_to_end(key)
            return hit[1]  # type: ignore[no-any-return]  # the value compute returned for this key
    value = compute(session)
    with shelf.lock:
        if shelf.head == head:  # else a newer read moved on meanwhile: this one is not kept
            shelf.entries[key] = (compute, value)
            while len(shelf.entries) > KEEP:
                shelf.entries.popitem(last=False)
    return value


def forget(session: Session) -> None:
    """Drop what is kept for this session's store (a test, or a store changed outside the services)."""
    shelf = _shelf(session)
    with shelf.lock:
        shelf.entries.clear()
        shelf.head = None


def verify_kept(session: Session) -> tuple[int, list[str]]:
    """Recompute every result kept under the head this session sees: how many, and the keys of those that differ."""
    head = audit_head(session)
    shelf = _shelf(session)
    with shelf.lock:
        entries = list(shelf.entries.items()) if shelf.head == head else []
    return len(entries), [repr(key) for key, (compute, value) in entries if compute(session) != value]
