"""Anchors: the audit log's head as seen before, kept outside the store, so a rewritten log shows.

A plan file is under its user's control: someone who edits the data and then rewrites the whole
hash chain to match leaves a log that verifies. What they cannot change is a head seen earlier and
kept elsewhere: on paper (every board pack and status workbook prints it) and in a small JSON file
in the user's data folder, which the app updates after each write and when it closes a store.
``check`` then asks of each anchor: does the log still hold that entry with that hash?

The file is ``audit-anchors.json`` in the user's data folder; ``TRACKER_ANCHORS`` names another
(tests point it into their temporary folder).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import Session, col

from tracker.models import AuditEntry, AuditHead
from tracker.outputs import written
from tracker.places import data_folder

ENV = "TRACKER_ANCHORS"
KEEP = 20  # anchors kept per store: the newest head plus any the log no longer holds (the evidence)
MIN_PRINTED = 16  # hex digits of a hash a printed anchor must give (64 bits)
_PRINTED = re.compile(r"^\s*(\d[\d,]*)\s*:\s*([0-9a-fA-F]+)\s*$")


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str  # the entry's hash, or at least MIN_PRINTED leading hex digits of it
    seen: str = ""  # when and where it was seen, in words

    @property
    def label(self) -> str:
        return f"{self.seq}:{self.hash}"


def printed(seq: int, digest: str) -> str:
    """The anchor as printed on outputs and typed back into ``check --anchor``: SEQ:HASH."""
    return f"{seq}:{digest}"


def parse(text: str) -> Anchor:
    """An anchor typed as SEQ:HASH (the hash may be cut to its first 16 hex digits)."""
    m = _PRINTED.match(text)
    if m is None or len(m.group(2)) < MIN_PRINTED or len(m.group(2)) > 64:
        raise ValueError(
            f"{text!r} is not an anchor: give it as printed, the entry number, a colon and at least "
            f"{MIN_PRINTED} hex digits of its hash (e.g. 1234:9f86d081884c7d65)"
        )
    return Anchor(int(m.group(1).replace(",", "")), m.group(2).lower(), "given on the command line")


def anchors_file() -> Path:
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    return data_folder() / "audit-anchors.json"


def known(key: str, path: Path | None = None) -> list[Anchor]:
    """The anchors remembered for a store (oldest first); none when the file is missing or unreadable."""
    data = _read(path or anchors_file())
    out = []
    for item in data.get(key, []):
        try:
            out.append(Anchor(int(item["seq"]), str(item["hash"]), str(item.get("seen", ""))))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def remember(conn: Connection | Session, key: str, path: Path | None = None) -> None:
    """Remember the store's current head; anchors the log no longer holds stay, as evidence for ``check``."""
    head = conn.execute(select(col(AuditHead.seq), col(AuditHead.hash)).where(col(AuditHead.id) == 1)).first()
    if head is None or not head[0]:
        return
    seq, digest = int(head[0]), str(head[1])
    path = path or anchors_file()
    old = known(key, path)
    if old and (old[-1].seq, old[-1].hash) == (seq, digest):
        return
    kept = [a for a in old if held(conn, a) is not True]
    stamp = datetime.now(UTC).strftime("%d %b %Y %H:%M UTC")
    anchors = [*kept, Anchor(seq, digest, f"remembered by the app on {stamp}")][-KEEP:]
    data = _read(path)
    data[key] = [asdict(a) for a in anchors]
    _write(path, data)


def forget(key: str, path: Path | None = None) -> None:
    """Drop a store's anchors (after restoring an older copy on purpose); the next write remembers anew."""
    path = path or anchors_file()
    data = _read(path)
    if data.pop(key, None) is not None:
        _write(path, data)


def held(conn: Connection | Session, anchor: Anchor) -> bool | None:
    """Whether the log still holds the anchor's entry with its hash; None when the entry is gone."""
    row = conn.execute(select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == anchor.seq)).first()
    if row is None:
        return None
    return str(row[0]).startswith(anchor.hash.lower())


def compare(conn: Connection | Session, anchors: list[Anchor]) -> list[str]:
    """A line for each anchor the log contradicts: entries removed after it, or history rewritten."""
    problems = []
    for a in anchors:
        found = held(conn, a)
        if found is None:
            problems.append(
                f"entry {a.seq:,} ({a.hash[:16]}, {a.seen}) is no longer in the log: entries were removed"
            )
        elif not found:
            problems.append(
                f"entry {a.seq:,} no longer has the hash {a.hash[:16]} ({a.seen}): the log was rewritten"
            )
    return problems


def _read(path: Path) -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    """Written whole or not at all (tracker.outputs): what a killed write left is removed by the next."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with written(path, replace=True) as temp:
        temp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
