"""What a register is made of: the spec that says what it shows and reads, and the pieces specs share.

A register (:mod:`ui.pages.registers`) is a :class:`RegisterSpec` (its kind of item, columns, filter
facets and choices, form fields, and the query it reads) and a short page class; the entity
registry (:mod:`tracker.services.registry`) gives its words, services and reload kinds.

Facets of an item that belong to its objective (lead, RAG, lifecycle, 4P) are read from the
objective rows loaded beside the register (:class:`Lookups`), so the filter bar narrows by them
without another query per row.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlmodel import Session

from tracker import queries as q
from tracker.enums import (
    Brag,
    FourP,
    Lifecycle,
    MilestoneState,
    RecommendationStatus,
    RiskBand,
)
from tracker.models import Kind
from tracker.queries import InspectionRow, ObjectiveRow, OutcomeRow, PersonRow, ThemeRow
from tracker.services.registry import REGISTRY, Entity
from ui.models.table import Column, show

RIGHT = Qt.AlignmentFlag.AlignRight

BRAG_RANK = {b.value: n for n, b in enumerate((Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE, Brag.GREY))}
STATE_RANK = {s.value: n for n, s in enumerate((MilestoneState.OVERDUE, MilestoneState.SLIPPING,
                                                 MilestoneState.ON_TRACK, MilestoneState.NOT_PURSUED,
                                                 MilestoneState.COMPLETE))}  # fmt: skip
BAND_RANK = {b.value: n for n, b in enumerate(RiskBand)}
STATUS_RANK = {s.value: n for n, s in enumerate(RecommendationStatus)}


def word(value: Any) -> str:
    return "" if value in (None, "") else str(value)[0].upper() + str(value)[1:]


def brag_word(value: Any) -> str:
    return Brag(value).value.capitalize() if value else ""


@dataclass
class Lookups:
    """The small lists a register's filter bar and form choose from, read with the rows."""

    themes: list[ThemeRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    objectives: dict[str, ObjectiveRow] = field(default_factory=dict)
    inspections: list[InspectionRow] = field(default_factory=list)

    def objective(self, objective_id: str | None) -> ObjectiveRow | None:
        return self.objectives.get(objective_id) if objective_id else None

    def by_ref(self) -> dict[str, ObjectiveRow]:
        return {o.ref: o for o in self.objectives.values()}


Options = Callable[[Lookups], list[tuple[str, Any]]]


def enum_options(enum_cls: Any) -> Options:
    return lambda _: [(word(m.value), m.value) for m in enum_cls]


def theme_options(lk: Lookups) -> list[tuple[str, Any]]:
    return [(t.name, t.id) for t in lk.themes]


def outcome_options(lk: Lookups) -> list[tuple[str, Any]]:
    return [(f"{o.code} {o.title}", o.id) for o in lk.outcomes]


def people_options(lk: Lookups) -> list[tuple[str, Any]]:
    return [(p.name if p.active else f"{p.name} (inactive)", p.id) for p in lk.people]


def objective_options(lk: Lookups) -> list[tuple[str, Any]]:
    return [(objective_choice(o), o.id) for o in lk.objectives.values()]


def objective_choice(o: ObjectiveRow) -> str:
    """An objective as a list offers it: "SER-01.01 — Title", saying so when it is retired."""
    retired = f" (retired {show(o.retired_on)})" if o.retired_on else ""
    return f"{o.ref} — {o.title}{retired}"


def inspection_options(lk: Lookups) -> list[tuple[str, Any]]:
    return [(f"{i.body}: {i.title}", i.id) for i in lk.inspections]


BRAG_OPTIONS: Options = lambda _: [(b.value.capitalize(), b.value) for b in Brag]  # noqa: E731
FOUR_P_OPTIONS: Options = lambda _: [(p.value, p.value) for p in FourP]  # noqa: E731
DUE_OPTIONS: Options = lambda _: [("Overdue", "overdue"), ("Due in 30 days", "30"), ("Due in 90 days", "90")]  # noqa: E731


@dataclass(frozen=True)
class Choice:
    """One filter-bar combo: which facet it narrows and how a chosen value matches the facet's value."""

    key: str  # the facet, named like the tracker.queries.Filters field it stands for
    label: str
    options: Options
    match: str = "eq"  # eq | in (the facet is a set) | tag (comma-separated 4P) | due ((date, open))


def predicate(match: str, chosen: Any, today: date) -> Callable[[Any], bool]:
    if match == "in":
        return lambda v: chosen in v
    if match == "tag":
        return lambda v: chosen in (v or "").split(",")
    if match == "due":
        if chosen == "overdue":
            return lambda v: v[1] and v[0] is not None and v[0] < today
        until = today + timedelta(days=int(chosen))
        return lambda v: v[1] and v[0] is not None and today <= v[0] <= until
    return lambda v: v == chosen


@dataclass(frozen=True)
class FormField:
    name: str  # the service's field name (and the row's attribute)
    label: str
    kind: str = "line"  # line | date | text | combo | spin
    options: Options | None = None
    required: bool = False
    blank: str = ""  # the combo's "none" entry; empty means a choice is required


def read_lookups(session: Session, *, inspections: bool = False) -> Lookups:
    """The lists a register's filter bar and form choose from (inspections only where asked for)."""
    return Lookups(
        themes=q.themes(session),
        outcomes=q.outcomes(session),
        people=q.people(session),
        objectives={o.id: o for o in q.objective_rows(session)},
        inspections=q.inspections(session) if inspections else [],
    )


def first_screen_lookups(session: Session, rows: list[Any]) -> Lookups:
    """The lists for a large register's first screen: in full, but only the objectives its rows name.

    Reading all the objectives (10,000 at scale) would take longer than the first screen's rows;
    the full lists come with the rest of the rows.
    """
    named = tuple({r.objective_id for r in rows if getattr(r, "objective_id", None)})
    return Lookups(
        themes=q.themes(session),
        outcomes=q.outcomes(session),
        people=q.people(session),
        objectives={o.id: o for o in q.objective_rows(session, q.Filters(ids=named))} if named else {},
    )


@dataclass(frozen=True)
class RegisterSpec:
    """Everything that differs between one register and another."""

    kind: Kind  # what the registry says of it: its words, its services, what makes it reload
    read: Callable[[Session, q.Filters], list[Any]]  # its live rows (only filters.ids, when given)
    columns: Callable[[Lookups], list[Column]]
    facets: Callable[[Lookups], Mapping[str, Callable[[Any], Hashable]]]
    choices: tuple[Choice, ...]
    fields: tuple[FormField, ...]
    describe: Callable[[Any], str]  # an item in words, for "Delete the milestone “…”?"
    lookups: Callable[[Session], Lookups] = read_lookups
    # a large register's rows in pages, a first screen first (the same rows as ``read``, in order)
    pages: Callable[[Session, q.Filters], Iterator[list[Any]]] | None = None

    @property
    def entity(self) -> Entity:
        return REGISTRY[self.kind]

    @property
    def noun(self) -> str:
        return self.entity.noun

    @property
    def reload_on(self) -> frozenset[Kind]:
        return self.entity.reload_on


def objective_facets(lk: Lookups) -> dict[str, Callable[[Any], Hashable]]:
    def of(attr: str) -> Callable[[Any], Hashable]:
        def get(r: Any) -> Hashable:
            o = lk.objective(r.objective_id)
            value = getattr(o, attr) if o else None
            return value.value if isinstance(value, Brag) else value

        return get

    return {"outcome_id": of("outcome_id"), "lead_id": of("lead_id"), "brag": of("brag"),
            "lifecycle": of("lifecycle"), "four_p": of("four_p")}  # fmt: skip


SCOPE_CHOICES = (
    Choice("theme_id", "Theme", theme_options),
    Choice("outcome_id", "Outcome", outcome_options),
    Choice("lead_id", "Lead", people_options),
    Choice("owner_id", "Owner", people_options),
    Choice("brag", "RAG", BRAG_OPTIONS),
    Choice("lifecycle", "Lifecycle", enum_options(Lifecycle)),
    Choice("four_p", "4P", FOUR_P_OPTIONS, "tag"),
)
