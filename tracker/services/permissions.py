"""What a lead or a viewer may write, checked by the services before the server is asked.

The rule is the server's (tracker.team.policies): a viewer writes nothing; a lead writes status
updates for objectives they lead, milestones and risks they own or whose objective they lead, and
recommendations they own or that are linked to an objective they lead, with their progress notes.
On a team server the role and the person come from the server's own mapping of the login, never
from what the client says; elsewhere from the actor (a lead without a known person is not checked
item by item: the local identity picker gives none yet).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from tracker.db import Actor
from tracker.enums import Role
from tracker.errors import NotPermitted
from tracker.models import (
    KIND_OF,
    Editable,
    Milestone,
    Objective,
    ProgressNote,
    Recommendation,
    RecommendationObjective,
    Risk,
    StatusUpdate,
)
from tracker.outbox import replica_identity
from tracker.services._common import describe
from tracker.team.identity import server_identity


def acting_as(session: Session, actor: Actor) -> tuple[str, str | None]:
    """The role and (for a lead) the person the change is made as: the server's word when it has one."""
    known = server_identity(session)
    if known is not None:
        return known.role, known.person_id
    offline = replica_identity(session)  # a replica of a team plan: what its login has there
    if offline is not None:
        return offline
    return actor.role, actor.person_id


def require_may_write(session: Session, actor: Actor, row: Editable, doing: str) -> None:
    """Refuse (NotPermitted) unless the actor may write this row; ``doing`` as in "change a milestone"."""
    with session.no_autoflush:  # the row may hold changes not yet written: check them, do not send them
        _require(session, actor, row, doing)


def _require(session: Session, actor: Actor, row: Editable, doing: str) -> None:
    role, person = acting_as(session, actor)
    if role == Role.PMO:
        return
    if role == Role.VIEWER:
        raise NotPermitted(
            f"A viewer cannot {doing}: you are working as a viewer ({actor.name}). "
            "Ask the programme office or the item's lead."
        )
    if person is None and server_identity(session) is None and replica_identity(session) is None:
        return
    if not lead_holds(session, person, row):
        what = describe(session, KIND_OF[type(row)], row)
        raise NotPermitted(
            f"You cannot {doing}: {what} is not one of yours (a lead writes only for the objectives "
            "they lead and the items they own). Ask its lead or the programme office."
        )


def require_pmo_here(session: Session, actor: Actor, doing: str) -> None:
    """Refuse unless the change is made as the PMO (on a team server: as the server knows the login)."""
    role, _person = acting_as(session, actor)
    if role != Role.PMO:
        raise NotPermitted(
            f"Only the PMO can {doing}: you are working as {Role(role).label} ({actor.name}). "
            "Ask the programme office to make this change."
        )


def lead_holds(session: Session, person: str | None, row: Editable) -> bool:
    """Whether a lead who is ``person`` may write ``row`` (as the server's policies decide)."""
    if person is None:
        return False
    if isinstance(row, Objective):
        return row.lead_id == person
    if isinstance(row, StatusUpdate):
        return _leads(session, person, row.objective_id)
    if isinstance(row, Milestone | Risk):
        return row.owner_id == person or _leads(session, person, row.objective_id)
    if isinstance(row, Recommendation):
        return _holds_recommendation(session, person, row)
    if isinstance(row, ProgressNote):
        rec = session.get(Recommendation, row.recommendation_id)
        return rec is not None and _holds_recommendation(session, person, rec)
    return False


def _leads(session: Session, person: str, objective_id: str | None) -> bool:
    objective = session.get(Objective, objective_id) if objective_id else None
    return objective is not None and objective.lead_id == person


def _holds_recommendation(session: Session, person: str, rec: Recommendation) -> bool:
    if rec.owner_id == person:
        return True
    linked = session.exec(
        select(RecommendationObjective.objective_id).where(
            RecommendationObjective.recommendation_id == rec.id,
            col(RecommendationObjective.deleted).is_(False),
        )
    ).all()
    return any(_leads(session, person, objective_id) for objective_id in linked)
