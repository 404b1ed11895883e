"""Recording an objective's status for a reporting period.

Rules (beyond the field rules in :class:`tracker.schemas.StatusUpdateIn`):

- the period must exist, belong to the objective's plan and be open; a closed period's updates are
  the record as reported to SLT (``ClosedPeriod``);
- "a change of RAG needs a rationale" compares with the RAG the objective reported for its
  previous period: the latest live update in a period that starts earlier (a missed return is
  skipped over). With no earlier update, any RAG is a change and needs a rationale. Editing this
  period's update again compares with the same previous period, so correcting Amber back to the
  previous period's Green needs no rationale;
- setting the lifecycle to not started, complete or cancelled clears the RAG unless a RAG is
  given (a RAG given with those is refused); complete sets progress to 100 unless a progress is
  given; ``author`` defaults to the person making the change;
- when this update is the objective's latest (no update in a later period), the objective's
  current lifecycle, RAG and progress follow it, in the same transaction, so undoing the update
  puts them back too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, func, select

from tracker.db import Actor
from tracker.enums import PeriodStatus
from tracker.errors import ClosedPeriod, ConflictError, Problem, ValidationError
from tracker.models import Objective, ReportingPeriod, StatusUpdate
from tracker.rules import brag_label, implied_by_lifecycle
from tracker.schemas import StatusUpdateIn
from tracker.services._common import as_changes, changed_values, retired_since
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.services.permissions import require_may_write
from tracker.services.returns import ReturnedItem

CURRENT_FIELDS = ("lifecycle", "rag", "progress_pct")


def record_status_update(
    session: Session,
    *,
    actor: Actor,
    objective_id: str,
    period_id: str,
    data: StatusUpdateIn | Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    """Create or change the objective's status update for the period (a mapping may give just some fields)."""
    uow = unit_of_work(session, actor)
    objective = uow.get(Objective, objective_id)
    require_may_write(session, actor, objective, f"record the status of {objective.ref}")
    period = open_period_of(uow, period_id, plan_id=objective.plan_id)
    retired = retired_since(session, objective)
    if retired is not None and retired <= period.start_date:
        raise ValidationError(
            Problem(
                "objective_id",
                f"{objective.ref} was retired from the plan on {retired:%d %b %Y}, so {period.name} does not "
                "report it. The PMO can reinstate it if it should be.",
            )
        )
    existing = session.exec(
        select(StatusUpdate).where(
            StatusUpdate.objective_id == objective.id, StatusUpdate.period_id == period.id
        )
    ).first()
    live = existing if existing is not None and not existing.deleted else None
    if expected_revision is not None:
        if live is None:
            raise ConflictError(
                f"The status update for {objective.ref} in {period.name} was removed since you opened it. "
                "Reload and try again."
            )
        uow.update(live, {}, expected_revision=expected_revision)

    base = StatusUpdateIn.from_row(live) if live else {}
    changes = implied_by_lifecycle(as_changes(data), current=base)
    valid = validate(
        StatusUpdateIn,
        {**base, **changes},
        context={"previous_rag": previous_rag(session, objective, period)},
    )
    values = valid.to_row() if live is None else changed_values(valid, changes)
    if not valid.author and (live is None or "author" in changes):
        values["author"] = actor.name

    if live is not None:
        changed = uow.update(live, values)
        if changed:
            uow.update(live, {"reported_at": uow.at})
    elif existing is not None:  # a tombstoned update for this pair (e.g. undone): it comes back
        changed = uow.update(existing, {**values, "deleted": False, "reported_at": uow.at})
    else:
        uow.create(StatusUpdate, objective_id=objective.id, period_id=period.id, reported_at=uow.at, **values)
        changed = list(values)
    if not changed:
        return uow.changes(f"No change to the status of {objective.ref} for {period.name}")

    if is_latest_update(session, objective.id, period):
        uow.update(objective, {name: getattr(valid, name) for name in CURRENT_FIELDS})
    verb = "Recorded" if live is None else "Updated"
    return uow.changes(
        f"{verb} {objective.ref} as {brag_label(valid.lifecycle, valid.rag)} for {period.name}"
    )


def write_returned_status(session: Session, actor: Actor, item: ReturnedItem) -> Changes:
    """A status from a period return, credited to the lead who returned it.

    With no update in the period yet (revision 0) the whole record is written: the return's inputs
    as they were held, with the returned fields and what a new lifecycle implies over them.
    """
    data = dict(item.fields, author=item.lead_name)
    if item.revision == 0:
        data = {**item.base, **implied_by_lifecycle(data, current=item.base)}
        return record_status_update(
            session, actor=actor, objective_id=item.item_id, period_id=item.period_id, data=data
        )
    return record_status_update(
        session, actor=actor, objective_id=item.item_id, period_id=item.period_id, data=data,
        expected_revision=item.revision,
    )  # fmt: skip


def open_period_of(uow: UnitOfWork, period_id: str, *, plan_id: str) -> ReportingPeriod:
    """The period, if it belongs to the plan and is open."""
    period = uow.get(ReportingPeriod, period_id, what="reporting period")
    if period.plan_id != plan_id:
        raise ValidationError(Problem("period_id", f"period: {period.name} belongs to another plan"))
    if period.status == PeriodStatus.CLOSED:
        raise ClosedPeriod(
            f"{period.name} is closed: its status updates are frozen as reported. "
            "The PMO can reopen it, giving a reason."
        )
    return period


def previous_rag(session: Session, objective: Objective, period: ReportingPeriod) -> str | None:
    """The RAG of the objective's latest update in a period that starts before this one (None if none)."""
    row = session.exec(
        select(StatusUpdate.rag)
        .join(ReportingPeriod, col(ReportingPeriod.id) == col(StatusUpdate.period_id))
        .where(
            StatusUpdate.objective_id == objective.id,
            StatusUpdate.deleted == False,  # noqa: E712
            ReportingPeriod.deleted == False,  # noqa: E712
            ReportingPeriod.plan_id == period.plan_id,
            ReportingPeriod.start_date < period.start_date,
        )
        .order_by(col(ReportingPeriod.start_date).desc())
        .limit(1)
    ).first()
    return row


def is_latest_update(session: Session, objective_id: str, period: ReportingPeriod) -> bool:
    """True when the objective has no live update in a period that starts later than this one."""
    later = session.exec(
        select(func.count())
        .select_from(StatusUpdate)
        .join(ReportingPeriod, col(ReportingPeriod.id) == col(StatusUpdate.period_id))
        .where(
            StatusUpdate.objective_id == objective_id,
            StatusUpdate.deleted == False,  # noqa: E712
            ReportingPeriod.deleted == False,  # noqa: E712
            ReportingPeriod.start_date > period.start_date,
        )
    ).one()
    return later == 0


def restore_status_update(session: Session, *, actor: Actor, status_update_id: str) -> Changes:
    """Bring back a removed status update, if its period is still open."""
    uow = unit_of_work(session, actor)
    row = uow.get(StatusUpdate, status_update_id, allow_deleted=True)
    if not row.deleted:
        return Changes(summary="That status update is not deleted")
    objective = uow.get(Objective, row.objective_id)
    require_may_write(session, actor, objective, f"restore a status update of {objective.ref}")
    period = open_period_of(uow, row.period_id, plan_id=objective.plan_id)
    uow.restore(row)
    if is_latest_update(session, objective.id, period):
        uow.update(objective, {name: getattr(row, name) for name in CURRENT_FIELDS})
    return uow.changes(f"Restored the status update for {objective.ref} in {period.name}")
