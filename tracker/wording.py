"""Counts and lists in words, the way every message in the app says them."""

from __future__ import annotations

import re
from collections.abc import Iterable


def listing(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def name_and_role(name: str, role: str) -> tuple[str, ...]:
    """What to show of a person, each fact once: a role title holding the name (or held by it) stands alone.

    ('Jo Bloggs', 'Analyst') -> both; ('Chief Constable', 'Chief Constable') -> the name;
    ('Head of EMSOU', 'Head of EMSOU (DCS)') -> the role title. Whole words only: 'Al' is not in 'Analysis'.
    """

    def holds(longer: str, shorter: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer, re.IGNORECASE) is not None

    if not role or holds(name, role):
        return (name,)
    if holds(role, name):
        return (role,)
    return (name, role)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (plural_form or noun + 's')}"


def file_size(n: int) -> str:
    """'812 bytes', '4.2 KB', '13.6 MB', '1.1 GB'."""
    if n < 1024:
        return f"{n} bytes"
    size, unit = n / 1024, "KB"
    for bigger in ("MB", "GB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:.1f} {unit}"


# How the app names a field where the column's name does not read well on its own; any other field
# reads as its column name in words ("forecast_date" -> "Forecast date", "owner_id" -> "Owner").
FIELD_LABELS = {
    "rag": "RAG",
    "progress_pct": "Progress",
    "four_p": "4P",
    "ref": "Reference",
    "is_sample": "Sample data",
    "reopen_reason": "Reason for reopening",
    "superseded_by": "Carried over into",
    "slip_tolerance_days": "Slip tolerance (days)",
    "ordinal": "Position",
    "target_date": "End (target) date",
    "settings": "Settings reported with",
    "risk_low_max": "Low band up to",
    "risk_medium_max": "Medium band up to",
    "risk_high_max": "High band up to",
    "rag_green": "Green means",
    "rag_amber": "Amber means",
    "rag_red": "Red means",
    "rag_blue": "Blue means",
    "rag_grey": "Grey means",
}


def field_label(field: str) -> str:
    """A field as people read it: 'Progress' for progress_pct, 'Owner' for owner_id."""
    known = FIELD_LABELS.get(field)
    if known is not None:
        return known
    words = field.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]
