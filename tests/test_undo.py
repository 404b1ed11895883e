"""Undo, redo and restore from the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.builders import assert_refused, get, small_plan, snapshot
from tracker.audit import verify_chain
from tracker.db import Actor
from tracker.enums import Source
from tracker.models import AuditEntry, Kind, Milestone, Objective, StatusUpdate
from tracker.services import (
    ClosedPeriod,
    ConflictError,
    NotFound,
    ValidationError,
    close_period,
    create_milestone,
    delete_milestone,
    record_status_update,
    restore_deleted,
    revert_transaction,
    update_milestone,
    update_objective,
)

EDIT = {"title": "Recruit six analysts", "forecast_date": "2024-12-20", "completed_date": "2024-12-18",
        "owner_id": None, "notes": "Done early"}  # fmt: skip
GREEN = {"lifecycle": "in progress", "rag": "green", "progress_pct": 30, "rationale": "On plan."}


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


@pytest.fixture
def milestone(any_store, actor, plan):
    with any_store.write() as s:
        return create_milestone(s, actor=actor, data={
            "objective_id": plan.obj1, "title": "Recruit analysts", "owner_id": plan.owner,
            "baseline_date": "2024-11-30", "notes": "Vetting"}).created[0]  # fmt: skip


def revert(store, actor, txn):
    with store.write() as s:
        return revert_transaction(s, actor=actor, txn=txn)


def fields(row, names):
    return {n: getattr(row, n) for n in names}


def test_undo_then_redo_returns_every_field(any_store, actor, plan, milestone):
    before = fields(get(any_store, Milestone, milestone), EDIT)
    with any_store.write() as s:
        edit = update_milestone(s, actor=actor, milestone_id=milestone, changes=EDIT)
    edited = fields(get(any_store, Milestone, milestone), EDIT)
    assert edited != before

    undo = revert(any_store, actor, edit.txn)
    row = get(any_store, Milestone, milestone)
    assert fields(row, EDIT) == before
    assert row.revision == 3 and undo.ids == {milestone} and undo.kinds == {Kind.MILESTONE}
    assert undo.summary.startswith("Undid 5 changes to milestone “Recruit analysts” made by PMO analyst")
    with any_store.read() as s:
        stamps = set(
            s.exec(select(AuditEntry.source, AuditEntry.detail).where(AuditEntry.txn == undo.txn)).all()
        )
    assert stamps == {("undo", f"undo of {edit.txn}")}

    redo = revert(any_store, actor, undo.txn)
    row = get(any_store, Milestone, milestone)
    assert fields(row, EDIT) == edited and row.revision == 4
    assert redo.ids == {milestone}

    with any_store.read() as s:
        assert verify_chain(s) == []


def test_undo_of_a_create_removes_and_redo_brings_back(any_store, actor, plan, milestone):
    with any_store.read() as s:
        created_txn = s.exec(
            select(AuditEntry.txn).where(AuditEntry.entity_id == milestone, AuditEntry.field == "created")
        ).one()
    undo = revert(any_store, actor, created_txn)
    assert get(any_store, Milestone, milestone).deleted
    revert(any_store, actor, undo.txn)
    assert not get(any_store, Milestone, milestone).deleted


def test_undo_of_a_new_status_update_puts_the_objective_back(any_store, actor, plan):
    with any_store.write() as s:
        recorded = record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=GREEN)
    [update_id] = recorded.created
    undo = revert(any_store, actor, recorded.txn)
    objective = get(any_store, Objective, plan.obj1)
    assert (objective.lifecycle, objective.rag, objective.progress_pct) == ("not started", None, None)
    assert get(any_store, StatusUpdate, update_id).deleted
    assert undo.kinds == {Kind.STATUS_UPDATE, Kind.OBJECTIVE}

    # Recording again revives the same row (objective + period is unique) and needs the rules again.
    err = assert_refused(any_store, ValidationError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data={**GREEN, "rationale": ""}))  # fmt: skip
    assert err.for_field("rationale")
    with any_store.write() as s:
        again = record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=GREEN)
    assert again.ids == {update_id, plan.obj1}
    assert not get(any_store, StatusUpdate, update_id).deleted
    assert get(any_store, Objective, plan.obj1).rag == "green"


def test_undo_of_a_status_change_restores_both_rows(any_store, actor, plan):
    with any_store.write() as s:
        record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=GREEN)
    with any_store.write() as s:
        red = record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data={
            "rag": "red", "rationale": "Funding withdrawn", "corrective_action": "SLT decision"})  # fmt: skip
    revert(any_store, actor, red.txn)
    objective = get(any_store, Objective, plan.obj1)
    assert objective.rag == "green"
    with any_store.read() as s:
        update = s.exec(select(StatusUpdate).where(StatusUpdate.objective_id == plan.obj1)).one()
        assert (update.rag, update.rationale, update.corrective_action) == ("green", "On plan.", "")


def test_a_later_change_blocks_the_undo_and_names_it(any_store, actor, plan, milestone):
    with any_store.write() as s:
        first = update_milestone(s, actor=actor, milestone_id=milestone, changes={"notes": "first"})
    lead = Actor("Head of Intelligence", Source.APP)
    with any_store.write() as s:
        update_milestone(s, actor=lead, milestone_id=milestone, changes={"forecast_date": "2025-01-10"})
    err = assert_refused(
        any_store, ConflictError, lambda s: revert_transaction(s, actor=actor, txn=first.txn)
    )
    assert "Recruit analysts" in str(err) and "Head of Intelligence" in str(err)


def test_undoing_twice_is_refused(any_store, actor, plan, milestone):
    with any_store.write() as s:
        edit = update_milestone(s, actor=actor, milestone_id=milestone, changes={"notes": "x"})
    revert(any_store, actor, edit.txn)
    err = assert_refused(any_store, ConflictError, lambda s: revert_transaction(s, actor=actor, txn=edit.txn))
    assert "already undone" in str(err)


def test_a_closed_period_blocks_undo_of_its_updates(any_store, actor, plan):
    with any_store.write() as s:
        recorded = record_status_update(s, actor=actor, objective_id=plan.obj2, period_id=plan.q1, data=GREEN)
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    err = assert_refused(
        any_store, ClosedPeriod, lambda s: revert_transaction(s, actor=actor, txn=recorded.txn)
    )
    assert "2024/25 Q1" in str(err) and "SER-01.02" in str(err)


def test_a_transaction_of_several_services_is_undone_whole(any_store, actor, plan, milestone):
    with any_store.write() as s:
        update_milestone(s, actor=actor, milestone_id=milestone, changes={"notes": "both"})
        both = update_objective(s, actor=actor, objective_id=plan.obj1, changes={"title": "Renamed"})
    before_undo = snapshot(any_store)
    undo = revert(any_store, actor, both.txn)
    assert undo.ids == {milestone, plan.obj1}
    assert get(any_store, Milestone, milestone).notes == "Vetting"
    assert get(any_store, Objective, plan.obj1).title == "Objective number 1"
    revert(any_store, actor, undo.txn)
    after_redo = snapshot(any_store)
    for table in ("milestone", "objective"):
        # Same content apart from the bookkeeping that undo and redo move on.
        strip = {0, 1, 2, 3}  # id, revision, changed_by, changed_at come first
        norm = [[tuple(v for i, v in enumerate(r) if i not in strip) for r in rows]
                for rows in (before_undo[table], after_redo[table])]  # fmt: skip
        assert norm[0] == norm[1]


def test_unknown_transaction(any_store, actor, plan):
    assert_refused(any_store, NotFound, lambda s: revert_transaction(s, actor=actor, txn="no-such-txn"))


def test_restore_a_deleted_milestone_from_the_audit_log(any_store, actor, plan, milestone):
    with any_store.write() as s:
        delete_milestone(s, actor=actor, milestone_id=milestone)
    with any_store.write() as s:
        restored = restore_deleted(s, actor=actor, entity="milestone", entity_id=milestone)
    row = get(any_store, Milestone, milestone)
    assert not row.deleted and row.title == "Recruit analysts" and row.revision == 3
    assert restored.ids == {milestone}
    with any_store.write() as s:
        assert not restore_deleted(s, actor=actor, entity="milestone", entity_id=milestone)
    err = assert_refused(any_store, ValidationError, lambda s: restore_deleted(
        s, actor=actor, entity="spaceship", entity_id=milestone))  # fmt: skip
    assert err.for_field("entity")


def test_restore_of_a_link_uses_the_generic_path(any_store, actor, plan):
    from tracker.services import create_recommendation, link_recommendation, unlink_recommendation

    with any_store.write() as s:
        rec = create_recommendation(s, actor=actor, data={
            "inspection_id": plan.inspection, "ref": "R1", "text": "Do better"}).created[0]  # fmt: skip
        link = link_recommendation(s, actor=actor, recommendation_id=rec, objective_id=plan.obj1).created[-1]
    with any_store.write() as s:
        unlink_recommendation(s, actor=actor, recommendation_id=rec, objective_id=plan.obj1)
    with any_store.write() as s:
        restored = restore_deleted(s, actor=actor, entity="recommendation_objective", entity_id=link)
    assert restored.ids == {link}
    with any_store.read() as s:
        assert verify_chain(s) == []


def test_restoring_a_status_update_brings_back_the_current_status_unless_the_period_is_closed(
    any_store, actor, plan
):
    with any_store.write() as s:
        recorded = record_status_update(s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=GREEN)
    [update_id] = recorded.created
    revert(any_store, actor, recorded.txn)
    assert get(any_store, Objective, plan.obj1).rag is None

    with any_store.write() as s:
        restored = restore_deleted(s, actor=actor, entity="status_update", entity_id=update_id)
    assert restored.ids == {update_id, plan.obj1}
    assert get(any_store, Objective, plan.obj1).rag == "green"

    revert(any_store, actor, restored.txn)
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    assert_refused(any_store, ClosedPeriod, lambda s: restore_deleted(
        s, actor=actor, entity="status_update", entity_id=update_id))  # fmt: skip


def test_undo_steps_back_through_several_changes_to_one_item_and_a_redo_stands(
    any_store, actor, plan, milestone
):
    with any_store.write() as s:
        first = update_milestone(s, actor=actor, milestone_id=milestone, changes={"notes": "first"})
    with any_store.write() as s:
        second = update_milestone(s, actor=actor, milestone_id=milestone, changes={"notes": "second"})
    undo_second = revert(any_store, actor, second.txn)
    redo_second = revert(any_store, actor, undo_second.txn)  # the change is back: it blocks again
    err = assert_refused(
        any_store, ConflictError, lambda s: revert_transaction(s, actor=actor, txn=first.txn)
    )
    assert "changed again later" in str(err)
    revert(any_store, actor, redo_second.txn)  # undone once more: nothing of it stands
    revert(any_store, actor, first.txn)
    assert get(any_store, Milestone, milestone).notes == "Vetting"


def test_undo_is_refused_to_whoever_may_not_make_the_change(any_store, actor, plan):
    from tracker.enums import Role
    from tracker.services import NotPermitted

    with any_store.write() as s:
        edit = update_objective(
            s, actor=actor, objective_id=plan.obj1, changes={"title": "Renamed by the PMO"}
        )
    viewer = Actor("SLT member", Source.APP, role=Role.VIEWER)
    lead = Actor("The lead", Source.APP, role=Role.LEAD, person_id=plan.lead)  # leads obj1
    for who in (viewer, lead):
        err = assert_refused(
            any_store, NotPermitted, lambda s, who=who: revert_transaction(s, actor=who, txn=edit.txn)
        )
        assert "Only the PMO can undo a change to an objective's details" in str(err)
    assert get(any_store, Objective, plan.obj1).title == "Renamed by the PMO"

    with any_store.write() as s:
        mine = record_status_update(s, actor=lead, objective_id=plan.obj1, period_id=plan.q1, data=GREEN)
    other = Actor("Another lead", Source.APP, role=Role.LEAD, person_id=plan.spare)
    err = assert_refused(any_store, NotPermitted, lambda s: revert_transaction(s, actor=other, txn=mine.txn))
    assert "is not one of yours" in str(err)
    revert(any_store, lead, mine.txn)  # a lead undoes their own status update
    assert get(any_store, Objective, plan.obj1).rag != "green"
