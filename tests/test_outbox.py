"""The outbox of a replica (issue 15): every write path reaches it, in the same transaction as the change."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.builders import small_plan
from tracker.errors import ValidationError
from tracker.models import Milestone, Objective, Outbox, StoreMeta
from tracker.outbox import REPLICA_ID, REPLICA_LOGIN, REPLICA_ROLE, forget_replica
from tracker.services import (
    create_milestone,
    delete_milestone,
    revert_transaction,
    update_milestone,
)
from tracker.services.base import unit_of_work


@pytest.fixture
def replica(store, actor):
    """A plan file made into a replica by its store_meta keys, as `replica create` writes them (PMO's)."""
    ids = small_plan(store, actor)
    with store.write() as session:
        session.add_all([StoreMeta(key=REPLICA_ID, value="r-1"), StoreMeta(key=REPLICA_LOGIN, value="pmo.smith"),
                         StoreMeta(key=REPLICA_ROLE, value="pmo")])  # fmt: skip
        session.flush()
        forget_replica(session)
    store.engine.dispose()  # connections made before it was a replica forget what they knew
    return ids


def ops(store):
    with store.read() as session:
        return [
            (o.kind, o.action, o.base_revision, json.loads(o.fields)) for o in session.exec(select(Outbox))
        ]


def test_a_plain_plan_file_keeps_no_outbox(store, actor):
    ids = small_plan(store, actor)
    with store.write() as session:
        create_milestone(session, actor=actor, data={"objective_id": ids.obj1, "title": "M",
                                                     "baseline_date": date(2024, 9, 30)})  # fmt: skip
    assert ops(store) == []


def test_each_change_is_one_operation_with_its_base_revision_and_old_and_new_values(store, actor, replica):
    with store.write() as session:
        made = create_milestone(session, actor=actor, data={
            "objective_id": replica.obj1, "title": "Vendor chosen", "baseline_date": date(2024, 9, 30)})  # fmt: skip
    milestone = made.created[0]
    with store.write() as session:
        update_milestone(session, actor=actor, milestone_id=milestone, changes={"notes": "first"})
        update_milestone(
            session, actor=actor, milestone_id=milestone, changes={"notes": "second", "title": "T"}
        )
    (create, update) = ops(store)
    assert create[:3] == ("milestone", "create", None) and create[3]["title"] == [None, '"Vendor chosen"']
    # two services in one transaction: one operation, the first old value and the last new one
    assert update == (
        "milestone",
        "update",
        1,
        {"notes": ['""', '"second"'], "title": ['"Vendor chosen"', '"T"']},
    )


def test_undo_reaches_the_outbox_and_a_refused_change_leaves_nothing(store, actor, replica):
    with store.write() as session:
        made = create_milestone(session, actor=actor, data={
            "objective_id": replica.obj1, "title": "Vendor chosen", "baseline_date": date(2024, 9, 30)})  # fmt: skip
    with store.write() as session:
        removed = delete_milestone(session, actor=actor, milestone_id=made.created[0])
    with store.write() as session:
        revert_transaction(session, actor=actor, txn=removed.txn)
    assert [(k, a, f) for k, a, _b, f in ops(store)][1:] == [
        ("milestone", "update", {"deleted": ["false", "true"]}),
        ("milestone", "update", {"deleted": ["true", "false"]}),
    ]
    before = ops(store)
    with pytest.raises(ValidationError), store.write() as session:
        update_milestone(session, actor=actor, milestone_id=made.created[0], changes={"notes": "kept?"})
        update_milestone(session, actor=actor, milestone_id=made.created[0], changes={"title": ""})
    assert ops(store) == before  # rolled back whole: the first change's operation too


def test_operations_go_in_the_order_they_were_made_so_a_new_parent_precedes_its_children(
    store, actor, replica
):
    """One service that adds an objective and its milestone (as a plan import does) reports once."""
    with store.write() as session:
        uow = unit_of_work(session, actor)
        objective = uow.create(Objective, plan_id=replica.plan, outcome_id=replica.outcome, ref="SER-01.09",
                               title="A new objective", lead_id=replica.lead, ordinal=9)  # fmt: skip
        uow.create(Milestone, objective_id=objective.id, title="Its first milestone",
                   baseline_date=date(2024, 9, 30), forecast_date=date(2024, 9, 30))  # fmt: skip
        uow.changes("an objective and its milestone")
    assert [(k, a) for k, a, _b, _f in ops(store)] == [("objective", "create"), ("milestone", "create")]
