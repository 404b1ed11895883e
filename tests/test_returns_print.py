"""How an issued return prints, from its own settings: A4 landscape at full size, so no text under
8 points; every column a lead fills in prints, the reference columns again on each page to the
right, an item's pages one after another."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.workbook_reading import (
    libreoffice_points,
    page_strips,
    page_width,
    print_scale,
    printed_columns,
    printed_width,
    repeated_columns,
    smallest_font,
)
from tracker import queries as q
from tracker.db import Actor
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.store import open_store
from tracker.workbooks.returns_issue import issue_returns
from tracker.workbooks.returns_layout import INSTRUCTIONS_SHEET, SHEETS
from tracker.workbooks.tables import PAGE_UNITS

ACTOR = Actor("Test PMO", "cli")
SMALLEST_POINTS = 8


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """Every lead's return for the sample's latest period with updates."""
    folder = tmp_path_factory.mktemp("return-print")
    store = open_store(folder / "plan.db")
    with store.write() as session:
        seed_plan(session, actor=ACTOR, template=emsou_template())
        add_sample_progress(session, actor=ACTOR)
    with store.write() as session:
        period = q.latest_period_with_updates(session)
        assert period is not None
        paths = [r.path for r in issue_returns(session, ACTOR, period.id, folder / "out")]
    store.close()
    assert len(paths) >= 5
    return SimpleNamespace(books=[load_workbook(p) for p in paths])


def test_every_sheet_prints_at_full_size_on_a4_landscape_in_arial_10(issued) -> None:  # type: ignore[no-untyped-def]
    for wb in issued.books:
        default_font = wb._fonts[0]
        assert (default_font.name, default_font.sz) == ("Arial", 10)  # what column widths count in
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9"), ws.title
            assert print_scale(ws) == 1.0 and not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert smallest_font(ws) >= SMALLEST_POINTS, ws.title


def test_the_instructions_print_one_page_wide(issued) -> None:  # type: ignore[no-untyped-def]
    for wb in issued.books:
        ws = wb[INSTRUCTIONS_SHEET]
        excel, libreoffice = printed_width(ws)
        assert max(excel, libreoffice) <= page_width(ws)
        steps = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        for title in (
            "Milestones:",
            "Risks:",
            "Recommendations:",
            "Fill in the yellow columns on each sheet",
        ):
            assert title in steps  # what each sheet's screen-only first line says, the printed page says


def test_every_column_prints_on_pages_that_repeat_the_reference_columns(issued) -> None:  # type: ignore[no-untyped-def]
    for wb in issued.books:
        for spec in SHEETS:
            ws = wb[spec.title]
            inputs = [get_column_letter(i) for i, c in enumerate(spec.columns, start=1) if c.kind != "id"]
            assert printed_columns(ws) == inputs, ws.title  # all but the hidden row id
            assert repeated_columns(ws) == inputs[: spec.repeat], ws.title
            assert ws.page_setup.pageOrder == "overThenDown", ws.title
            assert ws.print_title_rows == "$2:$2" and ws.print_area.endswith(
                f"$A$2:${inputs[-1]}${ws.max_row}"
            )
            for points in (None, libreoffice_points):  # as Excel draws the columns, and as LibreOffice does
                strips = page_strips(ws) if points is None else page_strips(ws, libreoffice_points)
                on_pages = [c for strip in strips for c in strip[spec.repeat :]]
                assert on_pages == inputs[spec.repeat :], ws.title
                assert len(strips) <= 4, (ws.title, strips)


def test_the_line_saying_what_to_do_wraps_across_the_first_page(issued) -> None:  # type: ignore[no-untyped-def]
    ws = issued.books[0]["Objectives"]
    (merged,) = [str(r) for r in ws.merged_cells.ranges if str(r).startswith("A1:")]
    last = merged.split(":")[1].rstrip("1")
    assert sum(ws.column_dimensions[c].width for c in printed_columns(ws) if c <= last) <= PAGE_UNITS
    assert ws["A1"].alignment.wrap_text and ws.row_dimensions[1].height >= 30
