"""A register page: filter bar, the sortable table, and a side form to add, change or delete the selected item.

The page reads every live item once (one query) and narrows and sorts in the model, so a filter
or sort never goes back to the database. It reloads when a committed change touches its kinds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker import queries as q
from tracker.services import Changes, ServiceError, ValidationError
from ui.context import AppContext, WriteOp
from ui.models.roles import ID_ROLE
from ui.models.table import TableModel
from ui.pages.following import FollowsChanges
from ui.pages.register_form import ItemForm
from ui.pages.register_specs import Lookups, RegisterSpec, first_screen_lookups, predicate
from ui.tasks import Task
from ui.widgets.chips import ChipDelegate
from ui.widgets.forms import shrinkable
from ui.widgets.picked import PickedFilter

BACKGROUND_ROWS = 20_000
FIRST_SCREEN_WAIT_S = 2.0  # how long a large register's read waits for its first screen to be shown
PATCH_ROWS = 200  # a change to at most this many of the register's own rows re-reads just those
ALIASES = {
    "rag": "brag",
    "theme": "theme_id",
    "outcome": "outcome_id",
    "lead": "lead_id",
    "owner": "owner_id",
}


def ask_to_confirm(parent: QWidget, title: str, text: str) -> bool:
    """The real confirmation dialog; tests replace ``RegisterPage.confirm``."""
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


class RegisterPage(FollowsChanges, QWidget):
    """The shared page; a subclass gives its spec (and may add defaults for a new item or a side panel)."""

    loaded = Signal()  # the rows are in the table (at once for a small register, later for a large one)
    _page_read = Signal(object)  # emitted on the worker, delivered (queued) here: a page of a large register

    spec: RegisterSpec
    confirm: Callable[[QWidget, str, str], bool] = staticmethod(ask_to_confirm)
    WIDE = frozenset({"title", "text"})  # columns allowed to take room

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.lookups = Lookups()
        self._editing: Any | None = None  # the row in the form; None when adding
        self._ids: tuple[str, ...] | None = None
        self._sized = False
        self._generation = 0
        self._loaded = False  # rows are in the model (a patch needs something to patch)
        self._busy = False  # a save or delete of this page's is on the write lane
        self._page_read.connect(self._on_page_read)
        noun = self.spec.noun
        self.setAccessibleName(f"{noun.capitalize()}s register")

        self.find = QLineEdit()
        self.find.setPlaceholderText(f"Find {noun}s…")
        self.find.setClearButtonEnabled(True)
        self.find.setAccessibleName(f"Find {noun}s")
        self.find.textChanged.connect(self._apply_filters)
        self.combos: dict[str, QComboBox] = {}
        for choice in self.spec.choices:
            combo = QComboBox()
            combo.setAccessibleName(f"Filter by {choice.label.lower()}")
            combo.setToolTip(f"Show only {noun}s with this {choice.label.lower()}")
            shrinkable(combo, 9)
            combo.currentIndexChanged.connect(self._apply_filters)
            self.combos[choice.key] = combo
        self.clear_filters_button = QPushButton("Clear filters")
        self.clear_filters_button.setAccessibleName("Clear filters")
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.ids_note = PickedFilter(self.spec.noun)
        self.ids_note.cleared.connect(self._show_all_items)
        self._picked_what = ""
        self.count = QLabel()
        self.count.setAccessibleName(f"Number of {noun}s shown")

        self.model = TableModel(parent=self)
        self.table = QTableView()
        self.table.setAccessibleName(f"{noun.capitalize()}s")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChipDelegate(ctx.palette, self.table))
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # plan order first
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionsMovable(True)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)

        self.form = ItemForm(self.spec.fields, noun, ctx.palette.surfaces.danger)
        self.form_title = QLabel()
        self.form_title.setStyleSheet("font-weight: 600; font-size: 120%;")
        self.new_button = QPushButton(f"&New {noun}")
        self.save_button = QPushButton("&Save")
        self.revert_button = QPushButton("Revert")
        self.delete_button = QPushButton("&Delete…")
        for button, name in ((self.new_button, f"New {noun}"), (self.save_button, f"Save {noun}"),
                             (self.revert_button, "Revert changes"), (self.delete_button, f"Delete {noun}")):  # fmt: skip
            button.setAccessibleName(name)
        self.new_button.clicked.connect(self.new_item)
        self.save_button.setToolTip("Save (Ctrl+Enter)")
        self.delete_button.setToolTip("Delete, after asking (Delete key in the table)")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self._show(self._editing))
        self.delete_button.clicked.connect(self.delete_selected)
        self.read_only_note = QLabel("Read-only: this plan is open for viewing, so nothing can be changed.")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setVisible(ctx.read_only)

        self._layout()
        # Ctrl+F is the window's Edit > Find, which calls focus_find(): a page shortcut would make it ambiguous
        save = QShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return), self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        remove = QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.follow(ctx)
        self.reload()
        self._show(None)

    # ------------------------------------------------------------------------------------------ layout

    def _layout(self) -> None:
        # two rows of filters: one long row would squeeze every combo to nothing in a normal window
        bar = QGridLayout()
        bar.setHorizontalSpacing(6)
        combos = list(self.combos.values())
        per_row = (len(combos) + 1) // 2
        bar.addWidget(self.find, 0, 0)
        for n, combo in enumerate(combos):
            bar.addWidget(combo, n // per_row, 1 + n % per_row)
        bar.addWidget(self.clear_filters_button, 1, 0, Qt.AlignmentFlag.AlignLeft)
        bar.setColumnStretch(0, 2)
        for column in range(1, per_row + 1):
            bar.setColumnStretch(column, 1)
        status = QHBoxLayout()
        status.addWidget(self.count)
        status.addWidget(self.ids_note)
        status.addStretch(1)
        status.addWidget(self.new_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(bar)
        lv.addLayout(status)
        lv.addWidget(self.table, 1)

        panel = QWidget()
        pv = QVBoxLayout(panel)
        pv.addWidget(self.form_title)
        pv.addWidget(self.read_only_note)
        pv.addWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        pv.addLayout(buttons)
        pv.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form_scroll = scroll
        scroll.setWidget(panel)
        scroll.setAccessibleName(f"{self.spec.noun.capitalize()} details")
        self.side = self._side_panel(scroll)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.side)
        # sizes in the same 5:2 ratio as the stretch factors, so every resize keeps the form about
        # two sevenths of the page: room for a label and its field side by side at 1440 px
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        em = self.fontMetrics().averageCharWidth()
        self.side.setMinimumWidth(em * 44)
        splitter.setSizes([em * 125, em * 50])
        self.splitter = splitter
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)

    def _side_panel(self, form: QWidget) -> QWidget:
        """What sits beside the table; the recommendations page adds its notes and links here."""
        return form

    # ------------------------------------------------------------------------------------------ loading

    def reload(self) -> None:
        """Read the rows again, keeping filters, sort and the selected item.

        A large register (over BACKGROUND_ROWS items) is read on a worker thread so the window stays
        responsive; a small one is read at once, so the page is complete when it first paints.
        """
        keep = self.selected_id()
        self._generation += 1
        generation = self._generation
        with self.ctx.read() as session:
            large = q.live_count(session, self.spec.kind) > BACKGROUND_ROWS
        if large and not self.ctx.runner.synchronous:
            self.count.setText(f"Loading {self.spec.noun}s…")
            if self.spec.pages is not None:  # a first screen shown while the rest is read
                self.ctx.runner.run(lambda _progress: self._read_pages(generation, keep),
                                    label=f"Reading the {self.spec.noun}s", on_result=self._on_pages_read,
                                    on_error=self._on_read_failed)  # fmt: skip
                return
            self.ctx.runner.run(lambda _progress: (generation, keep, *self._read_all()),
                                label=f"Reading the {self.spec.noun}s", on_result=self._on_rows_read,
                                on_error=self._on_read_failed)  # fmt: skip
            return
        self._on_rows_read((generation, keep, *self._read_all()))

    def _read_pages(self, generation: int, keep: str | None) -> tuple[int, str | None]:
        """On the worker: the lookups and each page of rows, in one read, each page sent as it is read."""
        assert self.spec.pages is not None
        with self.ctx.read() as session:
            pages = self.spec.pages(session, q.NO_FILTERS)
            rows = next(pages, [])
            shown = threading.Event()
            self._page_read.emit((generation, first_screen_lookups(session, rows), rows, shown))
            # the rest waits for the first screen to be in the table: reading it would compete with
            # showing it for the interpreter (a page closed meanwhile never says so: hence the limit)
            shown.wait(FIRST_SCREEN_WAIT_S)
            rest = [row for page in pages for row in page]
            self._page_read.emit((generation, self.spec.lookups(session), rest, None))
        return generation, keep

    def _on_page_read(self, page: tuple[int, Lookups, list[Any], threading.Event | None]) -> None:
        generation, lookups, rows, shown = page
        try:
            if generation != self._generation:
                return  # a newer reload is on its way
            if shown is not None:  # the first screen
                self._show_rows(lookups, rows)
            else:  # the full lists with the rest: every row shown again under them, sort and filter kept
                self._show_rows(lookups, [*self.model.rows, *rows])
        finally:
            if shown is not None:
                shown.set()

    def _on_pages_read(self, result: tuple[int, str | None]) -> None:
        generation, keep = result
        if generation == self._generation:
            self._settle(keep)

    def _read_all(self) -> tuple[Lookups, list[Any]]:
        """The register's rows and lists, in one read transaction (runs on a worker for a large register)."""
        with self.ctx.read() as session:
            return self.spec.lookups(session), self.spec.read(session, q.NO_FILTERS)

    def _on_rows_read(self, result: tuple[int, str | None, Lookups, list[Any]]) -> None:
        generation, keep, lookups, rows = result
        if generation != self._generation:
            return  # a newer reload is on its way
        self._show_rows(lookups, rows)
        self._settle(keep)

    def _show_rows(self, lookups: Lookups, rows: list[Any]) -> None:
        self.lookups = lookups
        self.model.columns = tuple(self.spec.columns(lookups))
        self.model.facets = dict(self.spec.facets(lookups))
        self._fill_combos()
        self.form.set_lookups(lookups)
        self.model.set_rows(rows)
        self._apply_filters()
        if not self._sized and rows:
            self._size_columns()

    def _settle(self, keep: str | None) -> None:
        """Every row is in: the selection kept, the form's item found again, ``loaded`` said."""
        if self._editing is not None and not self.select(self._editing.id):
            self._gone()
        elif keep is not None:
            self.select(keep)
        self._loaded = True
        self._update_buttons()
        self.loaded.emit()

    def _on_read_failed(self, error: BaseException) -> None:
        self.count.setText(f"Could not read the {self.spec.noun}s: {error}")

    def _size_columns(self) -> None:
        """Fit columns to their contents once (Qt samples the first rows), long text capped, the widest stretching."""
        self._sized = True
        self.table.horizontalHeader().setResizeContentsPrecision(40)  # sample the first rows, not 100,000
        self.table.resizeColumnsToContents()
        em = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        for n, column in enumerate(self.model.columns):
            # capped so the state and dates still show beside the side form
            cap = em * (36 if column.key in self.WIDE else 30 if column.chip else 18)
            # (a chip's rounded ends are in the chip delegate's size hint)
            header.resizeSection(n, min(header.sectionSize(n) + em * 2, cap))

    def _fill_combos(self) -> None:
        for choice in self.spec.choices:
            combo = self.combos[choice.key]
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(
                f"Any {choice.label if choice.label.isupper() or choice.label[0].isdigit() else choice.label.lower()}",
                None,
            )
            for text, value in choice.options(self.lookups):
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "spec"):
            cls.reload_on = cls.spec.reload_on  # as the registry says of its kind

    def on_change(self, changes: Changes, initiator: object) -> None:
        if (
            self._loaded and changes.kinds == {self.spec.kind} and len(changes.ids) <= PATCH_ROWS
            and all(map(self.model.has_row, changes.ids))  # a new or restored row has its place in plan order
        ):  # fmt: skip
            self._refresh_rows(changes.ids)
        else:
            self.reload()

    def _refresh_rows(self, ids: Collection[str]) -> None:
        """Read again only the rows a change touched (gone when removed), keeping sort, filter and selection."""
        with self.ctx.read() as session:
            fresh = self.spec.read(session, q.Filters(ids=tuple(ids)))
        found = {r.id for r in fresh}
        self.model.replace_rows(fresh, gone=[i for i in ids if i not in found])
        self._apply_filters()
        if self._editing is not None and self._editing.id in ids:
            row = next((r for r in fresh if r.id == self._editing.id), None)
            if row is None:
                self._gone()
            else:
                self._show(row)  # the form follows: its revision is the one now stored

    def _gone(self) -> None:
        """The item in the form was removed (deleted, or its adding undone): the form empties and says so."""
        noun = self.spec.noun
        self.table.selectionModel().clearSelection()
        self._show(None)
        self.form.show_message(f"The {noun} you had open is no longer in the register (deleted or undone).")

    # ------------------------------------------------------------------------------------------ filtering

    def _apply_filters(self) -> None:
        today = date.today()
        facets = {}
        for choice in self.spec.choices:
            chosen = self.combos[choice.key].currentData()
            if chosen is not None:
                facets[choice.key] = predicate(choice.match, chosen, today)
        self.model.set_filter(self.find.text(), facets, self._ids)
        shown, total = self.model.visible_count, len(self.model.rows)
        noun = self.spec.noun
        self.count.setText(f"{total:,} {noun}s" if shown == total else f"{shown:,} of {total:,} {noun}s")
        if total and not shown:
            self.count.setText(f"No {noun}s match (of {total:,})")
        self.ids_note.show_picked(self._ids, self._picked_what)

    def _show_all_items(self) -> None:
        self._ids = None
        self._apply_filters()

    def clear_filters(self) -> None:
        self._ids, self._picked_what = None, ""
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.find.blockSignals(True)
        self.find.clear()
        self.find.blockSignals(False)
        self._apply_filters()

    def show_filters(self, filters: dict[str, Any]) -> None:
        """Show the register narrowed as asked, e.g. {"ids": [...]} or {"theme_id": ..., "rag": "red"}."""
        self.clear_filters()
        for key, value in filters.items():
            key = ALIASES.get(key, key)
            if key == "ids":
                self._ids = tuple(value) if value is not None else None
            elif key == "what":
                self._picked_what = str(value or "")
            elif key == "text":
                self.find.blockSignals(True)
                self.find.setText(value or "")
                self.find.blockSignals(False)
            elif key in self.combos:
                combo = self.combos[key]
                combo.blockSignals(True)
                combo.setCurrentIndex(max(combo.findData(getattr(value, "value", value)), 0))
                combo.blockSignals(False)
        self._apply_filters()
        new_for = filters.get("new_for_objective")
        if new_for is not None and "objective_id" in self.form.editors:  # "New risk for this objective"
            self.new_item()
            editor = self.form.editors["objective_id"]
            editor.setCurrentIndex(max(editor.findData(new_for), 0))

    def focus_find(self) -> None:
        self.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find.selectAll()

    # ------------------------------------------------------------------------------------------ selection

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, item_id: str) -> bool:
        row = self.model.view_row_of(item_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def _on_table_current_changed(self, current: Any, _previous: Any) -> None:
        self._show(self.model.row_at(current.row()) if current.isValid() else None)

    def _show(self, row: Any | None) -> None:
        self._editing = row
        noun = self.spec.noun
        self.form.load(
            self.form_row(row) if row is not None else None, self.new_defaults() if row is None else None
        )
        self.form_title.setText(f"New {noun}" if row is None else f"Edit {noun}")
        self.save_button.setText(f"&Add {noun}" if row is None else "&Save")
        self._update_buttons()

    def new_defaults(self) -> dict[str, Any]:
        return {}

    def form_row(self, row: Any) -> Any:
        """The values the form shows for a row (a page may adjust what the register row derived)."""
        return row

    def _update_buttons(self) -> None:
        editable = not self.ctx.read_only
        self.form.set_editable(editable)
        for button in (self.new_button, self.save_button, self.revert_button):
            button.setEnabled(editable and not self._busy)
        self.delete_button.setEnabled(editable and not self._busy and self._editing is not None)

    # ------------------------------------------------------------------------------------------ writing

    def new_item(self) -> None:
        """An empty form for a new item (File > New item)."""
        if self.ctx.read_only:
            return
        self.table.selectionModel().clearSelection()
        self.table.setCurrentIndex(self.model.index(-1, -1))
        self._show(None)
        first = next(iter(self.form.editors.values()))
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> Task | None:
        """Add or change the item from the form, on the write lane; a refusal is shown beside its fields.

        Returns the running write (None when there was nothing to write).
        """
        row = self._editing
        if self.ctx.read_only or self._busy:
            return None
        entity = self.spec.entity
        if row is None:
            op = self.ctx.write(entity.create, data=self.form.values())
        else:
            values = self.form.changed_values()
            if not values:
                self.form.show_message("Nothing has changed.")
                return None
            op = self.ctx.write(entity.update, **{entity.id_arg: row.id}, changes=values,
                                expected_revision=row.revision)  # fmt: skip
        return self._run(op.success(lambda changes: self._on_saved(row, changes)))

    def _on_saved(self, row: Any | None, changes: Changes) -> None:
        new_id = (changes.created[0] if changes.created else None) if row is None else row.id
        if new_id and not self.select(new_id):
            self.form.show_message("Saved. It is hidden by the filters; clear them to see it.")

    def delete_selected(self) -> Task | None:
        """Delete the item in the form after asking; it can be restored from the audit log."""
        row = self._editing
        if row is None or self.ctx.read_only or self._busy:
            return None
        what = self.spec.describe(row)
        text = (f"Delete {what}?\n\nIt can be restored later from the audit log "
                "(and Undo takes it back straight away).")  # fmt: skip
        if not self.confirm(self, f"Delete {self.spec.noun}", text):
            return None
        entity = self.spec.entity
        op = self.ctx.write(entity.delete, **{entity.id_arg: row.id}, expected_revision=row.revision)
        return self._run(op.success(lambda _changes: self._show(None)))

    def _run(self, op: WriteOp) -> Task:
        """Run one of this page's writes: buttons off while it is on the write lane, refusals in the form."""
        self._busy = True
        self._update_buttons()

        def settled() -> None:
            self._busy = False
            self._update_buttons()

        return op.failure(self._on_refused).finally_(settled).run(initiator=self)

    def _on_refused(self, error: ServiceError) -> None:
        if isinstance(error, ValidationError):
            self.form.show_problems(error.problems)
        else:
            self.form.show_message(str(error))
