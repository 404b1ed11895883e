"""The shape of a period return workbook, shared by issuing and importing it.

Four data sheets (objectives, milestones, risks, recommendations). Each row carries its item's id
in a hidden, locked last column, so rows can be sorted and still be recognised. The columns a
lead fills in are listed per sheet, each with the input message a cell shows; every other column
is context and is locked. The risks sheet ends with a few rows for new risks ("new-1"...), whose
own columns are the ones a new item takes (``Column.new_input``). A reason column gives the reason
for changing the dates it ``explains``.

A very hidden sheet holds the manifest: plan, period, lead, issue time, and for each row its kind,
id, revision and the values issued in its input columns. The checksum (sha256 over all of that)
is also recorded in the database when the return is issued, so an edited manifest is recognised.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker.enums import Lifecycle, Rag, RecommendationStatus
from tracker.models import Kind
from tracker.workbooks.cell_values import cell_date, number_text, whole

FORMAT = "delivery-plan-tracker period return 2"
EARLIER_FORMATS = frozenset({"delivery-plan-tracker period return 1"})
MANIFEST_SHEET = "Return data"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
HEADER_ROW = 2  # row 1 holds a line saying what to do on the sheet
FIRST_ROW = 3
TEXT_MAX = 30_000  # tracker.schemas.LONG_TEXT_MAX
REASON_MAX = 1_000  # a reason for a date change goes into the milestone's notes: a sentence or two
PROMPT_MAX = 255  # Excel's limit for a cell's input message
PROMPT_TITLE_MAX = 32  # and for its title
NEW_ROW = "new-"  # the hidden id of a row for a new item: "new-1", "new-2"...
OBJECTIVES_LIST = "Objectives"  # the Lists sheet's list of the lead's objectives (for a new risk)

OBJECTIVE, MILESTONE, RISK, RECOMMENDATION = Kind.OBJECTIVE, Kind.MILESTONE, Kind.RISK, Kind.RECOMMENDATION

LISTS: dict[str, tuple[str, ...]] = {
    "RAG": tuple(r.label for r in Rag),
    "Lifecycle": tuple(s.label for s in Lifecycle),
    "Status": tuple(s.label for s in RecommendationStatus),
}
_CHOICE_VALUES = {
    "RAG": {r.value.casefold(): r.value for r in Rag},
    "Lifecycle": {s.value.casefold(): s.value for s in Lifecycle},
    "Status": {s.value.casefold(): s.value for s in RecommendationStatus},
}
_CHOICE_LABELS = {
    "RAG": {r.value: r.label for r in Rag},
    "Lifecycle": {s.value: s.label for s in Lifecycle},
    "Status": {s.value: s.label for s in RecommendationStatus},
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    width: float
    kind: str = "text"  # text | choice | percent | score | date | ref (one of the lead's objectives) | id
    input: bool = False  # filled in on an item's row
    choices: str = ""  # the list's name in LISTS, or OBJECTIVES_LIST for a ref
    wrap: bool = False
    prompt: str = ""  # the input message a cell shows when chosen: what is expected (every input has one)
    new_input: bool = False  # filled in on a row for a new item
    optional: bool = False  # a score that may be left blank (on a new item's row)
    max_chars: int = TEXT_MAX
    explains: tuple[str, ...] = ()  # the fields whose change this column gives the reason for

    @property
    def expected(self) -> str:
        """What the cell must hold, in words, for problem messages."""
        if self.kind == "score":
            return "a whole number from 1 to 5" + (", or blank" if self.optional else "")
        return {
            "choice": f"one of {', '.join(LISTS.get(self.choices, ()))}, or blank",
            "percent": "a whole number from 0 to 100, or blank",
            "date": "a date such as 31/03/2025, or blank",
            "text": f"text of at most {self.max_chars:,} characters",
            "ref": "the reference of an objective you lead, from the list",
        }.get(self.kind, "the value as issued")


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str
    what_to_do: str
    columns: tuple[Column, ...]
    new_rows: int = 0  # rows at the end for new items (their ids "new-1"...)
    new_noun: str = ""  # what a new row raises, e.g. "New risk" (shown in its first column)
    repeat: int = 2  # the reference columns, frozen on screen and printed again on every page to the right

    @property
    def inputs(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.input)

    @property
    def new_inputs(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.new_input)

    def new_ids(self) -> tuple[str, ...]:
        return tuple(f"{NEW_ROW}{n}" for n in range(1, self.new_rows + 1))


def _id() -> Column:
    return Column("Row id (do not change)", "id", 12, kind="id")


_DATE = "Type a date such as 31/03/2025."
_NEW = "New risk only: "

# fmt: off
SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        OBJECTIVE,
        "Objectives",
        "Fill in the yellow columns for each objective you lead. A change of RAG needs a rationale; "
        "Red needs a corrective action.",
        (
            Column("Ref", "ref", 11),
            Column("Objective", "title", 42, wrap=True),
            Column("Last reported", "prev", 16, wrap=True),
            Column("Last commentary", "prev_commentary", 36, wrap=True),
            Column("RAG", "rag", 10, kind="choice", input=True, choices="RAG",
                   prompt="Choose Red, Amber or Green. Needed while the objective is in progress or on "
                   "hold; leave blank when not started, complete or cancelled. A change from last period "
                   "needs a rationale; Red needs a corrective action."),
            Column("Lifecycle", "lifecycle", 14, kind="choice", input=True, choices="Lifecycle",
                   prompt="Choose Not started, In progress, On hold, Complete or Cancelled. Complete sets "
                   "progress to 100%; complete, cancelled and not started clear the RAG."),
            Column("% progress", "progress_pct", 11, kind="percent", input=True,
                   prompt="How far the objective has got: a whole number from 0 to 100 (type 40, not 40%)."),
            Column("Rationale for the RAG", "rationale", 30, input=True, wrap=True,
                   prompt="Why the RAG is what it is. Needed when the RAG differs from last period."),
            Column("Corrective action (if Red)", "corrective_action", 30, input=True, wrap=True,
                   prompt="What will bring the objective back on track, by whom and when. Needed when "
                   "the RAG is Red."),
            Column("Commentary", "commentary", 40, input=True, wrap=True,
                   prompt="Progress this period in a few sentences, as the senior leadership team will "
                   "read it."),
            Column("Next steps", "next_steps", 30, input=True, wrap=True,
                   prompt="What happens next, and by when."),
            _id(),
        ),
    ),
    SheetSpec(
        MILESTONE,
        "Milestones",
        "Move the forecast date if a milestone will land later or sooner, and say why; give the "
        "completed date when it is done.",
        (
            Column("Objective", "objective_ref", 11),
            Column("Milestone", "title", 44, wrap=True),
            Column("Owner", "owner_name", 22, wrap=True),
            Column("Baseline date", "baseline_date", 14, kind="date", input=True,
                   prompt="The date agreed when the milestone was planned. Change it only with the "
                   f"PMO's agreement, and give the reason in the last column. {_DATE}"),
            Column("Forecast date", "forecast_date", 14, kind="date", input=True,
                   prompt="When you now expect the milestone to be done. If you move it, say why in "
                   f"the last column (Reason for date change). {_DATE}"),
            Column("Completed date", "completed_date", 15, kind="date", input=True,
                   prompt="The day the milestone was done: today or earlier, never a future date. "
                   f"Leave blank until it is done. {_DATE}"),
            Column("Reason for date change", "reason", 36, input=True, wrap=True, max_chars=REASON_MAX,
                   explains=("baseline_date", "forecast_date"),
                   prompt="Why the baseline or forecast date moved. Needed whenever you change either "
                   "date. It is kept in the milestone's notes with your name and the date."),
            _id(),
        ),
    ),
    SheetSpec(
        RISK,
        "Risks",
        "Re-score each risk as it stands now (1 = lowest, 5 = highest) and update its mitigations. "
        "To raise a new risk, fill in a 'New risk' row at the bottom.",
        (
            Column("Ref", "ref", 9),
            Column("Risk", "title", 30, wrap=True, new_input=True,
                   prompt=f"{_NEW}a short title for the risk (needed to raise it)."),
            Column("Cause", "cause", 22, wrap=True, new_input=True,
                   prompt=f"{_NEW}the cause: what could bring the risk about."),
            Column("Event", "event", 22, wrap=True, new_input=True,
                   prompt=f"{_NEW}the event: what might happen."),
            Column("Effect", "effect", 22, wrap=True, new_input=True,
                   prompt=f"{_NEW}the effect: what it would mean for the objective."),
            Column("Objective", "objective_ref", 11, kind="ref", choices=OBJECTIVES_LIST, new_input=True,
                   prompt=f"{_NEW}choose one of the objectives you lead from the list."),
            Column("Owner", "owner_name", 16, wrap=True),
            Column("Inherent likelihood (1-5)", "inherent_likelihood", 11, kind="score", new_input=True,
                   prompt=f"{_NEW}how likely before any controls, from 1 (lowest) to 5 (highest)."),
            Column("Inherent impact (1-5)", "inherent_impact", 10, kind="score", new_input=True,
                   prompt=f"{_NEW}how great the impact before any controls, from 1 (lowest) to 5 "
                   "(highest)."),
            Column("Residual likelihood (1-5)", "residual_likelihood", 11, kind="score", input=True,
                   new_input=True,
                   prompt="How likely the risk is now, with the controls in place: a whole number from "
                   "1 (lowest) to 5 (highest)."),
            Column("Residual impact (1-5)", "residual_impact", 10, kind="score", input=True,
                   new_input=True,
                   prompt="How great the impact would be now, with the controls in place: a whole "
                   "number from 1 (lowest) to 5 (highest)."),
            Column("Target likelihood (1-5)", "target_likelihood", 10, kind="score", new_input=True,
                   optional=True,
                   prompt=f"{_NEW}the likelihood you aim for, 1 to 5. Leave blank to aim for the "
                   "residual score."),
            Column("Target impact (1-5)", "target_impact", 10, kind="score", new_input=True,
                   optional=True,
                   prompt=f"{_NEW}the impact you aim for, 1 to 5. Leave blank to aim for the residual "
                   "score."),
            Column("Mitigations", "mitigations", 36, input=True, new_input=True, wrap=True,
                   prompt="What is being done to reduce the risk, by whom and when."),
            _id(),
        ),
        new_rows=5,
        new_noun="New risk",
    ),
    SheetSpec(
        RECOMMENDATION,
        "Recommendations",
        "Set the status and add a progress note. Proposing closure needs evidence; closing needs "
        "a closure rationale.",
        (
            Column("Body", "body", 11),
            Column("Ref", "ref", 10),
            Column("Kind", "kind", 14, wrap=True),
            Column("Recommendation", "text", 46, wrap=True),
            Column("Due date", "due_date", 12, kind="date"),
            Column("Latest progress note", "latest_note", 36, wrap=True),
            Column("Status", "status", 18, kind="choice", input=True, choices="Status",
                   prompt="Choose from the list. Proposed for closure needs evidence; Closed needs a "
                   "closure rationale."),
            Column("Evidence", "evidence", 30, input=True, wrap=True,
                   prompt="What shows the recommendation is met: documents, dates and where they are "
                   "kept. Needed to propose closure."),
            Column("Closure rationale", "closure_rationale", 26, input=True, wrap=True,
                   prompt="Why the recommendation can be closed. Needed to close it."),
            Column("New progress note", "note", 40, input=True, wrap=True,
                   prompt="Progress since the latest note, in a sentence or two. It is added as a new "
                   "note with your name."),
            _id(),
        ),
    ),
)
# fmt: on
SHEET_BY_KIND = {s.kind: s for s in SHEETS}
SHEET_BY_TITLE = {s.title: s for s in SHEETS}


@dataclass(frozen=True)
class Contact:
    """What a return says about sending it back: by when and to whom, as set on the period."""

    return_by: date | None = None
    contact: str = ""  # whom at the PMO a lead sends it to and asks, e.g. "EMSOU PMO, pmo@example.org"

    @property
    def to_whom(self) -> str:
        return " ".join(self.contact.split()) or "the PMO"

    @property
    def due(self) -> str:
        """ "12 Apr 2024", or "" when no date is set."""
        return f"{self.return_by:%d %b %Y}" if self.return_by else ""

    def line(self) -> str:
        """The sentence at the top of every sheet: "Return by 12 Apr 2024 to EMSOU PMO, pmo@…"."""
        if self.return_by:
            return f"Return by {self.due} to {self.to_whom}."
        return f"Return to {self.to_whom}." if self.contact.strip() else ""


# ---------------------------------------------------------------------------------------------- values


class CellProblem(ValueError):
    """A cell's value is not what its column takes."""


def parse(column: Column, raw: Any) -> Any:
    """The column's value for what a cell holds (None for blank); CellProblem when it is not one."""
    if isinstance(raw, str):
        raw = raw.replace("\r\n", "\n").strip()
        if raw == "":
            raw = None
    kind = column.kind
    if kind == "text":
        if raw is None:
            return ""
        if isinstance(raw, datetime | date):
            raise CellProblem(column.expected)
        text = raw if isinstance(raw, str) else number_text(raw)
        if len(text) > column.max_chars:
            raise CellProblem(column.expected)
        return text
    if raw is None:
        if kind == "score" and not column.optional:
            raise CellProblem(column.expected)
        return None
    if kind == "ref":
        return raw if isinstance(raw, str) else number_text(raw)
    if kind == "choice":
        value = _CHOICE_VALUES[column.choices].get(str(raw).casefold()) if isinstance(raw, str) else None
        if value is None:
            raise CellProblem(column.expected)
        return value
    if kind in ("percent", "score"):
        low, high = (0, 100) if kind == "percent" else (1, 5)
        number = whole(raw.rstrip("%").strip() if kind == "percent" and isinstance(raw, str) else raw)
        if number is None or not low <= number <= high:
            raise CellProblem(column.expected)
        return number
    if kind == "date":
        day = cell_date(raw)
        if day is None:
            raise CellProblem(column.expected)
        return day
    return raw


def shown(column: Column, value: Any) -> Any:
    """A stored value as the workbook shows it: choice words capitalised, blanks empty."""
    if value is None or value == "":
        return None
    if column.kind == "choice":
        return _CHOICE_LABELS[column.choices].get(str(value), str(value)[0].upper() + str(value)[1:])
    return value


def value_words(kind: str, field: str, value: Any, *, whole: bool = False) -> str:
    """A field's value in a message, in the app's words: "Green", not "green"; dates as 31 Mar 2025.

    Text is quoted, and shortened unless ``whole``.
    """
    spec = SHEET_BY_KIND.get(kind)
    column = next((c for c in spec.columns if c.field == field), None) if spec is not None else None
    if column is not None and column.kind == "choice" and isinstance(value, str) and value:
        return _CHOICE_LABELS[column.choices].get(value, value)
    return describe(value, whole=whole)


def describe(value: Any, *, whole: bool = False) -> str:
    """A value in a message: quoted text (shortened unless ``whole``), a date as 31 Mar 2025, (blank) for nothing."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, str):
        short = value if whole or len(value) <= 80 else value[:79] + "…"
        return f"“{short}”"
    return str(value)


# ---------------------------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ManifestRow:
    kind: str
    id: str
    revision: int
    values: tuple[Any, ...]  # the issued values of the kind's input columns, in order

    def issued(self) -> dict[str, Any]:
        return {c.field: v for c, v in zip(SHEET_BY_KIND[self.kind].inputs, self.values, strict=True)}


@dataclass(frozen=True)
class Manifest:
    plan_id: str
    period_id: str
    lead_id: str
    issued_at: str  # ISO 8601, UTC
    rows: tuple[ManifestRow, ...]

    def checksum(self) -> str:
        body = [
            FORMAT, self.plan_id, self.period_id, self.lead_id, self.issued_at,
            [[r.kind, r.id, r.revision, [_plain(v) for v in r.values]] for r in self.rows],
        ]  # fmt: skip
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def header_rows(self) -> list[list[Any]]:
        return [
            ["format", FORMAT],
            ["plan", self.plan_id],
            ["period", self.period_id],
            ["lead", self.lead_id],
            ["issued_at", self.issued_at],
            ["checksum", self.checksum()],
            ["kind", "id", "revision", "issued values…"],
        ]

    def data_rows(self) -> list[list[Any]]:
        return [[r.kind, r.id, r.revision, *(_plain(v) for v in r.values)] for r in self.rows]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def issued_value(column: Column, raw: Any) -> Any:
    """A manifest cell back to the value that was issued (dates were written as ISO text)."""
    if column.kind == "date":
        return date.fromisoformat(raw) if isinstance(raw, str) and raw else None
    if column.kind == "text":
        return "" if raw is None else str(raw)
    if column.kind in ("percent", "score"):
        return None if raw is None or raw == "" else int(raw)
    return None if raw == "" else raw


def manifest_values(kind: str, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[c.field] for c in SHEET_BY_KIND[kind].inputs)


def headers(spec: SheetSpec) -> Sequence[str]:
    return [c.header for c in spec.columns]
