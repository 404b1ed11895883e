"""A quarter's work end to end, through the services only: the audit chain stays whole throughout."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.builders import assert_refused, get, small_plan
from tracker.audit import verify_chain
from tracker.models import AuditEntry, AuditHead, Milestone, Objective, StatusUpdate
from tracker.services import (
    ClosedPeriod,
    ConflictError,
    add_progress_note,
    close_period,
    create_milestone,
    create_recommendation,
    create_risk,
    delete_milestone,
    link_recommendation,
    open_period,
    record_status_update,
    reopen_period,
    restore_deleted,
    revert_transaction,
    update_milestone,
    update_person,
    update_risk,
)


def test_a_quarter_of_work(any_store, actor):
    ids = small_plan(any_store, actor)
    with any_store.write() as s:
        q3 = open_period(
            s, actor=actor, data={"name": "Q3", "start_date": "2024-10-01", "end_date": "2024-12-31"}
        )
    [q3_id] = q3.created
    with any_store.write() as s:
        for objective, rag in ((ids.obj1, "green"), (ids.obj2, "amber"), (ids.obj3, "red")):
            record_status_update(s, actor=actor, objective_id=objective, period_id=q3_id, data={
                "lifecycle": "in progress", "rag": rag, "rationale": f"{rag} because", "progress_pct": 10,
                "corrective_action": "Escalated to SLT" if rag == "red" else ""})  # fmt: skip
    with any_store.write() as s:
        mid = create_milestone(s, actor=actor, data={
            "objective_id": ids.obj3, "title": "Business case", "owner_id": ids.owner,
            "baseline_date": "2024-11-01"}).created[0]  # fmt: skip
        rid = create_risk(s, actor=actor, data={
            "title": "Funding", "objective_id": ids.obj3, "owner_id": ids.owner,
            **{f"{k}_{a}": 4 for k in ("inherent", "residual", "target") for a in ("likelihood", "impact")}}).created[-1]  # fmt: skip
        rec = create_recommendation(s, actor=actor, data={
            "inspection_id": ids.inspection, "ref": "AFI 1", "text": "Improve", "status": "being progressed",
            "owner_id": ids.lead}).created[-1]  # fmt: skip
        add_progress_note(s, actor=actor, recommendation_id=rec, data={"text": "Started"})
        link_recommendation(s, actor=actor, recommendation_id=rec, risk_id=rid)
    with any_store.write() as s:
        slip = update_milestone(s, actor=actor, milestone_id=mid, changes={"forecast_date": "2025-01-15"})
    with any_store.write() as s:
        update_risk(s, actor=actor, risk_id=rid, changes={"residual_likelihood": 2, "target_likelihood": 1})
        update_person(s, actor=actor, person_id=ids.spare, changes={"active": False})
    with any_store.write() as s:
        delete_milestone(s, actor=actor, milestone_id=mid)
    with any_store.write() as s:
        restore_deleted(s, actor=actor, entity="milestone", entity_id=mid)
    # The slip was followed by a removal and a restore: undoing it now is refused.
    assert_refused(any_store, ConflictError, lambda s: revert_transaction(s, actor=actor, txn=slip.txn))
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=q3_id)
    assert_refused(any_store, ClosedPeriod, lambda s: record_status_update(
        s, actor=actor, objective_id=ids.obj1, period_id=q3_id, data={"rag": "amber", "rationale": "x"}))  # fmt: skip
    with any_store.write() as s:
        reopen_period(s, actor=actor, period_id=q3_id, reason="Correction requested by SLT")
    with any_store.write() as s:
        fix = record_status_update(s, actor=actor, objective_id=ids.obj1, period_id=q3_id,
                                   data={"rag": "amber", "rationale": "New supplier risk"})  # fmt: skip
    with any_store.write() as s:
        undo = revert_transaction(s, actor=actor, txn=fix.txn)
    with any_store.write() as s:
        revert_transaction(s, actor=actor, txn=undo.txn)

    assert get(any_store, Objective, ids.obj1).rag == "amber"
    assert get(any_store, Milestone, mid).forecast_date.isoformat() == "2025-01-15"
    with any_store.read() as s:
        assert verify_chain(s) == []
        count = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        assert s.get(AuditHead, 1).seq == count
        assert s.execute(select(func.count()).select_from(StatusUpdate)).scalar_one() == 3
