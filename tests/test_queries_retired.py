"""A period's reports count what was in the plan at its start: an objective retired (or in a retired
outcome or theme) on or before a period's start is left out of that period, and still counted in the
periods before; every breakdown still adds up to the whole. Registers keep showing it, saying so.

The plan is tests/query_builders.py's: SER-01.01 (lead A, Green in Q1, Red in Q2, milestone M2
overdue at the end of Q2) is retired on 15 May 2024, between Q1's start and Q2's.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.query_builders import Q2_AS_OF, TODAY, build
from tracker import queries as q
from tracker.enums import MilestoneState
from tracker.integrity import check_store
from tracker.models import Objective, Theme
from tracker.queries.pack import top_risks
from tracker.queries.report import period_objective_rows
from tracker.queries.returns import return_milestones, return_objectives, return_risks, returns_tracker
from tracker.queries.workbook import NOT_IN_PLAN, objective_trend
from tracker.services.base import unit_of_work
from tracker.workbooks.returns_issue import lead_items

RETIRED_ON = date(2024, 5, 15)
GONE = "SER-01.01"


@pytest.fixture
def plan(any_store, actor):  # type: ignore[no-untyped-def]
    ids = build(any_store, actor)
    with any_store.write() as s:  # as if retired in May, before the later periods were closed
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Objective, ids.obj[GONE]), {"retired_on": RETIRED_ON})
        uow.changes("retired in May")
    return any_store, ids


def _tiles(s, period_id):  # type: ignore[no-untyped-def]
    return {oid for row in q.rag_by_theme(s, period_id) for ids in row.ids.values() for oid in ids}


def test_the_tiles_movement_and_headline_count_it_before_its_retirement_only(plan) -> None:  # type: ignore[no-untyped-def]
    store, ids = plan
    gone = ids.obj[GONE]
    with store.read() as s:
        q1, q2, q3 = (_tiles(s, ids.period[k]) for k in ("Q1", "Q2", "Q3"))
        heads = {k: q.headline(s, ids.period[k], today=TODAY) for k in ("Q1", "Q2", "Q3")}
        moved = q.movement_summary(s, ids.period["Q2"])
    assert gone in q1 and gone not in q2 and gone not in q3
    assert (len(q1), len(q2), len(q3)) == (8, 7, 7)
    for key, tiles in (("Q1", q1), ("Q2", q2), ("Q3", q3)):
        head = heads[key]
        assert head.n_objectives == head.by_status.total == len(tiles)
    assert heads["Q2"].by_status.red == 0  # SER-01.01 was the only Red in Q2
    assert heads["Q2"].overdue_milestones == 1  # M4 only: M2 is the retired objective's
    assert gone not in {oid for group in moved[2:] for oid in group}
    assert sum(moved.counts.values()) == 7


def test_the_trend_counts_each_period_by_its_own_start(plan) -> None:  # type: ignore[no-untyped-def]
    store, ids = plan
    with store.read() as s:
        rows = {r.period_id: r for r in q.trend(s)}
        tiles = {k: q.rag_by_theme(s, ids.period[k]) for k in ("Q1", "Q2", "Q3")}
        dash = q.dashboard_data(s, ids.period["Q2"], today=TODAY)
    for key, by_theme in tiles.items():
        counts = rows[ids.period[key]].counts
        assert counts.total == sum(t.counts.total for t in by_theme)
        assert counts == q.BragCounts(*(sum(x) for x in zip(*(t.counts for t in by_theme), strict=True)))
    assert rows[ids.period["Q1"]].counts.total == 8 and rows[ids.period["Q2"]].counts.total == 7
    assert [r.counts for r in dash.trend] == [rows[r.period_id].counts for r in dash.trend]
    assert dash.headline.n_objectives == len(dash.statuses) == 7


def test_exceptions_and_overdue_lists_leave_it_out_after_its_retirement(plan) -> None:  # type: ignore[no-untyped-def]
    store, ids = plan
    gone, m2 = ids.obj[GONE], ids.ms["M2"]
    with store.read() as s:
        found = q.exceptions(s, ids.period["Q2"], today=TODAY)
        overdue = q.overdue_items(s, ids.period["Q2"], today=TODAY)
        dash = q.dashboard_data(s, ids.period["Q2"], today=TODAY)
        picked = q.dashboard_data(s, ids.period["Q2"], filters=q.Filters(ids=(gone,)), today=TODAY)
        derived = q.derived_rags(s, ids.period["Q2"], today=TODAY)
        earlier = q.derived_rags(s, ids.period["Q1"], today=TODAY)
    assert not [e for e in found if gone in (e.objective_id, e.item_id) or e.item_id == m2]
    assert m2 not in {o.id for o in overdue} and m2 not in {o.id for o in dash.overdue}
    assert not [e for e in dash.exceptions if gone in (e.objective_id, e.item_id) or e.item_id == m2]
    assert gone not in derived and gone in earlier
    assert not picked.statuses and m2 not in {o.id for o in picked.overdue}  # a drill-down to it
    assert not [e for e in picked.exceptions if gone in (e.objective_id, e.item_id) or e.item_id == m2]


def test_risks_of_a_retired_objective_leave_the_period_reports(any_store, actor) -> None:  # type: ignore[no-untyped-def]
    ids = build(any_store, actor)
    with any_store.write() as s:  # SER-02.01 holds R1 (residual 16, above the appetite of 12)
        # retiring refuses an objective with open risks; a plan workbook can still bring one in retired
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Objective, ids.obj["SER-02.01"]), {"retired_on": date(2024, 8, 1)})
        uow.changes("retired by a plan import")
    r1 = ids.risk["R1"]
    with any_store.read() as s:
        q2, q3 = (q.headline(s, ids.period[k], today=TODAY) for k in ("Q2", "Q3"))
        dash = q.dashboard_data(s, ids.period["Q3"], today=TODAY)
        late = q.exceptions(s, ids.period["Q3"], today=TODAY)
        third = q.period(s, ids.period["Q3"])
        top = top_risks(s, None, on=third.start)
        still = top_risks(s, None, on=q.period(s, ids.period["Q2"]).start)
    assert (q2.risks_above_appetite, q3.risks_above_appetite) == (2, 1)
    assert r1 not in {c for cell in dash.residual.cells for c in cell.ids}
    assert r1 not in {e.item_id for e in late} and r1 not in {o.id for o in dash.overdue}
    assert (top.n_open, top.n_above) == (2, 1) and (still.n_open, still.n_above) == (3, 2)


def test_the_period_report_and_status_trend_rows(plan) -> None:  # type: ignore[no-untyped-def]
    store, ids = plan
    gone = ids.obj[GONE]
    with store.read() as s:
        _, q1 = period_objective_rows(s, ids.period["Q1"])
        _, q2 = period_objective_rows(s, ids.period["Q2"])
        trend = objective_trend(s, ids.period["Q2"])
        counts = {r.period_id: r.counts for r in q.trend(s, up_to=ids.period["Q2"])}
    assert gone in {r.id for r in q1} and gone not in {r.id for r in q2}
    (row,) = [r for r in trend.rows if r.id == gone]  # history stays readable: shown, marked, not counted
    assert [c.label for c in row.cells] == ["Green", "Retired"]
    for n, p in enumerate(trend.periods):
        kept = [r.cells[n] for r in trend.rows if r.cells[n].key != NOT_IN_PLAN]
        assert len(kept) == counts[p.id].total
        assert {k: sum(c.key == k for c in kept) for k in q.STATUS_KEYS} == {
            k: counts[p.id].of(k) for k in q.STATUS_KEYS
        }


def test_returns_ask_only_about_what_is_in_the_plan(plan) -> None:  # type: ignore[no-untyped-def]
    store, ids = plan
    gone, lead = ids.obj[GONE], ids.person["A"]
    with store.read() as s:
        q1 = {r.id for r in return_objectives(s, ids.period["Q1"], lead_id=lead)}
        q2 = {r.id for r in return_objectives(s, ids.period["Q2"], lead_id=lead)}
        by_id = {r.id for r in return_objectives(s, ids.period["Q2"], ids=[gone])}  # a return read back
        start = q.period(s, ids.period["Q2"]).start
        milestones = {m.id for m in return_milestones(s, on=start)}
        every = {m.id for m in return_milestones(s)}
        risks = {r.id for r in return_risks(s, on=start)}
        items = lead_items(s, ids.period["Q2"])
        tracker = {r.lead_id: r.n_objectives for r in returns_tracker(s, ids.period["Q2"])}
        earlier = {r.lead_id: r.n_objectives for r in returns_tracker(s, ids.period["Q1"])}
        status = {r.lead_id: r for r in q.returns_status(s, ids.period["Q3"])}
    assert gone in q1 and gone not in q2 and by_id == {gone}
    assert ids.ms["M2"] in every and ids.ms["M2"] not in milestones and ids.ms["M1"] not in milestones
    assert ids.risk["R1"] in risks
    asked = {i for kinds in items.values() for rows in kinds.values() for i, *_ in rows}
    assert gone not in asked and ids.ms["M2"] not in asked
    assert tracker[lead] == earlier[lead] - 1  # A leads SER-01.01 and SER-01.02 (PEO-01.01 is complete)
    assert gone not in status[lead].missing_ids and status[lead].n_objectives == 2


def test_the_registers_keep_it_and_say_when_it_left_the_plan(plan) -> None:  # type: ignore[no-untyped-def]
    store, ids = plan
    gone = ids.obj[GONE]
    with store.read() as s:
        objectives = {r.id: r for r in q.objective_rows(s)}
        milestones = {m.id: m for m in q.milestone_rows(s, as_of=Q2_AS_OF)}
        in_q2 = {
            m.id: m
            for m in q.milestone_rows(s, as_of=Q2_AS_OF, period_start=q.period(s, ids.period["Q2"]).start)
        }
        in_q1 = {
            m.id: m
            for m in q.milestone_rows(
                s, as_of=date(2024, 6, 30), period_start=q.period(s, ids.period["Q1"]).start
            )
        }
        risks = {r.id for r in q.risk_rows(s)}
    assert objectives[gone].retired_on == RETIRED_ON
    assert [r.ref for r in objectives.values() if r.retired_on] == [GONE]
    assert milestones[ids.ms["M2"]].state is MilestoneState.NOT_PURSUED  # shown, not overdue
    assert in_q2[ids.ms["M2"]].state is MilestoneState.NOT_PURSUED
    assert in_q1[ids.ms["M2"]].state is MilestoneState.SLIPPING  # still pursued in Q1
    assert ids.risk["R4"] in risks


def test_the_store_check_finds_nothing_wrong_with_retired_items(plan) -> None:  # type: ignore[no-untyped-def]
    store, _ids = plan
    bad = [f for f in check_store(store) if not f.ok]
    assert not bad


def test_an_objective_in_a_retired_theme_is_out_even_when_it_carries_no_date_of_its_own(
    any_store, actor
) -> None:  # type: ignore[no-untyped-def]
    """Retiring a theme dates what it holds too; were one left undated (moved in later, or brought in
    from a file), the theme's date still takes it out of the plan."""
    ids = build(any_store, actor)
    with any_store.write() as s:
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Theme, ids.theme["PEO"]), {"retired_on": RETIRED_ON})
        uow.changes("Retired the PEO theme alone")
    peo = {ids.obj[r] for r in ("PEO-01.01", "PEO-01.02", "PEO-01.03", "PEO-01.04")}
    with any_store.read() as s:
        q1, q2 = (_tiles(s, ids.period[k]) for k in ("Q1", "Q2"))
        trend = {r.period_id: r.counts.total for r in q.trend(s)}
        rows = {r.id: r for r in q.objective_rows(s)}
        head = q.headline(s, ids.period["Q2"], today=TODAY)
        tracker = {r.lead_id: r.n_objectives for r in returns_tracker(s, ids.period["Q2"])}
        asked = {r.id for r in return_objectives(s, ids.period["Q2"])}
    assert peo <= q1 and not peo & q2 and not peo & asked
    assert (trend[ids.period["Q1"]], trend[ids.period["Q2"]]) == (8, 4) == (len(q1), len(q2))
    assert head.n_objectives == 4 and head.risks_above_appetite == 2  # R1 and R3 (a GOV risk)
    assert {rows[o].retired_on for o in peo} == {RETIRED_ON}
    assert tracker[ids.person["B"]] == 2  # SER-02.01 and SER-02.02: PEO-01.03 left with its theme
