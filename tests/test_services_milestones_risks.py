"""Milestones and risks: create, partial update, tombstone and restore, and what is refused."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import assert_refused, audit_of, get, small_plan
from tracker.models import Kind, Milestone, Risk
from tracker.services import (
    ConflictError,
    NotFound,
    ValidationError,
    create_milestone,
    create_risk,
    delete_milestone,
    delete_risk,
    restore_milestone,
    restore_risk,
    update_milestone,
    update_risk,
)


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


def add_milestone(store, actor, plan, **values):
    data = {"objective_id": plan.obj1, "title": "Recruit analysts", "baseline_date": "2024-09-30", **values}
    with store.write() as s:
        return create_milestone(s, actor=actor, data=data).created[0]


def risk_data(plan, **values):
    scores = {f"{kind}_{axis}": n for kind, n in (("inherent", 4), ("residual", 3), ("target", 2))
              for axis in ("likelihood", "impact")}  # fmt: skip
    return {"title": "Analysts leave", "objective_id": plan.obj1, **scores, **values}


# ---------------------------------------------------------------------------------------------- milestones


def test_create_milestone(any_store, actor, plan):
    with any_store.write() as s:
        changes = create_milestone(s, actor=actor, data={
            "objective_id": plan.obj1, "title": "  Recruit analysts ", "owner_id": plan.owner,
            "baseline_date": "2024-09-30"})  # fmt: skip
    [mid] = changes.created
    m = get(any_store, Milestone, mid)
    assert (m.title, m.owner_id, m.baseline_date, m.forecast_date, m.completed_date, m.ordinal) == (
        "Recruit analysts", plan.owner, date(2024, 9, 30), date(2024, 9, 30), None, 0,
    )  # fmt: skip
    assert changes.kinds == {Kind.MILESTONE} and changes.ids == {mid}
    assert "Recruit analysts" in changes.summary and "SER-01.01" in changes.summary
    assert (
        add_milestone(any_store, actor, plan) and get(any_store, Milestone, changes.created[0]).ordinal == 0
    )


def test_second_milestone_is_ordered_after_the_first(any_store, actor, plan):
    add_milestone(any_store, actor, plan)
    second = add_milestone(any_store, actor, plan, title="Train analysts")
    assert get(any_store, Milestone, second).ordinal == 1


def test_partial_update_audits_old_and_new(any_store, actor, plan):
    mid = add_milestone(any_store, actor, plan)
    with any_store.write() as s:
        changes = update_milestone(
            s,
            actor=actor,
            milestone_id=mid,
            changes={"forecast_date": "2024-11-15", "notes": "Vetting delays"},
            expected_revision=1,
        )
    m = get(any_store, Milestone, mid)
    assert (m.forecast_date, m.baseline_date, m.notes, m.revision) == (
        date(2024, 11, 15),
        date(2024, 9, 30),
        "Vetting delays",
        2,
    )
    assert audit_of(any_store, mid, changes.txn) == [
        ("forecast_date", "2024-09-30", "2024-11-15"),
        ("notes", "", "Vetting delays"),
    ]
    assert "forecast date" in changes.summary and changes.ids == {mid}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"forecast_date": "31/02/2024"}, "forecast_date"),
        ({"baseline_date": None}, "baseline_date"),
        ({"owner_id": "nobody"}, "owner_id"),
        ({"objective_id": "nowhere"}, "objective_id"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_milestone_changes_are_refused(any_store, actor, plan, changes, field):
    mid = add_milestone(any_store, actor, plan)
    err = assert_refused(any_store, ValidationError, lambda s: update_milestone(
        s, actor=actor, milestone_id=mid, changes=changes))  # fmt: skip
    assert err.for_field(field), err.problems


def test_an_inactive_owner_cannot_be_chosen_but_may_stay(any_store, actor, plan):
    err = assert_refused(any_store, ValidationError, lambda s: create_milestone(s, actor=actor, data={
        "objective_id": plan.obj1, "title": "T", "baseline_date": "2024-09-30", "owner_id": plan.retired}))  # fmt: skip
    assert "Former Lead is inactive" in err.for_field("owner_id")


def test_stale_revision_is_refused_before_validation(any_store, actor, plan):
    mid = add_milestone(any_store, actor, plan)
    with any_store.write() as s:
        update_milestone(s, actor=actor, milestone_id=mid, changes={"notes": "x"})
    assert_refused(any_store, ConflictError, lambda s: update_milestone(
        s, actor=actor, milestone_id=mid, changes={"title": ""}, expected_revision=1))  # fmt: skip


def test_delete_and_restore_milestone(any_store, actor, plan):
    mid = add_milestone(any_store, actor, plan)
    with any_store.write() as s:
        deleted = delete_milestone(s, actor=actor, milestone_id=mid, expected_revision=1)
    assert get(any_store, Milestone, mid).deleted
    assert audit_of(any_store, mid, deleted.txn) == [("deleted", False, True)]
    assert_refused(any_store, NotFound, lambda s: update_milestone(
        s, actor=actor, milestone_id=mid, changes={"notes": "x"}))  # fmt: skip

    with any_store.write() as s:
        restored = restore_milestone(s, actor=actor, milestone_id=mid)
    m = get(any_store, Milestone, mid)
    assert not m.deleted and m.revision == 3
    assert restored.ids == {mid} and "Restored" in restored.summary
    with any_store.write() as s:
        assert not restore_milestone(s, actor=actor, milestone_id=mid)


# ---------------------------------------------------------------------------------------------- risks


def test_create_risk_takes_its_plan_from_the_objective_and_gets_a_reference(any_store, actor, plan):
    with any_store.write() as s:
        first = create_risk(s, actor=actor, data=risk_data(plan, response="tolerate"))
        second = create_risk(s, actor=actor, data=risk_data(plan, objective_id=None, theme_id=plan.theme))
    r1, r2 = get(any_store, Risk, first.created[0]), get(any_store, Risk, second.created[-1])
    assert (r1.plan_id, r1.ref, r1.response, r1.status, r1.residual_impact) == (
        plan.plan,
        "R-001",
        "tolerate",
        "open",
        3,
    )
    assert (r2.plan_id, r2.ref, r2.theme_id, r2.objective_id) == (plan.plan, "R-002", plan.theme, None)
    assert "R-001" in first.summary


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"inherent_likelihood": 6, "target_impact": 0}, {"inherent_likelihood", "target_impact"}),
        ({"objective_id": None}, {"theme_id"}),
        ({"theme_id": "x"}, {"theme_id"}),
        ({"response": "ignore"}, {"response"}),
        ({"review_date": "soon"}, {"review_date"}),
        ({"title": ""}, {"title"}),
    ],
)
def test_bad_risks_are_refused(any_store, actor, plan, values, fields):
    err = assert_refused(any_store, ValidationError, lambda s: create_risk(
        s, actor=actor, data=risk_data(plan, **values)))  # fmt: skip
    assert {p.field for p in err.problems} == fields


def test_risk_reference_is_unique_in_the_plan(any_store, actor, plan):
    with any_store.write() as s:
        create_risk(s, actor=actor, data=risk_data(plan, ref="R-7"))
    err = assert_refused(any_store, ValidationError, lambda s: create_risk(
        s, actor=actor, data=risk_data(plan, ref="r-7")))  # fmt: skip
    assert "R-7" in err.for_field("ref") or "r-7" in err.for_field("ref")


def test_rescore_delete_restore_risk(any_store, actor, plan):
    with any_store.write() as s:
        rid = create_risk(s, actor=actor, data=risk_data(plan, owner_id=plan.owner)).created[0]
    with any_store.write() as s:
        changes = update_risk(
            s, actor=actor, risk_id=rid, changes={"residual_likelihood": 2}, expected_revision=1
        )
    assert audit_of(any_store, rid, changes.txn) == [("residual_likelihood", 3, 2)]
    assert get(any_store, Risk, rid).revision == 2
    err = assert_refused(any_store, ValidationError, lambda s: update_risk(
        s, actor=actor, risk_id=rid, changes={"residual_impact": 9}))  # fmt: skip
    assert "at most 5" in err.for_field("residual_impact")
    other = small_plan(any_store, actor)
    err = assert_refused(any_store, ValidationError, lambda s: update_risk(
        s, actor=actor, risk_id=rid, changes={"objective_id": other.obj1}))  # fmt: skip
    assert "another plan" in err.for_field("objective_id")

    with any_store.write() as s:
        delete_risk(s, actor=actor, risk_id=rid)
    assert get(any_store, Risk, rid).deleted
    with any_store.write() as s:
        restore_risk(s, actor=actor, risk_id=rid)
    assert not get(any_store, Risk, rid).deleted
