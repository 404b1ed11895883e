"""A return a lead fills in unaided (issue 10, item 9): what it asks and does not ask, input messages,
reasons for moved dates, new risks, and what import refuses and says."""

from __future__ import annotations

from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlmodel import select

from tests.builders import get, snapshot
from tests.test_returns import PMO, apply, edit, issue, preview, returns_plan
from tracker.models import AuditEntry, Milestone, Risk
from tracker.queries.returns import returns_tracker
from tracker.services import (
    ValidationError,
    create_milestone,
    record_status_update,
    update_milestone,
    update_objective,
    update_risk,
)
from tracker.workbooks.returns_apply import apply_return
from tracker.workbooks.returns_import import NotAReturn
from tracker.workbooks.returns_layout import MANIFEST_SHEET, SHEETS, value_words
from tracker.workbooks.tables import FONT


@pytest.fixture
def plan(store, actor):
    return returns_plan(store, actor)


# ---------------------------------------------------------------------------------------------- what is asked


def test_closed_objectives_and_done_or_not_pursued_milestones_are_not_asked_for(store, plan, tmp_path):
    with store.write() as s:
        dropped = create_milestone(
            s, actor=PMO,
            data={"objective_id": plan.obj2, "title": "Hire analysts", "baseline_date": date(2024, 10, 1)},
        ).created[-1]  # fmt: skip
        record_status_update(
            s, actor=PMO, objective_id=plan.obj2, period_id=plan.q2,
            data={"lifecycle": "cancelled", "commentary": "Dropped by the board"},
        )  # fmt: skip
        update_milestone(s, actor=PMO, milestone_id=plan.m1, changes={"completed_date": date(2024, 7, 20)})
    wb = openpyxl.load_workbook(issue(store, plan, tmp_path)[plan.lead])
    ids = {ws.title: [r[-1].value for r in ws.iter_rows(min_row=3)] for ws in wb.worksheets[1:]}
    assert ids["Objectives"] == [plan.obj1]  # SER-01.02 is cancelled
    assert dropped not in ids["Milestones"] and plan.m1 not in ids["Milestones"]  # not pursued; done
    assert [r[0].value for r in wb["Milestones"].iter_rows(min_row=3)] == [
        "There are no milestones for you in this return."
    ]
    steps = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "Not asked for: objectives that are complete or cancelled, milestones that are done" in steps
    with store.read() as s:  # the tracker counts the objectives a return asks about
        rows = {r.lead_name: r.n_objectives for r in returns_tracker(s, plan.q2)}
    assert rows == {"Head of Intelligence": 1, "Programme Manager": 1}


def test_every_written_cell_has_the_status_workbooks_font_and_the_lists_sheet_is_locked(
    store, plan, tmp_path
):
    wb = openpyxl.load_workbook(issue(store, plan, tmp_path)[plan.lead])
    assert wb["Lists"].protection.sheet and wb["Lists"].sheet_state == "hidden"
    for ws in wb.worksheets:
        if ws.title == MANIFEST_SHEET:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None or cell.fill.fill_type:
                    assert cell.font.name == FONT and cell.font.sz >= 10, (ws.title, cell.coordinate)


def test_every_input_column_has_an_input_message_within_excels_limits():
    for spec in SHEETS:
        for c in spec.columns:
            if c.input or c.new_input:
                assert 20 < len(c.prompt) <= 255 and len(c.header) <= 32, (spec.title, c.header)
            else:
                assert not c.prompt, (spec.title, c.header)


# ---------------------------------------------------------------------------------------------- dates


def test_a_moved_date_needs_a_reason_which_goes_into_the_milestones_notes_and_the_audit(
    store, plan, tmp_path
):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Milestones", plan.m1, Forecast_date=date(2024, 10, 31))
    p = preview(store, path)
    assert [(x.sheet, x.row, x.column, x.found, x.expected) for x in p.problems] == [
        ("Milestones", 3, "Reason for date change", "(blank)",
         "a reason for moving the forecast date from 01 Sep 2024 to 31 Oct 2024"),
    ]  # fmt: skip
    assert not p.can_apply

    edit(path, "Milestones", plan.m1, Baseline_date=date(2024, 9, 15), Reason_for_date_change="Supplier late")
    p = preview(store, path)
    assert p.problems == ()
    assert [(f.column, f.theirs) for c in p.changes for f in c.fields] == [
        ("Baseline date", date(2024, 9, 15)), ("Forecast date", date(2024, 10, 31)),
        ("Reason for date change", "Supplier late"),
    ]  # fmt: skip
    changes = apply(store, p)
    m = get(store, Milestone, plan.m1)
    day = datetime.now(UTC).date()
    assert (m.baseline_date, m.forecast_date) == (date(2024, 9, 15), date(2024, 10, 31))
    assert m.notes == (
        f"{day:%d %b %Y}, Head of Intelligence in the 2024/25 Q2 return: baseline date moved from "
        "01 Sep 2024 to 15 Sep 2024; forecast date moved from 01 Sep 2024 to 31 Oct 2024. Reason: Supplier late"
    )
    with store.read() as s:
        audited = s.exec(
            select(AuditEntry).where(AuditEntry.txn == changes.txn, AuditEntry.field == "notes")
        ).one()
    assert (
        "Reason: Supplier late" in audited.new and audited.source == "return" and path.name in audited.detail
    )


def test_a_reason_with_no_date_moved_is_said_not_to_be_kept(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Milestones", plan.m1, Reason_for_date_change="Still on track")
    p = preview(store, path)
    assert p.problems == () and p.changes == ()
    assert p.notes == (
        "Milestones, row 3: the reason for date change is not kept, because the baseline date and "
        "forecast date it explains do not change the plan.",
    )


def test_a_reason_is_not_written_when_its_date_conflict_is_settled_keep_ours(store, plan, tmp_path):
    from tracker.workbooks.returns_apply import KEEP_OURS, settle_all

    path = issue(store, plan, tmp_path)[plan.lead]
    with store.write() as s:
        update_milestone(s, actor=PMO, milestone_id=plan.m1, changes={"forecast_date": date(2024, 10, 15)})
    edit(path, "Milestones", plan.m1, Forecast_date=date(2024, 11, 30), Reason_for_date_change="Late kit")
    p = preview(store, path)
    changes = apply(store, p, settle_all(p, KEEP_OURS))
    m = get(store, Milestone, plan.m1)
    assert (m.forecast_date, m.notes) == (date(2024, 10, 15), "")
    assert changes.summary == (
        f"Applied 0 changes to 0 items from {path.name} (1 change as previewed, and 1 conflict settled: "
        "0 taken from the return, 1 kept as in the plan)"
    )


def test_a_completed_date_after_the_day_of_import_is_refused(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Milestones", plan.m1, Completed_date=date(2024, 9, 2))
    p = preview(store, path, today=date(2024, 9, 1))
    assert [(x.sheet, x.row, x.column, x.found, x.expected) for x in p.problems] == [
        ("Milestones", 3, "Completed date", "02 Sep 2024",
         "the day the milestone was done, today (01 Sep 2024) or earlier: leave it blank until it is "
         "done, and move the forecast date instead"),
    ]  # fmt: skip
    p = preview(store, path, today=date(2024, 9, 2))
    assert p.problems == () and [f.theirs for c in p.changes for f in c.fields] == [date(2024, 9, 2)]


# ---------------------------------------------------------------------------------------------- new risks


def _new_risk(path, slot: int = 1, **by_header: object) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Risks"]
    headers = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[-1].value == f"new-{slot}")
    for header, value in by_header.items():
        row[headers.index(header)].value = value
    wb.save(path)


RAISED = {
    "Risk": "Analyst attrition", "Cause": "Private sector pay", "Event": "Analysts leave",
    "Effect": "Fewer products", "Objective": "SER-01.02", "Inherent likelihood (1-5)": 4,
    "Inherent impact (1-5)": 4, "Residual likelihood (1-5)": 3, "Residual impact (1-5)": 2,
}  # fmt: skip


def test_the_risks_sheet_has_rows_to_raise_a_new_risk_owned_by_the_lead(store, plan, tmp_path):
    wb = openpyxl.load_workbook(issue(store, plan, tmp_path)[plan.lead])
    ws = wb["Risks"]
    headers = [c.value for c in ws[2]]
    new = [r for r in ws.iter_rows(min_row=3) if r[0].value == "New risk"]
    assert [r[-1].value for r in new] == ["new-1", "new-2", "new-3", "new-4", "new-5"]
    row = new[0]
    assert row[headers.index("Owner")].value == "Head of Intelligence"
    assert row[headers.index("Owner")].protection.locked and row[0].protection.locked
    for header in (
        "Risk",
        "Cause",
        "Event",
        "Effect",
        "Objective",
        "Inherent likelihood (1-5)",
        "Mitigations",
    ):
        assert not row[headers.index(header)].protection.locked, header
    existing = ws[3]  # an existing risk: only its re-scoring is open
    assert existing[headers.index("Cause")].protection.locked
    assert not existing[headers.index("Residual likelihood (1-5)")].protection.locked


def test_a_new_risk_is_previewed_as_new_and_created_through_the_registry_owned_by_the_lead(
    store, plan, tmp_path
):
    path = issue(store, plan, tmp_path)[plan.lead]
    _new_risk(path, 2, **RAISED)
    p = preview(store, path)
    assert p.problems == ()
    (new,) = p.changes
    assert new.new and new.item == "new risk “Analyst attrition”" and (new.sheet, new.row) == ("Risks", 5)
    shown = {f.column: (value_words(new.kind, f.field, f.theirs), f.implied) for f in new.fields}
    assert shown["Objective"] == ("“SER-01.02”", False)
    assert shown["Target likelihood (1-5)"] == ("3", True) and shown["Target impact (1-5)"] == ("2", True)
    assert shown["Owner"] == ("“Head of Intelligence”", True)
    assert p.changes_in_words() == "12 changes to 1 item, a new risk"
    changes = apply(store, p)
    assert changes.summary == f"Applied 12 changes to 1 item, a new risk, from {path.name}"
    with store.read() as s:
        risk = s.exec(select(Risk).where(Risk.title == "Analyst attrition")).one()
        sources = set(s.exec(select(AuditEntry.source).where(AuditEntry.entity_id == risk.id)).all())
    assert (risk.owner_id, risk.objective_id, risk.cause, risk.effect) == (
        plan.lead,
        plan.obj2,
        "Private sector pay",
        "Fewer products",
    )
    assert (risk.inherent_likelihood, risk.residual_impact, risk.target_likelihood, risk.target_impact) == (
        4,
        2,
        3,
        2,
    )
    assert risk.ref and sources == {"return"} and risk.id in changes.created


def test_a_new_risk_only_on_an_objective_the_lead_leads_and_with_its_scores(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    _new_risk(path, 1, **{**RAISED, "Objective": "SER-01.03"})  # led by the Programme Manager
    _new_risk(path, 2, **{**RAISED, "Risk": None, "Inherent impact (1-5)": 7})
    _new_risk(path, 3, **{"Cause": "Only a cause"})
    p = preview(store, path)
    found = {(x.row, x.column): (x.found, x.expected) for x in p.problems}
    assert found == {
        (4, "Objective"): ("“SER-01.03”", "one of the objectives you lead on this return (SER-01.01, SER-01.02)"),
        (5, "Risk"): ("(blank)", "a short title for the new risk"),
        (5, "Inherent impact (1-5)"): ("7", "a whole number from 1 to 5"),
        (6, "Risk"): ("(blank)", "a short title for the new risk"),
        (6, "Objective"): ("(blank)", "one of the objectives you lead on this return (SER-01.01, SER-01.02)"),
        (6, "Inherent likelihood (1-5)"): ("(blank)", "a whole number from 1 to 5"),
        (6, "Inherent impact (1-5)"): ("(blank)", "a whole number from 1 to 5"),
        (6, "Residual likelihood (1-5)"): ("(blank)", "a whole number from 1 to 5"),
        (6, "Residual impact (1-5)"): ("(blank)", "a whole number from 1 to 5"),
    }  # fmt: skip
    _new_risk(path, 2, **{**RAISED, "Risk": None})
    _new_risk(path, 3, **{"Cause": None})  # an unused row again
    _new_risk(path, 1, **RAISED)
    p = preview(store, path)
    assert {(x.row, x.column, x.expected) for x in p.problems} == {
        (5, "Risk", "a short title for the new risk")
    }


def test_a_new_risk_on_an_objective_handed_over_since_the_preview_is_refused_and_nothing_written(
    store, plan, tmp_path
):
    path = issue(store, plan, tmp_path)[plan.lead]
    _new_risk(path, 1, **RAISED)
    p = preview(store, path)
    with store.write() as s:
        update_objective(s, actor=PMO, objective_id=plan.obj2, changes={"lead_id": plan.owner})
    before = snapshot(store)
    with pytest.raises(ValidationError, match="only on an objective they lead"), store.write() as s:
        apply_return(s, PMO, p)
    assert snapshot(store) == before


# ---------------------------------------------------------------------------------------------- import


def test_an_applied_return_cannot_be_applied_again_until_it_is_issued_again(store, plan, tmp_path):
    first = issue(store, plan, tmp_path / "one")[plan.lead]
    edit(first, "Objectives", plan.obj1, RAG="Green", Commentary="First words")
    _new_risk(first, 1, **RAISED)
    apply(store, preview(store, first))
    again = preview(store, first)
    assert not again.can_apply and "already applied on" in again.applied_already
    second = issue(store, plan, tmp_path / "two")[plan.lead]
    # the first issue stays applied: its new risk is not raised twice
    assert "already applied" in preview(store, first).applied_already
    edit(second, "Objectives", plan.obj1, RAG="Green", Commentary="Second words")
    p = preview(store, second)
    assert p.can_apply and p.applied_already == ""
    assert apply(store, p).summary == f"Applied 1 change to 1 item from {second.name}"
    with store.read() as s:
        assert len(s.exec(select(Risk).where(Risk.title == "Analyst attrition")).all()) == 1


def test_values_are_shown_in_the_apps_words(store, plan, tmp_path):
    from tracker.commands.returns import preview_lines

    path = issue(store, plan, tmp_path)[plan.lead]
    edit(path, "Objectives", plan.obj1, RAG="amber", Rationale_for_the_RAG="Supplier late")
    edit(path, "Recommendations", plan.rec, Status="proposed for closure", Evidence="Report")
    lines = preview_lines(preview(store, path))
    assert "  Objectives, row 3: objective SER-01.01 — RAG: (blank) -> Amber" in lines
    assert (
        "  Recommendations, row 3: recommendation R1 — Status: Being progressed -> Proposed for closure"
        in lines
    )
    assert "Changes to apply: 4 changes to 2 items" in lines


def test_a_risk_closed_since_issue_is_still_the_leads_not_someone_elses(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    with store.write() as s:
        update_risk(s, actor=PMO, risk_id=plan.r1, changes={"status": "closed"})
    edit(path, "Risks", plan.r1, **{"Mitigations": "Funding agreed"})
    p = preview(store, path)
    assert p.not_owned == () and [(c.item, f.theirs) for c in p.changes for f in c.fields] == [
        ("risk R-001", "Funding agreed")
    ]


def test_a_return_from_an_earlier_version_is_refused_with_what_to_do(store, plan, tmp_path):
    path = issue(store, plan, tmp_path)[plan.lead]
    wb = openpyxl.load_workbook(path)
    wb[MANIFEST_SHEET]["B1"] = "delivery-plan-tracker period return 1"
    wb.save(path)
    with pytest.raises(NotAReturn, match="earlier version of the tracker.*issue the return again"):
        preview(store, path)


# ---------------------------------------------------------------------------------------------- return by


def test_the_return_by_date_and_pmo_contact_are_set_when_issuing_and_kept_on_the_period(
    store, plan, tmp_path
):
    from tracker.queries.period_report import period_report
    from tracker.workbooks.returns_issue import issue_returns

    with store.write() as s:
        issue_returns(
            s, PMO, plan.q2, tmp_path, return_by=date(2024, 10, 14), contact="Head of PMO, pmo@example.org"
        )
    with store.read() as s:
        row = period_report(s, plan.q2)
        audited = set(s.exec(select(AuditEntry.field).where(AuditEntry.entity_id == plan.q2)).all())
    assert (row.return_by, row.return_contact) == (date(2024, 10, 14), "Head of PMO, pmo@example.org")
    assert {"return_by", "return_contact"} <= audited
    path = next(tmp_path.glob("*Head of Intelligence.xlsx"))
    wb = openpyxl.load_workbook(path)
    line = "Return by 14 Oct 2024 to Head of PMO, pmo@example.org."
    for title in ("Objectives", "Milestones", "Risks", "Recommendations"):
        ws = wb[title]
        assert ws["A1"].value.endswith(line), title  # on screen
        assert ws.oddHeader.left.text.startswith("Due 14 Oct 2024: 2024/25 Q2 return"), title
    text = [str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value]  # and in print
    assert line in text and "Questions about this return: contact Head of PMO, pmo@example.org." in text
    assert any("send it back to Head of PMO, pmo@example.org by 14 Oct 2024" in t for t in text)

    with store.write() as s:  # issued again without saying: the period's are used
        issue_returns(s, PMO, plan.q2, tmp_path / "again")
    again = openpyxl.load_workbook(next((tmp_path / "again").glob("*Head of Intelligence.xlsx")))
    assert again["Risks"]["A1"].value.endswith(line)


def test_a_return_by_date_before_the_period_starts_is_refused_and_nothing_issued(store, plan, tmp_path):
    from tracker.workbooks.returns_issue import issue_returns

    before = snapshot(store)
    with pytest.raises(ValidationError, match="must not be before the period starts"), store.write() as s:
        issue_returns(s, PMO, plan.q2, tmp_path, return_by=date(2024, 6, 1))
    assert snapshot(store) == before


def test_the_command_line_sets_the_return_by_date_and_contact(store, plan, tmp_path, capsys, db_path):
    from tracker.cli import main

    store.close()
    args = ["--db", str(db_path), "issue-returns", "--period", "2024/25 Q2", "--out", str(tmp_path)]
    assert main([*args, "--return-by", "14/10/2024", "--contact", "PMO, pmo@example.org"]) == 0
    assert (
        "Issued 2 returns for 2024/25 Q2: due 14 Oct 2024, to PMO, pmo@example.org" in capsys.readouterr().out
    )
    with pytest.raises(SystemExit):
        main([*args, "--return-by", "next Friday"])
    assert "'next Friday' is not a date (type it as DD/MM/YYYY" in capsys.readouterr().err
