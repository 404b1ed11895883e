"""The Boards section of Plan settings: the plan's governance boards, each added, changed or removed at once."""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.models import Kind
from tracker.queries import boards, objectives_by_board
from tracker.services import Changes, create_board, delete_board, update_board
from tracker.wording import plural
from ui.context import AppContext
from ui.models.roles import ROW_ROLE
from ui.models.table import RIGHT, Column, SortKind, TableModel
from ui.pages.following import FollowsChanges
from ui.widgets.dialogs import confirm
from ui.widgets.forms import FieldErrors
from ui.widgets.tables import table_view


class BoardLine(NamedTuple):
    id: str
    name: str
    cadence: str
    description: str
    n_objectives: int


COLUMNS = (
    Column("name", "Board", lambda b: b.name),
    Column("cadence", "Meets", lambda b: b.cadence),
    Column("n", "Objectives", lambda b: b.n_objectives, sort=SortKind.NUMBER, align=RIGHT,
           tooltip="How many objectives report to the board: a board in use cannot be removed"),
)  # fmt: skip


class BoardsPanel(FollowsChanges, QWidget):
    """The boards, with a form to add one or change the one chosen; Remove refuses a board in use."""

    reload_on: ClassVar[frozenset[Kind] | None] = frozenset({Kind.BOARD, Kind.OBJECTIVE})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = TableModel(COLUMNS, parent=self)
        self.table = table_view("Boards", self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)  # the board's name takes the width, the count keeps its own
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        self.name = QLineEdit(self)
        self.cadence = QLineEdit(self)
        self.cadence.setPlaceholderText("for example: quarterly")
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form = QFormLayout()
        self.general_error = QLabel(self)
        self.errors = FieldErrors(form, self.general_error)
        self.errors.add_row("Board &name:", "name", self.name, accessible="Board name")
        self.errors.add_row("&Meets:", "cadence", self.cadence, accessible="How often the board meets")
        self.errors.add_row("&Description:", "description", self.description, accessible="Board description")
        self.new_button = QPushButton("&New board", self)
        self.new_button.setToolTip("Clear the form to add a board")
        self.save_button = QPushButton("&Add board", self)
        self.remove_button = QPushButton("Re&move board…", self)
        self.remove_button.setToolTip("Remove the chosen board (only one no objective reports to)")
        buttons = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        hint = QLabel("Board changes are saved as you make them, and each can be undone.", self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_table_selection_changed())
        self.follow(ctx)

    # ------------------------------------------------------------------------------------------ reading

    def reload(self) -> None:
        keep = self.selected()
        with self.ctx.read() as session:
            used = objectives_by_board(session)
            rows = [BoardLine(*b, used.get(b.id, 0)) for b in boards(session)]
        self.model.set_rows(rows)
        if keep is not None and self.model.has_row(keep.id):
            self.table.selectRow(self.model.view_row_of(keep.id))
        self._update_buttons()

    def selected(self) -> BoardLine | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def start_new(self) -> None:
        self.table.clearSelection()
        self.errors.clear()
        self.name.setFocus()

    def _on_table_selection_changed(self) -> None:
        row = self.selected()
        self.errors.clear()
        self.name.setText(row.name if row else "")
        self.cadence.setText(row.cadence if row else "")
        self.description.setPlainText(row.description if row else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected()
        self.save_button.setText("&Save board" if row else "&Add board")
        self.save_button.setAccessibleName("Save the chosen board" if row else "Add the board")
        self.remove_button.setEnabled(row is not None)
        if row is not None and row.n_objectives:
            self.remove_button.setToolTip(
                f"{plural(row.n_objectives, 'objective')} report to “{row.name}”: move them to another "
                "board before removing it"
            )
        else:
            self.remove_button.setToolTip("Remove the chosen board")

    # ------------------------------------------------------------------------------------------ writing

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "cadence": self.cadence.text(),
                "description": self.description.toPlainText()}  # fmt: skip

    def save(self):  # type: ignore[no-untyped-def]
        """Add the board in the form, or save the chosen one's changes."""
        row = self.selected()
        self.errors.clear()
        if row is None:
            op = self.ctx.write(create_board, data=self.values())
        else:
            changed = {k: v for k, v in self.values().items() if v != getattr(row, k)}
            if not changed:
                return None
            op = self.ctx.write(update_board, board_id=row.id, changes=changed)
        return op.success(self._on_saved).failure(self.errors.show).run(initiator=self)

    def remove(self):  # type: ignore[no-untyped-def]
        row = self.selected()
        if row is None or not confirm(self, "Remove a board", f"Remove the board “{row.name}”?", "Remove"):
            return None
        self.errors.clear()
        return self.ctx.write(delete_board, board_id=row.id).failure(self.errors.show).run(initiator=self)

    def _on_saved(self, changes: Changes) -> None:
        if changes.created:
            self.reload()
            self.table.selectRow(self.model.view_row_of(changes.created[-1]))
