"""Dated progress notes on inspection items, in the order such work usually goes, never claiming more than the status."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from tracker.enums import RecommendationStatus
from tracker.seed.phrases import long_date

EARLY = [
    "Gap analysis against the inspection report started; actions to be recorded in the delivery plan against {objectives}.",
    "Action plan drafted and recorded in the delivery plan against {objectives}.",
    "Initial meeting held with the forces' leads to agree the approach and timescales.",
]
MIDDLE = [
    "Progress reviewed at the Senior Leadership Team; the remaining actions are on track for {due}.",
    "Update given to the HMICFRS force liaison lead; no concerns raised about the approach.",
    "Evidence is being gathered to show the change is embedded ({evidence}).",
    "Quarterly update to the Command Team: actions progressing, with one dependency on force resourcing.",
]
LATE = {
    RecommendationStatus.PROPOSED_FOR_CLOSURE: [
        "Evidence pack compiled and submitted to the Senior Leadership Team with a proposal to close.",
    ],
    RecommendationStatus.CLOSED: ["Closure agreed by the Senior Leadership Team on the evidence provided."],
    RecommendationStatus.SUPERSEDED: [
        "Superseded by a later inspection finding; the open actions move across to it."
    ],
    RecommendationStatus.NOT_ACCEPTED: [
        "The Senior Leadership Team recorded its reasons for not accepting this item."
    ],
}
LATE_DEFAULT = [
    "Work continues; further progress will be reported to the Joint Audit, Risk and Assurance Panel.",
    "Actions re-baselined; the revised plan was noted by the Senior Leadership Team.",
]
EVIDENCE = [
    "revised terms of reference and meeting minutes",
    "performance reports provided to the forces",
    "updated delivery plan templates and guidance",
    "training records and dip-sample results",
]


def extra_notes(
    rng: random.Random, *, status: str, objectives: Sequence[str], due: date | None,
    published: date | None, existing: Sequence[date], as_at: date, want: int = 4,
) -> list[tuple[date, str]]:  # fmt: skip
    """Notes roughly a quarter apart from publication to ``as_at``, added until the item has about ``want``."""
    if status == RecommendationStatus.AWAITING_ALLOCATION:
        return []  # nothing has happened to it yet
    if published is None or published > as_at or len(existing) >= want - 1:
        return []
    values = {
        "objectives": ", ".join(objectives) or "the relevant objectives",
        "due": f"the due date of {long_date(due)}" if due else "the agreed date",
        "evidence": rng.choice(EVIDENCE),
    }
    days: list[date] = []
    day = published + timedelta(days=rng.randint(30, 60))
    while day <= as_at and len(existing) + len(days) < want:
        if all(abs((day - d).days) > 20 for d in existing):
            days.append(day)
        day += timedelta(days=rng.randint(80, 100))
    notes = []
    for n, day in enumerate(days):
        if n == 0:
            bank = EARLY
        elif n == len(days) - 1 and n > 1:
            bank = LATE.get(RecommendationStatus(status), LATE_DEFAULT)
        else:
            bank = MIDDLE
        notes.append((day, rng.choice(bank).format(**values)))
    return notes
