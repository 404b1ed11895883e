"""The pack's fixed words: dates, the glossary (worded from the plan's source documents), definitions."""

from __future__ import annotations

from datetime import date

from tracker.enums import Movement
from tracker.queries import NO_UPDATE

# Where each meaning is worded from: the EMSOU Strategy 2021/22 and the 2024 report to the Joint
# Audit, Risk and Assurance Panel on progress since the March 2023 inspection.
STRATEGY = "EMSOU Strategy 2021/22"
AUDIT_PANEL = "Report to the Joint Audit, Risk and Assurance Panel, April 2024"

GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("4P", "The nationally recognised ‘4P’ approach to delivery plans (Protect, Prepare, Prevent and Pursue). "
     "We will PREVENT criminality and safeguard people from serious and organised crime, terrorism and "
     "exploitation; relentlessly PURSUE those who cause most harm; PROTECT our communities both physically "
     "and online; PREPARE our teams and partners to meet and mitigate current and emerging threats. Each "
     "objective is tagged with the strands it serves.", f"{AUDIT_PANEL}; {STRATEGY}"),
    ("EMSOU", "East Midlands Special Operations Unit: a collaboration of specially trained officers and staff "
     "from the police forces of Derbyshire, Lincolnshire, Leicestershire, Northamptonshire and "
     "Nottinghamshire, tackling the most serious, organised and violent crime, including terrorism.", AUDIT_PANEL),
    ("HMICFRS", "His Majesty’s Inspectorate of Constabulary and Fire & Rescue Services. In March 2023 HMICFRS "
     "found EMSOU’s activity on tackling serious and organised crime to be inadequate, and highlighted a "
     "number of areas of improvement and development (its causes of concern, recommendations and areas for "
     "improvement are tracked in this plan).", AUDIT_PANEL),
    ("ROCU", "Regional and Organised Crime Unit: it uses a combination of covert and overt specialist tactics "
     "to gather evidence, make arrests and cause significant disruption to serious criminal activity in the "
     "East Midlands, tackling organised crime groups involved in drugs and firearms supply, cybercrime, human "
     "trafficking and modern slavery and money laundering.", STRATEGY),
    ("SOC", "Serious and organised crime, as in ‘the SOC review’ and ‘national SOC system tasking’.",
     f"{STRATEGY}; {AUDIT_PANEL}"),
)  # fmt: skip


def uk(d: date | None) -> str:
    """A date as a reader in the UK writes it: 31 Mar 2024."""
    return "" if d is None else f"{d:%d %b %Y}"


def days(n: int) -> str:
    return f"{n:,} day{'' if n == 1 else 's'}"


def movement_words(key: str) -> tuple[str, str]:
    """(arrow, word) for a key of ``MovementSummary.counts``: a Movement value or "no update"."""
    try:
        m = Movement(key)
    except ValueError:
        return ("–" if key == NO_UPDATE else "·"), key.capitalize()
    return m.arrow, m.label


MOVEMENT_MEANINGS = {
    "improved": "The status is better than in the period compared with (Red to Amber, Amber to Green, "
    "or completed).",
    "deteriorated": "The status is worse than in the period compared with, or the objective stopped being "
    "delivered or reported.",
    "unchanged": "The same status as in the period compared with.",
    "new": "A status this period and none (or Grey) in the period compared with.",
    NO_UPDATE: "No status update for this period: there is no movement to show.",
}

MILESTONE_MEANINGS = {
    "complete": "Completed on or before the as-of date.",
    "on track": "Not complete; forecast no later than its baseline date plus the slip tolerance.",
    "slipping": "Not complete; forecast later than its baseline date by more than the slip tolerance.",
    "overdue": "Not complete and its forecast date has passed (counted to the period's as-of date).",
    "not pursued": "Its objective was cancelled, completed or retired from the plan, so it is no longer "
    "pursued and is never counted as overdue.",
}
