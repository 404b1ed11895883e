"""Recording status updates: the RAG rules, closed periods, and the objective's current status."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.builders import assert_refused, audit_of, get, small_plan
from tracker.audit import verify_chain
from tracker.models import Kind, Objective, ReportingPeriod, StatusUpdate
from tracker.services import (
    ClosedPeriod,
    ConflictError,
    NotFound,
    ValidationError,
    close_period,
    open_period,
    record_status_update,
)

GREEN = {"lifecycle": "in progress", "rag": "green", "progress_pct": 20, "rationale": "Started well."}


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


def record(store, actor, objective, period, data, **kw):
    with store.write() as s:
        return record_status_update(s, actor=actor, objective_id=objective, period_id=period, data=data, **kw)


def the_update(store, objective, period):
    with store.read() as s:
        row = s.exec(
            select(StatusUpdate).where(
                StatusUpdate.objective_id == objective, StatusUpdate.period_id == period
            )
        ).one()
        s.expunge(row)
        return row


def test_first_update_is_written_audited_and_becomes_the_current_status(any_store, actor, plan):
    changes = record(any_store, actor, plan.obj1, plan.q1, {**GREEN, "commentary": "Recruited the team."})

    row = the_update(any_store, plan.obj1, plan.q1)
    assert (row.rag, row.lifecycle, row.progress_pct, row.commentary) == (
        "green",
        "in progress",
        20,
        "Recruited the team.",
    )
    assert row.author == actor.name and row.revision == 1 and row.changed_by == actor.name
    objective = get(any_store, Objective, plan.obj1)
    assert (objective.lifecycle, objective.rag, objective.progress_pct) == ("in progress", "green", 20)
    assert objective.revision == 2
    assert changes.kinds == {Kind.STATUS_UPDATE, Kind.OBJECTIVE}
    assert changes.ids == {row.id, plan.obj1}
    assert changes.created == (row.id,)
    assert "SER-01.01" in changes.summary and "Green" in changes.summary and "2024/25 Q1" in changes.summary
    assert changes.txn is not None
    [(field, old, new)] = audit_of(any_store, row.id, changes.txn)
    assert (field, old, new["rag"], new["objective_id"]) == ("created", None, "green", plan.obj1)
    assert audit_of(any_store, plan.obj1, changes.txn) == [
        ("lifecycle", "not started", "in progress"),
        ("rag", None, "green"),
        ("progress_pct", None, 20),
    ]


def test_changing_an_update_audits_each_field_and_bumps_the_revision_once(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    changes = record(
        any_store, actor, plan.obj1, plan.q1,
        {"rag": "amber", "rationale": "Supplier late.", "progress_pct": 25}, expected_revision=1,
    )  # fmt: skip

    row = the_update(any_store, plan.obj1, plan.q1)
    assert row.revision == 2 and row.rag == "amber" and row.commentary == ""
    fields = audit_of(any_store, row.id, changes.txn)
    assert ("rag", "green", "amber") in fields
    assert ("rationale", "Started well.", "Supplier late.") in fields
    assert ("progress_pct", 20, 25) in fields
    assert {f for f, _, _ in fields} - {"reported_at"} == {"rag", "rationale", "progress_pct"}
    assert get(any_store, Objective, plan.obj1).rag == "amber"


def test_same_data_again_changes_nothing(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    changes = record(any_store, actor, plan.obj1, plan.q1, GREEN)
    assert not changes and changes.txn is None
    assert the_update(any_store, plan.obj1, plan.q1).revision == 1


def test_a_first_rag_needs_a_rationale(any_store, actor, plan):
    data = {k: v for k, v in GREEN.items() if k != "rationale"}
    err = assert_refused(any_store, ValidationError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=data))  # fmt: skip
    assert "first RAG" in err.for_field("rationale")


def test_rag_change_from_previous_period_needs_a_rationale_but_no_change_does_not(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    same = {"lifecycle": "in progress", "rag": "green", "progress_pct": 40}
    record(any_store, actor, plan.obj1, plan.q2, same)  # unchanged from Q1: no rationale needed

    record(any_store, actor, plan.obj2, plan.q1, GREEN)
    err = assert_refused(any_store, ValidationError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj2, period_id=plan.q2, data={**same, "rag": "amber"}))  # fmt: skip
    assert err.for_field("rationale") == "rationale: a change of RAG from Green to Amber needs a rationale"


def test_red_needs_a_corrective_action_and_every_problem_is_listed_at_once(any_store, actor, plan):
    data = {"lifecycle": "in progress", "rag": "red", "progress_pct": 150}
    err = assert_refused(any_store, ValidationError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=data))  # fmt: skip
    assert {p.field for p in err.problems} == {"rationale", "corrective_action", "progress_pct"}
    assert "corrective action" in err.for_field("corrective_action")
    assert "at most 100" in err.for_field("progress_pct")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"lifecycle": "in progress"}, "rag"),
        ({"lifecycle": "complete", "rag": "green", "rationale": "x"}, "rag"),
        ({"lifecycle": "finished"}, "lifecycle"),
        ({"lifecycle": "in progress", "rag": "purple", "rationale": "x"}, "rag"),
        ({**GREEN, "progress_pct": -1}, "progress_pct"),
        ({**GREEN, "progress_pct": "lots"}, "progress_pct"),
        ({**GREEN, "mood": "good"}, "mood"),
    ],
)
def test_bad_input_is_refused_naming_the_field(any_store, actor, plan, data, field):
    err = assert_refused(any_store, ValidationError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data=data))  # fmt: skip
    assert err.for_field(field), err.problems


def test_a_closed_period_is_frozen(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=plan.q1)
    err = assert_refused(any_store, ClosedPeriod, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data={"commentary": "late"}))  # fmt: skip
    assert "2024/25 Q1" in str(err)


def test_stale_expected_revision_is_a_conflict(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    record(any_store, actor, plan.obj1, plan.q1, {"commentary": "first edit"})
    err = assert_refused(any_store, ConflictError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=plan.q1, data={"commentary": "x"},
        expected_revision=1))  # fmt: skip
    assert "revision 2" in str(err)


def test_unknown_objective_or_period(any_store, actor, plan):
    assert_refused(any_store, NotFound, lambda s: record_status_update(
        s, actor=actor, objective_id="nope", period_id=plan.q1, data=GREEN))  # fmt: skip
    assert_refused(any_store, NotFound, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id="nope", data=GREEN))  # fmt: skip


def test_complete_clears_rag_and_sets_progress_unless_given(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    record(any_store, actor, plan.obj1, plan.q1, {"lifecycle": "complete"})
    row = the_update(any_store, plan.obj1, plan.q1)
    assert (row.lifecycle, row.rag, row.progress_pct) == ("complete", None, 100)
    assert get(any_store, Objective, plan.obj1).lifecycle == "complete"

    record(any_store, actor, plan.obj2, plan.q1, {"lifecycle": "complete", "progress_pct": 90})
    assert the_update(any_store, plan.obj2, plan.q1).progress_pct == 90


def test_author_defaults_to_the_actor_and_can_be_given(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, {**GREEN, "author": "Head of Intelligence"})
    assert the_update(any_store, plan.obj1, plan.q1).author == "Head of Intelligence"
    record(any_store, actor, plan.obj2, plan.q1, {"lifecycle": "not started"})
    assert the_update(any_store, plan.obj2, plan.q1).author == actor.name


def test_an_earlier_period_does_not_overwrite_the_current_status(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q2, GREEN)
    record(any_store, actor, plan.obj1, plan.q1, {"lifecycle": "in progress", "rag": "red",
                                                  "rationale": "late", "corrective_action": "Escalate"})  # fmt: skip
    objective = get(any_store, Objective, plan.obj1)
    assert objective.rag == "green"


def test_updating_the_latest_period_only_when_no_later_update_exists(any_store, actor, plan):
    with any_store.write() as s:
        open_period(s, actor=actor, data={"name": "2024/25 Q3", "start_date": date(2024, 10, 1),
                                          "end_date": date(2024, 12, 31)})  # fmt: skip
    # Q3 exists but the lead is still filling in Q2: the objective shows Q2's report.
    record(any_store, actor, plan.obj1, plan.q2, GREEN)
    assert get(any_store, Objective, plan.obj1).rag == "green"


def test_period_of_another_plan_is_refused(any_store, actor, plan):
    other = small_plan(any_store, actor)
    err = assert_refused(any_store, ValidationError, lambda s: record_status_update(
        s, actor=actor, objective_id=plan.obj1, period_id=other.q1, data=GREEN))  # fmt: skip
    assert err.for_field("period_id")


def test_audit_chain_stays_whole(any_store, actor, plan):
    record(any_store, actor, plan.obj1, plan.q1, GREEN)
    record(any_store, actor, plan.obj1, plan.q1, {"commentary": "more"})
    with any_store.read() as s:
        assert verify_chain(s) == []
        assert s.get(ReportingPeriod, plan.q1).status == "open"
