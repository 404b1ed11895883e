"""The domain's closed vocabularies. Values are what the database stores; labels are what people read."""

from __future__ import annotations

from enum import StrEnum


class Lifecycle(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    ON_HOLD = "on hold"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Rag(StrEnum):
    """The status a lead reports while an objective is in progress (or on hold)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def letter(self) -> str:
        return self.value[0].upper()


class Brag(StrEnum):
    """What is displayed: RAG while live, Blue when complete, Grey when not started, cancelled or unreported."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"
    GREY = "grey"

    @property
    def letter(self) -> str:
        return self.value[0].upper()

    @property
    def label(self) -> str:
        """A heading for a count of this status: the colour with what it means."""
        return {"blue": "Blue (complete)", "grey": "Grey (not started or cancelled)"}.get(
            self.value, self.value.capitalize()
        )


class Movement(StrEnum):
    IMPROVED = "improved"
    DETERIORATED = "deteriorated"
    UNCHANGED = "unchanged"
    NEW = "new"

    @property
    def arrow(self) -> str:
        return {"improved": "↑", "deteriorated": "↓", "unchanged": "→", "new": "★"}[self.value]

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MilestoneState(StrEnum):
    COMPLETE = "complete"
    ON_TRACK = "on track"
    SLIPPING = "slipping"
    OVERDUE = "overdue"
    NOT_PURSUED = "not pursued"  # unfinished, but its objective was cancelled, completed or retired: not late

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RiskResponse(StrEnum):
    TREAT = "treat"
    TOLERATE = "tolerate"
    TRANSFER = "transfer"
    TERMINATE = "terminate"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RiskBand(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very high"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class InspectionBody(StrEnum):
    HMICFRS = "HMICFRS"
    IPCO = "IPCO"
    FSR = "Forensic Science Regulator"
    INTERNAL_AUDIT = "internal audit"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]


class RecommendationKind(StrEnum):
    CAUSE_OF_CONCERN = "cause of concern"
    RECOMMENDATION = "recommendation"
    AREA_FOR_IMPROVEMENT = "area for improvement"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RecommendationStatus(StrEnum):
    AWAITING_ALLOCATION = "awaiting allocation"
    BEING_PROGRESSED = "being progressed"
    PROPOSED_FOR_CLOSURE = "proposed for closure"
    CLOSED = "closed"
    SUPERSEDED = "superseded"
    NOT_ACCEPTED = "not accepted"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_open(self) -> bool:
        return self in OPEN_RECOMMENDATION_STATUSES


OPEN_RECOMMENDATION_STATUSES = frozenset(
    {
        RecommendationStatus.AWAITING_ALLOCATION,
        RecommendationStatus.BEING_PROGRESSED,
        RecommendationStatus.PROPOSED_FOR_CLOSURE,
    }
)


class PeriodStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PeriodFrequency(StrEnum):
    """How often the plan reports: the length of the periods the app offers to open next."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class FourP(StrEnum):
    """The national 4P approach: each objective may carry any of these tags."""

    PURSUE = "Pursue"
    PREVENT = "Prevent"
    PROTECT = "Protect"
    PREPARE = "Prepare"


class Marking(StrEnum):
    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


class Role(StrEnum):
    """What someone may change: the PMO everything, a lead their own items' progress, a viewer nothing.

    The services check it first (to refuse with a clear message); in team mode the server enforces it too.
    """

    PMO = "pmo"
    LEAD = "lead"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return {"pmo": "the PMO", "lead": "a lead", "viewer": "a viewer"}[self.value]


class Source(StrEnum):
    """Where an audited change came from: what the app writes in the audit log's "source"."""

    APP = "app"  # the desktop app
    CLI = "cli"  # the command line
    RETURN = "return"  # an applied period return (the file is named in the entry's detail)
    SYNC = "sync"  # an offline replica's changes, synced with the team plan
    UNDO = "undo"  # undo or redo ("undo of <txn>" in the detail)

    @property
    def label(self) -> str:
        """Where it came from, in words: "a return file"."""
        return {"app": "the app", "cli": "command line", "return": "a return file", "sync": "a sync",
                "undo": "undo"}[self.value]  # fmt: skip


class ConflictReason(StrEnum):
    """Why a replica's change is held as a conflict rather than taken."""

    SAME_FIELD = "same field"  # the field was changed on both sides, differently
    REMOVED_THERE = "removed there"  # changed here, removed on the team plan meanwhile
    CHANGED_THERE = "changed there"  # removed here, changed on the team plan meanwhile
    LATE = "late"  # a change to a period closed meanwhile: a late submission for the PMO
    CODE_TAKEN = "code taken"  # a new item's code was taken on the team plan meanwhile: both kept

    @property
    def label(self) -> str:
        return {
            "same field": "changed on both sides",
            "removed there": "removed on the team plan while you changed it",
            "changed there": "changed on the team plan while you removed it",
            "late": "late submission: the period was closed meanwhile",
            "code taken": "the code was taken meanwhile: both items kept",
        }[self.value]


class ConflictState(StrEnum):
    """What became of a conflict: open until a person decides."""

    OPEN = "open"
    KEPT_MINE = "kept mine"
    TOOK_THEIRS = "took theirs"
    EDITED = "edited"
    ACCEPTED = "accepted"  # a late submission the PMO took into the reopened period
    REJECTED = "rejected"  # a late submission the PMO turned down

    @property
    def label(self) -> str:
        return self.value


class OpOutcome(StrEnum):
    """What the team plan did with one operation a replica sent."""

    APPLIED = "applied"  # taken whole
    MERGED = "merged"  # taken, some fields held as conflicts
    CONFLICT = "conflict"  # nothing taken: held as a conflict
    REFUSED = "refused"  # the login may not make it: kept on the replica for its author to see
