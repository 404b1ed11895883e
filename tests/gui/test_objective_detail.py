"""The objective detail: this period's update form, its refusals, milestones with undo, read-only modes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtGui import QAccessible
from sqlmodel import select

from tests.builders import audit_of, small_plan, snapshot
from tests.gui.helpers import succeeded, written
from tracker.audit import CREATED
from tracker.models import AuditEntry, Kind, Milestone, StatusUpdate
from tracker.services import close_period, create_milestone, create_risk, retire
from ui.context import AppContext, Identity
from ui.pages.objective import ObjectiveDetail


@pytest.fixture
def ids(store, actor):  # type: ignore[no-untyped-def]
    return small_plan(store, actor)


def make(qtbot, store, ids, **kwargs) -> ObjectiveDetail:  # type: ignore[no-untyped-def]
    ctx = AppContext(store, Identity("Head of Intelligence", person_id=ids.lead, role="lead"), **kwargs)
    ctx.set_period(ids.q1)
    detail = ObjectiveDetail(ctx)
    qtbot.addWidget(detail)
    detail.show_objective(ids.obj1)
    return detail


@pytest.fixture
def detail(qtbot, store, ids) -> ObjectiveDetail:  # type: ignore[no-untyped-def]
    return make(qtbot, store, ids)


def fill(detail: ObjectiveDetail, **values: str) -> None:
    form = detail.form
    for name, value in values.items():
        widget = form.inputs[name]
        if name in ("lifecycle", "rag"):
            widget.setCurrentIndex(widget.findText(value))  # type: ignore[attr-defined]
        elif name == "progress_pct":
            widget.setText(value)  # type: ignore[attr-defined]
        else:
            widget.setPlainText(value)  # type: ignore[attr-defined]


def updates(store) -> list[tuple[str, str | None, str, str]]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        rows = s.exec(select(StatusUpdate)).all()
        return [(r.lifecycle, r.rag, r.rationale, r.corrective_action) for r in rows]


def test_set_a_rag_with_its_rationale(detail: ObjectiveDetail, store) -> None:  # type: ignore[no-untyped-def]
    fill(
        detail, lifecycle="In progress", rag="Amber", progress_pct="40", rationale="Supplier late by a month"
    )
    assert succeeded(detail.form.save())
    assert updates(store) == [("in progress", "amber", "Supplier late by a month", "")]
    with store.read() as s:
        row = s.exec(select(StatusUpdate)).one()
    [(field, old, new)] = audit_of(store, row.id)
    assert (field, old) == (CREATED, None)
    assert (new["rag"], new["rationale"], new["progress_pct"]) == ("amber", "Supplier late by a month", 40)
    with store.read() as s:
        who = s.exec(select(AuditEntry.actor).where(AuditEntry.entity_id == row.id)).one()
    assert who == "Head of Intelligence"


def test_red_without_corrective_action_is_refused_beside_the_field(detail: ObjectiveDetail, store) -> None:  # type: ignore[no-untyped-def]
    fill(detail, lifecycle="In progress", rag="Red", rationale="Funding withdrawn")
    before = snapshot(store)
    assert not succeeded(detail.form.save())
    assert snapshot(store) == before
    message = detail.form.problem_for("corrective_action")
    assert "Red status needs a corrective action" in message
    assert "corrective action" in detail.form.inputs["corrective_action"].accessibleDescription()
    assert detail.form.problem_for("rationale") == ""
    fill(detail, corrective_action="Escalated to SLT for a funding decision")
    assert succeeded(detail.form.save())
    assert detail.form.problem_for("corrective_action") == ""
    assert updates(store)[0][1:] == ("red", "Funding withdrawn", "Escalated to SLT for a funding decision")


@pytest.mark.parametrize(
    ("typed", "words"), [("150", "at most 100"), ("-1", "at least 0"), ("lots", "whole number")]
)
def test_a_bad_percentage_is_refused(detail: ObjectiveDetail, store, typed: str, words: str) -> None:  # type: ignore[no-untyped-def]
    fill(detail, lifecycle="In progress", rag="Green", rationale="On track", progress_pct=typed)
    before = snapshot(store)
    assert not succeeded(detail.form.save())
    assert snapshot(store) == before
    assert words in detail.form.problem_for("progress_pct")
    assert detail.form.problem_for("progress_pct").startswith("⚠ Progress")


def test_a_change_of_rag_needs_a_rationale(detail: ObjectiveDetail, store) -> None:  # type: ignore[no-untyped-def]
    fill(detail, lifecycle="In progress", rag="Green")
    assert not succeeded(detail.form.save())
    assert "needs a rationale" in detail.form.problem_for("rationale")
    assert updates(store) == []


def test_derived_rag_shown_beside_the_reported_one(qtbot, detail: ObjectiveDetail, store, ids) -> None:  # type: ignore[no-untyped-def]
    written(
        detail.ctx,
        create_milestone,
        data={"objective_id": ids.obj1, "title": "Late thing", "baseline_date": date(2024, 4, 2)},
    )
    fill(detail, lifecycle="In progress", rag="Green", rationale="All fine")
    assert succeeded(detail.form.save())
    qtbot.waitUntil(lambda: "Green" in detail.form.reported.text())
    assert "Suggested from the evidence" in detail.form.derived.text()
    assert "overdue" in detail.form.derived.text()
    assert detail.form.derived_box.property("disagrees") is True


def test_add_a_milestone_then_undo_removes_it(qtbot, detail: ObjectiveDetail, store) -> None:  # type: ignore[no-untyped-def]
    panel = detail.milestones
    panel.add_inputs["title"].setText("Business case approved")  # type: ignore[attr-defined]
    panel.add_inputs["baseline_date"].setText("2024-09-30")  # type: ignore[attr-defined]
    assert succeeded(panel.add())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.rows[0].title == "Business case approved"
    assert detail.tabs.tabText(2) == "Milestones (1)"
    assert succeeded(detail.ctx.undo())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    with store.read() as s:
        assert [m.deleted for m in s.exec(select(Milestone)).all()] == [True]


def test_a_bad_milestone_date_is_refused_beside_its_field(detail: ObjectiveDetail, store) -> None:  # type: ignore[no-untyped-def]
    panel = detail.milestones
    panel.add_inputs["title"].setText("Business case approved")  # type: ignore[attr-defined]
    panel.add_inputs["baseline_date"].setText("2024-13-45")  # type: ignore[attr-defined]
    before = snapshot(store)
    assert not succeeded(panel.add())
    assert snapshot(store) == before
    assert "not a date" in panel.add_errors["baseline_date"].text()


def test_edit_and_delete_a_milestone_in_the_table(qtbot, detail: ObjectiveDetail, store, ids) -> None:  # type: ignore[no-untyped-def]
    baseline = date.today() + timedelta(days=60)
    written(
        detail.ctx,
        create_milestone,
        data={"objective_id": ids.obj1, "title": "Pilot", "baseline_date": baseline},
    )
    panel = detail.milestones
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    forecast = panel.model.index(0, 3)
    before = snapshot(store)
    panel.model.setData(forecast, "someday")  # the write is refused when it runs
    qtbot.waitUntil(lambda: panel.model.last_problem is not None)
    assert snapshot(store) == before and "not a date" in panel.message.text()
    later = baseline + timedelta(days=90)
    assert panel.model.setData(forecast, later.isoformat())
    qtbot.waitUntil(lambda: panel.model.rows[0].forecast_date == later)
    assert panel.model.rows[0].state.value == "slipping"

    panel.table.selectRow(0)
    panel.confirm = lambda title, text: False
    assert not succeeded(panel.delete_selected())
    assert panel.model.rowCount() == 1
    panel.confirm = lambda title, text: True
    assert succeeded(panel.delete_selected())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)


def test_every_model_passes_the_model_tester(qtbot, qtmodeltester, detail: ObjectiveDetail, ids) -> None:  # type: ignore[no-untyped-def]
    written(
        detail.ctx,
        create_milestone,
        data={"objective_id": ids.obj1, "title": "Pilot", "baseline_date": date(2024, 9, 30)},
    )
    written(detail.ctx, create_risk,
        data={"title": "Supplier fails", "objective_id": ids.obj1, "inherent_likelihood": 4, "inherent_impact": 5,
              "residual_likelihood": 3, "residual_impact": 4, "target_likelihood": 2, "target_impact": 2},
    )  # fmt: skip
    qtbot.waitUntil(lambda: detail.risks.rowCount() == 1)
    assert detail.risks.data(detail.risks.index(0, 3)) == "12 High"
    for model in (detail.history, detail.milestones.model, detail.risks, detail.recommendations):
        qtmodeltester.check(model)


def test_a_closed_period_shows_the_form_read_only_with_why(qtbot, store, ids) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext(store, Identity("PMO", role="PMO"))
    written(ctx, close_period, period_id=ids.q1)
    ctx.set_period(ids.q1)
    detail = ObjectiveDetail(ctx)
    qtbot.addWidget(detail)
    detail.show_objective(ids.obj1)
    assert "2024/25 Q1 is closed" in detail.form.banner.text() and not detail.form.banner.isHidden()
    assert not detail.form.save_button.isEnabled()
    assert not any(w.isEnabled() for w in detail.form.inputs.values())


def test_read_only_mode_disables_every_editor(qtbot, store, ids) -> None:  # type: ignore[no-untyped-def]
    detail = make(qtbot, store, ids, read_only=True)
    assert "read-only" in detail.form.banner.text()
    assert not any(w.isEnabled() for w in detail.form.inputs.values())
    assert not detail.form.save_button.isEnabled()
    panel = detail.milestones
    assert not panel.add_button.isEnabled() and not panel.delete_button.isEnabled()
    assert not any(w.isEnabled() for w in panel.add_inputs.values())
    assert not panel.model.editable


def test_accessible_names(detail: ObjectiveDetail) -> None:
    def name(widget) -> str:  # type: ignore[no-untyped-def]
        return widget.accessibleName() or QAccessible.queryAccessibleInterface(widget).text(
            QAccessible.Text.Name
        )

    form = detail.form
    expected = {"lifecycle": "Lifecycle", "rag": "RAG", "progress_pct": "Progress", "rationale": "Rationale",
                "corrective_action": "Corrective action", "commentary": "Commentary", "next_steps": "Next steps"}  # fmt: skip
    assert {k: name(w) for k, w in form.inputs.items()} == expected
    assert name(form.save_button) == "Save update"
    panel = detail.milestones
    assert name(panel.table) == "Milestones" and name(panel.add_button) == "Add milestone"
    assert all(name(w).startswith("New milestone") for w in panel.add_inputs.values())
    for view in (detail.history_view, detail.risk_view, detail.recommendation_view, detail.tabs):
        assert name(view)


def test_a_new_milestone_takes_its_baseline_as_people_write_it(qtbot, detail: ObjectiveDetail, store) -> None:  # type: ignore[no-untyped-def]
    panel = detail.milestones
    panel.add_inputs["title"].setText("Contract signed")  # type: ignore[attr-defined]
    qtbot.keyClicks(panel.add_inputs["baseline_date"], "30/09/2030")
    assert succeeded(panel.add())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    with store.read() as s:
        row = s.exec(select(Milestone)).one()
    assert row.baseline_date == date(2030, 9, 30) and row.forecast_date == date(2030, 9, 30)
    assert panel.add_errors["baseline_date"].isHidden()


def test_a_milestone_date_cell_is_edited_as_dd_mm_yyyy(qtbot, detail: ObjectiveDetail, store, ids) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    written(
        detail.ctx,
        create_milestone,
        data={"objective_id": ids.obj1, "title": "Pilot", "baseline_date": date(2030, 1, 15)},
    )
    panel = detail.milestones
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    forecast = panel.model.index(0, 3)
    assert forecast.data(Qt.ItemDataRole.EditRole) == "15/01/2030"
    assert not panel.model.setData(forecast, "15/1/2030")  # the same day, typed another way: no write
    assert panel.model.setData(forecast, "31/03/2030")
    qtbot.waitUntil(lambda: panel.model.rows[0].forecast_date == date(2030, 3, 31))


def test_a_retired_objective_says_when_it_left_the_plan(qtbot, store, ids) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext(store, Identity("PMO", role="PMO"))
    written(ctx, retire, kind=Kind.OBJECTIVE, item_id=ids.obj1, on=date(2024, 7, 1))
    ctx.set_period(ids.q1)
    detail = ObjectiveDetail(ctx)
    qtbot.addWidget(detail)
    detail.show_objective(ids.obj1)
    assert "Retired: 01 Jul 2024" in detail.meta.accessibleDescription()
    detail.show_objective(ids.obj2)
    assert "Retired" not in detail.meta.accessibleDescription()


def test_an_objective_without_dates_says_they_are_not_set(qtbot, store, ids) -> None:  # type: ignore[no-untyped-def]
    """A new objective has no dates yet: the header says so, not "no start to no target"."""
    from tracker.services import update_objective

    ctx = AppContext(store, Identity("PMO", role="PMO"))
    with store.read() as s:
        from tracker.models import Objective

        revision = s.get(Objective, ids.obj1).revision
    written(ctx, update_objective, objective_id=ids.obj1, expected_revision=revision,
            changes={"start_date": None, "target_date": None})  # fmt: skip
    ctx.set_period(ids.q1)
    detail = ObjectiveDetail(ctx)
    qtbot.addWidget(detail)
    detail.show_objective(ids.obj1)
    assert "Dates: not set yet" in detail.meta.accessibleDescription()
