"""An objective's milestones: edit in place, add below, delete with confirmation, each through the services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.queries import MilestoneRow, PersonRow
from tracker.services import (
    Changes,
    ServiceError,
    ValidationError,
    create_milestone,
    delete_milestone,
    update_milestone,
)
from ui.context import AppContext
from ui.models.objective_milestones import DATES, OWNER, STATE, MilestonesModel
from ui.pages.objective_form import display_message
from ui.tasks import Task
from ui.widgets.chips import ChipDelegate
from ui.widgets.dates import DateDelegate, DateField
from ui.widgets.forms import clear_when_edited, field_with_error, fit_popup, shrinkable

ADD_FIELDS = (
    ("title", "Title", "What will be delivered"),
    ("owner_id", "Owner", "Who delivers it"),
    ("baseline_date", "Baseline", "The agreed date, DD/MM/YYYY"),
    ("forecast_date", "Forecast", "The expected date, DD/MM/YYYY (blank: the baseline)"),
)


def ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, defaultButton=QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class OwnerDelegate(QStyledItemDelegate):
    """The owner column edits with a list of people."""

    def __init__(self, people: Callable[[], Sequence[PersonRow]], parent: QWidget | None = None):
        super().__init__(parent)
        self._people = people

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Owner")
        combo.addItem("No owner", "")
        for person in self._people():
            combo.addItem(person.name, person.id)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData() or None, Qt.ItemDataRole.EditRole)


class MilestonesPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.objective_id: str | None = None
        self.people: list[PersonRow] = []
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(self, title, text)

        self.model = MilestonesModel(self._commit, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Milestones")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setItemDelegateForColumn(STATE, ChipDelegate(ctx.palette, self.table))
        for column in DATES:
            self.table.setItemDelegateForColumn(column, DateDelegate(self.table))
        self.table.setItemDelegateForColumn(OWNER, OwnerDelegate(lambda: self.people, self.table))

        self.as_of = QLabel(wordWrap=True)  # what the states are judged against
        self.as_of.setObjectName("PageHint")
        self.as_of.setAccessibleName("Milestone states as of")
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName("Milestone problem")
        self.message.setStyleSheet(f"color: {ctx.palette.surfaces.danger};")
        self.message.setVisible(False)

        self.delete_button = QPushButton("Delete milestone…")
        self.delete_button.setAccessibleName("Delete the selected milestone")
        self.delete_button.clicked.connect(self.delete_selected)

        self.add_inputs: dict[str, QWidget] = {}
        self.add_errors: dict[str, QLabel] = {}
        # a form, not a row of columns: in the detail panel a row left the title box 30 px wide and
        # wrapped its errors a word to a line
        grid = QFormLayout()
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        grid.setVerticalSpacing(4)
        for name, label, hint in ADD_FIELDS:
            widget: QWidget
            if name == "owner_id":  # as narrow as the form: the longest name no longer widens the detail
                widget = shrinkable(QComboBox(), 16)
            elif name == "title":
                widget = QLineEdit(placeholderText=hint)
            else:
                widget = DateField(optional=name == "forecast_date")
            widget.setAccessibleName(f"New milestone {label.lower()}")
            widget.setAccessibleDescription(hint)
            widget.setToolTip(hint)
            caption = QLabel(label)
            caption.setBuddy(widget)
            error = QLabel()
            error.setAccessibleName(f"New milestone {label.lower()}: problem")
            error.setStyleSheet(f"color: {ctx.palette.surfaces.danger};")
            error.setVisible(False)
            grid.addRow(caption, field_with_error(widget, error, keep_width=isinstance(widget, DateField)))
            clear_when_edited(widget, error)
            self.add_inputs[name], self.add_errors[name] = widget, error
        self.add_button = QPushButton("Add milestone")
        self.add_button.setAccessibleName("Add milestone")
        self.add_button.clicked.connect(self.add)
        grid.addRow("", self.add_button)

        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addStretch(0)
        row.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.as_of)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        heading = QLabel("<b>New milestone</b>")
        layout.addWidget(heading)
        layout.addLayout(grid)

    # ------------------------------------------------------------------------------------------ showing

    def show_rows(
        self, objective_id: str, rows: Sequence[MilestoneRow], people: Sequence[PersonRow], as_of: str = ""
    ) -> None:
        """Show the objective's milestones; ``as_of`` says what their states are judged against."""
        keep = self.selected_id()
        self.as_of.setText(as_of)
        self.as_of.setVisible(bool(as_of))
        self.objective_id = objective_id
        self.people = list(people)
        self.model.set_rows(rows)
        owner = self.add_inputs["owner_id"]
        assert isinstance(owner, QComboBox)
        chosen = owner.currentData() or ""
        owner.clear()
        owner.addItem("No owner", "")
        for person in self.people:
            owner.addItem(person.name, person.id)
        owner.setCurrentIndex(max(0, owner.findData(chosen)))
        fit_popup(owner)
        editable = not self.ctx.read_only
        self.model.editable = editable
        for widget in (*self.add_inputs.values(), self.add_button, self.delete_button):
            widget.setEnabled(editable)
        if keep:
            index = self.model.index_of(keep)
            if index.isValid():
                self.table.selectRow(index.row())

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    # ------------------------------------------------------------------------------------------ writing

    def _commit(self, row: MilestoneRow, field: str, value: Any) -> Task:
        """Write one edited cell on the write lane; a refusal is said under the table (and kept on the model)."""
        self._say("")
        self.model.last_problem = None

        def refused(error: ServiceError) -> None:
            if isinstance(error, ValidationError):
                message = "; ".join(display_message(p.field, p.message) for p in error.problems)
            else:
                message = str(error)
            self.model.last_problem = message
            self._say(f"Not saved: {message}")

        op = self.ctx.write(
            update_milestone, milestone_id=row.id, changes={field: value}, expected_revision=row.revision
        )
        return op.failure(refused).run(initiator=self)

    def add(self) -> Task | None:
        if self.objective_id is None:
            return None
        for label in self.add_errors.values():
            label.clear()
            label.setVisible(False)
        data: dict[str, Any] = {"objective_id": self.objective_id}
        for name, widget in self.add_inputs.items():
            if isinstance(widget, QComboBox):
                data[name] = widget.currentData() or None
            elif isinstance(widget, DateField):
                data[name] = widget.iso()
            else:
                data[name] = widget.text()  # type: ignore[attr-defined]

        def added(_changes: Changes) -> None:
            for widget in self.add_inputs.values():
                if isinstance(widget, QLineEdit):
                    widget.clear()
            self._say("")

        def refused(error: ServiceError) -> None:
            problems = error.problems if isinstance(error, ValidationError) else []
            for problem in problems:
                label = self.add_errors.get(problem.field)
                if label is not None:
                    label.setText("⚠ " + display_message(problem.field, problem.message))
                    label.setVisible(True)
            loose = [p.message for p in problems if p.field not in self.add_errors] or (
                [] if problems else [str(error)]
            )
            self._say("Not added: " + ("; ".join(loose) if loose else "see the messages under the fields."))

        return self.ctx.write(create_milestone, data=data).success(added).failure(refused).run(initiator=self)

    def delete_selected(self) -> Task | None:
        index = self.table.currentIndex()
        if not index.isValid():
            self._say("Select a milestone to delete.")
            return None
        row = self.model.row_at(index.row())
        text = (
            f"Delete the milestone “{row.title}”?\n\nIt can be brought back with Undo or from the audit log."
        )
        if not self.confirm("Delete milestone", text):
            return None
        op = self.ctx.write(delete_milestone, milestone_id=row.id, expected_revision=row.revision)
        return op.failure(lambda error: self._say(f"Not deleted: {error}")).run(initiator=self)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
