"""What a write may contain: the non-table models every service validates its input with.

Table classes do not validate (sqlmodel #52), so each service checks its input against one of
these first. Rules that concern one record (end after start, Red needs a corrective action) live
here as field validators, so pydantic lists every problem in one pass; a rule that needs a fact
from the database reads it from the validation context (see :func:`tracker.services.base.validate`).
Lengths match the columns: PostgreSQL enforces them even where SQLite does not.

A partial update validates the fields being changed merged over the current row:
``Model.from_row(row) | changes``. ``to_row()`` gives the column values to write.
"""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from tracker.dates import parse_day
from tracker.enums import (
    FourP,
    InspectionBody,
    Lifecycle,
    Marking,
    PeriodFrequency,
    Rag,
    RecommendationKind,
    RecommendationStatus,
    RiskResponse,
    RiskStatus,
)
from tracker.rules import RAG_ALLOWED, needs_corrective_action, needs_rationale

LONG_TEXT_MAX = 30_000  # under a spreadsheet cell's 32,767 so exports never truncate silently
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _blank_to_none(value: Any) -> Any:
    # Forms and spreadsheet cells give "" for "no value".
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _day(value: Any) -> Any:
    # A typed date as people write it (31/03/2027, or ISO); an impossible one is refused saying why.
    if isinstance(value, str) and value.strip():
        try:
            return parse_day(value)
        except ValueError as exc:
            raise rule(str(exc)) from None
    return value


def _word(enum_cls: type[StrEnum]) -> BeforeValidator:
    """Accept an enum's word in any case ('Green', 'IN PROGRESS'), as people type it."""
    by_word = {member.value.casefold(): member.value for member in enum_cls}

    def normalise(value: Any) -> Any:
        if isinstance(value, str):
            return by_word.get(value.strip().casefold(), value)
        return value

    return BeforeValidator(normalise)


def rule(message: str) -> PydanticCustomError:
    """A broken rule, reported against the field being validated."""
    return PydanticCustomError("rule", message.replace("{", "(").replace("}", ")"))


Text = Annotated[str, Field(max_length=LONG_TEXT_MAX)]
Id = Annotated[str, Field(min_length=1, max_length=36)]
OptionalId = Annotated[Annotated[str, Field(max_length=36)] | None, BeforeValidator(_blank_to_none)]
Day = Annotated[date, BeforeValidator(_day)]
OptionalDate = Annotated[date | None, BeforeValidator(_blank_to_none), BeforeValidator(_day)]
Score = Annotated[int, Field(ge=1, le=5)]
Ref = Annotated[str, Field(max_length=20)]
Ref40 = Annotated[str, Field(min_length=1, max_length=40)]
Short = Annotated[str, Field(max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Title = Annotated[str, Field(min_length=1, max_length=500)]
LongTitle = Annotated[str, Field(min_length=1, max_length=LONG_TEXT_MAX)]
Definition = Annotated[str, Field(min_length=1, max_length=2000)]


class InputModel(BaseModel):
    """Base of every input model: unknown fields refused, text trimmed, enums stored as their values."""

    model_config = ConfigDict(
        extra="forbid", use_enum_values=True, str_strip_whitespace=True, validate_default=True
    )

    @classmethod
    def from_row(cls, row: object) -> dict[str, Any]:
        """The current values of this model's fields, read from a table row."""
        return {name: getattr(row, name) for name in cls.model_fields if hasattr(row, name)}

    def to_row(self) -> dict[str, Any]:
        """The column values to write."""
        return self.model_dump()


def _check_after(value: date, info: ValidationInfo, earlier: str, words: str) -> date:
    start = info.data.get(earlier)
    if start is not None and value <= start:
        raise rule(f"must be after the {words} ({start:%d %b %Y})")
    return value


def _check_not_before(value: date | None, info: ValidationInfo, earlier: str, words: str) -> date | None:
    start = info.data.get(earlier)
    if value is not None and start is not None and value < start:
        raise rule(f"must not be before the {words} ({start:%d %b %Y})")
    return value


# ---------------------------------------------------------------------------------------------- status


class StatusUpdateIn(InputModel):
    """One objective's report for one period.

    RAG is required while the objective is in progress or on hold, and must be empty otherwise
    (complete shows Blue, not started and cancelled show Grey). Red needs a corrective action.
    When the context names ``previous_rag`` (the RAG reported for the objective's previous
    period, None for a first report), a RAG that differs from it needs a rationale.
    """

    lifecycle: Annotated[Lifecycle, _word(Lifecycle)]
    rag: Annotated[Rag | None, _word(Rag), BeforeValidator(_blank_to_none)] = None
    progress_pct: int | None = Field(default=None, ge=0, le=100)
    rationale: Text = ""
    corrective_action: Text = ""
    commentary: Text = ""
    next_steps: Text = ""
    author: Short = ""

    @field_validator("rag")
    @classmethod
    def _rag_fits_lifecycle(cls, value: str | None, info: ValidationInfo) -> str | None:
        lifecycle = info.data.get("lifecycle")
        if lifecycle is None:
            return value
        if lifecycle in RAG_ALLOWED and value is None:
            raise rule(f"a RAG (Red, Amber or Green) is required while the objective is {lifecycle}")
        if lifecycle not in RAG_ALLOWED and value is not None:
            raise rule(f"must be empty when the objective is {lifecycle} (it shows as Blue or Grey)")
        return value

    @field_validator("rationale")
    @classmethod
    def _rationale_for_change(cls, value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        if "previous_rag" not in context or "rag" not in info.data:
            return value
        previous, new = context["previous_rag"], info.data["rag"]
        if not value and needs_rationale(previous, new):
            if previous is None:
                raise rule(f"a first RAG ({Rag(new).label}) needs a rationale")
            raise rule(f"a change of RAG from {Rag(previous).label} to {Rag(new).label} needs a rationale")
        return value

    @field_validator("corrective_action")
    @classmethod
    def _corrective_action_for_red(cls, value: str, info: ValidationInfo) -> str:
        if not value and needs_corrective_action(info.data.get("rag")):
            raise rule("a Red status needs a corrective action")
        return value


# ---------------------------------------------------------------------------------------------- plan items


class MilestoneIn(InputModel):
    """A milestone. With no forecast date, the forecast is the baseline."""

    objective_id: Id
    title: Title
    owner_id: OptionalId = None
    baseline_date: Day
    forecast_date: OptionalDate = None
    completed_date: OptionalDate = None
    notes: Text = ""
    ordinal: int | None = Field(default=None, ge=0)

    @field_validator("forecast_date")
    @classmethod
    def _forecast_defaults_to_baseline(cls, value: date | None, info: ValidationInfo) -> date | None:
        return value if value is not None else info.data.get("baseline_date")


class RiskIn(InputModel):
    """A risk, scored 1-5 x 1-5 three times: before controls, now, and where we aim to be."""

    ref: Ref = ""  # empty: the next free "R-nnn"
    title: Title
    cause: Text = ""
    event: Text = ""
    effect: Text = ""
    owner_id: OptionalId = None
    objective_id: OptionalId = None
    theme_id: OptionalId = None
    inherent_likelihood: Score
    inherent_impact: Score
    residual_likelihood: Score
    residual_impact: Score
    target_likelihood: Score
    target_impact: Score
    response: Annotated[RiskResponse, _word(RiskResponse)] = RiskResponse.TREAT
    mitigations: Text = ""
    status: Annotated[RiskStatus, _word(RiskStatus)] = RiskStatus.OPEN
    review_date: OptionalDate = None

    @field_validator("theme_id")
    @classmethod
    def _one_home(cls, value: str | None, info: ValidationInfo) -> str | None:
        objective = info.data.get("objective_id")
        if value is None and objective is None and "objective_id" in info.data:
            raise rule("give the objective or the theme the risk belongs to")
        if value is not None and objective is not None:
            raise rule("a risk belongs to an objective or a theme, not both")
        return value


class InspectionIn(InputModel):
    body: Annotated[InspectionBody, _word(InspectionBody)]
    title: Title
    published_date: OptionalDate = None
    grade: Annotated[str, Field(max_length=60)] = ""
    notes: Text = ""


class RecommendationIn(InputModel):
    """An inspection's recommendation, cause of concern or area for improvement.

    An owner is required once it is allocated (any status but awaiting allocation); proposed for
    closure needs evidence; closed needs a closure rationale and has a closed date (today when
    none is given); any other status has no closed date.
    """

    inspection_id: Id
    kind: Annotated[RecommendationKind, _word(RecommendationKind)] = RecommendationKind.RECOMMENDATION
    ref: Ref40
    text: LongTitle
    status: Annotated[RecommendationStatus, _word(RecommendationStatus)] = (
        RecommendationStatus.AWAITING_ALLOCATION
    )
    owner_id: OptionalId = None
    due_date: OptionalDate = None
    evidence: Text = ""
    closure_rationale: Text = ""
    closed_date: OptionalDate = None

    @field_validator("owner_id")
    @classmethod
    def _owner_once_allocated(cls, value: str | None, info: ValidationInfo) -> str | None:
        status = info.data.get("status")
        if value is None and status not in (None, RecommendationStatus.AWAITING_ALLOCATION):
            raise rule(f"an owner is required when the status is {status}")
        return value

    @field_validator("evidence")
    @classmethod
    def _evidence_for_closure(cls, value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("status") == RecommendationStatus.PROPOSED_FOR_CLOSURE:
            raise rule("evidence is required to propose closure")
        return value

    @field_validator("closure_rationale")
    @classmethod
    def _rationale_for_closed(cls, value: str, info: ValidationInfo) -> str:
        if not value and info.data.get("status") == RecommendationStatus.CLOSED:
            raise rule("a closure rationale is required to close it")
        return value

    @field_validator("closed_date")
    @classmethod
    def _closed_date_when_closed(cls, value: date | None, info: ValidationInfo) -> date | None:
        status = info.data.get("status")
        if status == RecommendationStatus.CLOSED:
            return value if value is not None else date.today()
        if value is not None and status is not None:
            raise rule(f"only a closed recommendation has a closed date (the status is {status})")
        return value


class ProgressNoteIn(InputModel):
    note_date: Day = Field(default_factory=date.today)
    text: LongTitle
    author: Short = ""


# ---------------------------------------------------------------------------------------------- people, periods


class PersonIn(InputModel):
    name: Name
    role_title: Short = ""
    email: Short = ""
    active: bool = True

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise rule(f"{value!r} is not an email address (expected name@example.org, or leave it empty)")
        return value


class PeriodIn(InputModel):
    name: Ref40
    start_date: Day
    end_date: Day

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date, info: ValidationInfo) -> date:
        return _check_not_before(value, info, "start_date", "start date")  # type: ignore[return-value]


class PeriodReturnsIn(InputModel):
    """When the period's returns are due and whom at the PMO a lead asks about them (set when issuing)."""

    return_by: OptionalDate = None
    return_contact: Short = ""


class PeriodReportIn(InputModel):
    """What the PMO tells the board for a period: its key messages and the decisions it asks for."""

    key_messages: Text = ""
    decisions: Text = ""


class CommitteePaperIn(InputModel):
    """What the PMO writes into a committee paper: its summary and a narrative per item (by item id)."""

    summary: Text = ""
    item_notes: dict[Id, Text] = {}

    @field_validator("item_notes", mode="before")
    @classmethod
    def _notes_from_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) and value else ({} if value == "" else value)

    @field_validator("item_notes")
    @classmethod
    def _drop_blank_notes(cls, value: dict[str, str]) -> dict[str, str]:
        return {k: v.strip() for k, v in sorted(value.items()) if v.strip()}

    def to_row(self) -> dict[str, Any]:
        values = self.model_dump()
        values["item_notes"] = (
            json.dumps(self.item_notes, sort_keys=True, ensure_ascii=False) if self.item_notes else ""
        )
        return values


# ---------------------------------------------------------------------------------------------- objective, plan


def _four_p_list(value: Any) -> Any:
    """A list of 4P words, or the stored "Pursue,Protect" text, in any case; unknown words refused."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple | set | frozenset):
        return value
    by_word = {p.value.casefold(): p.value for p in FourP}
    words = [str(v).strip() for v in value]
    unknown = [w for w in words if w.casefold() not in by_word]
    if unknown:
        allowed = ", ".join(p.value for p in FourP)
        raise rule(f"{', '.join(repr(w) for w in unknown)} is not one of {allowed}")
    return [by_word[w.casefold()] for w in words]


def _code(value: Any) -> Any:
    # A plan's codes are what people cite ("SER-02.08"): letters, digits and - . / only, no spaces.
    if isinstance(value, str):
        value = value.strip().upper()
        if value and not _CODE.match(value):
            raise rule("use letters, digits and - . / only (for example SER-02.08)")
    return value


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9./-]*$")
Code10 = Annotated[str, Field(min_length=1, max_length=10), BeforeValidator(_code)]
Code20 = Annotated[str, Field(min_length=1, max_length=20), BeforeValidator(_code)]


class ThemeIn(InputModel):
    """A theme (priority) of the plan: its code ("SER") and name."""

    code: Code10
    name: Name
    description: Text = ""


class OutcomeIn(InputModel):
    """An outcome group under a theme: its code ("SER-02") and title."""

    code: Code20
    title: Title
    description: Text = ""


class ObjectiveEdit(InputModel):
    """The fields of an objective a person edits; lifecycle, RAG and progress come from status updates."""

    ref: Code20
    title: LongTitle
    description: Text = ""
    lead_id: OptionalId = None
    board_id: OptionalId = None
    four_p: Annotated[list[FourP], BeforeValidator(_four_p_list)] = []
    start_date: OptionalDate = None
    target_date: OptionalDate = None

    @field_validator("four_p")
    @classmethod
    def _canonical_order(cls, value: list[str]) -> list[str]:
        return [p.value for p in FourP if p.value in value]

    @field_validator("target_date")
    @classmethod
    def _target_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _check_not_before(value, info, "start_date", "start date")

    @classmethod
    def from_row(cls, row: object) -> dict[str, Any]:
        values = super().from_row(row)
        values["four_p"] = _four_p_list(values.get("four_p") or "")
        return values

    def to_row(self) -> dict[str, Any]:
        values = self.model_dump()
        values["four_p"] = ",".join(self.four_p)
        return values


RiskScoreLimit = Annotated[int, Field(ge=1, le=25)]


class PlanSettingsIn(InputModel):
    """The plan's own settings: its name and dates, how often it reports, its protective marking, the RAG
    definitions, the risk appetite and bands, and the milestone slip tolerance."""

    name: Name
    organisation: Short = ""
    start_date: Day
    end_date: Day
    period_frequency: Annotated[PeriodFrequency, _word(PeriodFrequency)] = PeriodFrequency.QUARTERLY
    protective_marking: Annotated[Marking, _word(Marking)] = Marking.OFFICIAL
    handling_caveat: Short = ""
    rag_green: Definition
    rag_amber: Definition
    rag_red: Definition
    rag_blue: Definition
    rag_grey: Definition
    risk_appetite: RiskScoreLimit
    risk_low_max: RiskScoreLimit
    risk_medium_max: RiskScoreLimit
    risk_high_max: RiskScoreLimit
    slip_tolerance_days: int = Field(ge=0, le=365)
    contact_officer: Short = ""

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date, info: ValidationInfo) -> date:
        return _check_after(value, info, "start_date", "start date")

    @field_validator("risk_medium_max", "risk_high_max")
    @classmethod
    def _bands_increase(cls, value: int, info: ValidationInfo) -> int:
        order = ["risk_low_max", "risk_medium_max", "risk_high_max"]
        # Compare with the nearest lower maximum that is itself valid, so each mistake is reported once.
        for lower in reversed(order[: order.index(info.field_name or "")]):
            below = info.data.get(lower)
            if below is None:
                continue
            if value <= below:
                raise rule(f"must be more than the {lower.removeprefix('risk_').replace('_', ' ')} ({below})")
            break
        return value


class BoardIn(InputModel):
    """A governance board objectives report to: its name, how often it meets, what it is for."""

    name: Name
    cadence: Annotated[str, Field(max_length=50)] = ""
    description: Text = ""


class NewPlanIn(InputModel):
    """Next year's plan, started from this one: its name and dates (see tracker.services.rollover)."""

    name: Name
    start_date: Day
    end_date: Day

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: date, info: ValidationInfo) -> date:
        return _check_after(value, info, "start_date", "start date")
