"""The People page's hand-over and remove, as the PMO; as a lead or a viewer neither is offered."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from tests.gui.helpers import record_message_boxes, settled, succeeded, written
from tracker.models import Milestone, Objective, Risk
from tracker.services import create_milestone, create_risk, update_person
from ui.context import AppContext, Identity
from ui.pages.people import PeoplePage
from ui.pages.people_handover import HandOverDialog
from ui.tasks import TaskRunner

SCORES = {f"{w}_{x}": 3 for w in ("inherent", "residual", "target") for x in ("likelihood", "impact")}


def _give_the_lead_work(ctx) -> None:  # type: ignore[no-untyped-def]
    ids = ctx.ids
    for title in ("Vet staff", "Train staff"):
        written(ctx, create_milestone, data={"objective_id": ids.obj1, "title": title, "owner_id": ids.lead,
                                             "baseline_date": "2024-12-01"})  # fmt: skip
    written(
        ctx,
        create_risk,
        data={"title": "Staff leave", "objective_id": ids.obj1, "owner_id": ids.lead, **SCORES},
    )
    written(ctx, create_milestone, data={"objective_id": ids.obj2, "title": "Done", "owner_id": ids.lead,
                                         "baseline_date": "2024-05-01", "completed_date": "2024-05-01"})  # fmt: skip


def _owners(ctx) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    with ctx.read() as s:
        found = {o.id: o.lead_id for o in s.exec(select(Objective)).all()}
        for cls in (Milestone, Risk):
            found |= {r.id: r.owner_id for r in s.exec(select(cls)).all()}
    return found


def _row(page: PeoplePage, person_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in page.model.rows if r.id == person_id)


def test_the_pmo_hands_a_persons_work_over_with_a_preview_and_undo_puts_it_back(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    _give_the_lead_work(plan_ctx)
    ids = plan_ctx.ids
    before = _owners(plan_ctx)
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    page.show()  # a page out of sight reads again only when next shown
    assert not page.hand_over_button.isEnabled()  # nobody chosen yet
    page.select_person(ids.spare)
    assert not page.hand_over_button.isEnabled() and "holds nothing" in page.hand_over_button.toolTip()
    page.select_person(ids.lead)
    assert page.hand_over_button.isEnabled()

    dialog = page.hand_over()
    assert isinstance(dialog, HandOverDialog)
    qtbot.addWidget(dialog)
    assert dialog.counts.text() == "Moves 3 objectives, 2 open milestones and 1 open risk."
    kinds = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert kinds == ["Objective"] * 3 + ["Milestone"] * 2 + ["Risk"]
    names = [dialog.successor.itemText(i) for i in range(dialog.successor.count())]
    assert not any(
        "Head of Intelligence" in n or "Former Lead" in n for n in names
    )  # not themselves, not inactive
    assert not dialog.hand_over_button.isEnabled()  # no successor chosen
    dialog.include_closed.setChecked(True)
    assert dialog.counts.text() == "Moves 3 objectives, 3 milestones and 1 risk."
    assert "Milestone (closed)" in [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    dialog.include_closed.setChecked(False)
    dialog.successor.setCurrentIndex(dialog.successor.findData(ids.owner))
    assert dialog.hand_over_button.isEnabled()

    with qtbot.waitSignal(plan_ctx.message) as said:
        task = dialog.confirm()
    assert settled(task) is not None and task.ok
    summary = (
        "Handed over 3 objectives, 2 open milestones and 1 open risk from Head of Intelligence to Programme Manager; "
        "Head of Intelligence is now inactive"  # leaving is the usual reason: the box is ticked at first
    )
    assert said.args == [summary]
    assert dialog.result() == QDialog.DialogCode.Accepted
    after = _owners(plan_ctx)
    moved = {k for k in before if before[k] != after[k]}
    assert len(moved) == 6 and {after[k] for k in moved} == {ids.owner}
    assert _row(page, ids.lead).holds == ""  # the completed milestone is not held
    assert "lead 3 objectives" in _row(page, ids.owner).holds
    assert not _row(page, ids.lead).active

    assert plan_ctx.undo_text() == summary
    settled(plan_ctx.undo())
    assert _owners(plan_ctx) == before
    assert _row(page, ids.lead).holds == "lead 3 objectives, own 2 open milestones and own 1 open risk"
    assert _row(page, ids.lead).active  # undo brings them back as they were


def test_a_refused_hand_over_is_shown_in_the_dialog(plan_ctx, actor, qtbot):  # type: ignore[no-untyped-def]
    ids = plan_ctx.ids
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    page.select_person(ids.lead)
    dialog = page.hand_over()
    qtbot.addWidget(dialog)
    dialog.successor.setCurrentIndex(dialog.successor.findData(ids.spare))
    with plan_ctx.store.write() as s:  # someone else deactivates the successor meanwhile
        update_person(s, actor=actor, person_id=ids.spare, changes={"active": False})
    task = dialog.confirm()
    assert settled(task) is not None and not task.ok
    assert "Business Analyst is inactive" in dialog.errors.error("to_person_id")
    assert dialog.isVisible()

    dialog.successor.setCurrentIndex(dialog.successor.findData(ids.owner))
    with plan_ctx.store.write() as s:  # and gives the person a milestone the list does not show
        create_milestone(s, actor=actor, data={"objective_id": ids.obj1, "title": "Added meanwhile",
                                               "owner_id": ids.lead, "baseline_date": "2024-12-01"})  # fmt: skip
    assert not succeeded(dialog.confirm())
    assert "has changed since the list was shown" in dialog.errors.general.text()
    assert dialog.counts.text() == "Moves 3 objectives and 1 open milestone."  # the list read again
    assert succeeded(dialog.confirm()) and dialog.result() == QDialog.DialogCode.Accepted


def test_removing_someone_who_holds_items_is_refused_with_what_they_hold(plan_ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    ids = plan_ctx.ids
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    shown = record_message_boxes(monkeypatch, answer="Remove")
    page.select_person(ids.lead)
    assert not succeeded(page.remove())
    assert shown.boxes == []  # refused at once, nothing to ask
    assert "Head of Intelligence cannot be removed: they lead 3 objectives" in page.errors.general.text()
    page.select_person(ids.spare)
    assert succeeded(page.remove())
    assert "Remove Business Analyst from the plan?" in shown.texts
    assert not any(r.id == ids.spare for r in page.model.rows)


@pytest.mark.parametrize("who", ["lead", "viewer"])
def test_a_lead_or_a_viewer_is_not_offered_the_changes(plan_ctx, qtbot, who):  # type: ignore[no-untyped-def]
    ids = plan_ctx.ids
    if who == "lead":
        ctx = AppContext(plan_ctx.store, Identity("Head of Intelligence", ids.lead, "Detective Superintendent"),
                         runner=TaskRunner(synchronous=True))  # fmt: skip
        why = "you are working as a lead (Head of Intelligence)"
    else:
        ctx = AppContext(plan_ctx.store, Identity("Viewer", None, "viewer"), read_only=True,
                         runner=TaskRunner(synchronous=True))  # fmt: skip
        why = "the plan is open read-only"
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.select_person(ids.lead)
    assert page.form_box.title() == "Head of Intelligence (read-only)"
    for button in page.buttons:
        assert not button.isVisible(), button.text()
    assert page.name.isReadOnly() and not page.active.isEnabled()
    assert page.why_read_only.isVisible() and why in page.why_read_only.text()
    assert page.hand_over() is None and page.remove() is None


def test_switching_from_the_pmo_to_a_lead_hides_the_changes(plan_ctx, qtbot):  # type: ignore[no-untyped-def]
    page = PeoplePage(plan_ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.hand_over_button.isVisible() and not page.why_read_only.isVisible()
    plan_ctx.identity = Identity("Programme Manager", plan_ctx.ids.owner, "")
    assert not page.hand_over_button.isVisible() and page.why_read_only.isVisible()
    plan_ctx.identity = Identity("PMO", None, "PMO")
    assert page.hand_over_button.isVisible() and not page.name.isReadOnly()
