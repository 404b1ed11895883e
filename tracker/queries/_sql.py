"""SQL building blocks the queries share: Core tables, the tombstone test, status and text conditions,
and the shape of a wide row (its select declared once, by field name).

Queries select columns from Core tables (not ORM entities) so that results are plain tuples and
mypy sees column types. Everything here renders the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    Executable,
    FromClause,
    Select,
    Table,
    and_,
    exists,
    false,
    literal,
    or_,
    select,
    true,
)
from sqlmodel import Session

from tracker.enums import Brag, Lifecycle
from tracker.models import (
    AuditEntry,
    AuditHead,
    Board,
    CommitteePaper,
    Inspection,
    Milestone,
    Objective,
    Outcome,
    PeriodReport,
    PeriodReturn,
    Person,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationMilestone,
    RecommendationObjective,
    RecommendationRisk,
    ReportingPeriod,
    Risk,
    StatusUpdate,
    Theme,
)

# An explicit id list longer than this is matched in Python after the fetch: one bound parameter per
# id would run into the drivers' parameter limits (SQLite 32,766; PostgreSQL 65,535).
MAX_BOUND_IDS = 2_000

LIVE_LIFECYCLES = (Lifecycle.IN_PROGRESS.value, Lifecycle.ON_HOLD.value)
GREY_LIFECYCLES = (Lifecycle.NOT_STARTED.value, Lifecycle.CANCELLED.value)


def table_of(model: type) -> Table:
    """The Core table of a table class (queries select Core columns, so rows are plain tuples)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


class t:  # noqa: N801 - a namespace read like a schema: t.objective.c.ref
    plan = table_of(Plan)
    theme = table_of(Theme)
    outcome = table_of(Outcome)
    person = table_of(Person)
    board = table_of(Board)
    objective = table_of(Objective)
    period = table_of(ReportingPeriod)
    status = table_of(StatusUpdate)
    milestone = table_of(Milestone)
    risk = table_of(Risk)
    inspection = table_of(Inspection)
    recommendation = table_of(Recommendation)
    note = table_of(ProgressNote)
    rec_objective = table_of(RecommendationObjective)
    rec_milestone = table_of(RecommendationMilestone)
    rec_risk = table_of(RecommendationRisk)
    audit = table_of(AuditEntry)
    audit_head = table_of(AuditHead)
    period_return = table_of(PeriodReturn)
    period_report = table_of(PeriodReport)
    committee_paper = table_of(CommitteePaper)


def live(table: FromClause) -> ColumnElement[bool]:
    """The row is not tombstoned."""
    return table.c.deleted == false()


def in_plan(table: FromClause, on: date | ColumnElement[Any]) -> ColumnElement[bool]:
    """A theme, outcome or objective is in the plan on this day: not retired, or retired after it.

    A period's reports count what was in the plan when the period started, so an objective retired
    during a period is still reported for it, and not for the periods after.
    """
    return or_(table.c.retired_on.is_(None), table.c.retired_on > on)


def out_of_plan(on: date | ColumnElement[Any]) -> Select[Any]:
    """The objectives out of the plan on this day: it, its outcome or its theme retired on or before it.

    For ``objective_id.not_in(...)``: a report for a period counts what was in the plan at its start.
    """
    ob, oc, th = t.objective.alias("gone"), t.outcome.alias("gone_outcome"), t.theme.alias("gone_theme")
    return (
        select(ob.c.id)
        .join(oc, oc.c.id == ob.c.outcome_id)
        .join(th, th.c.id == oc.c.theme_id)
        .where(~and_(in_plan(ob, on), in_plan(oc, on), in_plan(th, on)))
    )


def in_plan_then(objective_id: ColumnElement[Any], period_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """Row by row: the objective was in the plan at the start of the period (as :func:`out_of_plan`).

    For a statement over many periods' rows, where each row has its own day. Only the rows of an
    objective that is retired, or sits in a retired outcome or theme, look the objective up: the
    others are passed by one list of the few such objectives (a pair NOT IN is a scan per row).
    """
    ob, oc, th = t.objective.alias("ret"), t.outcome.alias("ret_outcome"), t.theme.alias("ret_theme")
    p = t.period.alias("ret_period")
    holder = ob.join(oc, oc.c.id == ob.c.outcome_id).join(th, th.c.id == oc.c.theme_id)
    retired = (
        select(ob.c.id).select_from(holder).where(or_(*(x.c.retired_on.is_not(None) for x in (ob, oc, th))))
    )
    on = p.c.start_date
    out_then = (
        select(literal(1))
        .select_from(holder.join(p, p.c.id == period_id))
        .where(ob.c.id == objective_id, ~and_(in_plan(ob, on), in_plan(oc, on), in_plan(th, on)))
    )
    return or_(objective_id.not_in(retired), ~exists(out_then))


def all_of(conditions: Iterable[ColumnElement[bool]]) -> ColumnElement[bool]:
    items = list(conditions)
    return and_(*items) if items else true()


def brag_is(lifecycle: ColumnElement[Any], rag: ColumnElement[Any], shown: str) -> ColumnElement[bool]:
    """The SQL twin of :func:`tracker.rules.brag`: the displayed status equals ``shown``."""
    value = Brag(shown)
    if value is Brag.BLUE:
        return lifecycle == Lifecycle.COMPLETE.value
    if value is Brag.GREY:
        return or_(
            lifecycle.is_(None),
            lifecycle.in_(GREY_LIFECYCLES),
            and_(lifecycle.in_(LIVE_LIFECYCLES), rag.is_(None)),
        )
    return and_(lifecycle.in_(LIVE_LIFECYCLES), rag == value.value)


def text_match(text: str, columns: Iterable[ColumnElement[Any]]) -> ColumnElement[bool]:
    """Any of the columns contains the text, ignoring case (``%`` and ``_`` are matched literally)."""
    return or_(*(c.icontains(text, autoescape=True) for c in columns))


def ids_in_sql(ids: Collection[str] | None) -> bool:
    return ids is not None and len(ids) <= MAX_BOUND_IDS


def keep_ids(rows: Sequence[Any], ids: Collection[str] | None, index: int = 0) -> list[Any]:
    """Apply a long explicit id list that was not bound into the statement (see MAX_BOUND_IDS)."""
    if ids is None or ids_in_sql(ids):
        return list(rows)
    wanted = set(ids)
    return [r for r in rows if r[index] in wanted]


def milestone_done(milestone: FromClause, as_of: date) -> ColumnElement[bool]:
    """Completed on or before the as-of date (the SQL half of :func:`tracker.rules.milestone_state`)."""
    m = milestone.c
    return and_(m.completed_date.is_not(None), m.completed_date <= as_of)


def milestone_overdue(milestone: FromClause, as_of: date) -> ColumnElement[bool]:
    """Not done as of the date and forecast before it: the rules' OVERDUE state, without date arithmetic."""
    return and_(~milestone_done(milestone, as_of), milestone.c.forecast_date < as_of)


def driver_rows(session: Session, stmt: Executable) -> list[tuple[Any, ...]]:
    """The statement's rows as plain tuples straight from the DBAPI cursor, for lists of many thousands.

    SQLAlchemy binds the parameters as usual but builds no Row objects and runs no result processors,
    so values come as the driver gives them: on SQLite dates are ISO text and booleans 0/1 (read them
    with :class:`Days` and ``bool``); PostgreSQL gives ``date`` and ``bool`` already.
    """
    result = session.execute(stmt)
    try:
        return result.cursor.fetchall()  # type: ignore[attr-defined, no-any-return]
    finally:
        result.close()


class Days(dict[Any, "date | None"]):
    """A driver's date value -> ``date`` (None stays None), parsing each distinct text once."""

    def __missing__(self, value: Any) -> date | None:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        self[value] = day
        return day


R = TypeVar("R", bound=NamedTuple)

ROW_SHAPES: list[RowShape[Any]] = []  # every shape made, so that a test can check them all


class RowShape(Generic[R]):
    """A wide row type's select, declared once by field name, and a fast way to build its rows.

    A query gives :meth:`select` a mapping field name -> SQL expression for every field the statement
    fills, plus the ``inputs`` (columns read only to compute fields); the other fields are ``derived``,
    computed per row by the query. ``converted`` fields are selected, then converted per row (a
    driver's date text parsed, say). The SELECT lists the fields in the row's order, then the inputs,
    so each name's position in a fetched tuple is known once, not looked up per row: :meth:`getter`
    reads values by name with one ``itemgetter``, and :attr:`make` builds a row positionally.
    """

    def __init__(
        self,
        row: type[R],
        *,
        derived: Sequence[str] = (),
        converted: Sequence[str] = (),
        inputs: Sequence[str] = (),
    ) -> None:
        fields = row._fields
        unknown = [n for n in (*derived, *converted) if n not in fields]
        both = [n for n in converted if n in derived]
        clashing = [n for n in inputs if n in fields]
        if unknown or both or clashing:
            raise ValueError(
                f"{row.__name__}: {unknown} are not fields, {both} are both derived and converted, "
                f"inputs {clashing} are fields"
            )
        self.row = row
        self.derived = tuple(n for n in fields if n in derived)
        self.converted = tuple(n for n in fields if n in converted)
        self.inputs = tuple(inputs)
        self.selected = tuple(n for n in fields if n not in derived)
        self.names = self.selected + self.inputs  # a fetched tuple's columns, in order
        self.read: set[str] = set()  # the names getters were made for: converted and inputs must be read
        self._at = {name: i for i, name in enumerate(self.names)}
        self.make: Callable[..., R] = self._maker()
        ROW_SHAPES.append(self)

    def select(self, columns: Mapping[str, ColumnElement[Any]]) -> Select[Any]:
        """SELECT the columns in fetched order, each labelled with its name; refused unless the mapping
        names exactly the selected fields and the inputs."""
        missing = [n for n in self.names if n not in columns]
        extra = [n for n in columns if n not in self._at]
        if missing or extra:
            raise ValueError(f"{self.row.__name__}: select is missing {missing} and has extra {extra}")
        return select(*(columns[n].label(n) for n in self.names))

    def getter(self, *names: str) -> Callable[[Sequence[Any]], Any]:
        """A function giving these fetched values of a row (a tuple of them, or one value for one name)."""
        self.read.update(names)
        return itemgetter(*(self._at[n] for n in names))

    def _maker(self) -> Callable[..., R]:
        """``make(fetched, field=value, ...)``: a row from its fetched columns, the derived and converted
        fields given by keyword.

        Generated once, as namedtuple and dataclasses generate their methods: a loop over the fields per
        row, or a dict of them, would cost more than the row's own SQL (100,000 milestones at scale).
        One unpacking into _0, _1, ... is also faster than indexing each column (twice so for a
        SQLAlchemy Row). Field names cannot begin with an underscore, so they never clash with these.
        """
        fields = self.row._fields
        by_keyword = [n for n in fields if n in self.derived or n in self.converted]
        values = [n if n in by_keyword else f"_{self._at[n]}" for n in fields]
        keywords = f", *, {', '.join(by_keyword)}" if by_keyword else ""
        fetched = ", ".join(f"_{i}" for i in range(len(self.names)))
        source = (
            f"def make(_fetched, /{keywords}):\n"
            f"    {fetched}, = _fetched\n"
            f"    return _new(_row, ({', '.join(values)},))\n"
        )
        namespace: dict[str, Any] = {"_new": tuple.__new__, "_row": self.row}
        exec(compile(source, f"<make {self.row.__name__}>", "exec"), namespace)  # from field names only
        return cast("Callable[..., R]", namespace["make"])
