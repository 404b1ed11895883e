"""Applying a previewed return: all or nothing, in the caller's transaction, through the services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlmodel import Session

from tracker.autobackup import BEFORE_IMPORT, backed_up
from tracker.db import Actor
from tracker.enums import Source
from tracker.merge import Conflict, Merged, Resolution
from tracker.queries.returns import issued_return, return_objectives
from tracker.services import Changes, ConflictError, Problem, ValidationError
from tracker.services.registry import entity
from tracker.services.returns import ReturnedItem, record_return_applied
from tracker.wording import plural
from tracker.workbooks.returns_import import ReturnPreview
from tracker.workbooks.returns_issue import ITEMS
from tracker.workbooks.returns_layout import OBJECTIVE, SHEET_BY_KIND
from tracker.workbooks.returns_rows import FieldConflict, RowChange, changes_in_words

# The names the preview dialog and the CLI settle conflicts with.
KEEP_OURS, TAKE_THEIRS = Resolution.KEEP_OURS, Resolution.TAKE_THEIRS
# A conflict's key -> how it is settled: a Resolution, or its value ("ours", "theirs") as a view hands it back.
Resolutions = Mapping[tuple[str, str, str], Resolution | str]


def settle_all(preview: ReturnPreview, choice: Resolution) -> dict[tuple[str, str, str], Resolution]:
    """The same choice (KEEP_OURS or TAKE_THEIRS) for every conflict."""
    return {c.key: choice for c in preview.conflicts}


@backed_up(BEFORE_IMPORT, "Applying the return")
def apply_return(
    session: Session, actor: Actor, preview: ReturnPreview, resolutions: Resolutions | None = None
) -> Changes:
    """Write the previewed changes and settled conflicts; refuse (changing nothing) if anything is open.

    Every change is audited with the return file named in the actor's detail. A row changed in
    the plan since the preview raises ConflictError: preview again. A return applied once is
    refused until it is issued again. The summary counts what was written the way the preview
    counted it (:meth:`ReturnPreview.changes_in_words`), and says how conflicts were settled.
    """
    resolutions = dict(resolutions or {})
    if preview.problems:
        raise ValidationError(
            Problem(
                "file",
                f"{preview.file_name} has {plural(len(preview.problems), 'problem')} to fix first; nothing was applied",
            )
        )
    bad = {v for v in resolutions.values()} - set(Resolution)
    if bad:
        raise ValueError(
            f"a conflict is settled with {KEEP_OURS.value!r} or {TAKE_THEIRS.value!r}, not {sorted(bad)}"
        )
    open_conflicts = [c for c in preview.conflicts if c.key not in resolutions]
    if open_conflicts:
        raise ValidationError(
            Problem(
                "conflicts",
                f"{plural(len(open_conflicts), 'conflict')} not settled (keep ours or take theirs); nothing was applied",
            )
        )
    who = replace(
        actor,
        source=Source.RETURN.value,
        detail=f"return file {preview.file_name} (sha256 {preview.file_sha256[:12]})"[:500],
    )
    _refuse_if_moved(session, preview)
    conflicts: dict[tuple[str, str], list[FieldConflict]] = {}
    for c in preview.conflicts:
        conflicts.setdefault((c.kind, c.item_id), []).append(c)
    written: list[Changes] = []  # merged once at the end: merging row by row is quadratic
    items = fields_written = new = 0
    for row in preview.changes:  # a row with only a conflict has its RowChange too, see compare_rows
        if row.new:
            written.append(_write(session, who, preview, row, dict(row.base)))
            items, fields_written, new = items + 1, fields_written + len(row.fields), new + 1
            continue
        mine = conflicts.get((row.kind, row.item_id), [])
        merged = Merged(
            {f.field: f.theirs for f in row.fields if not f.implied},
            {c.field: Conflict(c.field, c.issued, c.ours, c.theirs) for c in mine},
        )
        fields = _without_idle_reasons(row.kind, merged.to_write({c.field: resolutions[c.key] for c in mine}))
        if not fields:
            continue
        written.append(_write(session, who, preview, row, fields))
        items += 1
        fields_written += len(fields) + sum(f.implied and f.implied_by in fields for f in row.fields)
    written.append(
        record_return_applied(
            session, actor=who, period_id=preview.period_id, lead_id=preview.lead_id, rows_applied=items
        )
    )
    counted = changes_in_words(fields_written, items, new)
    summary = f"Applied {counted}{',' if new else ''} from {preview.file_name}"
    if resolutions:
        taken = sum(Resolution(r) is TAKE_THEIRS for r in resolutions.values())
        summary += (
            f" ({plural(preview.n_changes, 'change')} as previewed, and {plural(len(resolutions), 'conflict')} "
            f"settled: {taken} taken from the return, {len(resolutions) - taken} kept as in the plan)"
        )
    if preview.not_owned:
        summary += f"; {plural(len(preview.not_owned), 'row')} not this lead's {'was' if len(preview.not_owned) == 1 else 'were'} not applied"
    return Changes(
        next((c.txn for c in written if c.txn), None),
        frozenset().union(*(c.kinds for c in written)),
        frozenset().union(*(c.ids for c in written)),
        summary,
        tuple(x for c in written for x in c.created),
    )


def _without_idle_reasons(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields to write, less a reason whose date change is not written (a conflict kept as ours)."""
    for column in SHEET_BY_KIND[kind].inputs:
        if column.explains and column.field in fields and not set(column.explains) & set(fields):
            del fields[column.field]
    return fields


def _write(
    session: Session, who: Actor, preview: ReturnPreview, row: RowChange, fields: dict[str, Any]
) -> Changes:
    """One row through its kind's return writer, as the registry declares it."""
    base = {c.field: row.base[c.field] for c in SHEET_BY_KIND[row.kind].inputs if c.field in row.base}
    item = ReturnedItem(
        row.item_id, fields, row.our_revision, preview.period_id, preview.lead_name, base,
        lead_id=preview.lead_id, new=row.new,
    )  # fmt: skip
    return entity(row.kind).write_returned(session, who, item)


def _refuse_if_moved(session: Session, preview: ReturnPreview) -> None:
    """ConflictError when the return was issued again, or a row changed, since the preview."""
    issued = issued_return(session, preview.period_id, preview.lead_id)
    if issued is None or preview.checksum not in issued.past_checksums | {issued.checksum}:
        raise ConflictError(
            f"The return for {preview.lead_name} changed since the preview; preview {preview.file_name} again."
        )
    if preview.applied_already or preview.checksum in issued.applied_checksums:
        raise ValidationError(
            Problem(
                "file",
                preview.applied_already
                or f"{preview.file_name} was applied since the preview: it cannot be applied again. "
                "Nothing was applied.",
            )
        )
    by_kind: dict[str, dict[str, int]] = {}
    for r in preview.changes:
        if r.new:
            continue
        by_kind.setdefault(r.kind, {})[r.item_id] = r.our_revision
    for kind, wanted in by_kind.items():
        if kind == OBJECTIVE:
            now = {
                r.id: r.update_revision
                for r in return_objectives(session, preview.period_id, ids=list(wanted))
            }
        else:
            now = {r.id: r.revision for r in ITEMS[kind].query(session, ids=list(wanted))}
        moved = [i for i, rev in wanted.items() if now.get(i) != rev]
        if moved:
            raise ConflictError(
                f"{plural(len(moved), 'item')} in {preview.file_name} changed in the plan since the preview; "
                "preview the return again and settle any new conflicts. Nothing was applied."
            )
