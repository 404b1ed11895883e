"""Typed reads from parsed TOML that collect every problem with where it is, instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlmodel import SQLModel

from tracker.errors import Problem

Limit = int | tuple[type[SQLModel], str] | None

_TYPE_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table",
               float: "a number", date: "a date", datetime: "a date and time"}  # fmt: skip


def _what(value: Any) -> str:
    return next((w for t, w in reversed(_TYPE_WORDS.items()) if isinstance(value, t)), type(value).__name__)


def _max_length(limit: Limit) -> int | None:
    if limit is None or isinstance(limit, int):
        return limit
    model, column = limit
    # SQLModel's table classes have a __table__ that its type hints do not declare.
    return getattr(model.__table__.c[column].type, "length", None)  # type: ignore[attr-defined]


class Reader:
    """Reads values out of nested dicts; each fault becomes a Problem whose message starts with its place."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, f"{where}: {message}"))

    def keys(
        self, where: str, data: dict, *, required: Iterable[str] = (), optional: Iterable[str] = ()
    ) -> None:
        known = set(required) | set(optional)
        for key in data:
            if key not in known:
                self.fail(where, f"unknown key {key!r} (expected {', '.join(sorted(known))})")

    @staticmethod
    def key_of(data: dict, key: str) -> str | None:
        """The raw identifier of a table, to name it in messages (None when missing or not text)."""
        value = data.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def _get(self, where: str, data: dict, key: str, required: bool) -> Any:
        if key not in data:
            if required:
                self.fail(where, f"{key} is required")
            return None
        return data[key]

    def text(
        self, where: str, data: dict, key: str, *, required: bool = False, limit: Limit = None
    ) -> str | None:
        value = self._get(where, data, key, required)
        if value is None:
            return None if required else ""
        if not isinstance(value, str):
            self.fail(where, f"{key}: expected text, got {_what(value)} ({value!r})")
            return None
        value = value.strip()
        if required and not value:
            self.fail(where, f"{key} must not be empty")
            return None
        most = _max_length(limit)
        if most is not None and len(value) > most:
            self.fail(where, f"{key} is too long ({len(value)} characters; at most {most})")
            return None
        return value

    def day(self, where: str, data: dict, key: str, *, required: bool = False) -> date | None:
        value = self._get(where, data, key, required)
        if value is None:
            return None
        if isinstance(value, datetime) or not isinstance(value, date | str):
            self.fail(where, f"{key}: {value!r} is not a date (expected YYYY-MM-DD)")
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                self.fail(where, f"{key}: {value!r} is not a date (expected YYYY-MM-DD)")
                return None
        return value

    def integer(self, where: str, data: dict, key: str, low: int, high: int, *, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"{key}: expected a whole number, got {_what(value)} ({value!r})")
            return default
        if not low <= value <= high:
            self.fail(where, f"{key} must be between {low} and {high} (got {value})")
            return default
        return value

    def choice(
        self, where: str, data: dict, key: str, allowed: Iterable[str], *, default: str | None,
        required: bool = False,
    ) -> str | None:  # fmt: skip
        value = self._get(where, data, key, required)
        if value is None:
            return default
        words = list(allowed)
        if isinstance(value, str):
            match = next((w for w in words if w.casefold() == value.strip().casefold()), None)
            if match is not None:
                return match
        self.fail(where, f"{key}: {value!r} is not one of {', '.join(repr(w) for w in words)}")
        return None

    def strings(self, where: str, data: dict, key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(where, f"{key}: expected a list of text, got {_what(value)} ({value!r})")
            return []
        out = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.fail(where, f"{key}: {item!r} is not a non-empty text")
            else:
                out.append(item.strip())
        return out

    def table(self, where: str, data: dict, key: str, *, required: bool = True) -> dict | None:
        value = self._get(where, data, key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(where, f"{key}: expected a table ([{key}]), got {_what(value)}")
            return None
        return value

    def tables(self, where: str, data: dict, key: str) -> list[dict]:
        value = data.get(key, [])
        if isinstance(value, dict):
            self.fail(where, f"{key}: write it as [[{key}]] (a list of tables), not [{key}]")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(where, f"{key}: expected [[{key}]] tables, got {_what(value)}")
            return []
        return value

    def order(
        self, where: str, first: date | None, first_name: str, then: date | None, then_name: str
    ) -> None:
        if first is not None and then is not None and then < first:
            self.fail(where, f"{then_name} {then} is before {first_name} {first}")

    def unique(
        self,
        where: str,
        what: str,
        value: str | None,
        seen: set[str],
        *,
        scope: str = "",
        shown: str | None = None,
    ) -> None:
        if not value:
            return
        if value in seen:
            self.fail(where, f"duplicate {what} {shown or value!r}" + (f" ({scope})" if scope else ""))
        seen.add(value)
