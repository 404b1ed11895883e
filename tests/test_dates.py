"""Dates as people write them (issue 12, item 12): one parser for forms, the command line and imports."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import as_typed, entry_text, parse_day
from tracker.schemas import MilestoneIn
from tracker.services import ValidationError, validate


@pytest.mark.parametrize("typed", ["31/03/2027", "31/3/2027", "31-03-2027", "2027-03-31", " 31/03/2027 "])
def test_the_ways_people_write_a_date_all_read_as_it(typed: str) -> None:
    assert parse_day(typed) == date(2027, 3, 31)
    assert as_typed(typed) == "2027-03-31"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("31/02/2027", "February 2027 has no day 31"),
        ("01/13/2027", "there is no month 13"),
        ("next week", "type it as DD/MM/YYYY"),
        ("03/31/2027", "there is no month 31"),
    ],
)
def test_a_date_that_is_not_one_is_refused_saying_why(typed: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_day(typed)
    assert as_typed(typed) == typed  # left for the service to refuse


def test_blank_is_no_date_and_entry_fields_show_dd_mm_yyyy() -> None:
    assert parse_day("  ") is None and entry_text(None) == ""
    assert entry_text(date(2027, 3, 1)) == "01/03/2027"


def test_services_take_uk_dates_and_name_the_field_of_an_impossible_one() -> None:
    good = validate(MilestoneIn, {"objective_id": "o", "title": "t", "baseline_date": "30/09/2030",
                                  "completed_date": ""})  # fmt: skip
    assert good.baseline_date == date(2030, 9, 30) and good.completed_date is None
    with pytest.raises(ValidationError) as caught:
        validate(MilestoneIn, {"objective_id": "o", "title": "t", "baseline_date": "30/09/2030",
                               "forecast_date": "31/02/2027"})  # fmt: skip
    [problem] = caught.value.problems
    assert problem.field == "forecast_date" and "February 2027 has no day 31" in problem.message
