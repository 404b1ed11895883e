"""The shape of a plan workbook (the template, an exported plan), shared by writing and reading it.

One sheet per kind of item, each with its title (row 1), a line saying what it holds (row 2),
its column headings (row 3) and its items from row 4. Every column is declared once here with what it takes; the
writer derives the drop-downs and rules from it, the reader the checks. Items are known by their
codes (see :mod:`tracker.services.plan_state`), so a row names what it belongs to by code or name.

The template's third row on each sheet is an example. It is skipped on import while it is exactly
as the template wrote it; change any cell and it is read as a row of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tracker.enums import (
    FourP,
    InspectionBody,
    RecommendationKind,
    RecommendationStatus,
    RiskResponse,
    RiskStatus,
)
from tracker.models import Kind
from tracker.workbooks.cell_values import cell_date, number_text, whole

INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
HEADER_ROW = 3  # under the sheet's title and the line saying what it holds
FIRST_ROW = 4
TEXT_MAX = 30_000  # tracker.schemas.LONG_TEXT_MAX
VALIDATED_ROWS = 2_000  # rows below the last item that keep the drop-downs and rules, for new items
YES, NO = "Yes", "No"
EXAMPLE_NOTE = (
    f"Row {FIRST_ROW} is an example: it is not imported while it is unchanged; overwrite or delete it."
)


def _labels(enum: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.value[0].upper() + m.value[1:]) for m in enum)


# list name -> (stored value, label shown) pairs
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "Risk response": _labels(RiskResponse),
    "Risk status": _labels(RiskStatus),
    "Inspection body": _labels(InspectionBody),
    "Recommendation kind": _labels(RecommendationKind),
    "Recommendation status": _labels(RecommendationStatus),
    "Yes or no": (("yes", YES), ("no", NO)),
}
_BY_WORD = {name: {label.casefold(): value for value, label in pairs} for name, pairs in CHOICES.items()}


@dataclass(frozen=True)
class Col:
    header: str
    field: str  # the table's column, or the name of a reference (theme, lead...) or a list of them
    width: float
    kind: str = "text"  # text | key | name | choice | score | date | order | yesno | fourp | refs
    required: bool = False
    max_chars: int = TEXT_MAX
    choices: str = ""  # a CHOICES list
    prompt: str = ""

    @property
    def heading(self) -> str:
        """The column heading as written: a required column is marked with a star."""
        return f"{self.header} *" if self.required else self.header

    @property
    def expected(self) -> str:
        """What the cell must hold, in words, for problem messages."""
        blank = "" if self.required else ", or blank"
        return {
            "choice": f"one of {', '.join(label for _, label in CHOICES.get(self.choices, ()))}{blank}",
            "yesno": f"Yes or No{blank}",
            "score": f"a whole number from 1 to 5{blank}",
            "date": f"a date such as 31/03/2025{blank}",
            "order": "a whole number of 0 or more, or blank",
            "fourp": f"any of {', '.join(p.value for p in FourP)}, separated by commas, or blank",
            "refs": "references separated by commas, or blank",
            "key": f"a code of at most {self.max_chars:,} characters, on one line{blank}",
            "name": f"a name of at most {self.max_chars:,} characters, on one line{blank}",
        }.get(self.kind, f"text of at most {self.max_chars:,} characters{blank}")


@dataclass(frozen=True)
class Sheet:
    kind: Kind
    title: str
    what: str  # row 1: what the sheet holds and how items are matched
    columns: tuple[Col, ...]
    example: tuple[Any, ...]  # the template's example row, as written

    @property
    def headers(self) -> dict[str, str]:
        return {c.field: c.header for c in self.columns}


def _order() -> Col:
    return Col(
        "Order",
        "ordinal",
        8,
        "order",
        prompt="Its place among its siblings: 1, 2, 3... Blank: after the last.",
    )


def _retired() -> Col:
    return Col(
        "Retired on",
        "retired_on",
        12,
        "date",
        prompt="The day it left the plan; blank while it is in the plan.",
    )


def _carried() -> Col:
    return Col(
        "Carried from",
        "carried_from",
        22,
        max_chars=300,
        prompt="The plan and ref it was carried over from, if any.",
    )


def _person(header: str, field: str) -> Col:
    return Col(
        header, field, 24, "name", max_chars=200, prompt="A name on the People sheet or already in the plan."
    )


_D = date(2025, 3, 31)

# fmt: off
SHEETS: tuple[Sheet, ...] = (
    Sheet(Kind.THEME, "Themes", "Themes: one a row, matched by code.", (
        Col("Code", "code", 10, "key", required=True, max_chars=10, prompt="A short code, unique in the plan, e.g. SER."),
        Col("Name", "name", 32, required=True, max_chars=200),
        Col("Description", "description", 48),
        _order(), _retired(),
    ), ("EXA", "Example theme", "Delete this row or leave it as it is: it is not imported.", 1, None)),
    Sheet(Kind.OUTCOME, "Outcomes", "Outcomes: one a row, matched by code; each under a theme.", (
        Col("Code", "code", 12, "key", required=True, max_chars=20, prompt="Unique in the plan, e.g. SER-01."),
        Col("Theme code", "theme", 12, "key", required=True, max_chars=10, prompt="A code on the Themes sheet or in the plan."),
        Col("Title", "title", 48, required=True, max_chars=500),
        Col("Description", "description", 40),
        _order(), _retired(),
    ), ("EXA-01", "EXA", "Example outcome", "", 1, None)),
    Sheet(Kind.OBJECTIVE, "Objectives", "Objectives: one a row, matched by ref; each under an outcome.", (
        Col("Ref", "ref", 12, "key", required=True, max_chars=20, prompt="Unique in the plan, e.g. SER-01.02."),
        Col("Outcome code", "outcome", 12, "key", required=True, max_chars=20, prompt="A code on the Outcomes sheet or in the plan."),
        Col("Title", "title", 50, required=True),
        Col("Description", "description", 40),
        _person("Lead", "lead"),
        Col("Board", "board", 24, "name", max_chars=200, prompt="A name on the Boards sheet or already in the plan."),
        Col("4P", "four_p", 16, "fourp", prompt="Any of Pursue, Prevent, Protect, Prepare, separated by commas."),
        Col("Start date", "start_date", 12, "date"),
        Col("Target date", "target_date", 12, "date", prompt="On or after the start date."),
        _order(), _retired(), _carried(),
    ), ("EXA-01.01", "EXA-01", "Example objective", "", "Example Person", "Example Board", "Pursue, Protect",
        date(2024, 4, 1), _D, 1, None, "")),
    Sheet(Kind.PERSON, "People", "People: one a row, matched by name (people are shared by the whole store).", (
        Col("Name", "name", 28, "name", required=True, max_chars=200),
        Col("Role title", "role_title", 28, max_chars=200),
        Col("Email", "email", 28, max_chars=200),
        Col("Active", "active", 8, "yesno", prompt="Yes, or No for someone who has left."),
    ), ("Example Person", "Detective Superintendent", "person@example.org", YES)),
    Sheet(Kind.BOARD, "Boards", "Boards: one a row, matched by name.", (
        Col("Name", "name", 32, "name", required=True, max_chars=200),
        Col("Cadence", "cadence", 14, max_chars=50, prompt="How often it meets, e.g. monthly."),
        Col("Description", "description", 48),
    ), ("Example Board", "monthly", "")),
    Sheet(Kind.MILESTONE, "Milestones", "Milestones: one a row, matched by objective ref and title.", (
        Col("Objective ref", "objective", 12, "key", required=True, max_chars=20, prompt="A ref on the Objectives sheet or in the plan."),
        Col("Title", "title", 44, required=True, max_chars=500),
        _person("Owner", "owner"),
        Col("Baseline date", "baseline_date", 12, "date", required=True),
        Col("Forecast date", "forecast_date", 12, "date", prompt="Blank: the baseline date."),
        Col("Completed date", "completed_date", 12, "date"),
        _order(),
        Col("Notes", "notes", 36),
        _carried(),
    ), ("EXA-01.01", "Example milestone", "Example Person", date(2024, 9, 30), date(2024, 9, 30), None, 1, "", "")),
    Sheet(Kind.RISK, "Risks", "Risks: one a row, matched by ref; each under an objective or a theme.", (
        Col("Ref", "ref", 10, "key", required=True, max_chars=20, prompt="Unique in the plan, e.g. R-001."),
        Col("Title", "title", 40, required=True, max_chars=500),
        Col("Objective ref", "objective", 12, "key", max_chars=20, prompt="The objective it belongs to; or give a theme code."),
        Col("Theme code", "theme", 10, "key", max_chars=10, prompt="The theme it belongs to, when not an objective."),
        Col("Cause", "cause", 30), Col("Event", "event", 30), Col("Effect", "effect", 30),
        _person("Owner", "owner"),
        *(Col(f"{stage} {what}", f"{stage.lower()}_{what}", 10, "score", required=True,
              prompt="A whole number from 1 (lowest) to 5 (highest).")
          for stage in ("Inherent", "Residual", "Target") for what in ("likelihood", "impact")),
        Col("Response", "response", 12, "choice", required=True, choices="Risk response"),
        Col("Status", "status", 10, "choice", required=True, choices="Risk status"),
        Col("Mitigations", "mitigations", 36),
        Col("Review date", "review_date", 12, "date"),
        _carried(),
    ), ("R-EXA", "Example risk", "EXA-01.01", None, "", "", "", "Example Person", 4, 4, 3, 3, 2, 2, "Treat", "Open",
        "", None, "")),
    Sheet(Kind.INSPECTION, "Inspections", "Inspections: one a row, matched by title.", (
        Col("Title", "title", 44, "key", required=True, max_chars=500),
        Col("Body", "body", 18, "choice", required=True, choices="Inspection body"),
        Col("Published date", "published_date", 12, "date"),
        Col("Grade", "grade", 16, max_chars=60),
        Col("Notes", "notes", 40),
    ), ("Example inspection", "HMICFRS", _D, "", "")),
    Sheet(Kind.RECOMMENDATION, "Recommendations",
          "Inspection recommendations: one a row, matched by inspection title and ref.", (
        Col("Inspection", "inspection", 30, "key", required=True, max_chars=500, prompt="A title on the Inspections sheet or in the plan."),
        Col("Ref", "ref", 10, "key", required=True, max_chars=40, prompt="Unique in its inspection, e.g. AFI-3."),
        Col("Kind", "kind", 18, "choice", required=True, choices="Recommendation kind"),
        Col("Text", "text", 48, required=True),
        _person("Owner", "owner"),
        Col("Due date", "due_date", 12, "date"),
        Col("Status", "status", 18, "choice", required=True, choices="Recommendation status"),
        Col("Evidence", "evidence", 30),
        Col("Closure rationale", "closure_rationale", 30),
        Col("Closed date", "closed_date", 12, "date", prompt="Only for a closed one."),
        Col("Objectives", "objectives", 18, "refs", prompt="Refs of the objectives that answer it, separated by commas."),
        Col("Risks", "risks", 14, "refs", prompt="Refs of the risks linked to it, separated by commas."),
        _carried(),
    ), ("Example inspection", "EXA-1", "Recommendation", "Example recommendation", "Example Person", _D,
        "Being progressed", "", "", None, "EXA-01.01", "", "")),
)
# fmt: on
SHEET_BY_KIND = {s.kind: s for s in SHEETS}

INSTRUCTIONS = (
    "How to fill in this workbook",
    f"Each sheet holds one kind of item, one a row, from row {FIRST_ROW}; row {HEADER_ROW} holds the column "
    "headings (do not "
    "rename, move or add columns). Required columns: see each sheet's headings and the notes that show "
    "when a cell is chosen.",
    "Items are matched by code: a theme or outcome by its code, an objective or a risk by its ref, a "
    "person or a board by name, a milestone by its objective ref and title, an inspection by its title, "
    "a recommendation by its inspection and ref. A row whose code is already in the plan updates that "
    "item; a new code adds an item. Items the workbook does not name are left as they are.",
    "A row names what it belongs to by code or name (an outcome's theme code, an objective's lead); that "
    "must be on its sheet in this workbook or already in the plan.",
    f"Row {FIRST_ROW} of each sheet in a blank template is an example. It is not imported while it is "
    "exactly as written; delete it, or overwrite it with your own first row.",
    "Dates are typed as 31/03/2025. To retire a theme, outcome or objective, give the date in 'Retired on'; "
    "nothing is deleted by an import.",
    "Not carried here: objectives' reported status (RAG, lifecycle, progress) and its history, which come "
    "from the status updates; recommendations' progress notes and links to milestones; the plan's "
    "settings; ids, revisions and who changed what when.",
    "To import: python main.py import-plan FILE.xlsx shows what would change, sheet by sheet and field by "
    "field, with every problem by sheet, row and column; add --apply to import it, all or nothing. Only "
    "the PMO can import a plan.",
)


# ---------------------------------------------------------------------------------------------- cells


class CellProblem(ValueError):
    """A cell's value is not what its column takes."""


def parse(col: Col, raw: Any) -> Any:
    """The column's value for what a cell holds; CellProblem when it is not one.

    Blank is "" for text and None for everything else (a reference, a date, a number, a choice).
    """
    if isinstance(raw, str):
        raw = raw.replace("\r\n", "\n").strip()
        if raw == "":
            raw = None
    if raw is None:
        if col.required:
            raise CellProblem(col.expected)
        if col.kind == "text":
            return ""
        if col.kind == "yesno":
            return True
        return () if col.kind == "refs" else "" if col.kind == "fourp" else None
    kind = col.kind
    if kind in ("text", "key", "name"):
        if isinstance(raw, datetime | date | bool):
            raise CellProblem(col.expected)
        text = raw if isinstance(raw, str) else number_text(raw)
        if len(text) > col.max_chars or (kind != "text" and "\n" in text):
            raise CellProblem(col.expected)
        return " ".join(text.split()) if kind == "name" else text
    if kind in ("choice", "yesno"):
        value = (
            _BY_WORD[col.choices or "Yes or no"].get(str(raw).casefold()) if isinstance(raw, str) else None
        )
        if value is None:
            raise CellProblem(col.expected)
        return value == "yes" if kind == "yesno" else value
    if kind in ("score", "order"):
        number = whole(raw)
        if number is None or (kind == "score" and not 1 <= number <= 5) or number < 0:
            raise CellProblem(col.expected)
        return number
    if kind == "date":
        day = cell_date(raw)
        if day is None:
            raise CellProblem(col.expected)
        return day
    if kind == "fourp":
        by_word = {p.value.casefold(): p.value for p in FourP}
        words = [w.strip().casefold() for w in str(raw).split(",") if w.strip()]
        if any(w not in by_word for w in words):
            raise CellProblem(col.expected)
        return ",".join(p.value for p in FourP if p.value.casefold() in words)
    if kind == "refs":
        parts = [p.strip() for p in str(raw if isinstance(raw, str) else number_text(raw)).split(",")]
        return tuple(p for p in parts if p)
    return raw


def shown(col: Col, value: Any) -> Any:
    """A stored value as the workbook shows it: choices by their label, lists joined, blanks empty."""
    if value is None or value == "" or value == ():
        return None
    if col.kind == "yesno":
        return YES if value else NO
    if col.kind == "choice":
        return dict(CHOICES[col.choices]).get(value, value)
    if col.kind == "fourp":
        return ", ".join(value.split(","))
    if col.kind == "refs":
        return ", ".join(value)
    return value
