"""A cancelled or completed objective's unfinished milestones are not pursued: never overdue, anywhere.

On the sample plan, 6 of the 18 milestones past their forecast in 2023/24 Q4 belong to objectives
cancelled earlier (GOV-02.04, PEO-01.05, PEO-02.02): every view of the period leaves them out.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker import queries as q
from tracker.enums import Lifecycle, MilestoneState
from tracker.queries.filters import Filters
from tracker.rules import days_overdue, milestone_state
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan

CLOSED = {Lifecycle.CANCELLED.value, Lifecycle.COMPLETE.value}


def test_the_rule() -> None:
    day = date(2024, 3, 31)
    late = day - timedelta(days=30)
    assert milestone_state(late, late, None, as_of=day, tolerance_days=14) is MilestoneState.OVERDUE
    assert (
        milestone_state(late, late, None, as_of=day, tolerance_days=14, pursued=False)
        is MilestoneState.NOT_PURSUED
    )
    assert (
        milestone_state(late, late, late, as_of=day, tolerance_days=14, pursued=False)
        is MilestoneState.COMPLETE
    )
    assert (
        days_overdue(late, None, as_of=day) == 30 and days_overdue(late, None, as_of=day, pursued=False) == 0
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory):  # type: ignore[no-untyped-def]
    from tracker.db import Actor
    from tracker.store import open_store

    store = open_store(tmp_path_factory.mktemp("sample") / "plan.db")
    actor = Actor("Tester", "cli")
    with store.write() as s:
        seed_plan(s, actor=actor, template=emsou_template())
        add_sample_progress(s, actor=actor)
    yield store
    store.close()


def test_no_view_of_the_period_counts_a_closed_objectives_milestones_as_overdue(sample) -> None:  # type: ignore[no-untyped-def]
    with sample.read() as s:
        latest = q.latest_period_with_updates(s)
        assert latest is not None
        pid, today = latest.id, latest.end
        d = q.dashboard_data(s, pid, today=today)
        closed = {x.id for x in d.statuses if x.has_status and x.lifecycle in CLOSED}
        period_view = q.milestone_rows(s, as_of=d.as_of, period_start=latest.start)
        headline = q.headline(s, pid, today=today)
        found = q.exceptions(s, pid, today=today)
        overdue = q.overdue_items(s, pid, today=today)
    by_state = {state: [m for m in period_view if m.state is state] for state in MilestoneState}
    late = by_state[MilestoneState.OVERDUE]
    not_pursued = by_state[MilestoneState.NOT_PURSUED]
    assert {m.objective_ref for m in not_pursued} >= {"GOV-02.04", "PEO-01.05", "PEO-02.02"}
    assert all(m.objective_id in closed for m in not_pursued) and all(
        m.days_overdue == 0 for m in not_pursued
    )
    assert not any(m.objective_id in closed for m in late)
    assert len(late) == headline.overdue_milestones == d.headline.overdue_milestones == 12
    late_ids = {m.id for m in late}
    assert {o.id for o in d.overdue if o.kind == "milestone"} == late_ids
    assert {o.id for o in overdue if o.kind == "milestone"} == late_ids
    assert {r.item_id for r in found if r.kind is q.ExceptionKind.OVERDUE_MILESTONE} == late_ids
    assert not any(u.objective_id in closed for u in d.upcoming)
    # every milestone is in exactly one state: the breakdown adds up to the register
    assert sum(len(v) for v in by_state.values()) == len(period_view)
    only_late = {m.id for m in q_rows(sample, Filters(state="overdue"), d.as_of, latest.start)}
    only_not = {m.id for m in q_rows(sample, Filters(state="not pursued"), d.as_of, latest.start)}
    assert only_late == late_ids and only_not == {m.id for m in not_pursued}


def q_rows(store, filters, as_of, start):  # type: ignore[no-untyped-def]
    with store.read() as s:
        return q.milestone_rows(s, filters, as_of=as_of, period_start=start)
