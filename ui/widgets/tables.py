"""A short list's table view and the find box above it; the model sorts and filters (ui.models.table)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QTreeView, QWidget


def table_view(accessible: str, parent: QWidget) -> QTableView:
    """A read-only table of whole-row single selection whose Tab key moves on to the next control."""
    view = QTableView(parent)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table for the next control
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def filter_box(placeholder: str, accessible: str, parent: QWidget) -> QLineEdit:
    box = QLineEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(accessible)
    box.setClearButtonEnabled(True)
    return box


class _FillsTheRest(QObject):
    """Keeps one column as wide as the width the others leave, never narrower than ``fewest`` pixels."""

    def __init__(self, view: QAbstractItemView, header: QHeaderView, column: int, fewest: int):
        super().__init__(view)
        self.view, self.header, self.column, self.fewest = view, header, column, fewest
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._on_header_section_resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != self.column:  # another column grew or shrank with its contents
            self.fit()

    def fit(self) -> None:
        others = sum(
            self.header.sectionSize(c)
            for c in range(self.header.count())
            if c != self.column and not self.header.isSectionHidden(c)
        )
        self.header.resizeSection(self.column, max(self.fewest, self.view.viewport().width() - others))


def fill_the_rest(view: QTreeView | QTableView, column: int, fewest: int) -> None:
    """Give ``column`` the width the other columns leave (at least ``fewest`` pixels; beyond, the view scrolls).

    Qt's Stretch mode has no least width: beside wide columns a stretched title shrank to nothing.
    """
    header = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()
    _FillsTheRest(view, header, column, fewest)
