"""Plan workbooks: the blank template, the plan exported, and imported into an empty store unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import col, select

from tests.builders import audit_of, plan_fields, small_plan
from tracker.audit import CREATED
from tracker.autobackup import listing
from tracker.db import Actor
from tracker.enums import Source
from tracker.errors import ValidationError
from tracker.models import (
    AuditEntry,
    Board,
    Kind,
    Milestone,
    Objective,
    Outcome,
    Person,
    Recommendation,
    Risk,
    Theme,
)
from tracker.seed.sample import add_sample_progress
from tracker.seed.scale import build_scale_plan
from tracker.seed.template import empty_template, emsou_template, seed_plan
from tracker.services.base import unit_of_work
from tracker.services.plan_import import import_plan, preview_plan
from tracker.services.plan_state import read_plan_state
from tracker.store import Store, open_store
from tracker.workbooks.plan_layout import SHEETS
from tracker.workbooks.plan_read import read_plan_file
from tracker.workbooks.plan_write import export_plan, write_plan_template

PMO = Actor("PMO analyst", Source.CLI)


def empty_store(path: Path, name: str = "Another organisation") -> Store:
    store = open_store(path)
    with store.write() as s:
        seed_plan(s, actor=PMO, template=empty_template(name))
    return store


def round_trip(source: Store, tmp_path: Path) -> Store:
    """Export the plan, import it into a new empty store, and return that store."""
    path = tmp_path / "plan.xlsx"
    with source.read() as s:
        export_plan(s, path)
    data = read_plan_file(path)
    assert not data.problems, data.problems[:5]
    target = empty_store(tmp_path / "copy.db")
    with target.write() as s:
        import_plan(s, actor=PMO, data=data)
    return target


def mark_history(store: Store) -> None:
    """Give the plan what the sample lacks: retired items, items carried from an earlier plan, a formula look-alike."""
    with store.write() as s:
        uow = unit_of_work(s, PMO)
        theme = s.exec(select(Theme).order_by(col(Theme.ordinal).desc())).first()
        uow.update(theme, {"retired_on": date(2024, 1, 31)})
        objective = s.exec(select(Objective).order_by(Objective.ref)).first()
        uow.update(objective, {"retired_on": date(2024, 2, 29), "carried_from": "Plan 2020/21 SER-09.09",
                               "title": "=1+1 is how the board wrote it",
                               "description": "Why it mattered, in the board's words"})  # fmt: skip
        uow.update(
            s.exec(select(Milestone).order_by(Milestone.title)).first(), {"carried_from": "Plan 2020/21 M"}
        )
        uow.update(s.exec(select(Risk).order_by(Risk.ref)).first(), {"carried_from": "Plan 2020/21 R-1"})
        rec = s.exec(select(Recommendation).order_by(Recommendation.ref)).first()
        uow.update(rec, {"carried_from": "Plan 2020/21 AFI-1"})
        # an open risk does not sit under what was retired (retiring refuses it): these were closed first
        outcomes = s.exec(select(Outcome.id).where(Outcome.theme_id == theme.id)).all()
        under = s.exec(select(Objective.id).where(col(Objective.outcome_id).in_(outcomes))).all()
        for risk in s.exec(select(Risk).where(Risk.status == "open")).all():
            if risk.theme_id == theme.id or risk.objective_id in {*under, objective.id}:
                uow.update(risk, {"status": "closed"})
        uow.changes("history")


# ---------------------------------------------------------------------------------------------- template


def test_the_template_has_instructions_then_a_sheet_per_kind_with_rules_and_an_example(tmp_path):
    path = write_plan_template(tmp_path / "template.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", *(s.title for s in SHEETS), "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    assert wb["Themes"]["A1"].value == "Themes"
    assert "Row 4 is an example: it is not imported while it is unchanged" in wb["Themes"]["A2"].value
    assert "status history" not in wb["Instructions"]["A1"].value  # the title; the words are below it
    instructions = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    assert "Items are matched by code" in instructions and "not carried here" in instructions.lower()
    assert "status" in instructions and "ids, revisions" in instructions

    risks = wb["Risks"]
    assert risks.freeze_panes == "B4"
    headings = [c.value for c in risks[3]]
    assert headings[:3] == ["Ref *", "Title *", "Objective ref"]
    assert risks.column_dimensions["B"].width >= 30
    rules = {(dv.type, str(dv.sqref).split(":")[0]): dv for dv in risks.data_validations.dataValidation}
    score = rules[
        ("whole", f"{openpyxl.utils.get_column_letter(headings.index('Inherent likelihood *') + 1)}4")
    ]
    assert (score.formula1, score.formula2) == ("1", "5")
    response = rules[("list", f"{openpyxl.utils.get_column_letter(headings.index('Response *') + 1)}4")]
    assert response.formula1.startswith("'Lists'!")
    assert ("date", f"{openpyxl.utils.get_column_letter(headings.index('Review date') + 1)}4") in rules
    recs = wb["Recommendations"]
    kinds = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in recs.data_validations.dataValidation
        if dv.type == "list"
    }
    assert "C4" in kinds and "G4" in kinds  # kind and status
    objectives = wb["Objectives"]
    assert objectives["A4"].value == "EXA-01.01" and objectives["H4"].number_format == "dd/mm/yyyy"


def test_the_untouched_template_imports_nothing_and_an_edited_example_is_a_row(tmp_path):
    path = write_plan_template(tmp_path / "template.xlsx")
    store = empty_store(tmp_path / "plan.db")
    with store.read() as s:
        preview = preview_plan(s, read_plan_file(path))
    assert not preview.problems and preview.n_create == 0 and preview.n_update == 0

    wb = openpyxl.load_workbook(path)
    wb["Themes"]["B4"] = "Service"
    wb.save(path)
    with store.read() as s:
        preview = preview_plan(s, read_plan_file(path))
    assert [(c.sheet, c.create) for c in preview.counts if c.create] == [("Themes", 1)]


# ---------------------------------------------------------------------------------------------- round trip


def test_the_sample_plan_round_trips_field_by_field(tmp_path):
    source = open_store(tmp_path / "sample.db")
    with source.write() as s:
        seed_plan(s, actor=PMO, template=emsou_template())
        add_sample_progress(s, actor=PMO)
    mark_history(source)
    copy = round_trip(source, tmp_path)

    before, after = plan_fields(source), plan_fields(copy)
    for kind in before:
        assert after[kind] == before[kind], kind
    assert len(before["objective"]) > 50 and len(before["milestone"]) > 100 and before["links to objectives"]
    retired = [o for o in after["objective"].values() if o["retired_on"]]
    assert retired and retired[0]["carried_from"] == "Plan 2020/21 SER-09.09"
    assert retired[0]["title"] == "=1+1 is how the board wrote it"
    assert retired[0]["description"] == "Why it mattered, in the board's words"
    assert any(t["retired_on"] for t in after["theme"].values())
    assert {"four_p", "start_date", "target_date", "board", "lead", "ordinal"} <= set(retired[0])


def test_the_scale_plan_round_trips_field_by_field(tmp_path):
    source = open_store(tmp_path / "scale.db")
    with source.write() as s:  # the scale plan's generator, at a size a test can afford
        build_scale_plan(s, actor=PMO, objectives=120, milestones=600, risks=80, audit_entries=0, periods=5)
    copy = round_trip(source, tmp_path)
    before, after = plan_fields(source), plan_fields(copy)
    for kind in before:
        assert after[kind] == before[kind], kind
    assert len(after["objective"]) == 120 and len(after["milestone"]) == 600 and len(after["risk"]) == 80


def test_importing_writes_one_audited_transaction_that_undo_reverts(tmp_path):
    from tracker.services import revert_transaction

    source = open_store(tmp_path / "source.db")
    small_plan(source, PMO)
    target = round_trip(source, tmp_path)
    with target.read() as s:
        state = read_plan_state(s)
    objective = state.live(Kind.OBJECTIVE)[0]
    assert [f for f, _, _ in audit_of(target, objective["id"])] == [CREATED]
    with target.read() as s:  # the import's transaction is the one that created the objective
        txn = s.exec(select(AuditEntry.txn).where(AuditEntry.entity_id == objective["id"])).first()
    with target.write() as s:
        revert_transaction(s, actor=PMO, txn=txn)
    assert plan_fields(target)["objective"] == {}


# ---------------------------------------------------------------------------------------------- updates


def test_a_changed_workbook_previews_each_field_then_updates_only_those(tmp_path):
    store = open_store(tmp_path / "plan.db")
    ids = small_plan(store, PMO)
    path = tmp_path / "plan.xlsx"
    with store.read() as s:
        export_plan(s, path)
    wb = openpyxl.load_workbook(path)
    objectives = wb["Objectives"]
    row = next(r for r in objectives.iter_rows(min_row=4) if r[0].value == "SER-01.02")
    row[4].value = "Programme Manager"  # lead
    row[8].value = date(2025, 2, 28)  # target date
    objectives.append(["SER-01.04", "SER-01", "A new objective", "", "Business Analyst"])
    wb["Themes"]["B4"] = "Service to the region"
    wb.save(path)

    with store.read() as s:
        preview = preview_plan(s, read_plan_file(path))
    assert not preview.problems
    counts = {c.sheet: (c.create, c.update, c.unchanged) for c in preview.counts}
    assert (
        counts["Objectives"] == (1, 1, 2) and counts["Themes"] == (0, 1, 1) and counts["People"] == (0, 0, 4)
    )
    assert [str(c) for c in preview.changes] == [
        "Themes, row 4: theme SER — Name: “Service” -> “Service to the region”",
        "Objectives, row 5: objective SER-01.02 — Lead: “Head of Intelligence” -> “Programme Manager”",
        "Objectives, row 5: objective SER-01.02 — Target date: 31 Mar 2025 -> 28 Feb 2025",
    ]
    with store.write() as s:
        changes = import_plan(s, actor=PMO, data=read_plan_file(path))
    assert "1 item added, 2 items changed" in changes.summary
    with store.read() as s:
        obj = s.get(Objective, ids.obj2)
        assert (obj.lead_id, obj.target_date, obj.revision) == (ids.owner, date(2025, 2, 28), 2)
        new = s.exec(select(Objective).where(Objective.ref == "SER-01.04")).one()
        assert (new.ordinal, new.lead_id, new.outcome_id) == (4, ids.spare, ids.outcome)
    assert [f for f, _, _ in audit_of(store, ids.obj2, changes.txn)] == ["lead_id", "target_date"]
    with store.read() as s:  # imported again: nothing left to do
        again = preview_plan(s, read_plan_file(path))
    assert again.n_create == again.n_update == 0


def test_links_of_a_recommendation_are_added_and_removed_by_ref(tmp_path):
    store = open_store(tmp_path / "plan.db")
    small_plan(store, PMO)
    path = write_plan_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Recommendations"].append(["Inspection of the ROCU", "AFI-1", "Area for improvement", "Improve", None,
                                  None, "Awaiting allocation", None, None, None, "SER-01.01, SER-01.02"])  # fmt: skip
    wb.save(path)
    with store.write() as s:
        import_plan(s, actor=PMO, data=read_plan_file(path))
    assert [o for _, o in plan_fields(store)["links to objectives"]] == ["SER-01.01", "SER-01.02"]
    wb["Recommendations"]["K5"] = "SER-01.03"
    wb.save(path)
    with store.read() as s:
        preview = preview_plan(s, read_plan_file(path))
    assert [str(c) for c in preview.changes] == [
        "Recommendations, row 5: recommendation AFI-1 of “Inspection of the ROCU” — Objectives: "
        "SER-01.01, SER-01.02 -> SER-01.03"
    ]
    with store.write() as s:
        import_plan(s, actor=PMO, data=read_plan_file(path))
    assert [o for _, o in plan_fields(store)["links to objectives"]] == ["SER-01.03"]
    wb["Recommendations"]["K5"] = "SER-01.01"
    wb.save(path)
    with store.write() as s:  # linked again: the old link row is restored (a pair is unique)
        import_plan(s, actor=PMO, data=read_plan_file(path))
    assert [o for _, o in plan_fields(store)["links to objectives"]] == ["SER-01.01"]


@pytest.mark.parametrize("kind", ["plan-template", "export-plan"])
def test_the_command_line_writes_the_workbook_whole(kind, tmp_path, plan_file, capsys):
    from tracker.cli import main

    out = tmp_path / "out.xlsx"
    assert main(["--db", str(plan_file), kind, "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[1] == "Themes"
    assert not list(tmp_path.glob(".*.partial"))
    assert main(["--db", str(plan_file), kind, "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_preview_is_used_only_while_nothing_has_been_written_since(tmp_path):
    store = open_store(tmp_path / "plan.db")
    ids = small_plan(store, PMO)
    path = write_plan_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Themes"].append(["NEW", "New theme"])
    wb.save(path)
    data = read_plan_file(path)
    with store.read() as s:
        preview = preview_plan(s, data)
    assert preview.n_create == 1
    with store.write() as s:  # someone adds the theme meanwhile
        uow = unit_of_work(s, PMO)
        uow.create(Theme, plan_id=ids.plan, code="NEW", name="Added in the app", ordinal=3)
        uow.changes("Added a theme")
    with store.write() as s:
        changes = import_plan(s, actor=PMO, data=data, preview=preview)
    assert "0 items added, 1 item changed" in changes.summary
    with store.read() as s:
        assert [t.name for t in s.exec(select(Theme).where(Theme.code == "NEW"))] == ["New theme"]


def test_the_command_line_previews_counts_and_changes_then_imports(tmp_path, plan_file, capsys):
    from tracker.cli import main

    db = ["--db", str(plan_file)]
    out = tmp_path / "plan.xlsx"
    assert main([*db, "export-plan", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    wb["Boards"]["B4"] = "monthly"
    wb["People"].append(["New Analyst", "Analyst", "analyst@example.org", "Yes"])
    wb.save(out)
    capsys.readouterr()
    assert main([*db, "import-plan", str(out)]) == 0
    text = capsys.readouterr().out
    assert "People                1          0          4" in text
    assert "Boards                0          1          0" in text
    assert "Boards, row 4: board “Strategic Leadership Team” — Cadence: “quarterly” -> “monthly”" in text
    assert "Preview only: nothing was changed" in text
    assert main([*db, "import-plan", str(out), "--apply"]) == 0
    assert "1 item added, 1 item changed" in capsys.readouterr().out
    assert "before plan import" in [k.why for k in listing(plan_file)]  # taken before the import wrote
    assert main([*db, "import-plan", str(out), "--apply"]) == 0
    assert "Nothing to import: the plan already holds everything in the workbook." in capsys.readouterr().out


def test_deleted_items_and_what_belongs_to_them_are_not_exported(tmp_path):
    source = open_store(tmp_path / "plan.db")
    ids = small_plan(source, PMO)
    with source.write() as s:
        uow = unit_of_work(s, PMO)
        uow.create(Milestone, objective_id=ids.obj3, title="Under a deleted objective",
                   baseline_date=date(2024, 9, 1), forecast_date=date(2024, 9, 1))  # fmt: skip
        uow.create(Milestone, objective_id=ids.obj1, title="Kept", baseline_date=date(2024, 9, 1),
                   forecast_date=date(2024, 9, 1))  # fmt: skip
        uow.delete(s.get(Objective, ids.obj3))
        uow.changes("deleted")
    copy = round_trip(source, tmp_path)
    after = plan_fields(copy)
    assert sorted(after["objective"]) == ["SER-01.01", "SER-01.02"]
    assert list(after["milestone"]) == [("SER-01.01", "Kept")]


def test_two_people_or_boards_of_one_name_refuse_the_export_and_name_them(tmp_path, capsys):
    """Import matches people and boards by name, so such a file could not come back in: nothing is written."""
    from tracker.cli import main

    store = open_store(tmp_path / "plan.db")
    ids = small_plan(store, PMO)
    with store.write() as s:
        uow = unit_of_work(s, PMO)
        uow.create(Person, name="head of  Intelligence", role_title="Another one")  # the same name, folded
        uow.create(Board, plan_id=ids.plan, name="Strategic Leadership Team", cadence="monthly")
        uow.changes("twins")
    path = tmp_path / "plan.xlsx"
    with store.read() as s, pytest.raises(ValidationError) as refused:
        export_plan(s, path)
    assert str(refused.value) == (
        "plan.xlsx was not written: the plan has items a plan workbook cannot tell apart, since importing "
        "matches them by name or code: “head of  Intelligence” and “Head of Intelligence” on the People sheet, “Strategic "
        "Leadership Team” twice on the Boards sheet; rename all but one of each in the app and export again"
    )
    assert not path.exists() and not list(tmp_path.glob(".*.partial"))
    store.close()
    assert main(["--db", str(tmp_path / "plan.db"), "export-plan", "--out", str(path)]) == 2
    assert "“Strategic Leadership Team” twice on the Boards sheet" in capsys.readouterr().err
    assert not path.exists()

    with store.write() as s:  # renamed in the app, the plan exports and round-trips
        uow = unit_of_work(s, PMO)
        twin = s.exec(select(Person).where(Person.name == "head of  Intelligence")).one()
        uow.update(twin, {"name": "Deputy Head of Intelligence"})
        uow.update(s.exec(select(Board).where(Board.cadence == "monthly")).one(), {"name": "Delivery Board"})
        uow.changes("renamed")
    copy = round_trip(store, tmp_path)
    assert plan_fields(copy)["person"] == plan_fields(store)["person"]
    assert len(plan_fields(copy)["board"]) == 2


def test_two_milestones_of_one_title_under_one_objective_refuse_the_export(tmp_path):
    store = open_store(tmp_path / "plan.db")
    ids = small_plan(store, PMO)
    with store.write() as s:
        uow = unit_of_work(s, PMO)
        for objective in (ids.obj1, ids.obj1, ids.obj2):  # under another objective it is another milestone
            uow.create(Milestone, objective_id=objective, title="Kick-off", baseline_date=date(2024, 9, 1),
                       forecast_date=date(2024, 9, 1))  # fmt: skip
        uow.changes("twins")
    with (
        store.read() as s,
        pytest.raises(ValidationError, match="“SER-01.01, Kick-off” twice on the Milestones sheet; rename"),
    ):
        export_plan(s, tmp_path / "plan.xlsx")


def test_a_date_typed_as_text_reads_the_same_in_a_plan_workbook_as_in_a_return():
    from tracker.workbooks import plan_layout, returns_layout

    plan_col = next(
        c for s in SHEETS if s.kind == Kind.OBJECTIVE for c in s.columns if c.field == "target_date"
    )
    return_col = next(c for s in returns_layout.SHEETS for c in s.columns if getattr(c, "kind", "") == "date")
    for typed in ("31/03/2025", "31/3/2025", "2025-03-31", "31 Mar 2025", "31 March 2025", "31/03/25"):
        assert plan_layout.parse(plan_col, typed) == date(2025, 3, 31), typed
        assert returns_layout.parse(return_col, typed) == date(2025, 3, 31), typed


def test_a_long_text_changed_near_its_end_previews_where_it_differs(tmp_path):
    store = open_store(tmp_path / "plan.db")
    small_plan(store, PMO)
    path = tmp_path / "plan.xlsx"
    with store.read() as s:
        export_plan(s, path)
    wb = openpyxl.load_workbook(path)
    row = next(r for r in wb["Objectives"].iter_rows(min_row=4) if r[0].value == "SER-01.02")
    long_title = "Develop a clear baseline of service level expectations agreed by all five forces"
    row[2].value = long_title
    wb.save(path)
    with store.write() as s:
        import_plan(s, actor=PMO, data=read_plan_file(path))
    row[2].value = long_title + " by March"
    wb.save(path)

    with store.read() as s:
        (change,) = preview_plan(s, read_plan_file(path)).changes
    assert change.old != change.new  # not two identical shortened beginnings
    assert change.old == f"“…{long_title[-30:]}”"  # from 30 characters before the first difference
    assert change.new == f"“…{long_title[-30:]} by March”"
