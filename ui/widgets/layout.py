"""A small page's layout: its title, and a hint under it saying what the page is for."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def page_layout(page: QWidget, title: str, hint: str = "") -> QVBoxLayout:
    layout = QVBoxLayout(page)
    heading = QLabel(title, page)
    heading.setObjectName("PageTitle")
    heading.setAccessibleName(title)
    layout.addWidget(heading)
    if hint:
        note = QLabel(hint, page)
        note.setObjectName("PageHint")
        note.setWordWrap(True)
        layout.addWidget(note)
    return layout
