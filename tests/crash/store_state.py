"""What a store holds, as fingerprints: exact (is it wholly as before?) and with the values a run
makes afresh masked (is it wholly as a completed run leaves it?)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

# Values a completed run makes afresh each time: new ids, timestamps, hashes (the audit chain and
# the returns' checksums). Masked wherever they occur, inside JSON too, so two completed runs of
# the same command agree; counts and every other value still have to match.
_VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\b[0-9a-f]{32,}\b"
    r"|\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
)


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection that cannot change the file (the path is quoted for SQLite's URI)."""
    con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        yield con
    finally:
        con.close()


def table_rows(con: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    names = [
        r[0]
        for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        if r[0] != "sqlite_stat1"
    ]
    return {name: con.execute(f'SELECT * FROM "{name}"').fetchall() for name in names}


def _mask(value: object) -> object:
    return _VOLATILE.sub("~", value) if isinstance(value, str) else value


def _digest(rows: list[tuple[object, ...]], masked: bool) -> str:
    lines = sorted(repr(tuple(_mask(v) for v in row) if masked else row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """Per table: its row count, its content's hash, and that hash with fresh values masked."""

    tables: dict[str, tuple[int, str, str]]

    @classmethod
    def of(cls, path: Path) -> Fingerprint:
        with read_only(path) as con:
            rows = table_rows(con)
        return cls({t: (len(r), _digest(r, False), _digest(r, True)) for t, r in rows.items()})

    def counts(self) -> dict[str, int]:
        return {t: v[0] for t, v in self.tables.items()}

    def same_as(self, other: Fingerprint) -> bool:
        return self.tables == other.tables

    def like(self, other: Fingerprint) -> bool:
        """Equal once the values a run makes afresh are masked."""
        return self._masked() == other._masked()

    def _masked(self) -> dict[str, tuple[int, str]]:
        return {t: (v[0], v[2]) for t, v in self.tables.items()}


def describe_difference(found: Fingerprint, before: Fingerprint, after: Fingerprint | None) -> str:
    """Which tables are as before, which as after and which neither, with row counts."""
    as_before, as_after, neither = [], [], []
    tables = set(found.tables) | set(before.tables) | set(after.tables if after else ())
    for table in sorted(tables):
        f, b = found.tables.get(table), before.tables.get(table)
        a = after.tables.get(table) if after else None
        changes = after is not None and _masked(a) != _masked(b)  # the command changes this table
        if f == b:
            if changes:
                as_before.append(table)
        elif changes and _masked(f) == _masked(a):
            as_after.append(table)
        else:
            neither.append(
                f"{table} ({_count(f)} rows; before {_count(b)}, after {_count(a if after else b)})"
            )
    parts = []
    if neither:
        parts.append("like neither: " + ", ".join(neither))
    if as_after and as_before:
        parts.append("as after: " + ", ".join(as_after) + "; still as before: " + ", ".join(as_before))
    return "; ".join(parts) or "no table differs (the schema only)"


def _masked(entry: tuple[int, str, str] | None) -> tuple[int, str] | None:
    return None if entry is None else (entry[0], entry[2])


def _count(entry: tuple[int, str, str] | None) -> str:
    return "no" if entry is None else str(entry[0])
