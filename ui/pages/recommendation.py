"""A recommendation's dated progress notes and its links to the objectives, milestones and risks that answer it.

Two panels the recommendations register shows beside its form. Both read their lists for the one
recommendation shown, and reload when a committed change touches notes or links.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker import queries as q
from tracker import services as svc
from tracker.models import Kind
from tracker.services import Changes, ServiceError, ValidationError
from tracker.services.registry import REGISTRY
from ui.context import AppContext
from ui.models.table import Column, SortKind, TableModel
from ui.pages.register_form import ItemForm
from ui.pages.register_specs import FormField, objective_choice
from ui.tasks import Task
from ui.widgets.forms import fit_popup, shrinkable

NOTE_COLUMNS = [
    Column("date", "Date", lambda r: r.note_date, sort=SortKind.DATE),
    Column("text", "Note", lambda r: r.text),
    Column("author", "Author", lambda r: r.author),
]
LINK_COLUMNS = [
    Column("kind", "Kind", lambda r: r.kind, display=lambda v: v.capitalize()),
    Column("ref", "Ref", lambda r: r.ref),
    Column("title", "Title", lambda r: r.title),
]
NOTE_FIELDS = (
    FormField("note_date", "Note date", "date", required=True),
    FormField("text", "Note", "text", required=True),
)
LINK_KINDS = (("Objective", "objective"), ("Milestone", "milestone"), ("Risk", "risk"))
MAX_CHOICES = 2_000  # a combo of every milestone at scale would be slow and useless


def _table(model: TableModel, name: str) -> QTableView:
    view = QTableView()
    model.setParent(view)  # the view does not own its model; without a parent it dies first at exit
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # load order until a click
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


class RecommendationDetail:
    """Builds and drives the notes and links panels for the recommendation the register has selected."""

    reload_on: ClassVar[frozenset[Kind]] = frozenset({
        Kind.RECOMMENDATION, Kind.PROGRESS_NOTE,
        *(k for link in REGISTRY[Kind.RECOMMENDATION].links for k in (link.via, link.target)),
    })  # fmt: skip

    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.recommendation_id: str | None = None
        danger = ctx.palette.surfaces.danger

        self.notes = TableModel(NOTE_COLUMNS)
        self.notes_view = _table(self.notes, "Progress notes")
        self.notes_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.notes_view.horizontalHeader().setStretchLastSection(False)
        self.notes_view.selectionModel().currentRowChanged.connect(self._on_note_current_changed)
        self.note_form = ItemForm(NOTE_FIELDS, "note", danger)
        self.add_note_button = QPushButton("Add note")
        self.save_note_button = QPushButton("Save note")
        self.delete_note_button = QPushButton("Delete note")
        for b in (self.add_note_button, self.save_note_button, self.delete_note_button):
            b.setAccessibleName(b.text())
        self.add_note_button.clicked.connect(self.add_note)
        self.save_note_button.clicked.connect(self.save_note)
        self.delete_note_button.clicked.connect(self.delete_note)
        self.notes_panel = QWidget()
        self.notes_panel.setAccessibleName("Progress notes panel")
        nv = QVBoxLayout(self.notes_panel)
        nv.addWidget(self.notes_view, 1)
        nv.addWidget(self.note_form)
        nb = QHBoxLayout()
        for b in (self.add_note_button, self.save_note_button, self.delete_note_button):
            nb.addWidget(b)
        nv.addLayout(nb)

        self.links = TableModel(LINK_COLUMNS, row_id=lambda r: r.link_id)
        self.links_view = _table(self.links, "Linked objectives, milestones and risks")
        for n in (0, 1):
            self.links_view.horizontalHeader().setSectionResizeMode(
                n, QHeaderView.ResizeMode.ResizeToContents
            )
        self.link_kind = QComboBox()
        self.link_kind.setAccessibleName("Kind of item to link")
        for text, value in LINK_KINDS:
            self.link_kind.addItem(text, value)
        self.link_kind.currentIndexChanged.connect(self._fill_targets)
        self.link_target = shrinkable(QComboBox())
        self.link_target.setAccessibleName("Item to link")
        self.link_target.setEditable(True)
        self.link_target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.link_button = QPushButton("Link")
        self.unlink_button = QPushButton("Unlink selected")
        self.link_button.setAccessibleName("Link item")
        self.unlink_button.setAccessibleName("Unlink selected item")
        self.link_button.clicked.connect(self.link)
        self.unlink_button.clicked.connect(self.unlink_selected)
        self.link_message = QLabel()
        self.link_message.setWordWrap(True)
        self.link_message.setStyleSheet(f"color: {danger};")
        self.link_message.setAccessibleName("Link problem")
        self.links_panel = QWidget()
        self.links_panel.setAccessibleName("Links panel")
        lv = QVBoxLayout(self.links_panel)
        lv.addWidget(self.links_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.link_kind)
        row.addWidget(self.link_target, 1)
        lv.addLayout(row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.link_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlink_button)
        lv.addLayout(buttons)
        lv.addWidget(self.link_message)

        ctx.changed.connect(self._on_ctx_changed)
        self.show_recommendation(None)

    # ------------------------------------------------------------------------------------------ loading

    def show_recommendation(self, recommendation_id: str | None) -> None:
        self.recommendation_id = recommendation_id
        self.reload()

    def reload(self) -> None:
        rid = self.recommendation_id
        if rid is None:
            self.notes.set_rows([])
            self.links.set_rows([])
        else:
            with self.ctx.read() as session:
                self.notes.set_rows(q.progress_notes(session, rid))
                self.links.set_rows(q.recommendation_links(session, rid))
        self._fill_targets()
        self.note_form.load(None, {"note_date": _today_iso()})
        self.link_message.clear()
        self._update_enabled()

    def _on_ctx_changed(self, changes: Changes, _initiator: object) -> None:
        if self.recommendation_id and changes.touches(*self.reload_on):
            self.reload()

    def _fill_targets(self) -> None:
        kind = self.link_kind.currentData()
        self.link_target.clear()
        if self.recommendation_id is None:
            return
        with self.ctx.read() as session:
            if kind == "objective":
                choices = [(objective_choice(o), o.id) for o in q.objective_rows(session)]
            elif kind == "risk":
                choices = [(f"{r.ref} — {r.title}", r.id) for r in q.risk_rows(session)]
            else:
                linked = {x.target_id for x in self.links.rows if x.kind == "objective"}
                rows = q.milestone_rows(session)
                if linked:  # milestones of the objectives already linked come first
                    rows = [m for m in rows if m.objective_id in linked] + [
                        m for m in rows if m.objective_id not in linked
                    ]
                choices = [(f"{m.objective_ref} — {m.title}", m.id) for m in rows[:MAX_CHOICES]]
        for text, value in choices:
            self.link_target.addItem(text, value)
        fit_popup(self.link_target)
        if self.link_target.lineEdit() is not None:
            self.link_target.lineEdit().setCursorPosition(0)

    def _update_enabled(self) -> None:
        editable = not self.ctx.read_only and self.recommendation_id is not None
        note = self._selected_note()
        self.note_form.set_editable(editable)
        self.add_note_button.setEnabled(editable)
        self.save_note_button.setEnabled(editable and note is not None)
        self.delete_note_button.setEnabled(editable and note is not None)
        for w in (self.link_kind, self.link_target, self.link_button, self.unlink_button):
            w.setEnabled(editable)

    # ------------------------------------------------------------------------------------------ notes

    def _selected_note(self) -> Any | None:
        index = self.notes_view.currentIndex()
        return self.notes.row_at(index.row()) if index.isValid() else None

    def _on_note_current_changed(self, current: Any, _previous: Any) -> None:
        note = self.notes.row_at(current.row()) if current.isValid() else None
        self.note_form.load(note, {"note_date": _today_iso()})
        self._update_enabled()

    def add_note(self) -> Task | None:
        if self.recommendation_id is None:
            return None
        data = self.note_form.values()
        return self._apply(
            self.note_form, svc.add_progress_note, recommendation_id=self.recommendation_id, data=data
        )

    def save_note(self) -> Task | None:
        note = self._selected_note()
        if note is None:
            return None
        changes = self.note_form.changed_values()
        if not changes:
            self.note_form.show_message("Nothing has changed.")
            return None
        return self._apply(self.note_form, svc.update_progress_note, note_id=note.id, changes=changes)

    def delete_note(self) -> Task | None:
        note = self._selected_note()
        if note is None:
            return None
        return self._apply(self.note_form, svc.delete_progress_note, note_id=note.id)

    # ------------------------------------------------------------------------------------------ links

    def link(self) -> Task | None:
        target = self.link_target.currentData()
        if self.recommendation_id is None or target is None:
            self.link_message.setText("Choose the item to link.")
            return None
        field = f"{self.link_kind.currentData()}_id"
        return self._apply(
            None, svc.link_recommendation, recommendation_id=self.recommendation_id, **{field: target}
        )

    def unlink_selected(self) -> Task | None:
        index = self.links_view.currentIndex()
        if self.recommendation_id is None or not index.isValid():
            self.link_message.setText("Choose a linked item to unlink.")
            return None
        row = self.links.row_at(index.row())
        field = f"{row.kind}_id"
        return self._apply(None, svc.unlink_recommendation, recommendation_id=self.recommendation_id,
                           **{field: row.target_id})  # fmt: skip

    def _apply(self, form: ItemForm | None, service: Any, **kwargs: Any) -> Task:
        """Run a note or link write; refusals go to the note form, or under the links."""

        def refused(error: ServiceError) -> None:
            words = (
                " ".join(p.message for p in error.problems)
                if isinstance(error, ValidationError)
                else str(error)
            )
            if form is None:
                self.link_message.setText(words)
            elif isinstance(error, ValidationError):
                form.show_problems(error.problems)
            else:
                form.show_message(words)

        def done(changes: Changes) -> None:
            if not changes:  # already linked / not linked: nothing written, say why
                self.link_message.setText(changes.summary)

        return self.ctx.write(service, **kwargs).success(done).failure(refused).run(initiator=self)


def _today_iso() -> str:
    return date.today().isoformat()
