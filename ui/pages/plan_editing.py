"""The PMO's edits to the plan's structure, from the Plan page's tree: a context menu, keyboard keys
and drag to reorder.

Offered only to the PMO (:attr:`AppContext.is_pmo`); the services refuse anyone else too. Each edit
is one service call through :meth:`AppContext.write`, so it is audited and Edit > Undo reverts it.

Keys on the tree: Ins adds an objective where the selection is, F2 edits, Alt+Up and Alt+Down move
the selected item among its siblings, Del retires (or removes what nothing depends on). The context
menu (right click, or the menu key / Shift+F10) offers the same and the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from tracker import queries as q
from tracker.dates import entry_text, parse_day
from tracker.enums import PeriodStatus
from tracker.models import Kind
from tracker.services import Changes, move, reinstate, remove, renumber, retire
from tracker.services.structure import renumbering
from ui.context import AppContext
from ui.plan_item_dialog import PlanItemDialog
from ui.widgets.dialogs import confirm, tell

if TYPE_CHECKING:
    from ui.pages.plan import PlanPage

_KIND = {"theme": Kind.THEME, "outcome": Kind.OUTCOME, "objective": Kind.OBJECTIVE}
_CHILD = {"theme": "outcome", "outcome": "objective"}


class PlanEditing(QObject):
    """The structure actions of one Plan page (built once; shown or hidden as who you are changes)."""

    def __init__(self, page: PlanPage):
        super().__init__(page)
        self.page = page
        self.ctx: AppContext = page.ctx
        self.tree = page.tree
        self.dialog: PlanItemDialog | None = None
        self._menu: QMenu | None = None
        self.confirm: Callable[[QWidget, str, str, str], bool] = confirm
        self.ask_day: Callable[[str, str], date | None] = self._ask_day
        self.tell: Callable[[QWidget, str, str], None] = tell

        self.new_objective = self._action("New &objective here", self.add_objective, "Ins")
        self.new_outcome = self._action("New o&utcome here", self.add_outcome)
        self.new_theme = self._action("New &theme", self.add_theme)
        self.edit = self._action("&Edit…", self.edit_selected, "F2")
        self.move_up = self._action("Move &up", lambda: self.move_selected(-1), "Alt+Up")
        self.move_down = self._action("Move &down", lambda: self.move_selected(+1), "Alt+Down")
        self.renumber = self._action("Re&number in order…", self.renumber_selected)
        self.retire = self._action("&Retire…", self.retire_selected, "Del")
        self.reinstate = self._action("Rein&state", self.reinstate_selected)
        self.remove = self._action("Re&move (added by mistake)…", self.remove_selected)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self.show_menu)
        page.model.move_requested.connect(self._on_drop)
        self.ctx.identity_changed.connect(lambda _who: self.refresh())
        self.refresh()

    def _action(self, text: str, slot: Callable[[], Any], keys: str = "") -> QAction:
        action = QAction(text, self.tree)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # keys act on the tree only
            self.tree.addAction(action)
        action.triggered.connect(slot)
        return action

    # ------------------------------------------------------------------------------------------ state

    @property
    def allowed(self) -> bool:
        return self.ctx.is_pmo

    def refresh(self) -> None:
        """Offer the actions that apply to the selection, and none but to the PMO."""
        row = self.page.model.row_at(self.tree.currentIndex())
        kind = row.kind if row is not None else ""
        retired = row is not None and row.retired_on is not None
        live = self.allowed and row is not None and not retired
        self.page.model.set_movable(self.allowed)
        self.new_theme.setEnabled(self.allowed)
        self.new_outcome.setEnabled(live and kind in ("theme", "outcome"))
        self.new_objective.setEnabled(live and kind in ("outcome", "objective"))
        for action in (self.edit, self.remove):
            action.setEnabled(self.allowed and row is not None)
        for action in (self.move_up, self.move_down, self.retire):
            action.setEnabled(live)
        self.renumber.setEnabled(live and kind in ("theme", "outcome", "objective"))
        self.reinstate.setEnabled(self.allowed and retired)

    def actions(self) -> list[QAction | None]:
        return [self.new_objective, self.new_outcome, self.new_theme, None, self.edit, self.move_up,
                self.move_down, self.renumber, None, self.retire, self.reinstate, self.remove]  # fmt: skip

    def menu(self) -> QMenu:
        """The structure actions as one menu (the page's "Edit plan" button and the tree's context menu)."""
        if self._menu is None:
            self._menu = QMenu(self.tree)
            self._menu.setAccessibleName("Plan item actions")
            for action in self.actions():
                if action is None:
                    self._menu.addSeparator()
                else:
                    self._menu.addAction(action)
            self._menu.aboutToShow.connect(self.refresh)
        return self._menu

    def show_menu(self, at: QPoint) -> QMenu | None:
        if not self.allowed:
            return None
        menu = self.menu()
        menu.popup(self.tree.viewport().mapToGlobal(at))
        return menu

    # ------------------------------------------------------------------------------------------ adding

    def _selected(self) -> q.TreeRow | None:
        return self.page.model.row_at(self.tree.currentIndex())

    def _parent_of_new(self, kind: str) -> q.TreeRow | None:
        """Where a new item of ``kind`` goes: the selected parent, or the parent of the selected sibling."""
        row = self._selected()
        want = {"objective": "outcome", "outcome": "theme"}[kind]
        while row is not None and row.kind != want:
            row = self.page.model.row_by_id(row.parent_id) if row.parent_id else None
        return row

    def add_objective(self) -> PlanItemDialog | None:
        parent = self._parent_of_new("objective")
        if not self.allowed or parent is None:
            return None
        return self._open("objective", parent_id=parent.id, parent_words=f"{parent.ref}")

    def add_outcome(self) -> PlanItemDialog | None:
        parent = self._parent_of_new("outcome")
        if not self.allowed or parent is None:
            return None
        return self._open("outcome", parent_id=parent.id, parent_words=f"{parent.ref}")

    def add_theme(self) -> PlanItemDialog | None:
        return self._open("theme") if self.allowed else None

    def edit_selected(self) -> PlanItemDialog | None:
        row = self._selected()
        if not self.allowed or row is None:
            return None
        with self.ctx.read() as s:
            item = q.plan_item(s, row.kind, row.id)
        return self._open(row.kind, item=item)

    def _open(self, kind: str, **kwargs: Any) -> PlanItemDialog:
        self.dialog = PlanItemDialog(self.ctx, kind, parent=self.page, **kwargs)
        self.dialog.accepted.connect(lambda d=self.dialog: self._select_saved(d))
        self.dialog.open()
        return self.dialog

    def _select_saved(self, dialog: PlanItemDialog) -> None:
        if dialog.saved is not None and dialog.saved.created:
            self.page.select_item(dialog.saved.created[0])

    # ------------------------------------------------------------------------------------------ order

    def move_selected(self, step: int) -> None:
        row = self._selected()
        if not self.allowed or row is None:
            return
        position = self.page.model.position_of(row.id) + step
        if position < 0 or position >= self.page.model.sibling_count(row.id):
            return
        self._write(move, kind=_KIND[row.kind], item_id=row.id, to_index=position)

    def _on_drop(self, kind: str, item_id: str, to_index: int) -> None:
        if self.allowed:
            self._write(move, kind=_KIND[kind], item_id=item_id, to_index=to_index)

    def renumber_selected(self) -> None:
        row = self._selected()
        if not self.allowed or row is None:
            return
        # a theme's outcomes, an outcome's objectives, or an objective's siblings
        parent_id = row.id if row.kind in _CHILD else row.parent_id
        if parent_id is None:
            return
        kind = _KIND[_CHILD.get(row.kind, row.kind)]
        with self.ctx.read() as s:
            steps = renumbering(s, kind, parent_id)
        if not steps:
            self.ctx.message.emit(f"The {kind.label}s are already numbered in order: nothing to change")
            return
        listing = "\n".join(f"{old}  →  {new}" for _, old, new in steps[:20])
        more = f"\n…and {len(steps) - 20} more" if len(steps) > 20 else ""
        if self.confirm(
            self.page,
            "Renumber",
            f"Give these {kind.label}s codes that follow their order?\n\n{listing}{more}\n\n"
            "Reports and returns will show the new codes; the audit log keeps the old ones.",
            "Renumber",
        ):
            self._write(renumber, kind=kind, parent_id=parent_id)

    # ------------------------------------------------------------------------------------------ retiring

    def retire_selected(self) -> None:
        row = self._selected()
        if not self.allowed or row is None or row.retired_on is not None:
            return
        held = "" if row.kind == "objective" else " and everything in it"
        day = self.ask_day(
            f"Retire {row.kind} {row.ref}",
            f"Retire {row.ref}{held} from this date. Reports for periods that start on or after it will "
            "not ask for or count it; its history, milestones and risks stay readable.",
        )
        if day is not None:
            refused = self._tell_refusal(f"{row.ref} was not retired")
            self.ctx.write(retire, kind=_KIND[row.kind], item_id=row.id, on=day).failure(refused).run(
                initiator=self
            )

    def reinstate_selected(self) -> None:
        row = self._selected()
        if self.allowed and row is not None and row.retired_on is not None:
            self._write(reinstate, kind=_KIND[row.kind], item_id=row.id)

    def remove_selected(self) -> None:
        row = self._selected()
        if not self.allowed or row is None:
            return
        if self.confirm(
            self.page,
            "Remove",
            f"Remove {row.kind} {row.ref}? Only an item added by mistake can be removed: one with no status "
            "updates, milestones, risks or links. Otherwise retire it.",
            "Remove",
        ):
            refused = self._tell_refusal(f"{row.ref} was not removed")
            self.ctx.write(remove, kind=_KIND[row.kind], item_id=row.id).failure(refused).run(initiator=self)

    def default_retire_day(self) -> date:
        """The start of the period the window shows while it is open (the item leaves it now), else today."""
        if self.ctx.period_id:
            with self.ctx.read() as s:
                shown = q.period(s, self.ctx.period_id)
            if shown.status == PeriodStatus.OPEN:
                return shown.start
        return date.today()

    def _ask_day(self, title: str, text: str) -> date | None:
        typed, ok = QInputDialog.getText(self.page, title, f"{text}\n\nRetire from (DD/MM/YYYY):",
                                         text=entry_text(self.default_retire_day()))  # fmt: skip
        if not ok:
            return None
        try:
            return parse_day(typed) or date.today()
        except ValueError as exc:
            self.ctx.message.emit(f"Not retired: {exc}")
            return None

    def _tell_refusal(self, title: str) -> Callable[[Exception], None]:
        """A refusal the PMO must act on (open risks, say) in a box, not only the status bar."""

        def refused(exc: Exception) -> None:
            self.tell(self.page, title, str(exc))

        return refused

    def _write(self, service: Callable[..., Changes], **kwargs: Any) -> None:
        self.ctx.write(service, **kwargs).run(initiator=self)
