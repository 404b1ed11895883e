"""The plan page: themes, outcomes and objectives as a filterable tree, the chosen objective's detail beside it."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from tracker import queries as q
from tracker.enums import Brag, FourP, Lifecycle
from tracker.models import Kind
from tracker.services.registry import REGISTRY
from tracker.wording import plural
from ui.context import AppContext
from ui.models.plan_tree import COLUMNS, LEAD, NAME, STATUS, PlanTreeModel, TreeFilter
from ui.pages.following import FollowsChanges
from ui.pages.objective import ObjectiveDetail
from ui.pages.plan_editing import PlanEditing
from ui.widgets.chips import ChipDelegate, chip_icon
from ui.widgets.forms import fit_popup, shrinkable
from ui.widgets.picked import PickedFilter, picked_ids
from ui.widgets.tables import fill_the_rest

STATUS_CHOICES = (*((b.value, b.label) for b in Brag), (q.NO_UPDATE, "No update"))


def chosen(combo: QComboBox) -> Any:
    """The combo's data, None for "all" (items never hold None: PySide6 6.12 drops a reference to it)."""
    return combo.currentData() or None


def _combo(name: str, everything: str, chars: int = 12) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    combo.addItem(everything, "")  # not None: see chosen
    return shrinkable(combo, chars, tooltip=False)


class PlanPage(FollowsChanges, QWidget):
    reload_on: ClassVar[frozenset[Kind]] = REGISTRY[Kind.OBJECTIVE].reload_on  # the tree is objectives

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Plan")

        self.search = QLineEdit(placeholderText="Find by code, title or lead")
        self.search.setToolTip("Find objectives by code, title or lead (Ctrl+F)")
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 18)
        self.search.setAccessibleName("Find objectives")
        self.search.setClearButtonEnabled(True)
        self.theme = _combo("Theme", "All themes")
        self.lead = _combo("Lead", "All leads")
        self.status = _combo("Status", "Any status", 8)
        for value, label in STATUS_CHOICES:
            icon = chip_icon(ctx.palette.brag_fill(value)) if value != q.NO_UPDATE else None
            if icon is None:
                self.status.addItem(label, value)
            else:
                self.status.addItem(icon, label, value)
        self.lifecycle = _combo("Lifecycle", "Any lifecycle", 8)
        for life in Lifecycle:
            self.lifecycle.addItem(life.label, life.value)
        self.four_p = _combo("4P", "Any 4P", 6)
        for tag in FourP:
            self.four_p.addItem(str(tag.value), tag.value)
        self.mine = QCheckBox("Only &mine")
        self.mine.setAccessibleName("Only my objectives")
        self._show_whose()
        self.show_retired = QCheckBox("Show re&tired")
        self.show_retired.setAccessibleName("Show retired themes, outcomes and objectives")
        self.show_retired.setToolTip("Show what has been retired from the plan (greyed; not counted)")
        self.clear = QPushButton("Clear filters")
        self.clear.setAccessibleName("Clear filters")
        self.clear.clicked.connect(self.clear_filters)
        self.count = QLabel()
        self.count.setAccessibleName("Objectives shown")
        self.period_note = QLabel()
        self.period_note.setObjectName("PageHint")
        self.period_note.setAccessibleName("Period shown")
        self.picked = PickedFilter("objective")
        self.picked.cleared.connect(self._show_all_objectives)
        self._picked_what = ""

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        for widget, stretch in ((self.theme, 1), (self.lead, 1), (self.status, 0), (self.lifecycle, 0),
                                (self.four_p, 0), (self.mine, 0), (self.clear, 0)):  # fmt: skip
            bar.addWidget(widget, stretch)
        bar.addWidget(self.count)

        self.model = PlanTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Plan tree: themes, outcomes and objectives")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setItemDelegateForColumn(STATUS, ChipDelegate(ctx.palette, self.tree))
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Titles are long: theirs is the width the other columns leave (elided, whole on hover), so no
        # column runs off the edge while there is room; a lead's long role title gets a fixed share.
        chars = self.fontMetrics().horizontalAdvance("x")
        fill_the_rest(self.tree, NAME, chars * 48)
        header.setSectionResizeMode(LEAD, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(LEAD, chars * 20)
        self.tree.setMinimumWidth(chars * 60)
        self._sized = False
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDropIndicatorShown(True)
        self.editing = PlanEditing(self)
        self.edit_menu = QToolButton()
        self.edit_menu.setText("Edit plan")
        self.edit_menu.setAccessibleName("Edit the plan's structure")
        self.edit_menu.setToolTip(
            "Add, edit, reorder, renumber or retire themes, outcomes and objectives (PMO)"
        )
        self.edit_menu.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.edit_menu.setMenu(self.editing.menu())

        self.detail = ObjectiveDetail(ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        under = QHBoxLayout()  # the drill-down (only while one narrows the page) and the period shown
        under.addWidget(self.picked)
        under.addWidget(self.show_retired)
        under.addWidget(self.edit_menu)
        under.addStretch(1)
        under.addWidget(self.period_note)
        layout.addLayout(under)
        layout.addWidget(self.splitter, 1)

        order = [self.search, self.theme, self.lead, self.status, self.lifecycle, self.four_p, self.mine,
                 self.clear, self.show_retired, self.edit_menu, self.tree, self.detail]  # fmt: skip
        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)

        self.search.textChanged.connect(self._apply_filters)
        for combo in (self.theme, self.lead, self.status, self.lifecycle, self.four_p):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.mine.toggled.connect(self._apply_filters)
        self.show_retired.toggled.connect(lambda _on: self.reload())
        self._ids: frozenset[str] | None = None
        self._period_name = ""
        self.follow(ctx)
        ctx.period_changed.connect(lambda _id: self.reload())
        ctx.identity_changed.connect(self._on_identity_changed)
        self.edit_menu.setVisible(ctx.is_pmo)
        self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:  # the tree gets the larger share the first time the page is shown
            self._sized = True
            width = (
                self.splitter.width()
            )  # the detail's form reads well at 80 characters: more goes to titles
            detail = min(width * 45 // 100, self.fontMetrics().horizontalAdvance("x") * 80)
            self.splitter.setSizes([width - detail, detail])

    # ------------------------------------------------------------------------------------------ data

    def reload(self) -> None:
        selected = self.selected_id()
        with self.ctx.read() as s:
            rows = q.plan_tree(s, period_id=self.ctx.period_id, include_retired=self.show_retired.isChecked())
            period = q.period(s, self.ctx.period_id) if self.ctx.period_id else None
        self._period_name = period.name if period is not None else ""
        self._fill_choices(rows)
        self.model.set_rows(rows)
        self._after_reset(selected)

    def _fill_choices(self, rows: list[q.TreeRow]) -> None:
        themes = [(r.id, f"{r.ref} {r.title}") for r in rows if r.kind == "theme"]
        leads = sorted({(r.lead_name, r.lead_id) for r in rows if r.kind == "objective" and r.lead_id})
        for combo, items in ((self.theme, themes), (self.lead, [(i, n) for n, i in leads])):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, text in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
            fit_popup(combo)

    # ------------------------------------------------------------------------------------------ filters

    def current_filter(self) -> TreeFilter:
        lead = self.ctx.identity.person_id if self.mine.isChecked() else chosen(self.lead)
        return TreeFilter(
            text=self.search.text(),
            theme_id=chosen(self.theme),
            lead_id=lead,
            status=chosen(self.status),
            lifecycle=chosen(self.lifecycle),
            four_p=chosen(self.four_p),
            ids=self._ids,
        )

    def can_create(self) -> bool:
        return self.ctx.is_pmo

    def new_item(self) -> None:
        """Edit > New item: a new objective where the selection is (the PMO's; others are told why not)."""
        if not self.ctx.is_pmo:
            self.ctx.message.emit("Only the PMO adds objectives; ask the programme office.")
        elif self.editing.add_objective() is None:
            self.ctx.message.emit("Choose an outcome (or an objective in it) for the new objective.")

    def _show_whose(self) -> None:
        """ "Only mine" means the objectives the person using the app leads; the PMO leads none."""
        who = self.ctx.identity
        self.mine.setEnabled(who.person_id is not None)
        self.mine.setToolTip(
            f"Only the objectives {who.name} leads" if who.person_id is not None
            else "You are using the app as the PMO, who leads no objectives."
        )  # fmt: skip

    def _on_identity_changed(self, _identity: object) -> None:
        self._show_whose()
        self.edit_menu.setVisible(self.ctx.is_pmo)
        if self.mine.isChecked() and not self.mine.isEnabled():
            self.mine.setChecked(False)  # refilters
        else:
            self._apply_filters()  # "mine" is someone else now

    def _apply_filters(self) -> None:
        self.lead.setEnabled(not self.mine.isChecked())
        selected = self.selected_id()
        self.model.set_filter(self.current_filter())
        self._after_reset(selected)

    def _after_reset(self, selected: str | None) -> None:
        self.tree.expandAll()
        self.editing.refresh()
        shown = len(self.model.objective_ids())
        retired = self.model.retired_shown()
        self.count.setText(
            plural(shown - retired, "objective") + (f" and {retired} retired" if retired else "")
        )
        if not shown and self.model.total_objectives():
            self.count.setText("No objectives match")  # the filters, the search or the drill-down
        # the statuses shown are this period's: the status bar's, every page's
        self.period_note.setText(f"Status as reported for {self._period_name}" if self._period_name else "")
        self.picked.show_picked(self._ids, self._picked_what)
        index = self.model.index_of(selected) if selected else QModelIndex()
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.scrollTo(index)
        elif selected:
            self.detail.show_objective(None)

    def show_filters(self, filters: dict[str, Any]) -> None:
        """Show the page narrowed as asked (keys: text, theme_id, lead_id, brag or status, lifecycle, four_p, ids)."""
        widgets: list[Any] = [
            self.search,
            self.theme,
            self.lead,
            self.status,
            self.lifecycle,
            self.four_p,
            self.mine,
        ]
        for w in widgets:
            w.blockSignals(True)
        try:
            self.search.setText(filters.get("text") or "")
            self.mine.setChecked(bool(filters.get("only_mine")) and self.mine.isEnabled())
            for combo, key in ((self.theme, "theme_id"), (self.lead, "lead_id"), (self.lifecycle, "lifecycle"),
                               (self.four_p, "four_p")):  # fmt: skip
                combo.setCurrentIndex(max(0, combo.findData(filters.get(key) or "")))
            status = filters.get("status", filters.get("brag"))
            self.status.setCurrentIndex(max(0, self.status.findData(status or "")))
            ids = picked_ids(filters)
            self._ids = frozenset(ids) if ids is not None else None
            self._picked_what = str(filters.get("what") or "")
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._apply_filters()

    def clear_filters(self) -> None:
        self.show_filters({})

    def _show_all_objectives(self) -> None:
        self._ids = None
        self._apply_filters()

    def focus_find(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ------------------------------------------------------------------------------------------ selection

    def selected_id(self) -> str | None:
        row = self.model.row_at(self.tree.currentIndex())
        return row.id if row is not None else None

    def select_objective(self, objective_id: str) -> bool:
        return self.select_item(objective_id)

    def select_item(self, item_id: str) -> bool:
        """Make a theme, outcome or objective the current row (False when it is not shown)."""
        index = self.model.index_of(item_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        return True

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current)
        self.editing.refresh()
        wanted = row.id if row is not None and row.kind == "objective" else None
        if wanted != self.detail.objective_id:
            self.detail.show_objective(wanted)
