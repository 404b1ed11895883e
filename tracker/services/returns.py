"""Period returns: recording that one was issued to a lead, received back, and applied; and the
return writers of the kinds whose returned rows need more than their update service.

A lead has one return per period (issuing again replaces the checksum, so the audit log keeps
every issue's checksum). Status moves issued -> received -> applied; issuing again after a
return was applied starts it over at issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from tracker.db import Actor
from tracker.errors import Problem, ValidationError
from tracker.models import Milestone, Objective, PeriodReturn, Person, ReportingPeriod
from tracker.services._common import require_pmo
from tracker.services.base import Changes, unit_of_work
from tracker.services.milestones import update_milestone
from tracker.services.risks import create_risk, update_risk

ISSUED, RECEIVED, APPLIED = "issued", "received", "applied"


@dataclass(frozen=True)
class ReturnedItem:
    """One item's fields from a previewed return, as its kind's return writer receives them."""

    item_id: str
    fields: Mapping[str, Any]  # the values to write, by field name
    revision: int  # the item's revision when previewed (a status: 0 when the period had none yet)
    period_id: str
    lead_name: str  # the lead who returned it, credited as the author of what it adds
    base: Mapping[str, Any] = field(default_factory=dict)  # the return's inputs as held when previewed
    lead_id: str = ""  # the lead who returned it: a new item is theirs
    new: bool = False  # a new item (a risk the lead raised): ``fields`` are what to create


def _find(session: Session, period_id: str, lead_id: str) -> PeriodReturn | None:
    return session.exec(
        select(PeriodReturn).where(PeriodReturn.period_id == period_id, PeriodReturn.lead_id == lead_id)
    ).first()


def record_return_issued(
    session: Session, *, actor: Actor, period_id: str, lead_id: str, file_name: str, checksum: str
) -> Changes:
    """Note that a return workbook was issued to the lead for the period (made, or made again)."""
    require_pmo(actor, "issue period returns")
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period")
    lead = uow.get(Person, lead_id, what="person")
    if len(checksum) != 64:
        raise ValidationError(Problem("checksum", "checksum: expected 64 hexadecimal characters"))
    values = {
        "status": ISSUED, "file_name": file_name[:300], "checksum": checksum, "issued_at": uow.at,
        "issued_by": actor.name, "received_at": None, "applied_at": None, "applied_by": "",
        "rows_applied": 0, "deleted": False,
    }  # fmt: skip
    row = _find(session, period.id, lead.id)
    if row is None:
        uow.create(PeriodReturn, period_id=period.id, lead_id=lead.id, **values)
    else:
        uow.update(row, values)
    return uow.changes(f"Issued the {period.name} return to {lead.name}")


def record_return_received(session: Session, *, actor: Actor, period_id: str, lead_id: str) -> Changes:
    """Note that the lead's return came back (no change once it is received or applied)."""
    require_pmo(actor, "receive a period return")
    uow = unit_of_work(session, actor)
    row = _issued(session, period_id, lead_id)
    if row.status != ISSUED:
        return uow.changes("")
    uow.update(row, {"status": RECEIVED, "received_at": uow.at})
    return uow.changes(f"Received the return from {_name(session, lead_id)}")


def record_return_applied(
    session: Session, *, actor: Actor, period_id: str, lead_id: str, rows_applied: int
) -> Changes:
    """Note that the lead's return was applied; applying it again with no rows changes nothing."""
    require_pmo(actor, "apply a period return")
    uow = unit_of_work(session, actor)
    row = _issued(session, period_id, lead_id)
    if row.status == APPLIED and rows_applied == 0:
        return uow.changes("")
    values = {
        "status": APPLIED,
        "applied_at": uow.at,
        "applied_by": actor.name,
        "rows_applied": row.rows_applied + rows_applied if row.status == APPLIED else rows_applied,
        "received_at": row.received_at or uow.at,
    }
    uow.update(row, values)
    return uow.changes(f"Applied the return from {_name(session, lead_id)}")


def _issued(session: Session, period_id: str, lead_id: str) -> PeriodReturn:
    row = _find(session, period_id, lead_id)
    if row is None or row.deleted:
        raise ValidationError(Problem("lead_id", "no return was issued to this lead for this period"))
    return row


def _name(session: Session, lead_id: str) -> str:
    person = session.get(Person, lead_id)
    return person.name if person is not None else "the lead"


# ---------------------------------------------------------------------------------------------- return writers

DATES = ("baseline_date", "forecast_date")  # a change of either needs a reason


def write_returned_milestone(session: Session, actor: Actor, item: ReturnedItem) -> Changes:
    """A milestone's dates from a period return; the reason for moving a date is added to its notes.

    The note says when, who (the lead) and in which period's return, what moved from what to
    what, and why, so the PMO reads it on the milestone and the audit log holds it as a change of
    the notes. A date moved without a reason is refused.
    """
    fields = dict(item.fields)
    reason = str(fields.pop("reason", "") or "").strip()
    moved = [f for f in DATES if f in fields]
    if moved and not reason:
        raise ValidationError(Problem("reason", "reason: a reason is needed for moving a milestone's date"))
    if moved:
        uow = unit_of_work(session, actor)
        row = uow.get(Milestone, item.item_id)
        period = uow.get(ReportingPeriod, item.period_id, what="reporting period")
        what = "; ".join(
            f"{f.replace('_', ' ')} moved from {_day(item.base.get(f, getattr(row, f)))} to {_day(fields[f])}"
            for f in moved
        )
        line = f"{uow.at:%d %b %Y}, {item.lead_name} in the {period.name} return: {what}. Reason: {reason}"
        fields["notes"] = f"{row.notes.rstrip()}\n\n{line}" if row.notes.strip() else line
    return update_milestone(
        session, actor=actor, milestone_id=item.item_id, changes=fields, expected_revision=item.revision
    )


def write_returned_risk(session: Session, actor: Actor, item: ReturnedItem) -> Changes:
    """A risk re-scored in a period return, or a new one the lead raised there (owned by the lead,
    on an objective they lead)."""
    if not item.new:
        return update_risk(
            session, actor=actor, risk_id=item.item_id, changes=item.fields, expected_revision=item.revision
        )
    objective = session.get(Objective, item.fields.get("objective_id"))
    if objective is None or objective.deleted or objective.lead_id != item.lead_id:
        raise ValidationError(
            Problem(
                "objective_id",
                f"objective: {item.lead_name} can raise a risk in a return only on an objective they lead",
            )
        )
    return create_risk(session, actor=actor, data={**item.fields, "owner_id": item.lead_id})


def _day(value: Any) -> str:
    return f"{value:%d %b %Y}" if value is not None else "no date"
