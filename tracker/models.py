"""Tables. Every editable row carries a UUID key, a revision, who/when changed it and a tombstone.

Table classes do not validate (sqlmodel #52): writes go through :mod:`tracker.services`, which
validate with the non-table models in :mod:`tracker.schemas` first. Enum-valued columns are plain
strings holding the ``StrEnum`` value, so that SQL, exports and the audit log read the same words.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Constraint names must be deterministic for Alembic batch migrations on SQLite.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Aware UTC, second precision (stable in audit hashes; SQLModel stores it as UTC)."""
    return datetime.now(UTC).replace(microsecond=0)


def _text(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(Text, nullable=nullable, default="" if not nullable else None)


class Editable(SQLModel):
    """Columns shared by every row that can be edited in more than one place."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    revision: int = Field(default=1)
    changed_by: str = Field(default="", max_length=200)
    changed_at: datetime = Field(default_factory=utcnow)
    deleted: bool = Field(default=False)


class Plan(Editable, table=True):
    name: str = Field(max_length=200)
    organisation: str = Field(default="", max_length=200)
    start_date: date
    end_date: date
    period_frequency: str = Field(default="quarterly", max_length=20)
    protective_marking: str = Field(default="OFFICIAL", max_length=40)
    handling_caveat: str = Field(default="", max_length=200)
    source: str = Field(default="", max_length=200)
    vision: str = Field(default="", sa_column=_text())
    mission: str = Field(default="", sa_column=_text())
    is_sample: bool = Field(default=False)
    rag_green: str = Field(default="On track.", sa_column=_text())
    rag_amber: str = Field(default="At risk; recoverable by the lead.", sa_column=_text())
    rag_red: str = Field(default="Off track; needs an SLT decision.", sa_column=_text())
    rag_blue: str = Field(default="Complete.", sa_column=_text())
    rag_grey: str = Field(default="Not started.", sa_column=_text())
    risk_appetite: int = Field(default=12)
    risk_low_max: int = Field(default=4)
    risk_medium_max: int = Field(default=9)
    risk_high_max: int = Field(default=15)
    slip_tolerance_days: int = Field(default=14)
    contact_officer: str = Field(default="", max_length=200)  # named as the contact on committee papers


# The plan settings a report is drawn with. A closed period keeps them as they were when it closed
# (ReportingPeriod.settings), so changing one later does not rewrite what that period reported.
REPORTED_SETTINGS: tuple[str, ...] = (
    "rag_green", "rag_amber", "rag_red", "rag_blue", "rag_grey",
    "risk_appetite", "risk_low_max", "risk_medium_max", "risk_high_max", "slip_tolerance_days",
)  # fmt: skip


def reported_settings(plan: object) -> str:
    """The plan's reported settings as a closed period keeps them (JSON text)."""
    return json.dumps({name: getattr(plan, name) for name in REPORTED_SETTINGS}, sort_keys=True)


def kept_settings(text: str) -> dict[str, Any]:
    """The settings a period kept when it closed ({} for one that kept none); unknown names are dropped."""
    if not text:
        return {}
    values = json.loads(text)
    return {name: values[name] for name in REPORTED_SETTINGS if name in values}


class Theme(Editable, table=True):
    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=36)
    code: str = Field(max_length=10)
    name: str = Field(max_length=200)
    ordinal: int = 0
    description: str = Field(default="", sa_column=_text())
    retired_on: date | None = None  # retired from the plan (kept for the periods that reported it)


class Outcome(Editable, table=True):
    theme_id: str = Field(foreign_key="theme.id", index=True, max_length=36)
    code: str = Field(max_length=20)
    title: str = Field(max_length=500)
    ordinal: int = 0
    description: str = Field(default="", sa_column=_text())
    retired_on: date | None = None


class Person(Editable, table=True):
    name: str = Field(max_length=200)
    role_title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=200)
    active: bool = True


class Board(Editable, table=True):
    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=36)
    name: str = Field(max_length=200)
    cadence: str = Field(default="", max_length=50)
    description: str = Field(default="", sa_column=_text())


class Objective(Editable, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "ref", name="uq_objective_plan_ref"),)

    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=36)
    outcome_id: str = Field(foreign_key="outcome.id", index=True, max_length=36)
    ref: str = Field(max_length=20)
    title: str = Field(sa_column=_text())
    description: str = Field(default="", sa_column=_text())
    lead_id: str | None = Field(default=None, foreign_key="person.id", index=True, max_length=36)
    board_id: str | None = Field(default=None, foreign_key="board.id", max_length=36)
    four_p: str = Field(default="", max_length=60)  # "Pursue,Protect": canonical order, comma-separated
    start_date: date | None = None
    target_date: date | None = None
    lifecycle: str = Field(default="not started", max_length=20)
    rag: str | None = Field(default=None, max_length=10)  # current reported RAG
    progress_pct: int | None = None
    ordinal: int = 0
    retired_on: date | None = None
    carried_from: str = Field(default="", max_length=300)  # "<plan> <ref>" it was carried over from


class ReportingPeriod(Editable, table=True):
    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("plan_id", "name", name="uq_reporting_period_plan_name"),)

    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=36)
    name: str = Field(max_length=40)
    start_date: date
    end_date: date
    status: str = Field(default="open", max_length=10)
    closed_at: datetime | None = None
    closed_by: str = Field(default="", max_length=200)
    return_by: date | None = None  # when leads' returns are due, as issued
    return_contact: str = Field(default="", max_length=200)  # who at the PMO leads ask about returns
    settings: str = Field(default="", sa_column=_text())  # JSON: the REPORTED_SETTINGS it was closed with


class PeriodReport(Editable, table=True):
    """What the PMO tells the board for a period: its key messages and the decisions it asks for.

    One per period; every edit is audited, so the audit log is its history.
    """

    __tablename__ = "period_report"
    __table_args__ = (UniqueConstraint("period_id", name="uq_period_report_period"),)

    period_id: str = Field(foreign_key="reporting_period.id", max_length=36)
    key_messages: str = Field(default="", sa_column=_text())
    decisions: str = Field(default="", sa_column=_text())


class CommitteePaper(Editable, table=True):
    """What the PMO writes into a period's committee paper for a board: its summary and a narrative per item.

    One per period and board; every edit is audited. ``item_notes`` is JSON: recommendation id -> text.
    """

    __tablename__ = "committee_paper"
    __table_args__ = (UniqueConstraint("period_id", "board_id", name="uq_committee_paper_period_board"),)

    period_id: str = Field(foreign_key="reporting_period.id", max_length=36)
    board_id: str = Field(foreign_key="board.id", index=True, max_length=36)
    summary: str = Field(default="", sa_column=_text())
    item_notes: str = Field(default="", sa_column=_text())


class StatusUpdate(Editable, table=True):
    __tablename__ = "status_update"
    __table_args__ = (
        UniqueConstraint("objective_id", "period_id", name="uq_status_update_objective_period"),
        Index("ix_status_update_period_objective", "period_id", "objective_id"),
        # Cover the dashboard's reads without touching the wide rows: the trend's count of every
        # period's statuses, the search for closing updates, and "reported since?" per objective.
        Index("ix_status_update_lifecycle", "lifecycle", "period_id", "objective_id", "rag", "deleted"),
        Index(
            "ix_status_update_objective_status", "objective_id", "deleted", "period_id", "lifecycle", "rag"
        ),
    )

    objective_id: str = Field(foreign_key="objective.id", max_length=36)
    period_id: str = Field(foreign_key="reporting_period.id", max_length=36)
    rag: str | None = Field(default=None, max_length=10)
    lifecycle: str = Field(max_length=20)
    progress_pct: int | None = None
    rationale: str = Field(default="", sa_column=_text())
    corrective_action: str = Field(default="", sa_column=_text())
    commentary: str = Field(default="", sa_column=_text())
    next_steps: str = Field(default="", sa_column=_text())
    author: str = Field(default="", max_length=200)
    reported_at: datetime = Field(default_factory=utcnow)


class Milestone(Editable, table=True):
    objective_id: str = Field(foreign_key="objective.id", index=True, max_length=36)
    title: str = Field(max_length=500)
    owner_id: str | None = Field(default=None, foreign_key="person.id", index=True, max_length=36)
    baseline_date: date
    forecast_date: date
    completed_date: date | None = None
    ordinal: int = 0
    notes: str = Field(default="", sa_column=_text())
    carried_from: str = Field(default="", max_length=300)


class Risk(Editable, table=True):
    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=36)
    ref: str = Field(max_length=20)
    title: str = Field(max_length=500)
    cause: str = Field(default="", sa_column=_text())
    event: str = Field(default="", sa_column=_text())
    effect: str = Field(default="", sa_column=_text())
    owner_id: str | None = Field(default=None, foreign_key="person.id", index=True, max_length=36)
    objective_id: str | None = Field(default=None, foreign_key="objective.id", index=True, max_length=36)
    theme_id: str | None = Field(default=None, foreign_key="theme.id", max_length=36)
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    target_likelihood: int
    target_impact: int
    response: str = Field(default="treat", max_length=20)
    mitigations: str = Field(default="", sa_column=_text())
    status: str = Field(default="open", max_length=10)
    review_date: date | None = None
    carried_from: str = Field(default="", max_length=300)


class Inspection(Editable, table=True):
    plan_id: str = Field(foreign_key="plan.id", index=True, max_length=36)
    body: str = Field(max_length=60)
    title: str = Field(max_length=500)
    published_date: date | None = None
    grade: str = Field(default="", max_length=60)
    notes: str = Field(default="", sa_column=_text())


class Recommendation(Editable, table=True):
    inspection_id: str = Field(foreign_key="inspection.id", index=True, max_length=36)
    kind: str = Field(max_length=30)
    ref: str = Field(max_length=40)
    text: str = Field(sa_column=_text())
    owner_id: str | None = Field(default=None, foreign_key="person.id", index=True, max_length=36)
    due_date: date | None = None
    status: str = Field(default="awaiting allocation", max_length=30)
    evidence: str = Field(default="", sa_column=_text())
    closure_rationale: str = Field(default="", sa_column=_text())
    closed_date: date | None = None
    carried_from: str = Field(default="", max_length=300)


class ProgressNote(Editable, table=True):
    __tablename__ = "progress_note"

    recommendation_id: str = Field(foreign_key="recommendation.id", index=True, max_length=36)
    note_date: date
    text: str = Field(sa_column=_text())
    author: str = Field(default="", max_length=200)


class RecommendationObjective(Editable, table=True):
    __tablename__ = "recommendation_objective"
    __table_args__ = (UniqueConstraint("recommendation_id", "objective_id", name="uq_rec_objective"),)

    recommendation_id: str = Field(foreign_key="recommendation.id", max_length=36)
    objective_id: str = Field(foreign_key="objective.id", index=True, max_length=36)


class RecommendationMilestone(Editable, table=True):
    __tablename__ = "recommendation_milestone"
    __table_args__ = (UniqueConstraint("recommendation_id", "milestone_id", name="uq_rec_milestone"),)

    recommendation_id: str = Field(foreign_key="recommendation.id", max_length=36)
    milestone_id: str = Field(foreign_key="milestone.id", index=True, max_length=36)


class RecommendationRisk(Editable, table=True):
    __tablename__ = "recommendation_risk"
    __table_args__ = (UniqueConstraint("recommendation_id", "risk_id", name="uq_rec_risk"),)

    recommendation_id: str = Field(foreign_key="recommendation.id", max_length=36)
    risk_id: str = Field(foreign_key="risk.id", index=True, max_length=36)


class PeriodReturn(Editable, table=True):
    """A period return issued to a lead as a workbook, and what became of it (issued, received, applied)."""

    __tablename__ = "period_return"
    __table_args__ = (UniqueConstraint("period_id", "lead_id", name="uq_period_return_period_lead"),)

    period_id: str = Field(foreign_key="reporting_period.id", max_length=36)
    lead_id: str = Field(foreign_key="person.id", index=True, max_length=36)
    status: str = Field(default="issued", max_length=20)  # issued | received | applied
    file_name: str = Field(default="", max_length=300)
    checksum: str = Field(default="", max_length=64)  # of the issued manifest: identifies this issue
    issued_at: datetime | None = None
    issued_by: str = Field(default="", max_length=200)
    received_at: datetime | None = None
    applied_at: datetime | None = None
    applied_by: str = Field(default="", max_length=200)
    rows_applied: int = 0


class SyncConflict(Editable, table=True):
    """A change an offline replica sent that the team plan could not take as it stood: the same field
    changed on both sides, an edit against a removal, a change to a period closed meanwhile (a late
    submission), or a code already taken. It keeps the base, mine and theirs (encoded as the audit
    log encodes values) until a person decides; nothing is overwritten before then."""

    __tablename__ = "sync_conflict"

    item_kind: str = Field(max_length=40)
    item_id: str = Field(max_length=36, index=True)
    field: str = Field(default="", max_length=60)  # "" for the whole row (a removal, a late submission)
    reason: str = Field(max_length=20)  # a tracker.enums.ConflictReason value
    base: str | None = Field(default=None, sa_column=_text(nullable=True))
    mine: str | None = Field(default=None, sa_column=_text(nullable=True))
    theirs: str | None = Field(default=None, sa_column=_text(nullable=True))
    period_id: str | None = Field(default=None, max_length=36)
    op_id: str = Field(max_length=36)
    replica_id: str = Field(max_length=36)
    login: str = Field(max_length=63)  # who sent it (the server's login)
    state: str = Field(default="open", max_length=20)  # a tracker.enums.ConflictState value
    resolved_by: str = Field(default="", max_length=200)


class Outbox(SQLModel, table=True):
    """An offline replica's changes waiting to be sent, written in the same transaction as the change
    (by the unit of work): one operation per row changed in a transaction, with the revision it was
    based on and each field's old and new value (encoded as in the audit log). Empty elsewhere."""

    __tablename__ = "outbox"

    seq: int | None = Field(default=None, primary_key=True)
    op_id: str = Field(max_length=36, unique=True)
    txn: str = Field(max_length=36, index=True)  # the local transaction, as the local audit log names it
    kind: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    action: str = Field(max_length=10)  # create | update
    base_revision: int | None = None
    fields: str = Field(sa_column=_text())  # JSON: {field: [old, new]}, values as the audit log encodes them
    login: str = Field(default="", max_length=200)
    schema_version: str = Field(default="", max_length=32)
    state: str = Field(default="pending", max_length=12)  # pending | refused
    message: str = Field(default="", sa_column=_text())


class SyncApplied(SQLModel, table=True):
    """On the team server: each replica operation it has taken, recorded in the same transaction as
    its effect, so a sync retried after any interruption applies nothing twice."""

    __tablename__ = "sync_applied"

    op_id: str = Field(primary_key=True, max_length=36)
    replica_id: str = Field(max_length=36, index=True)
    login: str = Field(max_length=63)
    outcome: str = Field(max_length=12)  # a tracker.enums.OpOutcome value
    message: str = Field(default="", sa_column=_text())
    server_txn: str = Field(default="", max_length=36)


class AuditEntry(SQLModel, table=True):
    """Append-only. ``hash`` = sha256 over the previous hash and this row's fields (see tracker.audit)."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    txn: str = Field(max_length=36, index=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=200)
    source: str = Field(max_length=20)
    detail: str = Field(default="", max_length=500)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=36)
    field: str = Field(max_length=60)
    old: str | None = Field(default=None, sa_column=_text(nullable=True))
    new: str | None = Field(default=None, sa_column=_text(nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """One row: the last sequence number and hash. Updating it serialises writers on every backend."""

    __tablename__ = "audit_head"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = 0
    hash: str = Field(default="", max_length=64)


class Kind(StrEnum):
    """A kind of item: its table's name, as the audit log records it and as ``Changes`` report it.

    Views say which kinds make them reload with these members, so a misspelt kind fails at import.
    """

    PLAN = "plan"
    THEME = "theme"
    OUTCOME = "outcome"
    PERSON = "person"
    BOARD = "board"
    OBJECTIVE = "objective"
    REPORTING_PERIOD = "reporting_period"
    STATUS_UPDATE = "status_update"
    MILESTONE = "milestone"
    RISK = "risk"
    INSPECTION = "inspection"
    RECOMMENDATION = "recommendation"
    PROGRESS_NOTE = "progress_note"
    RECOMMENDATION_OBJECTIVE = "recommendation_objective"
    RECOMMENDATION_MILESTONE = "recommendation_milestone"
    RECOMMENDATION_RISK = "recommendation_risk"
    PERIOD_RETURN = "period_return"
    PERIOD_REPORT = "period_report"
    SYNC_CONFLICT = "sync_conflict"
    COMMITTEE_PAPER = "committee_paper"

    @property
    def label(self) -> str:
        """The kind in words: 'reporting period'."""
        return self.value.replace("_", " ")


_TABLES: tuple[type[Editable], ...] = (
    Plan, Theme, Outcome, Person, Board, Objective, ReportingPeriod, StatusUpdate, Milestone, Risk,
    Inspection, Recommendation, ProgressNote, RecommendationObjective, RecommendationMilestone,
    RecommendationRisk, PeriodReturn, PeriodReport, SyncConflict, CommitteePaper,
)  # fmt: skip

# kind -> table class, and back
ENTITIES: dict[Kind, type[Editable]] = {Kind(cls.__tablename__): cls for cls in _TABLES}  # type: ignore[arg-type]
KIND_OF: dict[type[Editable], Kind] = {cls: kind for kind, cls in ENTITIES.items()}
if set(ENTITIES) != set(Kind):  # pragma: no cover - a table without a kind, or a kind without a table
    raise RuntimeError(f"kinds and tables disagree: {sorted(set(Kind) ^ set(ENTITIES))}")


class StoreMeta(SQLModel, table=True):
    """Facts about the file itself: which app version last wrote it (for the 'newer version' message), and
    which newer plan replaced its plan (``superseded_*``, see tracker.services.rollover)."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(default="", max_length=200)
