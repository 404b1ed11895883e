"""Period returns end to end: issue, fill in as a lead would with openpyxl, preview, settle, apply."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from tests.builders import get, small_plan, snapshot
from tracker.db import Actor
from tracker.models import (
    AuditEntry,
    Milestone,
    PeriodReturn,
    ProgressNote,
    Risk,
    StatusUpdate,
)
from tracker.queries.returns import returns_tracker
from tracker.services import (
    ConflictError,
    ValidationError,
    create_milestone,
    create_recommendation,
    create_risk,
    record_status_update,
    update_milestone,
    update_objective,
)
from tracker.workbooks.returns_apply import KEEP_OURS, TAKE_THEIRS, apply_return, settle_all
from tracker.workbooks.returns_import import NotAReturn, preview_return
from tracker.workbooks.returns_issue import issue_returns
from tracker.workbooks.returns_layout import MANIFEST_SHEET
from tracker.workbooks.safety import UnsafeWorkbook

PMO = Actor("PMO analyst", "cli")


@pytest.fixture
def plan(store, actor):
    return returns_plan(store, actor)


def returns_plan(store, actor) -> SimpleNamespace:
    """The small plan with a status in Q1, SER-01.03 led by the Programme Manager, two milestones,
    a risk and a recommendation."""
    ids = small_plan(store, actor)
    with store.write() as s:
        record_status_update(
            s, actor=actor, objective_id=ids.obj1, period_id=ids.q1,
            data={"lifecycle": "in progress", "rag": "green", "rationale": "Started well", "commentary": "Q1 words"},
        )  # fmt: skip
        update_objective(s, actor=actor, objective_id=ids.obj3, changes={"lead_id": ids.owner})
        m1 = create_milestone(
            s,
            actor=actor,
            data={"objective_id": ids.obj1, "title": "Train staff", "baseline_date": date(2024, 9, 1)},
        ).created[-1]
        m2 = create_milestone(
            s, actor=actor,
            data={"objective_id": ids.obj1, "title": "Buy kit", "owner_id": ids.owner, "baseline_date": date(2024, 8, 1)},
        ).created[-1]  # fmt: skip
        r1 = create_risk(
            s, actor=actor,
            data={"title": "Funding gap", "objective_id": ids.obj1, "owner_id": ids.lead,
                  "inherent_likelihood": 4, "inherent_impact": 4, "residual_likelihood": 3,
                  "residual_impact": 3, "target_likelihood": 2, "target_impact": 2},
        ).created[-1]  # fmt: skip
        rec = create_recommendation(
            s, actor=actor,
            data={"inspection_id": ids.inspection, "ref": "R1", "text": "Improve tasking",
                  "status": "being progressed", "owner_id": ids.lead},
        ).created[-1]  # fmt: skip
    return SimpleNamespace(**vars(ids), m1=m1, m2=m2, r1=r1, rec=rec)


def issue(store, plan, out: Path) -> dict[str, Path]:
    with store.write() as s:
        issued = issue_returns(s, PMO, plan.q2, out)
    return {r.lead_id: r.path for r in issued}


def edit(path: Path, sheet: str, item_id: str, **by_header: object) -> Path:
    """Type values into the row for ``item_id`` (found by its hidden id), by column heading."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[-1].value == item_id)
    for header, value in by_header.items():
        row[headers.index(header.replace("_", " "))].value = value
    wb.save(path)
    return path


def preview(store, path: Path, **limits):
    with store.read() as s:
        return preview_return(s, path, **limits)


def apply(store, p, resolutions=None):
    with store.write() as s:
        return apply_return(s, PMO, p, resolutions)


# ---------------------------------------------------------------------------------------------- issuing


def test_issue_writes_a_workbook_per_lead_with_locked_context_drop_downs_and_a_hidden_manifest(
    store, plan, tmp_path
):
    files = issue(store, plan, tmp_path)
    assert set(files) == {plan.lead, plan.owner}
    wb = openpyxl.load_workbook(files[plan.lead])
    assert wb.sheetnames[:1] == ["Instructions"]
    assert wb[MANIFEST_SHEET].sheet_state == "veryHidden" and wb["Lists"].sheet_state == "hidden"
    ws = wb["Objectives"]
    assert ws.protection.sheet and ws.protection.password is None
    headers = [c.value for c in ws[2]]
    refs = [r[0].value for r in ws.iter_rows(min_row=3)]
    assert refs == ["SER-01.01", "SER-01.02"]  # SER-01.03 is now led by someone else
    row = ws[3]
    assert row[headers.index("Last reported")].value == "Green (2024/25 Q1)"
    assert row[headers.index("Last commentary")].value == "Q1 words"
    assert row[headers.index("Ref")].protection.locked
    assert (
        not row[headers.index("RAG")].protection.locked
        and not row[headers.index("Commentary")].protection.locked
    )
    assert ws.column_dimensions["L"].hidden and row[-1].value == plan.obj1
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"list", "whole", "textLength"}  # text inputs carry a rule for their input message
    assert any("Lists" in dv.formula1 for dv in ws.data_validations.dataValidation)
    milestones = [r[1].value for r in wb["Milestones"].iter_rows(min_row=3)]
    assert milestones == ["Train staff"]  # "Buy kit" belongs to its owner
    assert "OFFICIAL" in ws.oddHeader.center.text
    with store.read() as s:
        rows = {r.lead_id: r for r in s.exec(__import__("sqlmodel").select(PeriodReturn)).all()}
    assert rows[plan.lead].status == "issued" and len(rows[plan.lead].checksum) == 64


def test_each_input_column_has_its_validation_and_input_message_and_each_sheet_prints_marked(
    store, plan, tmp_path
):
    wb = openpyxl.load_workbook(issue(store, plan, tmp_path)[plan.lead])
    lists = wb["Lists"]
    found = {}
    for title in ("Objectives", "Milestones", "Risks", "Recommendations"):
        ws = wb[title]
        headers = [c.value for c in ws[2]]
        new_rows = [r[0].row for r in ws.iter_rows(min_row=3) if r[0].value == "New risk"]
        for dv in ws.data_validations.dataValidation:
            (ref,) = str(dv.sqref).split()
            header = headers[openpyxl.utils.column_index_from_string(re.match(r"[A-Z]+", ref)[0]) - 1]
            numbers = [int(x) for x in re.findall(r"\d+", ref)]
            first, last = numbers[0], numbers[-1]
            rows = "new" if new_rows and first == new_rows[0] else "items"
            assert first == (new_rows[0] if rows == "new" else 3), (title, header)
            items_end = new_rows[0] - 1 if new_rows else ws.max_row
            assert last == (new_rows[-1] if rows == "new" else items_end), (title, header)
            assert dv.showErrorMessage and dv.error, (title, header)
            # every input cell says what it takes when chosen, within Excel's limits
            assert dv.showInputMessage and dv.promptTitle == header, (title, header)
            assert 20 < len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32, (title, header)
            if dv.type == "list":
                sheet, cells = dv.formula1.split("!")
                assert sheet == "'Lists'"
                low, high = (int(x) for x in re.findall(r"\d+", cells))
                column = re.match(r"\$([A-Z]+)", cells)[1]
                shown = [lists[f"{column}{r}"].value for r in range(low, high + 1)]
                found[title, header, rows] = ("list", tuple(shown))
            else:
                found[title, header, rows] = (dv.type, dv.formula1, dv.formula2, dv.allow_blank)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale == 100, (
            title
        )  # test_returns_print
        assert ws.print_title_rows and ws.freeze_panes, title
        assert "OFFICIAL" in ws.oddHeader.center.text and ws.oddFooter.right.text == "Page &P of &N", title
    text = ("textLength", "30000", None, True)
    assert found == {
        ("Objectives", "RAG", "items"): ("list", ("Red", "Amber", "Green")),
        ("Objectives", "Lifecycle", "items"): ("list", ("Not started", "In progress", "On hold", "Complete", "Cancelled")),
        ("Objectives", "% progress", "items"): ("whole", "0", "100", True),
        ("Objectives", "Rationale for the RAG", "items"): text,
        ("Objectives", "Corrective action (if Red)", "items"): text,
        ("Objectives", "Commentary", "items"): text,
        ("Objectives", "Next steps", "items"): text,
        ("Milestones", "Baseline date", "items"): ("date", "36526", "73050", True),
        ("Milestones", "Forecast date", "items"): ("date", "36526", "73050", True),
        ("Milestones", "Completed date", "items"): ("date", "36526", "73050", True),
        ("Milestones", "Reason for date change", "items"): ("textLength", "1000", None, True),
        ("Risks", "Residual likelihood (1-5)", "items"): ("whole", "1", "5", False),
        ("Risks", "Residual impact (1-5)", "items"): ("whole", "1", "5", False),
        ("Risks", "Mitigations", "items"): text,
        # a new risk's row: all it takes, the scores blank until the row is used
        ("Risks", "Risk", "new"): text,
        ("Risks", "Cause", "new"): text,
        ("Risks", "Event", "new"): text,
        ("Risks", "Effect", "new"): text,
        ("Risks", "Objective", "new"): ("list", ("SER-01.01", "SER-01.02")),
        ("Risks", "Inherent likelihood (1-5)", "new"): ("whole", "1", "5", True),
        ("Risks", "Inherent impact (1-5)", "new"): ("whole", "1", "5", True),
        ("Risks", "Residual likelihood (1-5)", "new"): ("whole", "1", "5", True),
        ("Risks", "Residual impact (1-5)", "new"): ("whole", "1", "5", True),
        ("Risks", "Target likelihood (1-5)", "new"): ("whole", "1", "5", True),
        ("Risks", "Target impact (1-5)", "new"): ("whole", "1", "5", True),
        ("Risks", "Mitigations", "new"): text,
        ("Recommendations", "Status", "items"): ("list", ("Awaiting allocation", "Being progressed", "Proposed for closure",
                                                           "Closed", "Superseded", "Not accepted")),
        ("Recommendations", "Evidence", "items"): text,
        ("Recommendations", "Closure rationale", "items"): text,
        ("Recommendations", "New progress note", "items"): text,
    }  # fmt: skip
    assert wb.properties.subject.startswith("OFFICIAL")


def test_issuing_for_a_closed_period_is_refused(store, plan, tmp_path):
    from tracker.services import close_period

    with store.write() as s:
        close_period(s, actor=PMO, period_id=plan.q2)
    before = snapshot(store)
    with pytest.raises(ValidationError, match="closed"), store.write() as s:
        issue_returns(s, PMO, plan.q2, tmp_path)
    assert snapshot(store) == before


# ---------------------------------------------------------------------------------------------- round trip


def test_a_filled_in_return_is_previewed_then_applied_with_the_file_named_in_the_audit(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Objectives", plan.obj1, RAG="Amber", Rationale_for_the_RAG="Supplier late",
         Commentary="On the way", Next_steps="Chase", **{"% progress": 55})  # fmt: skip
    edit(path, "Milestones", plan.m1, Forecast_date="30/09/2024", Reason_for_date_change="Supplier late")
    edit(
        path,
        "Risks",
        plan.r1,
        **{"Residual likelihood (1-5)": 4, "Mitigations": "Hedge funding, = not a formula"},
    )
    edit(path, "Recommendations", plan.rec, New_progress_note="Tasking review done")
    before = snapshot(store)
    p = preview(store, path)
    assert snapshot(store) == before  # a preview writes nothing
    assert (p.problems, p.conflicts, p.not_owned) == ((), (), ())
    assert p.lead_name == "Head of Intelligence" and p.period_name == "2024/25 Q2"
    changed = {(c.kind, f.field): f.theirs for c in p.changes for f in c.fields}
    assert changed == {
        ("objective", "rag"): "amber", ("objective", "rationale"): "Supplier late",
        ("objective", "commentary"): "On the way", ("objective", "next_steps"): "Chase",
        ("objective", "progress_pct"): 55, ("milestone", "forecast_date"): date(2024, 9, 30),
        ("risk", "residual_likelihood"): 4, ("risk", "mitigations"): "Hedge funding, = not a formula",
        ("recommendation", "note"): "Tasking review done", ("milestone", "reason"): "Supplier late",
    }  # fmt: skip
    assert p.changes_in_words() == "10 changes to 4 items"

    changes = apply(store, p)
    assert changes.txn and changes.summary == f"Applied 10 changes to 4 items from {path.name}"
    with store.read() as s:
        from sqlmodel import select

        update = s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == plan.obj1,
                                                   StatusUpdate.period_id == plan.q2)).one()  # fmt: skip
        assert (update.rag, update.progress_pct, update.author) == ("amber", 55, "Head of Intelligence")
        note = s.exec(select(ProgressNote).where(ProgressNote.recommendation_id == plan.rec)).one()
        assert note.text == "Tasking review done"
        details = set(s.exec(select(AuditEntry.detail).where(AuditEntry.txn == changes.txn)).all())
        sources = set(s.exec(select(AuditEntry.source).where(AuditEntry.txn == changes.txn)).all())
        ret = s.exec(select(PeriodReturn).where(PeriodReturn.lead_id == plan.lead)).one()
    assert get(store, Milestone, plan.m1).forecast_date == date(2024, 9, 30)
    assert get(store, Risk, plan.r1).mitigations == "Hedge funding, = not a formula"
    assert sources == {"return"} and all(path.name in d for d in details)
    assert (ret.status, ret.rows_applied) == ("applied", 4)

    # the same file again says it was applied and cannot be applied again
    again = preview(store, path)
    assert again.changes == () and again.conflicts == () and not again.can_apply
    assert again.applied_already.startswith("This return from Head of Intelligence was already applied on ")
    before = snapshot(store)
    with pytest.raises(ValidationError, match="cannot be applied again"), store.write() as s:
        apply_return(s, PMO, again)
    assert snapshot(store) == before


def test_every_bad_cell_is_listed_with_its_sheet_row_column_value_and_what_was_expected(
    store, plan, tmp_path
):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Objectives", plan.obj1, RAG="Purple", Lifecycle="Sort of", **{"% progress": 140})
    edit(path, "Objectives", plan.obj2, RAG="Red", Lifecycle="In progress", **{"% progress": "abc"})
    edit(path, "Milestones", plan.m1, Forecast_date="next week", Completed_date=True)
    edit(path, "Risks", plan.r1, **{"Residual likelihood (1-5)": 0, "Residual impact (1-5)": None})
    edit(path, "Recommendations", plan.rec, Status="Done", Evidence="=SUM(A1:A2)")
    p = preview(store, path)
    found = {(x.sheet, x.row, x.column): (x.found, x.expected) for x in p.problems}
    assert found == {
        ("Objectives", 3, "RAG"): ("“Purple”", "one of Red, Amber, Green, or blank"),
        ("Objectives", 3, "Lifecycle"): ("“Sort of”", "one of Not started, In progress, On hold, Complete, Cancelled, or blank"),
        ("Objectives", 3, "% progress"): ("140", "a whole number from 0 to 100, or blank"),
        ("Objectives", 4, "% progress"): ("“abc”", "a whole number from 0 to 100, or blank"),
        ("Milestones", 3, "Forecast date"): ("“next week”", "a date such as 31/03/2025, or blank"),
        ("Milestones", 3, "Completed date"): ("True", "a date such as 31/03/2025, or blank"),
        ("Risks", 3, "Residual likelihood (1-5)"): ("0", "a whole number from 1 to 5"),
        ("Risks", 3, "Residual impact (1-5)"): ("(blank)", "a whole number from 1 to 5"),
        ("Recommendations", 3, "Status"): ("“Done”", "one of Awaiting allocation, Being progressed, Proposed for closure, Closed, Superseded, Not accepted, or blank"),
        ("Recommendations", 3, "Evidence"): ("the formula “=SUM(A1:A2)”", "a typed value (formulas are never calculated on import)"),
    }  # fmt: skip
    assert "sheet 'Objectives', row 3, column 'RAG': found “Purple”; expected one of Red" in str(
        p.problems[0]
    )
    before = snapshot(store)
    with pytest.raises(ValidationError, match="problem"), store.write() as s:
        apply_return(s, PMO, p, {})
    assert snapshot(store) == before


def test_a_text_cell_holding_a_date_or_too_much_text_is_a_problem(store, plan, tmp_path):
    from tracker.workbooks.returns_layout import TEXT_MAX

    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Objectives", plan.obj1, Commentary=date(2024, 9, 1), Next_steps="x" * (TEXT_MAX + 1))
    edit(path, "Risks", plan.r1, Mitigations=12.0)  # a number typed as text is fine: "12"
    p = preview(store, path)
    found = {(x.sheet, x.row, x.column): x.expected for x in p.problems}
    assert found == {
        ("Objectives", 3, "Commentary"): "text of at most 30,000 characters",
        ("Objectives", 3, "Next steps"): "text of at most 30,000 characters",
    }
    assert [(c.kind, f.theirs) for c in p.changes for f in c.fields] == [("risk", "12")]


def test_rows_removed_from_the_plan_or_never_in_it_are_reported_and_not_applied(store, plan, tmp_path):
    from tracker.services import delete_milestone

    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Milestones", plan.m1, Forecast_date=date(2024, 12, 1), Reason_for_date_change="Supplier late")
    wb = openpyxl.load_workbook(path)
    ws = wb["Milestones"]
    made_up = [c.value for c in ws[3]]
    made_up[-1] = "00000000-0000-0000-0000-000000000000"
    ws.append(made_up)
    wb.save(path)
    with store.write() as s:
        delete_milestone(s, actor=PMO, milestone_id=plan.m1)
    p = preview(store, path)
    assert sorted(n.reason for n in p.not_owned) == [
        "not in this return and not in the plan, so it was not applied",
        "removed from the plan since the return was issued, so it was not applied",
    ]
    assert p.changes == () and p.problems == ()
    before = snapshot(store)
    apply(store, p)  # records the return as received; the plan's items are untouched
    after = snapshot(store)
    assert after["milestone"] == before["milestone"] and after["status_update"] == before["status_update"]


def test_the_plan_rules_are_checked_on_each_row(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(
        path, "Objectives", plan.obj1, RAG="Red", Commentary="Stuck"
    )  # a change from Green: rationale; Red: action
    edit(
        path, "Objectives", plan.obj2, Lifecycle="In progress", Commentary="Begun"
    )  # in progress needs a RAG
    edit(path, "Recommendations", plan.rec, Status="Proposed for closure")  # needs evidence
    p = preview(store, path)
    found = {(x.sheet, x.row, x.column): x.expected for x in p.problems}
    assert found == {
        ("Objectives", 3, "Rationale for the RAG"): "a change of RAG from Green to Red needs a rationale",
        ("Objectives", 3, "Corrective action (if Red)"): "a Red status needs a corrective action",
        (
            "Objectives",
            4,
            "RAG",
        ): "a RAG (Red, Amber or Green) is required while the objective is in progress",
        ("Recommendations", 3, "Evidence"): "evidence is required to propose closure",
    }


def test_a_row_added_by_hand_or_copied_twice_is_a_problem(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    wb = openpyxl.load_workbook(path)
    ws = wb["Objectives"]
    ws.append(["NEW-1", "A new objective", None, None, "Green"])
    ws.append([c.value for c in ws[3]])
    wb.save(path)
    p = preview(store, path)
    assert {(x.row, x.column, x.expected.split(":")[0].split(" (")[0]) for x in p.problems} == {
        (5, "Row id (do not change)", "a row as issued"),
        (6, "Row id (do not change)", "each item once"),
    }


# ---------------------------------------------------------------------------------------------- conflicts


@pytest.fixture
def conflicted(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    with store.write() as s:  # the PMO edits after the return was issued
        update_milestone(s, actor=PMO, milestone_id=plan.m1, changes={"forecast_date": date(2024, 10, 15)})
        record_status_update(
            s, actor=PMO, objective_id=plan.obj1, period_id=plan.q2,
            data={"lifecycle": "in progress", "rag": "green", "commentary": "PMO words", "next_steps": "PMO next"},
        )  # fmt: skip
    edit(
        path, "Milestones", plan.m1, Forecast_date=date(2024, 11, 30), Reason_for_date_change="Supplier late"
    )
    edit(
        path,
        "Objectives",
        plan.obj1,
        RAG="Green",
        Commentary="Lead words",
        Next_steps="PMO next",
        **{"% progress": 30},
    )
    return path


def test_edits_made_since_issue_are_field_level_conflicts(store, plan, conflicted):
    p = preview(store, conflicted)
    assert not p.problems
    got = {(c.sheet, c.column): (c.issued, c.ours, c.theirs) for c in p.conflicts}
    assert got == {
        ("Milestones", "Forecast date"): (date(2024, 9, 1), date(2024, 10, 15), date(2024, 11, 30)),
        ("Objectives", "Commentary"): ("", "PMO words", "Lead words"),
    }
    # RAG and next steps agree with the plan already; progress changed only in the return
    assert [(f.field, f.theirs) for c in p.changes for f in c.fields] == [
        ("progress_pct", 30),
        ("reason", "Supplier late"),  # kept only if the forecast is taken from the return
    ]
    before = snapshot(store)
    with pytest.raises(ValidationError, match="1 conflict"), store.write() as s:
        apply_return(s, PMO, p, {p.conflicts[0].key: TAKE_THEIRS})
    assert snapshot(store) == before


@pytest.mark.parametrize("choice", [KEEP_OURS, TAKE_THEIRS])
def test_conflicts_are_settled_either_way(store, plan, conflicted, choice):
    p = preview(store, conflicted)
    apply(store, p, settle_all(p, choice))
    forecast = get(store, Milestone, plan.m1).forecast_date
    with store.read() as s:
        from sqlmodel import select

        update = s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == plan.obj1,
                                                   StatusUpdate.period_id == plan.q2)).one()  # fmt: skip
    if choice == TAKE_THEIRS:
        assert (forecast, update.commentary) == (date(2024, 11, 30), "Lead words")
    else:
        assert (forecast, update.commentary) == (date(2024, 10, 15), "PMO words")
    assert update.progress_pct == 30


def test_a_change_in_the_plan_between_preview_and_apply_refuses_the_apply(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Milestones", plan.m1, Forecast_date=date(2024, 12, 1), Reason_for_date_change="Supplier late")
    p = preview(store, path)
    with store.write() as s:
        update_milestone(s, actor=PMO, milestone_id=plan.m1, changes={"notes": "moved on"})
    before = snapshot(store)
    with pytest.raises(ConflictError, match="preview the return again"), store.write() as s:
        apply_return(s, PMO, p)
    assert snapshot(store) == before


# ---------------------------------------------------------------------------------------------- ownership


def test_rows_the_lead_does_not_answer_for_are_reported_and_not_applied(store, plan, tmp_path):
    files = issue(store, plan, tmp_path)
    path = files[plan.lead]
    theirs = openpyxl.load_workbook(files[plan.owner])["Objectives"]
    pasted = [c.value for c in next(theirs.iter_rows(min_row=3))]
    wb = openpyxl.load_workbook(path)
    pasted[4], pasted[9] = "Red", "Pasted in"
    wb["Objectives"].append(pasted)
    wb.save(path)
    with store.write() as s:  # and a milestone handed to someone else after issue
        update_milestone(s, actor=PMO, milestone_id=plan.m1, changes={"owner_id": plan.spare})
    edit(
        path, "Milestones", plan.m1, Forecast_date=date(2024, 12, 24), Reason_for_date_change="Supplier late"
    )
    p = preview(store, path)
    assert {(n.sheet, n.item, n.reason) for n in p.not_owned} == {
        ("Objectives", "objective SER-01.03", "not in this return: Programme Manager answers for it, so it was not applied"),
        ("Milestones", "milestone “Train staff”", "no longer yours: Business Analyst answers for it now, so it was not applied"),
    }  # fmt: skip
    assert p.changes == ()
    apply(store, p)
    assert get(store, Milestone, plan.m1).forecast_date == date(2024, 9, 1)
    with store.read() as s:
        from sqlmodel import select

        assert s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == plan.obj3)).all() == []


# ---------------------------------------------------------------------------------------------- refusals


def _refused(store, path: Path, error, match: str, **limits):
    before = snapshot(store)
    with pytest.raises(error) as info:
        preview(store, path, **limits)
    assert match in str(info.value), str(info.value)
    assert snapshot(store) == before


def test_a_return_for_another_plan_is_refused(store, plan, tmp_path, actor):
    from tracker.store import open_store

    other = open_store(tmp_path / "other.db")
    try:
        ids = small_plan(other, actor)
        with other.write() as s:
            path = issue_returns(s, PMO, ids.q2, tmp_path / "other")[0].path
    finally:
        other.close()
    _refused(store, path, NotAReturn, "is a return for another plan, not for 'Test Strategy 2024/25'")


def test_a_workbook_that_is_not_a_return_is_refused(store, plan, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Ref", "RAG"])
    wb.save(tmp_path / "status.xlsx")
    _refused(store, tmp_path / "status.xlsx", NotAReturn, "is not a period return from this tracker")


def _manifest_edit(path: Path, cell: str, value: object) -> Path:
    wb = openpyxl.load_workbook(path)
    wb[MANIFEST_SHEET][cell] = value
    wb.save(path)
    return path


def test_tampered_return_data_is_refused(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    _manifest_edit(path, "C8", 99)  # a row's revision
    _refused(store, path, NotAReturn, "was changed after it was issued (the checksum does not match)")


def test_return_data_rewritten_with_a_fresh_checksum_is_not_on_record(store, plan, tmp_path):
    from tracker.workbooks.returns_layout import SHEET_BY_KIND, Manifest, ManifestRow, issued_value

    path = issue(store, plan, tmp_path)[plan.lead]
    wb = openpyxl.load_workbook(path)
    ws = wb[MANIFEST_SHEET]
    ws["C8"] = 99  # a forger raises a row's revision, then recomputes the checksum
    values = [[c.value for c in row] for row in ws.iter_rows()]
    rows = tuple(
        ManifestRow(
            k, i, rev, tuple(issued_value(c, v) for c, v in zip(SHEET_BY_KIND[k].inputs, rest, strict=False))
        )
        for k, i, rev, *rest in values[7:]
    )
    ws["B6"] = Manifest(values[1][1], values[2][1], values[3][1], values[4][1], rows).checksum()
    wb.save(path)
    _refused(store, path, NotAReturn, "there is no record of issuing it")


def test_an_earlier_issue_is_still_recognised_after_issuing_again(store, plan, tmp_path):
    first = issue(store, plan, tmp_path / "one")[plan.lead]
    with store.write() as s:  # so the second issue's manifest differs (a revision moved)
        update_milestone(s, actor=PMO, milestone_id=plan.m1, changes={"notes": "re-planned"})
    issue(store, plan, tmp_path / "two")
    edit(
        first, "Milestones", plan.m1, Forecast_date=date(2024, 9, 20), Reason_for_date_change="Supplier late"
    )
    p = preview(store, first)
    assert any("earlier issue" in n for n in p.notes) and len(p.changes) == 1


def _corpus():
    from tests.test_workbook_safety import CORPUS

    return CORPUS


@pytest.mark.parametrize("case", list(_corpus()))
def test_each_hostile_file_is_refused_and_nothing_is_written(store, plan, tmp_path, case):
    build, limits, expected = _corpus()[case]
    (tmp_path / "in").mkdir()
    path = build(tmp_path / "in")
    _refused(store, path, UnsafeWorkbook, expected, **limits)


# ---------------------------------------------------------------------------------------------- tracker


def test_the_tracker_shows_each_lead_issued_received_applied_and_outstanding(store, plan, tmp_path):
    from tracker.services import record_return_received

    with store.read() as s:
        assert {r.lead_name: r.status for r in returns_tracker(s, plan.q2)} == {
            "Head of Intelligence": "not issued", "Programme Manager": "not issued",
        }  # fmt: skip
    files = issue(store, plan, tmp_path)
    with store.write() as s:
        record_return_received(s, actor=PMO, period_id=plan.q2, lead_id=plan.owner)
    apply(store, preview(store, files[plan.lead]))
    with store.read() as s:
        rows = {r.lead_name: r for r in returns_tracker(s, plan.q2)}
    assert rows["Head of Intelligence"].status == "applied" and not rows["Head of Intelligence"].outstanding
    assert rows["Programme Manager"].status == "received" and rows["Programme Manager"].n_objectives == 1
    assert rows["Programme Manager"].received_at is not None
    assert rows["Head of Intelligence"].applied_by == PMO.name and rows["Programme Manager"].applied_by == ""


# ---------------------------------------------------------------------------------------------- command line


def test_the_command_line_issues_previews_applies_and_tracks(store, plan, tmp_path, capsys, db_path):
    from tracker.cli import main

    store.close()
    db = ["--db", str(db_path)]
    assert main([*db, "issue-returns", "--period", "2024/25 q2", "--out", str(tmp_path / "out")]) == 0
    assert "Issued 2 returns for 2024/25 Q2" in capsys.readouterr().out
    path = next((tmp_path / "out").glob("*Head of Intelligence.xlsx"))
    edit(path, "Milestones", plan.m1, Forecast_date="not a date")
    assert main([*db, "import-return", str(path), "--apply"]) == 3
    out = capsys.readouterr().out
    assert "sheet 'Milestones', row 3, column 'Forecast date': found “not a date”" in out
    assert "Nothing was applied" in out

    edit(path, "Milestones", plan.m1, Forecast_date=date(2024, 9, 15), Reason_for_date_change="Supplier late")
    assert main([*db, "import-return", str(path)]) == 0
    assert (
        "Milestones, row 3: milestone “Train staff” — Forecast date: 01 Sep 2024 -> 15 Sep 2024"
        in capsys.readouterr().out
    )
    assert main([*db, "returns", "--period", "2024/25 Q2"]) == 0
    assert "received" in capsys.readouterr().out
    assert main([*db, "import-return", str(path), "--apply"]) == 0
    assert f"Applied 2 changes to 1 item from {path.name}" in capsys.readouterr().out
    assert main([*db, "returns", "--period", "2024/25 Q2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.startswith("Head of Intelligence") and " applied " in ln for ln in lines)
    assert any(ln.startswith("Programme Manager") and ln.endswith("yes") for ln in lines)


def test_the_command_line_reads_a_return_before_it_takes_the_write_lock(
    store, plan, tmp_path, db_path, monkeypatch, capsys
):
    """A large file is parsed with the store closed: another process (the app) is never locked out
    while it is read."""
    import tracker.workbooks.returns_import as returns_import
    from tracker.cli import main
    from tracker.lock import WriteLock

    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Milestones", plan.m1, Forecast_date=date(2024, 9, 15), Reason_for_date_change="Supplier late")
    store.close()
    real, free = returns_import._read_sheets, []

    def reading(*args, **kwargs):  # type: ignore[no-untyped-def]
        with WriteLock(db_path):  # raises DatabaseLocked while the command holds the lock
            free.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(returns_import, "_read_sheets", reading)
    assert main(["--db", str(db_path), "import-return", str(path), "--apply"]) == 0
    assert free == [True] and "Applied 2 changes" in capsys.readouterr().out
