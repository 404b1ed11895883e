"""The filter a drill-down sets: the items picked elsewhere (a dashboard tile, a heat-map cell, an
exception), shown in the page's filter bar with what they are and a button to show everything.

A page narrowed to picked items always says so where its other filters are; a filter that is not
shown would leave a page looking unfiltered and wrongly empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


def picked_ids(filters: dict[str, Any]) -> tuple[str, ...] | None:
    ids = filters.get("ids")
    return tuple(ids) if ids is not None else None


class PickedFilter(QWidget):
    """ "Only the 3 picked: Red objectives  [Show all]"; hidden when nothing is picked."""

    cleared = Signal()

    def __init__(self, noun: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._noun = noun
        self.label = QLabel()
        self.label.setAccessibleName("Picked items")
        self.show_all = QToolButton()
        self.show_all.setText("Show all")
        self.show_all.setAccessibleName(f"Show all {noun}s")
        self.show_all.setToolTip(f"Stop showing only the picked {noun}s")
        self.show_all.clicked.connect(self.cleared)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.show_all)
        row.addStretch(1)
        self.setVisible(False)

    def show_picked(self, ids: Iterable[str] | None, what: str = "") -> None:
        if ids is None:
            self.setVisible(False)
            return
        n = len(list(ids))
        plural = self._noun if n == 1 else f"{self._noun}s"
        text = f"Only the {n:,} {plural} picked" + (f": {what}" if what else " on the dashboard")
        self.label.setText(text)
        self.label.setToolTip(text)
        self.setVisible(True)
