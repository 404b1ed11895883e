"""The status workbook's sheets about the period itself: exceptions, the RAG trend, milestones due in
the next 90 days, risk changes since the last period, and the returns: columns, notes and cells.

Each shows what its query gives, in the query's words and order: states by their labels, counts as
they come (see :mod:`tracker.queries`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from openpyxl.utils import get_column_letter

from tracker import queries as q
from tracker.queries.returns import ReturnTrackerRow
from tracker.queries.workbook import NOT_IN_PLAN, ObjectiveTrend, ObjectiveTrendRow, RiskChange, RiskChanges

from .status_registers import NO_UPDATE, word_of
from .tables import PAGE_UNITS, Column

# ---------------------------------------------------------------------------------------------- exceptions

EXCEPTION_COLUMNS = [
    Column("Ref", 9), Column("Objective", 26), Column("Exception", 14, "status"), Column("Lead", 14),
    Column("RAG", 10, "status"), Column("Detail", 28), Column("Corrective action", 19),
    # on screen only
    Column("Rationale", 60),
]  # fmt: skip
EXCEPTION_PRINTED = 7
EXCEPTION_KEYS = {  # the colour each kind of exception argues for
    "red": "red", "deteriorated": "deteriorated", "overdue milestone": "overdue",
    "risk above appetite": "attention", "derived status disagrees": "slipping",
}  # fmt: skip


def exception_note(period: str, previous: str | None, as_of: date, appetite: int) -> str:
    since = f"deteriorated since {previous}, " if previous else ""
    return (
        f"What needs SLT attention in {period}, as at {as_of:%d %b %Y}: objectives reported Red, {since}"
        f"milestones overdue at that date, open risks above appetite (a residual score above {appetite}) and "
        "derived statuses that disagree with the reported one; one row for each. On screen only (column H): "
        "the lead's rationale."
    )


def exception_cells(e: q.ExceptionRow) -> list[Any]:
    status = (e.status_label, e.status.value) if e.status is not None else ("", None)
    return [
        e.objective_ref, e.objective_title or "(a theme's risk)", (e.kind.label, EXCEPTION_KEYS.get(e.kind.value)),
        e.lead_name, status, e.detail, e.corrective_action, e.rationale,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- trend

TREND_FIXED = [Column("Ref", 9), Column("Objective", 26)]
TREND_PERIOD_WIDTH = 10.5  # "Cancelled" and "No update" in bold on one line
TREND_PRINTED_PERIODS = int((PAGE_UNITS - sum(c.width for c in TREND_FIXED)) // TREND_PERIOD_WIDTH)


def trend_columns(trend: ObjectiveTrend) -> list[Column]:
    return [*TREND_FIXED, *(Column(p.name, TREND_PERIOD_WIDTH, "status") for p in trend.periods)]


def trend_folded(trend: ObjectiveTrend) -> int:
    """How many of the earliest periods fold away so that the rest print across one page."""
    return max(0, len(trend.periods) - TREND_PRINTED_PERIODS)


def trend_note(trend: ObjectiveTrend) -> str:
    last, folded = trend.periods[-1].name, trend_folded(trend)
    note = (
        f"Each objective's status in every period up to {last}, none later: the period's update, or a "
        "closed status (complete or cancelled) carried forward until the next update. The counts under the "
        "table add up to the objectives in each period."
    )
    if any(c.key == NOT_IN_PLAN for r in trend.rows for c in r.cells):
        note += " Retired: out of the plan from that period on, and not counted in it."
    if folded:
        first, fixed = trend.periods[0].name, len(TREND_FIXED)
        columns = f"{get_column_letter(fixed + 1)} to {get_column_letter(fixed + folded)}"
        note += (
            f" The {folded} earliest periods ({first} to {trend.periods[folded - 1].name}) are folded away in "
            f"columns {columns} so that the latest {len(trend.periods) - folded} print across one page: open "
            "them with the + above the columns."
        )
    return note


def trend_cells(row: ObjectiveTrendRow) -> list[Any]:
    return [row.ref, row.title, *row.cells]  # each cell a (word, key) pair already


TREND_WORDS = {  # the count rows under the trend, in BragCounts order
    "red": "Red", "amber": "Amber", "green": "Green", "blue": "Complete (Blue)",
    "grey": "Grey: not started, cancelled or no RAG", NO_UPDATE: "No update",
}  # fmt: skip


def trend_counts(trend: ObjectiveTrend, counts: Iterable[q.TrendRow]) -> list[tuple[str, str, list[int]]]:
    """(label, status key, a count per period) for each status, then the total: the query's counts."""
    by_period = {r.period_id: r.counts for r in counts}
    shown = [by_period[p.id] for p in trend.periods]
    rows = [(TREND_WORDS[key], key, [c.of(key) for c in shown]) for key in q.STATUS_KEYS]
    return [*rows, ("Total", "", [c.total for c in shown])]


# ---------------------------------------------------------------------------------------------- due soon

UPCOMING_COLUMNS = [
    Column("Objective", 9), Column("Milestone", 36), Column("Owner", 16), Column("Forecast", 11, "date"),
    Column("Days to go", 9, "int"), Column("Baseline", 11, "date"), Column("State", 11, "status"),
    Column("Slip (days)", 8, "int"),
]  # fmt: skip


def upcoming_note(as_of: date, horizon_days: int, n: int) -> str:
    until = as_of + timedelta(days=horizon_days)
    return (
        f"Unfinished milestones forecast from {as_of:%d %b %Y} (the period's as-of date) to {until:%d %b %Y}, "
        f"the next {horizon_days} days, soonest first: {n:,}. Overdue ones are on the sheet 'Milestones'."
    )


def upcoming_cells(m: q.UpcomingMilestone, row: q.MilestoneRow | None, as_of: date) -> list[Any]:
    return [
        m.objective_ref, m.title, m.owner_name, m.forecast_date, (m.forecast_date - as_of).days,
        row.baseline_date if row else None, word_of(m.state), (row.slip_days or None) if row else None,
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------- risk changes

RISK_CHANGE_COLUMNS = [
    Column("Ref", 7), Column("Risk", 30), Column("Change", 12, "status"), Column("What", 11),
    Column("Was", 14), Column("Now", 14), Column("Owner", 14), Column("Changed on", 11, "date"),
    # on screen only
    Column("Changed by", 16),
]  # fmt: skip
RISK_CHANGE_PRINTED = 8
_CHANGE_WORDS = {
    "new": ("New", "new"), "closed": ("Closed", "complete"), "reopened": ("Reopened", "attention"),
    "removed": ("Removed", "unchanged"), "restored": ("Restored", "new"),
}  # fmt: skip
_RESCORED = {
    1: ("Re-scored higher", "deteriorated"),
    -1: ("Re-scored lower", "improved"),
    0: ("Re-scored", "unchanged"),
}


def risk_change_note(found: RiskChanges) -> str:
    window = f"from {found.since:%d %b %Y} to {found.until:%d %b %Y}"
    none = "" if found.rows else f" No risk was added, closed, reopened, re-scored or removed {window}."
    return (
        f"Risks added, closed, reopened, re-scored or removed {window} (since the last period, up to the "
        "period's as-of date), read from the audit log: risks keep no copy per period, and the log records "
        "every change. Each score is compared as it stood on the first and the last day, so a score "
        f"changed and changed back is not listed. On screen only (column I): who made the change.{none}"
    )


def risk_change_cells(c: RiskChange) -> list[Any]:
    word = (
        _RESCORED[c.direction] if c.change == "re-scored" else _CHANGE_WORDS.get(c.change, (c.change, None))
    )
    return [c.ref, c.title, word, c.what, c.was, c.now, c.owner_name, _local(c.at), c.by]


# ---------------------------------------------------------------------------------------------- returns

RETURN_COLUMNS = [
    Column("Lead", 18), Column("Objectives", 11, "int"), Column("Return", 14, "status"),
    Column("Issued", 10.5, "date"), Column("Received", 10.5, "date"), Column("Applied", 10.5, "date"),
    Column("Rows applied", 8, "int"), Column("Updates received", 9, "int"), Column("Updates expected", 9, "int"),
    Column("Missing updates", 19.5),
    # on screen only
    Column("Email", 30), Column("File", 40), Column("Applied by", 20),
]  # fmt: skip
RETURN_PRINTED = 10
RETURN_WORDS = {
    "not issued": ("Not issued", NO_UPDATE), "issued": ("Issued: outstanding", "attention"),
    "received": ("Received", "new"), "applied": ("Applied", "complete"),
}  # fmt: skip


def return_note(tracker: list[ReturnTrackerRow]) -> str:
    counts = Counter(r.status for r in tracker)
    parts = ", ".join(f"{counts[s]} {RETURN_WORDS.get(s, (s, ''))[0].lower()}" for s in _in_order(counts))
    return (
        f"Where each lead's period return is: {len(tracker)} leads, {parts}. Updates received and expected "
        "are the status updates the plan holds for the period, from a return or made in the app. "
        "On screen only (columns K to M): email, the return's file and who applied it."
    )


def _in_order(counts: Counter[str]) -> list[str]:
    return [s for s in RETURN_WORDS if counts[s]] + sorted(s for s in counts if s not in RETURN_WORDS)


def return_rows(tracker: list[ReturnTrackerRow], updates: Iterable[q.ReturnRow]) -> list[list[Any]]:
    """The tracker's leads in its order, then any lead with updates due but no return to track."""
    by_lead = {u.lead_id: u for u in updates}
    rows = []
    for r in tracker:
        u = by_lead.pop(r.lead_id, None)
        rows.append([
            r.lead_name, r.n_objectives, RETURN_WORDS.get(r.status, (r.status.capitalize(), None)),
            _local(r.issued_at), _local(r.received_at), _local(r.applied_at), r.rows_applied or None,
            *_updates(u), r.lead_email, r.file_name, r.applied_by,
        ])  # fmt: skip
    for u in by_lead.values():
        rows.append([u.lead_name, u.n_objectives, ("No return", None), None, None, None, None, *_updates(u),
                     u.lead_email, "", ""])  # fmt: skip
    return rows


def _updates(u: q.ReturnRow | None) -> list[Any]:
    if u is None:
        return [None, None, ""]
    return [u.n_received, u.n_expected, ", ".join(u.missing_refs)]


def _local(at: datetime | None) -> datetime | None:
    """A time as the audit log and the returns store it (UTC), in the computer's time zone, naive."""
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone().replace(tzinfo=None)
