"""SQL building blocks the queries share: Core tables, the tombstone test, status and text conditions.

Queries select columns from Core tables (not ORM entities) so that results are plain tuples and
mypy sees column types. Everything here renders the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Executable, FromClause, Table, and_, false, or_, true
from sqlmodel import Session

from tracker.enums import Brag, Lifecycle
from tracker.models import (
    AuditEntry,
    Board,
    Inspection,
    Milestone,
    Objective,
    Outcome,
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
    period_return = table_of(PeriodReturn)


def live(table: FromClause) -> ColumnElement[bool]:
    """The row is not tombstoned."""
    return table.c.deleted == false()


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


@contextmanager
def bulk_rows() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a list of many thousands of tuples is built.

    Plain tuples of str, int and date make no cycles, but each thousand allocations sets off a
    collection that walks every object alive: a third of a 100,000-row read at scale.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
