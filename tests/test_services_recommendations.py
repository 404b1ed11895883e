"""Inspections, recommendations and their status rules, progress notes, and links."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import assert_refused, audit_of, get, small_plan
from tracker.models import (
    Inspection,
    Kind,
    ProgressNote,
    Recommendation,
    RecommendationMilestone,
    RecommendationObjective,
)
from tracker.services import (
    NotFound,
    ValidationError,
    add_progress_note,
    create_inspection,
    create_milestone,
    create_recommendation,
    delete_recommendation,
    link_recommendation,
    restore_recommendation,
    unlink_recommendation,
    update_inspection,
    update_progress_note,
    update_recommendation,
)


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


@pytest.fixture
def rec(any_store, actor, plan):
    with any_store.write() as s:
        return create_recommendation(s, actor=actor, data={
            "inspection_id": plan.inspection, "kind": "area for improvement", "ref": "AFI 3",
            "text": "The ROCU should improve its tasking.", "due_date": "2025-03-31"}).created[0]  # fmt: skip


def update(store, actor, rec_id, **changes):
    with store.write() as s:
        return update_recommendation(s, actor=actor, recommendation_id=rec_id, changes=changes)


def test_create_inspection_and_recommendation(any_store, actor, plan, rec):
    with any_store.write() as s:
        changes = create_inspection(s, actor=actor, data={"body": "IPCO", "title": "Annual inspection"})
        update_inspection(s, actor=actor, inspection_id=changes.created[0], changes={"grade": "Good"})
    assert get(any_store, Inspection, changes.created[0]).grade == "Good"
    r = get(any_store, Recommendation, rec)
    assert (r.kind, r.ref, r.status, r.owner_id, r.due_date, r.closed_date) == (
        "area for improvement", "AFI 3", "awaiting allocation", None, date(2025, 3, 31), None,
    )  # fmt: skip


def test_an_owner_is_needed_once_allocated(any_store, actor, plan, rec):
    err = assert_refused(any_store, ValidationError, lambda s: update_recommendation(
        s, actor=actor, recommendation_id=rec, changes={"status": "being progressed"}))  # fmt: skip
    assert "owner is required" in err.for_field("owner_id")
    changes = update(any_store, actor, rec, status="being progressed", owner_id=plan.owner)
    assert audit_of(any_store, rec, changes.txn) == [
        ("status", "awaiting allocation", "being progressed"),
        ("owner_id", None, plan.owner),
    ]
    assert "being progressed" in changes.summary


def test_proposing_closure_needs_evidence_and_closing_needs_a_rationale(any_store, actor, plan, rec):
    update(any_store, actor, rec, status="being progressed", owner_id=plan.owner)
    err = assert_refused(any_store, ValidationError, lambda s: update_recommendation(
        s, actor=actor, recommendation_id=rec, changes={"status": "proposed for closure"}))  # fmt: skip
    assert "evidence" in err.for_field("evidence")
    update(any_store, actor, rec, status="proposed for closure", evidence="Tasking policy v2 adopted.")

    err = assert_refused(any_store, ValidationError, lambda s: update_recommendation(
        s, actor=actor, recommendation_id=rec, changes={"status": "closed"}))  # fmt: skip
    assert "closure rationale" in err.for_field("closure_rationale")

    update(any_store, actor, rec, status="closed", closure_rationale="Evidence accepted by the board.")
    assert get(any_store, Recommendation, rec).closed_date == date.today()

    update(any_store, actor, rec, status="being progressed")
    assert get(any_store, Recommendation, rec).closed_date is None

    update(any_store, actor, rec, status="closed", closed_date="2024-12-01")
    assert get(any_store, Recommendation, rec).closed_date == date(2024, 12, 1)


def test_a_closed_date_on_an_open_item_and_a_bad_status_are_both_reported(any_store, actor, plan, rec):
    err = assert_refused(any_store, ValidationError, lambda s: update_recommendation(
        s, actor=actor, recommendation_id=rec, changes={"closed_date": "2024-12-01", "kind": "advice"}))  # fmt: skip
    assert {p.field for p in err.problems} == {"closed_date", "kind"}


def test_reference_is_unique_within_the_inspection(any_store, actor, plan, rec):
    err = assert_refused(any_store, ValidationError, lambda s: create_recommendation(s, actor=actor, data={
        "inspection_id": plan.inspection, "ref": "afi 3", "text": "Again"}))  # fmt: skip
    assert err.for_field("ref")


def test_delete_and_restore_recommendation(any_store, actor, plan, rec):
    with any_store.write() as s:
        delete_recommendation(s, actor=actor, recommendation_id=rec)
    assert get(any_store, Recommendation, rec).deleted
    with any_store.write() as s:
        restore_recommendation(s, actor=actor, recommendation_id=rec)
    assert not get(any_store, Recommendation, rec).deleted


def test_progress_notes(any_store, actor, plan, rec):
    with any_store.write() as s:
        changes = add_progress_note(s, actor=actor, recommendation_id=rec, data={
            "note_date": "2024-10-02", "text": "Draft policy out for consultation."})  # fmt: skip
    note = get(any_store, ProgressNote, changes.created[0])
    assert (note.note_date, note.author, note.recommendation_id) == (date(2024, 10, 2), actor.name, rec)
    assert "AFI 3" in changes.summary

    err = assert_refused(any_store, ValidationError, lambda s: update_progress_note(
        s, actor=actor, note_id=note.id, changes={"text": " ", "note_date": "yesterday"}))  # fmt: skip
    assert {p.field for p in err.problems} == {"text", "note_date"}
    with any_store.write() as s:
        add_progress_note(s, actor=actor, recommendation_id=rec, data={"text": "Today's note"})
    assert_refused(any_store, NotFound, lambda s: add_progress_note(
        s, actor=actor, recommendation_id="none", data={"text": "x"}))  # fmt: skip


def test_link_unlink_relink(any_store, actor, plan, rec):
    with any_store.write() as s:
        linked = link_recommendation(s, actor=actor, recommendation_id=rec, objective_id=plan.obj1)
    [link_id] = linked.created
    assert linked.kinds == {Kind.RECOMMENDATION_OBJECTIVE}
    assert "AFI 3" in linked.summary and "SER-01.01" in linked.summary

    with any_store.write() as s:
        again = link_recommendation(s, actor=actor, recommendation_id=rec, objective_id=plan.obj1)
    assert not again and again.txn is None and again.ids == frozenset()
    assert "already linked" in again.summary

    with any_store.write() as s:
        unlinked = unlink_recommendation(s, actor=actor, recommendation_id=rec, objective_id=plan.obj1)
    assert unlinked.ids == {link_id} and get(any_store, RecommendationObjective, link_id).deleted

    with any_store.write() as s:
        relinked = link_recommendation(s, actor=actor, recommendation_id=rec, objective_id=plan.obj1)
    assert relinked.ids == {link_id} and not relinked.created
    link = get(any_store, RecommendationObjective, link_id)
    assert not link.deleted and link.revision == 3


def test_link_to_a_milestone(any_store, actor, plan, rec):
    with any_store.write() as s:
        mid = create_milestone(s, actor=actor, data={
            "objective_id": plan.obj1, "title": "Policy", "baseline_date": "2024-12-01"}).created[0]  # fmt: skip
        link_id = link_recommendation(s, actor=actor, recommendation_id=rec, milestone_id=mid).created[-1]
    assert get(any_store, RecommendationMilestone, link_id).milestone_id == mid


@pytest.mark.parametrize("targets", [{}, {"objective_id": "a", "risk_id": "b"}])
def test_a_link_needs_exactly_one_target(any_store, actor, plan, rec, targets):
    err = assert_refused(any_store, ValidationError, lambda s: link_recommendation(
        s, actor=actor, recommendation_id=rec, **targets))  # fmt: skip
    assert "exactly one" in err.for_field("target")


def test_link_to_a_missing_or_foreign_target_is_refused(any_store, actor, plan, rec):
    assert_refused(any_store, NotFound, lambda s: link_recommendation(
        s, actor=actor, recommendation_id=rec, risk_id="nope"))  # fmt: skip
    other = small_plan(any_store, actor)
    err = assert_refused(any_store, ValidationError, lambda s: link_recommendation(
        s, actor=actor, recommendation_id=rec, objective_id=other.obj1))  # fmt: skip
    assert "another plan" in err.for_field("objective_id")
