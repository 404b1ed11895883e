"""The one table model: Qt's model contract, sorting each kind of key both ways, filtering, persistent rows, paging, editing."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from ui.models.returns import CHOICE_COLUMN, KEEP_OURS, TAKE_THEIRS, ConflictsModel
from ui.models.roles import CHIP_ROLE, CHOICE_ROLE, ID_ROLE, ROW_ROLE
from ui.models.table import Chip, Column, SortKind, TableModel, chip_column

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
RAG_RANK = {"red": 0, "amber": 1, "green": 2}


class Item(NamedTuple):
    id: str
    title: str
    due: date | None
    score: int
    rag: str | None
    theme: str


ROWS = [
    Item("a", "banana plan", date(2024, 5, 1), 12, "green", "Service"),
    Item("b", "Apple review", None, 3, "red", "People"),
    Item("c", "cherry audit", date(2023, 1, 9), 25, "amber", "Service"),
    Item("d", "apple pie", date(2024, 5, 1), 3, None, "People"),
    Item("e", "Date check", None, 8, "red", "Service"),
]

COLUMNS = [
    Column("title", "Title", lambda r: r.title),
    Column("due", "Due", lambda r: r.due, sort=SortKind.DATE),
    Column("score", "Score", lambda r: r.score, sort=SortKind.NUMBER, align=Qt.AlignmentFlag.AlignRight),
    Column(
        "rag",
        "RAG",
        lambda r: r.rag,
        display=lambda v: (v or "").capitalize(),
        sort=SortKind.RANK,
        rank=RAG_RANK,
        chip=lambda v: v,
    ),  # fmt: skip
]


@pytest.fixture
def model(qapp) -> TableModel:  # type: ignore[no-untyped-def]
    m = TableModel(COLUMNS, facets={"theme": lambda r: r.theme, "rag": lambda r: r.rag})
    m.set_rows(ROWS)
    return m


def ids(model: TableModel) -> str:
    return "".join(model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount()))


def test_passes_qtmodeltester(model: TableModel, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model, force_py=True)
    model.sort(1, DESC)
    model.set_filter("apple")
    qtmodeltester.check(model, force_py=True)


def test_shows_values_headers_and_chips(model: TableModel) -> None:
    assert model.rowCount() == 5 and model.columnCount() == 4
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Due"
    assert model.index(0, 1).data() == "01 May 2024"
    assert model.index(1, 1).data() == ""
    assert model.index(1, 3).data() == "Red" and model.index(1, 3).data(CHIP_ROLE) == "red"
    assert model.index(3, 3).data(CHIP_ROLE) is None
    assert model.index(0, 3).data(Qt.ItemDataRole.BackgroundRole) is None  # the chip delegate paints


@pytest.mark.parametrize(
    ("column", "ascending", "descending"),
    [
        (0, "dbace", "ecabd"),  # text ignores case
        (1, "cadbe", "adcbe"),  # dates: blanks last both ways
        (2, "bdeac", "caebd"),  # numbers
        (3, "becad", "acbed"),  # red < amber < green, no RAG last
    ],
)
def test_sorts_each_kind_of_key_both_ways(
    model: TableModel, column: int, ascending: str, descending: str
) -> None:
    model.sort(column, ASC)
    assert ids(model) == ascending
    model.sort(column, DESC)
    assert ids(model) == descending
    model.sort(-1)
    assert ids(model) == "abcde"


def test_values_differing_only_in_case_tie_and_keep_load_order(qapp) -> None:  # type: ignore[no-untyped-def]
    m = TableModel(COLUMNS)
    m.set_rows([ROWS[0]._replace(id="x", title="apple"), ROWS[0]._replace(id="y", title="Apple"),
                ROWS[0]._replace(id="z", title="apple")])  # fmt: skip
    m.sort(0, ASC)
    assert ids(m) == "xyz"
    m.sort(0, DESC)
    assert ids(m) == "xyz"


def test_filters_by_text_and_facets_together(model: TableModel) -> None:
    model.set_filter("APPLE")
    assert ids(model) == "bd"
    model.set_filter("", {"theme": lambda v: v == "Service"})
    assert ids(model) == "ace"
    model.set_filter("e", {"theme": lambda v: v == "Service", "rag": lambda v: v == "red"})
    assert ids(model) == "e"
    model.set_filter("", ids=["d", "a", "zz"])
    assert ids(model) == "ad"
    model.set_filter("", ids=[])
    assert ids(model) == ""
    model.set_filter()
    assert ids(model) == "abcde" and not model.is_filtered


def test_filter_keeps_the_sort_and_reload_keeps_both(model: TableModel) -> None:
    model.sort(2, DESC)
    model.set_filter("", {"theme": lambda v: v == "People"})
    assert ids(model) == "bd"
    model.set_rows([*ROWS, Item("f", "fig", None, 99, "green", "People")])
    assert ids(model) == "fbd"


def test_unknown_facet_is_refused(model: TableModel) -> None:
    with pytest.raises(KeyError, match="colour"):
        model.set_filter("", {"colour": lambda v: True})


def test_persistent_indexes_follow_their_rows(model: TableModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    held = QPersistentModelIndex(model.index(2, 1))  # row "c"
    gone = QPersistentModelIndex(model.index(0, 0))  # row "a"
    with qtbot.waitSignal(model.layoutChanged):
        model.sort(2, ASC)
    assert held.row() == 4 and held.column() == 1 and held.data(ID_ROLE) == "c"
    model.set_filter("", {"theme": lambda v: v == "People"})
    assert not gone.isValid() and not held.isValid()
    assert model.view_row_of("d") == 1 and model.view_row_of("a") == -1


def test_replacing_some_rows_keeps_sort_filter_and_the_rows_held(
    model: TableModel, qtbot, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    model.sort(2, ASC)  # by score: b d e a c
    model.set_filter("", {"theme": lambda v: v == "Service"})  # e a c
    held = QPersistentModelIndex(model.index(1, 0))  # row "a"
    dropped = QPersistentModelIndex(model.index(0, 0))  # row "e"
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.layoutChanged):
        model.replace_rows([ROWS[0]._replace(score=30), ROWS[2]._replace(theme="People")], gone=["e"])
    assert ids(model) == "a" and held.data(ID_ROLE) == "a" and held.row() == 0
    assert not dropped.isValid() and not model.has_row("e") and model.has_row("c")
    assert model.index(0, 2).data() == "30"
    model.set_filter()
    assert ids(model) == "bdca"  # the new score sorts a last; c is kept, only filtered out before
    qtmodeltester.check(model, force_py=True)


def test_reload_is_a_model_reset(model: TableModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(model.modelReset):
        model.set_rows(ROWS[:2])
    assert model.rowCount() == 2


# ---------------------------------------------------------------------------------------------- one toolkit


def test_every_role_has_its_own_number() -> None:
    from ui.models import roles

    numbers = {name: value for name, value in vars(roles).items() if name.endswith("_ROLE")}
    assert len(set(numbers.values())) == len(numbers) >= 6
    assert all(value > Qt.ItemDataRole.UserRole for value in numbers.values())


def test_chip_columns_show_their_words_and_tooltips_come_from_the_row(qapp) -> None:  # type: ignore[no-untyped-def]
    state = chip_column("state", "State", lambda r: Chip(f"Due {r.due:%d %b}", "red") if r.due else Chip("", None),
                        tip=lambda r: f"{r.title} is due")  # fmt: skip
    m = TableModel([COLUMNS[0], state])
    m.set_rows(ROWS)
    assert m.index(0, 1).data() == "Due 01 May" and m.index(0, 1).data(CHIP_ROLE) == "red"
    assert m.index(1, 1).data() == "" and m.index(1, 1).data(CHIP_ROLE) is None
    assert m.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "banana plan is due"
    assert m.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None  # short text is its own tip
    assert m.headerData(2, Qt.Orientation.Vertical) == "3" and m.data(m.index(0, 0), ROW_ROLE) is ROWS[0]
    m.sort(1, ASC)
    assert ids(m) == "adcbe"  # by the words; rows without a chip (blank) last


def test_appending_a_page_inserts_rows_or_keeps_the_sort(model: TableModel, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    more = [Item("f", "fig", None, 1, "green", "People"), Item("g", "grape", None, 2, None, "Service")]
    with qtbot.waitSignal(model.rowsInserted):
        model.append_rows(more[:1])
    assert ids(model) == "abcdef" and model.view_row_of("f") == 5
    qtmodeltester.check(model, force_py=True)
    model.sort(2, ASC)
    with qtbot.waitSignal(model.modelReset):
        model.append_rows(more[1:])
    assert ids(model) == "fgbdeac"


def test_new_columns_come_with_new_rows(model: TableModel, qtbot) -> None:  # type: ignore[no-untyped-def]
    model.sort(3, ASC)
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([["x", 1], ["y", None]], columns=[Column("0", "Name", lambda r: r[0])])
    assert model.columnCount() == 1 and model.sort_column == -1
    assert [model.index(r, 0).data() for r in range(2)] == ["x", "y"]


class Conflict(NamedTuple):
    sheet: str
    row: int
    item: str
    column: str
    issued: object
    ours: object
    theirs: object
    field: str

    @property
    def key(self) -> tuple[str, str, str]:
        return ("milestone", self.item, self.field)


def test_conflicts_are_settled_in_their_last_column(qapp, qtmodeltester, qtbot) -> None:  # type: ignore[no-untyped-def]
    conflicts = [Conflict("Milestones", 4, "Pilot", "Forecast date", date(2024, 1, 1), date(2024, 2, 1),
                          date(2024, 3, 1), "forecast_date"),
                 Conflict("Objectives", 2, "SER-01.01", "Commentary", "", "Ours", "Theirs", "commentary")]  # fmt: skip
    m = ConflictsModel(conflicts)
    qtmodeltester.check(m, force_py=True)
    assert m.headerData(CHOICE_COLUMN, Qt.Orientation.Horizontal) == "Settle" and m.unsettled() == 2
    assert m.flags(m.index(0, CHOICE_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    assert not m.flags(m.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(m.dataChanged):
        assert m.setData(m.index(1, CHOICE_COLUMN), TAKE_THEIRS)
    assert not m.setData(m.index(1, 0), TAKE_THEIRS) and not m.setData(m.index(1, CHOICE_COLUMN), "maybe")
    assert m.index(1, CHOICE_COLUMN).data() == "Take theirs" and m.index(1, CHOICE_COLUMN).data(CHOICE_ROLE)
    assert m.resolutions() == {conflicts[1].key: TAKE_THEIRS} and m.unsettled() == 1
    m.settle_all(KEEP_OURS)
    m.setData(m.index(0, CHOICE_COLUMN), None, CHOICE_ROLE)  # unsettled again, as the drop-down does
    assert (
        m.resolutions() == {conflicts[1].key: KEEP_OURS} and m.index(0, CHOICE_COLUMN).data() == "Not settled"
    )
    qtmodeltester.check(m, force_py=True)
