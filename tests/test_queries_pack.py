"""The board pack's own queries: the top risks with their trend since a period closed, the open recommendations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import tracker.services.base
from tests.builders import small_plan
from tracker.queries import dashboard_data, periods
from tracker.queries.common import find_period
from tracker.queries.pack import RiskTrend, open_recommendations, period_moment, top_risks
from tracker.services.periods import close_period
from tracker.services.recommendations import create_recommendation
from tracker.services.risks import create_risk, update_risk


def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """Every write from now on is stamped (and audited) at ``when``."""
    monkeypatch.setattr(tracker.services.base, "utcnow", lambda: when)


def risk(session, actor, ids, ref, residual, *, inherent=(5, 5), status="open", theme=False):  # type: ignore[no-untyped-def]
    home = {"theme_id": ids.theme} if theme else {"objective_id": ids.obj1}
    create_risk(session, actor=actor, data={
        "ref": ref, "title": f"Risk {ref}", "owner_id": ids.owner, **home, "inherent_likelihood": inherent[0],
        "inherent_impact": inherent[1], "residual_likelihood": residual[0], "residual_impact": residual[1],
        "target_likelihood": 1, "target_impact": 1, "mitigations": f"Mitigate {ref}", "status": status,
    })  # fmt: skip


def risk_row(session, ref):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from tracker.models import Risk

    return session.exec(select(Risk).where(Risk.ref == ref)).one()


T0 = datetime(2024, 5, 1, 9, tzinfo=UTC)  # the plan and its risks recorded
T1 = datetime(2024, 7, 10, 9, tzinfo=UTC)  # 2024/25 Q1 closed
T2 = datetime(2024, 8, 1, 9, tzinfo=UTC)  # risks re-scored, one added


def test_top_risks_by_residual_score_with_their_trend_since_the_last_period_closed(
    any_store, actor, monkeypatch
):  # type: ignore[no-untyped-def]
    at(monkeypatch, T0)
    ids = small_plan(any_store, actor)
    with any_store.write() as s:
        risk(s, actor, ids, "R-001", (3, 4))  # 12: re-scored up to 16
        risk(s, actor, ids, "R-002", (4, 4))  # 16: re-scored down to 12
        risk(s, actor, ids, "R-003", (2, 2))  # 4: unchanged
        risk(s, actor, ids, "R-004", (5, 5), theme=True)  # 25, against a theme
        risk(s, actor, ids, "R-005", (5, 5), status="closed")  # closed: not counted
    at(monkeypatch, T1)
    with any_store.write() as s:
        close_period(s, actor=actor, period_id=ids.q1)
    at(monkeypatch, T2)
    with any_store.write() as s:
        one, two = risk_row(s, "R-001"), risk_row(s, "R-002")
        update_risk(s, actor=actor, risk_id=one.id, changes={"residual_likelihood": 4})
        update_risk(s, actor=actor, risk_id=two.id, changes={"residual_likelihood": 3})
        risk(s, actor, ids, "R-006", (2, 3), inherent=(2, 3))  # new since Q1 closed
    with any_store.read() as s:
        q1 = find_period(periods(s), ids.q1)
        top = top_risks(s, q1)
        assert top.since == T1 == period_moment(q1)
        assert [(r.ref, r.residual, r.trend, r.before) for r in top.rows] == [
            ("R-004", 25, RiskTrend.SAME, 25), ("R-001", 16, RiskTrend.UP, 12), ("R-002", 12, RiskTrend.DOWN, 16),
            ("R-006", 6, RiskTrend.NEW, None), ("R-003", 4, RiskTrend.SAME, 4),
        ]  # fmt: skip
        assert (top.n_open, top.n_above) == (5, 2)  # above the appetite of 12: 25 and 16
        first = top.rows[0]
        assert (first.objective_ref, first.theme_name, first.owner_name) == (
            "",
            "Service",
            "Programme Manager",
        )
        assert top.rows[1].objective_ref == "SER-01.01" and top.rows[1].mitigations == "Mitigate R-001"
        # the same counts as the dashboard's
        data = dashboard_data(s, ids.q2, today=date(2024, 9, 1))
        assert data.residual.total == top.n_open and data.headline.risks_above_appetite == top.n_above
        shorter = top_risks(s, q1, limit=2)
        assert [r.ref for r in shorter.rows] == ["R-004", "R-001"] and shorter.n_open == 5
        # no earlier period: no trend to give
        assert {r.trend for r in top_risks(s, None).rows} == {RiskTrend.UNKNOWN}


def test_no_trend_when_the_record_starts_after_the_period_compared_with(store, actor, monkeypatch):  # type: ignore[no-untyped-def]
    at(monkeypatch, T2)  # the plan is recorded after Q1 ended (it was never closed)
    ids = small_plan(store, actor)
    with store.write() as s:
        risk(s, actor, ids, "R-001", (3, 4))
    with store.read() as s:
        q1 = find_period(periods(s), ids.q1)
        assert period_moment(q1) == datetime(2024, 7, 1, tzinfo=UTC)  # the day after its end
        top = top_risks(s, q1)
    assert [(r.trend, r.before) for r in top.rows] == [(RiskTrend.UNKNOWN, None)]
    assert top.record_starts == T2


def test_open_recommendations_are_the_ones_the_dashboard_counts(any_store, actor, monkeypatch):  # type: ignore[no-untyped-def]
    ids = small_plan(any_store, actor)
    with any_store.write() as s:
        for ref, status, due in [("R1", "awaiting allocation", date(2024, 6, 1)),
                                 ("R2", "being progressed", date(2024, 12, 1)),
                                 ("R3", "proposed for closure", None), ("R4", "superseded", date(2024, 6, 1))]:  # fmt: skip
            extra = {"evidence": "Done"} if status == "proposed for closure" else {}
            owner = {} if status == "awaiting allocation" else {"owner_id": ids.owner}
            create_recommendation(s, actor=actor, data={"inspection_id": ids.inspection, "ref": ref, "text": f"Do {ref}",
                                                        "status": status, "due_date": due, **owner, **extra})  # fmt: skip
    with any_store.read() as s:
        rows = open_recommendations(s, date(2024, 9, 30))
        head = dashboard_data(s, ids.q2, today=date(2024, 9, 1)).headline
    assert [(r.ref, r.status, r.overdue, r.owner_name) for r in rows] == [
        ("R1", "awaiting allocation", True, ""), ("R2", "being progressed", False, "Programme Manager"),
        ("R3", "proposed for closure", False, "Programme Manager"),
    ]  # fmt: skip
    assert (rows[0].body, rows[0].inspection_title) == ("HMICFRS", "Inspection of the ROCU")
    assert head.open_recommendations == len(rows)
