"""The status workbook's register sheets: their columns, and each read row turned into cells."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from tracker.enums import Brag, Movement
from tracker.queries import MilestoneRow, PeriodObjectiveRow, RecommendationRow, RiskRow
from tracker.rules import DerivedRag

from .tables import Column

NO_UPDATE = "no update"


def status_word(brag: Brag) -> str:
    return {Brag.BLUE: "Complete", Brag.GREY: "Grey"}.get(brag, brag.value.capitalize())


def movement_cell(m: Movement | None) -> tuple[str, str | None]:
    return (f"{m.arrow} {m.label}", m.value) if m is not None else ("", None)


# ---------------------------------------------------------------------------------------------- objectives

OBJECTIVE_COLUMNS = [
    Column("Ref", 11), Column("Theme", 14), Column("Outcome", 24), Column("Objective", 36),
    Column("Lead", 18), Column("4P", 10), Column("RAG", 11, "status"), Column("Previous RAG", 11, "status"),
    Column("Movement", 14, "status"), Column("Derived RAG", 10, "status"), Column("Derived RAG reason", 28),
    Column("Progress", 9, "pct"), Column("Rationale", 32), Column("Corrective action", 30),
    Column("Commentary", 48), Column("Next steps", 32), Column("Reported by", 16),
    Column("Last updated", 17, "datetime"),
]  # fmt: skip


def objective_cells(r: PeriodObjectiveRow, derived: DerivedRag | None, has_previous: bool) -> list[Any]:
    rag = (r.label, r.brag.value if r.has_status else NO_UPDATE)
    if r.before is not None:
        before: tuple[str, str | None] = (r.before_label, r.before.value)
    else:
        before = ("No update", NO_UPDATE) if has_previous else ("", None)
    suggested = (status_word(derived.status), derived.status.value) if derived else ("", None)
    return [
        r.ref, r.theme_name, f"{r.outcome_code} {r.outcome_title}".strip(), r.title, r.lead_name,
        r.four_p.replace(",", ", "), rag, before, movement_cell(r.movement), suggested,
        derived.reason if derived else "", r.progress_pct if r.has_update else None, r.rationale,
        r.corrective_action, r.commentary, r.next_steps, r.author, r.reported_at,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- milestones

MILESTONE_COLUMNS = [
    Column("Objective", 11), Column("Theme", 14), Column("Milestone", 40), Column("Owner", 18),
    Column("Baseline", 12, "date"), Column("Forecast", 12, "date"), Column("Completed", 12, "date"),
    Column("State", 11, "status"), Column("Days overdue", 9, "int"), Column("Slip (days)", 9, "int"),
    Column("Notes", 36),
]  # fmt: skip


def milestone_cells(m: MilestoneRow) -> list[Any]:
    return [
        m.objective_ref, m.theme_name, m.title, m.owner_name, m.baseline_date, m.forecast_date,
        m.completed_date, (m.state.label, m.state.value), m.days_overdue or None, m.slip_days or None, m.notes,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- risks

RISK_COLUMNS = [
    Column("Ref", 8), Column("Risk", 36), Column("Theme", 14), Column("Objective", 11), Column("Owner", 18),
    Column("Inherent L×I", 9), Column("Inherent score", 8, "int"), Column("Inherent band", 11, "status"),
    Column("Residual L×I", 9), Column("Residual score", 8, "int"), Column("Residual band", 11, "status"),
    Column("Target L×I", 9), Column("Target score", 8, "int"), Column("Target band", 11, "status"),
    Column("Above appetite", 9, "status"), Column("Response", 10), Column("Status", 8),
    Column("Review date", 12, "date"), Column("Mitigations", 40),
]  # fmt: skip


def risk_cells(r: RiskRow) -> list[Any]:
    return [
        r.ref, r.title, r.theme_name, r.objective_ref, r.owner_name,
        f"{r.inherent_likelihood}×{r.inherent_impact}", r.inherent_score,
        (r.inherent_band.label, r.inherent_band.value),
        f"{r.residual_likelihood}×{r.residual_impact}", r.residual_score,
        (r.residual_band.label, r.residual_band.value),
        f"{r.target_likelihood}×{r.target_impact}", r.target_score, (r.target_band.label, r.target_band.value),
        ("Yes", "attention") if r.above_appetite else ("No", None), r.response.capitalize(),
        r.status.capitalize(), r.review_date, r.mitigations,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- recommendations

RECOMMENDATION_COLUMNS = [
    Column("Body", 14), Column("Report", 26), Column("Kind", 15), Column("Ref", 11),
    Column("Recommendation", 44), Column("Status", 17), Column("Owner", 18), Column("Due", 12, "date"),
    Column("Overdue", 9, "status"), Column("Latest progress note", 44), Column("Linked objectives", 18),
]  # fmt: skip


def recommendation_cells(r: RecommendationRow) -> list[Any]:
    note = (
        f"{r.latest_note_date:%d %b %Y}: {r.latest_note}"
        if r.latest_note_date and r.latest_note
        else r.latest_note
    )
    return [
        r.body, r.inspection_title, r.kind.capitalize(), r.ref, r.text, r.status.capitalize(), r.owner_name,
        r.due_date, ("Yes", "overdue") if r.overdue else ("No", None), note, ", ".join(r.objective_refs),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- changes

CHANGE_COLUMNS = [
    Column("Change", 22, "status"), Column("Ref", 11), Column("Item", 44), Column("Lead or owner", 18),
    Column("Was", 13), Column("Now", 13), Column("Detail", 60),
]  # fmt: skip


def changes(
    rows: list[PeriodObjectiveRow],
    milestones: list[MilestoneRow],
    recommendations: list[RecommendationRow],
    *,
    start: date,
    end: date,
    as_of: date,
    previous: str | None,
) -> Iterator[list[Any]]:
    """What changed in the period: status moves, milestones completed or gone overdue, recommendations closed."""
    kinds = [Movement.DETERIORATED, Movement.IMPROVED, Movement.NEW]
    for kind in kinds:
        for r in rows:
            if r.movement is kind and (previous is not None or kind is Movement.NEW):
                was = r.before_label if r.before is not None else "No update"
                yield [
                    (f"{kind.arrow} Status {kind.value}", kind.value), r.ref, r.title, r.lead_name, was,
                    r.label, r.corrective_action or r.rationale,
                ]  # fmt: skip
    for m in milestones:
        if m.completed_date is not None and start <= m.completed_date <= end:
            yield [
                ("Milestone completed", "complete"), m.objective_ref, m.title, m.owner_name,
                f"{m.forecast_date:%d %b %Y}", f"{m.completed_date:%d %b %Y}",
                f"Completed {_late(m.completed_date, m.baseline_date)}",
            ]  # fmt: skip
    for m in milestones:
        if m.completed_date is None and start <= m.forecast_date <= end and m.forecast_date < as_of:
            yield [
                ("Milestone became overdue", "overdue"), m.objective_ref, m.title, m.owner_name,
                "Forecast", "Overdue", f"Forecast for {m.forecast_date:%d %b %Y}; {m.days_overdue} days overdue",
            ]  # fmt: skip
    for c in recommendations:
        if c.closed_date is not None and start <= c.closed_date <= end:
            yield [
                ("Recommendation closed", "complete"), c.ref, c.text, c.owner_name, "Open",
                c.status.capitalize(), c.closure_rationale or f"{c.body}: {c.inspection_title}",
            ]  # fmt: skip


def _late(done: date, baseline: date) -> str:
    days = (done - baseline).days
    if days > 0:
        return f"{days} days after its baseline date ({baseline:%d %b %Y})"
    return "on or before its baseline date" if days == 0 else f"{-days} days before its baseline date"
