"""Refused writes and missing items, in words for the person who asked.

They sit below the services and the queries so that both raise the same errors (a query that is
asked for a period that does not exist raises :class:`NotFound` as a service would).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tracker.db import StoreError


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
