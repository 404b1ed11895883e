"""The status workbook's own queries: each objective's trend up to a period, and risk changes from the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tests.query_builders import PLAN_ORDER, built  # noqa: F401 - fixture
from tracker import queries as q
from tracker.queries.workbook import objective_trend, risk_changes
from tracker.services import base
from tracker.services.risks import create_risk, delete_risk, update_risk

# ---------------------------------------------------------------------------------------------- trend

Q1_Q2 = {  # ref -> (Q1, Q2) as the query plan holds them (see tests/query_builders.py)
    "SER-01.01": ("Green", "Red"), "SER-01.02": ("Amber", "Green"), "SER-02.01": ("No update", "Amber"),
    "SER-02.02": ("Green", "Green"), "PEO-01.01": ("Green", "Complete"), "PEO-01.02": ("No update", "Not started"),
    "PEO-01.03": ("Amber", "No update"), "PEO-01.04": ("Green", "Cancelled"),
}  # fmt: skip


def test_trend_shows_each_objective_in_each_period_up_to_the_one_reported_and_none_later(built) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    store, ids = built
    with store.read() as session:
        trend = objective_trend(session, ids.period["Q2"])
    # the deleted 2023/24 Q1 is gone; 2024/25 Q3 and 2025/26 Q1 come after the period
    assert [p.name for p in trend.periods] == ["2024/25 Q1", "2024/25 Q2"]
    assert [r.ref for r in trend.rows] == PLAN_ORDER
    assert {r.ref: tuple(c.label for c in r.cells) for r in trend.rows} == Q1_Q2
    keys = {r.ref: tuple(c.key for c in r.cells) for r in trend.rows}
    assert keys["PEO-01.01"] == ("green", "blue") and keys["PEO-01.03"] == ("amber", q.NO_UPDATE)


def test_a_closed_status_carries_forward_into_later_periods_until_the_next_update(built) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    store, ids = built
    with store.read() as session:
        trend = objective_trend(session, ids.period["Q3"])
    assert [p.name for p in trend.periods][-1] == "2024/25 Q3"
    q3 = {r.ref: r.cells[-1].label for r in trend.rows}
    assert q3 == {ref: "No update" for ref in PLAN_ORDER} | {
        "PEO-01.01": "Complete",
        "PEO-01.04": "Cancelled",
    }


def test_the_trend_adds_up_to_the_dashboards_counts_in_every_period(built) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    store, ids = built
    with store.read() as session:
        trend = objective_trend(session, ids.period["Q3"])
        counts = {r.period_id: r.counts for r in q.trend(session)}
    for n, period in enumerate(trend.periods):
        tally = q.BragCounts.tally(r.cells[n].key for r in trend.rows)
        assert tally == counts[period.id], period.name
        assert tally.total == len(PLAN_ORDER)


# ---------------------------------------------------------------------------------------------- risk changes


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the time the next changes are audited at (local noon of a day)."""

    def at(day: date) -> None:
        when = datetime.combine(day, time(12)).astimezone(UTC)
        monkeypatch.setattr(base, "utcnow", lambda: when)

    return at


def test_risk_changes_come_from_the_audit_log_compared_at_both_ends(built, actor, clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    store, ids = built
    objective = ids.obj["SER-01.01"]

    def risk(title: str, residual: tuple[int, int]) -> str:
        with store.write() as session:
            made = create_risk(session, actor=actor, data={
                "title": title, "objective_id": objective, "inherent_likelihood": 5, "inherent_impact": 5,
                "residual_likelihood": residual[0], "residual_impact": residual[1], "target_likelihood": 1,
                "target_impact": 1,
            })  # fmt: skip
        return made.created[0]

    def change(risk_id: str, **values: object) -> None:
        with store.write() as session:
            update_risk(session, actor=actor, risk_id=risk_id, changes=values)

    clock(date(2024, 6, 20))  # in Q1: before the window of Q2, which opens the day after Q1 ends
    lower, closed, back, later, both, gone = (
        risk(t, (4, 4)) for t in ("Lower", "Closed", "Back and forth", "Changed later", "Both", "Gone")
    )
    clock(date(2024, 7, 1))  # Q2's first day
    risk("New", (3, 5))
    change(lower, residual_likelihood=3)
    change(back, residual_impact=2)
    change(both, residual_likelihood=5)
    clock(date(2024, 9, 30))  # its last
    change(closed, status="closed")
    change(back, residual_impact=4)
    with store.write() as session:
        delete_risk(session, actor=actor, risk_id=gone)
    clock(date(2024, 10, 1))  # after the window: shows as Q2 left it
    change(later, residual_likelihood=1)
    change(both, residual_likelihood=2, status="closed")

    with store.read() as session:
        found = risk_changes(session, ids.period["Q2"], as_of=date(2024, 9, 30))
    assert (found.since, found.until) == (date(2024, 7, 1), date(2024, 9, 30))
    rows = [(c.title, c.change, c.what, c.was, c.now, c.direction) for c in found.rows]
    assert rows == [
        ("New", "new", "Residual score", "", "15 High (3×5)", 0),
        ("Closed", "closed", "Status", "Open", "Closed", 0),
        ("Lower", "re-scored", "Residual score", "16 Very high (4×4)", "12 High (3×4)", -1),
        ("Both", "re-scored", "Residual score", "16 Very high (4×4)", "20 Very high (5×4)", 1),
        ("Gone", "removed", "", "In the register", "Removed", 0),
    ]
    assert all(c.by == actor.name for c in found.rows)
    assert all(c.was != c.now for c in found.rows)
    with store.read() as session:  # the window of Q3 starts where Q2's ended
        after = risk_changes(session, ids.period["Q3"], as_of=date(2024, 11, 15))
    assert [(c.title, c.change, c.now) for c in after.rows] == [
        ("Both", "closed", "Closed"), ("Changed later", "re-scored", "4 Low (1×4)"),
        ("Both", "re-scored", "8 Medium (2×4)"),
    ]  # fmt: skip


def test_no_risk_changes_in_a_window_with_none(built) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    store, ids = built  # every risk was written today, after every period
    with store.read() as session:
        found = risk_changes(session, ids.period["Q1"], as_of=date(2024, 6, 30))
    assert found.rows == () and found.since == date(2024, 4, 1)
