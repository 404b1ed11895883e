"""What each kind of item is, declared once: its name in words, the field that names an item, who
answers for it, the services that write it, how undo brings it back, how a period return writes it,
what it links to, and which other kinds its lists read.

Everything that used to keep its own table of kinds derives from :data:`REGISTRY`: undo's restore,
the links between recommendations and what answers them, the writes of an applied return, what a
person holds (:mod:`tracker.services.holdings`), and the UI's registers and their reloads.
``tests/test_registry.py`` checks that every kind has every part that applies to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause
from sqlmodel import Session

from tracker.db import Actor
from tracker.enums import OPEN_RECOMMENDATION_STATUSES, RiskStatus
from tracker.models import ENTITIES, Editable, Kind
from tracker.services import (
    boards,
    milestones,
    papers,
    people,
    periods,
    plan,
    recommendations,
    returns,
    risks,
    status,
    structure,
)
from tracker.services._common import describe
from tracker.services.base import Changes, unit_of_work
from tracker.services.returns import ReturnedItem

Service = Callable[..., Changes]
ReturnWriter = Callable[[Session, Actor, ReturnedItem], Changes]


@dataclass(frozen=True)
class Holding:
    """Items of a kind that a person answers for while they are open: what "hand over" moves and
    what stops a person being removed."""

    field: str  # the column naming the person
    verb: str  # "lead" or "own", as in "lead 2 objectives"
    noun: str  # one of them in words: "objective", "open risk"
    still_open: Callable[[FromClause], ColumnElement[bool]] | None = None  # beyond being live


@dataclass(frozen=True)
class Link:
    """A kind that items of this kind link to, through a link table of its own (tombstoned when unlinked)."""

    target: Kind
    via: Kind  # the link table's kind
    field: str  # the link table's column naming the target


@dataclass(frozen=True)
class Entity:
    kind: Kind
    noun: str  # "milestone", "progress note"
    id_arg: str  # the keyword its services take for one item: "milestone_id", "note_id"
    name_field: str | None = None  # the field that names an item for people: "ref", "title", "name"
    plural: str = ""  # when not noun + "s"
    create: Service | None = None
    update: Service | None = None
    delete: Service | None = None
    restore: Service | None = None  # None: the tombstone is cleared without further checks
    holding: Holding | None = None
    links: tuple[Link, ...] = ()
    write_return: ReturnWriter | None = None  # None: a period return never carries it
    read_with: frozenset[Kind] = frozenset()  # other kinds whose changes alter how this kind's lists read

    @property
    def table(self) -> type[Editable]:
        return ENTITIES[self.kind]

    @property
    def nouns(self) -> str:
        return self.plural or f"{self.noun}s"

    @property
    def reload_on(self) -> frozenset[Kind]:
        """The kinds whose changes make a list of this kind stale."""
        return self.read_with | {self.kind}

    def restore_item(self, session: Session, *, actor: Actor, item_id: str) -> Changes:
        """Bring back a removed item, with its own service's checks where it has them."""
        if self.restore is not None:
            return self.restore(session, actor=actor, **{self.id_arg: item_id})
        uow = unit_of_work(session, actor)
        row = uow.get(self.table, item_id, allow_deleted=True)
        word = describe(session, self.kind, row)
        if not row.deleted:
            return Changes(summary=f"{word[0].upper()}{word[1:]} is not deleted")
        uow.restore(row)
        return uow.changes(f"Restored {word}")

    def write_returned(self, session: Session, actor: Actor, item: ReturnedItem) -> Changes:
        """Write one item's fields from an applied period return."""
        if self.write_return is None:
            raise ValueError(f"a period return does not carry {self.nouns}")
        return self.write_return(session, actor, item)


def _in_plan(o: FromClause) -> ColumnElement[bool]:
    return o.c.retired_on.is_(None)  # a retired objective is history: no one leads it now


def _open_milestone(m: FromClause) -> ColumnElement[bool]:
    return m.c.completed_date.is_(None)


def _open_risk(r: FromClause) -> ColumnElement[bool]:
    return r.c.status == RiskStatus.OPEN.value


def _open_recommendation(r: FromClause) -> ColumnElement[bool]:
    return r.c.status.in_([s.value for s in OPEN_RECOMMENDATION_STATUSES])


_PLACE = frozenset({Kind.PLAN, Kind.THEME, Kind.OUTCOME})  # where an objective sits

_ENTITIES: tuple[Entity, ...] = (
    Entity(Kind.PLAN, "plan", "plan_id", "name", update=plan.update_plan_settings),
    Entity(Kind.THEME, "theme", "theme_id", "name", create=structure.create_theme, update=structure.update_theme),
    Entity(
        Kind.OUTCOME, "outcome", "outcome_id", "title",
        create=structure.create_outcome, update=structure.update_outcome,
    ),
    Entity(
        Kind.PERSON, "person", "person_id", "name", plural="people",
        create=people.create_person, update=people.update_person, delete=people.delete_person,
        restore=people.restore_person,
    ),
    Entity(
        Kind.BOARD, "board", "board_id", "name",
        create=boards.create_board, update=boards.update_board, delete=boards.delete_board,
        restore=boards.restore_board,
    ),
    Entity(
        Kind.OBJECTIVE, "objective", "objective_id", "ref",
        create=structure.create_objective, update=structure.update_objective,
        holding=Holding("lead_id", "lead", "objective", _in_plan),
        write_return=status.write_returned_status,
        read_with=_PLACE | {Kind.PERSON, Kind.BOARD, Kind.STATUS_UPDATE, Kind.REPORTING_PERIOD},
    ),
    Entity(
        Kind.REPORTING_PERIOD, "reporting period", "period_id", "name",
        create=periods.open_period, update=periods.update_period, restore=periods.restore_period,
    ),
    Entity(
        Kind.STATUS_UPDATE, "status update", "status_update_id",
        create=status.record_status_update, restore=status.restore_status_update,
    ),
    Entity(
        Kind.MILESTONE, "milestone", "milestone_id", "title",
        create=milestones.create_milestone, update=milestones.update_milestone,
        delete=milestones.delete_milestone, restore=milestones.restore_milestone,
        holding=Holding("owner_id", "own", "open milestone", _open_milestone),
        write_return=returns.write_returned_milestone,
        read_with=_PLACE | {Kind.OBJECTIVE, Kind.PERSON},
    ),
    Entity(
        Kind.RISK, "risk", "risk_id", "ref",
        create=risks.create_risk, update=risks.update_risk, delete=risks.delete_risk,
        restore=risks.restore_risk,
        holding=Holding("owner_id", "own", "open risk", _open_risk),
        write_return=returns.write_returned_risk,
        read_with=_PLACE | {Kind.OBJECTIVE, Kind.PERSON},
    ),
    Entity(
        Kind.INSPECTION, "inspection", "inspection_id", "title",
        create=recommendations.create_inspection, update=recommendations.update_inspection,
        delete=recommendations.delete_inspection, restore=recommendations.restore_inspection,
    ),
    Entity(
        Kind.RECOMMENDATION, "recommendation", "recommendation_id", "ref",
        create=recommendations.create_recommendation, update=recommendations.update_recommendation,
        delete=recommendations.delete_recommendation, restore=recommendations.restore_recommendation,
        holding=Holding("owner_id", "own", "open recommendation", _open_recommendation),
        links=(
            Link(Kind.OBJECTIVE, Kind.RECOMMENDATION_OBJECTIVE, "objective_id"),
            Link(Kind.MILESTONE, Kind.RECOMMENDATION_MILESTONE, "milestone_id"),
            Link(Kind.RISK, Kind.RECOMMENDATION_RISK, "risk_id"),
        ),
        write_return=recommendations.write_returned_recommendation,
        read_with=frozenset({Kind.PLAN, Kind.INSPECTION, Kind.PROGRESS_NOTE, Kind.OBJECTIVE, Kind.PERSON,
                             Kind.RECOMMENDATION_OBJECTIVE}),
    ),
    Entity(
        Kind.PROGRESS_NOTE, "progress note", "note_id",
        create=recommendations.add_progress_note, update=recommendations.update_progress_note,
        delete=recommendations.delete_progress_note, restore=recommendations.restore_progress_note,
    ),
    Entity(Kind.RECOMMENDATION_OBJECTIVE, "link to an objective", "link_id"),
    Entity(Kind.RECOMMENDATION_MILESTONE, "link to a milestone", "link_id"),
    Entity(Kind.RECOMMENDATION_RISK, "link to a risk", "link_id"),
    Entity(Kind.PERIOD_RETURN, "period return", "period_return_id"),
    Entity(Kind.PERIOD_REPORT, "board report", "period_report_id", create=periods.record_period_report,
           read_with=frozenset({Kind.REPORTING_PERIOD})),
    Entity(Kind.SYNC_CONFLICT, "sync conflict", "conflict_id", "field"),
    Entity(Kind.COMMITTEE_PAPER, "committee paper", "committee_paper_id", create=papers.record_committee_paper,
           read_with=frozenset({Kind.REPORTING_PERIOD, Kind.BOARD})),
)  # fmt: skip

REGISTRY: dict[Kind, Entity] = {e.kind: e for e in _ENTITIES}


def entity(kind: Kind | str) -> Entity:
    """The entity of a kind (also given as the audit log's string, e.g. ``"milestone"``)."""
    return REGISTRY[Kind(kind)]


def links_of(kind: Kind) -> dict[str, Link]:
    """The links of a kind by the field naming the target (``objective_id``, ...)."""
    return {link.field: link for link in REGISTRY[kind].links}
