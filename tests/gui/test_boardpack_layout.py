"""The board pack's layout: tables continue with their header, groups stay whole, rows split, nothing is lost."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPdfWriter

from ui.boardpack.blocks import MIN_POINT_SIZE, Chip, Column, Heading, Para, Row, Section, Style, Table
from ui.boardpack.layout import Box, Flow, TextOp
from ui.boardpack.text import Typesetter

BODY = Box(40, 74, 1043, 300)  # a short page, so a few rows fill it


@pytest.fixture
def flow(qapp, tmp_path):  # type: ignore[no-untyped-def]
    writer = QPdfWriter(str(tmp_path / "scratch.pdf"))
    writer.setResolution(96)
    f = Flow(Typesetter(writer), BODY)
    f.writer = writer  # type: ignore[attr-defined]  # kept alive with the flow
    return f


def texts(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [op.text for op in page.ops if isinstance(op, TextOp)]


def words(flow: Flow) -> list[str]:
    return " ".join(t for p in flow.pages for t in texts(p)).split()


def test_a_long_table_continues_with_its_header_on_every_page(flow) -> None:  # type: ignore[no-untyped-def]
    rows = [Row((f"Row {i}", f"Value {i}")) for i in range(60)]
    flow.section(Section("Numbers", "sixty rows", (Table.of((Column("Name", 1), Column("Value", 1)), rows),)))
    assert len(flow.pages) > 2
    for i, page in enumerate(flow.pages):
        t = texts(page)
        assert "Name" in t and "Value" in t, f"page {i + 1} has no header row"
        assert all(op.y <= BODY.bottom for op in page.ops if isinstance(op, TextOp))
        if i:
            assert t[0] == "Numbers (continued)"
    shown = [t for p in flow.pages for t in texts(p) if t.startswith("Row ")]
    assert shown == [f"Row {i}" for i in range(60)]  # every row, once, in order


def test_a_group_moves_whole_to_the_next_page_when_it_fits_there(flow) -> None:  # type: ignore[no-untyped-def]
    filler = tuple((Row((f"Filler {i}", "")),) for i in range(12))
    block = (tuple(Row((f"Block line {i}", "")) for i in range(5)),)
    flow.section(Section("Groups", "", (Table((Column("A", 1), Column("B", 1)), filler + block),)))
    pages_of = {t: i for i, p in enumerate(flow.pages) for t in texts(p)}
    assert len({pages_of[f"Block line {i}"] for i in range(5)}) == 1


def test_a_row_taller_than_a_page_is_split_between_its_lines_never_cut(flow) -> None:  # type: ignore[no-untyped-def]
    tall = "\n".join(f"line {i}" for i in range(80))
    flow.section(
        Section(
            "Tall",
            "",
            (Table.of((Column("Text", 3), Column("Status", 1)), [Row((tall, Chip("Red", "#d4351c")))]),),
        )
    )
    lines = [t for p in flow.pages for t in texts(p) if t.startswith("line ")]
    assert lines == [f"line {i}" for i in range(80)] and len(flow.pages) >= 3


def test_long_text_wraps_and_a_word_longer_than_a_line_is_broken_not_clipped(flow) -> None:  # type: ignore[no-untyped-def]
    long_word = "x" * 400
    text = "word " * 900 + long_word
    flow.section(Section("Prose", "", (Heading("A heading"), Para(text))))
    ts = flow.ts
    for page in flow.pages:
        for op in page.ops:
            if isinstance(op, TextOp):
                assert ts.width(op.text, op.style) <= BODY.w + 0.5
    assert "".join(w for w in words(flow) if set(w) == {"x"}) == long_word
    assert words(flow).count("word") == 900 and len(flow.pages) > 1
    assert [m.title for m in flow.marks] == ["Prose", "A heading"]


def test_a_column_is_widened_so_its_words_are_not_broken(flow) -> None:  # type: ignore[no-untyped-def]
    table = Table.of((Column("Reference", 0.2), Column("Text", 10)), [Row(("Recommendation", "x"))])
    flow.section(Section("Widths", "", (table,)))
    assert "Recommendation" in texts(flow.pages[0]) and "Reference" in texts(flow.pages[0])


def test_no_style_is_smaller_than_eight_points() -> None:
    assert MIN_POINT_SIZE == 8
    with pytest.raises(ValueError, match="smaller than"):
        Style(7.5)
