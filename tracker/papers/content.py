"""What a committee paper says, in the order the source paper says it, as plain blocks of text.

Every generated sentence is built from a field the store holds (named beside it); the PMO's own text
(the summary, a narrative per item) is put in as written. A section with nothing to say is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from tracker.enums import MilestoneState, RecommendationKind, RecommendationStatus
from tracker.queries.committee import CommitteeData, PaperInspection, PaperItem, PaperMilestone
from tracker.wording import listing, plural

Style = Literal["heading1", "heading2", "numbered", "bullet", "para", "quote"]

NO_CHANGE = "No change since the last report."
NOT_ALLOCATED = "Not yet allocated"
KIND_PLURALS = {
    RecommendationKind.CAUSE_OF_CONCERN.value: "causes of concern",
    RecommendationKind.RECOMMENDATION.value: "recommendations",
    RecommendationKind.AREA_FOR_IMPROVEMENT.value: "areas for improvement",
}


@dataclass(frozen=True)
class Block:
    style: Style
    text: str
    lead: str = ""  # a lead-in set in bold: "Owner: "
    more: tuple[tuple[str, str], ...] = ()  # further (bold lead, text) pairs in the same paragraph


@dataclass(frozen=True)
class Paper:
    marking: str  # in every header and footer
    title: str
    fields: tuple[tuple[str, str], ...]  # the report's heading: to whom, from whom, date, subject, author
    blocks: tuple[Block, ...]
    appendix_title: str
    appendix_headers: tuple[str, ...]
    appendix_rows: tuple[tuple[str, ...], ...]


def day(d: date | None) -> str:
    """A UK date as readers see it: 31 Mar 2024."""
    return f"{d.day} {d:%b %Y}" if d is not None else ""


def kinds_in_words(counts: dict[str, int]) -> str:
    parts = [
        plural(counts[k.value], k.value, KIND_PLURALS[k.value])
        for k in RecommendationKind
        if counts.get(k.value)
    ]
    return listing(parts) or "no items"


def paragraphs(text: str) -> list[str]:
    """The PMO's text as paragraphs: a blank line starts a new one."""
    out, current = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            out.append("\n".join(current))
            current = []
    if current:
        out.append("\n".join(current))
    return out


def build_paper(data: CommitteeData, *, paper_date: date) -> Paper:
    plan, period, board = data.plan, data.period, data.board_name
    marking = plan.protective_marking + (f" {plan.handling_caveat}" if plan.handling_caveat else "")
    subject = f"Inspection recommendations: progress in {period.name}"
    fields = [("Report to", board), ("Report of", plan.organisation or plan.name), ("Subject", subject)]
    fields.append(("Date", day(paper_date)))
    if plan.contact_officer:
        fields.append(("Contact officer", plan.contact_officer))
    blocks: list[Block] = []
    add = blocks.append
    items, reported = data.items, data.reported
    bodies = listing(sorted({i.body for i in data.inspections}))

    add(Block("heading1", "Purpose of the report"))
    add(Block("numbered", (
        f"This report updates the {board} on the {plural(len(items), 'inspection item')} "
        f"({kinds_in_words(_counts(items))}) raised by {bodies or 'inspection'} that are linked to objectives "
        f"reporting to it, for {period.name} ({day(period.start)} to {day(period.end)})."
    ) if items else (
        f"No inspection item is linked to an objective reporting to the {board} in {period.name} "
        f"({day(period.start)} to {day(period.end)})."
    )))  # fmt: skip

    add(Block("heading1", "Recommendation"))
    proposed = [i.row.ref for i in reported if i.row.status == RecommendationStatus.PROPOSED_FOR_CLOSURE]
    ask = f"The {board} is asked to note the progress on each item and its status"
    if not items:
        ask = f"The {board} is asked to note that no inspection item is linked to the work it oversees"
    if proposed:
        ask += f", and to consider the {plural(len(proposed), 'item')} proposed for closure ({listing(proposed)})"
    add(Block("numbered", ask + "."))

    summary = [Block("numbered", p) for p in paragraphs(data.text.summary)]
    if items:
        summary += _summary_facts(data)
    if summary:
        add(Block("heading1", "Summary"))
        blocks.extend(summary)

    if data.inspections:
        add(Block("heading1", "Background"))
        for insp in data.inspections:
            add(Block("numbered", _background(insp, data)))

    if reported:
        add(Block("heading1", "Update on activity"))
        for item in reported:
            blocks.extend(_item_blocks(item, data))
    earlier = len(items) - len(reported)
    if earlier:
        add(Block("para", (
            f"The {plural(earlier, 'item')} closed before {period.name} "
            f"{'is' if earlier == 1 else 'are'} listed in the appendix only."
        )))  # fmt: skip

    if plan.contact_officer:
        add(Block("heading1", "Contact officer"))
        add(Block("para", plan.contact_officer))

    headers = ("Reference", "Kind", "Owner", "Due", "Status", "Latest note")
    rows = tuple(
        (i.row.ref, i.row.kind.capitalize(), i.row.owner_name or NOT_ALLOCATED, day(i.row.due_date),
         i.row.status.capitalize(), day(i.row.latest_note_date) or "None")
        for i in items
    )  # fmt: skip
    title = board
    return Paper(
        marking, title, tuple(fields), tuple(blocks), "Appendix: every item and its status", headers, rows
    )


def _counts(items: tuple[PaperItem, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in items:
        out[i.row.kind] = out.get(i.row.kind, 0) + 1
    return out


def _summary_facts(data: CommitteeData) -> list[Block]:
    items = data.items
    by_status: dict[str, int] = {}
    for i in items:
        by_status[i.row.status] = by_status.get(i.row.status, 0) + 1
    statuses = listing(
        f"{by_status[s.value]} {'is' if by_status[s.value] == 1 else 'are'} {s.value}"
        for s in RecommendationStatus
        if by_status.get(s.value)
    )
    out = [Block("numbered", f"Of the {plural(len(items), 'item')}, {statuses}.")]
    notes = sum(len(i.notes) for i in items)
    noted = sum(1 for i in items if i.notes)
    if notes:
        out.append(Block("numbered", (
            f"In {data.period.name}, {plural(notes, 'progress note')} {'was' if notes == 1 else 'were'} "
            f"recorded, on {plural(noted, 'item')}."
        )))  # fmt: skip
    else:
        out.append(Block("numbered", f"No progress note was recorded in {data.period.name}."))
    overdue = [i.row.ref for i in items if i.row.overdue]
    if overdue:
        out.append(Block("numbered", (
            f"{plural(len(overdue), 'open item')} {'is' if len(overdue) == 1 else 'are'} past {'its' if len(overdue) == 1 else 'their'} "
            f"due date as at {day(data.as_of)}: {listing(overdue)}."
        )))  # fmt: skip
    return out


def _background(insp: PaperInspection, data: CommitteeData) -> str:
    published = f" on {day(insp.published_date)}" if insp.published_date else ""
    graded = f", grading it {insp.grade}" if insp.grade else ""
    linked = sum(1 for i in data.items if i.row.inspection_id == insp.id)
    total = sum(insp.counts.values())
    return (
        f"{insp.body} published its report “{insp.title}”{published}{graded}. It raised "
        f"{kinds_in_words(insp.counts)}; {linked} of the {total} {'is' if linked == 1 else 'are'} linked to "
        f"objectives reporting to the {data.board_name} and reported here."
    )


def _item_blocks(item: PaperItem, data: CommitteeData) -> list[Block]:
    r = item.row
    out = [Block("heading2", f"{r.kind.capitalize()} {r.ref}"), Block("quote", r.text)]
    facts = [("Status: ", _status(item))]
    if r.due_date:
        facts.insert(0, ("Due: ", f"{day(r.due_date)}.  "))
    out.append(Block("para", f"{r.owner_name or NOT_ALLOCATED}.  ", lead="Owner: ", more=tuple(facts)))
    narrative = data.text.item_notes.get(r.id, "")
    out.extend(Block("numbered", p) for p in paragraphs(narrative))
    if item.notes:
        out.extend(Block("numbered", n.text, lead=f"{day(n.note_date)}: ") for n in item.notes)
    else:
        said = NO_CHANGE if item.unchanged and data.previous is not None else (
            f"No progress note was recorded in {data.period.name}."
        )  # fmt: skip
        if r.latest_note_date is not None:
            said += f" The latest, of {day(r.latest_note_date)}, reads: {r.latest_note}"
        else:
            said += " No progress note has been recorded yet."
        out.append(Block("numbered", said))
    if r.status in (RecommendationStatus.PROPOSED_FOR_CLOSURE, RecommendationStatus.CLOSED):
        if r.evidence:
            out.append(Block("numbered", r.evidence, lead="Evidence: "))
        if r.closure_rationale:
            out.append(Block("numbered", r.closure_rationale, lead="Closure rationale: "))
    if item.objectives:
        out.append(Block("para", "", lead=f"Linked objectives, as reported for {data.period.name}:"))
        for o in item.objectives:
            status = "no update for the period" if o.status == "No update" else o.status
            pct = (
                f", {o.progress_pct}% complete"
                if o.progress_pct is not None and o.status != "No update"
                else ""
            )
            out.append(Block("bullet", o.title, lead=f"{o.ref} ({status}{pct}): "))
    if item.milestones:
        out.append(Block("para", "", lead="Linked milestones:"))
        for m in item.milestones:
            out.append(Block("bullet", _milestone(m), lead=f"{m.title} ({m.objective_ref}): "))
    return out


def _status(item: PaperItem) -> str:
    r = item.row
    text = r.status.capitalize()
    if r.closed_date is not None and r.status == RecommendationStatus.CLOSED:
        text += f" on {day(r.closed_date)}"
    if r.overdue:
        text += f" (past its due date of {day(r.due_date)})"
    return text + "."


def _milestone(m: PaperMilestone) -> str:
    if m.state is MilestoneState.COMPLETE:
        return f"complete on {day(m.completed)}."
    forecast = f"forecast {day(m.forecast)}" + (
        f" (baseline {day(m.baseline)})" if m.forecast != m.baseline else ""
    )
    return f"{m.state.value}, {forecast}."
