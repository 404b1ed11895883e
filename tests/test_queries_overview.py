"""Closed objectives carrying their status forward, and dashboard_data agreeing with the single queries.

The plan is tests/query_builders.py: PEO-01.01 was reported complete and PEO-01.04 cancelled in
2024/25 Q2; nobody reported in Q3 or 2025/26 Q1.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.query_builders import Q2_REPORTED, TODAY, built, refs  # noqa: F401 - fixture
from tracker import queries as q
from tracker.enums import Brag, Movement
from tracker.models import ReportingPeriod, StatusUpdate
from tracker.queries import BragCounts, Filters
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.services.base import unit_of_work


def _statuses(s, ids, period: str, baseline: str | None = None) -> dict[str, q.ObjectiveStatus]:  # type: ignore[no-untyped-def]
    data = q.dashboard_data(
        s, ids.period[period], baseline_id=ids.period[baseline] if baseline else None, today=TODAY
    )
    return {ref: st for ref, st in zip(refs(ids, [x.id for x in data.statuses]), data.statuses, strict=True)}


def _report(uow, ids, ref: str, period: str, lifecycle: str, rag: str | None = None) -> StatusUpdate:  # type: ignore[no-untyped-def]
    return uow.create(
        StatusUpdate, objective_id=ids.obj[ref], period_id=ids.period[period], lifecycle=lifecycle, rag=rag,
        reported_at=Q2_REPORTED, rationale="why" if rag else "",
    )  # fmt: skip


def test_a_closed_objective_carries_its_status_into_later_periods(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        q2, q3, nq1 = (_statuses(s, ids, p) for p in ("Q2", "Q3", "NQ1"))
        returns = q.returns_status(s, ids.period["NQ1"])
        moved = q.movement_summary(s, ids.period["NQ1"])
    # Reported in Q2 itself: a report, not carried.
    assert q2["PEO-01.01"].has_update and not q2["PEO-01.01"].is_carried
    for period in (q3, nq1):
        done, dropped = period["PEO-01.01"], period["PEO-01.04"]
        assert (done.brag, done.label, done.key, done.has_update) == (Brag.BLUE, "Complete", "blue", False)
        assert (dropped.brag, dropped.label, dropped.key) == (Brag.GREY, "Cancelled", "grey")
        assert (
            done.is_carried and done.carried_from_id == ids.period["Q2"] and done.carried_from == "2024/25 Q2"
        )
        assert done.rationale == "" and done.update_id is None
        # Not closed: no status, so no update.
        assert not period["PEO-01.02"].is_carried and period["PEO-01.02"].key == q.NO_UPDATE
    assert nq1["PEO-01.01"].movement is Movement.UNCHANGED and nq1["PEO-01.01"].before is Brag.BLUE
    assert refs(ids, moved.unchanged) == ["PEO-01.01", "PEO-01.04"] and moved.new == moved.improved == ()
    # Nobody chases a return for finished work: 3 of Head of HR's 4 and 2 of Intelligence's 3 are expected.
    hr, intel, nobody = returns
    assert (hr.n_objectives, hr.n_expected, hr.missing_refs) == (
        4,
        3,
        ("SER-02.01", "SER-02.02", "PEO-01.03"),
    )
    assert (intel.n_objectives, intel.n_expected, intel.missing_refs) == (3, 2, ("SER-01.01", "SER-01.02"))
    assert nobody.missing_refs == ("PEO-01.02",)


def test_reopening_deleting_the_closing_update_or_a_deleted_period_stop_the_carry(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        _report(uow, ids, "PEO-01.01", "Q3", "in progress", "amber")  # reopened after completion
        closing = s.get(StatusUpdate, _update_id(s, ids, "PEO-01.04", "Q2"))
        uow.delete(closing)  # its cancellation was withdrawn: Green in Q1 is its last word
        old = s.get(ReportingPeriod, ids.period["OLD"])
        uow.restore(old)
        _report(uow, ids, "SER-02.01", "OLD", "complete")  # closed in a period that is then deleted
        uow.delete(old)
        _report(uow, ids, "PEO-01.02", "Q1", "cancelled")  # closed in Q1, then reported not started in Q2
        uow.changes()
    with store.read() as s:
        q1, q2, q3, nq1 = (_statuses(s, ids, p) for p in ("Q1", "Q2", "Q3", "NQ1"))
        by_theme = q.rag_by_theme(s, ids.period["NQ1"])
        trend = {r.period_id: r.counts for r in q.trend(s)}
        returns = {r.lead_id: r for r in q.returns_status(s, ids.period["NQ1"])}
    assert q3["PEO-01.01"].has_update and q3["PEO-01.01"].movement is Movement.DETERIORATED  # Blue to Amber
    assert nq1["PEO-01.01"].key == q.NO_UPDATE and not nq1["PEO-01.01"].is_carried
    assert q3["PEO-01.04"].key == nq1["PEO-01.04"].key == q.NO_UPDATE
    assert q2["PEO-01.04"].key == q.NO_UPDATE  # its own (deleted) update is not carried either
    assert q1["SER-02.01"].key == q.NO_UPDATE
    assert q1["PEO-01.02"].label == "Cancelled" and q2["PEO-01.02"].label == "Not started"
    assert q3["PEO-01.02"].key == q.NO_UPDATE
    assert [r.counts for r in by_theme] == [BragCounts(no_update=4), BragCounts(no_update=4), BragCounts()]
    assert trend[ids.period["Q3"]] == BragCounts(amber=1, no_update=7)
    assert trend[ids.period["NQ1"]] == BragCounts(no_update=8)
    assert trend[ids.period["Q1"]] == BragCounts(amber=2, green=4, grey=1, no_update=1)
    assert returns[ids.person["A"]].missing_refs == ("SER-01.01", "SER-01.02", "PEO-01.01")
    assert returns[ids.person["B"]].n_expected == 4


def _update_id(s, ids, ref: str, period: str) -> str:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    return s.exec(
        select(StatusUpdate.id).where(
            StatusUpdate.objective_id == ids.obj[ref], StatusUpdate.period_id == ids.period[period]
        )
    ).one()


def test_a_carried_baseline_compares_with_the_closed_status(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        _report(uow, ids, "PEO-01.01", "NQ1", "in progress", "green")  # reopened two periods later
        uow.changes()
    with store.read() as s:
        nq1 = _statuses(s, ids, "NQ1")  # baseline Q3, where it carried Complete
        against_q1 = _statuses(s, ids, "NQ1", baseline="Q1")
    assert (nq1["PEO-01.01"].before, nq1["PEO-01.01"].before_label) == (Brag.BLUE, "Complete")
    assert nq1["PEO-01.01"].movement is Movement.DETERIORATED
    assert nq1["PEO-01.04"].movement is Movement.UNCHANGED
    assert against_q1["PEO-01.01"].movement is Movement.UNCHANGED  # Green in Q1, Green now
    assert against_q1["PEO-01.04"].movement is Movement.DETERIORATED  # Green in Q1, Cancelled since Q2


@pytest.mark.parametrize("period", ["Q1", "Q2", "Q3"])
@pytest.mark.parametrize(
    "scope",
    [None, "theme PEO", "lead A", "board SLT"],
)
def test_dashboard_data_gives_the_same_answers_as_the_single_queries(built, period, scope):  # noqa: F811
    store, ids = built
    f = {
        None: None,
        "theme PEO": Filters(theme_id=ids.theme["PEO"]),
        "lead A": Filters(lead_id=ids.person["A"]),
        "board SLT": Filters(board_id=ids.board["SLT"]),
    }[scope]
    pid = ids.period[period]
    with store.read() as s:
        d = q.dashboard_data(s, pid, filters=f, today=TODAY)
        assert d.period.id == pid and d.as_of == min(d.period.end, TODAY)
        assert list(d.rag_by_theme) == q.rag_by_theme(s, pid, f)
        assert list(d.trend) == q.trend(s, filters=f, up_to=pid)  # nothing after the period
        assert d.movement == q.movement_summary(s, pid, filters=f)
        assert d.headline == q.headline(s, pid, f, today=TODAY)
        assert d.residual == q.risk_matrix(s, "residual", f)
        assert d.inherent == q.risk_matrix(s, "inherent", f)
        assert list(d.recommendations) == q.recommendations_by_body_status(s, d.as_of, f)
        assert list(d.overdue) == q.overdue_items(s, pid, f, today=TODAY)
        assert list(d.exceptions) == q.exceptions(s, pid, filters=f, today=TODAY)
        assert list(d.returns) == q.returns_status(s, pid, f)
        assert d.upcoming == _upcoming(s, d, f)
        assert sorted(r.id for r in d.open_risks) == sorted(r.id for r in q.risk_rows(s, _open(f)))


def test_dashboard_data_against_a_chosen_baseline(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        d = q.dashboard_data(s, ids.period["Q3"], baseline_id=ids.period["Q1"], today=date(2024, 11, 1))
        moved = q.movement_summary(s, ids.period["Q3"], compare_to=ids.period["Q1"])
    assert d.baseline is not None and d.baseline.id == ids.period["Q1"]
    assert d.movement == moved
    deteriorated = [r for r in d.exceptions if r.kind is q.ExceptionKind.DETERIORATED]
    assert [(r.objective_ref, r.detail) for r in deteriorated] == [
        ("PEO-01.04", "Green in 2024/25 Q1, Cancelled in 2024/25 Q3")
    ]


def test_dashboard_data_on_the_sample_plan_agrees_with_the_single_queries(any_store, actor):
    with any_store.write() as s:
        seed_plan(s, actor=actor, template=emsou_template())
    with any_store.write() as s:
        add_sample_progress(s, actor=actor)
    with any_store.read() as s:
        latest = q.latest_period_with_updates(s)
        assert latest is not None
        pid, today = latest.id, latest.end
        d = q.dashboard_data(s, pid, today=today)
        assert list(d.rag_by_theme) == q.rag_by_theme(s, pid)
        assert list(d.trend) == q.trend(s, up_to=pid)
        assert d.headline == q.headline(s, pid, today=today)
        assert list(d.exceptions) == q.exceptions(s, pid, today=today)
        assert list(d.overdue) == q.overdue_items(s, pid, today=today)
        assert list(d.returns) == q.returns_status(s, pid)
        assert d.residual == q.risk_matrix(s)
        assert d.upcoming == _upcoming(s, d, None) and len(d.upcoming) > 0
    # The latest period is mostly finished work: carried, not "no update".
    assert sum(x.is_carried for x in d.statuses) > d.headline.by_status.no_update


def _upcoming(s, d, f):  # type: ignore[no-untyped-def]
    """The timeline's upcoming milestones from the register: unfinished, forecast within the horizon."""
    window = replace(f or Filters(), due_from=d.as_of, due_to=d.as_of + timedelta(days=q.HORIZON_DAYS))
    rows = [m for m in q.milestone_rows(s, window, as_of=d.as_of) if m.completed_date is None]
    rows.sort(key=lambda m: (m.forecast_date, m.objective_ref, m.id))
    return tuple(
        q.UpcomingMilestone(m.id, m.objective_id, m.objective_ref, m.title, m.owner_id, m.owner_name,
                            m.forecast_date, m.state)
        for m in rows
    )  # fmt: skip


def _open(f):  # type: ignore[no-untyped-def]
    return replace(f or Filters(), status="open")
