"""People, objective edits and plan settings."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import assert_refused, audit_of, get, small_plan
from tracker.models import Objective, Person, Plan
from tracker.services import (
    ConflictError,
    ValidationError,
    create_milestone,
    create_person,
    create_risk,
    delete_person,
    restore_person,
    update_objective,
    update_person,
    update_plan_settings,
)


@pytest.fixture
def plan(any_store, actor):
    return small_plan(any_store, actor)


# ---------------------------------------------------------------------------------------------- people


def test_create_and_change_a_person(any_store, actor, plan):
    with any_store.write() as s:
        changes = create_person(
            s, actor=actor, data={"name": "Head of Cyber", "email": "cyber@example.police.uk"}
        )
    pid = changes.created[0]
    assert get(any_store, Person, pid).active
    with any_store.write() as s:
        changed = update_person(
            s, actor=actor, person_id=pid, changes={"role_title": "DCI"}, expected_revision=1
        )
    assert audit_of(any_store, pid, changed.txn) == [("role_title", "", "DCI")]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "A", "email": "not an email"}, "email"),
        ({"name": "A", "active": "maybe"}, "active"),
    ],
)
def test_bad_people_are_refused(any_store, actor, plan, data, field):
    err = assert_refused(any_store, ValidationError, lambda s: create_person(s, actor=actor, data=data))
    assert err.for_field(field), err.problems


def test_a_person_in_use_cannot_be_deleted_but_can_be_deactivated(any_store, actor, plan):
    with any_store.write() as s:
        create_milestone(s, actor=actor, data={"objective_id": plan.obj1, "title": "M", "owner_id": plan.lead,
                                               "baseline_date": "2024-12-01"})  # fmt: skip
        create_milestone(s, actor=actor, data={"objective_id": plan.obj1, "title": "Done", "owner_id": plan.lead,
                                               "baseline_date": "2024-05-01", "completed_date": "2024-05-01"})  # fmt: skip
        create_risk(s, actor=actor, data={"title": "R", "theme_id": plan.theme, "owner_id": plan.lead,
                                          **{f"{k}_{a}": 2 for k in ("inherent", "residual", "target")
                                             for a in ("likelihood", "impact")}})  # fmt: skip
    err = assert_refused(
        any_store, ValidationError, lambda s: delete_person(s, actor=actor, person_id=plan.lead)
    )
    message = err.for_field("person")
    assert "Head of Intelligence cannot be removed" in message
    assert (
        "lead 3 objectives" in message and "own 1 open milestone" in message and "own 1 open risk" in message
    )
    assert "inactive" in message

    with any_store.write() as s:
        changes = update_person(s, actor=actor, person_id=plan.lead, changes={"active": False})
    assert not get(any_store, Person, plan.lead).active and "inactive" in changes.summary


def test_delete_and_restore_an_unused_person(any_store, actor, plan):
    with any_store.write() as s:
        delete_person(s, actor=actor, person_id=plan.spare, expected_revision=1)
    assert get(any_store, Person, plan.spare).deleted
    with any_store.write() as s:
        restore_person(s, actor=actor, person_id=plan.spare)
    assert not get(any_store, Person, plan.spare).deleted


# ---------------------------------------------------------------------------------------------- objectives


def test_edit_an_objective(any_store, actor, plan):
    with any_store.write() as s:
        changes = update_objective(s, actor=actor, objective_id=plan.obj2, changes={
            "four_p": "protect, pursue", "lead_id": plan.owner, "target_date": "2025-06-30"},
            expected_revision=1)  # fmt: skip
    o = get(any_store, Objective, plan.obj2)
    assert (o.four_p, o.lead_id, o.target_date, o.revision) == (
        "Pursue,Protect",
        plan.owner,
        date(2025, 6, 30),
        2,
    )
    assert audit_of(any_store, plan.obj2, changes.txn) == [
        ("lead_id", plan.lead, plan.owner),
        ("four_p", "", "Pursue,Protect"),
        ("target_date", "2025-03-31", "2025-06-30"),
    ]
    assert "SER-01.02" in changes.summary and "4P" in changes.summary


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_date": "2024-01-01"}, "target_date"),
        ({"four_p": ["Pursue", "Deter"]}, "four_p"),
        ({"title": ""}, "title"),
        ({"lead_id": "ghost"}, "lead_id"),
        ({"lead_id": "retired"}, "lead_id"),
        ({"board_id": "nope"}, "board_id"),
        ({"rag": "red"}, "rag"),
    ],
)
def test_bad_objective_edits_are_refused(any_store, actor, plan, changes, field):
    if changes.get("lead_id") == "retired":
        changes = {"lead_id": plan.retired}
    err = assert_refused(any_store, ValidationError, lambda s: update_objective(
        s, actor=actor, objective_id=plan.obj1, changes=changes))  # fmt: skip
    assert err.for_field(field), err.problems


def test_stale_objective_edit_is_a_conflict(any_store, actor, plan):
    with any_store.write() as s:
        update_objective(s, actor=actor, objective_id=plan.obj1, changes={"title": "New title"})
    err = assert_refused(any_store, ConflictError, lambda s: update_objective(
        s, actor=actor, objective_id=plan.obj1, changes={"title": "Mine"}, expected_revision=1))  # fmt: skip
    assert actor.name in str(err)


# ---------------------------------------------------------------------------------------------- plan settings


def test_update_plan_settings(any_store, actor, plan):
    with any_store.write() as s:
        changes = update_plan_settings(s, actor=actor, plan_id=plan.plan, changes={
            "risk_appetite": 10, "protective_marking": "OFFICIAL-SENSITIVE", "handling_caveat": "PERSONAL"})  # fmt: skip
    p = get(any_store, Plan, plan.plan)
    assert (p.risk_appetite, p.protective_marking, p.handling_caveat) == (
        10,
        "OFFICIAL-SENSITIVE",
        "PERSONAL",
    )
    assert ("risk_appetite", 12, 10) in audit_of(any_store, plan.plan, changes.txn)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"risk_appetite": 26}, {"risk_appetite"}),
        ({"risk_medium_max": 4}, {"risk_medium_max"}),
        ({"risk_low_max": 10, "risk_high_max": 8}, {"risk_medium_max", "risk_high_max"}),
        ({"slip_tolerance_days": -1}, {"slip_tolerance_days"}),
        ({"protective_marking": "SECRET"}, {"protective_marking"}),
        ({"rag_red": ""}, {"rag_red"}),
    ],
)
def test_bad_plan_settings_are_refused(any_store, actor, plan, changes, fields):
    err = assert_refused(any_store, ValidationError, lambda s: update_plan_settings(
        s, actor=actor, plan_id=plan.plan, changes=changes))  # fmt: skip
    assert {p.field for p in err.problems} == fields


def test_plan_settings_need_a_plan_named_when_there_are_several(any_store, actor, plan):
    small_plan(any_store, actor)
    err = assert_refused(any_store, ValidationError, lambda s: update_plan_settings(
        s, actor=actor, changes={"risk_appetite": 10}))  # fmt: skip
    assert err.for_field("plan_id")
