"""Test data builders and checks shared by the service, query and undo tests.

``small_plan`` inserts a plan through a UnitOfWork (so its rows are audited like any other);
``snapshot`` reads every table, for proving that a refused write changed nothing; ``plan_fields``
reads the plan as a plan workbook carries it, for proving a round trip (tests and a benchmark).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import SQLModel, select

from tracker.audit import decode
from tracker.db import Actor
from tracker.models import (
    AuditEntry,
    Board,
    Inspection,
    Kind,
    Objective,
    Outcome,
    Person,
    Plan,
    ReportingPeriod,
    Theme,
)
from tracker.services.base import unit_of_work
from tracker.services.plan_state import LINK_LISTS, ORDER, read_plan_state
from tracker.store import Store


def small_plan(store: Store, actor: Actor) -> SimpleNamespace:
    """A plan with two themes, an outcome, four people (one inactive), a board, three objectives,
    two open quarters (2024/25 Q1 and Q2) and an inspection. Returns the ids."""
    with store.write() as session:
        uow = unit_of_work(session, actor)
        plan = uow.create(
            Plan, name="Test Strategy 2024/25", organisation="Test ROCU",
            start_date=date(2024, 4, 1), end_date=date(2025, 3, 31),
        )  # fmt: skip
        service = uow.create(Theme, plan_id=plan.id, code="SER", name="Service", ordinal=1)
        people_theme = uow.create(Theme, plan_id=plan.id, code="PEO", name="People and culture", ordinal=2)
        outcome = uow.create(
            Outcome, theme_id=service.id, code="SER-01", title="Stakeholders are assured", ordinal=1
        )
        lead = uow.create(Person, name="Head of Intelligence", role_title="Detective Superintendent")
        owner = uow.create(Person, name="Programme Manager", email="pm@example.org")
        spare = uow.create(Person, name="Business Analyst")
        retired = uow.create(Person, name="Former Lead", active=False)
        board = uow.create(Board, plan_id=plan.id, name="Strategic Leadership Team", cadence="quarterly")
        objectives = [
            uow.create(
                Objective, plan_id=plan.id, outcome_id=outcome.id, ref=f"SER-01.0{n}",
                title=f"Objective number {n}", lead_id=lead.id, board_id=board.id, ordinal=n,
                four_p="Pursue,Protect" if n == 1 else "",
                start_date=date(2024, 4, 1), target_date=date(2025, 3, 31),
            )
            for n in (1, 2, 3)
        ]  # fmt: skip
        q1 = uow.create(
            ReportingPeriod, plan_id=plan.id, name="2024/25 Q1",
            start_date=date(2024, 4, 1), end_date=date(2024, 6, 30),
        )  # fmt: skip
        q2 = uow.create(
            ReportingPeriod, plan_id=plan.id, name="2024/25 Q2",
            start_date=date(2024, 7, 1), end_date=date(2024, 9, 30),
        )  # fmt: skip
        inspection = uow.create(
            Inspection, plan_id=plan.id, body="HMICFRS", title="Inspection of the ROCU", grade="Adequate"
        )
        uow.changes("Built the small test plan")
    return SimpleNamespace(
        plan=plan.id,
        theme=service.id,
        people_theme=people_theme.id,
        outcome=outcome.id,
        lead=lead.id,
        owner=owner.id,
        spare=spare.id,
        retired=retired.id,
        board=board.id,
        obj1=objectives[0].id,
        obj2=objectives[1].id,
        obj3=objectives[2].id,
        q1=q1.id,
        q2=q2.id,
        inspection=inspection.id,
    )


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key."""
    with store.read() as session:
        return {
            table.name: [
                tuple(r) for r in session.execute(select(table).order_by(*table.primary_key.columns)).all()
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def assert_refused(store: Store, error: type[Exception], call: Callable[[Any], Any]) -> Any:
    """Run ``call(session)`` in a write transaction; it must raise ``error`` and change nothing."""
    before = snapshot(store)
    with pytest.raises(error) as info, store.write() as session:
        call(session)
    assert snapshot(store) == before, "a refused write changed the database"
    return info.value


def audit_of(store: Store, entity_id: str, txn: str | None = None) -> list[tuple[str, Any, Any]]:
    """(field, old, new) of the audit entries for one row, decoded, oldest first."""
    query = select(AuditEntry.field, AuditEntry.old, AuditEntry.new).where(AuditEntry.entity_id == entity_id)
    if txn is not None:
        query = query.where(AuditEntry.txn == txn)
    with store.read() as session:
        rows = session.exec(query.order_by(AuditEntry.seq)).all()
    return [(f, decode(o), decode(n)) for f, o, n in rows]


def get(store: Store, cls: type[SQLModel], row_id: str) -> Any:
    """A fresh copy of one row (detached; read its attributes only)."""
    with store.read() as session:
        row = session.get(cls, row_id)
        assert row is not None
        session.expunge(row)
        return row


def plan_fields(store: Store) -> dict[str, Any]:
    """Every item of the plan by its key, with every field a plan carries, and the recommendations' links."""
    with store.read() as s:
        state = read_plan_state(s)
    out: dict[str, Any] = {
        kind.value: {state.key(kind, r): state.named(kind, r) for r in state.live(kind)} for kind in ORDER
    }
    for name, (target, _, column) in LINK_LISTS.items():
        out[f"links to {name}"] = sorted(
            (state.key_of(Kind.RECOMMENDATION, link["recommendation_id"]), state.key_of(target, link[column]))
            for link in state.links[name]
            if not link["deleted"]
        )
    return out
