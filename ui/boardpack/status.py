"""The pack's sections on status: the executive summary, RAG by theme, the trend, movement, and Appendix A."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from tracker.queries import NO_UPDATE, STATUS_KEYS
from ui.boardpack import charts
from ui.boardpack.blocks import BOLD, SMALL, Block, Chart, Column, Heading, Para, Row, Section, Table
from ui.boardpack.data import HORIZON_DAYS, SHORT, STATUS_WORDS, PackData, by_objective, chip, num, total
from ui.boardpack.words import movement_words, uk
from ui.charts.status import LETTERS, status_fill
from ui.palette import Palette

# ---------------------------------------------------------------------------------------------- summary


def summary(d: PackData) -> Section:
    dash, h = d.dash, d.dash.headline
    period = dash.period.name
    r = d.report
    blocks: list[Block] = [Heading("Key messages")]
    blocks += _items(r.key_messages, "• ", f"No key messages were recorded for {period}.")
    blocks += [Heading("Decisions the board is asked to make")]
    blocks += _items(r.decisions, "", f"No decisions were recorded for {period}.", numbered=True)
    if r.report_id and r.written_at:
        blocks.append(
            Para(
                f"Last changed by {r.written_by} on {uk(r.written_at.date())}; the audit log keeps every version.",
                SMALL,
            )
        )
    statuses = [Row((STATUS_WORDS[k], num(h.by_status.of(k)))) for k in STATUS_KEYS]
    blocks += [
        Heading("The period in figures"),
        Table.of((Column("Objectives by status", 3), Column("Objectives", 1, right=True)),
                 [*statuses, total("All objectives", h.n_objectives)], width=0.6),
        Table.of((Column("Milestones, risks and recommendations", 3), Column("Number", 1, right=True)), [
            Row(("Overdue milestones", num(h.overdue_milestones))),
            Row((f"Milestones due in the next {HORIZON_DAYS} days", num(len(dash.upcoming)))),
            Row(("Open risks", num(d.top.n_open))),
            Row((f"… of which above the appetite of {dash.plan.risk_appetite}", num(h.risks_above_appetite))),
            Row(("Open inspection recommendations", num(h.open_recommendations))),
            Row(("… of which past their due date", num(h.overdue_recommendations))),
            Row(("Objectives needing the board's attention (see Exceptions)", num(len(by_objective(dash.exceptions))))),
        ], width=0.6),
    ]  # fmt: skip
    moved = ", ".join(
        f"{movement_words(k)[0]} {n:,} {movement_words(k)[1].lower()}"
        for k, n in dash.movement.counts.items()
    )
    blocks.append(Para(f"Movement since {d.baseline_name}: {moved}."))  # fmt: skip
    return Section("Executive summary", f"{period} ({uk(dash.period.start)} to {uk(dash.period.end)}); "
                   f"figures as of {uk(dash.as_of)}", tuple(blocks))  # fmt: skip


def _items(text: str, mark: str, empty: str, *, numbered: bool = False) -> list[Block]:
    """Each line of the PMO's text as an item of a list (numbered, for decisions a minute can cite)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return [Para(empty, BOLD)]
    return [
        Para(f"{f'{i}. ' if numbered else mark}{line}", after=4, hanging=True)
        for i, line in enumerate(lines, start=1)
    ]


# ---------------------------------------------------------------------------------------------- status


def _status_bars(labels: list[str], counts: list[object], pal: Palette, horizontal: bool) -> charts.Bars:
    keys = [k for k in STATUS_KEYS if any(c.of(k) for c in counts)]  # type: ignore[attr-defined]
    return charts.Bars(
        tuple(labels), tuple(tuple((k, c.of(k)) for k in keys) for c in counts),  # type: ignore[attr-defined]
        {k: status_fill(pal, k) for k in keys}, dict(LETTERS),
        tuple((status_fill(pal, k), f"{LETTERS[k]} · {STATUS_WORDS[k]}") for k in keys), horizontal=horizontal,
    )  # fmt: skip


def _status_columns(first: str) -> tuple[Column, ...]:
    return (Column(first, 3), *(Column(SHORT.get(k, STATUS_WORDS[k]), 1, right=True) for k in STATUS_KEYS),
            Column("Total", 1, right=True))  # fmt: skip


def by_theme(d: PackData, pal: Palette) -> Section:
    rows = d.dash.by_theme
    bars = _status_bars([f"{r.code} {r.name}" for r in rows], [r.counts for r in rows], pal, horizontal=True)
    sums = [sum(r.counts.of(k) for r in rows) for k in STATUS_KEYS]
    table = Table.of(_status_columns("Theme"), [
        *(Row((f"{r.code} {r.name}", *map(num, r.counts), num(r.counts.total))) for r in rows),
        total("All themes", *sums, sum(sums)),
    ])  # fmt: skip
    height = 70 + 34 * len(rows)
    return Section("RAG by theme", f"Objectives by status for {d.dash.period.name}", (
        Chart(partial(charts.bars, b=bars, pal=pal), height), table))  # fmt: skip


def trend(d: PackData, pal: Palette) -> Section:
    rows = d.dash.trend
    bars = _status_bars([r.name for r in rows], [r.counts for r in rows], pal, horizontal=False)
    table = Table.of(_status_columns("Period"),
                     [Row((r.name, *map(num, r.counts), num(r.counts.total))) for r in rows])  # fmt: skip
    note = _total_changes([(r.name, r.counts.total) for r in rows])
    blocks: list[Block] = [Chart(partial(charts.bars, b=bars, pal=pal), 270 if note else 300), table]
    if note:  # the chart gives up the room for it, so the section stays on one page
        blocks.append(Para(note, SMALL))
    return Section("RAG trend across periods", "Objectives by status in each reporting period", tuple(blocks))


def _total_changes(totals: list[tuple[str, int]]) -> str:
    """Where the number of objectives changes between periods, and why: a reader asks where one went."""
    steps = []
    for (before, was), (name, now) in zip(totals, totals[1:], strict=False):
        if now != was:
            more_or_fewer = "more" if now > was else "fewer"
            steps.append(f"{name} counts {now:,}, {abs(now - was):,} {more_or_fewer} than {before}")
    if not steps:
        return ""
    return ("; ".join(steps) + ". An objective added to the plan is counted from its first period; one "
            "retired is not counted from the first period that starts on or after its retirement.")  # fmt: skip


MOVED_LISTED = 30  # beyond this a list of moved objectives here repeats pages of Appendix A


def movement(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    counts = dash.movement.counts
    colour = {"improved": "green", "deteriorated": "red", "unchanged": "grey", "new": "blue"}
    fills = {k: pal.brag_fill(colour[k]) if k in colour else status_fill(pal, NO_UPDATE) for k in counts}
    words = {k: movement_words(k) for k in counts}
    bars = charts.Bars(
        tuple(f"{a} {w}" for a, w in words.values()), tuple(((k, n),) for k, n in counts.items()), fills,
        {k: a for k, (a, _w) in words.items()}, tuple((fills[k], f"{a} {w}") for k, (a, w) in words.items()),
    )  # fmt: skip
    table = Table.of((Column("Movement", 3), Column("Objectives", 1, right=True)), [
        *(Row((f"{words[k][0]} {words[k][1]}", num(n))) for k, n in counts.items()),
        total("All objectives", sum(counts.values())),
    ])  # fmt: skip
    blocks: list[Block] = [Chart(partial(charts.bars, b=bars, pal=pal), 60 + 30 * len(counts)), table]
    listed = ("improved", "deteriorated", "new")
    for key in listed:
        ids = getattr(dash.movement, key, ())
        arrow, word = movement_words(key)
        blocks.append(Heading(f"{arrow} {word} ({len(ids):,})", bookmark=False))
        if not ids:
            blocks.append(Para("None."))
            continue
        if len(ids) > MOVED_LISTED:
            where = "under Exceptions and in Appendix A" if key == "deteriorated" else "in Appendix A"
            blocks.append(Para(f"Not listed here: the {len(ids):,} {word.lower()} objectives are each listed "
                               f"{where}, with their status and how it moved.", BOLD))  # fmt: skip
            continue
        cols = (
            Column("Objective", 5),
            Column("Lead", 2),
            Column(d.baseline_name, 1.5),
            Column(dash.period.name, 1.5),
        )
        rows = [dash.objectives[i] for i in ids]
        blocks.append(Table.of(cols, [Row((f"{s.ref} {s.title}", s.lead_name, chip(s.before.value, pal, s.before_label)
                                           if s.before else "No status", chip(s.key, pal, s.label))) for s in rows]))  # fmt: skip
    rest = [k for k in counts if k not in listed]
    if rest:
        named = " and ".join(f"the {counts[k]:,} {movement_words(k)[1].lower()}" for k in rest)
        blocks.append(
            Para(f"Not listed here: {named} objectives; Appendix A lists every objective with its status.")
        )
    return Section("Movement", f"{dash.period.name} against {d.baseline_name}: how each objective's status moved",
                   tuple(blocks))  # fmt: skip


# ---------------------------------------------------------------------------------------------- appendix


def appendix(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    by_theme: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for s in dash.objectives.values():
        by_theme[s.theme_id].append(s)
    blocks: list[Block] = []
    cols = (
        Column("Objective", 6),
        Column("Lead", 2.4),
        Column("Status", 1.8),
        Column(f"Since {d.baseline_name}", 1.6),
    )
    for theme in dash.by_theme:
        items = by_theme.get(theme.theme_id, [])
        counts = ", ".join(
            f"{SHORT.get(k, STATUS_WORDS[k])} {theme.counts.of(k):,}"
            for k in STATUS_KEYS
            if theme.counts.of(k)
        )
        blocks += [
            Heading(f"{theme.code} {theme.name}"),
            Para(f"{theme.counts.total:,} objectives: {counts or 'none'}."),
        ]
        if items:
            blocks.append(Table.of(cols, [
                Row((f"{s.ref} {s.title}", s.lead_name, chip(s.key, pal, s.label),
                     " ".join(movement_words(s.movement.value if s.movement else NO_UPDATE)))) for s in items]))  # fmt: skip
    return Section("Appendix A: every objective's RAG by theme",
                   f"Each objective's status for {dash.period.name}, in plan order", tuple(blocks))  # fmt: skip
