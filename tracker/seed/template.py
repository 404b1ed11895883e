"""Plan templates: a plan as TOML, read into frozen values, checked, and written to a store in one go.

The file format (``format = 1``) is described in ``resources/plans/README.md``. Every problem in a
file is reported at once, each prefixed with where it is ("theme SER > outcome SER-01 > objective
SER-01.03: lead 'head-x' is not a person key"), so a file can be fixed in one pass.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from tracker import resources
from tracker.db import Actor
from tracker.enums import FourP, InspectionBody, Marking, RecommendationKind, RecommendationStatus
from tracker.errors import Problem, ServiceError, ValidationError
from tracker.models import (
    Board,
    Inspection,
    Objective,
    Outcome,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationObjective,
    Theme,
    new_id,
)
from tracker.seed.reader import Reader
from tracker.services.base import Changes, unit_of_work

FORMAT = 1
MAX_FILE_BYTES = 5_000_000
FREQUENCIES = ("monthly", "quarterly")
# The model's defaults, for settings a template leaves out (the required fields are placeholders).
_P = Plan(name="", start_date=date.min, end_date=date.min)


class TemplateError(ValidationError):
    """A plan template that cannot be used; ``problems`` lists every fault with where it is."""


# ---------------------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class PlanSpec:
    """The plan row: field names are the Plan columns."""

    name: str
    start_date: date
    end_date: date
    organisation: str = ""
    period_frequency: str = "quarterly"
    protective_marking: str = Marking.OFFICIAL.value
    handling_caveat: str = ""
    source: str = ""
    vision: str = ""
    mission: str = ""
    rag_green: str = _P.rag_green
    rag_amber: str = _P.rag_amber
    rag_red: str = _P.rag_red
    rag_blue: str = _P.rag_blue
    rag_grey: str = _P.rag_grey
    risk_appetite: int = _P.risk_appetite
    risk_low_max: int = _P.risk_low_max
    risk_medium_max: int = _P.risk_medium_max
    risk_high_max: int = _P.risk_high_max
    slip_tolerance_days: int = _P.slip_tolerance_days
    contact_officer: str = ""


@dataclass(frozen=True)
class PersonSpec:
    key: str
    name: str
    role_title: str = ""
    email: str = ""


@dataclass(frozen=True)
class BoardSpec:
    key: str
    name: str
    cadence: str = ""
    description: str = ""


@dataclass(frozen=True)
class ObjectiveSpec:
    ref: str
    title: str
    lead: str | None = None  # a person key
    board: str | None = None  # a board key
    four_p: tuple[str, ...] = ()  # canonical order
    start_date: date | None = None
    target_date: date | None = None


@dataclass(frozen=True)
class OutcomeSpec:
    code: str
    title: str
    description: str = ""
    objectives: tuple[ObjectiveSpec, ...] = ()


@dataclass(frozen=True)
class ThemeSpec:
    code: str
    name: str
    description: str = ""
    outcomes: tuple[OutcomeSpec, ...] = ()


@dataclass(frozen=True)
class NoteSpec:
    note_date: date
    text: str


@dataclass(frozen=True)
class ItemSpec:
    ref: str
    kind: str
    text: str
    owner: str | None = None  # a person key
    due_date: date | None = None
    status: str = RecommendationStatus.AWAITING_ALLOCATION.value
    evidence: str = ""
    closure_rationale: str = ""
    closed_date: date | None = None
    objectives: tuple[str, ...] = ()  # objective refs
    notes: tuple[NoteSpec, ...] = ()


@dataclass(frozen=True)
class InspectionSpec:
    key: str
    body: str
    title: str
    published_date: date | None = None
    notes: str = ""
    grade: str = ""
    items: tuple[ItemSpec, ...] = ()


@dataclass(frozen=True)
class PlanTemplate:
    plan: PlanSpec
    people: tuple[PersonSpec, ...] = ()
    boards: tuple[BoardSpec, ...] = ()
    themes: tuple[ThemeSpec, ...] = ()
    inspections: tuple[InspectionSpec, ...] = ()
    origin: str = field(default="", compare=False)

    def objectives(self) -> list[ObjectiveSpec]:
        return [o for t in self.themes for oc in t.outcomes for o in oc.objectives]


# ---------------------------------------------------------------------------------------------- loading


def load_template(text_or_path: str | os.PathLike[str]) -> PlanTemplate:
    """Read and check a plan template from TOML text or a file; raises TemplateError listing every fault."""
    text, origin = _source(text_or_path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError([_file_problem(origin, f"not valid TOML: {exc}")]) from None
    r = Reader()
    template = _template(r, data, origin)
    if r.problems or template is None:
        raise TemplateError(r.problems)
    return template


def emsou_template() -> PlanTemplate:
    """The EMSOU Strategy and Delivery Plan 2021/22, shipped with the app."""
    return load_template(resources.read_text("plans", "emsou_2021_22.toml"))


def empty_template(
    name: str = "New delivery plan",
    *,
    organisation: str = "",
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> PlanTemplate:
    """A plan with its settings and nothing else: the user builds its themes and objectives.

    With no dates, the plan runs three financial years from the 1 April on or before ``today``.
    """
    if start is None:
        day = today or date.today()
        start = date(day.year if day.month >= 4 else day.year - 1, 4, 1)
    if end is None:
        end = _years_later(start, 3) - timedelta(days=1)
    problems = []
    if not name.strip():
        problems.append(_file_problem("plan", "name must not be empty"))
    if end < start:
        problems.append(_file_problem("plan", f"end {end} is before start {start}"))
    if problems:
        raise TemplateError(problems)
    return PlanTemplate(
        PlanSpec(name=name.strip(), organisation=organisation, start_date=start, end_date=end), origin="empty"
    )


def _source(text_or_path: str | os.PathLike[str]) -> tuple[str, str]:
    if not isinstance(text_or_path, os.PathLike) and (
        "\n" in text_or_path or "=" in text_or_path or "[" in text_or_path
    ):  # the template's text itself: a path has none of these
        if len(text_or_path) > MAX_FILE_BYTES:
            raise TemplateError([_file_problem("plan template", "is too large")])
        return str(text_or_path), "plan template"
    path = Path(text_or_path)
    if not path.is_file():
        raise TemplateError([_file_problem(str(path), "there is no such file")])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TemplateError([_file_problem(path.name, f"is larger than {MAX_FILE_BYTES:,} bytes")])
    try:
        return path.read_text(encoding="utf-8"), path.name
    except UnicodeDecodeError:
        raise TemplateError([_file_problem(path.name, "is not UTF-8 text")]) from None


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the day after 28 February, so a span ends on the 28th
        return day.replace(year=day.year + years, month=3, day=1)


def _file_problem(where: str, message: str) -> Problem:
    return Problem(where, f"{where}: {message}")


def _template(r: Reader, data: dict, origin: str) -> PlanTemplate | None:
    r.keys("file", data, required={"format", "plan"}, optional={"person", "board", "theme", "inspection"})
    fmt = data.get("format")
    if "format" in data and fmt != FORMAT:
        r.fail("file", f"format: this app reads format {FORMAT}, not {fmt!r}")
    plan = _plan(r, r.table("file", data, "plan"))
    people = _people(r, r.tables("file", data, "person"))
    boards = _boards(r, r.tables("file", data, "board"))
    person_keys = {p.key for p in people}
    board_keys = {b.key for b in boards}
    themes = _themes(r, r.tables("file", data, "theme"), plan, person_keys, board_keys)
    refs = {o.ref for t in themes for oc in t.outcomes for o in oc.objectives}
    inspections = _inspections(r, r.tables("file", data, "inspection"), person_keys, refs)
    if plan is None:
        return None
    return PlanTemplate(plan, tuple(people), tuple(boards), tuple(themes), tuple(inspections), origin)


def _plan(r: Reader, data: dict | None) -> PlanSpec | None:
    if data is None:
        return None
    w = "plan"
    r.keys(
        w,
        data,
        required={"name", "start", "end"},
        optional={"organisation", "period_frequency", "protective_marking", "handling_caveat", "source",
                  "vision", "mission", "rag", "risk", "milestones", "contact_officer"},
    )  # fmt: skip
    values: dict = {
        "name": r.text(w, data, "name", required=True, limit=(Plan, "name")),
        "organisation": r.text(w, data, "organisation", limit=(Plan, "organisation")),
        "start_date": r.day(w, data, "start", required=True),
        "end_date": r.day(w, data, "end", required=True),
        "period_frequency": r.choice(w, data, "period_frequency", FREQUENCIES, default="quarterly"),
        "protective_marking": r.choice(w, data, "protective_marking", [m.value for m in Marking],
                                       default=Marking.OFFICIAL.value),
        "handling_caveat": r.text(w, data, "handling_caveat", limit=(Plan, "handling_caveat")),
        "source": r.text(w, data, "source", limit=(Plan, "source")),
        "vision": r.text(w, data, "vision"),
        "mission": r.text(w, data, "mission"),
        "contact_officer": r.text(w, data, "contact_officer", limit=(Plan, "contact_officer")),
    }  # fmt: skip
    r.order(w, values["start_date"], "start", values["end_date"], "end")
    rag = r.table(w, data, "rag", required=False) or {}
    r.keys(f"{w}.rag", rag, optional={"green", "amber", "red", "blue", "grey"})
    for colour in ("green", "amber", "red", "blue", "grey"):
        text = r.text(f"{w}.rag", rag, colour)
        values[f"rag_{colour}"] = text or getattr(_P, f"rag_{colour}")
    risk = r.table(w, data, "risk", required=False) or {}
    r.keys(f"{w}.risk", risk, optional={"appetite", "low_max", "medium_max", "high_max"})
    for key in ("appetite", "low_max", "medium_max", "high_max"):
        values[f"risk_{key}"] = r.integer(f"{w}.risk", risk, key, 1, 25, default=getattr(_P, f"risk_{key}"))
    bands = [values["risk_low_max"], values["risk_medium_max"], values["risk_high_max"]]
    if not bands[0] < bands[1] < bands[2] < 25:
        r.fail(f"{w}.risk", f"the bands must rise: low_max < medium_max < high_max < 25 (got {bands})")
    ms = r.table(w, data, "milestones", required=False) or {}
    r.keys(f"{w}.milestones", ms, optional={"slip_tolerance_days"})
    values["slip_tolerance_days"] = r.integer(
        f"{w}.milestones", ms, "slip_tolerance_days", 0, 365, default=_P.slip_tolerance_days
    )
    if values["name"] is None or values["start_date"] is None or values["end_date"] is None:
        return None
    return PlanSpec(**values)


def _people(r: Reader, rows: list[dict]) -> list[PersonSpec]:
    out: list[PersonSpec] = []
    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for n, data in enumerate(rows, 1):
        key = r.key_of(data, "key")
        w = f"person '{key}'" if key else f"person #{n}"
        r.keys(w, data, required={"key", "name"}, optional={"role", "email"})
        key = r.text(w, data, "key", required=True, limit=40)
        name = r.text(w, data, "name", required=True, limit=(Person, "name"))
        role = r.text(w, data, "role", limit=(Person, "role_title"))
        email = r.text(w, data, "email", limit=(Person, "email"))
        if email and ("@" not in email or " " in email):
            r.fail(
                w, f"email {email!r} is not an email address (expected name@example.org, or leave it empty)"
            )
        r.unique(w, "key", key, seen_keys)
        r.unique(w, "name", name and name.casefold(), seen_names, shown=name)
        if key and name:
            out.append(PersonSpec(key, name, role or "", email or ""))
    return out


def _boards(r: Reader, rows: list[dict]) -> list[BoardSpec]:
    out: list[BoardSpec] = []
    seen_keys: set[str] = set()
    seen_names: set[str] = set()
    for n, data in enumerate(rows, 1):
        key = r.key_of(data, "key")
        w = f"board '{key}'" if key else f"board #{n}"
        r.keys(w, data, required={"key", "name"}, optional={"cadence", "description"})
        key = r.text(w, data, "key", required=True, limit=40)
        name = r.text(w, data, "name", required=True, limit=(Board, "name"))
        cadence = r.text(w, data, "cadence", limit=(Board, "cadence"))
        description = r.text(w, data, "description")
        r.unique(w, "key", key, seen_keys)
        r.unique(w, "name", name and name.casefold(), seen_names, shown=name)
        if key and name:
            out.append(BoardSpec(key, name, cadence or "", description or ""))
    return out


def _themes(
    r: Reader, rows: list[dict], plan: PlanSpec | None, people: set[str], boards: set[str]
) -> list[ThemeSpec]:
    out: list[ThemeSpec] = []
    codes: set[str] = set()
    outcome_codes: set[str] = set()
    refs: set[str] = set()
    for n, data in enumerate(rows, 1):
        code = r.key_of(data, "code")
        w = f"theme {code}" if code else f"theme #{n}"
        r.keys(w, data, required={"code", "name"}, optional={"description", "outcome"})
        code = r.text(w, data, "code", required=True, limit=(Theme, "code"))
        name = r.text(w, data, "name", required=True, limit=(Theme, "name"))
        description = r.text(w, data, "description")
        r.unique(w, "code", code, codes)
        outcomes = []
        for m, odata in enumerate(r.tables(w, data, "outcome"), 1):
            outcome = _outcome(r, w, m, odata, plan, people, boards, outcome_codes, refs)
            if outcome is not None:
                outcomes.append(outcome)
        if code and name:
            out.append(ThemeSpec(code, name, description or "", tuple(outcomes)))
    return out


def _outcome(
    r: Reader, parent: str, n: int, data: dict, plan: PlanSpec | None,
    people: set[str], boards: set[str], codes: set[str], refs: set[str],
) -> OutcomeSpec | None:  # fmt: skip
    code = r.key_of(data, "code")
    w = f"{parent} > outcome {code}" if code else f"{parent} > outcome #{n}"
    r.keys(w, data, required={"code", "title"}, optional={"description", "objective"})
    code = r.text(w, data, "code", required=True, limit=(Outcome, "code"))
    title = r.text(w, data, "title", required=True, limit=(Outcome, "title"))
    description = r.text(w, data, "description")
    r.unique(w, "code", code, codes, scope="in the plan")
    objectives = []
    for m, obj in enumerate(r.tables(w, data, "objective"), 1):
        spec = _objective(r, w, m, obj, plan, people, boards, refs)
        if spec is not None:
            objectives.append(spec)
    if not (code and title):
        return None
    return OutcomeSpec(code, title, description or "", tuple(objectives))


def _objective(
    r: Reader, parent: str, n: int, data: dict, plan: PlanSpec | None,
    people: set[str], boards: set[str], refs: set[str],
) -> ObjectiveSpec | None:  # fmt: skip
    ref = r.key_of(data, "ref")
    w = f"{parent} > objective {ref}" if ref else f"{parent} > objective #{n}"
    r.keys(w, data, required={"ref", "text"}, optional={"lead", "board", "four_p", "start", "target"})
    ref = r.text(w, data, "ref", required=True, limit=(Objective, "ref"))
    text = r.text(w, data, "text", required=True)
    lead = r.text(w, data, "lead") or None
    board = r.text(w, data, "board") or None
    if lead and lead not in people:
        r.fail(w, f"lead {lead!r} is not a person key")
    if board and board not in boards:
        r.fail(w, f"board {board!r} is not a board key")
    tags = r.strings(w, data, "four_p")
    allowed = [p.value for p in FourP]
    for tag in tags:
        if tag not in allowed:
            r.fail(w, f"four_p: {tag!r} is not one of {', '.join(allowed)}")
    if len(set(tags)) != len(tags):
        r.fail(w, "four_p: a tag is listed twice")
    start = r.day(w, data, "start")
    target = r.day(w, data, "target")
    r.order(w, start, "start", target, "target")
    if plan is not None:
        for key, day in (("start", start), ("target", target)):
            if day is not None and not plan.start_date <= day <= plan.end_date:
                r.fail(w, f"{key} {day} is outside the plan ({plan.start_date} to {plan.end_date})")
    r.unique(w, "ref", ref, refs, scope="in the plan")
    if not (ref and text):
        return None
    four_p = tuple(p for p in allowed if p in tags)
    return ObjectiveSpec(ref, text, lead, board, four_p, start, target)


def _inspections(r: Reader, rows: list[dict], people: set[str], refs: set[str]) -> list[InspectionSpec]:
    out = []
    keys: set[str] = set()
    for n, data in enumerate(rows, 1):
        key = r.key_of(data, "key")
        w = f"inspection '{key}'" if key else f"inspection #{n}"
        r.keys(
            w, data, required={"key", "body", "title"},
            optional={"published", "published_note", "grade", "item"},
        )  # fmt: skip
        key = r.text(w, data, "key", required=True, limit=40)
        body = r.choice(w, data, "body", [b.value for b in InspectionBody], default=None, required=True)
        title = r.text(w, data, "title", required=True, limit=(Inspection, "title"))
        published = r.day(w, data, "published")
        note = r.text(w, data, "published_note")
        grade = r.text(w, data, "grade", limit=(Inspection, "grade"))
        r.unique(w, "key", key, keys)
        items: list[ItemSpec] = []
        item_refs: set[str] = set()
        for m, idata in enumerate(r.tables(w, data, "item"), 1):
            item = _item(r, w, m, idata, published, people, refs, item_refs)
            if item is not None:
                items.append(item)
        if key and body and title:
            out.append(InspectionSpec(key, body, title, published, note or "", grade or "", tuple(items)))
    return out


def _item(
    r: Reader, parent: str, n: int, data: dict, published: date | None,
    people: set[str], refs: set[str], seen: set[str],
) -> ItemSpec | None:  # fmt: skip
    ref = r.key_of(data, "ref")
    w = f"{parent} > item {ref}" if ref else f"{parent} > item #{n}"
    r.keys(
        w, data, required={"ref", "kind", "text"},
        optional={"owner", "due", "status", "evidence", "closure_rationale", "closed", "objectives", "note"},
    )  # fmt: skip
    ref = r.text(w, data, "ref", required=True, limit=(Recommendation, "ref"))
    kind = r.choice(w, data, "kind", [k.value for k in RecommendationKind], default=None, required=True)
    text = r.text(w, data, "text", required=True)
    owner = r.text(w, data, "owner") or None
    if owner and owner not in people:
        r.fail(w, f"owner {owner!r} is not a person key")
    due = r.day(w, data, "due")
    status = r.choice(
        w, data, "status", [s.value for s in RecommendationStatus],
        default=RecommendationStatus.AWAITING_ALLOCATION.value,
    )  # fmt: skip
    evidence = r.text(w, data, "evidence") or ""
    rationale = r.text(w, data, "closure_rationale") or ""
    closed = r.day(w, data, "closed")
    if status and status != RecommendationStatus.AWAITING_ALLOCATION and "owner" not in data:
        r.fail(w, f"owner is required when the status is {status}")
    if status == RecommendationStatus.PROPOSED_FOR_CLOSURE and not evidence:
        r.fail(w, "evidence is required when the status is proposed for closure")
    if status == RecommendationStatus.CLOSED and not rationale:
        r.fail(w, "closure_rationale is required when the status is closed")
    if closed is not None and status != RecommendationStatus.CLOSED:
        r.fail(w, f"closed: only a closed item has a closed date (the status is {status})")
    linked = r.strings(w, data, "objectives")
    for obj_ref in linked:
        if obj_ref not in refs:
            r.fail(w, f"objectives: {obj_ref!r} is not an objective ref in this plan")
    if len(set(linked)) != len(linked):
        r.fail(w, "objectives: an objective is listed twice")
    notes = []
    for m, ndata in enumerate(r.tables(w, data, "note"), 1):
        nw = f"{w} > note #{m}"
        r.keys(nw, ndata, required={"date", "text"})
        day = r.day(nw, ndata, "date", required=True)
        note_text = r.text(nw, ndata, "text", required=True)
        if day is not None and published is not None and day < published:
            r.fail(nw, f"date {day} is before the inspection was published ({published})")
        if day is not None and note_text:
            notes.append(NoteSpec(day, note_text))
    r.unique(w, "ref", ref, seen, scope="in this inspection")
    if not (ref and kind and text):
        return None
    return ItemSpec(
        ref, kind, text, owner, due, status or RecommendationStatus.AWAITING_ALLOCATION.value,
        evidence, rationale, closed, tuple(linked), tuple(notes),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------- seeding


def live_plan_name(session: Session) -> str | None:
    """The name of the plan the store holds, if any (a store keeps one live plan)."""
    return session.execute(select(col(Plan.name)).where(col(Plan.deleted).is_(False)).limit(1)).scalar()


def refuse_if_planned(session: Session) -> None:
    name = live_plan_name(session)
    if name is not None:
        raise ServiceError(
            f"This store already holds a plan ({name!r}); nothing was added. "
            "Start a new store to load another plan."
        )


def seed_plan(session: Session, *, actor: Actor, template: PlanTemplate) -> Changes:
    """Write the template's plan, people, boards, themes, objectives and inspections in the caller's transaction."""
    refuse_if_planned(session)
    uow = unit_of_work(session, actor)
    plan_id = new_id()
    uow.bulk_create(Plan, [{"id": plan_id, **vars(template.plan)}])

    existing = {
        name.casefold(): pid
        for pid, name in session.execute(
            select(col(Person.id), col(Person.name))
            .where(col(Person.deleted).is_(False))
            .order_by(col(Person.name), col(Person.id))
        ).all()
    }
    person_ids: dict[str, str] = {}
    person_names: dict[str, str] = {}
    new_people = []
    for p in template.people:
        person_names[p.key] = p.name
        if p.name.casefold() in existing:  # people are shared by the store: reuse, don't duplicate
            person_ids[p.key] = existing[p.name.casefold()]
            continue
        person_ids[p.key] = new_id()
        new_people.append(
            {
                "id": person_ids[p.key],
                "name": p.name,
                "role_title": p.role_title,
                "email": p.email,
                "active": True,
            }
        )
    uow.bulk_create(Person, new_people)

    board_ids = {b.key: new_id() for b in template.boards}
    uow.bulk_create(
        Board,
        [{"id": board_ids[b.key], "plan_id": plan_id, "name": b.name, "cadence": b.cadence,
          "description": b.description} for b in template.boards],
    )  # fmt: skip

    themes, outcomes, objectives = [], [], []
    objective_ids: dict[str, str] = {}
    for t_ord, theme in enumerate(template.themes, 1):
        theme_id = new_id()
        themes.append({"id": theme_id, "plan_id": plan_id, "code": theme.code, "name": theme.name,
                       "ordinal": t_ord, "description": theme.description})  # fmt: skip
        for o_ord, outcome in enumerate(theme.outcomes, 1):
            outcome_id = new_id()
            outcomes.append({"id": outcome_id, "theme_id": theme_id, "code": outcome.code, "title": outcome.title,
                             "ordinal": o_ord, "description": outcome.description})  # fmt: skip
            for j_ord, obj in enumerate(outcome.objectives, 1):
                objective_ids[obj.ref] = oid = new_id()
                objectives.append(
                    {"id": oid, "plan_id": plan_id, "outcome_id": outcome_id, "ref": obj.ref, "title": obj.title,
                     "lead_id": person_ids.get(obj.lead or ""), "board_id": board_ids.get(obj.board or ""),
                     "four_p": ",".join(obj.four_p), "start_date": obj.start_date,
                     "target_date": obj.target_date, "lifecycle": "not started", "rag": None,
                     "progress_pct": None, "ordinal": j_ord}
                )  # fmt: skip
    uow.bulk_create(Theme, themes)
    uow.bulk_create(Outcome, outcomes)
    uow.bulk_create(Objective, objectives)

    inspections, items, notes, links = [], [], [], []
    for insp in template.inspections:
        insp_id = new_id()
        inspections.append({"id": insp_id, "plan_id": plan_id, "body": insp.body, "title": insp.title,
                            "published_date": insp.published_date, "grade": insp.grade, "notes": insp.notes})  # fmt: skip
        for item in insp.items:
            item_id = new_id()
            items.append(
                {"id": item_id, "inspection_id": insp_id, "kind": item.kind, "ref": item.ref, "text": item.text,
                 "owner_id": person_ids.get(item.owner or ""), "due_date": item.due_date, "status": item.status,
                 "evidence": item.evidence, "closure_rationale": item.closure_rationale,
                 "closed_date": item.closed_date}
            )  # fmt: skip
            author = person_names.get(item.owner or "", actor.name)
            notes += [{"id": new_id(), "recommendation_id": item_id, "note_date": n.note_date, "text": n.text,
                       "author": author} for n in item.notes]  # fmt: skip
            links += [{"id": new_id(), "recommendation_id": item_id, "objective_id": objective_ids[ref]}
                      for ref in item.objectives]  # fmt: skip
    uow.bulk_create(Inspection, inspections)
    uow.bulk_create(Recommendation, items)
    uow.bulk_create(ProgressNote, notes)
    uow.bulk_create(RecommendationObjective, links)
    return uow.changes(
        f"Created the plan {template.plan.name!r}: {len(themes)} themes, {len(outcomes)} outcomes, "
        f"{len(objectives)} objectives, {len(template.people)} people, {len(board_ids)} boards, "
        f"{_n(len(inspections), 'inspection')} with {_n(len(items), 'item')}"
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
