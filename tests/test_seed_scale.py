"""The scale plan: the sizes asked for, keys that hold together, and a load that audits and chains."""

from __future__ import annotations

import dataclasses
from collections import Counter

from sqlalchemy import func, select

from tests.builders import assert_refused
from tracker.audit import CREATED, verify_chain
from tracker.errors import ServiceError
from tracker.models import (
    ENTITIES,
    KIND_OF,
    AuditEntry,
    Milestone,
    Objective,
    Plan,
    ReportingPeriod,
    Risk,
    StatusUpdate,
)
from tracker.replay import replay
from tracker.seed.scale import ScaleRows, build_scale_plan, load_scale_rows, scale_rows
from tracker.seed.template import empty_template, seed_plan

SIZES = {"objectives": 60, "milestones": 250, "risks": 35, "audit_entries": 4_000, "periods": 5}


def small(seed: int = 1) -> ScaleRows:
    rows = scale_rows(**SIZES, seed=seed)
    return dataclasses.replace(rows, history=list(rows.history))


def by_class(rows: ScaleRows) -> dict[type, list[dict]]:
    return {cls: table for cls, table in rows.tables}


def test_scale_rows_have_the_sizes_asked_for():
    rows = small()
    t = by_class(rows)
    assert len(t[Plan]) == 1
    assert len(t[Objective]) == SIZES["objectives"]
    assert len(t[Milestone]) == SIZES["milestones"]
    assert len(t[Risk]) == SIZES["risks"]
    assert len(t[ReportingPeriod]) == SIZES["periods"]
    assert rows.row_count + rows.history_count == SIZES["audit_entries"]
    assert len(rows.history) == rows.history_count > 0
    assert [p["status"] for p in t[ReportingPeriod]] == ["closed"] * 4 + ["open"]
    assert len({(u["objective_id"], u["period_id"]) for u in t[StatusUpdate]}) == len(t[StatusUpdate])
    assert len({o["ref"] for o in t[Objective]}) == SIZES["objectives"]


def test_scale_rows_keys_hold_together():
    rows = small()
    ids: dict[str, set[str]] = {}
    for cls, table in rows.tables:
        ids.setdefault(cls.__tablename__, set()).update(r["id"] for r in table)  # type: ignore[attr-defined]
    every = [i for s in ids.values() for i in s]
    assert len(every) == len(set(every)) == rows.row_count, "ids are unique across the plan"
    checked = 0
    for cls, table in rows.tables:
        for column in cls.__table__.columns:  # type: ignore[attr-defined]
            for fk in column.foreign_keys:
                target = ids[fk.column.table.name]
                for r in table:
                    value = r.get(column.name)
                    assert value is None or value in target, f"{cls.__name__}.{column.name} -> {value}"
                    checked += value is not None
    assert checked > SIZES["milestones"]
    for entry in rows.history:  # the synthetic history edits rows that exist, with fields they have
        cls = ENTITIES[entry["entity"]]
        assert entry["entity_id"] in ids[cls.__tablename__]  # type: ignore[attr-defined]
        assert entry["field"] in cls.__table__.columns  # type: ignore[attr-defined]


def test_scale_rows_are_deterministic():
    assert small(seed=4) == small(seed=4)
    assert by_class(small(seed=4))[Objective] != by_class(small(seed=5))[Objective]


def test_load_scale_rows_into_a_fresh_store(any_store, actor):
    rows = small()
    with any_store.write() as session:
        changes = load_scale_rows(
            session, actor=actor, rows=rows, batch=97
        )  # batches that do not divide evenly
    with any_store.read() as session:
        for cls, table in rows.tables:
            assert session.execute(select(func.count()).select_from(cls)).scalar_one() == len(table), (
                cls.__name__
            )
        created = Counter(
            session.execute(select(AuditEntry.entity).where(AuditEntry.field == CREATED)).scalars().all()
        )
        total = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        assert verify_chain(session, batch=500) == []
    assert created == Counter({KIND_OF[cls]: len(table) for cls, table in rows.tables if table})
    assert total == SIZES["audit_entries"]
    assert len(changes.ids) == rows.row_count and changes.txn
    with any_store.engine.connect() as conn:  # the history is true to the rows: replaying it gives them back
        report = replay(conn)
    assert report.total == 0, [d.message for d in report.differences]
    assert report.entries == SIZES["audit_entries"] and report.rows == rows.row_count


def test_build_scale_plan_refuses_a_store_with_a_plan(store, actor):
    with store.write() as session:
        seed_plan(session, actor=actor, template=empty_template("Ours"))
    assert_refused(
        store,
        ServiceError,
        lambda s: build_scale_plan(
            s, actor=actor, objectives=5, milestones=5, risks=1, audit_entries=0, periods=2
        ),  # fmt: skip
    )
