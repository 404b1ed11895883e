"""How the status workbook prints, from its own settings: A4 landscape, text no smaller than 8 points,
the printed columns within the page, what does not print said on the sheet."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from tests.test_status_workbook import build_nasty
from tests.workbook_reading import (
    column_points,
    header_row,
    is_hidden,
    page_width,
    print_scale,
    printed_columns,
    printed_width,
    smallest_font,
)
from tracker import queries as q
from tracker.db import Actor
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.store import open_store
from tracker.workbooks.status import export_status_workbook
from tracker.workbooks.status_period import TREND_PRINTED_PERIODS
from tracker.workbooks.status_registers import OBJECTIVE_COLUMNS, OBJECTIVE_PRINTED

ACTOR = Actor("Test PMO", "cli")
SMALLEST_POINTS = 8


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    folder = tmp_path_factory.mktemp("status-print")
    store = open_store(folder / "plan.db")
    with store.write() as session:
        seed_plan(session, actor=ACTOR, template=emsou_template())
        add_sample_progress(session, actor=ACTOR)
    with store.read() as session:
        period = q.latest_period_with_updates(session)
        assert period is not None
        path = export_status_workbook(session, period.id, folder / "status.xlsx", generated_by="Head of PMO")
        n_periods = len([p for p in q.periods(session) if p.start <= period.start])
    store.close()
    return SimpleNamespace(wb=load_workbook(path), n_periods=n_periods)


def test_print_scale_follows_excels_fit_to_rules() -> None:
    wb = Workbook()
    ws = wb.active
    for i in range(1, 19):  # the old Objectives sheet: 18 columns, 371 wide, fitted to one page wide
        ws.column_dimensions[get_column_letter(i)].width = (
            [c.width for c in OBJECTIVE_COLUMNS][i - 1] * 371 / 597
        )
        ws.cell(1, i, "x")
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", 9
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wide = sum(column_points(ws.column_dimensions[get_column_letter(i)].width) for i in range(1, 19))
    assert print_scale(ws) == int(100 * page_width(ws) / wide) / 100 < 0.5  # ten points print at about four
    ws.page_setup.fitToWidth = 2
    assert print_scale(ws) == int(200 * page_width(ws) / wide) / 100
    ws.page_setup.fitToWidth = 3  # fit-to never enlarges
    assert print_scale(ws) == 1.0
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 85
    assert print_scale(ws) == 0.85


def test_every_sheet_prints_on_a4_landscape_at_full_size_no_text_under_8_points(sample) -> None:  # type: ignore[no-untyped-def]
    default_font = sample.wb._fonts[0]
    assert (default_font.name, default_font.sz) == ("Arial", 10)  # headers and footers are drawn in it
    for ws in sample.wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, ws.title
        scale = print_scale(ws)
        assert scale == 1.0 and not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert smallest_font(ws) * scale >= SMALLEST_POINTS, ws.title
        assert default_font.sz * scale >= SMALLEST_POINTS
        excel, libreoffice = printed_width(ws)
        assert excel * scale <= page_width(ws) and libreoffice * scale <= page_width(ws), ws.title


def test_wide_registers_print_their_first_columns_and_say_what_is_on_screen_only(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["Objectives"]
    assert printed_columns(ws) == [get_column_letter(i) for i in range(1, OBJECTIVE_PRINTED + 1)]
    assert ws.print_area == f"'Objectives'!$A$1:$H${ws.max_row}"
    note = ws.cell(header_row(ws) - 1, 1).value
    assert note.startswith("Printed: reference to progress. On screen only (columns I to R)")
    assert "print on the sheet 'Updates'" in note
    for name in ("Milestones", "Risks", "Recommendations", "Exceptions", "Returns", "Risk changes"):
        ws = sample.wb[name]
        assert ws.max_column > len(printed_columns(ws)), name
        after = get_column_letter(len(printed_columns(ws)) + 1)
        assert re.search(rf"On screen only \(columns? {after}\b", ws.cell(header_row(ws) - 1, 1).value), name


def test_the_trend_folds_its_earliest_periods_away_and_says_so(sample) -> None:  # type: ignore[no-untyped-def]
    ws = sample.wb["RAG trend"]
    folded = sample.n_periods - TREND_PRINTED_PERIODS
    assert folded > 0  # the sample's twelve quarters are more than a page holds
    hidden = [get_column_letter(i) for i in range(3, 3 + folded)]
    assert all(is_hidden(ws, c) for c in hidden) and not is_hidden(ws, get_column_letter(3 + folded))
    assert ws.column_dimensions["C"].outline_level == 1
    assert len(printed_columns(ws)) == 2 + TREND_PRINTED_PERIODS
    assert f"The {folded} earliest periods" in ws.cell(header_row(ws) - 1, 1).value


def test_titles_banners_and_notes_span_the_printed_columns(sample) -> None:  # type: ignore[no-untyped-def]
    for name in ("Objectives", "Changes", "Returns"):
        ws = sample.wb[name]
        last = printed_columns(ws)[-1]
        spans = {str(r) for r in ws.merged_cells.ranges}
        assert {f"A1:{last}1", f"A2:{last}2", f"A3:{last}3"} <= spans, name


@pytest.fixture
def long_text(tmp_path: Path) -> SimpleNamespace:
    """The hostile plan of test_status_workbook, whose commentary continues on the Long text sheet."""
    return build_nasty(tmp_path)


def test_a_plan_with_long_text_and_a_caveat_prints_the_same_way(long_text) -> None:  # type: ignore[no-untyped-def]
    wb = long_text.wb
    assert "Long text" in wb.sheetnames
    for ws in wb.worksheets:
        scale = print_scale(ws)
        assert scale == 1.0 and smallest_font(ws) * scale >= SMALLEST_POINTS, ws.title
        excel, libreoffice = printed_width(ws)
        assert max(excel, libreoffice) <= page_width(ws), ws.title
        assert "SAMPLE DATA" not in (ws.oddFooter.left.text or "") + (ws.oddHeader.left.text or ""), ws.title
