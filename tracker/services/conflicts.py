"""Settling a sync conflict: keep mine, take theirs, or edit; the PMO accepts or rejects a late submission.

Each decision is one audited change: the item gets the chosen value through the unit of work (so
undo, the log and the next sync see it like any other change) and the conflict records what was
decided and by whom. Only the person who sent the change or the PMO decides; a late submission is
the PMO's, and is accepted only into a period that has been reopened.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tracker.audit import decode, server_login
from tracker.db import Actor
from tracker.enums import ConflictReason, ConflictState, Role
from tracker.errors import ClosedPeriod, NotPermitted, ValidationError
from tracker.models import ENTITIES, Kind, ReportingPeriod, SyncConflict
from tracker.outbox import replica_login
from tracker.services.base import Changes, coerce, unit_of_work
from tracker.services.permissions import acting_as, require_may_write
from tracker.services.registry import entity

CHOICES = ("mine", "theirs", "edit", "accept", "reject")


def resolve_conflict(
    session: Session,
    *,
    actor: Actor,
    conflict_id: str,
    choice: str,
    value: Any = None,
    expected_revision: int | None = None,
) -> Changes:
    """Settle a conflict: ``mine``, ``theirs`` or ``edit`` (with ``value``); ``accept`` or ``reject`` a late one."""
    uow = unit_of_work(session, actor)
    conflict = uow.get(SyncConflict, conflict_id, what="sync conflict")
    if choice not in CHOICES:
        raise ValidationError(f"choice must be one of {', '.join(CHOICES)}", field="choice")
    if conflict.state != ConflictState.OPEN:
        raise ValidationError(
            f"This conflict was settled already ({conflict.state}, by {conflict.resolved_by}).",
            field="choice",
        )
    late = conflict.reason == ConflictReason.LATE
    role, _person = acting_as(session, actor)
    if late != (choice in ("accept", "reject")):
        raise ValidationError(
            "A late submission is accepted or rejected by the PMO; other conflicts are settled with mine, "
            "theirs or edit.",
            field="choice",
        )
    if late and role != Role.PMO:
        raise NotPermitted("Only the PMO accepts or rejects a late submission.")
    me = server_login(session) or replica_login(session)
    if role != Role.PMO and me is not None and me != conflict.login:
        raise NotPermitted(f"This conflict is {conflict.login}'s to settle (or the PMO's).")
    cls = ENTITIES[Kind(conflict.item_kind)]
    item = session.get(cls, conflict.item_id)  # None: a new item sent late, not in the team plan yet
    state = _settle(session, uow, conflict, item, cls, choice, value)
    uow.update(conflict, {"state": state, "resolved_by": uow.by}, expected_revision=expected_revision)
    what = f"{Kind(conflict.item_kind).label}{' ' + conflict.field if conflict.field else ''}"
    return uow.changes(f"Settled a sync conflict on a {what}: {state}")


def _settle(
    session: Session, uow: Any, conflict: SyncConflict, item: Any, cls: Any, choice: str, value: Any
) -> str:
    if choice in ("theirs", "reject"):
        return ConflictState.TOOK_THEIRS if choice == "theirs" else ConflictState.REJECTED
    sent = decode(conflict.mine) if conflict.field == "" else {}
    fields = {name: coerce(cls, name, decode(v)) for name, v in (sent or {}).get("fields", {}).items()}
    if item is None:  # accepting a late new item: it is added as it was sent
        require_may_write(session, uow.actor, cls(**fields), f"add a {Kind(conflict.item_kind).label}")
        _open_period(session, conflict)
        deleted = fields.pop("deleted", False)
        item = uow.create(cls, id=conflict.item_id, **fields)
        if deleted:
            uow.update(item, {"deleted": True})
        return ConflictState.ACCEPTED
    require_may_write(session, uow.actor, item, f"change this {Kind(conflict.item_kind).label}")
    if conflict.reason in (ConflictReason.SAME_FIELD, ConflictReason.CODE_TAKEN):
        if choice == "edit":
            new = coerce(cls, conflict.field, value)
            e = entity(conflict.item_kind)
            if e.update is not None:  # the item's own checks on a typed value, as its form makes them
                e.update(session, actor=uow.actor, **{e.id_arg: item.id}, changes={conflict.field: new})
                return ConflictState.EDITED
        elif conflict.reason == ConflictReason.CODE_TAKEN:
            raise ValidationError(
                "The code you chose is another item's: keep the code it was given (theirs) or type a new one.",
                field="choice",
            )
        else:
            new = coerce(cls, conflict.field, decode(conflict.mine))
        uow.update(item, {conflict.field: new})
        return ConflictState.EDITED if choice == "edit" else ConflictState.KEPT_MINE
    if choice == "edit":
        raise ValidationError(
            "Edit the item itself, then keep theirs: a whole-row conflict has no one field."
        )
    if conflict.reason == ConflictReason.LATE:
        _open_period(session, conflict)
    if conflict.reason == ConflictReason.CHANGED_THERE:
        uow.update(item, {"deleted": True})
    else:  # removed there, or late: the row as the sender had it
        uow.update(item, {**fields, "deleted": fields.get("deleted", False)})
    return ConflictState.ACCEPTED if choice == "accept" else ConflictState.KEPT_MINE


def _open_period(session: Session, conflict: SyncConflict) -> None:
    period = session.get(ReportingPeriod, conflict.period_id) if conflict.period_id else None
    if period is not None and period.status == "closed":
        raise ClosedPeriod(
            f"{period.name} is closed: reopen it first, giving a reason, then accept the late submission."
        )
