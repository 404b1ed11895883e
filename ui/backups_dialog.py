"""File > Backups…: the automatic backups of the open plan (when, why, size, rows), and Restore…."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from tracker import autobackup
from tracker.autobackup import Kept
from tracker.wording import file_size
from ui.models.roles import ROW_ROLE
from ui.models.table import RIGHT, Column, SortKind, TableModel
from ui.widgets.dialogs import confirm
from ui.widgets.tables import table_view

COLUMNS = (
    Column("at", "When (UTC)", lambda k: k.at, display=lambda at: f"{at:%d %b %Y %H:%M:%S}", sort=SortKind.DATE),
    Column("why", "Why", lambda k: k.why.capitalize()),
    Column("size", "Size", lambda k: k.size, display=file_size, sort=SortKind.NUMBER, align=RIGHT),
    Column("rows", "Rows", lambda k: k.rows, display=lambda n: "not verified" if n is None else f"{n:,}",
           sort=SortKind.NUMBER, align=RIGHT),
    Column("name", "File", lambda k: k.path.name),
)  # fmt: skip


class BackupsDialog(QDialog):
    """Lists the backups kept beside ``store_path``; Restore… asks, then emits :attr:`restore_requested`."""

    restore_requested = Signal(object)  # the Path of the backup to restore; the window does the rest

    def __init__(self, store_path: Path | None, parent: QWidget | None = None, *, read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")
        self.store_path = store_path
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        self.model = TableModel(COLUMNS, row_id=lambda k: k.path.name, parent=self)
        self.view = table_view("Automatic backups", self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # newest first, as listed
        layout.addWidget(self.view, 1)
        self.rule = QLabel(autobackup.RULE, self)
        self.rule.setWordWrap(True)
        layout.addWidget(self.rule)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setToolTip("Replace the open plan with the chosen backup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.view.doubleClicked.connect(lambda _i: self._on_restore_clicked())
        self._read_only = read_only
        self.reload()
        self.resize(900, 420)

    def reload(self) -> None:
        path = self.store_path
        if path is None:
            self.intro.setText(autobackup.SERVER_NOTE)
            self.model.set_rows([])
            self.view.hide()
            self.rule.hide()
        else:
            kept = autobackup.listing(path)
            folder = autobackup.folder_for(path)
            when = (
                "One is taken the first time each day the plan is opened for editing, and before each "
                "return is applied, period closed, schema upgrade and restore."
            )
            self.intro.setText(
                f"Automatic backups of {path.name}, newest first, in {folder}. {when}"
                if kept
                else f"No automatic backups of {path.name} yet; they are kept in {folder}. {when}"
            )
            self.model.set_rows(kept)
            if kept:
                self.view.selectRow(0)
            self.view.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> Kept | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(not self._read_only and self.selected() is not None)
        if self._read_only:
            self.restore_button.setToolTip(
                "The plan is open read-only: open it for editing to restore a backup"
            )

    def _on_restore_clicked(self) -> None:
        kept = self.selected()
        if kept is None or self._read_only or self.store_path is None:
            return
        when = f"{kept.at:%d %b %Y %H:%M} UTC"
        if confirm(
            self,
            "Restore a backup",
            f"Replace {self.store_path.name} with the backup of {when} ({kept.why})?\n\n"
            "Every change made since then is taken out of the plan. The plan as it is now is backed up "
            "first, so you can restore it again from this list. The plan reopens when it is done.",
            "Restore",
        ):
            self.accept()  # closed first: the window it belongs to is replaced when the plan reopens
            self.restore_requested.emit(kept.path)
