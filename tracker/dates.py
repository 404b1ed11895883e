"""Dates as people write them: 31/03/2027 typed, 31/03/2027 shown in entry fields, 31 Mar 2027 in prose.

One parser for every way a date comes in (a form, the command line, a spreadsheet cell): day first
as in the UK, with "/" or "-" (31/03/2027, 31/3/2027, 31-03-2027), or ISO (2027-03-31) for people
who paste it. An impossible date (31/02/2027) is refused with a message saying why.
"""

from __future__ import annotations

import re
from datetime import date

ENTRY_HINT = "DD/MM/YYYY"  # what an entry field shows while empty, and what an error asks for
_UK = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_day(text: str) -> date | None:
    """The date ``text`` names (None for blank); ValueError, in plain words, for anything else."""
    text = text.strip()
    if not text:
        return None
    if m := _UK.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(f"{text!r} is not a date (type it as {ENTRY_HINT}, for example 31/03/2027)")
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} is not a date (there is no month {month})")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date ({date(year, month, 1):%B %Y} has no day {day})") from None


def required_day(text: str) -> date:
    """Like :func:`parse_day`, but blank is refused too (a date the command line must be given)."""
    day = parse_day(text)
    if day is None:
        raise ValueError(f"a date is needed: type it as {ENTRY_HINT}, for example 31/03/2027")
    return day


def entry_text(value: date | None) -> str:
    """How an entry field shows ``value``: 31/03/2027 (blank for None)."""
    return f"{value:%d/%m/%Y}" if value is not None else ""


def as_typed(text: str) -> str:
    """``text`` as an ISO date when it names one, else as typed (so the service can name the problem)."""
    try:
        day = parse_day(text)
    except ValueError:
        return text.strip()
    return day.isoformat() if day is not None else ""
