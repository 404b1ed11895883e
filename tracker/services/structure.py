"""The plan's structure, kept by the PMO: themes, outcomes and objectives added, edited, reordered,
renumbered, retired and reinstated.

Every service here refuses anyone but the PMO. Codes stay unique within the plan (counting retired
and removed items: a code once cited keeps meaning one thing) and are suggested, never forced: a new
item gets the next free code under its parent unless one is given, and :func:`renumber` is a separate
step the PMO takes when they want the codes to follow the order again.

Nothing a period reported is deleted. Retiring keeps the item, its status history, milestones and
risks readable, and takes it out of the plan from the retirement date on: periods that start on or
after that date neither ask for nor count it. Only an item that nothing depends on may be removed
(an objective with no status update, milestone, risk or link; an outcome or theme with nothing in it).
An objective's lifecycle, RAG and progress change only through status updates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from tracker.db import Actor
from tracker.enums import PeriodStatus, RiskStatus
from tracker.errors import Problem, ValidationError
from tracker.models import (
    Board,
    Editable,
    Kind,
    Milestone,
    Objective,
    Outcome,
    RecommendationObjective,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
)
from tracker.schemas import ObjectiveEdit, OutcomeIn, ThemeIn
from tracker.services._common import (
    as_changes,
    exists_problem,
    fail_if,
    person_problem,
    require_pmo,
    resolve_plan,
    set_deleted,
    update_from,
)
from tracker.services.base import Changes, UnitOfWork, park, unit_of_work, validate
from tracker.wording import field_label, listing, plural

Placed = Theme | Outcome | Objective
_CODE_FIELD: dict[Any, str] = {Theme: "code", Outcome: "code", Objective: "ref"}
_PARENT_FIELD: dict[Any, str] = {Theme: "plan_id", Outcome: "theme_id", Objective: "outcome_id"}
_NAME_FIELD: dict[Any, str] = {Theme: "name", Outcome: "title", Objective: "title"}
_CLASS: dict[Kind, Any] = {Kind.THEME: Theme, Kind.OUTCOME: Outcome, Kind.OBJECTIVE: Objective}


# ---------------------------------------------------------------------------------------------- create


def create_theme(
    session: Session, *, actor: Actor, data: Mapping[str, Any], plan_id: str | None = None
) -> Changes:
    """Add a theme at the end of the plan; its code is required (themes have no parent to number from)."""
    uow = _pmo(session, actor, "add a theme")
    plan = resolve_plan(uow, plan_id)
    valid = validate(ThemeIn, as_changes(data))
    fail_if([_code_taken(session, Theme, plan.id, valid.code)])
    row = uow.create(Theme, plan_id=plan.id, ordinal=_next_ordinal(session, Theme, plan.id), **valid.to_row())
    return uow.changes(f"Added theme {row.code} “{row.name}”")


def create_outcome(session: Session, *, actor: Actor, theme_id: str, data: Mapping[str, Any]) -> Changes:
    """Add an outcome at the end of a theme; without a code it gets the theme's next ("SER-04")."""
    uow = _pmo(session, actor, "add an outcome")
    theme = uow.get(Theme, theme_id)
    _refuse_if_retired(theme)
    values = as_changes(data)
    if not str(values.get("code") or "").strip():
        values["code"] = next_code(session, Outcome, theme.id)
    valid = validate(OutcomeIn, values)
    fail_if([_code_taken(session, Outcome, theme.plan_id, valid.code)])
    row = uow.create(
        Outcome, theme_id=theme.id, ordinal=_next_ordinal(session, Outcome, theme.id), **valid.to_row()
    )
    return uow.changes(f"Added outcome {row.code} to theme {theme.code}")


def create_objective(session: Session, *, actor: Actor, outcome_id: str, data: Mapping[str, Any]) -> Changes:
    """Add an objective at the end of an outcome; without a ref it gets the outcome's next ("SER-02.10")."""
    uow = _pmo(session, actor, "add an objective")
    outcome = uow.get(Outcome, outcome_id)
    _refuse_if_retired(outcome)
    theme = uow.get(Theme, outcome.theme_id)
    values = as_changes(data)
    if not str(values.get("ref") or "").strip():
        values["ref"] = next_code(session, Objective, outcome.id)
    valid = validate(ObjectiveEdit, values)
    fail_if(
        [
            _code_taken(session, Objective, theme.plan_id, valid.ref),
            *_objective_problems(uow, valid, theme.plan_id),
        ]
    )
    row = uow.create(
        Objective,
        plan_id=theme.plan_id,
        outcome_id=outcome.id,
        ordinal=_next_ordinal(session, Objective, outcome.id),
        **valid.to_row(),
    )
    return uow.changes(f"Added objective {row.ref} to outcome {outcome.code}")


# ---------------------------------------------------------------------------------------------- edit


def update_theme(
    session: Session,
    *,
    actor: Actor,
    theme_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = _pmo(session, actor, "change a theme")
    row = uow.get(Theme, theme_id)
    changed = update_from(
        uow, row, ThemeIn, as_changes(changes), expected_revision=expected_revision,
        checks=lambda valid: [_code_taken(session, Theme, row.plan_id, valid.code, but=row.id)],
    )  # fmt: skip
    return uow.changes(f"Changed theme {row.code}: {_fields(changed)}")


def update_outcome(
    session: Session,
    *,
    actor: Actor,
    outcome_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = _pmo(session, actor, "change an outcome")
    row = uow.get(Outcome, outcome_id)
    plan_id = _plan_of(session, row)
    changed = update_from(
        uow, row, OutcomeIn, as_changes(changes), expected_revision=expected_revision,
        checks=lambda valid: [_code_taken(session, Outcome, plan_id, valid.code, but=row.id)],
    )  # fmt: skip
    return uow.changes(f"Changed outcome {row.code}: {_fields(changed)}")


def update_objective(
    session: Session,
    *,
    actor: Actor,
    objective_id: str,
    changes: Mapping[str, Any],
    expected_revision: int | None = None,
) -> Changes:
    uow = _pmo(session, actor, "change an objective's details")
    row = uow.get(Objective, objective_id)
    lead = row.lead_id
    changed = update_from(
        uow,
        row,
        ObjectiveEdit,
        as_changes(changes),
        expected_revision=expected_revision,
        checks=lambda valid: [
            _code_taken(session, Objective, row.plan_id, valid.ref, but=row.id),
            *_objective_problems(uow, valid, row.plan_id, current_lead=lead),
        ],
    )
    return uow.changes(f"Changed objective {row.ref}: {_fields(changed)}")


# ---------------------------------------------------------------------------------------------- order


def move(session: Session, *, actor: Actor, kind: Kind, item_id: str, to_index: int) -> Changes:
    """Put an item at ``to_index`` (0-based) among its live siblings; the others keep their order."""
    kind = Kind(kind)
    cls = _CLASS[kind]
    uow = _pmo(session, actor, f"reorder {kind.label}s")
    row = uow.get(cls, item_id)
    siblings = [r for r in _siblings(session, cls, _parent(row)) if r.id != row.id]
    at = max(0, min(to_index, len(siblings)))
    siblings.insert(at, row)
    for n, sibling in enumerate(siblings, start=1):
        uow.update(sibling, {"ordinal": n})
    where = "first" if at == 0 else f"after {_code(siblings[at - 1])}"
    return uow.changes(f"Moved {kind.label} {_code(row)} {where}")


def renumbering(session: Session, kind: Kind, parent_id: str) -> list[tuple[str, str, str]]:
    """What :func:`renumber` would do: (id, code now, code after) for each code that would change.

    The children of a theme (outcomes) or of an outcome (objectives) are numbered in their order
    from the parent's code ("SER-02" → "SER-02.01", "SER-02.02"); retired children keep their codes,
    and a number another item holds is skipped.
    """
    cls = _CLASS[Kind(kind)]
    if cls is Theme:
        raise ValidationError(Problem("kind", "Themes have no parent to number from; edit their codes."))
    parent_cls = Theme if cls is Outcome else Outcome
    parent: Any = session.get(parent_cls, parent_id)
    if parent is None:
        raise ValidationError(
            Problem("parent", f"There is no such {parent_cls.__name__.lower()} in this plan.")
        )
    children = _siblings(session, cls, parent_id)
    keep = {_code(c) for c in _siblings(session, cls, parent_id, retired=True) if c.retired_on is not None}
    plan_id = _plan_of(session, parent)
    others = _codes(session, cls, plan_id) - {_code(c) for c in children}
    taken = keep | others
    plan, n = [], 0
    for child in children:
        n += 1
        while _numbered(cls, parent.code, n) in taken:
            n += 1
        code = _numbered(cls, parent.code, n)
        if code != _code(child):
            plan.append((child.id, _code(child), code))
    return plan


def renumber(session: Session, *, actor: Actor, kind: Kind, parent_id: str) -> Changes:
    """Give a parent's children the codes :func:`renumbering` shows, in one step."""
    kind = Kind(kind)
    cls = _CLASS[kind]
    uow = _pmo(session, actor, f"renumber {Kind(kind).label}s")
    steps = renumbering(session, kind, parent_id)
    if not steps:
        return Changes(summary=f"The {Kind(kind).label}s are already numbered in order")
    field = _CODE_FIELD[cls]
    rows = [uow.get(cls, item_id) for item_id, _, _ in steps]
    park(session, cls, field, [row.id for row in rows])  # codes are unique: swaps need room
    for row, (_, _, code) in zip(rows, steps, strict=True):
        uow.update(row, {field: code})
    return uow.changes(
        f"Renumbered {plural(len(steps), Kind(kind).label)}: "
        + listing(f"{old} → {new}" for _, old, new in steps[:5])
        + (f" and {len(steps) - 5} more" if len(steps) > 5 else "")
    )


# ---------------------------------------------------------------------------------------------- retire


def retire(session: Session, *, actor: Actor, kind: Kind, item_id: str, on: date | None = None) -> Changes:
    """Take an item (and what it holds) out of the plan from ``on`` (today); its history stays readable."""
    kind = Kind(kind)
    cls = _CLASS[kind]
    uow = _pmo(session, actor, f"retire {_a(Kind(kind))}")
    row = uow.get(cls, item_id)
    if row.retired_on is not None:
        return Changes(
            summary=f"{_title(kind)} {_code(row)} was already retired on {row.retired_on:%d %b %Y}"
        )
    day = on or date.today()
    _refuse_before_closed(session, row, day)
    held = [r for r in _beneath(session, row) if r.retired_on is None]
    _refuse_open_risks(session, row, held)
    for item in (row, *held):
        uow.update(item, {"retired_on": day})
    also = f" with {plural(len(held), 'item')} in it" if held else ""
    return uow.changes(f"Retired {kind.label} {_code(row)}{also} from {day:%d %b %Y}")


def _refuse_before_closed(session: Session, row: Placed, day: date, *, doing: str = "retired") -> None:
    """A closed period is the record as reported to SLT: retiring from a day on or before its start
    would take the item out of what it reported, and reinstating one retired then would put it back."""
    closed = session.exec(
        select(col(ReportingPeriod.name), col(ReportingPeriod.start_date))
        .where(
            ReportingPeriod.plan_id == _plan_of(session, row),
            ReportingPeriod.status == PeriodStatus.CLOSED.value,
            col(ReportingPeriod.deleted).is_(False),
            ReportingPeriod.start_date >= day,
        )
        .order_by(col(ReportingPeriod.start_date).desc())
    ).first()
    if closed is not None:
        name, start = closed
        raise ValidationError(
            Problem(
                "retired_on",
                (
                    f"{_code(row)} cannot be retired from {day:%d %b %Y}: {name} started on {start:%d %b %Y} "
                    f"and is closed, so it reported {_code(row)}. Choose a later day, or reopen {name} first."
                )
                if doing == "retired"
                else (
                    f"{_code(row)} cannot be reinstated: it was retired from {day:%d %b %Y}, and {name}, "
                    f"which started on {start:%d %b %Y}, is closed without it. Reopen {name} first."
                ),
            )
        )


def _refuse_open_risks(session: Session, row: Placed, held: Sequence[Outcome | Objective]) -> None:
    """An open risk must not sit under what leaves the plan: the heat maps would drop it while the
    register still lists it. The PMO closes it or moves it to an objective or theme that stays."""
    objective_ids = [x.id for x in (row, *held) if isinstance(x, Objective)]
    where: list[Any] = [col(Risk.objective_id).in_(objective_ids)] if objective_ids else []
    if isinstance(row, Theme):
        where.append(col(Risk.theme_id) == row.id)
    if not where:
        return
    risks = session.exec(
        select(Risk.ref)
        .where(or_(*where), col(Risk.deleted).is_(False), Risk.status == RiskStatus.OPEN.value)
        .order_by(Risk.ref)
    ).all()
    if risks:
        named = listing(list(risks[:5])) + (f" and {len(risks) - 5} more" if len(risks) > 5 else "")
        raise ValidationError(
            Problem(
                "risks",
                f"{_code(row)} cannot be retired while it holds {plural(len(risks), 'open risk')} ({named}): "
                "close them, or move them to an objective or theme that stays, then retire it.",
            )
        )


def reinstate(session: Session, *, actor: Actor, kind: Kind, item_id: str) -> Changes:
    """Bring a retired item back into the plan, with what it held that was retired on the same day."""
    kind = Kind(kind)
    cls = _CLASS[kind]
    uow = _pmo(session, actor, f"reinstate {_a(Kind(kind))}")
    row = uow.get(cls, item_id)
    if row.retired_on is None:
        return Changes(summary=f"{_title(kind)} {_code(row)} is not retired")
    _refuse_before_closed(session, row, row.retired_on, doing="reinstated")
    parent = _parent_row(session, row)
    if parent is not None and parent.retired_on is not None:
        raise ValidationError(
            Problem(
                "retired_on", f"Reinstate {_code(parent)} first: {_code(row)} sits in it, and it is retired."
            )
        )
    held = [r for r in _beneath(session, row) if r.retired_on == row.retired_on]
    for item in (row, *held):
        uow.update(item, {"retired_on": None})
    return uow.changes(f"Reinstated {kind.label} {_code(row)}")


def remove(session: Session, *, actor: Actor, kind: Kind, item_id: str) -> Changes:
    """Remove an item added by mistake: only when nothing depends on it (else retire it)."""
    kind = Kind(kind)
    cls = _CLASS[kind]
    uow = _pmo(session, actor, f"remove {_a(Kind(kind))}")
    row = uow.get(cls, item_id)
    held = _dependants(session, row)
    if held:
        raise ValidationError(
            Problem(
                "item",
                f"{_title(kind)} {_code(row)} cannot be removed: it has {held}. Retire it instead: "
                "it leaves the plan and its history stays.",
            )
        )
    set_deleted(uow, row, True)
    return uow.changes(f"Removed {kind.label} {_code(row)}")


# ---------------------------------------------------------------------------------------------- reading


def next_code(session: Session, cls: Any, parent_id: str) -> str:
    """The next free code under a parent: "SER-03" for a theme's outcome, "SER-02.10" for an objective."""
    parent_cls = Theme if cls is Outcome else Outcome
    parent: Any = session.get(parent_cls, parent_id)
    if parent is None:
        raise ValidationError(
            Problem("parent", f"There is no such {parent_cls.__name__.lower()} in this plan.")
        )
    taken = _codes(session, cls, _plan_of(session, parent))
    pattern = re.compile(re.escape(parent.code) + (r"-(\d+)$" if cls is Outcome else r"\.(\d+)$"))
    numbers = [int(m.group(1)) for c in taken if (m := pattern.match(c))]
    n = max(numbers, default=0) + 1
    while _numbered(cls, parent.code, n) in taken:
        n += 1
    return _numbered(cls, parent.code, n)


def _numbered(cls: type[Editable], parent_code: str, n: int) -> str:
    return f"{parent_code}-{n:02d}" if cls is Outcome else f"{parent_code}.{n:02d}"


def _pmo(session: Session, actor: Actor, doing: str) -> UnitOfWork:
    require_pmo(actor, doing)
    return unit_of_work(session, actor)


def _code(row: Any) -> str:
    return str(getattr(row, _CODE_FIELD[type(row)]))


def _parent(row: Placed) -> str:
    return str(getattr(row, _PARENT_FIELD[type(row)]))


def _parent_row(session: Session, row: Placed) -> Theme | Outcome | None:
    if isinstance(row, Outcome):
        return session.get(Theme, row.theme_id)
    if isinstance(row, Objective):
        return session.get(Outcome, row.outcome_id)
    return None


def _plan_of(session: Session, row: Editable) -> str:
    if isinstance(row, Theme | Objective):
        return row.plan_id
    if isinstance(row, Outcome):
        theme = session.get(Theme, row.theme_id)
        return theme.plan_id if theme else ""
    raise TypeError(type(row).__name__)


def _siblings(session: Session, cls: Any, parent_id: str, *, retired: bool = False) -> list[Any]:
    """Live items under a parent in order; retired ones too when asked."""
    parent = getattr(cls, _PARENT_FIELD[cls])
    stmt = select(cls).where(parent == parent_id, col(cls.deleted).is_(False))
    if not retired:
        stmt = stmt.where(col(cls.retired_on).is_(None))
    return list(session.exec(stmt.order_by(cls.ordinal, getattr(cls, _CODE_FIELD[cls]))).all())


def _beneath(session: Session, row: Placed) -> list[Outcome | Objective]:
    """The live outcomes and objectives a theme or outcome holds."""
    if isinstance(row, Objective):
        return []
    outcomes = _siblings(session, Outcome, row.id, retired=True) if isinstance(row, Theme) else [row]
    found: list[Outcome | Objective] = list(outcomes) if isinstance(row, Theme) else []
    for outcome in outcomes:
        found.extend(_siblings(session, Objective, outcome.id, retired=True))
    return found


def _codes(session: Session, cls: Any, plan_id: str) -> set[str]:
    """Every code of this kind in the plan, retired and removed ones included."""
    field = getattr(cls, _CODE_FIELD[cls])
    if cls is Outcome:
        stmt = (
            select(field).join(Theme, col(Theme.id) == col(Outcome.theme_id)).where(Theme.plan_id == plan_id)
        )
    else:
        stmt = select(field).where(cls.plan_id == plan_id)
    return {str(c) for c in session.exec(stmt).all()}


def _code_taken(
    session: Session, cls: Any, plan_id: str, code: str, *, but: str | None = None
) -> Problem | None:
    field = _CODE_FIELD[cls]
    column = getattr(cls, field)
    if cls is Outcome:
        stmt = (
            select(Outcome)
            .join(Theme, col(Theme.id) == col(Outcome.theme_id))
            .where(Theme.plan_id == plan_id)
        )
    else:
        stmt = select(cls).where(cls.plan_id == plan_id)
    holder = session.exec(stmt.where(func.upper(column) == code.upper()).limit(1)).first()
    if holder is None or holder.id == but:
        return None
    state = " (removed)" if holder.deleted else " (retired)" if holder.retired_on else ""
    label = field.replace("_", " ")
    return Problem(field, f"{label}: {code} is already used by “{getattr(holder, _NAME_FIELD[cls])}”{state}")


def _objective_problems(
    uow: UnitOfWork, valid: ObjectiveEdit, plan_id: str, *, current_lead: str | None = None
) -> list[Problem | None]:
    problems = [person_problem(uow, valid.lead_id, "lead_id", current=current_lead)]
    if valid.board_id:
        missing = exists_problem(uow, Board, valid.board_id, "board_id")
        board = uow.session.get(Board, valid.board_id)
        if missing is None and board is not None and board.plan_id != plan_id:
            missing = Problem("board_id", "board id: that board belongs to another plan")
        problems.append(missing)
    return problems


def _dependants(session: Session, row: Placed) -> str:
    """What stops an item being removed, in words ('' when nothing does)."""
    if isinstance(row, Objective):
        counts: Sequence[tuple[type[Editable], Any, str]] = (
            (StatusUpdate, StatusUpdate.objective_id, "status update"),
            (Milestone, Milestone.objective_id, "milestone"),
            (Risk, Risk.objective_id, "risk"),
            (RecommendationObjective, RecommendationObjective.objective_id, "linked recommendation"),
        )
        found = []
        for cls, column, noun in counts:
            n = session.exec(
                select(func.count()).select_from(cls).where(column == row.id, col(cls.deleted).is_(False))
            ).one()
            if n:
                found.append(plural(int(n), noun))
        return listing(found)
    children = _siblings(session, Objective if isinstance(row, Outcome) else Outcome, row.id, retired=True)
    noun = "objective" if isinstance(row, Outcome) else "outcome"
    return plural(len(children), noun) if children else ""


def _next_ordinal(session: Session, cls: Any, parent_id: str) -> int:
    parent = getattr(cls, _PARENT_FIELD[cls])
    top = session.exec(select(func.max(cls.ordinal)).where(parent == parent_id)).one()
    return int(top or 0) + 1


def _refuse_if_retired(row: Theme | Outcome) -> None:
    if row.retired_on is not None:
        raise ValidationError(
            Problem("parent", f"{_code(row)} was retired on {row.retired_on:%d %b %Y}: reinstate it first.")
        )


def _fields(changed: Sequence[str]) -> str:
    """'reference, lead, end (target) date': the fields in words, as the audit log names them."""
    words = [field_label(c) for c in changed]
    return (
        ", ".join(w if w[:2].isupper() or w[0].isdigit() else w[0].lower() + w[1:] for w in words)
        or "nothing"
    )


def _title(kind: Kind) -> str:
    return Kind(kind).label.capitalize()


def _a(kind: Kind) -> str:
    word = kind.label
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"
