"""The audit log: who changed what, when and from where; filter it, page back, restore a removed item."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from tracker.queries import AuditRow, audit_rows
from tracker.queries.audit_words import kind_word
from tracker.queries.holdings import audit_actors
from tracker.services import Changes, restore_deleted
from tracker.services.registry import REGISTRY
from ui.context import AppContext
from ui.models.audit import AuditModel, is_deletion
from ui.models.roles import ROW_ROLE
from ui.pages.following import FollowsChanges
from ui.tasks import Task
from ui.widgets.dialogs import tell
from ui.widgets.layout import page_layout
from ui.widgets.tables import filter_box, table_view

PAGE_SIZE = 500


class AuditPage(FollowsChanges, QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._more = False
        layout = page_layout(self, "Audit log", "Every change, newest first: one line per changed field. "
                             "The log is hash-chained, so tampering with it can be detected.")  # fmt: skip
        bar = QHBoxLayout()
        self.entity = QComboBox(self)
        self.entity.setAccessibleName("Filter by kind of item")
        self.entity.addItem("All items", None)
        for name in sorted(REGISTRY, key=kind_word):
            self.entity.addItem(kind_word(name), name.value)
        self.actor = QComboBox(self)
        self.actor.setAccessibleName("Filter by who made the change")
        self.text = filter_box("Find in fields and values", "Find in the audit log", self)
        for label, widget in (("&Item:", self.entity), ("&Who:", self.actor)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addWidget(self.text, 1)
        layout.addLayout(bar)

        self.model = AuditModel(self)
        self.table = table_view("Audit log entries", self)
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)

        foot = QHBoxLayout()
        self.count = QLabel(self)
        self.count.setAccessibleName("Entries shown")
        self.more_button = QPushButton("&Older entries", self)
        self.more_button.setAccessibleName("Load older audit entries")
        self.restore_button = QPushButton("&Restore removed item", self)
        self.restore_button.setAccessibleName("Restore the removed item")
        self.restore_button.setToolTip("Bring back the item this entry removed")
        foot.addWidget(self.count, 1)
        foot.addWidget(self.more_button)
        foot.addWidget(self.restore_button)
        layout.addLayout(foot)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        self.text.textChanged.connect(self._debounce.start)
        self.entity.currentIndexChanged.connect(self.reload)
        self.actor.currentIndexChanged.connect(self.reload)
        self.more_button.clicked.connect(self.load_older)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.follow(ctx)  # every change adds entries
        self.setTabOrder(self.entity, self.actor)
        self.setTabOrder(self.actor, self.text)
        self.setTabOrder(self.text, self.table)
        self.setTabOrder(self.table, self.more_button)
        self.setTabOrder(self.more_button, self.restore_button)
        self._fill_actors()
        self.reload()

    # ------------------------------------------------------------------------------------------ page protocol

    def focus_find(self) -> None:
        self.text.setFocus()
        self.text.selectAll()

    def show_filters(self, filters: dict[str, Any]) -> None:
        """``entity``, ``actor`` and ``text`` filters (e.g. from an item's "history" link)."""
        for combo, key in ((self.entity, "entity"), (self.actor, "actor")):
            combo.blockSignals(True)
            at = combo.findData(filters.get(key))
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(False)
        self.text.blockSignals(True)
        self.text.setText(str(filters.get("text", "")))
        self.text.blockSignals(False)
        self.reload()

    # ------------------------------------------------------------------------------------------ data

    def _query(self, before_seq: int | None) -> list[AuditRow]:
        with self.ctx.read() as session:
            return audit_rows(
                session,
                entity=self.entity.currentData(),
                actor=self.actor.currentData(),
                text=self.text.text(),
                before_seq=before_seq,
                limit=PAGE_SIZE + 1,
            )

    def reload(self) -> None:
        self._debounce.stop()
        rows = self._query(None)
        self._more = len(rows) > PAGE_SIZE
        self.model.set_rows(rows[:PAGE_SIZE])
        self._after_load()

    def load_older(self) -> None:
        shown = self.model.rows
        if not shown:
            return
        rows = self._query(shown[-1].seq)
        self._more = len(rows) > PAGE_SIZE
        self.model.append_rows(rows[:PAGE_SIZE])
        self._after_load()

    def _after_load(self) -> None:
        n = self.model.rowCount()
        self.count.setText(f"{n:,} entries shown" + (" — older entries can be loaded" if self._more else ""))
        self.more_button.setEnabled(self._more)
        self.table.resizeColumnsToContents()
        self._on_selection_changed()

    def _fill_actors(self) -> None:
        keep = self.actor.currentData()
        with self.ctx.read() as session:
            names = audit_actors(session)
        self.actor.blockSignals(True)
        self.actor.clear()
        self.actor.addItem("Anyone", None)
        for name in names:
            self.actor.addItem(name, name)
        self.actor.setCurrentIndex(max(self.actor.findData(keep), 0))
        self.actor.blockSignals(False)

    def selected(self) -> AuditRow | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def restore_selected(self) -> Task | None:
        row = self.selected()
        if row is None or not is_deletion(row):
            return None
        op = self.ctx.write(restore_deleted, entity=row.entity, entity_id=row.entity_id)
        return op.failure(lambda error: tell(self, "Cannot restore", str(error))).run(initiator=self)

    # ------------------------------------------------------------------------------------------ events

    def _on_selection_changed(self, *_: object) -> None:
        row = self.selected()
        self.restore_button.setEnabled(not self.ctx.read_only and row is not None and is_deletion(row))

    def on_change(self, changes: Changes, initiator: object) -> None:
        self._fill_actors()  # a new name may have made a change
        self.reload()
