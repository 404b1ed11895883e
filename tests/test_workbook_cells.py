"""Export cells: text never becomes a formula, nothing is cut, every sheet carries the marking."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import warnings
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from tracker.workbooks.cells import (
    FORMULA_PREFIXES,
    MAX_CELL_TEXT,
    REPLACEMENT,
    LongTextSheet,
    TextTooLong,
    add_list_validation,
    column_widths,
    hidden_lists_sheet,
    mark_workbook,
    marking_header_footer,
    print_setup,
    safe_row,
    safe_value,
    set_document_properties,
    split_long_text,
    utf16_len,
    valid_sheet_title,
    wrapped_height,
    write_value,
)

INJECTIONS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","click")',
]
MODES = pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])


def new_sheet(write_only: bool, title: str = "Status"):
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    return wb, wb.create_sheet(title)


def test_every_injection_prefix_is_covered():
    assert {text[0] for text in INJECTIONS} == set(FORMULA_PREFIXES)


@MODES
@pytest.mark.parametrize("read_only", [False, True], ids=["read-normal", "read-only"])
def test_text_that_looks_like_a_formula_reads_back_as_text(write_only, read_only, tmp_path):
    wb, ws = new_sheet(write_only)
    for text in INJECTIONS:
        ws.append([safe_value(ws, text), safe_value(ws, 42), safe_value(ws, "plain")])
    path = tmp_path / "export.xlsx"
    wb.save(path)

    back = load_workbook(path, read_only=read_only)
    cells = list(back["Status"].iter_rows(max_col=3))
    assert [row[0].value for row in cells] == INJECTIONS
    assert {row[0].data_type for row in cells} == {"s"}
    assert [(row[1].value, row[2].value) for row in cells] == [(42, "plain")] * len(INJECTIONS)
    if not read_only:
        assert all(row[0].quotePrefix for row in cells)
    back.close()


def test_without_safe_value_openpyxl_writes_a_formula(tmp_path):
    """The danger is real: the same text appended raw comes back as a formula."""
    wb, ws = new_sheet(False)
    ws.append(["=1+1"])
    wb.save(tmp_path / "raw.xlsx")
    assert load_workbook(tmp_path / "raw.xlsx")["Status"]["A1"].data_type == "f"


def test_write_value_protects_a_cell_filled_by_coordinate(tmp_path):
    wb, ws = new_sheet(False)
    for row, text in enumerate(INJECTIONS, start=1):
        write_value(ws.cell(row=row, column=2), text)
    write_value(ws["A1"], 7)
    wb.save(tmp_path / "cells.xlsx")
    back = load_workbook(tmp_path / "cells.xlsx")["Status"]
    assert [back.cell(row=r, column=2).value for r in range(1, len(INJECTIONS) + 1)] == INJECTIONS
    assert {back.cell(row=r, column=2).data_type for r in range(1, len(INJECTIONS) + 1)} == {"s"}
    assert back["A1"].value == 7 and back["A1"].data_type == "n"


@MODES
def test_styles_and_protection_together(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    ws.append(safe_row(ws, ["=bold text", "Heading"], font=Font(bold=True)))
    wb.save(tmp_path / "styled.xlsx")
    back = load_workbook(tmp_path / "styled.xlsx")["Status"]
    assert back["A1"].value == "=bold text" and back["A1"].data_type == "s" and back["A1"].font.b
    assert back["B1"].font.b and not back["B1"].quotePrefix


@MODES
def test_control_characters_become_visible_replacements(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    text = "bell\x07 null\x00 escape\x1b tab\t newline\n lone\ud800 end\uffff"
    ws.append([safe_value(ws, text)])
    wb.save(tmp_path / "control.xlsx")  # openpyxl or lxml would raise here without the cleaning
    value = load_workbook(tmp_path / "control.xlsx")["Status"]["A1"].value
    assert value == (
        f"bell{REPLACEMENT} null{REPLACEMENT} escape{REPLACEMENT} tab\t newline\n "
        f"lone{REPLACEMENT} end{REPLACEMENT}"
    )


def test_values_of_other_kinds():
    wb, ws = new_sheet(False)
    aware = datetime(2026, 6, 1, 11, 30, tzinfo=UTC)
    assert safe_value(ws, aware) == aware.astimezone().replace(tzinfo=None)
    assert safe_value(ws, None) is None and safe_value(ws, 3.5) == 3.5 and safe_value(ws, True) is True
    with pytest.raises(TypeError, match="a dict cannot be written"):
        safe_value(ws, {})


def test_over_long_text_is_refused_not_cut():
    wb, ws = new_sheet(False)
    with pytest.raises(TextTooLong, match="40,000 characters"):
        safe_value(ws, "x" * 40_000)
    assert safe_value(ws, "x" * MAX_CELL_TEXT) == "x" * MAX_CELL_TEXT


def test_split_long_text_keeps_every_character():
    words = " ".join(f"word{i}" for i in range(9_000)) + "\r\n" + "y" * 40_000
    parts = split_long_text(words)
    assert "".join(parts) == words
    assert all(utf16_len(p) <= MAX_CELL_TEXT for p in parts)
    assert parts[0].endswith(" "), "the first break should fall after a space"
    emoji = "😀" * 20_000  # 40,000 UTF-16 units: Excel counts each twice
    parts = split_long_text(emoji)
    assert "".join(parts) == emoji and len(parts) == 2 and utf16_len(parts[0]) <= MAX_CELL_TEXT
    crlf = split_long_text("ab\r\ncd", 3)
    assert "".join(crlf) == "ab\r\ncd" and not any(p.endswith("\r") for p in crlf[:-1])
    assert split_long_text("short") == ["short"]


def reassemble(cell_text: str, long_text, source: str) -> str:
    """The whole text back from a continued cell and the rows its note names."""
    head, note = cell_text.rsplit("\n", 1)
    m = re.fullmatch(r"… continued in sheet 'Long text', rows? (\d+)(?:–(\d+))?", note)
    assert m, note
    first, last = int(m[1]), int(m[2] or m[1])
    rows = [[c.value for c in row] for row in long_text.iter_rows(min_row=first, max_row=last, max_col=3)]
    total = len(rows) + 1
    assert [r[:2] for r in rows] == [[source, f"{k} of {total}"] for k in range(2, total + 1)]
    return head + "".join(r[2] for r in rows)


@MODES
def test_a_40000_character_text_is_kept_whole_across_the_long_text_sheet(write_only, tmp_path):
    original = "".join(f"Sentence {i} of the commentary. " for i in range(1_300))  # ~40,000 characters
    assert 39_000 < len(original) < 45_000
    wb, ws = new_sheet(write_only)
    overflow = LongTextSheet(wb)
    ws.append(safe_row(ws, ["Reference", "Commentary"]))
    ws.append(safe_row(ws, ["SER-01", overflow.fit("short text", ws.title, "B2")]))
    ws.append(safe_row(ws, ["SER-02", overflow.fit(original, ws.title, "B3")]))
    ws.append(safe_row(ws, ["SER-03", overflow.fit("-" + original, ws.title, "B4")]))
    wb.save(tmp_path / "long.xlsx")

    back = load_workbook(tmp_path / "long.xlsx")
    status, extra = back["Status"], back["Long text"]
    assert status["B2"].value == "short text"
    assert reassemble(status["B3"].value, extra, "'Status'!B3") == original
    assert reassemble(status["B4"].value, extra, "'Status'!B4") == "-" + original
    assert status["B3"].value.endswith("rows 2–21") and status["B4"].value.endswith("rows 22–41")
    assert all(len(c.value) <= 2_000 for c in extra["C"][1:]), "parts are short enough to read and print"
    assert extra["C2"].alignment.wrap_text
    assert extra.row_dimensions[2].height == wrapped_height(extra["C2"].value, 120) > 15
    assert status["B4"].data_type == "s", "the continued cell still starts with '-': it must stay text"


def test_wrapped_height_counts_lines():
    assert wrapped_height("short", 50) == 15
    assert wrapped_height("x" * 53, 50) == 30  # 52 characters to a line 50 wide, allowing for word wrap
    assert wrapped_height("a\nb\n\nc", 50) == 60
    assert wrapped_height("x" * 32_000, 10) == 409, "Excel's tallest row"


def test_a_long_text_can_continue_in_one_row_and_parts_can_be_larger():
    wb, ws = new_sheet(False)
    overflow = LongTextSheet(wb, part_chars=30_000)
    text = "z" * 50_000
    cell = overflow.fit(text, "Risks & issues", "C9")
    assert cell.endswith("… continued in sheet 'Long text', row 2")
    assert reassemble(cell, overflow.worksheet, "'Risks & issues'!C9") == text
    assert LongTextSheet(Workbook()).fit("fits", "Status", "A1") == "fits"
    with pytest.raises(ValueError, match="part_chars"):
        LongTextSheet(Workbook(), part_chars=40_000)


def test_sheet_titles_are_made_valid_and_unique():
    assert valid_sheet_title("Status 2021/22 Q1: [draft]*?") == "Status 2021-22 Q1- -draft---"
    long = valid_sheet_title("A very long sheet title that goes on and on")
    assert long == "A very long sheet title that go" and len(long) == 31
    assert valid_sheet_title("Status", ["status"]) == "Status (2)"
    assert valid_sheet_title("Status", ["Status", "STATUS (2)"]) == "Status (3)"
    assert valid_sheet_title("History") == "History (2)"
    assert valid_sheet_title("'quoted'") == "quoted"
    assert valid_sheet_title("  ") == "Sheet"
    assert valid_sheet_title("tab\there") == "tab here"
    assert len(valid_sheet_title("x" * 40, ["x" * 31])) == 31
    assert valid_sheet_title("a" * 30 + "'b") == "a" * 30, "a title may not end with an apostrophe"
    assert valid_sheet_title("a" * 30 + " b") == "a" * 30
    wb = Workbook()
    names = []
    for raw in ["Risks/Issues", "risks-issues", "History", "x" * 50, "x" * 50]:
        names.append(valid_sheet_title(raw, wb.sheetnames))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # openpyxl only warns about bad titles; make that fail
            wb.create_sheet(names[-1])
    assert len({n.casefold() for n in wb.sheetnames}) == len(wb.sheetnames)


@MODES
def test_header_and_footer_carry_the_marking_and_page_numbers(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    marking_header_footer(ws, "OFFICIAL-SENSITIVE", "R&D only", "Plan & status")
    ws.append(["x"])
    wb.save(tmp_path / "marked.xlsx")
    back = load_workbook(tmp_path / "marked.xlsx")["Status"]
    hf = back.HeaderFooter
    assert not hf.differentFirst and not hf.differentOddEven, "odd pages must be every page"
    assert back.oddHeader.center.text == "&BOFFICIAL-SENSITIVE&B – R&&D only"
    assert back.oddFooter.center.text == back.oddHeader.center.text
    assert back.oddFooter.right.text == back.oddHeader.right.text == "Page &P of &N"
    assert back.oddHeader.left.text == "Plan && status"


def test_header_limits():
    wb, ws = new_sheet(False)
    marking_header_footer(ws, "OFFICIAL", "", "T" * 300)
    assert len(str(ws.oddHeader)) <= 255 and ws.oddHeader.left.text.endswith("…")
    marking_header_footer(ws, "OFFICIAL", "c" * 150, "Title")
    assert len(str(ws.oddHeader)) <= 255 and "OFFICIAL" in ws.oddHeader.center.text
    with pytest.raises(ValueError, match="too long for a sheet header"):
        marking_header_footer(ws, "OFFICIAL", "c" * 250, "Title")
    with pytest.raises(ValueError, match="protective marking is needed"):
        marking_header_footer(ws, " ", "", "Title")


@MODES
def test_print_setup_and_freeze_panes_read_back(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    rows = [["Reference", "Title", "RAG"]] + [[f"SER-{i:02}", "t", "Green"] for i in range(40)]
    column_widths(ws, [12, None, 8])
    column_widths(ws, {"B": 50})
    if write_only:
        print_setup(ws, header_rows=1, last_row=len(rows), last_column=3)
        for row in rows:
            ws.append(safe_row(ws, row))
        with pytest.raises(ValueError, match="before the first row"):
            print_setup(ws, header_rows=1, last_row=len(rows), last_column=3)
        with pytest.raises(ValueError, match="before the first row"):
            column_widths(ws, [10])
    else:
        for row in rows:
            ws.append(safe_row(ws, row))
        print_setup(ws, header_rows=1)
    wb.save(tmp_path / "print.xlsx")

    back = load_workbook(tmp_path / "print.xlsx")["Status"]
    assert back.page_setup.orientation == "landscape"
    assert back.page_setup.paperSize == 9
    assert (back.page_setup.fitToWidth, back.page_setup.fitToHeight) == (1, 0)
    assert back.sheet_properties.pageSetUpPr.fitToPage
    assert back.print_title_rows == "$1:$1"
    assert back.freeze_panes == "A2"
    assert back.auto_filter.ref == "A1:C41"
    assert [back.column_dimensions[c].width for c in "ABC"] == [12, 50, 8]


@MODES
def test_print_setup_at_a_scale_prints_full_size_with_frozen_columns_repeated(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    column_widths(ws, [10, 40, 10])
    print_setup(ws, header_rows=2, last_row=5, last_column=3, scale=100, frozen_columns=2)
    for row in [["Title"], ["Ref", "Title", "RAG"], ["SER-01", "t", "Red"]]:
        ws.append(safe_row(ws, row))
    wb.save(tmp_path / "scale.xlsx")
    back = load_workbook(tmp_path / "scale.xlsx")["Status"]
    assert not back.sheet_properties.pageSetUpPr.fitToPage and back.page_setup.scale == 100
    assert back.freeze_panes == "C3" and back.print_title_cols == "$A:$B" and back.print_title_rows == "$1:$2"
    assert back.auto_filter.ref == "A2:C5"


def test_a_sample_plans_sheets_say_sample_data_left_of_header_and_footer(tmp_path):
    wb, ws = new_sheet(False)
    mark_workbook(wb, "OFFICIAL", "", title="Status 2023/24 Q4", author="PMO", sample=True)
    assert ws.oddHeader.left.text == "&BSAMPLE DATA&B – Status 2023/24 Q4"
    assert ws.oddFooter.left.text == "&BSAMPLE DATA&B – &A"
    assert ws.oddHeader.center.text == ws.oddFooter.center.text == "&BOFFICIAL&B"
    marking_header_footer(ws, "OFFICIAL", "", "A title " * 20, sample=True)
    assert ws.oddHeader.left.text.startswith("&BSAMPLE DATA&B – A title") and ws.oddHeader.left.text.endswith(
        "…"
    )
    assert len(ws.oddHeader.left.text.replace("&B", "")) <= 50


def test_long_text_sheet_takes_its_text_width_and_print_scale(tmp_path):
    wb, ws = new_sheet(True)
    overflow = LongTextSheet(wb, text_width=80, scale=100)
    ws.append(safe_row(ws, ["x", overflow.fit("y " * 20_000, ws.title, "B1")]))
    wb.save(tmp_path / "long.xlsx")
    back = load_workbook(tmp_path / "long.xlsx")["Long text"]
    assert back.column_dimensions["C"].width == 80 and back.page_setup.scale == 100
    assert not back.sheet_properties.pageSetUpPr.fitToPage


def test_write_only_print_setup_needs_the_extent():
    wb, ws = new_sheet(True)
    with pytest.raises(ValueError, match="needs last_row and last_column"):
        print_setup(ws, header_rows=1)


def test_document_properties_carry_the_marking(tmp_path):
    wb = Workbook()
    set_document_properties(
        wb, "OFFICIAL-SENSITIVE", "Status 2021/22 Q1", "PMO analyst", caveat="Not for release"
    )
    set_document_properties(
        wb, "OFFICIAL-SENSITIVE", "Status 2021/22 Q1", "PMO analyst", caveat="Not for release"
    )
    wb.save(tmp_path / "props.xlsx")
    props = load_workbook(tmp_path / "props.xlsx").properties
    back = load_workbook(tmp_path / "props.xlsx")
    line = "OFFICIAL-SENSITIVE – Not for release"
    assert (props.title, props.creator, props.subject, props.category) == (
        "Status 2021/22 Q1",
        "PMO analyst",
        line,
        line,
    )
    assert props.keywords == "OFFICIAL-SENSITIVE"
    assert [(p.name, p.value) for p in back.custom_doc_props.props] == [("Protective marking", line)]


@MODES
def test_mark_workbook_marks_every_sheet_including_the_helpers(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    overflow = LongTextSheet(wb)
    ws.append(safe_row(ws, ["x", overflow.fit("y" * 40_000, ws.title, "B1")]))
    hidden_lists_sheet(wb, {"RAG": ["Red", "Amber", "Green"]})
    mark_workbook(wb, "OFFICIAL", "", title="Status", author="PMO")
    wb.save(tmp_path / "all.xlsx")
    back = load_workbook(tmp_path / "all.xlsx")
    assert back.sheetnames == ["Status", "Long text", "Lists"]
    assert all(s.oddHeader.center.text == "&BOFFICIAL&B" for s in back.worksheets)
    assert back.properties.subject == "OFFICIAL"


@MODES
def test_drop_down_lists_live_on_a_hidden_sheet(write_only, tmp_path):
    wb, ws = new_sheet(write_only)
    people = [f"Thematic lead for objective group {i}" for i in range(30)]  # far over 255 characters
    refs = hidden_lists_sheet(
        wb, {"RAG": ["Red", "Amber", "Green"], "Lead": people, "Empty": [], "Odd": ["=x"]}
    )
    assert refs == {
        "RAG": "'Lists'!$A$2:$A$4",
        "Lead": "'Lists'!$B$2:$B$31",
        "Empty": "'Lists'!$C$2:$C$2",
        "Odd": "'Lists'!$D$2:$D$2",
    }
    add_list_validation(ws, refs["Lead"], "C2:C100")
    ws.append(["x"])
    wb.save(tmp_path / "lists.xlsx")

    back = load_workbook(tmp_path / "lists.xlsx")
    lists = back["Lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["B"][1:]] == people
    assert [c.value for c in lists["A"][1:4]] == ["Red", "Amber", "Green"]
    assert lists["D2"].value == "=x" and lists["D2"].data_type == "s"
    (dv,) = back["Status"].data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == "'Lists'!$B$2:$B$31" and str(dv.sqref) == "C2:C100"
    assert dv.showErrorMessage and len(dv.formula1) < 255


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_text_and_evaluates_nothing(tmp_path):
    wb, ws = new_sheet(False)
    for text in INJECTIONS:
        ws.append([safe_value(ws, text)])
    ws.append(["=40+2"])  # a real formula, to prove the conversion would evaluate one
    wb.save(tmp_path / "export.xlsx")
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "export.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with open(tmp_path / "export.csv", newline="", encoding="utf-8") as f:
        values = [row[0] for row in csv.reader(f)]
    assert values == INJECTIONS + ["42"]
