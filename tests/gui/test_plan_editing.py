"""The PMO edits the plan's structure from the Plan page: add an outcome and an objective, edit its lead
and dates, reorder (keys and drag), retire, reinstate, renumber, undo each; a lead or viewer is offered none."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.builders import get
from tracker.models import Objective, Outcome
from tracker.services import update_objective
from ui.context import Identity
from ui.pages.plan import PlanPage


@pytest.fixture
def page(plan_ctx, qtbot):
    page = PlanPage(plan_ctx)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    return page


def _select(page: PlanPage, item_id: str) -> None:
    assert page.select_item(item_id), item_id


def _codes_under(page: PlanPage, parent_id: str) -> list[str]:
    parent = page.model.index_of(parent_id)
    return [page.model.row_at(page.model.index(r, 0, parent)).ref for r in range(page.model.rowCount(parent))]


def _undo(ctx) -> None:
    assert ctx.can_undo
    ctx.undo()


def test_pmo_adds_an_outcome_and_an_objective_then_undoes_each(page, plan_ctx):
    ids = plan_ctx.ids
    _select(page, ids.theme)
    dialog = page.editing.add_outcome()
    assert dialog is not None and dialog.code.text() == "SER-02"  # suggested, not forced
    dialog.title.setText("Partners trust us")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    outcome_id = dialog.saved.created[0]
    assert page.selected_id() == outcome_id  # the new outcome is shown and selected

    dialog = page.editing.add_objective()
    assert dialog is not None and dialog.code.text() == "SER-02.01"
    dialog.title.setPlainText("Publish a partner charter")
    dialog.lead.setCurrentIndex(dialog.lead.findData(ids.lead))
    dialog.start.set_day(date(2024, 4, 1))
    dialog.target.set_day(date(2025, 3, 31))
    dialog.four_p["Prepare"].setChecked(True)
    dialog.save()
    objective_id = dialog.saved.created[0]
    row = get(plan_ctx.store, Objective, objective_id)
    assert (row.ref, row.outcome_id, row.lead_id, row.four_p) == (
        "SER-02.01",
        outcome_id,
        ids.lead,
        "Prepare",
    )
    assert _codes_under(page, outcome_id) == ["SER-02.01"]

    _undo(plan_ctx)
    assert get(plan_ctx.store, Objective, objective_id).deleted
    assert not page.model.index_of(objective_id).isValid()
    _undo(plan_ctx)
    assert get(plan_ctx.store, Outcome, outcome_id).deleted


def test_a_refused_edit_keeps_the_dialog_open_with_the_reason_beside_the_field(page, plan_ctx, qtbot):
    _select(page, plan_ctx.ids.obj1)
    dialog = page.editing.edit_selected()
    assert dialog.code.text() == "SER-01.01" and dialog.title.toPlainText() == "Objective number 1"
    dialog.code.setText("SER-01.02")
    dialog.target.setText("31/02/2025")
    dialog.save()
    assert dialog.isVisible() and dialog.saved is None
    assert "not a date" in dialog.errors.error("target_date") or "31/02/2025" in dialog.errors.error(
        "target_date"
    )
    dialog.target.selectAll()
    qtbot.keyClicks(dialog.target, "31/03/2025")
    assert not dialog.errors.error("target_date")  # cleared as the field is fixed
    dialog.save()
    assert dialog.isVisible() and dialog.saved is None
    assert "SER-01.02 is already used by “Objective number 2”" in dialog.errors.error("ref")
    assert get(plan_ctx.store, Objective, plan_ctx.ids.obj1).ref == "SER-01.01"
    dialog.reject()


def test_pmo_edits_an_objectives_lead_and_dates_and_undo_restores_them(page, plan_ctx):
    ids = plan_ctx.ids
    _select(page, ids.obj2)
    dialog = page.editing.edit_selected()
    dialog.lead.setCurrentIndex(dialog.lead.findData(ids.owner))
    dialog.target.set_day(date(2025, 6, 30))
    dialog.save()
    row = get(plan_ctx.store, Objective, ids.obj2)
    assert (row.lead_id, row.target_date) == (ids.owner, date(2025, 6, 30))
    assert plan_ctx.undo_text().endswith("Changed objective SER-01.02: lead, end (target) date")
    _undo(plan_ctx)
    row = get(plan_ctx.store, Objective, ids.obj2)
    assert (row.lead_id, row.target_date) == (ids.lead, date(2025, 3, 31))


def test_reorder_with_the_keys_and_by_dragging_among_siblings_only(page, plan_ctx, qtbot):
    ids = plan_ctx.ids
    _select(page, ids.obj3)
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _codes_under(page, ids.outcome) == ["SER-01.01", "SER-01.03", "SER-01.02"]
    _undo(plan_ctx)
    assert _codes_under(page, ids.outcome) == ["SER-01.01", "SER-01.02", "SER-01.03"]

    model = page.model
    dragged = model.mimeData([model.index_of(ids.obj1)])
    outcome = model.index_of(ids.outcome)
    # dropping between the second and third objective puts the first after the second
    assert model.canDropMimeData(dragged, Qt.DropAction.MoveAction, 2, 0, outcome)
    model.dropMimeData(dragged, Qt.DropAction.MoveAction, 2, 0, outcome)
    assert _codes_under(page, ids.outcome) == ["SER-01.02", "SER-01.01", "SER-01.03"]
    # not into another parent: a theme is not an outcome's sibling
    dragged = model.mimeData([model.index_of(ids.obj3)])
    assert not model.canDropMimeData(dragged, Qt.DropAction.MoveAction, 0, 0, model.index_of(ids.theme))
    assert not model.canDropMimeData(dragged, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    # nor while a filter hides some siblings
    page.search.setText("number 3")
    assert not model.canDropMimeData(dragged, Qt.DropAction.MoveAction, 0, 0, model.index_of(ids.outcome))


def test_retire_greys_the_objective_out_of_the_counts_and_reinstate_brings_it_back(page, plan_ctx):
    ids = plan_ctx.ids
    page.editing.ask_day = lambda title, text: date(2024, 4, 1)
    _select(page, ids.obj2)
    page.editing.retire_selected()
    assert get(plan_ctx.store, Objective, ids.obj2).retired_on == date(2024, 4, 1)
    assert not page.model.index_of(ids.obj2).isValid()  # out of the plan: hidden
    assert page.model.counts_of(ids.outcome).total == 2
    page.show_retired.setChecked(True)
    index = page.model.index_of(ids.obj2, 1)
    assert index.isValid() and index.data() == "Retired 01 Apr 2024"
    assert page.model.counts_of(ids.outcome).total == 2  # shown, not counted
    _select(page, ids.obj2)
    page.editing.refresh()
    assert page.editing.reinstate.isEnabled() and not page.editing.retire.isEnabled()
    page.editing.reinstate_selected()
    assert get(plan_ctx.store, Objective, ids.obj2).retired_on is None
    assert page.model.counts_of(ids.outcome).total == 3
    _undo(plan_ctx)  # the reinstating
    _undo(plan_ctx)  # the retiring
    assert get(plan_ctx.store, Objective, ids.obj2).retired_on is None
    assert plan_ctx.redo_text().startswith("Retired objective SER-01.02")


def test_renumber_is_asked_first_and_undoable(page, plan_ctx):
    ids = plan_ctx.ids
    asked: list[str] = []
    page.editing.confirm = lambda parent, title, text, yes: asked.append(text) or True
    _select(page, ids.obj3)
    page.editing.move_selected(-2)
    page.editing.renumber_selected()
    assert "SER-01.03  →  SER-01.01" in asked[0]
    assert _codes_under(page, ids.outcome) == ["SER-01.01", "SER-01.02", "SER-01.03"]
    assert get(plan_ctx.store, Objective, ids.obj3).ref == "SER-01.01"
    _undo(plan_ctx)
    assert get(plan_ctx.store, Objective, ids.obj3).ref == "SER-01.03"


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_a_lead_or_viewer_is_offered_none_of_it(page, plan_ctx, who):
    if who == "lead":
        plan_ctx.identity = Identity("Head of Intelligence", plan_ctx.ids.lead, "Detective Superintendent")
    else:
        plan_ctx.identity = Identity("Viewer", None, "viewer")
    _select(page, plan_ctx.ids.obj1)
    page.editing.refresh()
    assert not page.edit_menu.isVisible()
    assert page.editing.show_menu(page.tree.rect().center()) is None
    for action in page.editing.actions():
        assert action is None or not action.isEnabled(), action.text()
    assert page.editing.add_objective() is None and page.editing.edit_selected() is None
    assert not (page.model.flags(page.model.index_of(plan_ctx.ids.obj1)) & Qt.ItemFlag.ItemIsDragEnabled)
    page.new_item()
    assert page.editing.dialog is None


def test_new_item_is_offered_on_the_plan_and_people_pages_only_to_the_pmo(plan_ctx, qtbot):
    from ui.main_window import MainWindow

    window = MainWindow(plan_ctx)
    qtbot.addWidget(window)
    for key in ("plan", "people"):
        window.show_page(key)
        assert window.new_item_action.isEnabled(), key
    plan_ctx.identity = Identity("Head of Intelligence", plan_ctx.ids.lead, "Detective Superintendent")
    for key in ("plan", "people"):
        window.show_page(key)
        assert not window.new_item_action.isEnabled(), key
    window.show_page("milestones")  # a lead adds milestones to what they lead
    assert window.new_item_action.isEnabled()


def test_returns_are_the_pmos_to_issue_and_import(plan_ctx, qtbot):
    from tracker.db import Actor
    from tracker.enums import Role, Source
    from tracker.services import NotPermitted, record_return_issued
    from ui.main_window import MainWindow

    window = MainWindow(plan_ctx)
    qtbot.addWidget(window)
    assert window.issue_returns_action.isEnabled() and window.import_return_action.isEnabled()
    plan_ctx.identity = Identity("Head of Intelligence", plan_ctx.ids.lead, "Detective Superintendent")
    assert not window.issue_returns_action.isEnabled() and not window.import_return_action.isEnabled()
    lead = Actor("Head of Intelligence", Source.APP, "", Role.LEAD)
    with pytest.raises(NotPermitted), plan_ctx.store.write() as s:
        record_return_issued(
            s,
            actor=lead,
            period_id=plan_ctx.ids.q1,
            lead_id=plan_ctx.ids.lead,
            file_name="x.xlsx",
            checksum="0" * 64,
        )


def test_retiring_what_holds_open_risks_says_why_not_in_a_box(page, plan_ctx):
    from tests.gui.helpers import written
    from tracker.services import create_risk

    scores = {f"{s}_{w}": 3 for s in ("inherent", "residual", "target") for w in ("likelihood", "impact")}
    written(
        plan_ctx,
        create_risk,
        data={"ref": "R-9", "title": "Backlog", "objective_id": plan_ctx.ids.obj2, **scores},
    )
    told: list[str] = []
    page.editing.tell = lambda parent, title, text: told.append(f"{title}: {text}")
    page.editing.ask_day = lambda title, text: date(2024, 4, 1)
    _select(page, plan_ctx.ids.obj2)
    page.editing.retire_selected()
    assert told and told[0].startswith(
        "SER-01.02 was not retired: SER-01.02 cannot be retired while it holds 1 open risk"
    )
    assert get(plan_ctx.store, Objective, plan_ctx.ids.obj2).retired_on is None


def test_an_objectives_description_shows_in_its_detail(page, plan_ctx):
    from tests.gui.helpers import written

    written(
        plan_ctx, update_objective, objective_id=plan_ctx.ids.obj1, changes={"description": "Why it matters"}
    )
    _select(page, plan_ctx.ids.obj1)
    assert "About" in page.detail.meta.text() and "Why it matters" in page.detail.meta.text()


def test_retiring_suggests_the_start_of_the_open_period_shown_so_it_leaves_it_now(page, plan_ctx):
    plan_ctx.set_period(plan_ctx.ids.q2)
    assert page.editing.default_retire_day() == date(2024, 7, 1)


def test_removing_what_has_history_says_why_not_in_a_box(page, plan_ctx):
    from tests.gui.helpers import written
    from tracker.services import create_milestone

    written(plan_ctx, create_milestone, data={"objective_id": plan_ctx.ids.obj3, "title": "Kick-off",
                                             "baseline_date": "2024-06-30"})  # fmt: skip
    told: list[str] = []
    page.editing.tell = lambda parent, title, text: told.append(f"{title}: {text}")
    page.editing.confirm = lambda parent, title, text, yes: True
    _select(page, plan_ctx.ids.obj3)
    page.editing.remove_selected()
    assert told == ["SER-01.03 was not removed: Objective SER-01.03 cannot be removed: it has 1 milestone. "
                    "Retire it instead: it leaves the plan and its history stays."]  # fmt: skip
