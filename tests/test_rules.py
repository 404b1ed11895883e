"""The plan's rules as pure functions, case by case and at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.enums import Brag, Lifecycle, MilestoneState, Movement, RiskBand
from tracker.rules import (
    MilestoneFacts,
    RuleSettings,
    above_appetite,
    as_of_date,
    brag,
    brag_label,
    days_overdue,
    derive_rag,
    disagrees,
    implied_by_lifecycle,
    milestone_state,
    movement,
    needs_corrective_action,
    needs_rationale,
    risk_band,
    risk_score,
)

AS_OF = date(2024, 6, 30)
DAY = timedelta(days=1)
IN_PROGRESS = Lifecycle.IN_PROGRESS.value


def ago(days: int) -> date:
    return AS_OF - days * DAY


# ---------------------------------------------------------------------------------------------- milestones


@pytest.mark.parametrize(
    ("baseline", "forecast", "completed", "state"),
    [
        (ago(10), ago(10), ago(12), MilestoneState.COMPLETE),  # done, even though late
        (ago(-30), ago(-30), AS_OF, MilestoneState.COMPLETE),  # done on the day
        (ago(40), ago(1), None, MilestoneState.OVERDUE),
        (ago(40), ago(1), ago(-1), MilestoneState.OVERDUE),  # "completed" after the as-of date: not yet
        (ago(-10), AS_OF, None, MilestoneState.ON_TRACK),  # due today is not overdue
        (ago(-10), ago(-24), None, MilestoneState.ON_TRACK),  # 14 days later than baseline: within tolerance
        (ago(-10), ago(-25), None, MilestoneState.SLIPPING),  # 15 days: beyond it
        (ago(-10), ago(-5), None, MilestoneState.ON_TRACK),  # earlier than baseline
    ],
)
def test_milestone_state(baseline, forecast, completed, state) -> None:  # type: ignore[no-untyped-def]
    assert milestone_state(baseline, forecast, completed, as_of=AS_OF, tolerance_days=14) is state


def test_days_overdue_counts_only_unfinished_milestones_past_their_forecast() -> None:
    assert days_overdue(ago(9), None, as_of=AS_OF) == 9
    assert days_overdue(ago(9), ago(-1), as_of=AS_OF) == 9  # completed later than the as-of date
    assert days_overdue(ago(9), ago(2), as_of=AS_OF) == 0
    assert days_overdue(ago(-3), None, as_of=AS_OF) == 0


def test_a_period_is_judged_at_its_end_or_today_while_it_runs() -> None:
    assert as_of_date(date(2024, 3, 31), date(2024, 6, 1)) == date(2024, 3, 31)
    assert as_of_date(date(2024, 6, 30), date(2024, 6, 1)) == date(2024, 6, 1)


# ---------------------------------------------------------------------------------------------- risks


def test_risk_score_is_likelihood_times_impact_on_five_point_scales() -> None:
    assert risk_score(1, 1) == 1 and risk_score(3, 4) == 12 and risk_score(5, 5) == 25
    for bad in ((0, 3), (3, 6), (-1, 2)):
        with pytest.raises(ValueError, match="between 1 and 5"):
            risk_score(*bad)


@pytest.mark.parametrize(
    ("score", "band"),
    [(1, RiskBand.LOW), (4, RiskBand.LOW), (5, RiskBand.MEDIUM), (9, RiskBand.MEDIUM),
     (10, RiskBand.HIGH), (15, RiskBand.HIGH), (16, RiskBand.VERY_HIGH), (25, RiskBand.VERY_HIGH)],
)  # fmt: skip
def test_risk_band_boundaries(score: int, band: RiskBand) -> None:
    assert risk_band(score) is band


def test_risk_bands_and_appetite_follow_the_plans_settings() -> None:
    strict = RuleSettings(risk_appetite=6, risk_low_max=2, risk_medium_max=5, risk_high_max=8)
    assert risk_band(3, strict) is RiskBand.MEDIUM and risk_band(9, strict) is RiskBand.VERY_HIGH
    assert above_appetite(7, strict) and not above_appetite(6, strict)
    assert above_appetite(13) and not above_appetite(12)  # a new plan's appetite is 12


# ---------------------------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("lifecycle", "rag", "shown", "label"),
    [
        (Lifecycle.COMPLETE.value, "red", Brag.BLUE, "Complete"),
        (Lifecycle.CANCELLED.value, "green", Brag.GREY, "Cancelled"),
        (Lifecycle.NOT_STARTED.value, None, Brag.GREY, "Not started"),
        (None, None, Brag.GREY, "No update"),
        (IN_PROGRESS, None, Brag.GREY, "No RAG"),  # colour is never invented
        (Lifecycle.ON_HOLD.value, None, Brag.GREY, "No RAG"),
        (IN_PROGRESS, "amber", Brag.AMBER, "Amber"),
        (Lifecycle.ON_HOLD.value, "red", Brag.RED, "Red"),
    ],
)
def test_displayed_status_and_its_word(lifecycle, rag, shown, label) -> None:  # type: ignore[no-untyped-def]
    assert brag(lifecycle, rag) is shown
    assert brag_label(lifecycle, rag) == label


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        (Brag.RED, Brag.AMBER, Movement.IMPROVED),
        (Brag.GREEN, Brag.BLUE, Movement.IMPROVED),  # completed
        (Brag.GREEN, Brag.AMBER, Movement.DETERIORATED),
        (Brag.AMBER, Brag.GREY, Movement.DETERIORATED),  # stopped being delivered or reported
        (Brag.AMBER, Brag.AMBER, Movement.UNCHANGED),
        (Brag.GREY, Brag.GREY, Movement.UNCHANGED),
        (None, Brag.GREY, Movement.UNCHANGED),
        (None, Brag.GREEN, Movement.NEW),
        (Brag.GREY, Brag.RED, Movement.NEW),
        (Brag.RED, None, None),  # nothing to compare this period
    ],
)
def test_movement_between_two_periods(before, after, moved) -> None:  # type: ignore[no-untyped-def]
    assert movement(before, after) is moved


def test_a_change_of_rag_needs_a_rationale_and_red_a_corrective_action() -> None:
    assert needs_rationale(None, "green") and needs_rationale("green", "amber")
    assert not needs_rationale("amber", "amber") and not needs_rationale("amber", None)
    assert needs_corrective_action("red")
    assert not needs_corrective_action("amber") and not needs_corrective_action(None)


# ---------------------------------------------------------------------------------------------- derived RAG


def derived(milestones=(), scores=(), *, lifecycle=IN_PROGRESS, has_update=True):  # type: ignore[no-untyped-def]
    return derive_rag(lifecycle, milestones, scores, has_update=has_update, as_of=AS_OF, period_name="Q1")


def test_green_when_milestones_are_on_track_risks_within_appetite_and_updated() -> None:
    d = derived([MilestoneFacts(ago(-5), ago(-5)), MilestoneFacts(ago(30), ago(30), ago(31))], [12, 4])
    assert d.status is Brag.GREEN and "on track" in d.reason


def test_amber_reasons() -> None:
    within = MilestoneFacts(ago(20), ago(14))  # overdue by the tolerance, not beyond it
    slipping = MilestoneFacts(ago(-10), ago(-40))
    d = derived([within, slipping], [15], has_update=False)
    assert d.status is Brag.AMBER
    assert d.reasons == (
        "1 milestone overdue", "1 milestone slipping more than 14 days",
        "1 residual risk above appetite (score over 12)", "no update for Q1",
    )  # fmt: skip


def test_red_reasons_come_first_and_keep_the_amber_ones() -> None:
    late = MilestoneFacts(ago(40), ago(15))  # overdue by more than the tolerance
    d = derived([late, late, MilestoneFacts(ago(20), ago(3))], [20, 25, 13])
    assert d.status is Brag.RED
    assert d.reasons == (
        "2 milestones overdue by more than 14 days", "2 residual risks very high (highest 25)",
        "1 milestone overdue", "1 residual risk above appetite (score over 12)",
    )  # fmt: skip


def test_plain_tuples_derive_as_milestone_facts_do() -> None:
    facts = [
        MilestoneFacts(ago(40), ago(15)),
        MilestoneFacts(ago(-10), ago(-40)),
        MilestoneFacts(ago(9), ago(9), ago(2)),
    ]
    assert derived([tuple(f) for f in facts]) == derived(facts)


def test_closed_objectives_derive_their_own_status() -> None:
    late = [MilestoneFacts(ago(40), ago(30))]
    assert derived(late, lifecycle=Lifecycle.COMPLETE.value).status is Brag.BLUE
    not_started = derived(late, lifecycle=Lifecycle.NOT_STARTED.value)
    assert not_started.status is Brag.GREY and not_started.reason == "not started"


def test_only_two_colours_can_disagree() -> None:
    assert disagrees(Brag.GREEN, Brag.RED) and disagrees(Brag.AMBER, Brag.GREEN)
    assert not disagrees(Brag.RED, Brag.RED)
    assert not disagrees(Brag.BLUE, Brag.RED) and not disagrees(Brag.GREEN, Brag.GREY)


# ---------------------------------------------------------------------------------------------- implied changes


@pytest.mark.parametrize(
    ("change", "current", "implied"),
    [
        ({"lifecycle": "complete"}, {"lifecycle": IN_PROGRESS}, {"lifecycle": "complete", "rag": None, "progress_pct": 100}),
        ({"lifecycle": "complete", "progress_pct": 90}, {"lifecycle": IN_PROGRESS},
         {"lifecycle": "complete", "rag": None, "progress_pct": 90}),
        ({"lifecycle": "cancelled"}, {"lifecycle": IN_PROGRESS}, {"lifecycle": "cancelled", "rag": None}),
        ({"lifecycle": "not started", "rag": "red"}, {}, {"lifecycle": "not started", "rag": "red"}),
        ({"lifecycle": "on hold"}, {"lifecycle": IN_PROGRESS}, {"lifecycle": "on hold"}),
        ({"lifecycle": "complete"}, {"lifecycle": "complete"}, {"lifecycle": "complete"}),
        ({"lifecycle": "finished"}, {"lifecycle": IN_PROGRESS}, {"lifecycle": "finished"}),
        ({"rag": "amber"}, {"lifecycle": IN_PROGRESS}, {"rag": "amber"}),
    ],
)  # fmt: skip
def test_a_new_lifecycle_implies_its_rag_and_progress_unless_given(change, current, implied) -> None:  # type: ignore[no-untyped-def]
    assert implied_by_lifecycle(change, current=current) == implied
