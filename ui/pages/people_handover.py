"""The People page's "Hand over…" dialog: choose a successor, see what moves, confirm (one undoable step)."""

from __future__ import annotations

from collections import Counter
from operator import attrgetter

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.queries import people
from tracker.queries.holdings import HeldItemRow, PersonHoldingRow, held_item_rows
from tracker.services import Changes, hand_over
from tracker.services.handover import moved_words
from tracker.services.holdings import HELD
from tracker.services.registry import REGISTRY
from ui.context import AppContext
from ui.models.table import Column, TableModel
from ui.tasks import Task
from ui.widgets.forms import FieldErrors, fit_popup, shrinkable
from ui.widgets.tables import table_view


def _kind(row: HeldItemRow) -> str:
    noun = REGISTRY[row.kind].noun
    return noun[0].upper() + noun[1:] + ("" if row.open else " (closed)")


COLUMNS = (
    Column("kind", "Kind", _kind),
    Column("ref", "Reference", attrgetter("ref")),
    Column("title", "Title", attrgetter("title"), tip=attrgetter("title")),
)


class HandOverDialog(QDialog):
    """Hands ``person``'s work to the chosen successor through ``ctx.write``; closes once it is written."""

    def __init__(self, ctx: AppContext, person: PersonHoldingRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.person = person
        self.setWindowTitle(f"Hand over {person.name}'s work")
        self.setAccessibleName("Hand over a person's work")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Everything {person.name} leads or owns moves to the person you choose, in one step: "
            "Undo puts it all back. The audit log keeps who held what before.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.general_error = QLabel(self)
        self.errors = FieldErrors(form, self.general_error)
        self.successor = shrinkable(QComboBox(self), 24)
        self.include_closed = QCheckBox(
            "Also hand over closed items (completed milestones, closed risks and recommendations)", self
        )
        self.include_closed.setToolTip(
            "Left clear, closed items stay with the person who held them when they closed, "
            "as the periods that reported them show."
        )
        self.deactivate = QCheckBox(f"{person.name} is leaving: mark them inactive in the same step", self)
        self.deactivate.setChecked(True)
        self.deactivate.setToolTip(
            "An inactive person can no longer be chosen as a lead or owner; what they reported stays theirs."
        )
        self.errors.add_row("&Successor:", "to_person_id", self.successor, accessible="Successor")
        self.errors.add_row(
            "", "include_closed", self.include_closed, accessible="Also hand over closed items"
        )
        self.errors.add_row("", "deactivate", self.deactivate, accessible="Mark them inactive")
        layout.addLayout(form)

        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("What moves")
        bold = self.counts.font()
        bold.setBold(True)  # the counts by kind are the preview's gist; the list below is the detail
        self.counts.setFont(bold)
        layout.addWidget(self.counts)
        self.model = TableModel(COLUMNS, parent=self)
        self.table = table_view("Items that move", self)
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.general_error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.hand_over_button = QPushButton("&Hand over", self)
        self.hand_over_button.setAccessibleName("Hand over")
        self.hand_over_button.setAutoDefault(False)
        buttons.addButton(self.hand_over_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.hand_over_button.clicked.connect(self.confirm)
        layout.addWidget(buttons)

        self._fill_successors()
        self.successor.currentIndexChanged.connect(lambda _i: self._update_button())
        self.include_closed.toggled.connect(lambda _on: self.reload())
        self.reload()
        self._size_to_screen()

    def _size_to_screen(self) -> None:
        """Wide enough for a title's first words and tall enough for a dozen rows, within the screen."""
        unit, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().height()
        width, height = unit * 150, line * 40
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() * 9 // 10), min(height, room.height() * 8 // 10)
        self.resize(width, height)

    def _fill_successors(self) -> None:
        with self.ctx.read() as session:
            active = [p for p in people(session, active_only=True) if p.id != self.person.id]
        self.successor.addItem("Choose who takes over…", None)
        for p in active:
            self.successor.addItem(p.label, p.id)
        fit_popup(self.successor)

    def reload(self) -> None:
        """Read what would move now (open items, or closed ones too)."""
        closed = self.include_closed.isChecked()
        with self.ctx.read() as session:
            rows = held_item_rows(session, self.person.id, include_closed=closed)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        cap = self.fontMetrics().averageCharWidth() * 22
        for column in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), cap))
        by_kind = Counter(row.kind for row in rows)
        words = moved_words([by_kind[e.kind] for e, _ in HELD], include_closed=closed)
        self.counts.setText(
            f"Moves {words}."
            if words
            else f"{self.person.name} holds nothing {'' if closed else 'open '}to hand over."
        )
        self._update_button()

    def chosen(self) -> str | None:
        return self.successor.currentData()

    def _update_button(self) -> None:
        self.hand_over_button.setEnabled(bool(self.chosen()) and self.model.rowCount() > 0)

    def confirm(self) -> Task | None:
        """Write the hand-over; the dialog closes when it is written, or shows why it was refused."""
        to_id = self.chosen()
        if not to_id:
            return None
        self.hand_over_button.setEnabled(False)

        def done(_changes: Changes) -> None:
            self.accept()

        def refused(error: Exception) -> None:
            self.errors.show(error)
            self.reload()

        return (
            self.ctx.write(
                hand_over,
                from_person_id=self.person.id,
                to_person_id=to_id,
                include_closed=self.include_closed.isChecked(),
                expected_ids=[row.id for row in self.model.rows],
                deactivate=self.deactivate.isChecked(),
            )
            .success(done)
            .failure(refused)
            .run(initiator=self.parent())
        )
