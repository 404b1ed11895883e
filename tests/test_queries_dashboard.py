"""The dashboard's aggregates on the hand-built plan (tests/query_builders.py), every number known."""

from __future__ import annotations

from datetime import date

import pytest

from tests.query_builders import PLAN_ORDER, Q2_AS_OF, TODAY, built, refs  # noqa: F401 - fixture
from tracker import queries as q
from tracker.enums import OPEN_RECOMMENDATION_STATUSES, RiskBand
from tracker.errors import NotFound
from tracker.models import Milestone, Objective, Plan, Risk
from tracker.queries import BragCounts, Filters
from tracker.seed.sample import add_sample_progress
from tracker.seed.template import emsou_template, seed_plan
from tracker.services.base import unit_of_work

# red, amber, green, blue, grey, no update
Q1_ALL = BragCounts(0, 2, 4, 0, 0, 2)
Q2_ALL = BragCounts(1, 1, 2, 1, 2, 1)
NOTHING = BragCounts(0, 0, 0, 0, 0, 8)
# After Q2 nobody reported: PEO-01.01 (complete in Q2) and PEO-01.04 (cancelled) carry their status.
CARRIED = BragCounts(0, 0, 0, 1, 1, 6)

# ---------------------------------------------------------------------------------------------- by theme


def test_rag_by_theme_counts_every_status_including_complete_not_started_and_no_update(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.rag_by_theme(s, ids.period["Q2"])
    assert [(r.code, r.name) for r in rows] == [
        ("SER", "Service"),
        ("PEO", "People and culture"),
        ("GOV", "Governance"),
    ]
    assert [r.theme_id for r in rows] == [ids.theme["SER"], ids.theme["PEO"], ids.theme["GOV"]]
    ser, peo, gov = rows
    assert ser.counts == BragCounts(red=1, amber=1, green=2)
    assert peo.counts == BragCounts(blue=1, grey=2, no_update=1)
    assert gov.counts == BragCounts()
    # The ids behind each count, in plan order; the deleted objective's Red update is not counted.
    assert refs(ids, ser.ids["red"]) == ["SER-01.01"]
    assert refs(ids, ser.ids["amber"]) == ["SER-02.01"]
    assert refs(ids, ser.ids["green"]) == ["SER-01.02", "SER-02.02"]
    assert refs(ids, peo.ids["blue"]) == ["PEO-01.01"]
    assert refs(ids, peo.ids["grey"]) == ["PEO-01.02", "PEO-01.04"]
    assert refs(ids, peo.ids[q.NO_UPDATE]) == ["PEO-01.03"]  # its update was deleted
    assert all(v == () for v in gov.ids.values()) and set(gov.ids) == set(q.STATUS_KEYS)
    assert BragCounts(*map(sum, zip(*(r.counts for r in rows), strict=True))) == Q2_ALL


def test_rag_by_theme_in_another_period_and_filtered(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        q1 = q.rag_by_theme(s, ids.period["Q1"])
        q3 = q.rag_by_theme(s, ids.period["Q3"])
        peo = q.rag_by_theme(s, ids.period["Q2"], Filters(theme_id=ids.theme["PEO"]))
        lead_b = q.rag_by_theme(s, ids.period["Q2"], Filters(lead_id=ids.person["B"]))
        slt = q.rag_by_theme(s, ids.period["Q2"], Filters(board_id=ids.board["SLT"]))
    assert [r.counts for r in q1] == [
        BragCounts(amber=1, green=2, no_update=1),
        BragCounts(amber=1, green=2, no_update=1),
        BragCounts(),
    ]
    assert refs(ids, q1[0].ids[q.NO_UPDATE]) == ["SER-02.01"]
    assert [r.counts for r in q3] == [
        BragCounts(no_update=4),
        BragCounts(blue=1, grey=1, no_update=2),
        BragCounts(),
    ]
    assert refs(ids, q3[1].ids["blue"]) == ["PEO-01.01"] and refs(ids, q3[1].ids["grey"]) == ["PEO-01.04"]
    assert [(r.code, r.counts) for r in peo] == [("PEO", BragCounts(blue=1, grey=2, no_update=1))]
    assert [r.counts for r in lead_b] == [
        BragCounts(amber=1, green=1),
        BragCounts(grey=1, no_update=1),
        BragCounts(),
    ]
    assert [r.counts for r in slt] == [BragCounts(red=1, amber=1), BragCounts(), BragCounts()]


def test_rag_by_theme_of_an_unknown_or_deleted_period_is_not_found(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        with pytest.raises(NotFound):
            q.rag_by_theme(s, "no-such-period")
        with pytest.raises(NotFound):
            q.rag_by_theme(s, ids.period["OLD"])


# ---------------------------------------------------------------------------------------------- trend


def test_trend_counts_every_live_period_earliest_first(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.trend(s)
    assert [r.period_id for r in rows] == [ids.period[k] for k in ("Q1", "Q2", "Q3", "NQ1")]  # OLD is deleted
    assert [r.name for r in rows] == ["2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2025/26 Q1"]
    assert (rows[0].start, rows[0].end) == (date(2024, 4, 1), date(2024, 6, 30))
    assert [r.counts for r in rows] == [Q1_ALL, Q2_ALL, CARRIED, CARRIED]
    assert all(r.counts.total == len(PLAN_ORDER) for r in rows)


def test_trend_for_a_theme_and_with_filters(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        ser = q.trend(s, ids.theme["SER"])
        gov = q.trend(s, ids.theme["GOV"])
        lead_a = q.trend(s, filters=Filters(lead_id=ids.person["A"]))
        ser_by_filter = q.trend(s, filters=Filters(theme_id=ids.theme["SER"]))
    assert [r.counts for r in ser] == [
        BragCounts(amber=1, green=2, no_update=1), BragCounts(red=1, amber=1, green=2),
        BragCounts(no_update=4), BragCounts(no_update=4),
    ]  # fmt: skip
    assert ser_by_filter == ser
    assert [r.counts for r in gov] == [BragCounts()] * 4
    assert [r.counts for r in lead_a] == [
        BragCounts(amber=1, green=2), BragCounts(red=1, green=1, blue=1),
        BragCounts(blue=1, no_update=2), BragCounts(blue=1, no_update=2),
    ]  # fmt: skip


def test_trend_agrees_with_rag_by_theme_in_every_period(built):  # noqa: F811
    store, _ = built
    with store.read() as s:
        for row in q.trend(s):
            by_theme = [r.counts for r in q.rag_by_theme(s, row.period_id)]
            assert BragCounts(*map(sum, zip(*by_theme, strict=True))) == row.counts


# ---------------------------------------------------------------------------------------------- movement


def test_movement_since_the_period_before_with_the_items_behind_each(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        m = q.movement_summary(s, ids.period["Q2"])
    assert (m.period_id, m.compare_to_id) == (ids.period["Q2"], ids.period["Q1"])
    assert refs(ids, m.improved) == ["SER-01.02", "PEO-01.01"]  # Amber to Green; Green to Complete
    assert refs(ids, m.deteriorated) == ["SER-01.01", "PEO-01.04"]  # Green to Red; Green to Cancelled
    assert refs(ids, m.unchanged) == ["SER-02.02", "PEO-01.02"]  # Green to Green; Grey (no update) to Grey
    assert refs(ids, m.new) == ["SER-02.01"]  # no update in Q1
    assert refs(ids, m.no_update) == ["PEO-01.03"]
    assert m.counts == {"improved": 2, "deteriorated": 2, "unchanged": 2, "new": 1, q.NO_UPDATE: 1}


def test_movement_against_a_chosen_period_and_with_nothing_before(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        first = q.movement_summary(s, ids.period["Q1"])  # the deleted 2023/24 Q1 is not "before"
        later = q.movement_summary(s, ids.period["Q3"], compare_to=ids.period["Q1"])
        back = q.movement_summary(s, ids.period["Q1"], compare_to=ids.period["Q2"])
        peo = q.movement_summary(s, ids.period["Q2"], filters=Filters(theme_id=ids.theme["PEO"]))
    assert first.compare_to_id is None
    assert refs(ids, first.new) == [
        "SER-01.01",
        "SER-01.02",
        "SER-02.02",
        "PEO-01.01",
        "PEO-01.03",
        "PEO-01.04",
    ]
    assert refs(ids, first.no_update) == ["SER-02.01", "PEO-01.02"]
    assert first.improved == first.deteriorated == first.unchanged == ()
    assert later.compare_to_id == ids.period["Q1"]
    # Against Q1 the carried statuses did move: Green to Complete, Green to Cancelled.
    assert refs(ids, later.no_update) == [r for r in PLAN_ORDER if r not in ("PEO-01.01", "PEO-01.04")]
    assert refs(ids, later.improved) == ["PEO-01.01"] and refs(ids, later.deteriorated) == ["PEO-01.04"]
    assert later.new == later.unchanged == ()
    # Q1 against Q2: Red to Green improves, Green to Amber and Complete to Green deteriorate,
    # Cancelled to Green is new.
    assert refs(ids, back.improved) == ["SER-01.01"]
    assert refs(ids, back.deteriorated) == ["SER-01.02", "PEO-01.01"]
    assert refs(ids, back.unchanged) == ["SER-02.02"]
    assert refs(ids, back.new) == ["PEO-01.03", "PEO-01.04"]
    assert refs(ids, peo.improved) == ["PEO-01.01"]
    assert refs(ids, peo.deteriorated) == ["PEO-01.04"]
    assert peo.counts == {"improved": 1, "deteriorated": 1, "unchanged": 1, "new": 0, q.NO_UPDATE: 1}


# ---------------------------------------------------------------------------------------------- headline


def test_headline_for_a_closed_period(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        h = q.headline(s, ids.period["Q2"], today=TODAY)
    assert (h.period_id, h.period_name, h.as_of) == (ids.period["Q2"], "2024/25 Q2", Q2_AS_OF)
    assert h.n_objectives == 8
    assert h.by_status == Q2_ALL
    assert (h.not_started, h.cancelled) == (1, 1)
    assert h.overdue_milestones == 2  # M2 and M4; M7's objective is deleted, M3 is not due yet
    assert h.risks_above_appetite == 2  # R1 (16) and R3 (15); R4 is closed, R5 deleted
    assert h.open_recommendations == 3  # REC1, REC2, REC4; REC3 closed, REC5 deleted
    assert h.overdue_recommendations == 2  # REC1 (due 30 Jun) and REC4 (31 Aug)


def test_headline_for_the_running_period_is_as_of_today(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        h = q.headline(s, ids.period["Q3"], today=TODAY)
        early = q.headline(s, ids.period["Q2"], today=date(2024, 9, 24))
    assert h.as_of == TODAY
    assert h.by_status == CARRIED
    assert (h.not_started, h.cancelled) == (0, 1)  # PEO-01.04 carries its cancellation
    assert (h.overdue_milestones, h.risks_above_appetite, h.open_recommendations, h.overdue_recommendations) == (
        2, 2, 3, 2,
    )  # fmt: skip
    # On 24 Sep M4 (forecast 25 Sep) is not overdue yet.
    assert early.as_of == date(2024, 9, 24)
    assert early.overdue_milestones == 1


def test_headline_filtered_to_a_theme_and_a_lead(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        peo = q.headline(s, ids.period["Q2"], Filters(theme_id=ids.theme["PEO"]), today=TODAY)
        gov = q.headline(s, ids.period["Q2"], Filters(theme_id=ids.theme["GOV"]), today=TODAY)
        lead_a = q.headline(s, ids.period["Q2"], Filters(lead_id=ids.person["A"]), today=TODAY)
    assert (peo.n_objectives, peo.by_status) == (4, BragCounts(blue=1, grey=2, no_update=1))
    # REC4 answers PEO-01.01; R2 (9) is within appetite.
    assert (peo.overdue_milestones, peo.risks_above_appetite, peo.open_recommendations, peo.overdue_recommendations) == (
        0, 0, 1, 1,
    )  # fmt: skip
    # The theme-level risk R3 counts for its theme, though the theme has no objectives.
    assert (gov.n_objectives, gov.risks_above_appetite, gov.open_recommendations) == (0, 1, 0)
    assert (lead_a.n_objectives, lead_a.by_status) == (3, BragCounts(red=1, green=1, blue=1))
    # M2 (SER-01.01); REC1 and REC4 answer lead A's objectives; R1 and R3 are not on them.
    assert (lead_a.overdue_milestones, lead_a.risks_above_appetite, lead_a.open_recommendations) == (1, 0, 2)


def test_headline_does_not_count_milestones_of_an_objective_under_a_deleted_theme(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.create(
            Milestone, objective_id=ids.obj["DEL-01.01"], title="Hidden", baseline_date=date(2024, 6, 1),
            forecast_date=date(2024, 6, 1),
        )  # fmt: skip
        uow.changes()
    with store.read() as s:
        h = q.headline(s, ids.period["Q2"], today=TODAY)
        listed = [i for i in q.overdue_items(s, ids.period["Q2"], today=TODAY) if i.kind == "milestone"]
        register = q.milestone_rows(s, Filters(state="overdue"), as_of=Q2_AS_OF)
    assert h.overdue_milestones == len(listed) == len(register) == 2


# ---------------------------------------------------------------------------------------------- risks


def test_risk_matrix_residual_inherent_and_target(built):  # noqa: F811
    store, ids = built
    r = ids.risk
    with store.read() as s:
        residual = q.risk_matrix(s)
        inherent = q.risk_matrix(s, "inherent")
        target = q.risk_matrix(s, "target")
    assert (residual.kind, residual.appetite, residual.total) == ("residual", 12, 3)
    assert len(residual.cells) == 25
    assert [(c.likelihood, c.impact) for c in residual.cells[:6]] == [
        (5, 1),
        (5, 2),
        (5, 3),
        (5, 4),
        (5, 5),
        (4, 1),
    ]
    filled = {(c.likelihood, c.impact): c.ids for c in residual.cells if c.ids}
    assert filled == {(4, 4): (r["R1"],), (3, 3): (r["R2"],), (3, 5): (r["R3"],)}
    c = residual.cell(4, 4)
    assert (c.score, c.band, c.above_appetite, c.n) == (16, RiskBand.VERY_HIGH, True, 1)
    assert (residual.cell(3, 5).band, residual.cell(3, 5).above_appetite) == (RiskBand.HIGH, True)
    assert (residual.cell(3, 3).band, residual.cell(3, 3).above_appetite) == (RiskBand.MEDIUM, False)
    assert (residual.cell(4, 3).score, residual.cell(4, 3).above_appetite) == (
        12,
        False,
    )  # at appetite is within it
    assert residual.cell(1, 1).band is RiskBand.LOW
    # Inherent: before mitigation; the closed R4 (5x5) is still left out.
    assert {(c.likelihood, c.impact): c.ids for c in inherent.cells if c.ids} == {
        (5, 4): (r["R1"],), (4, 3): (r["R2"],), (5, 5): (r["R3"],),
    }  # fmt: skip
    assert {(c.likelihood, c.impact): c.ids for c in target.cells if c.ids} == {
        (2, 2): (r["R1"], r["R2"]), (1, 5): (r["R3"],),
    }  # fmt: skip


def test_risk_matrix_filtered_and_a_bad_kind(built, actor):  # noqa: F811
    store, ids = built
    with store.read() as s:
        gov = q.risk_matrix(s, filters=Filters(theme_id=ids.theme["GOV"]))
        ser = q.risk_matrix(s, filters=Filters(theme_id=ids.theme["SER"]))
        lead_b = q.risk_matrix(s, filters=Filters(lead_id=ids.person["B"]))
        with pytest.raises(ValueError, match="kind: 'current' is not one of residual, inherent, target"):
            q.risk_matrix(s, "current")
    assert [c.ids for c in gov.cells if c.ids] == [(ids.risk["R3"],)]
    assert [c.ids for c in ser.cells if c.ids] == [(ids.risk["R1"],)]
    assert lead_b.total == 2  # R1 and R2; the theme-level R3 has no lead
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.delete(uow.get(Objective, ids.obj["SER-02.01"]))
        uow.changes()
    with store.read() as s:
        assert q.risk_matrix(s).total == 2  # R1's objective is gone


def test_risk_matrix_bands_follow_the_plan_settings(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.update(uow.get(Plan, ids.plan), {"risk_appetite": 15, "risk_high_max": 16})
        uow.changes()
    with store.read() as s:
        m = q.risk_matrix(s)
    assert m.appetite == 15
    assert (m.cell(4, 4).band, m.cell(4, 4).above_appetite) == (RiskBand.HIGH, True)
    assert m.cell(3, 5).above_appetite is False


# ---------------------------------------------------------------------------------------------- recommendations


def test_recommendations_by_body_and_status_with_overdue(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.recommendations_by_body_status(s, Q2_AS_OF)
        later = q.recommendations_by_body_status(s, date(2025, 4, 1))
        before = q.recommendations_by_body_status(s, date(2024, 6, 30))
    assert rows == [
        ("HMICFRS", "awaiting allocation", 1, 0),
        ("HMICFRS", "being progressed", 1, 1),
        ("HMICFRS", "closed", 1, 0),  # due in January, but closed: never overdue
        ("internal audit", "proposed for closure", 1, 1),
    ]
    assert [r.n_overdue for r in later] == [1, 1, 0, 1]  # REC2 was due 31 Mar 2025
    assert [r.n_overdue for r in before] == [0, 0, 0, 0]  # due on the day is not overdue


def test_recommendations_by_body_and_status_filtered(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        ser = q.recommendations_by_body_status(s, Q2_AS_OF, Filters(theme_id=ids.theme["SER"]))
        peo = q.recommendations_by_body_status(s, Q2_AS_OF, Filters(theme_id=ids.theme["PEO"]))
        owner_b = q.recommendations_by_body_status(s, Q2_AS_OF, Filters(owner_id=ids.person["B"]))
        gov = q.recommendations_by_body_status(s, Q2_AS_OF, Filters(theme_id=ids.theme["GOV"]))
    assert ser == [("HMICFRS", "being progressed", 1, 1)]  # REC1 answers SER-01.01 and SER-02.02
    assert peo == [("internal audit", "proposed for closure", 1, 1)]  # REC4 answers PEO-01.01
    assert owner_b == [
        ("HMICFRS", "awaiting allocation", 1, 0),
        ("internal audit", "proposed for closure", 1, 1),
    ]
    assert gov == []


# ---------------------------------------------------------------------------------------------- returns


def test_returns_status_shows_which_leads_reported(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.returns_status(s, ids.period["Q2"])
    assert [r.lead_id for r in rows] == [ids.person["B"], ids.person["A"], None]  # by name; no lead last
    hr, intel, nobody = rows
    assert (hr.lead_name, hr.lead_email) == ("Head of HR", "B@x.org")
    # PEO-01.04's update (cancelled) counts as expected and received; PEO-01.03's was deleted.
    assert (hr.n_objectives, hr.n_expected, hr.n_received, hr.n_missing) == (4, 4, 3, 1)
    assert hr.missing_refs == ("PEO-01.03",) and hr.missing_ids == (ids.obj["PEO-01.03"],)
    assert (intel.n_objectives, intel.n_expected, intel.n_received, intel.missing_refs) == (3, 3, 3, ())
    assert (nobody.lead_name, nobody.lead_email) == ("No lead", "")
    assert (nobody.n_objectives, nobody.n_expected, nobody.n_received) == (1, 1, 1)


def test_returns_status_before_anyone_reported_expects_nothing_of_finished_objectives(built):  # noqa: F811
    store, ids = built
    with store.read() as s:
        rows = q.returns_status(s, ids.period["Q3"])
        only_a = q.returns_status(s, ids.period["Q3"], Filters(lead_id=ids.person["A"]))
    hr, intel, nobody = rows
    assert (hr.n_objectives, hr.n_expected, hr.n_received) == (4, 3, 0)  # PEO-01.04 is cancelled
    assert hr.missing_refs == ("SER-02.01", "SER-02.02", "PEO-01.03")
    assert (intel.n_objectives, intel.n_expected, intel.n_received) == (3, 2, 0)  # PEO-01.01 is complete
    assert intel.missing_refs == ("SER-01.01", "SER-01.02")
    assert (nobody.n_expected, nobody.missing_refs) == (1, ("PEO-01.02",))  # not started still reports
    assert only_a == [intel]


# ---------------------------------------------------------------------------------------------- consistency


def test_a_deleted_risk_or_objective_changes_the_numbers(built, actor):  # noqa: F811
    store, ids = built
    with store.write() as s:
        uow = unit_of_work(s, actor)
        uow.delete(uow.get(Risk, ids.risk["R3"]))
        uow.delete(uow.get(Objective, ids.obj["SER-02.02"]))
        uow.changes()
    with store.read() as s:
        h = q.headline(s, ids.period["Q2"], today=TODAY)
        by_theme = q.rag_by_theme(s, ids.period["Q2"])
    assert (h.n_objectives, h.risks_above_appetite, h.overdue_milestones) == (
        7,
        1,
        1,
    )  # M4 went with SER-02.02
    assert by_theme[0].counts == BragCounts(red=1, amber=1, green=1)
    assert h.open_recommendations == 3  # REC1 still answers SER-01.01


def test_the_aggregates_agree_with_each_other_on_the_sample_plan(any_store, actor):
    with any_store.write() as s:
        seed_plan(s, actor=actor, template=emsou_template())
    with any_store.write() as s:
        add_sample_progress(s, actor=actor)
    with any_store.read() as s:
        latest = q.latest_period_with_updates(s)
        assert latest is not None
        pid, today = latest.id, latest.end
        n = len(q.objective_rows(s))
        by_theme = q.rag_by_theme(s, pid)
        total = BragCounts(*map(sum, zip(*(r.counts for r in by_theme), strict=True)))
        h = q.headline(s, pid, today=today)
        trend_row = next(r for r in q.trend(s) if r.period_id == pid)
        moved = q.movement_summary(s, pid)
        returns = q.returns_status(s, pid)
        derived = q.derived_rags(s, pid, today=today)
        found = q.exceptions(s, pid, today=today)
        matrix = q.risk_matrix(s)
        risks = q.risk_rows(s)
        bodies = q.recommendations_by_body_status(s, h.as_of)
        overdue = q.overdue_items(s, pid, today=today)
        milestones = q.milestone_rows(s, Filters(state="overdue"), as_of=h.as_of)
        carried = [x for x in q.dashboard_data(s, pid, today=today).statuses if x.is_carried]
    assert n > 50 and total.total == n and len(q.STATUS_KEYS) == len(total)
    assert total == h.by_status == trend_row.counts and h.n_objectives == n
    assert sum(moved.counts.values()) == n and len(moved.no_update) == total.no_update
    assert sum(r.n_objectives for r in returns) == n
    assert sum(r.n_received for r in returns) == latest.n_updates
    assert sum(r.n_missing for r in returns) == total.no_update  # closed earlier: carried, not chased
    assert len(carried) == n - total.no_update - latest.n_updates
    assert len(derived) == n
    kinds = [r.kind for r in found]
    assert kinds.count(q.ExceptionKind.RED) == total.red
    assert kinds.count(q.ExceptionKind.OVERDUE_MILESTONE) == h.overdue_milestones == len(milestones)
    assert h.overdue_milestones == sum(i.kind == "milestone" for i in overdue)
    above = [r for r in risks if r.above_appetite]
    assert kinds.count(q.ExceptionKind.RISK_ABOVE_APPETITE) == h.risks_above_appetite == len(above)
    assert sum(c.n for c in matrix.cells if c.above_appetite) == len(above)
    assert matrix.total == sum(r.status == "open" for r in risks)
    assert kinds.count(q.ExceptionKind.DETERIORATED) == len(moved.deteriorated)
    open_rows = [b for b in bodies if b.status in OPEN_RECOMMENDATION_STATUSES]
    assert h.open_recommendations == sum(b.n for b in open_rows)
    assert (
        h.overdue_recommendations
        == sum(b.n_overdue for b in bodies)
        == sum(i.kind == "recommendation" for i in overdue)
    )
