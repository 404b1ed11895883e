"""Links from a recommendation to the objectives, milestones and risks that answer it.

A link is a row of its own (tombstoned when removed), so linking again restores the old row and
the audit log shows one history per pair. Linking an existing link, or unlinking a missing one,
changes nothing and returns an empty :class:`Changes`.
"""

from __future__ import annotations

from sqlmodel import Session, select

from tracker.db import Actor
from tracker.errors import Problem, ValidationError
from tracker.models import ENTITIES, KIND_OF, Editable, Inspection, Kind, Milestone, Objective, Recommendation
from tracker.services._common import describe
from tracker.services.base import Changes, UnitOfWork, unit_of_work
from tracker.services.permissions import require_pmo_here
from tracker.services.registry import links_of

# target id field -> (link table, target table), as the registry declares a recommendation's links
LINKS: dict[str, tuple[type[Editable], type[Editable]]] = {
    field: (ENTITIES[link.via], ENTITIES[link.target])
    for field, link in links_of(Kind.RECOMMENDATION).items()
}


def link_recommendation(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: str,
    objective_id: str | None = None,
    milestone_id: str | None = None,
    risk_id: str | None = None,
) -> Changes:
    """Link the recommendation to exactly one objective, milestone or risk."""
    require_pmo_here(session, actor, "link a recommendation")
    uow = unit_of_work(session, actor)
    rec, field, target = _resolve(uow, recommendation_id, objective_id, milestone_id, risk_id)
    link_cls = LINKS[field][0]
    link = _find(session, link_cls, rec.id, field, target.id)
    what = f"{rec.kind} {rec.ref} to {describe(session, KIND_OF[type(target)], target)}"
    if link is not None and not link.deleted:
        return Changes(summary=f"{what[0].upper()}{what[1:]}: already linked")
    if link is not None:
        uow.restore(link)
    else:
        uow.create(link_cls, recommendation_id=rec.id, **{field: target.id})
    return uow.changes(f"Linked {what}")


def unlink_recommendation(
    session: Session,
    *,
    actor: Actor,
    recommendation_id: str,
    objective_id: str | None = None,
    milestone_id: str | None = None,
    risk_id: str | None = None,
) -> Changes:
    """Remove the link between the recommendation and one objective, milestone or risk."""
    require_pmo_here(session, actor, "unlink a recommendation")
    uow = unit_of_work(session, actor)
    rec, field, target = _resolve(uow, recommendation_id, objective_id, milestone_id, risk_id)
    link = _find(session, LINKS[field][0], rec.id, field, target.id)
    what = f"{rec.kind} {rec.ref} from {describe(session, KIND_OF[type(target)], target)}"
    if link is None or link.deleted:
        return Changes(summary=f"{what[0].upper()}{what[1:]}: not linked")
    uow.delete(link)
    return uow.changes(f"Unlinked {what}")


def _resolve(
    uow: UnitOfWork,
    recommendation_id: str,
    objective_id: str | None,
    milestone_id: str | None,
    risk_id: str | None,
) -> tuple[Recommendation, str, Editable]:
    given = {f: v for f, v in (("objective_id", objective_id), ("milestone_id", milestone_id),
                               ("risk_id", risk_id)) if v}  # fmt: skip
    if len(given) != 1:
        how = "none was given" if not given else f"{len(given)} were given"
        raise ValidationError(
            Problem("target", f"target: give exactly one objective, milestone or risk to link ({how})")
        )
    rec = uow.get(Recommendation, recommendation_id)
    ((field, target_id),) = given.items()
    target = uow.get(LINKS[field][1], target_id)
    inspection = uow.session.get(Inspection, rec.inspection_id)
    if inspection is not None and _plan_of(uow, target) != inspection.plan_id:
        raise ValidationError(Problem(field, f"{field.replace('_', ' ')}: it belongs to another plan"))
    return rec, field, target


def _plan_of(uow: UnitOfWork, target: Editable) -> str | None:
    if isinstance(target, Milestone):
        objective = uow.session.get(Objective, target.objective_id)
        return objective.plan_id if objective is not None else None
    return target.plan_id  # type: ignore[attr-defined, no-any-return]


def _find(
    session: Session, link_cls: type[Editable], rec_id: str, field: str, target_id: str
) -> Editable | None:
    return session.exec(
        select(link_cls).where(
            link_cls.recommendation_id == rec_id,  # type: ignore[attr-defined]
            getattr(link_cls, field) == target_id,
        )
    ).first()
