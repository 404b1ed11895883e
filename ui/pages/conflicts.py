"""Conflicts: what a sync could not merge, settled by a person (keep mine, take theirs, edit; the PMO
accepts or rejects a late submission), and on an offline copy the changes waiting to be sent or refused.

Each decision is :func:`tracker.services.resolve_conflict` on the write lane: an audited change like
any other, which the next sync sends to the team plan.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.enums import ConflictReason, Role
from tracker.models import Kind
from tracker.queries import people
from tracker.queries.conflicts import ConflictRow, conflict_rows, outbox_rows
from tracker.services import Changes, resolve_conflict
from tracker.sync.replica import read_replica
from tracker.wording import field_label
from ui.context import AppContext
from ui.models.conflicts import ConflictsModel, OutboxModel
from ui.models.roles import ROW_ROLE
from ui.pages.following import FollowsChanges
from ui.tasks import Task
from ui.widgets.layout import page_layout
from ui.widgets.tables import table_view

HINT = (
    "A change sent from an offline copy that could not be merged is held here, with the value both sides "
    "started from, yours and the team plan's: nothing is overwritten until you choose. Each choice is "
    "an audited change, sent with the next sync."
)
PLAIN_FILE = (
    "This plan is a file of its own, so nothing here can conflict: conflicts arise only when an offline "
    "copy of a team plan is synced (File > Connect to a team plan, then File > Work offline)."
)
BUTTONS = (
    ("mine", "Keep &mine", "Keep the value sent from the offline copy"),
    ("theirs", "Take &theirs", "Keep the team plan's value"),
    ("edit", "&Edit…", "Type the value to keep"),
    ("accept", "&Accept", "Take the late submission into the reopened period"),
    ("reject", "&Reject", "Turn the late submission down"),
)


def choices_for(row: ConflictRow | None, *, role: str, login: str, read_only: bool) -> set[str]:
    """The ways this person may settle this conflict (as :func:`resolve_conflict` would allow)."""
    if row is None or not row.open or read_only or role == Role.VIEWER:
        return set()
    if row.reason == ConflictReason.LATE:
        return {"accept", "reject"} if role == Role.PMO else set()
    if role != Role.PMO and login and login != row.login:
        return set()  # another lead's conflict: theirs or the PMO's to settle
    out = {"theirs"}
    if row.reason != ConflictReason.CODE_TAKEN:  # a code another item has cannot be kept
        out.add("mine")
    if row.field:  # a whole-row conflict has no one value to type
        out.add("edit")
    return out


def _named(row: ConflictRow, names: dict[str, str]) -> ConflictRow:
    """A conflict over who owns or leads something names the people, not their ids."""
    if not row.field.endswith("_id"):
        return row
    return replace(
        row,
        **{side: names.get(getattr(row, side), getattr(row, side)) for side in ("base", "mine", "theirs")},
    )


def _fit_columns(table: QTableView, widest: int = 30) -> None:
    """Each column as wide as its contents, up to ``widest`` characters (the cell's tooltip has the rest)."""
    table.resizeColumnsToContents()
    most = table.fontMetrics().averageCharWidth() * widest
    for column in range(table.model().columnCount()):
        table.setColumnWidth(column, min(table.columnWidth(column), most))


class ConflictsPage(FollowsChanges, QWidget):
    # every change on an offline copy waits in its outbox, and a sync may bring conflicts of any kind
    reload_on: ClassVar[frozenset[Kind] | None] = None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        with ctx.read() as session:
            self.replica = read_replica(session) if ctx.store.path is not None else None
        self.synced = self.replica is not None or bool(ctx.identity.server)
        layout = page_layout(self, "Conflicts", HINT if self.synced else "")
        self.empty = QLabel(PLAIN_FILE if not self.synced else "", self)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No conflicts")
        layout.addWidget(self.empty)

        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        self.show_settled = QCheckBox("Show &settled ones too", top)
        self.show_settled.setAccessibleName("Show settled conflicts too")
        self.show_settled.toggled.connect(lambda _on: self.reload())
        column.addWidget(self.show_settled)
        self.model = ConflictsModel(self)
        self.table = table_view("Sync conflicts", top)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._offer_choices())
        column.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for choice, text, tip in BUTTONS:
            button = QPushButton(text, top)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(lambda _=False, c=choice: self._on_choice_clicked(c))
            actions.addWidget(button)
            self.buttons[choice] = button
        self.note = QLabel(top)  # why nothing may be chosen, or why a choice was refused
        self.note.setObjectName("PageHint")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About the chosen conflict")
        actions.addWidget(self.note, 1)
        column.addLayout(actions)

        bottom = QWidget(self)
        below = QVBoxLayout(bottom)
        below.setContentsMargins(0, 0, 0, 0)
        self.outbox_title = QLabel("Your changes not yet on the team plan", bottom)
        self.outbox_title.setObjectName("SectionTitle")
        below.addWidget(self.outbox_title)
        why = QLabel(
            "Each waits for the next sync. A change the team plan refused stays listed, with its reason, for "
            "you to see: it is not on the team plan.",
            bottom,
        )
        why.setObjectName("PageHint")
        why.setWordWrap(True)
        below.addWidget(why)
        self.outbox_model = OutboxModel(self)
        self.outbox = table_view("Changes waiting to be sent, and those the team plan refused", bottom)
        self.outbox.setModel(self.outbox_model)
        below.addWidget(self.outbox, 1)

        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(top)
        self.split.addWidget(bottom)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout.addWidget(self.split, 1)
        top.setVisible(self.synced)
        bottom.setVisible(self.replica is not None)  # a team plan itself has no outbox
        if not self.synced:
            layout.addStretch(1)
        self.follow(ctx)
        self.reload()

    # ------------------------------------------------------------------------------------------ reading

    def reload(self) -> None:
        if not self.synced:
            return
        chosen = self.selected()
        with self.ctx.read() as session:
            rows = conflict_rows(session, include_settled=self.show_settled.isChecked())
            names = {p.id: p.name for p in people(session)}
            waiting = outbox_rows(session) if self.replica is not None else []
        rows = [_named(r, names) for r in rows]
        self.model.set_rows(rows)
        self.outbox_model.set_rows(waiting)
        for table in (self.table, self.outbox):
            _fit_columns(table)
        if chosen is not None and self.model.has_row(chosen.id):
            self.table.selectRow(self.model.view_row_of(chosen.id))
        elif rows:
            self.table.selectRow(0)
        open_ = sum(r.open for r in rows)
        refused = sum(r.state == "refused" for r in waiting)
        self.empty.setText(
            "No conflicts: everything sent so far has been merged." if not rows else
            f"{open_} open conflict{'s' if open_ != 1 else ''} to settle." if open_ else "Every conflict is settled."
        )  # fmt: skip
        self.outbox_title.setText(
            f"Your changes not yet on the team plan: {len(waiting) - refused} waiting, {refused} refused"
        )
        self._offer_choices()

    def selected(self) -> ConflictRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].data(ROW_ROLE) if rows else None

    def select(self, conflict_id: str) -> None:
        self.table.selectRow(self.model.view_row_of(conflict_id))

    # ------------------------------------------------------------------------------------------ settling

    def _offer_choices(self) -> None:
        row, who = self.selected(), self.ctx.identity
        allowed = choices_for(row, role=who.access, login=who.login, read_only=self.ctx.read_only)
        late = row is not None and row.reason == ConflictReason.LATE
        for choice, button in self.buttons.items():
            whole_row = row is not None and not row.field and choice == "edit"
            applies = (choice in ("accept", "reject")) == late and not whole_row
            if late and who.access != Role.PMO:
                applies = False  # accepting a late submission is the PMO's alone
            button.setVisible(applies)
            button.setEnabled(choice in allowed)
        self.note.setText(self._why_not(row, allowed))

    def _why_not(self, row: ConflictRow | None, allowed: set[str]) -> str:
        if row is None or allowed:
            return ""
        if not row.open:
            return f"Settled: {row.state}, by {row.resolved_by}."
        if self.ctx.read_only or self.ctx.identity.access == Role.VIEWER:
            return "You are working read-only: nothing can be settled here."
        if row.reason == ConflictReason.LATE:
            return "A late submission is the PMO's to accept or reject."
        return f"This conflict is {row.login}'s to settle, or the PMO's."

    def _on_choice_clicked(self, choice: str) -> None:
        if choice == "edit":
            row = self.selected()
            if row is None:
                return
            label = f"{field_label(row.field)} to keep for {row.item}:"
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.mine):
                label += " (a date, as 2024-12-31)"
            typed, ok = QInputDialog.getText(self, "Edit the value", label, text=row.mine)
            if ok:
                self.settle("edit", typed)
            return
        self.settle(choice)

    def settle(self, choice: str, value: Any = None) -> Task | None:
        """Settle the selected conflict this way, on the write lane; None when none is selected."""
        row = self.selected()
        if row is None:
            return None
        self.note.setText("")
        for button in self.buttons.values():
            button.setEnabled(False)  # until the write is settled
        return (
            self.ctx.write(
                resolve_conflict,
                conflict_id=row.id,
                choice=choice,
                value=value,
                expected_revision=row.revision,
            )  # fmt: skip
            .success(self._on_settled)
            .failure(self._on_refused)
            .run(initiator=self)
        )

    def _on_settled(self, changes: Changes) -> None:
        self.note.setText(changes.summary + (": sent with the next sync." if self.replica else "."))

    def _on_refused(self, error: Exception) -> None:
        self._offer_choices()
        self.note.setText(f"Not settled: {error}")
