"""A short list's table view and the find box above it; the model sorts and filters (ui.models.table)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget


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
