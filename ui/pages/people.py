"""People: who is in the plan, their roles and what they hold; the PMO adds, changes, deactivates and
removes them, and hands a person's work to a successor.

A lead or a viewer sees the same list and form, with the fields read-only and the buttons hidden
(rather than greyed): nothing there is theirs to change, and a line under the form says so.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tracker.models import Kind
from tracker.queries.holdings import PersonHoldingRow, people_with_holdings
from tracker.services import Changes, create_person, delete_person, update_person
from tracker.services.holdings import HELD
from ui.context import AppContext
from ui.models.people import PeopleModel
from ui.models.roles import ROW_ROLE
from ui.pages.following import FollowsChanges
from ui.pages.people_handover import HandOverDialog
from ui.tasks import Task
from ui.widgets.dialogs import confirm
from ui.widgets.forms import FieldErrors
from ui.widgets.layout import page_layout
from ui.widgets.tables import filter_box, table_view


class PeoplePage(FollowsChanges, QWidget):
    reload_on: ClassVar[frozenset[Kind]] = frozenset({Kind.PERSON, *(e.kind for e, _ in HELD)})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._editing: PersonHoldingRow | None = None
        self._hand_over_dialog: HandOverDialog | None = None
        layout = page_layout(self, "People", "Leads and owners in the plan. Someone who leaves hands their "
                             "work over to a successor and is made inactive, so the history of what they "
                             "reported stays whole.")  # fmt: skip
        self.find = filter_box("Find a person by name, role or email", "Find a person", self)
        layout.addWidget(self.find)

        self.model = PeopleModel(self)
        self.table = table_view("People", self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.find.textChanged.connect(self.model.set_filter)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_form())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        unit = self.fontMetrics().averageCharWidth()
        splitter.setSizes([unit * 130, unit * 60])
        layout.addWidget(splitter, 1)

        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.follow(ctx)
        ctx.identity_changed.connect(lambda _identity: self._apply_access())
        self.setTabOrder(self.find, self.table)
        self.setTabOrder(self.table, self.name)
        self.reload()
        self._apply_access()

    def _build_form(self) -> QWidget:
        box = QGroupBox("Person", self)
        self.form_box = box
        form = QFormLayout()
        self.general_error = QLabel(box)
        self.errors = FieldErrors(form, self.general_error)
        self.name = QLineEdit(box)
        self.role_title = QLineEdit(box)
        self.email = QLineEdit(box)
        self.email.setPlaceholderText("name@example.org")
        self.active = QCheckBox("Active (can lead and own items)", box)
        self.errors.add_row("&Name:", "name", self.name)
        self.errors.add_row("&Role:", "role_title", self.role_title, accessible="Role title")
        self.errors.add_row("&Email:", "email", self.email)
        self.errors.add_row("", "active", self.active, accessible="Active")
        self.holds = QLabel(box)
        self.holds.setWordWrap(True)
        self.holds.setObjectName("PageHint")
        self.holds.setAccessibleName("What this person holds")

        self.save_button = QPushButton("&Save", box)
        self.save_button.setAccessibleName("Save person")
        self.save_button.setDefault(True)
        self.new_button = QPushButton("New &person", box)
        self.new_button.setAccessibleName("New person")
        self.deactivate_button = QPushButton("&Deactivate", box)
        self.deactivate_button.setAccessibleName("Deactivate person")
        self.hand_over_button = QPushButton("&Hand over…", box)
        self.hand_over_button.setAccessibleName("Hand over this person's work")
        self.remove_button = QPushButton("Re&move", box)
        self.remove_button.setAccessibleName("Remove person")
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_item)
        self.deactivate_button.clicked.connect(self._on_deactivate_clicked)
        self.hand_over_button.clicked.connect(self.hand_over)
        self.remove_button.clicked.connect(self.remove)
        self.name.returnPressed.connect(self.save)
        self.email.returnPressed.connect(self.save)

        buttons = QHBoxLayout()
        for button in (self.save_button, self.new_button, self.deactivate_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        moves = QHBoxLayout()  # a second row: the form is a third of the page, too narrow for five
        for button in (self.hand_over_button, self.remove_button):
            moves.addWidget(button)
        moves.addStretch(1)
        self.buttons = (self.save_button, self.new_button, self.deactivate_button, self.hand_over_button,
                        self.remove_button)  # fmt: skip
        self.why_read_only = QLabel(box)
        self.why_read_only.setWordWrap(True)
        self.why_read_only.setObjectName("PageHint")
        column = QVBoxLayout(box)
        column.addLayout(form)
        column.addWidget(self.holds)
        column.addWidget(self.general_error)
        column.addLayout(buttons)
        column.addLayout(moves)
        column.addWidget(self.why_read_only)
        column.addStretch(1)
        return box

    @property
    def editable(self) -> bool:
        """Only the PMO changes people (the services refuse anyone else too)."""
        return self.ctx.is_pmo

    def _apply_access(self) -> None:
        """Fields read-only and buttons hidden unless working as the PMO, with a line saying why."""
        editable = self.editable
        for field in (self.name, self.role_title, self.email):
            field.setReadOnly(not editable)
        self.active.setEnabled(editable)
        for button in self.buttons:
            button.setVisible(editable)
        if editable:
            self.why_read_only.hide()
        else:
            who = "the plan is open read-only" if self.ctx.read_only else (
                f"you are working as {self.ctx.identity.access.label} ({self.ctx.identity.name})")  # fmt: skip
            self.why_read_only.setText(f"Only the PMO adds, changes or removes people: {who}.")
            self.why_read_only.show()
        if self._editing is None:
            self._start_new()
        else:
            self._show(self._editing)

    def _title(self, name: str) -> str:
        return name if self.editable else f"{name} (read-only)"

    # ------------------------------------------------------------------------------------------ page protocol

    def focus_find(self) -> None:
        self.find.setFocus()
        self.find.selectAll()

    def can_create(self) -> bool:
        return self.editable

    def new_item(self) -> None:
        if not self.editable:
            return
        self.table.clearSelection()
        self._start_new()
        self.name.setFocus()

    def show_filters(self, filters: dict[str, Any]) -> None:
        self.find.setText(str(filters.get("text", "")))

    # ------------------------------------------------------------------------------------------ data

    def reload(self) -> None:
        keep = self._editing.id if self._editing else None
        with self.ctx.read() as session:
            rows = people_with_holdings(session)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            cap = self.fontMetrics().averageCharWidth() * 26
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))
        if keep:
            self.select_person(keep)

    def select_person(self, person_id: str) -> bool:
        row = self.model.view_row_of(person_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def save(self) -> Task | None:
        """Add or change the person in the form, on the write lane; refusals beside the fields."""
        data = {
            "name": self.name.text(),
            "role_title": self.role_title.text(),
            "email": self.email.text(),
            "active": self.active.isChecked(),
        }
        if self._editing is None:
            op = self.ctx.write(create_person, data=data)
        else:
            op = self.ctx.write(
                update_person,
                person_id=self._editing.id,
                changes=data,
                expected_revision=self._editing.revision,
            )

        def saved(changes: Changes) -> None:
            self.errors.clear()
            if changes.created:
                self.select_person(changes.created[0])

        return op.success(saved).failure(self.errors.show).run(initiator=self)

    # ------------------------------------------------------------------------------------------ events

    def _start_new(self) -> None:
        self._editing = None
        self.form_box.setTitle("New person" if self.editable else self._title("Person"))
        for field in (self.name, self.role_title, self.email):
            field.clear()
        self.active.setChecked(True)
        self.holds.setText("")
        for button in (self.deactivate_button, self.hand_over_button, self.remove_button):
            button.setEnabled(False)
        self.hand_over_button.setToolTip("Choose a person in the list first")
        self.errors.clear()

    def _show(self, row: PersonHoldingRow) -> None:
        self._editing = row
        self.form_box.setTitle(self._title(row.name))
        self.name.setText(row.name)
        self.role_title.setText(row.role_title)
        self.email.setText(row.email)
        for field in (self.name, self.role_title, self.email):
            field.setCursorPosition(0)  # a long role reads from its start
        self.active.setChecked(row.active)
        self.holds.setText(f"{row.name} holds: {row.holds}." if row.holds else "Holds nothing open.")
        self.deactivate_button.setEnabled(True)
        self.remove_button.setEnabled(True)
        self.hand_over_button.setEnabled(bool(row.holds))
        self.hand_over_button.setToolTip(
            f"Give everything {row.name} leads or owns to someone else, in one step"
            if row.holds else f"{row.name} holds nothing open to hand over"
        )  # fmt: skip
        self.deactivate_button.setText("Re&activate" if not row.active else "&Deactivate")
        self.deactivate_button.setAccessibleName(
            "Reactivate person" if not row.active else "Deactivate person"
        )
        self.errors.clear()

    def _on_table_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show(rows[0].data(ROW_ROLE))

    def _on_deactivate_clicked(self) -> None:
        row = self._editing
        if row is None:
            return
        if row.active and row.holds:
            question = (f"{row.name} still {row.holds}. Deactivating keeps those items with them until you "
                        "give them to someone else. Deactivate anyway?")  # fmt: skip
            if not confirm(self, "Deactivate person", question, "Deactivate"):
                return
        self.ctx.write(
            update_person,
            person_id=row.id,
            changes={"active": not row.active},
            expected_revision=row.revision,
        ).failure(self.errors.show).run(initiator=self)

    def hand_over(self) -> HandOverDialog | None:
        """Open the hand-over dialog for the selected person (shown, not run: the caller may exec it)."""
        row = self._editing
        if row is None or not self.editable:
            return None
        if self._hand_over_dialog is not None:
            self._hand_over_dialog.deleteLater()  # the last one, kept until now for its outcome
        dialog = self._hand_over_dialog = HandOverDialog(self.ctx, row, self)
        dialog.open()
        return dialog

    def remove(self) -> Task | None:
        """Remove the selected person, after asking; refused (and told why) while they hold anything."""
        row = self._editing
        if row is None or not self.editable:
            return None
        question = (f"Remove {row.name} from the plan? The audit log keeps what they did, and Undo or the "
                    "audit log can bring them back.")  # fmt: skip
        # someone who holds items is refused by the service, which lists them: no question first
        if not row.holds and not confirm(self, "Remove person", question, "Remove"):
            return None
        return (
            self.ctx.write(delete_person, person_id=row.id, expected_revision=row.revision)
            .success(lambda _changes: (self.table.clearSelection(), self._start_new()))
            .failure(self.errors.show)
            .run(initiator=self)
        )
