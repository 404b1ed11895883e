"""The input models on their own: no database."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.errors import ValidationError
from tracker.schemas import (
    MilestoneIn,
    ObjectiveEdit,
    PersonIn,
    PlanSettingsIn,
    RecommendationIn,
    StatusUpdateIn,
)
from tracker.services.base import validate

SETTINGS = {"name": "Plan", "start_date": "2024-04-01", "end_date": "2025-03-31",
            "rag_green": "g", "rag_amber": "a", "rag_red": "r", "rag_blue": "b", "rag_grey": "n",
            "risk_appetite": 12, "risk_low_max": 4, "risk_medium_max": 9, "risk_high_max": 15,
            "slip_tolerance_days": 14}  # fmt: skip


def problems(model, data, context=None):
    with pytest.raises(ValidationError) as info:
        validate(model, data, context=context)
    return {p.field: p.message for p in info.value.problems}


def test_words_are_accepted_in_any_case_and_stored_as_values():
    s = validate(StatusUpdateIn, {"lifecycle": "In Progress", "rag": "GREEN", "rationale": "r"})
    assert (s.lifecycle, s.rag) == ("in progress", "green")
    assert type(s.rag) is str


def test_rationale_rule_needs_the_context_and_compares_with_the_previous_rag():
    data = {"lifecycle": "in progress", "rag": "amber"}
    assert validate(StatusUpdateIn, data).rag == "amber"  # no context: the rule cannot be judged
    assert validate(StatusUpdateIn, data, context={"previous_rag": "amber"}).rag == "amber"
    assert "Green to Amber" in problems(StatusUpdateIn, data, {"previous_rag": "green"})["rationale"]
    assert "first RAG" in problems(StatusUpdateIn, data, {"previous_rag": None})["rationale"]


@pytest.mark.parametrize("lifecycle", ["not started", "complete", "cancelled"])
def test_no_rag_without_a_live_lifecycle(lifecycle):
    assert validate(StatusUpdateIn, {"lifecycle": lifecycle, "rag": ""}).rag is None
    assert "must be empty" in problems(StatusUpdateIn, {"lifecycle": lifecycle, "rag": "red"})["rag"]


def test_milestone_forecast_defaults_to_baseline_and_blank_ids_are_none():
    m = validate(
        MilestoneIn, {"objective_id": "o", "title": "t", "baseline_date": "2024-05-01", "owner_id": " "}
    )
    assert (m.forecast_date, m.owner_id) == (date(2024, 5, 1), None)


def test_closed_date_defaults_to_today_only_when_closed():
    base = {"inspection_id": "i", "ref": "R1", "text": "t", "owner_id": "p", "closure_rationale": "done"}
    assert validate(RecommendationIn, {**base, "status": "Closed"}).closed_date == date.today()
    assert validate(RecommendationIn, {**base, "status": "superseded"}).closed_date is None


def test_four_p_is_stored_in_canonical_order_without_repeats():
    edit = validate(
        ObjectiveEdit, {"ref": "SER-01.01", "title": "t", "four_p": ["prepare", "Pursue", "PURSUE"]}
    )
    assert edit.to_row()["four_p"] == "Pursue,Prepare"
    assert ObjectiveEdit.from_row(type("Row", (), {"four_p": "Protect,Prevent", "title": "t"})())["four_p"] == [
        "Protect", "Prevent",
    ]  # fmt: skip


def test_person_email_is_checked_loosely():
    assert validate(PersonIn, {"name": "A", "email": "a.b@force.police.uk"}).email == "a.b@force.police.uk"
    assert validate(PersonIn, {"name": "A", "email": ""}).email == ""
    assert "not an email" in problems(PersonIn, {"name": "A", "email": "a@b"})["email"]


def test_band_maxima_must_increase():
    assert validate(PlanSettingsIn, SETTINGS).risk_high_max == 15
    assert set(problems(PlanSettingsIn, {**SETTINGS, "risk_low_max": 9})) == {"risk_medium_max"}
    assert validate(
        PlanSettingsIn, {**SETTINGS, "protective_marking": "official-sensitive"}
    ).protective_marking == ("OFFICIAL-SENSITIVE")


def test_plan_settings_check_dates_frequency_and_the_bands_top():
    assert validate(PlanSettingsIn, {**SETTINGS, "period_frequency": "Monthly"}).period_frequency == "monthly"
    assert set(problems(PlanSettingsIn, {**SETTINGS, "period_frequency": "weekly"})) == {"period_frequency"}
    assert (
        "after the start date (01 Apr 2024)"
        in problems(PlanSettingsIn, {**SETTINGS, "end_date": "2024-04-01"})["end_date"]
    )
    assert set(problems(PlanSettingsIn, {**SETTINGS, "risk_high_max": 26, "risk_appetite": 0})) == {
        "risk_high_max", "risk_appetite",
    }  # fmt: skip
    assert set(problems(PlanSettingsIn, {**SETTINGS, "name": " "})) == {"name"}


def test_long_text_is_refused_before_a_spreadsheet_would_truncate_it():
    assert (
        "too long"
        in problems(StatusUpdateIn, {"lifecycle": "not started", "commentary": "x" * 30_001})["commentary"]
    )
