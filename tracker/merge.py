"""Three-way merge of one item's fields: as it was (base), as we hold it (ours), as it came in (theirs).

Period returns use it (base: as issued, theirs: as returned, ours: as the plan holds it now), and so
will offline replicas syncing with the team plan (base: the revision an edit was made on, theirs:
the edit, ours: the row now). A field changed on their side only takes their value; a field changed
on both sides to different values is a conflict, and nothing is written to it until a person settles
it by keeping ours or taking theirs. Pure: mappings of field -> value in, values to write out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Conflict", "Merged", "Resolution", "Unsettled", "merge_fields", "same"]


class Resolution(StrEnum):
    """How a person settles a conflict (the values are what a return's preview and the CLI store)."""

    KEEP_OURS = "ours"
    TAKE_THEIRS = "theirs"


class Unsettled(ValueError):
    """Values to write were asked for while conflicts are still open."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"{len(fields)} conflict(s) are not settled: {', '.join(fields)}")
        self.fields = fields


def same(a: Any, b: Any) -> bool:
    """Equal, with "" and None alike: a blank cell or field says the same as an empty one."""
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


@dataclass(frozen=True)
class Conflict:
    """A field both sides changed, to different values."""

    field: str
    base: Any
    ours: Any
    theirs: Any

    def settled(self, resolution: Resolution | str) -> Any:
        """The field's value once settled (a resolution's value, such as "ours", is accepted too)."""
        match Resolution(resolution):
            case Resolution.KEEP_OURS:
                return self.ours
            case Resolution.TAKE_THEIRS:
                return self.theirs


@dataclass(frozen=True)
class Merged:
    """One item merged: the fields to take from theirs, and the conflicts a person must settle."""

    changes: Mapping[str, Any]  # field -> their value: changed on their side only
    conflicts: Mapping[str, Conflict]  # field -> conflict: changed on both sides, differently

    def unsettled(self, resolutions: Mapping[str, Resolution | str]) -> list[str]:
        """The conflicts' fields that have no resolution, in field order."""
        return [f for f in self.conflicts if f not in resolutions]

    def to_write(self, resolutions: Mapping[str, Resolution | str]) -> dict[str, Any]:
        """The values to write over ours: every change, and each conflict settled by taking theirs.

        ``resolutions`` maps a conflict's field to how it is settled; raises Unsettled if any is missing.
        """
        open_fields = self.unsettled(resolutions)
        if open_fields:
            raise Unsettled(open_fields)
        out = dict(self.changes)
        for f, conflict in self.conflicts.items():
            if Resolution(resolutions[f]) is Resolution.TAKE_THEIRS:
                out[f] = conflict.theirs
        return out


def merge_fields(base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> Merged:
    """Merge theirs into ours for every field theirs holds (base and ours must hold those fields too).

    A field theirs left as base, or changed to what ours already holds, changes nothing; one that
    only theirs changed is a change; one that ours changed too, to something else, is a conflict.
    """
    changes: dict[str, Any] = {}
    conflicts: dict[str, Conflict] = {}
    for f, value in theirs.items():
        if same(value, ours[f]) or same(value, base[f]):
            continue
        if same(ours[f], base[f]):
            changes[f] = value
        else:
            conflicts[f] = Conflict(f, base[f], ours[f], value)
    return Merged(changes, conflicts)
