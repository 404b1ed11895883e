"""The status workbook's register sheets: their columns, and each read row turned into cells.

Each register's columns are in the order they print: the reference and title first (frozen on
screen and repeated on each printed page), then the columns that print (``*_PRINTED`` of them, no
wider than a landscape A4 page at full size), then those kept on screen for filtering and copying,
which each sheet's note names (``*_NOTE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from tracker.enums import Brag, MilestoneState, Movement
from tracker.queries import MilestoneRow, PeriodObjectiveRow, RecommendationRow, RiskRow
from tracker.rules import DerivedRag

from .tables import Column

NO_UPDATE = "no update"


def status_word(brag: Brag) -> str:
    return {Brag.BLUE: "Complete", Brag.GREY: "Grey"}.get(brag, brag.value.capitalize())


_WORDS: dict[Any, tuple[str, str]] = {}


def word_of(state: Any) -> tuple[str, str]:
    """A state's (word, colour key): a milestone state, a risk band... Worked out once per state, since
    an enum's property costs a call per cell (100,000 milestones at scale)."""
    found = _WORDS.get(state)
    if found is None:
        found = _WORDS[state] = (state.label, state.value)
    return found


def movement_cell(m: Movement | None) -> tuple[str, str | None]:
    return (f"{m.arrow} {m.label}", m.value) if m is not None else ("", None)


# ---------------------------------------------------------------------------------------------- objectives

OBJECTIVE_COLUMNS = [
    Column("Ref", 9), Column("Objective", 32), Column("Lead", 16), Column("RAG", 10, "status"),
    Column("Previous RAG", 10, "status"), Column("Movement", 13, "status"), Column("Derived RAG", 10, "status"),
    Column("Progress", 9, "pct"),
    # on screen only
    # (wide, so that their text needs no more lines than the printed columns': rows are as tall as their
    # longest text, and a printed row would otherwise grow for text that does not print)
    Column("Theme", 14), Column("Outcome", 40), Column("4P", 12), Column("Derived RAG reason", 50),
    Column("Rationale", 60), Column("Corrective action", 60), Column("Commentary", 90), Column("Next steps", 70),
    Column("Reported by", 20), Column("Last updated", 17, "datetime"),
]  # fmt: skip
OBJECTIVE_PRINTED = 8
OBJECTIVE_NOTE = (
    "Printed: reference to progress. On screen only (columns I to R): theme, outcome, 4P, the derived "
    "RAG's reason, the lead's rationale, corrective action, commentary and next steps, who reported and "
    "when. The lead's words print on the sheet 'Updates'."
)


def status_cell(r: PeriodObjectiveRow) -> tuple[str, str]:
    return (r.label, r.brag.value if r.has_status else NO_UPDATE)


def objective_cells(r: PeriodObjectiveRow, derived: DerivedRag | None, has_previous: bool) -> list[Any]:
    if r.before is not None:
        before: tuple[str, str | None] = (r.before_label, r.before.value)
    else:
        before = ("No update", NO_UPDATE) if has_previous else ("", None)
    suggested = (status_word(derived.status), derived.status.value) if derived else ("", None)
    return [
        r.ref, r.title, r.lead_name, status_cell(r), before, movement_cell(r.movement), suggested,
        r.progress_pct if r.has_update else None,
        r.theme_name, f"{r.outcome_code} {r.outcome_title}".strip(), r.four_p.replace(",", ", "),
        derived.reason if derived else "", r.rationale, r.corrective_action, r.commentary, r.next_steps,
        r.author, r.reported_at,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- updates

UPDATE_COLUMNS = [
    Column("Ref", 9), Column("Objective", 24), Column("RAG", 10, "status"),
    Column("Rationale and corrective action", 26), Column("Commentary", 32), Column("Next steps", 19),
]  # fmt: skip
UPDATE_NOTE = "The lead's update for the period, as on the sheet 'Objectives' (which has each part in a column of its own)."


def update_cells(r: PeriodObjectiveRow) -> list[Any]:
    why = r.rationale
    if r.corrective_action:
        why = (
            f"{why}\n\nCorrective action: {r.corrective_action}"
            if why
            else f"Corrective action: {r.corrective_action}"
        )
    commentary = r.commentary or (f"Closed in {r.carried_from}: no update since." if r.carried_from else "")
    return [r.ref, r.title, status_cell(r), why, commentary, r.next_steps]


# ---------------------------------------------------------------------------------------------- milestones

MILESTONE_COLUMNS = [
    Column("Objective", 9), Column("Milestone", 34), Column("Owner", 15), Column("Baseline", 11, "date"),
    Column("Forecast", 11, "date"), Column("Completed", 11, "date"), Column("State", 11, "status"),
    Column("Days overdue", 9, "int"), Column("Slip (days)", 8, "int"),
    # on screen only
    Column("Theme", 14), Column("Notes", 80),
]  # fmt: skip
MILESTONE_PRINTED = 9
MILESTONE_NOTE = "On screen only (columns J and K): the theme and the notes."


def milestone_cells(m: MilestoneRow) -> list[Any]:
    return [
        m.objective_ref, m.title, m.owner_name, m.baseline_date, m.forecast_date, m.completed_date,
        word_of(m.state), m.days_overdue or None, m.slip_days or None, m.theme_name, m.notes,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- risks

RISK_COLUMNS = [
    Column("Ref", 7), Column("Risk", 27), Column("Owner", 14), Column("Status", 8),
    Column("Residual score", 8, "int"), Column("Residual band", 10, "status"), Column("Above appetite", 9, "status"),
    Column("Target score", 7, "int"), Column("Review date", 11, "date"), Column("Mitigations", 19),
    # on screen only
    Column("Objective", 11), Column("Theme", 24), Column("Inherent L×I", 9), Column("Inherent score", 8, "int"),
    Column("Inherent band", 11, "status"), Column("Residual L×I", 9), Column("Target L×I", 9),
    Column("Target band", 11, "status"), Column("Response", 10),
]  # fmt: skip
RISK_PRINTED = 10
RISK_NOTE = (
    "On screen only (columns K to S): the objective and theme, the inherent score, likelihood × impact of "
    "each score, the target band and the response. The heat map counts the open risks by likelihood and impact."
)


def risk_cells(r: RiskRow) -> list[Any]:
    return [
        r.ref, r.title, r.owner_name, r.status.capitalize(), r.residual_score,
        word_of(r.residual_band),
        ("Yes", "attention") if r.above_appetite else ("No", None), r.target_score, r.review_date, r.mitigations,
        r.objective_ref, r.theme_name, f"{r.inherent_likelihood}×{r.inherent_impact}", r.inherent_score,
        word_of(r.inherent_band), f"{r.residual_likelihood}×{r.residual_impact}",
        f"{r.target_likelihood}×{r.target_impact}", word_of(r.target_band),
        r.response.capitalize(),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- recommendations

RECOMMENDATION_COLUMNS = [
    Column("Ref", 9), Column("Recommendation", 30), Column("Body", 9), Column("Status", 13), Column("Owner", 13),
    Column("Due", 11, "date"), Column("Overdue", 8, "status"), Column("Latest progress note", 27),
    # on screen only
    Column("Report", 60), Column("Kind", 18), Column("Linked objectives", 30),
]  # fmt: skip
RECOMMENDATION_PRINTED = 8
RECOMMENDATION_NOTE = "On screen only (columns I to K): the inspection report, the kind of item and the objectives linked to it."


def recommendation_cells(r: RecommendationRow) -> list[Any]:
    note = (
        f"{r.latest_note_date:%d %b %Y}: {r.latest_note}"
        if r.latest_note_date and r.latest_note
        else r.latest_note
    )
    return [
        r.ref, r.text, r.body, r.status.capitalize(), r.owner_name, r.due_date,
        ("Yes", "overdue") if r.overdue else ("No", None), note, r.inspection_title, r.kind.capitalize(),
        ", ".join(r.objective_refs),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- changes

CHANGE_COLUMNS = [
    Column("Ref", 9), Column("Item", 30), Column("Change", 16, "status"), Column("Lead or owner", 14),
    Column("Was", 12), Column("Now", 12), Column("Detail", 27),
]  # fmt: skip


def changes(
    rows: list[PeriodObjectiveRow],
    milestones: list[MilestoneRow],
    recommendations: list[RecommendationRow],
    *,
    start: date,
    end: date,
    previous: str | None,
) -> Iterator[list[Any]]:
    """What changed in the period: status moves, milestones completed or gone overdue, recommendations
    closed. A change shows what was and what is, so never the same on both sides."""
    for row in _changes(rows, milestones, recommendations, start=start, end=end, previous=previous):
        if row[4] != row[5]:
            yield row


def _changes(
    rows: list[PeriodObjectiveRow],
    milestones: list[MilestoneRow],
    recommendations: list[RecommendationRow],
    *,
    start: date,
    end: date,
    previous: str | None,
) -> Iterator[list[Any]]:
    for kind in (Movement.DETERIORATED, Movement.IMPROVED, Movement.NEW):
        for r in rows:
            if r.movement is kind and (previous is not None or kind is Movement.NEW):
                was = r.before_label if r.before is not None else "No update"
                yield [
                    r.ref, r.title, (f"{kind.arrow} Status {kind.value}", kind.value), r.lead_name, was,
                    r.label, r.corrective_action or r.rationale,
                ]  # fmt: skip
    for m in milestones:
        if m.completed_date is not None and start <= m.completed_date <= end:
            yield [
                m.objective_ref, m.title, ("Milestone completed", "complete"), m.owner_name,
                f"Due {m.forecast_date:%d %b %Y}", f"Completed {m.completed_date:%d %b %Y}",
                f"Completed {_late(m.completed_date, m.baseline_date)}",
            ]  # fmt: skip
    for m in milestones:  # the state the query gives: an objective's closed milestones are not overdue
        if m.state == MilestoneState.OVERDUE and start <= m.forecast_date <= end:
            yield [
                m.objective_ref, m.title, ("Milestone became overdue", "overdue"), m.owner_name,
                f"Due {m.forecast_date:%d %b %Y}", f"Overdue ({_days(m.days_overdue)})",
                f"Not completed by its forecast date; {_days(m.days_overdue)} overdue at the period's as-of date",
            ]  # fmt: skip
    for c in recommendations:
        if c.closed_date is not None and start <= c.closed_date <= end:
            yield [
                c.ref, c.text, ("Recommendation closed", "complete"), c.owner_name, "Open",
                c.status.capitalize(), c.closure_rationale or f"{c.body}: {c.inspection_title}",
            ]  # fmt: skip


def _days(n: int) -> str:
    return f"{n:,} day{'' if n == 1 else 's'}"


def _late(done: date, baseline: date) -> str:
    days = (done - baseline).days
    if days > 0:
        return f"{_days(days)} after its baseline date ({baseline:%d %b %Y})"
    return "on or before its baseline date" if days == 0 else f"{_days(-days)} before its baseline date"
