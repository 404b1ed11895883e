"""Kept results (``tracker.kept``): the dashboard kept until the store changes, never stale.

The property: after any change made through the services, ``dashboard_data`` as kept equals a
recomputation from scratch, and ``check``'s finding agrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import col

from tracker import queries as q
from tracker.db import Actor
from tracker.enums import Source
from tracker.integrity import check_store
from tracker.kept import forget, verify_kept
from tracker.models import Milestone, Objective, Risk, StatusUpdate
from tracker.services import record_status_update, update_milestone, update_risk
from tracker.store import Store, open_store
from ui.opening import create_sample_plan

PMO = Actor("PMO", Source.APP, "PMO")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    path = tmp_path_factory.mktemp("kept") / "plan.db"
    create_sample_plan(str(path))
    store = open_store(path)
    with store.read() as s:
        period = q.latest_period_with_updates(s)
        assert period is not None
        milestones = list(s.execute(select(col(Milestone.id))).scalars())
        risks = list(s.execute(select(col(Risk.id))).scalars())
        objectives = list(
            s.execute(
                select(col(StatusUpdate.objective_id)).where(col(StatusUpdate.period_id) == period.id)
            ).scalars()
        )
    yield SimpleNamespace(
        store=store, period=period, milestones=milestones, risks=risks, objectives=objectives
    )
    store.close()


def kept_and_fresh(store: Store, period_id: str) -> tuple[object, object]:
    with store.read() as s:
        kept = q.dashboard_data(s, period_id, today=None)
    with store.read() as s:
        fresh = q.dashboard_data(s, period_id, today=None, keep=False)
    return kept, fresh


def change(store: Store, ids: SimpleNamespace, what: tuple[str, int, int]) -> None:
    kind, pick, amount = what
    with store.write() as s:
        if kind == "milestone date":
            row = s.get(Milestone, ids.milestones[pick % len(ids.milestones)])
            assert row is not None
            update_milestone(s, actor=PMO, milestone_id=row.id,
                             changes={"forecast_date": row.forecast_date + timedelta(days=amount * 20)})  # fmt: skip
        elif kind == "milestone done":
            row = s.get(Milestone, ids.milestones[pick % len(ids.milestones)])
            assert row is not None
            done = None if row.completed_date else row.baseline_date
            update_milestone(s, actor=PMO, milestone_id=row.id, changes={"completed_date": done})
        elif kind == "risk":
            row = s.get(Risk, ids.risks[pick % len(ids.risks)])
            assert row is not None
            likelihood = 1 + (row.residual_likelihood + amount) % 5
            update_risk(s, actor=PMO, risk_id=row.id, changes={"residual_likelihood": likelihood,
                                                                "inherent_likelihood": 5})  # fmt: skip
        else:
            objective_id = ids.objectives[pick % len(ids.objectives)]
            rag = ("red", "amber", "green")[amount % 3]
            record_status_update(s, actor=PMO, objective_id=objective_id, period_id=ids.period.id,
                                 data={"lifecycle": "in progress", "rag": rag, "rationale": "Moved on.",
                                       "corrective_action": "Recovery plan agreed."})  # fmt: skip


CHANGES = st.tuples(
    st.sampled_from(["milestone date", "milestone done", "risk", "status"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=-3, max_value=3),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CHANGES, min_size=1, max_size=3))
def test_after_any_change_the_kept_dashboard_equals_a_recomputation(sample, changes) -> None:  # type: ignore[no-untyped-def]
    store, period_id = sample.store, sample.period.id
    kept, fresh = kept_and_fresh(store, period_id)  # kept now, under the current head
    assert kept == fresh
    for what in changes:
        change(store, sample, what)
        kept, fresh = kept_and_fresh(store, period_id)
        assert kept == fresh, what
        with store.read() as s:
            assert verify_kept(s) == (1, [])


def test_asked_again_with_nothing_changed_it_is_the_kept_result(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.store.read() as s:
        first = q.dashboard_data(s, sample.period.id)
    with sample.store.read() as s:
        assert q.dashboard_data(s, sample.period.id) is first
        assert q.dashboard_data(s, sample.period.id, keep=False) is not first


def test_check_compares_what_is_kept_with_a_recomputation(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.store.read() as s:
        forget(s)
        q.dashboard_data(s, sample.period.id)
    finding = next(f for f in check_store(sample.store) if f.name == "kept figures")
    assert finding.ok and finding.detail == "1 kept result equal to a recomputation from scratch"


def test_a_kept_result_that_went_stale_is_found_by_check(sample) -> None:  # type: ignore[no-untyped-def]
    """A store changed behind the services' back (raw SQL, no audit entry) is what `check` would catch."""
    with sample.store.read() as s:
        forget(s)
        q.dashboard_data(s, sample.period.id)
    with sample.store.engine.begin() as conn:  # no audit entry: the head does not move
        conn.execute(Objective.__table__.update().values(title="Renamed behind the log"))  # type: ignore[attr-defined]
    finding = next(f for f in check_store(sample.store) if f.name == "kept figures")
    assert not finding.ok and finding.detail == "1 kept result differ from a recomputation"
