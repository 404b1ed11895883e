"""Settling a sync conflict (issue 15): each choice an audited change; a typed value meets the item's own checks."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders import get, small_plan
from tracker.audit import encode
from tracker.enums import ConflictReason, ConflictState
from tracker.errors import ValidationError
from tracker.models import Milestone, SyncConflict
from tracker.services import create_milestone, resolve_conflict
from tracker.services.base import unit_of_work


def _conflict(store, actor, field: str, mine, theirs) -> tuple[str, str]:
    ids = small_plan(store, actor)
    with store.write() as session:
        made = create_milestone(session, actor=actor, data={
            "objective_id": ids.obj1, "title": "Vendor chosen", "baseline_date": date(2024, 9, 30)})  # fmt: skip
        milestone = made.created[0]
        uow = unit_of_work(session, actor)
        c = uow.create(SyncConflict, item_kind="milestone", item_id=milestone, field=field,
                       reason=ConflictReason.SAME_FIELD.value, base=encode(""), mine=encode(mine),
                       theirs=encode(theirs), op_id="op-1", replica_id="r-1", login="j.khan")  # fmt: skip
        uow.changes("a conflict, as a sync holds one")
    return milestone, c.id


def test_keep_mine_writes_the_sent_value_and_records_who_settled_it(store, actor):
    milestone, conflict = _conflict(store, actor, "notes", "Contract signed", "Awaiting legal")
    with store.write() as session:
        resolve_conflict(session, actor=actor, conflict_id=conflict, choice="mine")
    assert get(store, Milestone, milestone).notes == "Contract signed"
    settled = get(store, SyncConflict, conflict)
    assert (settled.state, settled.resolved_by) == (ConflictState.KEPT_MINE, actor.name)
    with pytest.raises(ValidationError, match="settled already"), store.write() as session:
        resolve_conflict(session, actor=actor, conflict_id=conflict, choice="theirs")


def test_an_edited_value_meets_the_items_own_checks(store, actor):
    milestone, conflict = _conflict(store, actor, "title", "Vendor chosen (A)", "Vendor chosen (B)")
    with pytest.raises(ValidationError, match="title"), store.write() as session:
        resolve_conflict(session, actor=actor, conflict_id=conflict, choice="edit", value="   ")
    assert get(store, SyncConflict, conflict).state == ConflictState.OPEN  # nothing settled
    with store.write() as session:
        resolve_conflict(session, actor=actor, conflict_id=conflict, choice="edit", value="Vendor chosen (C)")
    assert get(store, Milestone, milestone).title == "Vendor chosen (C)"
    assert get(store, SyncConflict, conflict).state == ConflictState.EDITED
