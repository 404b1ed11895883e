"""Importing a period return: a preview that writes nothing, then an all-or-nothing apply.

:func:`read_return` checks the file (:func:`~tracker.workbooks.safety.inspect_upload`) and reads its
manifest and every input cell, with no store open; :func:`preview_return` then makes sure it is a
return this tracker issued for this plan (manifest present, checksum matching one on record) and
compares three values per field: what was issued, what the lead returned ("theirs") and what the
plan holds now ("ours") with :func:`tracker.merge.merge_fields`.
A field the lead changed is a change; one that both the lead and someone else changed, differently,
is a conflict for the PMO to settle. A filled-in new risk row is a new item. A date moved without
a reason, or a completed date after the day of import, is a problem. Rows for items the lead does
not answer for are listed and never applied; an issue already applied is said so, and not applied
again.

:func:`apply_return` (in :mod:`tracker.workbooks.returns_apply`) writes the changes through the
services in the caller's transaction.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from tracker.db import StoreError
from tracker.queries import current_plan, people, periods
from tracker.queries.returns import issued_return, note_texts
from tracker.workbooks.returns_diff import RowReader, compare_rows, current_items
from tracker.workbooks.returns_layout import (
    EARLIER_FORMATS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    MANIFEST_SHEET,
    SHEET_BY_KIND,
    SHEETS,
    Manifest,
    ManifestRow,
    SheetSpec,
    describe,
    issued_value,
)
from tracker.workbooks.returns_rows import (
    FieldConflict,
    NotOwned,
    ReturnProblem,
    RowChange,
    changes_in_words,
)
from tracker.workbooks.safety import inspect_upload, open_untrusted


class NotAReturn(StoreError):
    """The file is a workbook, but not a return of this plan that this tracker issued."""


@dataclass(frozen=True)
class ReturnPreview:
    path: Path
    file_name: str
    file_sha256: str
    plan_id: str
    period_id: str
    period_name: str
    lead_id: str
    lead_name: str
    issued_at: str
    checksum: str
    rows_read: int
    problems: tuple[ReturnProblem, ...]
    conflicts: tuple[FieldConflict, ...]
    not_owned: tuple[NotOwned, ...]
    changes: tuple[RowChange, ...]
    notes: tuple[str, ...] = ()
    applied_already: str = ""  # why it cannot be applied again, when this issue was applied before

    @property
    def n_changes(self) -> int:
        """The changes to apply, one per field (as the preview lists them)."""
        return sum(len(c.fields) for c in self.changes)

    @property
    def n_items(self) -> int:
        """The items the changes are to, new ones included (not those with only a conflict)."""
        return sum(1 for c in self.changes if c.fields)

    @property
    def n_new(self) -> int:
        return sum(c.new for c in self.changes)

    def changes_in_words(self) -> str:
        """ "9 changes to 4 items, one of them a new risk": the same words as the result of applying it."""
        return changes_in_words(self.n_changes, self.n_items, self.n_new)

    @property
    def can_apply(self) -> bool:
        """No problems, and not applied before (conflicts still need settling: see apply_return)."""
        return not self.problems and not self.applied_already


# ---------------------------------------------------------------------------------------------- preview


@dataclass(frozen=True)
class ReturnFile:
    """A return file read and parsed, before anything in the plan is looked at (no store needed)."""

    path: Path
    file_name: str
    file_sha256: str
    manifest: Manifest
    readers: dict[str, RowReader]
    problems: tuple[ReturnProblem, ...]  # found in the cells alone


def read_return(path: str | os.PathLike[str], **limits: Any) -> ReturnFile:
    """Check and parse a returned workbook: its manifest and every input cell. Needs no store, so a
    caller parses before it opens one (a large file never holds the write lock while it is read).

    ``limits`` go to :func:`~tracker.workbooks.safety.inspect_upload`.
    """
    safe = inspect_upload(path, **limits)
    name = safe.name
    problems: list[ReturnProblem] = []
    with open_untrusted(safe) as wb:
        manifest = _read_manifest(name, wb)
        readers = _read_sheets(name, wb, manifest, problems)
    return ReturnFile(
        safe.path, name, hashlib.sha256(safe.data).hexdigest(), manifest, readers, tuple(problems)
    )


def preview_return(
    session: Session,
    source: str | os.PathLike[str] | ReturnFile,
    *,
    today: date | None = None,
    **limits: Any,
) -> ReturnPreview:
    """Say what applying a returned workbook would do; writes nothing.

    ``source`` is the file, or what :func:`read_return` made of it. ``today`` is the day of the import
    (a completed date after it is refused); ``limits`` go to
    :func:`~tracker.workbooks.safety.inspect_upload`.
    """
    today = today or date.today()
    read = source if isinstance(source, ReturnFile) else read_return(source, **limits)
    name, manifest, readers = read.file_name, read.manifest, read.readers
    plan = current_plan(session)
    if manifest.plan_id != plan.id:
        raise NotAReturn(
            f"{name} is a return for another plan, not for {plan.name!r}; it cannot be imported here"
        )
    this = next((p for p in periods(session) if p.id == manifest.period_id), None)
    if this is None:
        raise NotAReturn(f"{name} is for a reporting period this plan no longer has")
    lead = next((p for p in people(session) if p.id == manifest.lead_id), None)
    issued = issued_return(session, this.id, manifest.lead_id)
    checksum = manifest.checksum()
    if lead is None or issued is None or checksum not in issued.past_checksums | {issued.checksum}:
        raise NotAReturn(
            f"{name} was not issued from this plan: there is no record of issuing it "
            "(its hidden return data does not match any return issued for this period)"
        )
    if this.status != "open":
        raise NotAReturn(f"{name} is for {this.name}, which is closed: reopen the period to import it")
    notes = []
    if checksum != issued.checksum:
        notes.append(f"This is an earlier issue of {lead.name}'s return; it was issued again since.")
    applied_already = ""
    if checksum in issued.applied_checksums:
        when = (
            f" on {issued.applied_at:%d %b %Y %H:%M} by {issued.applied_by}"
            if checksum == issued.checksum and issued.applied_at is not None
            else ""
        )
        applied_already = (
            f"This return from {lead.name} was already applied{when}: it cannot be applied again. "
            "To take in further changes, issue the return again and import the new one."
        )
    problems = list(read.problems)
    current = current_items(session, this.id, manifest.lead_id, readers)
    notes_on_record = note_texts(
        session, [r.item_id for r in readers.get("recommendation", RowReader()).rows]
    )
    names: dict[str | None, str] = {p.id: p.name for p in people(session)}
    found = compare_rows(readers, current, notes_on_record, problems, names, lead_id=lead.id, today=today)
    order = {spec.title: n for n, spec in enumerate(SHEETS)}
    problems.sort(key=lambda p: (order.get(p.sheet, 99), p.row))
    return ReturnPreview(
        path=read.path, file_name=name, file_sha256=read.file_sha256,
        plan_id=plan.id, period_id=this.id, period_name=this.name, lead_id=lead.id, lead_name=lead.name,
        issued_at=manifest.issued_at, checksum=checksum,
        rows_read=sum(len(r.rows) for r in readers.values()),
        problems=tuple(problems), conflicts=tuple(found.conflicts), not_owned=tuple(found.not_owned),
        changes=tuple(found.changes), applied_already=applied_already,
        notes=tuple(notes + ([] if applied_already else found.notes)),  # what is not kept: moot once applied
    )  # fmt: skip


def read_manifest(path: str | os.PathLike[str]) -> Manifest:
    """The hidden manifest of a return file, checked (raises :class:`NotAReturn` or a safety refusal)."""
    safe = inspect_upload(path)
    with open_untrusted(safe) as wb:
        return _read_manifest(safe.name, wb)


def _read_manifest(name: str, wb: Any) -> Manifest:
    if MANIFEST_SHEET not in wb.sheetnames:
        raise NotAReturn(
            f"{name} is not a period return from this tracker: it has no '{MANIFEST_SHEET}' sheet "
            "(returns are made with 'issue-returns'; was it copied into a new workbook?)"
        )
    ws = wb[MANIFEST_SHEET]
    head: dict[str, Any] = {}
    rows: list[ManifestRow] = []
    widths = {s.kind: len(s.inputs) for s in SHEETS}
    damaged = NotAReturn(f"{name}: its hidden return data is damaged or was edited, so it cannot be trusted")
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if n <= 6:
            if not values or len(values) < 2:
                raise damaged
            head[str(values[0])] = values[1]
            continue
        if n == 7:
            continue
        kind, item_id, revision = (list(values) + [None] * 3)[:3]
        if kind not in widths or not isinstance(item_id, str) or not isinstance(revision, int):
            raise damaged
        raw = (list(values[3:]) + [None] * widths[kind])[: widths[kind]]
        try:
            issued = tuple(issued_value(c, v) for c, v in zip(SHEET_BY_KIND[kind].inputs, raw, strict=True))
        except (TypeError, ValueError):
            raise damaged from None
        rows.append(ManifestRow(kind, item_id, revision, issued))
    if head.get("format") in EARLIER_FORMATS:
        raise NotAReturn(
            f"{name} was issued by an earlier version of the tracker, whose returns this version cannot "
            "read: issue the return again and ask the lead to fill in the new one"
        )
    if head.get("format") != FORMAT:
        raise NotAReturn(f"{name} is not a period return this version of the tracker can read")
    if not all(isinstance(head.get(k), str) for k in ("plan", "period", "lead", "issued_at", "checksum")):
        raise damaged
    manifest = Manifest(head["plan"], head["period"], head["lead"], head["issued_at"], tuple(rows))
    if manifest.checksum() != head["checksum"]:
        raise NotAReturn(
            f"{name}: its hidden return data was changed after it was issued (the checksum does not "
            "match), so it cannot be trusted; ask the PMO for a fresh return"
        )
    return manifest


def _read_sheets(
    name: str, wb: Any, manifest: Manifest, problems: list[ReturnProblem]
) -> dict[str, RowReader]:
    issued: dict[str, dict[str, ManifestRow]] = {s.kind: {} for s in SHEETS}
    for r in manifest.rows:
        issued[r.kind][r.id] = r
    out = {}
    for spec in SHEETS:
        if spec.title not in wb.sheetnames:
            if issued[spec.kind]:
                problems.append(
                    ReturnProblem(spec.title, 0, "", "no such sheet", f"the '{spec.title}' sheet as issued")
                )
            continue
        reader = RowReader(spec, issued[spec.kind])
        ws = wb[spec.title]
        if not _headers_match(spec, ws, problems):
            continue
        for n, cells in enumerate(
            ws.iter_rows(min_row=FIRST_ROW, max_row=ws.max_row, max_col=len(spec.columns)), start=FIRST_ROW
        ):
            reader.read(n, cells, problems)
        out[spec.kind] = reader
    return out


def _headers_match(spec: SheetSpec, ws: Any, problems: list[ReturnProblem]) -> bool:
    found = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
    expected = [c.header for c in spec.columns]
    found = [(str(v).strip() if v is not None else "") for v in list(found)[: len(expected)]]
    if found == expected:
        return True
    problems.append(
        ReturnProblem(
            spec.title,
            HEADER_ROW,
            "",
            describe(" | ".join(found)),
            "the column headings as issued (columns cannot be added, moved or renamed): "
            + " | ".join(expected),
        )  # fmt: skip
    )
    return False
