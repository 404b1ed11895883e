"""How a view follows committed changes: the one place that decides when it reads again.

A view lists the kinds of item it shows in ``reload_on`` (None: it follows every change, as the
dashboard and the audit log do) and calls :meth:`FollowsChanges.follow` once. A change that
touches those kinds makes it read again at once when it is shown or asked for the change itself
(the ``initiator``, which keeps its own form in step); otherwise it notes the change and reads again
when it is next shown, rather than after every write made on another page.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tracker.models import Kind
from tracker.services import Changes
from ui.context import AppContext


class FollowsChanges:
    """Mix into a page before its Qt class (``class Page(FollowsChanges, QWidget)``)."""

    reload_on: ClassVar[frozenset[Kind] | None] = None
    _stale = False  # a change came while hidden: read again when shown

    def follow(self, ctx: AppContext) -> None:
        ctx.changed.connect(self._on_ctx_changed)

    def reload(self) -> None:
        raise NotImplementedError

    def on_change(self, changes: Changes, initiator: object) -> None:
        """Read again after a change this view follows (a view may read less than everything)."""
        self.reload()

    def _on_ctx_changed(self, changes: Changes, initiator: object) -> None:
        if self.reload_on is not None and not changes.touches(*self.reload_on):
            return
        if initiator is not self and not self.isVisible():  # type: ignore[attr-defined]
            self._stale = True
            return
        self.on_change(changes, initiator)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self._stale = False
            self.reload()
