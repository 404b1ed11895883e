"""What each register shows: its columns, the facets its filter bar narrows by, and its form's fields.

Facets of a milestone or risk that belong to its objective (lead, RAG, lifecycle, 4P) are read
from the objective rows loaded beside the register, so the filter bar can narrow by them without
another query per row. A recommendation answers several objectives: its objective facets are sets.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt

from tracker.enums import (
    Brag,
    FourP,
    InspectionBody,
    Lifecycle,
    MilestoneState,
    RecommendationKind,
    RecommendationStatus,
    RiskBand,
    RiskResponse,
    RiskStatus,
)
from tracker.models import Kind
from tracker.queries import InspectionRow, ObjectiveRow, OutcomeRow, PersonRow, ThemeRow
from tracker.services.registry import REGISTRY, Entity
from ui.models.table import Column, SortKind

RIGHT = Qt.AlignmentFlag.AlignRight

BRAG_RANK = {b.value: n for n, b in enumerate((Brag.RED, Brag.AMBER, Brag.GREEN, Brag.BLUE, Brag.GREY))}
STATE_RANK = {s.value: n for n, s in enumerate((MilestoneState.OVERDUE, MilestoneState.SLIPPING,
                                                 MilestoneState.ON_TRACK, MilestoneState.COMPLETE))}  # fmt: skip
BAND_RANK = {b.value: n for n, b in enumerate(RiskBand)}
STATUS_RANK = {s.value: n for n, s in enumerate(RecommendationStatus)}

STATE_CHIP = {"complete": "blue", "on track": "green", "slipping": "amber", "overdue": "red"}
BAND_CHIP = {"low": "green", "medium": "amber", "high": "red", "very high": "red"}
REC_CHIP = {"awaiting allocation": "grey", "being progressed": "amber", "proposed for closure": "green",
            "closed": "blue", "superseded": "grey", "not accepted": "grey"}  # fmt: skip


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
    return [(f"{o.ref} — {o.title}", o.id) for o in lk.objectives.values()]


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


@dataclass(frozen=True)
class RegisterSpec:
    """Everything that differs between the milestone, risk and recommendation registers."""

    kind: Kind  # what the registry says of it: its words, its services, what makes it reload
    columns: Callable[[Lookups], list[Column]]
    facets: Callable[[Lookups], Mapping[str, Callable[[Any], Hashable]]]
    choices: tuple[Choice, ...]
    fields: tuple[FormField, ...]
    describe: Callable[[Any], str]

    @property
    def entity(self) -> Entity:
        return REGISTRY[self.kind]

    @property
    def noun(self) -> str:
        return self.entity.noun

    @property
    def reload_on(self) -> frozenset[Kind]:
        return self.entity.reload_on


# ---------------------------------------------------------------------------------------------- milestones


def milestone_columns(lk: Lookups) -> list[Column]:
    brag_of = {o.id: o.brag.value for o in lk.objectives.values()}

    def objective_brag(r: Any) -> str | None:
        return brag_of.get(r.objective_id)

    return [
        Column("ref", "Objective", attrgetter("objective_ref")),
        Column("title", "Milestone", attrgetter("title")),
        Column("owner", "Owner", attrgetter("owner_name")),
        Column("baseline", "Baseline", attrgetter("baseline_date"), sort=SortKind.DATE),
        Column("forecast", "Forecast", attrgetter("forecast_date"), sort=SortKind.DATE),
        Column("completed", "Completed", attrgetter("completed_date"), sort=SortKind.DATE),
        Column(
            "state",
            "State",
            lambda r: r.state.value,
            display=word,
            sort=SortKind.RANK,
            rank=STATE_RANK,
            chip=STATE_CHIP.get,
        ),  # fmt: skip
        Column(
            "slip",
            "Slip (days)",
            attrgetter("slip_days"),
            sort=SortKind.NUMBER,
            align=RIGHT,
            searchable=False,
            tooltip="Forecast minus baseline, in days",
        ),  # fmt: skip
        Column(
            "rag",
            "Objective RAG",
            objective_brag,
            display=brag_word,
            sort=SortKind.RANK,
            rank=BRAG_RANK,
            chip=lambda v: v,
        ),  # fmt: skip
        Column("theme", "Theme", attrgetter("theme_name")),
    ]


def _objective_facets(lk: Lookups) -> dict[str, Callable[[Any], Hashable]]:
    def of(attr: str) -> Callable[[Any], Hashable]:
        def get(r: Any) -> Hashable:
            o = lk.objective(r.objective_id)
            value = getattr(o, attr) if o else None
            return value.value if isinstance(value, Brag) else value

        return get

    return {"outcome_id": of("outcome_id"), "lead_id": of("lead_id"), "brag": of("brag"),
            "lifecycle": of("lifecycle"), "four_p": of("four_p")}  # fmt: skip


def milestone_facets(lk: Lookups) -> Mapping[str, Callable[[Any], Hashable]]:
    return {
        "theme_id": attrgetter("theme_id"),
        "owner_id": attrgetter("owner_id"),
        "state": lambda r: r.state.value,
        "due": lambda r: (r.forecast_date, r.completed_date is None),
        **_objective_facets(lk),
    }


SCOPE_CHOICES = (
    Choice("theme_id", "Theme", theme_options),
    Choice("outcome_id", "Outcome", outcome_options),
    Choice("lead_id", "Lead", people_options),
    Choice("owner_id", "Owner", people_options),
    Choice("brag", "RAG", BRAG_OPTIONS),
    Choice("lifecycle", "Lifecycle", enum_options(Lifecycle)),
    Choice("four_p", "4P", FOUR_P_OPTIONS, "tag"),
)

MILESTONES = RegisterSpec(
    kind=Kind.MILESTONE,
    columns=milestone_columns,
    facets=milestone_facets,
    choices=(
        *SCOPE_CHOICES,
        Choice("state", "State", enum_options(MilestoneState)),
        Choice("due", "Due", DUE_OPTIONS, "due"),
    ),  # fmt: skip
    fields=(
        FormField("objective_id", "Objective", "combo", objective_options, required=True),
        FormField("title", "Title", required=True),
        FormField("owner_id", "Owner", "combo", people_options, blank="No owner"),
        FormField("baseline_date", "Baseline date", "date", required=True),
        FormField("forecast_date", "Forecast date", "date"),
        FormField("completed_date", "Completed date", "date"),
        FormField("notes", "Notes", "text"),
    ),
    describe=lambda r: f"the milestone “{r.title}” of {r.objective_ref}",
)


# ---------------------------------------------------------------------------------------------- risks


def risk_columns(lk: Lookups) -> list[Column]:
    def score(kind: str) -> Column:
        return Column(kind, f"{kind.capitalize()}", lambda r: getattr(r, f"{kind}_score"), sort=SortKind.NUMBER,
                      align=RIGHT, searchable=False, tooltip=f"{kind.capitalize()} score: likelihood × impact")  # fmt: skip

    return [
        Column("ref", "Ref", attrgetter("ref")),
        Column("title", "Risk", attrgetter("title")),
        Column("owner", "Owner", attrgetter("owner_name")),
        Column("objective", "Objective", attrgetter("objective_ref")),
        Column("theme", "Theme", attrgetter("theme_name")),
        score("inherent"),
        score("residual"),
        Column(
            "band",
            "Residual band",
            lambda r: r.residual_band.value,
            display=word,
            sort=SortKind.RANK,
            rank=BAND_RANK,
            chip=BAND_CHIP.get,
        ),  # fmt: skip
        score("target"),
        Column(
            "appetite",
            "Above appetite",
            attrgetter("above_appetite"),
            display=lambda v: "Above" if v else "",
            sort=SortKind.NUMBER,
            searchable=False,
        ),  # fmt: skip
        Column("response", "Response", attrgetter("response"), display=word),
        Column("status", "Status", attrgetter("status"), display=word),
        Column("review", "Review", attrgetter("review_date"), sort=SortKind.DATE),
    ]


def risk_facets(lk: Lookups) -> Mapping[str, Callable[[Any], Hashable]]:
    return {
        "theme_id": attrgetter("theme_id"),
        "owner_id": attrgetter("owner_id"),
        "band": lambda r: r.residual_band.value,
        "status": attrgetter("status"),
        "due": lambda r: (r.review_date, r.status == RiskStatus.OPEN),
        **_objective_facets(lk),
    }


SCORE_FIELDS = tuple(
    FormField(f"{when}_{what}", f"{when.capitalize()} {what}", "spin", required=True)
    for when in ("inherent", "residual", "target")
    for what in ("likelihood", "impact")
)

RISKS = RegisterSpec(
    kind=Kind.RISK,
    columns=risk_columns,
    facets=risk_facets,
    choices=(
        *SCOPE_CHOICES,
        Choice("band", "Band", enum_options(RiskBand)),
        Choice("status", "Status", enum_options(RiskStatus)),
        Choice("due", "Review", DUE_OPTIONS, "due"),
    ),  # fmt: skip
    fields=(
        FormField("ref", "Reference"),
        FormField("title", "Title", required=True),
        FormField("objective_id", "Objective", "combo", objective_options, blank="None (a theme risk)"),
        FormField("theme_id", "Theme", "combo", theme_options, blank="None (an objective risk)"),
        FormField("owner_id", "Owner", "combo", people_options, blank="No owner"),
        FormField("cause", "Cause", "text"),
        FormField("event", "Event", "text"),
        FormField("effect", "Effect", "text"),
        *SCORE_FIELDS,
        FormField("response", "Response", "combo", enum_options(RiskResponse), required=True),
        FormField("mitigations", "Mitigations", "text"),
        FormField("status", "Status", "combo", enum_options(RiskStatus), required=True),
        FormField("review_date", "Review date", "date"),
    ),
    describe=lambda r: f"the risk {r.ref} “{r.title}”",
)


# ---------------------------------------------------------------------------------------------- recommendations


def recommendation_columns(lk: Lookups) -> list[Column]:
    return [
        Column("body", "Body", attrgetter("body")),
        Column("ref", "Ref", attrgetter("ref")),
        Column("kind", "Kind", attrgetter("kind"), display=word),
        Column("text", "Recommendation", attrgetter("text")),
        Column("owner", "Owner", attrgetter("owner_name")),
        Column("due", "Due", attrgetter("due_date"), sort=SortKind.DATE),
        Column(
            "status",
            "Status",
            attrgetter("status"),
            display=word,
            sort=SortKind.RANK,
            rank=STATUS_RANK,
            chip=REC_CHIP.get,
        ),  # fmt: skip
        Column(
            "overdue",
            "Overdue",
            attrgetter("overdue"),
            display=lambda v: "Overdue" if v else "",
            sort=SortKind.NUMBER,
            chip=lambda v: "red" if v else None,
            searchable=False,
        ),  # fmt: skip
        Column("note", "Latest note", attrgetter("latest_note_date"), sort=SortKind.DATE),
        Column("objectives", "Objectives", attrgetter("objective_refs")),
        Column("inspection", "Inspection", attrgetter("inspection_title")),
    ]


def recommendation_facets(lk: Lookups) -> Mapping[str, Callable[[Any], Hashable]]:
    by_ref = lk.by_ref()

    def linked(attr: str) -> Callable[[Any], Hashable]:
        def get(r: Any) -> Hashable:
            values = (getattr(by_ref[ref], attr) for ref in r.objective_refs if ref in by_ref)
            return frozenset(v.value if isinstance(v, Brag) else v for v in values)

        return get

    return {
        "body": attrgetter("body"),
        "kind": attrgetter("kind"),
        "owner_id": attrgetter("owner_id"),
        "status": attrgetter("status"),
        "due": lambda r: (r.due_date, r.status in {s.value for s in RecommendationStatus if s.is_open}),
        "theme_id": linked("theme_id"),
        "lead_id": linked("lead_id"),
        "brag": linked("brag"),
        "lifecycle": linked("lifecycle"),
        "four_p": lambda r: ",".join(sorted(set(linked("four_p")(r)))),  # type: ignore[arg-type]
    }


RECOMMENDATIONS = RegisterSpec(
    kind=Kind.RECOMMENDATION,
    columns=recommendation_columns,
    facets=recommendation_facets,
    choices=(
        Choice("body", "Body", enum_options(InspectionBody)),
        Choice("kind", "Kind", enum_options(RecommendationKind)),
        Choice("status", "Status", enum_options(RecommendationStatus)),
        Choice("owner_id", "Owner", people_options),
        Choice("theme_id", "Theme", theme_options, "in"),
        Choice("lead_id", "Lead", people_options, "in"),
        Choice("brag", "RAG", BRAG_OPTIONS, "in"),
        Choice("lifecycle", "Lifecycle", enum_options(Lifecycle), "in"),
        Choice("four_p", "4P", FOUR_P_OPTIONS, "tag"),
        Choice("due", "Due", DUE_OPTIONS, "due"),
    ),
    fields=(
        FormField("inspection_id", "Inspection", "combo", inspection_options, required=True),
        FormField("kind", "Kind", "combo", enum_options(RecommendationKind), required=True),
        FormField("ref", "Reference", required=True),
        FormField("text", "Text", "text", required=True),
        FormField("status", "Status", "combo", enum_options(RecommendationStatus), required=True),
        FormField("owner_id", "Owner", "combo", people_options, blank="Not yet allocated"),
        FormField("due_date", "Due date", "date"),
        FormField("evidence", "Evidence", "text"),
        FormField("closure_rationale", "Closure rationale", "text"),
        FormField("closed_date", "Closed date", "date"),
    ),
    describe=lambda r: f"the {r.kind} {r.ref} of {r.body}",
)
