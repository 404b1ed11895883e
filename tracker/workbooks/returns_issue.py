"""Issuing period returns: one workbook per lead, filled in with Excel or LibreOffice, no app needed.

Each workbook has an instructions sheet, a sheet per kind of item the lead answers for (context
columns locked, the columns to fill in yellow with drop-downs from a hidden, locked lists sheet),
and a very hidden manifest (see :mod:`tracker.workbooks.returns_layout`). A return asks only about
what is still open: not complete or cancelled objectives, nor milestones that are done or whose
objective is (they are not pursued), nor closed risks and recommendations. Each issue is recorded as a
:class:`~tracker.models.PeriodReturn` through :func:`tracker.services.record_return_issued`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sqlmodel import Session

from tracker.db import Actor
from tracker.enums import Lifecycle
from tracker.errors import ValidationError
from tracker.outputs import OutputError, Pending, why
from tracker.queries import current_plan, people, period
from tracker.queries.period_report import period_report
from tracker.queries.returns import (
    ReturnMilestone,
    ReturnObjective,
    ReturnRecommendation,
    ReturnRisk,
    return_milestones,
    return_objectives,
    return_recommendations,
    return_risks,
)
from tracker.rules import brag_label
from tracker.services.periods import update_period
from tracker.services.returns import record_return_issued
from tracker.workbooks.returns_layout import (
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LISTS,
    LISTS_SHEET,
    MANIFEST_SHEET,
    MILESTONE,
    OBJECTIVE,
    OBJECTIVES_LIST,
    RECOMMENDATION,
    RISK,
    SHEETS,
    Contact,
    Manifest,
    ManifestRow,
    SheetSpec,
    manifest_values,
    shown,
)
from tracker.workbooks.saving import check_workbook, sheets_beside, streaming

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class IssuedReturn:
    lead_id: str
    lead_name: str
    path: Path
    checksum: str
    rows: int  # items in the return


# ---------------------------------------------------------------------------------------------- items


def objective_values(r: ReturnObjective) -> dict[str, Any]:
    """An objective's values as a return shows them: the period's update, or where it stands."""
    if r.update_id is not None:
        inputs = {
            "rag": r.u_rag, "lifecycle": r.u_lifecycle, "progress_pct": r.u_progress_pct,
            "rationale": r.u_rationale or "", "corrective_action": r.u_corrective_action or "",
            "commentary": r.u_commentary or "", "next_steps": r.u_next_steps or "",
        }  # fmt: skip
    else:  # nothing reported yet: start from where the objective stands, the RAG left for the lead
        inputs = {
            "rag": None, "lifecycle": r.lifecycle, "progress_pct": r.progress_pct, "rationale": "",
            "corrective_action": "", "commentary": "", "next_steps": "",
        }  # fmt: skip
    prev = (
        f"{brag_label(r.prev_lifecycle, r.prev_rag)} ({r.prev_period})" if r.prev_period else "Not reported"
    )
    return {
        "ref": r.ref,
        "title": r.title,
        "prev": prev,
        "prev_commentary": r.prev_commentary or "",
        **inputs,
    }


def milestone_values(r: ReturnMilestone) -> dict[str, Any]:
    return {**r._asdict(), "reason": ""}


def risk_values(r: ReturnRisk) -> dict[str, Any]:
    return r._asdict()


# A complete or cancelled objective is not reported on, and its open milestones are not pursued.
CLOSED_LIFECYCLES = frozenset({Lifecycle.COMPLETE.value, Lifecycle.CANCELLED.value})


def objective_asked(r: ReturnObjective) -> bool:
    """Whether a return asks about the objective: not when it is complete or cancelled."""
    return (r.u_lifecycle or r.lifecycle) not in CLOSED_LIFECYCLES


def milestone_asked(r: ReturnMilestone) -> bool:
    """Whether a return asks about the milestone: not when done, nor when its objective is closed."""
    return r.completed_date is None and r.objective_lifecycle not in CLOSED_LIFECYCLES


def recommendation_values(r: ReturnRecommendation) -> dict[str, Any]:
    note = f"{r.latest_note_date:%d %b %Y}: {r.latest_note}" if r.latest_note_date else ""
    return {**r._asdict(), "latest_note": note, "note": ""}


class ItemRow(Protocol):
    """What a row of every item query but the objectives' has (an objective's revision is its update's)."""

    @property
    def id(self) -> str: ...
    @property
    def responsible(self) -> str | None: ...
    @property
    def revision(self) -> int: ...


class ItemQuery(Protocol):
    def __call__(
        self,
        session: Session,
        *,
        lead_id: str | None = ...,
        ids: Collection[str] | None = ...,
        on: date | None = ...,
    ) -> Sequence[ItemRow]: ...


class ItemSource(NamedTuple):
    query: ItemQuery
    values: Callable[[Any], dict[str, Any]]  # takes the query's own row type
    asked: Callable[[Any], bool] = lambda _row: True  # whether a return asks about the row


# The kinds other than objectives (whose rows depend on the period): where a return's rows come from.
# The risk and recommendation queries hold open items only; milestones are filtered here.
ITEMS: dict[str, ItemSource] = {
    MILESTONE: ItemSource(return_milestones, milestone_values, milestone_asked),
    RISK: ItemSource(return_risks, risk_values),
    RECOMMENDATION: ItemSource(return_recommendations, recommendation_values),
}


def lead_items(
    session: Session, period_id: str, lead_id: str | None = None
) -> dict[str, dict[str, list[Any]]]:
    """Lead id -> kind -> (id, values, revision) for each item a return asks about; one statement per kind."""
    out: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r in return_objectives(session, period_id, lead_id=lead_id):
        if r.responsible and objective_asked(r):
            out[r.responsible][OBJECTIVE].append((r.id, objective_values(r), r.update_revision))
    start = period(session, period_id).start  # a retired objective's milestones and risks are not asked
    for kind, (query, values, asked) in ITEMS.items():
        for row in query(session, lead_id=lead_id, on=start):
            if row.responsible and asked(row):
                out[row.responsible][kind].append((row.id, values(row), row.revision))
    return out


# ---------------------------------------------------------------------------------------------- issuing


def issue_returns(
    session: Session,
    actor: Actor,
    period_id: str,
    out_dir: str | Path,
    progress: Progress | None = None,
    *,
    lead_ids: Iterable[str] | None = None,
    return_by: date | None = None,
    contact: str | None = None,
    replace: bool = False,
) -> list[IssuedReturn]:
    """Write a return workbook for each lead with objectives to report on (or the leads named) and
    record each issue.

    The returns are written whole or not at all (:mod:`tracker.outputs`): each under a temporary
    name, read back, recorded, and only then all renamed into place, so a failure leaves neither a
    file nor a record. A return already in the folder is replaced only when ``replace`` (it may be
    one a lead filled in), or when it is one this plan never recorded issuing: what a run killed
    between renaming its files and committing their records leaves.

    Each sheet says by when and to whom it goes back: the period's return-by date and PMO contact.
    ``return_by`` and ``contact``, when given, are set on the period first (through
    :func:`~tracker.services.update_period`, in the same transaction), so the period keeps what its
    returns said.
    """
    this = period(session, period_id)
    if this.status != "open":
        raise ValidationError(f"{this.name} is closed: returns can only be issued for an open period.")
    settings = {"return_by": return_by, "return_contact": contact}
    settings = {k: v for k, v in settings.items() if v is not None}
    if settings:
        update_period(session, actor=actor, period_id=period_id, changes=settings)
    details = period_report(session, period_id)
    send_to = Contact(details.return_by, details.return_contact)
    plan = current_plan(session)
    names = {p.id: p for p in people(session)}
    items = lead_items(session, period_id)
    wanted = [lid for lid in items if items[lid][OBJECTIVE]] if lead_ids is None else list(lead_ids)
    wanted.sort(key=lambda lid: (names[lid].name.casefold() if lid in names else "", lid))
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file: give --out a folder for the returns (one workbook per lead)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"could not make the folder {folder}: {why(exc)}") from None
    issued_at = datetime.now(UTC).replace(microsecond=0)
    out: list[IssuedReturn] = []
    pending: list[Pending] = []
    try:
        for n, lead_id in enumerate(wanted, start=1):
            lead = names.get(lead_id)
            if lead is None:
                raise ValidationError(f"There is no person with id {lead_id!r} to issue a return to.")
            if progress is not None:
                progress(n - 1, len(wanted), f"Writing the return for {lead.name}")
            manifest = Manifest(
                plan.id, this.id, lead_id, issued_at.isoformat(),
                tuple(
                    ManifestRow(spec.kind, item_id, revision, manifest_values(spec.kind, values))
                    for spec in SHEETS
                    for item_id, values, revision in items[lead_id][spec.kind]
                ),
            )  # fmt: skip
            path = folder / return_file_name(this.name, lead.name)
            left = replace or unrecorded_issue(session, path, plan.id, this.id, lead_id)
            pending.append(file := Pending(path, replace=left, what="return"))
            with file.writing() as temp, sheets_beside(path):
                write_return(temp, plan, this, lead, items[lead_id], manifest, actor.name, send_to)
            file.check(check_workbook)
            checksum = manifest.checksum()
            record_return_issued(
                session,
                actor=actor,
                period_id=this.id,
                lead_id=lead_id,
                file_name=path.name,
                checksum=checksum,
            )
            out.append(IssuedReturn(lead_id, lead.name, path, checksum, len(manifest.rows)))
        session.flush()  # a record that cannot be written fails here, before any file is in place
    except BaseException:
        for file in pending:
            file.discard()
        raise
    # Every return is written, checked and recorded (uncommitted): now they take their names. A run
    # killed from here to the commit leaves returns with no record, which the next run recognises
    # (unrecorded_issue) and replaces.
    try:
        for file in pending:
            file.finish()
    except BaseException:
        for file in pending:
            file.discard()
            if file.finished and not file.replaced:  # the records roll back: a new file goes with them
                file.final.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(len(wanted), len(wanted), "Returns written")
    return out


def unrecorded_issue(session: Session, path: Path, plan_id: str, period_id: str, lead_id: str) -> bool:
    """Whether ``path`` is this lead's return for the period from an issue never recorded (newer than
    any recorded one): left by a run that stopped before it committed, so no lead has it."""
    from tracker.queries.returns import issued_return
    from tracker.workbooks.returns_import import read_manifest

    if not path.is_file():
        return False
    try:
        manifest = read_manifest(path)
        made = _utc(datetime.fromisoformat(manifest.issued_at))
    except Exception:  # not a return this version reads: not ours to replace
        return False
    if (manifest.plan_id, manifest.period_id, manifest.lead_id) != (plan_id, period_id, lead_id):
        return False
    issued = issued_return(session, period_id, lead_id)
    if issued is None:
        return True
    if manifest.checksum() in issued.past_checksums | {issued.checksum}:
        return False
    return issued.issued_at is None or made > _utc(issued.issued_at)


def _utc(at: datetime) -> datetime:
    """A naive UTC time (SQLite keeps none of the time zone the app writes)."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def return_file_name(period_name: str, lead_name: str) -> str:
    """'Return 2024-25 Q1 - Head of Intelligence.xlsx': safe on Windows, macOS and Linux."""
    raw = f"Return {period_name} - {lead_name}"
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "-", raw).strip(" .")[:150] + ".xlsx"


def write_return(
    path: Path,
    plan: Any,
    this: Any,
    lead: Any,
    items: dict[str, list[Any]],
    manifest: Manifest,
    author: str,
    contact: Contact | None = None,
) -> None:
    """Write one lead's return workbook (write-only mode: returns can be long)."""
    from openpyxl import Workbook

    from tracker.workbooks.cells import mark_workbook
    from tracker.workbooks.returns_sheets import (
        write_data_sheet,
        write_instructions,
        write_lists,
        write_manifest,
    )
    from tracker.workbooks.tables import default_font

    contact = contact or Contact()
    with streaming(Workbook(write_only=True)) as wb:
        default_font(wb)  # column widths count digits of the default font: Arial 10, as the cells use
        title = f"{plan.name}: {this.name} return for {lead.name}"
        write_instructions(wb, plan, this, lead, {k: len(v) for k, v in items.items()}, contact)
        lists = {name: list(values) for name, values in LISTS.items()}
        lists[OBJECTIVES_LIST] = [values["ref"] for _, values, _ in items.get(OBJECTIVE, [])]
        refs = write_lists(wb, lists, LISTS_SHEET)
        for spec in SHEETS:
            rows = [(item_id, _shown(spec, values)) for item_id, values, _ in items.get(spec.kind, [])]
            write_data_sheet(wb, spec, rows, refs, contact=contact, new_row=_new_row(spec, lead.name))
        write_manifest(wb, manifest, MANIFEST_SHEET)
        # Each printed page's header says when it is due (first, so a long name is what gets shortened).
        header = f"{this.name} return, {lead.name}"
        header = f"Due {contact.due}: {header}" if contact.due else header
        mark_workbook(wb, plan.protective_marking, plan.handling_caveat, title=header, author=author)
        wb.properties.title = title
        wb.save(path)


def _new_row(spec: SheetSpec, lead_name: str) -> list[Any]:
    """A new item's row as issued: what it raises in the first column, the lead as its owner."""
    return [
        spec.new_noun if i == 0 else lead_name if c.field == "owner_name" else None
        for i, c in enumerate(spec.columns[:-1])
    ]


def _shown(spec: SheetSpec, values: dict[str, Any]) -> list[Any]:
    return [shown(c, values.get(c.field)) for c in spec.columns[:-1]]


__all__ = [
    "FIRST_ROW", "HEADER_ROW", "INSTRUCTIONS_SHEET", "ITEMS", "IssuedReturn", "ItemQuery", "ItemRow",
    "ItemSource", "issue_returns", "lead_items", "milestone_values", "objective_values",
    "recommendation_values", "risk_values",
]  # fmt: skip
