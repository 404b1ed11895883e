"""A plan workbook that cannot be imported is refused with every problem listed, and the store is untouched."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.builders import assert_refused, small_plan
from tracker.cli import main
from tracker.db import Actor
from tracker.enums import Role, Source
from tracker.errors import NotPermitted, ValidationError
from tracker.models import Kind
from tracker.services.plan_import import import_plan, preview_plan
from tracker.store import open_store
from tracker.workbooks.plan_layout import FIRST_ROW
from tracker.workbooks.plan_read import read_plan_file
from tracker.workbooks.plan_write import write_plan_template
from tracker.workbooks.safety import UnsafeWorkbook

PMO = Actor("PMO analyst", Source.CLI)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "plan.db")
    small_plan(s, PMO)
    yield s
    s.close()


def template_with(tmp_path: Path, rows: dict[str, list[list[object]]], name: str = "plan.xlsx") -> Path:
    """The blank template with the example rows removed and these rows added, sheet by sheet."""
    path = write_plan_template(tmp_path / name)
    wb = openpyxl.load_workbook(path)
    for title in wb.sheetnames[1:-1]:
        wb[title].delete_rows(FIRST_ROW)
    for title, values in rows.items():
        for row in values:
            wb[title].append(row)
    wb.save(path)
    return path


def problems(store, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return [str(p) for p in preview_plan(s, read_plan_file(path)).problems]


EVERY_KIND = {
    "Themes": [["NEW", "New theme"], ["NEW", "Twice"]],
    "Outcomes": [["NEW-01", "NOPE", "Outcome under a missing theme"], ["SER-02", "SER", "Fine"]],
    "Objectives": [
        ["SER-09.01", "SER-09", "Objective under a missing outcome"],
        ["SER-02.01", "SER-02", "Led by a stranger", "", "Nobody Known"],
        ["SER-02.02", "SER-02", "Bad 4P and dates", "", None, "No such board", "Pursue, Pounce", "soon",
         date(2024, 1, 1), "first"],
        ["SER-02.03", "SER-02", "Ends before it starts", "", None, None, None, date(2025, 1, 1), date(2024, 1, 1)],
        ["SER-02.01", "SER-02", "The same ref again"],
    ],
    "People": [["Head of Intelligence", "", "", "Maybe"]],
    "Milestones": [["SER-99.99", "Milestone of a missing objective", None, date(2024, 5, 1)],
                   ["SER-01.01", "No baseline"], [None, "No objective", None, date(2024, 5, 1)]],
    "Risks": [["R-1", "Risk with bad scores", "SER-01.01", None, "", "", "", None, 0, 6, "high", 3, 3, 3,
               "Ignore", "Open"],
              ["R-2", "Risk with no home", None, None, "", "", "", None, 1, 1, 1, 1, 1, 1, "Treat", "Open"],
              ["R-3", "Risk with two homes", "SER-01.01", "SER", "", "", "", None, 1, 1, 1, 1, 1, 1, "Treat", "Open"],
              ["R-4", "Risk of a missing objective", "SER-77.77", None, "", "", "", None, 1, 1, 1, 1, 1, 1, "Treat",
               "Open"]],
    "Recommendations": [
        ["Missing inspection", "AFI-1", "Area for improvement", "Text", None, None, "Awaiting allocation"],
        ["Inspection of the ROCU", "AFI-2", "Suggestion", "Text", None, None, "Closed", None, None, date(2024, 1, 1),
         "SER-42.42"],
        ["Inspection of the ROCU", "AFI-3", None, None],
    ],
}  # fmt: skip


def test_every_problem_of_every_kind_is_listed_at_once_by_sheet_row_and_column(store, tmp_path):
    found = problems(store, template_with(tmp_path, EVERY_KIND))
    expected = [
        "sheet 'Themes', row 5, column 'Code': found “NEW”; expected a theme code used once (row 4 has it too)",
        "sheet 'Outcomes', row 4, column 'Theme code': found “NOPE”; expected a theme code on its sheet or in the plan",
        "sheet 'Objectives', row 4, column 'Outcome code': found “SER-09”; expected an outcome code on its sheet or in the plan",
        "sheet 'Objectives', row 5, column 'Lead': found “Nobody Known”; expected a person's name on its sheet or in the plan",
        "sheet 'Objectives', row 6, column 'Board': found “No such board”; expected a board's name on its sheet or "
        "in the plan",
        "sheet 'Objectives', row 6, column '4P': found “Pursue, Pounce”; expected any of Pursue, Prevent, Protect, "
        "Prepare, separated by commas, or blank",
        "sheet 'Objectives', row 6, column 'Start date': found “soon”; expected a date such as 31/03/2025, or blank",
        "sheet 'Objectives', row 6, column 'Order': found “first”; expected a whole number of 0 or more, or blank",
        "sheet 'Objectives', row 7, column 'Target date': found 01 Jan 2024; expected a date on or after the start date",
        "sheet 'Objectives', row 8, column 'Ref': found “SER-02.01”; expected an objective ref used once (row 5 has "
        "it too)",
        "sheet 'People', row 4, column 'Active': found “Maybe”; expected Yes or No, or blank",
        "sheet 'Milestones', row 4, column 'Objective ref': found “SER-99.99”; expected an objective ref on its sheet "
        "or in the plan",
        "sheet 'Milestones', row 5, column 'Baseline date': found (blank); expected a date such as 31/03/2025",
        "sheet 'Milestones', row 6, column 'Objective ref': found (blank); expected a code of at most 20 "
        "characters, on one line",
        "sheet 'Risks', row 4, column 'Inherent likelihood': found 0; expected a whole number from 1 to 5",
        "sheet 'Risks', row 4, column 'Inherent impact': found 6; expected a whole number from 1 to 5",
        "sheet 'Risks', row 4, column 'Residual likelihood': found “high”; expected a whole number from 1 to 5",
        "sheet 'Risks', row 4, column 'Response': found “Ignore”; expected one of Treat, Tolerate, Transfer, Terminate",
        "sheet 'Risks', row 5, column 'Objective ref': found (blank); expected an objective ref or a theme code (the "
        "risk's home)",
        "sheet 'Risks', row 6, column 'Theme code': found “SER”; expected blank, or no objective ref: a risk "
        "belongs to an objective or a theme, not both",
        "sheet 'Risks', row 7, column 'Objective ref': found “SER-77.77”; expected an objective ref on its sheet or "
        "in the plan",
        "sheet 'Recommendations', row 4, column 'Inspection': found “Missing inspection”; expected an inspection's "
        "title on its sheet or in the plan",
        "sheet 'Recommendations', row 5, column 'Kind': found “Suggestion”; expected one of Cause of concern, "
        "Recommendation, Area for improvement",
        "sheet 'Recommendations', row 5, column 'Owner': found (blank); expected an owner, since the status is closed",
        "sheet 'Recommendations', row 5, column 'Closure rationale': found (blank); expected a closure rationale, to "
        "close it",
        "sheet 'Recommendations', row 5, column 'Objectives': found “SER-42.42”; expected an objective ref on its "
        "sheet or in the plan",
        "sheet 'Recommendations', row 6, column 'Kind': found (blank); expected one of Cause of concern, "
        "Recommendation, Area for improvement",
        "sheet 'Recommendations', row 6, column 'Text': found (blank); expected text of at most 30,000 characters",
        "sheet 'Recommendations', row 6, column 'Status': found (blank); expected one of Awaiting allocation, Being "
        "progressed, Proposed for closure, Closed, Superseded, Not accepted",
    ]
    assert found == expected


def test_a_refused_import_leaves_the_store_byte_identical(store, tmp_path, capsys):
    path = template_with(tmp_path, EVERY_KIND)
    db = tmp_path / "plan.db"
    store.close()
    before = sha(db)
    assert main(["--db", str(db), "import-plan", str(path), "--apply"]) == 3
    out = capsys.readouterr().out
    assert "29 problems: fix them in the workbook and import it again. Nothing was imported." in out
    assert "sheet 'Outcomes', row 4, column 'Theme code': found “NOPE”" in out
    assert sha(db) == before


def test_the_service_refuses_a_file_with_problems_and_writes_nothing(store, tmp_path):
    data = read_plan_file(template_with(tmp_path, EVERY_KIND))
    refused = assert_refused(store, ValidationError, lambda s: import_plan(s, actor=PMO, data=data))
    assert len(refused.problems) == 29


@pytest.mark.parametrize("role", [Role.LEAD, Role.VIEWER])
def test_only_the_pmo_may_import_a_plan(store, tmp_path, role):
    data = read_plan_file(template_with(tmp_path, {"Themes": [["NEW", "New theme"]]}))
    lead = Actor("Head of Intelligence", Source.APP, role=role)
    refused = assert_refused(store, NotPermitted, lambda s: import_plan(s, actor=lead, data=data))
    assert "Only the PMO can import a plan" in str(refused)


def test_a_renamed_column_and_a_missing_sheet_are_problems(store, tmp_path):
    path = template_with(tmp_path, {"Themes": [["NEW", "New theme"]]})
    wb = openpyxl.load_workbook(path)
    wb["Outcomes"]["C3"] = "Outcome title"
    del wb["Boards"]
    wb.save(path)
    found = problems(store, path)
    assert found[0].startswith("sheet 'Outcomes', row 3: found “Code * | Theme code * | Outcome title")
    assert (
        "expected the column headings of the template (columns cannot be added, moved or renamed)" in found[0]
    )
    assert found[1] == "sheet 'Boards': found no such sheet; expected the 'Boards' sheet of the template"


def test_a_formula_refuses_the_file_and_quoted_text_does_not(store, tmp_path):
    path = template_with(tmp_path, {"Themes": [["NEW", '=HYPERLINK("http://evil")']]})
    with pytest.raises(UnsafeWorkbook, match=r"plan.xlsx, sheet 'Themes': cell B4 holds a formula"):
        read_plan_file(path)
    wb = openpyxl.load_workbook(path)
    wb["Themes"]["B4"].quotePrefix = True
    wb["Themes"]["B4"].data_type = "s"
    wb.save(path)
    assert not problems(store, path)


def test_an_array_formula_refuses_the_file(store, tmp_path):
    from openpyxl.worksheet.formula import ArrayFormula

    path = template_with(tmp_path, {"Themes": [["NEW", "New theme"]]})
    wb = openpyxl.load_workbook(path)
    wb["Themes"]["C4"] = ArrayFormula("C4", "=SUM(D4:D5)")
    wb.save(path)
    with pytest.raises(UnsafeWorkbook, match=r"sheet 'Themes': cell C4 holds a formula"):
        read_plan_file(path)


def test_a_workbook_that_is_not_a_plan_lists_each_sheet_it_lacks(store, tmp_path):
    from tests.test_workbook_safety import good_workbook

    found = problems(store, good_workbook(tmp_path / "other.xlsx"))
    assert len(found) == 9
    assert found[0] == "sheet 'Themes': found no such sheet; expected the 'Themes' sheet of the template"


def _far_row(row: int):  # type: ignore[no-untyped-def]
    def build(d: Path) -> Path:
        path = d / "plan.xlsx"
        wb = openpyxl.Workbook()
        wb.active.title = "Milestones"
        wb.active.cell(row=row, column=1, value="stray")
        wb.save(path)
        return path

    return build


def _corpus():
    """The returns' hostile files, those refused for a return's size made larger for a plan's bounds."""
    from tests.test_workbook_safety import CORPUS, _tiny_texts

    within_a_plan = {"a row far below the data", "a quarter of a million tiny texts"}
    return {
        **{case: v for case, v in CORPUS.items() if case not in within_a_plan},
        "a row far below the data": (
            _far_row(250_001),
            {},
            "plan.xlsx is not a workbook we can read: sheet 'Milestones' uses row 250,001 (the limit is "
            "250,000 rows); delete the unused rows and import it again",
        ),
        "a million tiny texts": (
            _tiny_texts(1_000_001),
            {},
            "holds more than 1,000,000 separate texts (the limit); a plan workbook holds far fewer",
        ),
    }


@pytest.mark.parametrize("case", list(_corpus()))
def test_each_hostile_file_is_refused_and_the_store_is_byte_identical(store, tmp_path, case):
    build, limits, expected = _corpus()[case]
    (tmp_path / "in").mkdir()
    path = build(tmp_path / "in")
    store.close()
    db = tmp_path / "plan.db"
    before = sha(db)
    with pytest.raises(UnsafeWorkbook) as refused:
        read_plan_file(path, **limits)
    assert expected in str(refused.value)
    assert "a return" not in str(refused.value) and "send it again" not in str(refused.value)
    if not limits:  # the command line says the same in one line
        assert main(["--db", str(db), "import-plan", str(path), "--apply"]) == 2
    assert sha(db) == before


def test_a_plan_sheet_may_be_longer_than_a_return(store, tmp_path):
    """A national plan has more than a return's 100,000 rows on a sheet (the scale plan 100,003 milestones)."""
    path = template_with(tmp_path, {})
    wb = openpyxl.load_workbook(path)
    wb["Milestones"].cell(row=150_000, column=1, value="SER-01.01")
    wb["Milestones"].cell(row=150_000, column=2, value="Far down the sheet")
    wb["Milestones"].cell(row=150_000, column=4, value=date(2024, 9, 30))
    wb.save(path)
    data = read_plan_file(path)
    assert [r.row for r in data.sheets[Kind.MILESTONE].rows] == [150_000]
    with store.read() as s:
        preview = preview_plan(s, data)
    assert not preview.problems and preview.n_create == 1


def test_an_open_risk_under_what_the_workbook_retires_is_a_problem(store, tmp_path):
    path = template_with(tmp_path, {
        "Objectives": [["SER-01.03", "SER-01", "Objective number 3", "", "Head of Intelligence",
                        "Strategic Leadership Team", None, date(2024, 4, 1), date(2025, 3, 31), 3, date(2024, 7, 1)]],
        "Risks": [["R-5", "Risk of a retired objective", "SER-01.03", None, "", "", "", None, 1, 1, 1, 1, 1, 1,
                   "Treat", "Open"],
                  ["R-6", "Closed risk of it", "SER-01.03", None, "", "", "", None, 1, 1, 1, 1, 1, 1, "Treat",
                   "Closed"]],
    })  # fmt: skip
    found = problems(store, path)
    assert len(found) == 1 and found[0].startswith(
        "sheet 'Risks', row 4, column 'Objective ref': found “SER-01.03”"
    )
    assert "an objective still in the plan for an open risk (it is retired" in found[0]
