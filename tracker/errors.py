"""Refused writes and missing items, in words for the person who asked.

They sit below the services and the queries so that both raise the same errors (a query that is
asked for a period that does not exist raises :class:`NotFound` as a service would).
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError

from tracker.db import BUSY_TIMEOUT_S, StoreError


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class ServiceError(StoreError):
    """A write that was refused. Nothing was written."""


class ValidationError(ServiceError):
    def __init__(self, problems: Iterable[Problem] | Problem | str, field: str = ""):
        if isinstance(problems, str):
            problems = [Problem(field, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))

    def for_field(self, name: str) -> str | None:
        return next((p.message for p in self.problems if p.field == name), None)


class NotFound(ServiceError):
    pass


class ConflictError(ServiceError):
    """The row changed since the caller read it (its revision moved on)."""


class ClosedPeriod(ServiceError):
    pass


class NotPermitted(ServiceError):
    """The actor's role does not allow this change (see :class:`tracker.enums.Role`)."""


@dataclass(frozen=True)
class SheetProblem:
    """What is wrong with one cell (or row, or sheet) of a workbook from outside: a return or a plan."""

    sheet: str
    row: int
    column: str
    found: str
    expected: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'" + (f", row {self.row}" if self.row else "")
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: found {self.found}; expected {self.expected}"


def explain(exc: BaseException, name: str) -> str | None:
    """One line naming the cause of a database or file error and what to do, or None if it is not one we know.

    ``name`` is the plan's file name (or URL). Never the SQL or its parameters: they mean nothing
    to the person and may hold what they typed.
    """
    if isinstance(exc, DBAPIError | sqlite3.DatabaseError):
        cause = str(exc.orig) if isinstance(exc, DBAPIError) else str(exc)
        said = cause.lower()
        if "malformed" in said or "not a database" in said:
            return f"{name} is damaged ({cause}). Restore it from your latest backup; 'check' shows what is affected."
        if "locked" in said or "busy" in said:
            return (
                f"{name} is busy: another program kept it locked for over {BUSY_TIMEOUT_S:.0f} seconds "
                f"({cause}). Close that program or wait for it to finish, then try again; nothing was changed."
            )
        if "disk is full" in said:
            return f"The disk holding {name} is full ({cause}). Free some space and try again; nothing was changed."
        if "readonly" in said or "read-only" in said:
            return (
                f"{name} cannot be changed ({cause}): make the file and its folder writable, "
                "or open it read-only; nothing was changed."
            )
        if "unable to open" in said:
            return f"Could not open {name} ({cause}): check that it and its folder exist and can be read."
        if "permission denied" in said or "row-level security" in said or "frozen as reported" in said:
            first = cause.splitlines()[0] if cause else "refused"
            return (
                f"The server holding {name} refused the change ({first}): your login may not make it. "
                "Ask the programme office; nothing was changed."
            )
        return None
    if isinstance(exc, OSError) and exc.errno is not None:
        where = exc.filename or name
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return f"The disk is full: {where} could not be written ({exc.strerror}). Free some space and try again."
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (
                f"{where} cannot be written ({exc.strerror}). Choose a folder you can write to, "
                "or open the plan read-only."
            )
    return None
