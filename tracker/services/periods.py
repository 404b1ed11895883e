"""Reporting periods: open one, close it (freezing its updates as reported), and reopen it with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from tracker.audit import REOPEN_REASON
from tracker.autobackup import BEFORE_CLOSE, backed_up
from tracker.db import Actor
from tracker.enums import PeriodStatus
from tracker.errors import Problem, ValidationError
from tracker.models import Kind, PeriodReport, Plan, ReportingPeriod, reported_settings
from tracker.schemas import LONG_TEXT_MAX, PeriodIn, PeriodReportIn, PeriodReturnsIn
from tracker.services._common import as_changes, fail_if, require_pmo, resolve_plan, update_from
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.wording import listing


def open_period(
    session: Session, *, actor: Actor, data: PeriodIn | Mapping[str, Any], plan_id: str | None = None
) -> Changes:
    """Add a reporting period to the plan (the store's only plan when none is named)."""
    require_pmo(actor, "open a reporting period")
    uow = unit_of_work(session, actor)
    plan = resolve_plan(uow, plan_id)
    valid = validate(PeriodIn, as_changes(data))
    same_name = session.exec(
        select(ReportingPeriod).where(ReportingPeriod.plan_id == plan.id, ReportingPeriod.name == valid.name)
    ).first()
    fail_if(_fit_problems(uow, plan.id, valid.name, valid.start_date, valid.end_date, own_id=None))
    values = {
        "name": valid.name,
        "start_date": valid.start_date,
        "end_date": valid.end_date,
        "status": PeriodStatus.OPEN.value,
        "closed_at": None,
        "closed_by": "",
    }
    if same_name is not None:  # a removed period of that name: the unique name makes it come back
        uow.update(same_name, {**values, "deleted": False})
    else:
        uow.create(ReportingPeriod, plan_id=plan.id, **values)
    return uow.changes(f"Opened {valid.name} ({_span(valid.start_date, valid.end_date)})")


def close_period(session: Session, *, actor: Actor, period_id: str) -> Changes:
    """Close the period: its status updates become the record as reported and can no longer change."""
    require_pmo(actor, "close a reporting period")  # before the backup: a refusal takes none
    return _close(session, actor=actor, period_id=period_id)


@backed_up(BEFORE_CLOSE, "Closing the period")
def _close(session: Session, *, actor: Actor, period_id: str) -> Changes:
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period")
    if period.status == PeriodStatus.CLOSED:
        when = f" on {period.closed_at:%d %b %Y}" if period.closed_at else ""
        raise ValidationError(
            Problem("status", f"{period.name} is already closed (by {period.closed_by or 'someone'}{when})")
        )
    # The settings its reports are drawn with are kept too: a later change to the plan's applies from then on.
    kept = reported_settings(uow.get(Plan, period.plan_id))
    uow.update(
        period,
        {"status": PeriodStatus.CLOSED.value, "closed_at": uow.at, "closed_by": actor.name, "settings": kept},
    )
    return uow.changes(f"Closed {period.name}: its status updates are now the record as reported")


def reopen_period(session: Session, *, actor: Actor, period_id: str, reason: str) -> Changes:
    """Reopen a closed period. Exceptional, so the reason is required and kept in the audit log."""
    require_pmo(actor, "reopen a reporting period")
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period")
    reason = (reason or "").strip()
    problems = []
    if not reason:
        problems.append(
            Problem("reason", "reason: say why the period is being reopened (it is kept in the audit log)")
        )
    elif len(reason) > LONG_TEXT_MAX:
        problems.append(Problem("reason", f"reason is too long (at most {LONG_TEXT_MAX} characters)"))
    if period.status != PeriodStatus.CLOSED:
        problems.append(Problem("status", f"{period.name} is not closed"))
    fail_if(problems)
    closed_by = period.closed_by or "someone"
    uow.update(
        period, {"status": PeriodStatus.OPEN.value, "closed_at": None, "closed_by": "", "settings": ""}
    )
    uow.audit.record(Kind.REPORTING_PERIOD, period.id, REOPEN_REASON, None, reason)
    return uow.changes(
        f"Reopened {period.name}, closed by {closed_by}, because: {reason} "
        "(the reopening and its reason are in the audit log)"
    )


def update_period(
    session: Session,
    *,
    actor: Actor,
    period_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    """Set when the period's returns are due and whom at the PMO leads ask (its name and dates stay)."""
    require_pmo(actor, "change a reporting period")
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period")

    def fits(valid: PeriodReturnsIn) -> list[Problem | None]:
        if valid.return_by is not None and valid.return_by < period.start_date:
            return [
                Problem(
                    "return_by",
                    f"return by: must not be before the period starts ({period.start_date:%d %b %Y})",
                )
            ]
        return []

    changed = update_from(
        uow, period, PeriodReturnsIn, as_changes(changes), expected_revision=expected_revision, checks=fits
    )
    what = ", ".join(c.replace("_", " ") for c in changed) or "nothing"
    return uow.changes(f"Changed the returns for {period.name}: {what}")


def record_period_report(
    session: Session,
    *,
    actor: Actor,
    period_id: str,
    data: PeriodReportIn | Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    """Write what the PMO tells the board for the period (its key messages, the decisions it asks for).

    Kept whatever the period's status: a board pack is written once a period has closed. The
    first write creates the period's report; each later one changes the fields given.
    """
    require_pmo(actor, "write the board report for a period")
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period")
    report = session.exec(select(PeriodReport).where(PeriodReport.period_id == period.id)).first()
    if report is None:
        valid = validate(PeriodReportIn, as_changes(data))
        uow.create(PeriodReport, period_id=period.id, **valid.to_row())
    else:
        if report.deleted:
            uow.restore(report)
        update_from(uow, report, PeriodReportIn, as_changes(data), expected_revision=expected_revision)
    return uow.changes(f"Wrote the board report for {period.name}")


def restore_period(session: Session, *, actor: Actor, period_id: str) -> Changes:
    """Bring back a removed period, if it still fits among the others."""
    require_pmo(actor, "restore a reporting period")
    uow = unit_of_work(session, actor)
    period = uow.get(ReportingPeriod, period_id, what="reporting period", allow_deleted=True)
    if not period.deleted:
        return Changes(summary=f"{period.name} is not deleted")
    fail_if(
        _fit_problems(uow, period.plan_id, period.name, period.start_date, period.end_date, own_id=period.id)
    )
    uow.restore(period)
    return uow.changes(f"Restored {period.name}")


def _fit_problems(
    uow: UnitOfWork, plan_id: str, name: str, start: date, end: date, *, own_id: str | None
) -> list[Problem]:
    """A period's name is unique in its plan (ignoring case) and its dates overlap no other period."""
    others = (
        ReportingPeriod.plan_id == plan_id,
        ReportingPeriod.deleted == False,  # noqa: E712
        ReportingPeriod.id != (own_id or ""),
    )
    problems = []
    clash = uow.session.exec(
        select(func.count())
        .select_from(ReportingPeriod)
        .where(*others, func.lower(ReportingPeriod.name) == name.lower())
    ).one()
    if clash:
        problems.append(Problem("name", f"name: there is already a period called {name!r}"))
    overlapping = uow.session.exec(
        select(ReportingPeriod)
        .where(*others, ReportingPeriod.start_date <= end, ReportingPeriod.end_date >= start)
        .order_by(col(ReportingPeriod.start_date))
    ).all()
    if overlapping:
        names = listing(f"{p.name} ({_span(p.start_date, p.end_date)})" for p in overlapping)
        problems.append(Problem("start_date", f"dates: {_span(start, end)} overlaps {names}"))
    return problems


def _span(start: date, end: date) -> str:
    return f"{start:%d %b %Y} to {end:%d %b %Y}"
