"""What a cell read from a workbook holds, as the plan workbook and the period returns both read it.

Kept apart from :mod:`tracker.workbooks.cells` so that reading a value does not import openpyxl.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.dates import parse_day

# what people also type into a cell, beyond what tracker.dates reads: 31/03/25, 31 Mar 2025, 31 March 2025
_MORE_DATES = ("%d/%m/%y", "%d %b %Y", "%d %B %Y")


def number_text(raw: Any) -> str:
    """A number as text, a whole one without its ".0" (a code typed as 12 is read as 12.0)."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def whole(raw: Any) -> int | None:
    """A whole number, from a number or its text (None for anything else, a fraction or a yes/no)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str):
        try:
            number = float(raw)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def cell_date(raw: Any) -> date | None:
    """A day, from a date cell or a date typed as text (None for anything else, or a time of day)."""
    if isinstance(raw, datetime):
        return raw.date() if raw.time() == datetime.min.time() else None
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        return parse_day(raw)
    except ValueError:
        pass
    for fmt in _MORE_DATES:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None
