"""Sample progress: deterministic from its seed, and a history the service rules would have accepted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.builders import assert_refused
from tracker.audit import verify_chain
from tracker.db import Actor
from tracker.enums import Lifecycle, PeriodStatus
from tracker.errors import ServiceError
from tracker.models import (
    Board,
    Kind,
    Milestone,
    Objective,
    Outcome,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
)
from tracker.rules import needs_corrective_action, needs_rationale
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.services.periods import open_period
from tracker.store import Store, open_store

ENDED = (Lifecycle.COMPLETE, Lifecycle.CANCELLED)


def seeded(store: Store, actor: Actor, **sample: Any) -> None:
    """The EMSOU plan, with sample progress when ``sample`` holds its arguments (seed=, today=)."""
    with store.write() as session:
        seed_plan(session, actor=actor, template=emsou_template())
    if sample:
        with store.write() as session:
            add_sample_progress(session, actor=actor, **sample)


def content(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """What the sample wrote, with every id replaced by the name of what it points at (ids are per store)."""
    with store.read() as session:
        names: dict[str | None, Any] = {None: None}
        for cls, label in ((Objective, Objective.ref), (Person, Person.name), (ReportingPeriod, ReportingPeriod.name),
                           (Theme, Theme.code), (Outcome, Outcome.code), (Board, Board.name),
                           (Recommendation, Recommendation.ref), (Plan, Plan.name)):  # fmt: skip
            names.update(session.execute(select(cls.id, label)).all())
        out = {}
        for cls in (ReportingPeriod, StatusUpdate, Milestone, Risk, ProgressNote, Objective, Plan):
            rows = []
            for row in session.execute(select(cls)).scalars():
                data = row.model_dump(exclude={"id", "changed_at"})
                rows.append(tuple(sorted((k, names[v] if k.endswith("_id") else v) for k, v in data.items())))
            out[cls.__tablename__] = sorted(rows, key=repr)  # type: ignore[attr-defined]
        return out


# ---------------------------------------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_sample_and_another_seed_another(tmp_path, actor):
    found = []
    for name, seed in (("a", 2021), ("b", 2021), ("c", 7)):
        store = open_store(tmp_path / f"{name}.db")
        try:
            seeded(store, actor, seed=seed)
            found.append(content(store))
        finally:
            store.close()
    a, b, c = found
    assert a["status_update"] and a["milestone"] and a["risk"] and a["progress_note"]
    assert a == b
    for table in ("status_update", "milestone", "risk", "objective"):
        assert a[table] != c[table], table


# ---------------------------------------------------------------------------------------------- the history


@pytest.fixture
def sampled(any_store, actor) -> Store:
    seeded(any_store, actor, seed=2021, today=date(2023, 8, 15))
    return any_store


def test_marks_the_plan_as_a_sample(sampled):
    with sampled.read() as session:
        assert session.execute(select(Plan.is_sample)).scalar_one() is True


def test_periods_are_consecutive_quarters_with_only_the_latest_open(sampled):
    with sampled.read() as session:
        plan = session.execute(select(Plan)).scalar_one()
        periods = (
            session.execute(select(ReportingPeriod).order_by(ReportingPeriod.start_date)).scalars().all()
        )
    assert periods[0].start_date == plan.start_date
    assert periods[-1].start_date <= date(2023, 8, 15) <= periods[-1].end_date  # the as-at date's quarter
    assert len(periods) == 10
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start_date == before.end_date + timedelta(days=1)
    for p in periods:
        assert p.start_date.day == 1 and p.start_date.month in (1, 4, 7, 10)
        assert (p.end_date + timedelta(days=1)).month == (p.start_date.month + 2) % 12 + 1
    assert [p.status for p in periods] == [PeriodStatus.CLOSED] * 9 + [PeriodStatus.OPEN]
    assert all(
        p.closed_at is not None and p.closed_at.date() > p.end_date and p.closed_by for p in periods[:-1]
    )
    assert periods[-1].closed_at is None
    assert [p.name for p in periods[:2]] == ["2021/22 Q1", "2021/22 Q2"]


def history(
    store: Store,
) -> tuple[list[ReportingPeriod], list[tuple[str, date]], dict[str, list[StatusUpdate]]]:
    """Periods in order, each objective's (id, start), and each objective's updates in period order."""
    with store.read() as session:
        periods = (
            session.execute(select(ReportingPeriod).order_by(ReportingPeriod.start_date)).scalars().all()
        )
        plan_start = session.execute(select(Plan.start_date)).scalar_one()
        objectives = [
            (i, s or plan_start) for i, s in session.execute(select(Objective.id, Objective.start_date))
        ]
        updates = (
            session.execute(
                select(StatusUpdate)
                .join(ReportingPeriod, StatusUpdate.period_id == ReportingPeriod.id)
                .order_by(StatusUpdate.objective_id, ReportingPeriod.start_date)
            )
            .scalars()
            .all()
        )
        for row in [*periods, *updates]:
            session.expunge(row)
    by_objective: dict[str, list[StatusUpdate]] = {i: [] for i, _ in objectives}
    for u in updates:
        by_objective[u.objective_id].append(u)
    return list(periods), objectives, by_objective


def test_closed_periods_are_fully_reported_and_the_open_one_partly(sampled):
    periods, objectives, updates = history(sampled)
    order = {p.id: n for n, p in enumerate(periods)}
    for n, period in enumerate(periods):
        active, reported = 0, 0
        for obj_id, start in objectives:
            earlier = [u for u in updates[obj_id] if order[u.period_id] < n]
            if start > period.end_date or any(u.lifecycle in ENDED for u in earlier):
                continue  # not begun yet, or already complete or cancelled
            active += 1
            reported += any(order[u.period_id] == n for u in updates[obj_id])
        assert active > 0
        if period.status == PeriodStatus.CLOSED:
            assert reported == active, f"{period.name}: {reported} of {active} active objectives reported"
        else:
            assert 0 < reported < active, f"open {period.name}: {reported} of {active} reported"
    for obj_id, start in objectives:  # and nothing is reported before it begins or after it ends
        seen = updates[obj_id]
        assert all(periods[order[u.period_id]].end_date >= start for u in seen)
        assert all(u.lifecycle not in ENDED for u in seen[:-1])


def test_every_rag_change_is_explained_and_every_red_has_a_corrective_action(sampled):
    _, _, updates = history(sampled)
    changes = reds = 0
    for seen in updates.values():
        previous = None
        for u in seen:
            if needs_rationale(previous, u.rag):
                changes += 1
                assert u.rationale.strip(), f"a RAG change to {u.rag} with no rationale"
            if needs_corrective_action(u.rag):
                reds += 1
                assert u.corrective_action.strip(), "a Red with no corrective action"
            if u.rag is None:
                assert u.lifecycle not in (Lifecycle.IN_PROGRESS, Lifecycle.ON_HOLD), (
                    "in progress with no RAG"
                )
            assert u.commentary.strip() and u.author
            previous = u.rag
    assert changes > 0 and reds > 0, "the sample should show both"


def test_objectives_follow_their_latest_update(sampled):
    _, _, updates = history(sampled)
    with sampled.read() as session:
        current = {i: (lc, rag, pct) for i, lc, rag, pct in session.execute(
            select(Objective.id, Objective.lifecycle, Objective.rag, Objective.progress_pct))}  # fmt: skip
    for obj_id, seen in updates.items():
        expected = (
            (seen[-1].lifecycle, seen[-1].rag, seen[-1].progress_pct) if seen else ("not started", None, None)
        )
        assert current[obj_id] == expected


def test_milestones_risks_and_notes_belong_to_the_plan(any_store, actor):
    as_at = date(2023, 8, 15)
    seeded(any_store, actor)
    with any_store.write() as session:
        changes = add_sample_progress(session, actor=actor, seed=3, today=as_at)
    with any_store.read() as session:
        objective_ids = set(session.execute(select(Objective.id)).scalars())
        milestones = session.execute(select(Milestone.objective_id, Milestone.baseline_date)).all()
        risks = session.execute(select(Risk.objective_id, Risk.theme_id, Risk.ref)).all()
        theme_ids = set(session.execute(select(Theme.id)).scalars())
        notes = session.execute(select(ProgressNote.id, ProgressNote.note_date)).all()
    assert milestones and {m.objective_id for m in milestones} <= objective_ids
    assert risks and all((r.objective_id in objective_ids) != (r.theme_id in theme_ids) for r in risks)
    assert len({r.ref for r in risks}) == len(risks)
    added = [
        day for note_id, day in notes if note_id in changes.ids
    ]  # the template brings its own, later ones
    assert added and max(added) <= as_at
    assert {
        Kind.MILESTONE,
        Kind.RISK,
        Kind.PROGRESS_NOTE,
        Kind.STATUS_UPDATE,
        Kind.REPORTING_PERIOD,
    } <= changes.kinds


def test_the_audit_chain_verifies(sampled):
    with sampled.read() as session:
        assert verify_chain(session) == []


# ---------------------------------------------------------------------------------------------- refusals


def test_refuses_a_plan_that_already_has_progress(sampled, actor):
    error = assert_refused(sampled, ServiceError, lambda s: add_sample_progress(s, actor=actor, seed=5))
    assert "Nothing was added" in str(error)


def test_refuses_a_plan_with_a_reporting_period(any_store, actor):
    seeded(any_store, actor)
    with any_store.write() as session:
        open_period(session, actor=actor, data={"name": "Q1", "start_date": date(2021, 4, 1),
                                                "end_date": date(2021, 6, 30)})  # fmt: skip
    error = assert_refused(any_store, ServiceError, lambda s: add_sample_progress(s, actor=actor))
    assert "this one has 1 periods" in str(error)


def test_refuses_without_a_plan_or_before_the_plan_starts(any_store, actor):
    assert_refused(any_store, ServiceError, lambda s: add_sample_progress(s, actor=actor))
    seeded(any_store, actor)
    error = assert_refused(
        any_store, ServiceError, lambda s: add_sample_progress(s, actor=actor, today=date(2021, 3, 1))
    )
    assert "there is no progress yet" in str(error)


# ---------------------------------------------------------------------------------------------- a programme in flight


def test_the_plan_ends_with_much_still_in_flight_slipping_and_moving_both_ways(store, actor):
    seeded(store, actor, seed=2021)  # the plan's whole span, as `init --sample` makes it
    periods, _, updates = history(store)
    last, before = periods[-1].id, periods[-2].id
    with store.read() as session:
        objectives = session.execute(select(Objective.id, Objective.lifecycle, Objective.target_date)).all()
        plan = session.execute(select(Plan)).scalar_one()
        milestones = session.execute(
            select(Milestone.baseline_date, Milestone.forecast_date, Milestone.completed_date, Objective.lifecycle)
            .join(Objective)
        ).all()  # fmt: skip
        risks = session.execute(
            select(Risk.residual_likelihood, Risk.residual_impact).where(Risk.status == "open")
        ).all()
    live = [o for o in objectives if o.lifecycle in (Lifecycle.IN_PROGRESS, Lifecycle.ON_HOLD)]
    assert 0.45 <= len(live) / len(objectives) <= 0.7, f"{len(live)} of {len(objectives)} still live"
    assert sum(o.target_date < periods[-1].start_date for o in live) >= len(live) // 2, (
        "most overran their target"
    )
    assert any(o.lifecycle == Lifecycle.ON_HOLD for o in live)
    assert any(o.lifecycle == Lifecycle.CANCELLED for o in objectives)
    latest = [u for seen in updates.values() for u in seen if u.period_id == last]
    assert {u.rag for u in latest} >= {"red", "amber", "green"}
    due = sum(1 for seen in updates.values() if any(u.period_id == before for u in seen)
              and not any(u.period_id == before and u.lifecycle in ENDED for u in seen))  # fmt: skip
    assert 0.75 <= len(latest) / due <= 0.95, f"the open period: {len(latest)} of {due} returns in"
    rank = {"red": 0, "amber": 1, "green": 2}
    moves = [
        rank[b.rag] - rank[a.rag]
        for seen in updates.values()
        for a, b in zip(seen, seen[1:], strict=False)
        if a.period_id == before and b.period_id == last and a.rag and b.rag
    ]
    assert any(m > 0 for m in moves) and any(m < 0 for m in moves), "improvements and deteriorations"
    open_work = [m for m in milestones if m.lifecycle in (Lifecycle.IN_PROGRESS, Lifecycle.ON_HOLD)]
    assert sum(m.completed_date is None and m.forecast_date < periods[-1].end_date for m in open_work) >= 5
    assert sum((m.forecast_date - m.baseline_date).days > plan.slip_tolerance_days for m in open_work) >= 10
    assert sum(lk * im > plan.risk_appetite for lk, im in risks) >= 3
