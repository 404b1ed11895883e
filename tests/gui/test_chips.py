"""The chip delegate: a status drawn in its palette colour with its word, a tally as a row of chips, both sized to fit."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from tracker.queries import NO_UPDATE, BragCounts
from ui.models.roles import COUNTS_ROLE
from ui.models.table import Chip, Column, TableModel, chip_column
from ui.palette import make_palette
from ui.widgets.chips import ChipDelegate, counts_text, counts_words


class Row(NamedTuple):
    id: str
    name: str
    status: Chip


ROWS = [Row("a", "Alpha", Chip("Red", "red")), Row("b", "Beta", Chip("Green", "green")),
        Row("c", "Gamma", Chip("No update", NO_UPDATE)), Row("d", "Delta", Chip("", None))]  # fmt: skip


def colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    }


def shown(qtbot, palette) -> tuple[QTableView, QImage]:  # type: ignore[no-untyped-def]
    model = TableModel(
        [Column("name", "Name", lambda r: r.name), chip_column("status", "Status", lambda r: r.status)]
    )
    model.set_rows(ROWS)
    view = QTableView()
    qtbot.addWidget(view)
    model.setParent(view)
    view.setModel(model)
    view.setItemDelegate(ChipDelegate(palette, view))
    view.resize(400, 220)
    view.resizeColumnsToContents()
    view.show()
    return view, view.grab().toImage()


@pytest.mark.parametrize("colour_blind", [False, True])
def test_status_chips_take_the_palettes_colours(qtbot, colour_blind: bool) -> None:  # type: ignore[no-untyped-def]
    palette = make_palette(colour_blind=colour_blind)
    _view, image = shown(qtbot, palette)
    seen = colours(image)
    assert {palette.brag_fill("red"), palette.brag_fill("green")} <= seen
    other = make_palette(colour_blind=not colour_blind)
    assert other.brag_fill("red") not in seen


def test_a_chip_cell_is_wide_enough_for_its_word_and_rounded_ends(qtbot) -> None:  # type: ignore[no-untyped-def]
    view, _image = shown(qtbot, make_palette())
    delegate = view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(view)
    metrics = view.fontMetrics()
    index = view.model().index(2, 1)
    assert (
        delegate.sizeHint(option, index).width() >= metrics.horizontalAdvance("No update") + metrics.height()
    )
    assert view.columnWidth(1) >= delegate.sizeHint(option, index).width()
    plain = view.model().index(3, 1)  # no chip: drawn and sized as any other cell
    assert delegate.sizeHint(option, plain).width() < metrics.horizontalAdvance("No update")


def test_a_tally_is_a_row_of_chips_with_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    counts = BragCounts(red=1, amber=6, green=5, blue=4, no_update=3)
    assert counts_text(counts) == "1 R · 6 A · 5 G · 4 B · 3 no update"
    assert counts_words(counts) == "1 Red, 6 Amber, 5 Green, 4 Blue (complete), 3 no update"
    assert counts_text(BragCounts()) == "no objectives"
    model = QStandardItemModel(1, 1)
    item = QStandardItem(counts_text(counts))
    item.setData(counts, COUNTS_ROLE)
    model.setItem(0, 0, item)
    view = QTableView()
    qtbot.addWidget(view)
    model.setParent(view)
    view.setModel(model)
    palette = make_palette(dark=True)
    delegate = ChipDelegate(palette, view)
    view.setItemDelegate(delegate)
    view.resizeColumnsToContents()
    view.show()
    option = QStyleOptionViewItem()
    option.initFrom(view)
    width = delegate.sizeHint(option, model.index(0, 0)).width()
    metrics = view.fontMetrics()
    assert width >= metrics.horizontalAdvance(counts_text(counts))  # the chips take more room than the words
    seen = colours(view.grab().toImage())
    assert {palette.brag_fill(k) for k in ("red", "amber", "green", "blue")} <= seen
