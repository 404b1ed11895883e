"""Who you are: a person from the plan, the PMO, or a read-only viewer (SLT). Recorded on every change."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.queries import PersonRow
from ui.context import Identity
from ui.settings import Remembered

PMO = "PMO"
VIEWER = "Viewer (read-only)"
_ROLE = Qt.ItemDataRole.UserRole


def choices(persons: Sequence[PersonRow]) -> list[tuple[str, Remembered]]:
    """The options, in order: PMO, the read-only viewer, then each active person in the plan."""
    out = [
        (f"{PMO} — programme office: can change anything", Remembered(Identity(PMO, None, PMO))),
        (
            f"{VIEWER} — for SLT: look, change nothing",
            Remembered(Identity("Viewer", None, "viewer"), read_only=True),
        ),
    ]
    for p in persons:
        if p.active:
            out.append((p.label, Remembered(Identity(p.name, p.id, p.role_title))))
    return out


def identity_from_name(name: str, persons: Sequence[PersonRow]) -> Remembered:
    """``--as NAME``: the person of that name, the viewer, or else the PMO working under that name."""
    want = name.strip().casefold()
    for p in persons:
        if p.name.casefold() == want:
            return Remembered(Identity(p.name, p.id, p.role_title))
    if want in ("viewer", VIEWER.casefold()):
        return Remembered(Identity("Viewer", None, "viewer"), read_only=True)
    return Remembered(Identity(name.strip() or PMO, None, PMO))


class IdentityDialog(QDialog):
    """Asks once per plan who is using the app; ``chosen`` holds the answer after ``accept``."""

    def __init__(
        self,
        persons: Sequence[PersonRow],
        plan_name: str,
        current: Remembered | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Who are you?")
        self.setAccessibleName("Who are you")
        self.chosen: Remembered | None = None
        intro = QLabel(
            f"<b>Who is using {plan_name}?</b><br>Every change you make is recorded in the audit log "
            "under this name. You can change it later from the File menu or the status bar."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.list = QListWidget(self)
        self.list.setAccessibleName("People you can be")
        intro.setBuddy(self.list)
        for label, option in choices(persons):
            item = QListWidgetItem(label, self.list)
            item.setData(_ROLE, option)
            if current is not None and option == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Continue")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName(
            "Continue as the chosen person"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        wanted = self.list.sizeHintForColumn(0) + self.fontMetrics().averageCharWidth() * 6
        self.resize(max(min(wanted, 1000), self.fontMetrics().averageCharWidth() * 70),
                    self.fontMetrics().height() * 26)  # fmt: skip
        self.list.setFocus()

    def select(self, name: str) -> None:
        """Choose the option whose identity has this name (for tests and ``--as``)."""
        for row in range(self.list.count()):
            option: Remembered = self.list.item(row).data(_ROLE)
            if option.identity.name == name:
                self.list.setCurrentRow(row)
                return
        raise KeyError(name)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = item.data(_ROLE)
        super().accept()

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self.accept()
