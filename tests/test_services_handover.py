"""Handing a person's work to a successor: what moves, what stays, undo, and who may do it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from tests.builders import assert_refused, get, small_plan
from tracker.enums import Role
from tracker.models import AuditEntry, Kind, Milestone, Objective, Person, Recommendation, Risk
from tracker.queries.holdings import held_item_rows
from tracker.services import (
    ConflictError,
    NotPermitted,
    ValidationError,
    create_milestone,
    create_person,
    create_recommendation,
    create_risk,
    delete_person,
    hand_over,
    restore_person,
    revert_transaction,
    update_person,
)
from tracker.services.holdings import HELD, held_counts

SCORES = {f"{w}_{x}": 3 for w in ("inherent", "residual", "target") for x in ("likelihood", "impact")}
OWNED = (Milestone, Risk, Recommendation)


@pytest.fixture
def plan(any_store, actor):
    """The small plan, where the lead also owns open and closed milestones, risks and a recommendation,
    and the programme manager owns one of each that must not move."""
    ids = small_plan(any_store, actor)
    with any_store.write() as s:
        for who in (ids.lead, ids.owner):
            create_milestone(s, actor=actor, data={"objective_id": ids.obj2, "title": f"Vet staff {who[:4]}",
                                                   "owner_id": who, "baseline_date": "2024-12-01"})  # fmt: skip
            create_risk(s, actor=actor, data={"title": "Staff leave", "objective_id": ids.obj1, "owner_id": who,
                                              **SCORES})  # fmt: skip
            create_recommendation(s, actor=actor, data={"inspection_id": ids.inspection, "kind": "recommendation",
                                                        "ref": f"R{who[:4]}", "text": "Improve vetting",
                                                        "owner_id": who})  # fmt: skip
        ids.done = create_milestone(s, actor=actor, data={
            "objective_id": ids.obj1, "title": "Done already", "owner_id": ids.lead,
            "baseline_date": "2024-05-01", "completed_date": "2024-05-01"}).created[-1]  # fmt: skip
        ids.closed_risk = create_risk(s, actor=actor, data={
            "title": "Gone away", "objective_id": ids.obj1, "owner_id": ids.lead, "status": "closed",
            **SCORES}).created[-1]  # fmt: skip
    return ids


def owners(store):
    """Who leads or owns every live item: {(kind, id): person id}."""
    with store.read() as s:
        found = {(Kind.OBJECTIVE, o.id): o.lead_id for o in s.exec(select(Objective)).all()}
        for cls in OWNED:
            found |= {(cls.__tablename__, r.id): r.owner_id for r in s.exec(select(cls)).all()}
    return found


def counts(store, person_id, **kw):
    with store.read() as s:
        return held_counts(s, person_id, **kw)


def test_hand_over_moves_exactly_what_the_person_holds_in_one_step_and_undo_puts_it_back(
    any_store, actor, plan
):
    before = owners(any_store)
    held = counts(any_store, plan.lead)
    assert held == (3, 1, 1, 1) and [e.kind for e, _ in HELD] == [
        Kind.OBJECTIVE, Kind.MILESTONE, Kind.RISK, Kind.RECOMMENDATION]  # fmt: skip
    with any_store.read() as s:
        preview = held_item_rows(s, plan.lead)
    assert len(preview) == sum(held)

    with any_store.write() as s:
        changes = hand_over(s, actor=actor, from_person_id=plan.lead, to_person_id=plan.spare)

    assert changes.summary == (
        "Handed over 3 objectives, 1 open milestone, 1 open risk and 1 open recommendation "
        "from Head of Intelligence to Business Analyst"
    )
    assert changes.ids == {row.id for row in preview}
    after = owners(any_store)
    moved = {key for key in before if before[key] != after[key]}
    assert {item_id for _, item_id in moved} == changes.ids
    assert all(before[key] == plan.lead and after[key] == plan.spare for key in moved)
    assert (counts(any_store, plan.lead), counts(any_store, plan.spare)) == ((0, 0, 0, 0), held)
    # closed items stay with the person who held them when they closed
    assert get(any_store, Milestone, plan.done).owner_id == plan.lead
    assert get(any_store, Risk, plan.closed_risk).owner_id == plan.lead
    with any_store.read() as s:
        in_txn = s.exec(
            select(AuditEntry.entity_id, AuditEntry.field).where(AuditEntry.txn == changes.txn)
        ).all()
    assert sorted(in_txn) == sorted((item_id, field) for (kind, item_id) in moved
                                    for field in ["lead_id" if kind == Kind.OBJECTIVE else "owner_id"])  # fmt: skip

    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=changes.txn)
    assert owners(any_store) == before
    assert counts(any_store, plan.lead) == held


def test_handing_over_closed_items_too_moves_everything(any_store, actor, plan):
    with any_store.write() as s:
        changes = hand_over(
            s, actor=actor, from_person_id=plan.lead, to_person_id=plan.owner, include_closed=True
        )
    assert "2 milestones, 2 risks and 1 recommendation" in changes.summary
    assert counts(any_store, plan.lead, include_closed=True) == (0, 0, 0, 0)
    assert get(any_store, Milestone, plan.done).owner_id == plan.owner


def test_after_handing_over_the_person_can_be_removed(any_store, actor, plan):
    with pytest.raises(ValidationError), any_store.write() as s:
        delete_person(s, actor=actor, person_id=plan.lead)
    with any_store.write() as s:
        hand_over(s, actor=actor, from_person_id=plan.lead, to_person_id=plan.owner)
        delete_person(s, actor=actor, person_id=plan.lead)
    assert get(any_store, Person, plan.lead).deleted


def test_the_preview_names_each_item_by_its_code_and_title(any_store, actor, plan):
    with any_store.read() as s:
        rows = held_item_rows(s, plan.lead)
        with_closed = held_item_rows(s, plan.lead, include_closed=True)
    assert [(r.kind, r.ref) for r in rows] == [
        (Kind.OBJECTIVE, "SER-01.01"), (Kind.OBJECTIVE, "SER-01.02"), (Kind.OBJECTIVE, "SER-01.03"),
        (Kind.MILESTONE, "SER-01.02"), (Kind.RISK, "R-001"), (Kind.RECOMMENDATION, f"R{plan.lead[:4]}"),
    ]  # fmt: skip
    assert rows[0].title == "Objective number 1" and rows[-1].title == "Improve vetting"
    assert all(r.open for r in rows)
    closed = {r.title for r in with_closed if not r.open}
    assert closed == {"Done already", "Gone away"}


def _spare_deleted(store, actor, plan):
    with store.write() as s:
        delete_person(s, actor=actor, person_id=plan.spare)
    return plan.spare


@pytest.mark.parametrize(
    ("successor", "says"),
    [
        (lambda store, actor, plan: plan.lead, "cannot hand over to themselves"),
        (lambda store, actor, plan: plan.retired, "Former Lead is inactive"),
        (_spare_deleted, "no longer in the plan"),
        (lambda store, actor, plan: "", "choose who takes over"),
    ],
)
def test_a_successor_must_be_someone_else_active_and_in_the_plan(any_store, actor, plan, successor, says):
    to_id = successor(any_store, actor, plan)
    err = assert_refused(any_store, ValidationError, lambda s: hand_over(
        s, actor=actor, from_person_id=plan.lead, to_person_id=to_id))  # fmt: skip
    assert says in err.for_field("to_person_id")


def test_a_hand_over_is_refused_when_what_the_person_holds_changed_since_the_preview(any_store, actor, plan):
    with any_store.read() as s:
        shown = [row.id for row in held_item_rows(s, plan.lead)]
    with any_store.write() as s:
        create_milestone(s, actor=actor, data={"objective_id": plan.obj3, "title": "Added meanwhile",
                                               "owner_id": plan.lead, "baseline_date": "2024-12-01"})  # fmt: skip
    err = assert_refused(any_store, ConflictError, lambda s: hand_over(
        s, actor=actor, from_person_id=plan.lead, to_person_id=plan.owner, expected_ids=shown))  # fmt: skip
    assert "has changed since the list was shown" in str(err)
    with any_store.read() as s:
        shown = [row.id for row in held_item_rows(s, plan.lead)]
    with any_store.write() as s:
        changes = hand_over(
            s, actor=actor, from_person_id=plan.lead, to_person_id=plan.owner, expected_ids=shown
        )
    assert changes.ids == set(shown)


def test_someone_who_holds_nothing_has_nothing_to_hand_over(any_store, actor, plan):
    err = assert_refused(any_store, ValidationError, lambda s: hand_over(
        s, actor=actor, from_person_id=plan.spare, to_person_id=plan.owner))  # fmt: skip
    assert err.for_field("from_person_id") == (
        "Business Analyst leads nothing and owns nothing open: there is nothing to hand over."
    )


@pytest.mark.parametrize("role", [Role.LEAD, Role.VIEWER])
def test_only_the_pmo_hands_over_or_changes_people(any_store, actor, plan, role):
    someone = replace(actor, name="Head of Intelligence", role=role)
    calls = [
        lambda s: hand_over(s, actor=someone, from_person_id=plan.lead, to_person_id=plan.owner),
        lambda s: create_person(s, actor=someone, data={"name": "New Analyst"}),
        lambda s: update_person(s, actor=someone, person_id=plan.spare, changes={"role_title": "DCI"}),
        lambda s: delete_person(s, actor=someone, person_id=plan.spare),
    ]
    for call in calls:
        err = assert_refused(any_store, NotPermitted, call)
        assert "Only the PMO can" in str(err) and role.label in str(err)
    with any_store.write() as s:
        delete_person(s, actor=actor, person_id=plan.spare)
    err = assert_refused(
        any_store, NotPermitted, lambda s: restore_person(s, actor=someone, person_id=plan.spare)
    )
    assert "restore a person" in str(err)


def test_a_leaving_person_is_made_inactive_in_the_same_step(any_store, actor, plan):  # type: ignore[no-untyped-def]
    from tests.builders import get
    from tracker.models import Person
    from tracker.services import hand_over, revert_transaction

    with any_store.write() as s:
        done = hand_over(s, actor=actor, from_person_id=plan.lead, to_person_id=plan.owner, deactivate=True)
    assert not get(any_store, Person, plan.lead).active and done.summary.endswith("is now inactive")
    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=done.txn)
    assert get(any_store, Person, plan.lead).active
