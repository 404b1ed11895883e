"""The shape of a period return workbook, shared by issuing and importing it.

Four data sheets (objectives, milestones, risks, recommendations). Each row carries its item's id
in a hidden, locked last column, so rows can be sorted and still be recognised. The columns a
lead fills in are listed per sheet; every other column is context and is locked.

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

FORMAT = "delivery-plan-tracker period return 1"
MANIFEST_SHEET = "Return data"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
HEADER_ROW = 2  # row 1 holds a line saying what to do on the sheet
FIRST_ROW = 3
TEXT_MAX = 30_000  # tracker.schemas.LONG_TEXT_MAX

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


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    width: float
    kind: str = "text"  # text | choice | percent | score | date | id
    input: bool = False
    choices: str = ""  # the list's name in LISTS
    wrap: bool = False

    @property
    def expected(self) -> str:
        """What the cell must hold, in words, for problem messages."""
        return {
            "choice": f"one of {', '.join(LISTS.get(self.choices, ()))}, or blank",
            "percent": "a whole number from 0 to 100, or blank",
            "score": "a whole number from 1 to 5",
            "date": "a date such as 31/03/2025, or blank",
            "text": f"text of at most {TEXT_MAX:,} characters",
        }.get(self.kind, "the value as issued")


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str
    what_to_do: str
    columns: tuple[Column, ...]

    @property
    def inputs(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.input)


def _id() -> Column:
    return Column("Row id (do not change)", "id", 12, kind="id")


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
            Column("RAG", "rag", 10, kind="choice", input=True, choices="RAG"),
            Column("Lifecycle", "lifecycle", 14, kind="choice", input=True, choices="Lifecycle"),
            Column("% progress", "progress_pct", 11, kind="percent", input=True),
            Column("Rationale for the RAG", "rationale", 30, input=True, wrap=True),
            Column("Corrective action (if Red)", "corrective_action", 30, input=True, wrap=True),
            Column("Commentary", "commentary", 40, input=True, wrap=True),
            Column("Next steps", "next_steps", 30, input=True, wrap=True),
            _id(),
        ),
    ),
    SheetSpec(
        MILESTONE,
        "Milestones",
        "Move the forecast date if a milestone will land later or sooner; give the completed date "
        "when it is done.",
        (
            Column("Objective", "objective_ref", 11),
            Column("Milestone", "title", 48, wrap=True),
            Column("Owner", "owner_name", 22, wrap=True),
            Column("Baseline date", "baseline_date", 14, kind="date"),
            Column("Forecast date", "forecast_date", 14, kind="date", input=True),
            Column("Completed date", "completed_date", 15, kind="date", input=True),
            _id(),
        ),
    ),
    SheetSpec(
        RISK,
        "Risks",
        "Re-score each risk as it stands now (1 = lowest, 5 = highest) and update its mitigations.",
        (
            Column("Ref", "ref", 9),
            Column("Risk", "title", 42, wrap=True),
            Column("Objective", "objective_ref", 11),
            Column("Inherent score", "inherent", 10),
            Column("Residual likelihood (1-5)", "residual_likelihood", 13, kind="score", input=True),
            Column("Residual impact (1-5)", "residual_impact", 12, kind="score", input=True),
            Column("Mitigations", "mitigations", 50, input=True, wrap=True),
            _id(),
        ),
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
            Column("Status", "status", 18, kind="choice", input=True, choices="Status"),
            Column("Evidence", "evidence", 30, input=True, wrap=True),
            Column("Closure rationale", "closure_rationale", 26, input=True, wrap=True),
            Column("New progress note", "note", 40, input=True, wrap=True),
            _id(),
        ),
    ),
)
SHEET_BY_KIND = {s.kind: s for s in SHEETS}
SHEET_BY_TITLE = {s.title: s for s in SHEETS}


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
        text = raw if isinstance(raw, str) else _number_text(raw)
        if len(text) > TEXT_MAX:
            raise CellProblem(column.expected)
        return text
    if raw is None:
        if kind == "score":
            raise CellProblem(column.expected)
        return None
    if kind == "choice":
        value = _CHOICE_VALUES[column.choices].get(str(raw).casefold()) if isinstance(raw, str) else None
        if value is None:
            raise CellProblem(column.expected)
        return value
    if kind in ("percent", "score"):
        low, high = (0, 100) if kind == "percent" else (1, 5)
        number = _whole(raw.rstrip("%").strip() if kind == "percent" and isinstance(raw, str) else raw)
        if number is None or not low <= number <= high:
            raise CellProblem(column.expected)
        return number
    if kind == "date":
        day = _date(raw)
        if day is None:
            raise CellProblem(column.expected)
        return day
    return raw


def _number_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _whole(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str):
        try:
            number = float(raw)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def _date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date() if raw.time() == datetime.min.time() else None
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y"):
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
    return None


def shown(column: Column, value: Any) -> Any:
    """A stored value as the workbook shows it: choice words capitalised, blanks empty."""
    if value is None or value == "":
        return None
    if column.kind == "choice":
        return str(value)[0].upper() + str(value)[1:]
    return value


def describe(value: Any) -> str:
    """A value in a message: quoted text, a date as 31 Mar 2025, (blank) for nothing."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    if isinstance(value, str):
        short = value if len(value) <= 80 else value[:79] + "…"
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
