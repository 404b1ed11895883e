"""The status workbook holds what the queries hold, nothing less and nothing more, and every breakdown
in it adds up to the whole it breaks down: for the sample plan and a (small) scale plan.

The workbook is read back cell by cell with openpyxl and compared with the queries' own answers for
the same period and day: every overdue milestone, every exception, every open recommendation, the
milestones due in the next 90 days, the returns, the trend.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tests.workbook_reading import header_row, headers, last_data_row, records
from tracker import queries as q
from tracker.db import Actor
from tracker.enums import MilestoneState
from tracker.queries.registers import OPEN_STATUSES
from tracker.queries.returns import returns_tracker
from tracker.queries.workbook import objective_trend
from tracker.seed.sample import add_sample_progress
from tracker.seed.scale import build_scale_plan
from tracker.seed.template import emsou_template, seed_plan
from tracker.store import open_store
from tracker.workbooks.status import export_status_workbook

ACTOR = Actor("Test PMO", "cli")
TODAY = date.today()


def _sample(session) -> None:  # type: ignore[no-untyped-def]
    seed_plan(session, actor=ACTOR, template=emsou_template())
    add_sample_progress(session, actor=ACTOR)


def _scale(session) -> None:  # type: ignore[no-untyped-def]
    build_scale_plan(session, actor=ACTOR, objectives=150, milestones=1_500, risks=300, audit_entries=3_000,
                     periods=5)  # fmt: skip


@pytest.fixture(scope="module", params=[_sample, _scale], ids=["sample", "scale"])
def plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The plan, its workbook for the latest period with updates, and what the queries say of that period."""
    folder = tmp_path_factory.mktemp(request.param.__name__.strip("_"))
    store = open_store(folder / "plan.db")
    with store.write() as session:
        request.param(session)
    with store.read() as session:
        period = q.latest_period_with_updates(session)
        assert period is not None
        path = export_status_workbook(
            session, period.id, folder / "status.xlsx", generated_by="PMO", today=TODAY
        )
        dash = q.dashboard_data(session, period.id, today=TODAY)
        held = SimpleNamespace(
            period=period,
            dash=dash,
            exceptions=q.exceptions(session, period.id, today=TODAY),
            recommendations=q.recommendation_rows(session, as_of=dash.as_of),
            risks=q.risk_rows(session),
            milestones=q.milestone_rows(session, as_of=dash.as_of),
            returns=returns_tracker(session, period.id),
            trend=objective_trend(session, period.id),
            later=[p.name for p in q.periods(session) if p.start > period.start],
        )
    store.close()
    return SimpleNamespace(wb=load_workbook(path), held=held)


def text(value: object) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------- what it holds


def test_every_overdue_milestone_and_only_those_shows_as_overdue(plan) -> None:  # type: ignore[no-untyped-def]
    rows = records(plan.wb["Milestones"])
    shown = Counter(
        (r["Objective"], r["Milestone"], r["Days overdue"]) for r in rows if r["State"] == "Overdue"
    )
    held = Counter((o.ref, o.title, o.days_overdue) for o in plan.held.dash.overdue if o.kind == "milestone")
    assert shown == held and sum(held.values()) == plan.held.dash.headline.overdue_milestones
    states = {m.state.label for m in plan.held.milestones}  # by the query's words, whatever they are
    assert Counter(r["State"] for r in rows) == Counter(m.state.label for m in plan.held.milestones)
    assert {r["State"] for r in rows} == states
    assert len(rows) == len(plan.held.milestones)


def test_every_exception_and_only_those_is_on_the_exceptions_sheet(plan) -> None:  # type: ignore[no-untyped-def]
    rows = records(plan.wb["Exceptions"])
    shown = Counter((text(r["Ref"]), r["Exception"], r["Detail"]) for r in rows)
    held = Counter((e.objective_ref, e.kind.label, e.detail) for e in plan.held.exceptions)
    assert shown == held and held
    overdue = sum(n for (_, kind, _), n in held.items() if kind == "Overdue milestone")
    assert overdue == plan.held.dash.headline.overdue_milestones


def test_every_open_recommendation_and_only_those_shows_as_open(plan) -> None:  # type: ignore[no-untyped-def]
    rows = records(plan.wb["Recommendations"])
    open_words = {s.capitalize() for s in OPEN_STATUSES}
    shown = Counter((r["Ref"], r["Recommendation"]) for r in rows if r["Status"] in open_words)
    held = Counter((r.ref, r.text) for r in plan.held.recommendations if r.status in OPEN_STATUSES)
    assert shown == held and sum(held.values()) == plan.held.dash.headline.open_recommendations
    overdue = Counter((r["Ref"], r["Recommendation"]) for r in rows if r["Overdue"] == "Yes")
    assert overdue == Counter((r.ref, r.text) for r in plan.held.recommendations if r.overdue)


def test_milestones_due_in_the_next_90_days_are_the_dashboards(plan) -> None:  # type: ignore[no-untyped-def]
    rows = records(plan.wb["Due in 90 days"])
    held = plan.held.dash.upcoming
    assert [(r["Objective"], r["Milestone"], r["Forecast"].date()) for r in rows] == [
        (m.objective_ref, m.title, m.forecast_date) for m in held
    ]
    as_of = plan.held.dash.as_of
    assert all(0 <= r["Days to go"] <= 90 for r in rows)
    assert all(r["Days to go"] == (r["Forecast"].date() - as_of).days for r in rows)
    assert {r["State"] for r in rows} <= {MilestoneState.ON_TRACK.label, MilestoneState.SLIPPING.label}


def test_the_returns_sheet_has_every_lead_and_where_their_return_is(plan) -> None:  # type: ignore[no-untyped-def]
    ws = plan.wb["Returns"]
    rows = records(ws)
    tracked = {r.lead_name: r for r in plan.held.returns}
    assert [r["Lead"] for r in rows][: len(tracked)] == [r.lead_name for r in plan.held.returns]
    for r in rows[: len(tracked)]:
        held = tracked[r["Lead"]]
        assert r["Objectives"] == held.n_objectives
        assert (
            r["Return"].lower().startswith(held.status if held.status != "issued" else "issued: outstanding")
        )
    updates = {u.lead_name: u for u in plan.held.dash.returns}
    for r in rows:
        u = updates.get(r["Lead"])
        if u is not None:
            assert (r["Updates received"], r["Updates expected"]) == (u.n_received, u.n_expected)
            assert text(r["Missing updates"]) == ", ".join(u.missing_refs)
    # the note's count of returns by status adds up to the leads
    note = ws.cell(header_row(ws) - 1, 1).value
    leads, parts = re.search(r"is: (\d+) leads, ([^.]+)\.", note).groups()
    assert int(leads) == len(plan.held.returns) == sum(int(n) for n in re.findall(r"(\d+) [a-z]", parts))


def test_the_trend_shows_every_period_up_to_the_one_reported_and_none_later(plan) -> None:  # type: ignore[no-untyped-def]
    ws = plan.wb["RAG trend"]
    names = headers(ws)[2:]
    assert names == [p.name for p in plan.held.trend.periods] and names[-1] == plan.held.period.name
    assert not set(names) & set(plan.held.later)
    rows = records(ws)
    assert [r["Ref"] for r in rows] == [r.ref for r in plan.held.trend.rows]
    for r, held in zip(rows, plan.held.trend.rows, strict=True):
        assert [r[n] for n in names] == [c.label for c in held.cells]


# ---------------------------------------------------------------------------------------------- adding up


def test_every_breakdown_adds_up_to_the_whole(plan) -> None:  # type: ignore[no-untyped-def]
    wb, dash = plan.wb, plan.held.dash
    n_objectives = last_data_row(wb["Objectives"]) - header_row(wb["Objectives"])
    assert n_objectives == dash.headline.n_objectives

    summary = wb["Summary"]
    column = {summary.cell(r, 1).value: r for r in range(1, summary.max_row + 1)}
    top, total = column["Theme"], column["All themes"]
    grid = [[summary.cell(r, c).value for c in range(2, 9)] for r in range(top + 1, total)]
    for row in grid:  # each theme's statuses add up to its total
        assert sum(row[:-1]) == row[-1]
    sums = [summary.cell(total, c).value for c in range(2, 9)]
    assert sums == [sum(col) for col in zip(*grid, strict=True)] and sums[-1] == n_objectives
    (chart,) = summary._charts  # the chart draws exactly the table's theme rows and status columns
    assert [s.val.numRef.f for s in chart.series] == [
        f"'Summary'!${c}${top + 1}:${c}${total - 1}" for c in "BCDEFG"
    ]

    moved = column["Movement"] + 1
    movement = []
    while summary.cell(moved, 1).value != "Total":
        movement.append(summary.cell(moved, 2).value)
        moved += 1
    assert sum(movement) == summary.cell(moved, 2).value == n_objectives  # no update counted too

    trend = wb["RAG trend"]
    counts = {trend.cell(r, 1).value: r for r in range(last_data_row(trend) + 1, trend.max_row + 1)}
    rows = [r for name, r in counts.items() if name not in (None, "Objectives by status", "Total")]
    assert len(rows) == 6
    for c in range(3, trend.max_column + 1):
        per_status = [trend.cell(r, c).value for r in rows]
        assert sum(per_status) == trend.cell(counts["Total"], c).value == n_objectives
        shown = Counter(
            trend.cell(r, c).value for r in range(header_row(trend) + 1, last_data_row(trend) + 1)
        )
        assert sorted(shown.values()) == sorted(n for n in per_status if n)  # the grid and the counts agree

    heat = wb["Heat map"]
    open_risks = sum(1 for r in plan.held.risks if r.status == "open")
    heads = next(r for r in range(1, heat.max_row + 1) if heat.cell(r, 1).value == "Likelihood ↓ Impact →")
    for first in (1, 8, 15):  # residual, inherent, target side by side
        title = heat.cell(heads - 1, first).value
        n = int(re.search(r"\((\d+) risks\)", title).group(1))
        cells = [
            heat.cell(r, c).value for r in range(heads + 1, heads + 6) for c in range(first + 1, first + 6)
        ]
        assert sum(cells) == n == open_risks, title
    risks = records(wb["Risks"])
    assert sum(1 for r in risks if r["Status"] == "Open") == open_risks


def test_a_change_never_shows_the_same_on_both_sides(plan) -> None:  # type: ignore[no-untyped-def]
    for name in ("Changes", "Risk changes"):
        for r in records(plan.wb[name]):
            assert text(r["Was"]) != text(r["Now"]), (name, r)
