"""The plan, its periods and the short lists (people, boards, themes, outcomes)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.query_builders import built  # noqa: F401 - fixture
from tracker import queries as q
from tracker.db import StoreError
from tracker.enums import Brag
from tracker.errors import NotFound
from tracker.models import Plan, ReportingPeriod
from tracker.rules import RuleSettings
from tracker.services.base import unit_of_work


def test_current_plan_gives_the_fields_and_rule_settings(built, actor):  # noqa: F811
    store, ids = built
    with store.read() as s:
        plan = q.current_plan(s)
    assert plan.id == ids.plan
    assert plan.name == "Test Strategy 2024/25"
    assert plan.start_date == date(2024, 4, 1)
    assert plan.protective_marking == "OFFICIAL"
    assert plan.rule_settings == RuleSettings(14, 12, 4, 9, 15)
    assert plan.rag_definitions[Brag.RED] == "Off track; needs an SLT decision."
    assert plan.rag_definitions[Brag.GREY] == "Not started."

    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Plan, ids.plan), {"risk_appetite": 15, "slip_tolerance_days": 7})
        uow.changes()
    with store.read() as s:
        assert q.rule_settings(s) == RuleSettings(7, 15, 4, 9, 15)


def test_no_plan_is_a_clear_error(any_store):
    with any_store.read() as s, pytest.raises(StoreError, match="holds no plan"):
        q.current_plan(s)


def test_two_live_plans_is_a_clear_error_and_a_deleted_one_does_not_count(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        other = uow.create(Plan, name="Another plan", start_date=date(2025, 4, 1), end_date=date(2026, 3, 31))
        uow.changes()
    with store.read() as s, pytest.raises(StoreError, match="2 live plans"):
        q.current_plan(s)
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.delete(uow.get(Plan, other.id))
        uow.changes()
    with store.read() as s:
        assert q.current_plan(s).id == ids.plan


def test_periods_are_ordered_with_update_counts_and_deleted_ones_left_out(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.periods(s)
    assert [p.name for p in rows] == ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2025/26 Q1"]
    # Q1: six live objectives reported (the deleted objective's update is not counted);
    # Q2: seven (PEO-01.03's update was deleted).
    assert [p.n_updates for p in rows] == [6, 7, 0, 0]
    assert [p.status for p in rows] == ["closed", "closed", "open", "open"]
    assert rows[0].id == ids.period["Q1"]
    assert (rows[0].start, rows[0].end) == (date(2024, 4, 1), date(2024, 6, 30))
    assert rows[0].closed_at == datetime(2024, 6, 30, 17, tzinfo=UTC)
    assert rows[2].closed_at is None
    with store.read() as s:
        uncounted = q.periods(s, count_updates=False)
    assert uncounted == [p._replace(n_updates=0) for p in rows]


def test_latest_previous_and_same_period_last_year(built):  # noqa: F811
    store, ids = built
    p = ids.period
    with store.read() as s:
        assert q.latest_period_with_updates(s).id == p["Q2"]
        assert q.previous_period(s, p["Q2"]).id == p["Q1"]
        assert q.previous_period(s, p["NQ1"]).id == p["Q3"]
        assert q.previous_period(s, p["Q1"]) is None  # the deleted 2023/24 Q1 is not a period
        assert q.same_period_last_year(s, p["NQ1"]).id == p["Q1"]
        assert q.same_period_last_year(s, p["Q2"]) is None
        assert q.same_period_last_year(s, p["Q1"]) is None  # its match is deleted
        assert q.period(s, p["Q3"]).name == "2024/25 Q3"


def test_an_unknown_or_deleted_period_is_not_found(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        with pytest.raises(NotFound, match="There is no such reporting period in this plan"):
            q.previous_period(s, "nope")
        with pytest.raises(NotFound):
            q.same_period_last_year(s, ids.period["OLD"])


def test_latest_period_with_updates_is_none_without_updates(any_store, actor):
    with any_store.write() as s:
        uow = unit_of_work(s, actor)
        plan = uow.create(Plan, name="P", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31))
        uow.create(
            ReportingPeriod,
            plan_id=plan.id,
            name="Jan",
            start_date=date(2024, 1, 1),
            end_date=date(2024, 1, 31),
        )
        uow.changes()
    with any_store.read() as s:
        assert q.latest_period_with_updates(s) is None
        assert len(q.periods(s)) == 1


def test_same_period_last_year_from_29_february(any_store, actor):
    with any_store.write() as s:
        uow = unit_of_work(s, actor)
        plan = uow.create(Plan, name="P", start_date=date(2023, 1, 1), end_date=date(2024, 12, 31))
        made = {}
        for name, start, end in (
            ("Feb 23", date(2023, 2, 28), date(2023, 3, 27)),
            ("Mar 23", date(2023, 3, 28), date(2023, 4, 27)),
            ("Feb 24", date(2024, 2, 29), date(2024, 3, 27)),
        ):
            made[name] = uow.create(
                ReportingPeriod, plan_id=plan.id, name=name, start_date=start, end_date=end
            ).id
        uow.changes()
    with any_store.read() as s:
        assert q.same_period_last_year(s, made["Feb 24"]).name == "Feb 23"


def test_people_boards_themes_and_outcomes(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        everyone = q.people(s)
        active = q.people(s, active_only=True)
        boards = q.boards(s)
        themes = q.themes(s)
        outcomes = q.outcomes(s)
    # "Removed Person" is deleted; "Former Lead" is inactive.
    assert [p.name for p in everyone] == [
        "Former Lead",
        "Head of HR",
        "Head of Intelligence",
        "Programme Manager",
    ]
    assert [p.name for p in active] == ["Head of HR", "Head of Intelligence", "Programme Manager"]
    assert everyone[1].email == "B@x.org" and everyone[0].active is False
    assert [b.name for b in boards] == ["Finance Board", "Strategic Leadership Team"]
    assert [t.code for t in themes] == ["SER", "PEO", "GOV"]  # by ordinal; the deleted theme left out
    assert themes[0].id == ids.theme["SER"]
    assert [(o.theme_code, o.code) for o in outcomes] == [
        ("SER", "SER-01"),
        ("SER", "SER-02"),
        ("PEO", "PEO-01"),
    ]


def test_brag_counts_tally():
    counts = q.BragCounts.tally(["red", "grey", "red", q.NO_UPDATE])
    assert counts == q.BragCounts(red=2, grey=1, no_update=1)
    assert counts.total == 4
    assert counts.of("red") == 2 and counts.of(q.NO_UPDATE) == 1 and counts.of(Brag.AMBER) == 0
