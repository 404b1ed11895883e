"""What the board pack says, section by section, as blocks (no painting here).

Every figure comes from the queries (``dashboard_data`` and ``tracker.queries.pack``) and is shown by
the labels they give it; each breakdown is printed with its total, and every list is printed whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from sqlmodel import Session

from tracker.enums import MilestoneState
from tracker.queries import NO_UPDATE, STATUS_KEYS, ExceptionRow, Filters
from tracker.queries.pack import (
    OpenRecommendation,
    RiskTrend,
    TopRisk,
    TopRisks,
    open_recommendations,
    top_risks,
)
from tracker.queries.period_report import PeriodReportRow, period_report
from ui.boardpack import charts
from ui.boardpack.blocks import BOLD, SMALL, Block, Chart, Chip, Column, Heading, Para, Row, Section, Table
from ui.boardpack.definitions import definitions, glossary
from ui.boardpack.words import movement_words, uk
from ui.charts.recommendations import LETTERS as REC_LETTERS
from ui.charts.recommendations import body_label
from ui.charts.status import LETTERS, status_fill
from ui.dashboard_data import HORIZON_DAYS, DashboardData, load_dashboard
from ui.palette import Palette

STATUS_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue: complete",
                "grey": "Grey: not started, cancelled or no RAG", NO_UPDATE: "No update"}  # fmt: skip
SHORT = {"blue": "Blue", "grey": "Grey"}
HORIZON = timedelta(days=HORIZON_DAYS)
STATE_COLOURS = {"overdue": "red", "slipping": "amber", "on track": "green", "complete": "blue"}


@dataclass(frozen=True)
class PackData:
    dash: DashboardData
    top: TopRisks
    recommendations: tuple[OpenRecommendation, ...]
    report: PeriodReportRow  # the PMO's key messages and the decisions asked of the board
    printed: date

    @property
    def baseline_name(self) -> str:
        return self.dash.compare_to.name if self.dash.compare_to else "no earlier period"


def load_pack(
    session: Session, period_id: str, filters: Filters | None = None, *, today: date | None = None
) -> PackData:
    """Everything the pack prints, read in one session."""
    dash = load_dashboard(session, period_id, filters, today=today)
    return PackData(
        dash=dash,
        top=top_risks(session, dash.compare_to, dash.filters),
        recommendations=tuple(open_recommendations(session, dash.as_of, dash.filters)),
        report=period_report(session, period_id),
        printed=today or date.today(),
    )


def sections(d: PackData, pal: Palette) -> list[Section]:
    return [summary(d), by_theme(d, pal), trend(d, pal), movement(d, pal), risks(d), heat_map(d, pal),
            milestones(d, pal), recommendations(d, pal), exceptions(d, pal), appendix(d, pal),
            definitions(d.dash, pal), glossary()]  # fmt: skip


def _chip(key: str, pal: Palette, words: str | None = None) -> Chip:
    return Chip(words or STATUS_WORDS.get(key, key), status_fill(pal, key))


def _total(label: str, *cells: object) -> Row:
    return Row((label, *(f"{c:,}" if isinstance(c, int) else str(c) for c in cells)), bold=True)


def _n(v: int) -> str:
    return f"{v:,}"


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
    statuses = [Row((STATUS_WORDS[k], _n(h.by_status.of(k)))) for k in STATUS_KEYS]
    blocks += [
        Heading("The period in figures"),
        Table.of((Column("Objectives by status", 3), Column("Objectives", 1, right=True)),
                 [*statuses, _total("All objectives", h.n_objectives)], width=0.6),
        Table.of((Column("Milestones, risks and recommendations", 3), Column("Number", 1, right=True)), [
            Row(("Overdue milestones", _n(h.overdue_milestones))),
            Row((f"Milestones due in the next {HORIZON_DAYS} days", _n(len(dash.upcoming)))),
            Row(("Open risks", _n(d.top.n_open))),
            Row((f"… of which above the appetite of {dash.plan.risk_appetite}", _n(h.risks_above_appetite))),
            Row(("Open inspection recommendations", _n(h.open_recommendations))),
            Row(("… of which past their due date", _n(h.overdue_recommendations))),
            Row(("Objectives needing the board's attention (see Exceptions)", _n(len(_by_objective(dash.exceptions))))),
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
        *(Row((f"{r.code} {r.name}", *map(_n, r.counts), _n(r.counts.total))) for r in rows),
        _total("All themes", *sums, sum(sums)),
    ])  # fmt: skip
    height = 70 + 34 * len(rows)
    return Section("RAG by theme", f"Objectives by status for {d.dash.period.name}", (
        Chart(partial(charts.bars, b=bars, pal=pal), height), table))  # fmt: skip


def trend(d: PackData, pal: Palette) -> Section:
    rows = d.dash.trend
    bars = _status_bars([r.name for r in rows], [r.counts for r in rows], pal, horizontal=False)
    table = Table.of(_status_columns("Period"),
                     [Row((r.name, *map(_n, r.counts), _n(r.counts.total))) for r in rows])  # fmt: skip
    return Section("RAG trend across periods", "Objectives by status in each reporting period", (
        Chart(partial(charts.bars, b=bars, pal=pal), 300), table))  # fmt: skip


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
        *(Row((f"{words[k][0]} {words[k][1]}", _n(n))) for k, n in counts.items()),
        _total("All objectives", sum(counts.values())),
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
        cols = (
            Column("Objective", 5),
            Column("Lead", 2),
            Column(d.baseline_name, 1.5),
            Column(dash.period.name, 1.5),
        )
        rows = [dash.objectives[i] for i in ids]
        blocks.append(Table.of(cols, [Row((f"{s.ref} {s.title}", s.lead_name, _chip(s.before.value, pal, s.before_label)
                                           if s.before else "No status", _chip(s.key, pal, s.label))) for s in rows]))  # fmt: skip
    rest = [k for k in counts if k not in listed]
    if rest:
        named = " and ".join(f"the {counts[k]:,} {movement_words(k)[1].lower()}" for k in rest)
        blocks.append(
            Para(f"Not listed here: {named} objectives; Appendix A lists every objective with its status.")
        )
    return Section("Movement", f"{dash.period.name} against {d.baseline_name}: how each objective's status moved",
                   tuple(blocks))  # fmt: skip


# ---------------------------------------------------------------------------------------------- risks


TREND_WORDS = {RiskTrend.SAME: "→ No change", RiskTrend.NEW: "★ New", RiskTrend.UNKNOWN: "–"}


def _trend(r: TopRisk) -> str:
    if r.trend is RiskTrend.UP:
        return f"↑ Up from {r.before}"
    if r.trend is RiskTrend.DOWN:
        return f"↓ Down from {r.before}"
    return TREND_WORDS[r.trend]


def risks(d: PackData) -> Section:
    top, appetite = d.top, d.dash.plan.risk_appetite
    since = f"when {d.baseline_name} closed ({uk(top.since.date())})" if top.since else "(no earlier period)"
    intro = (f"The {len(top.rows)} open risks with the highest residual scores, of {top.n_open:,} open risks "
             f"({top.n_above:,} above the appetite of {appetite}). Scores are likelihood × impact (1 to 25) as "
             f"they stand on {uk(d.printed)}; the trend compares each residual score with the one recorded {since}.")  # fmt: skip
    if any(r.trend is RiskTrend.UNKNOWN for r in top.rows) and top.since and top.record_starts:
        intro += (f" The plan's record starts on {uk(top.record_starts.date())}, after {d.baseline_name} closed, "
                  "so there is no earlier score to compare with (shown as –).")  # fmt: skip
    blocks: list[Block] = [Para(intro)]
    cols = (Column("Risk", 3.4), Column("Owner", 2), Column("Objective or theme", 1.5), Column("Inherent", 1, right=True),
            Column("Residual", 1.8), Column("Target", 1, right=True), Column(f"Since {d.baseline_name}", 1.5),
            Column("Response and mitigation", 5))  # fmt: skip
    rows = [Row((f"{r.ref} {r.title}", r.owner_name or "No owner", r.objective_ref or r.theme_name, str(r.inherent),
                 f"{r.residual} {r.band.label}" + (", above appetite" if r.above_appetite else ""), str(r.target),
                 _trend(r), f"{r.response.capitalize()}. {r.mitigations}".strip()))
            for r in top.rows]  # fmt: skip
    blocks.append(Table.of(cols, rows) if rows else Para("There are no open risks."))
    if top.n_open > len(top.rows):
        blocks.append(Para(f"{top.n_open - len(top.rows):,} other open risks are not shown here: the heat map "
                           "counts them all, and the Risks register in the app lists them.", BOLD))  # fmt: skip
    return Section("Top risks", f"Open risks by residual score, with their trend since {d.baseline_name}",
                   tuple(blocks))  # fmt: skip


def heat_map(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    says = (f"{dash.residual.total:,} open risks, each counted once in each map; "
            f"{dash.headline.risks_above_appetite:,} have a residual score above the appetite of {dash.residual.appetite}.")  # fmt: skip
    draw = partial(charts.heat_maps, matrices=(dash.residual, dash.inherent), pal=pal)
    return Section("Risk heat map", "Open risks by likelihood and impact: residual (now) and inherent (before controls)",
                   (Chart(draw, 470, says),))  # fmt: skip


# ---------------------------------------------------------------------------------------------- milestones

OVERDUE_BUCKETS = ((180, "More than 180 days overdue"), (90, "91 to 180 days overdue"),
                   (30, "31 to 90 days overdue"), (0, "1 to 30 days overdue"))  # fmt: skip
DUE_BUCKETS = (
    (30, "Due within 30 days"),
    (60, "Due in 31 to 60 days"),
    (HORIZON_DAYS, "Due in 61 to 90 days"),
)


def milestone_buckets(dash: DashboardData) -> list[tuple[str, dict[str, int]]]:
    """Overdue and upcoming milestones by how late or how soon, counted by state label."""
    out: list[tuple[str, dict[str, int]]] = [
        (label, defaultdict(int)) for _, label in (*OVERDUE_BUCKETS, *DUE_BUCKETS)
    ]
    for m in dash.overdue_milestones:
        i = next(i for i, (floor, _) in enumerate(OVERDUE_BUCKETS) if m.days_overdue > floor)
        out[i][1][MilestoneState.OVERDUE.label] += 1
    for u in dash.upcoming:
        ahead = (u.forecast_date - dash.as_of).days
        i = len(OVERDUE_BUCKETS) + next(
            (i for i, (top, _) in enumerate(DUE_BUCKETS) if ahead <= top), len(DUE_BUCKETS) - 1
        )
        out[i][1][u.state.label] += 1
    return out  # fmt: skip


def milestones(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    buckets = milestone_buckets(dash)
    states = list(dict.fromkeys(s for _, c in buckets for s in c))
    fill = {s: pal.brag_fill(STATE_COLOURS.get(s.lower(), "grey")) for s in states}
    bars = charts.Bars(tuple(label for label, _ in buckets), tuple(tuple((s, c.get(s, 0)) for s in states) for _, c in buckets),
                       fill, {s: "" for s in states}, tuple((fill[s], s) for s in states))  # fmt: skip
    cols = (
        Column("How late or how soon", 3),
        *(Column(s, 1, right=True) for s in states),
        Column("Total", 1, right=True),
    )
    sums = [sum(c.get(s, 0) for _, c in buckets) for s in states]
    table = Table.of(cols, [*(Row((label, *(_n(c.get(s, 0)) for s in states), _n(sum(c.values())))) for label, c in buckets),
                            _total("All shown", *sums, sum(sums))])  # fmt: skip
    late = dash.overdue_milestones
    blocks: list[Block] = [
        Chart(partial(charts.bars, b=bars, pal=pal), 250,
              f"Every overdue milestone and every milestone due by {uk(dash.as_of + HORIZON)}, counted by how "
              f"late or how soon it is as of {uk(dash.as_of)}; each is listed below."), table,
        Heading(f"Overdue milestones ({len(late):,})"),
        Para(f"Most overdue first; days overdue are counted to {uk(dash.as_of)}, the period's as-of date."),
    ]  # fmt: skip
    cols = (Column("Objective", 1.2), Column("Milestone", 5), Column("Owner", 2.4), Column("Was due", 1.3),
            Column("Days overdue", 1.2, right=True))  # fmt: skip
    blocks.append(Table.of(cols, [Row((m.ref, m.title, m.owner_name, uk(m.due), _n(m.days_overdue))) for m in late])
                  if late else Para("No milestone is overdue."))  # fmt: skip
    soon = dash.upcoming
    blocks += [Heading(f"Milestones due in the next {HORIZON_DAYS} days ({len(soon):,})"),
               Para(f"Due from {uk(dash.as_of)} to {uk(dash.as_of + HORIZON)}, by forecast date.")]  # fmt: skip
    cols = (
        Column("Objective", 1.2),
        Column("Milestone", 5),
        Column("Owner", 2.4),
        Column("Due", 1.3),
        Column("State", 1.2),
    )
    blocks.append(Table.of(cols, [Row((u.objective_ref, u.title, u.owner_name, uk(u.forecast_date),
                                       Chip(u.state.label, fill.get(u.state.label, pal.brag_fill("grey"))))) for u in soon])
                  if soon else Para(f"No milestone is due in the next {HORIZON_DAYS} days."))  # fmt: skip
    return Section(
        "Milestones",
        f"Overdue, and due in the next {HORIZON_DAYS} days, as of {uk(dash.as_of)}",
        tuple(blocks),
    )


# ---------------------------------------------------------------------------------------------- recommendations


def recommendations(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    rows = dash.recommendations
    bodies = sorted({r.body for r in rows}, key=str.casefold)
    statuses = list(dict.fromkeys(REC_LETTERS))
    colour = {s: pal.series[i % len(pal.series)] for i, s in enumerate(statuses)}
    cell = {(r.body, r.status): r for r in rows}
    used = [s for s in statuses if any((b, s) in cell for b in bodies)]
    late = [sum(r.n_overdue for r in rows if r.body == b) for b in bodies]
    bars = charts.Bars(
        tuple(body_label(b) for b in bodies), tuple(tuple((s, cell[(b, s)].n if (b, s) in cell else 0) for s in used) for b in bodies),
        colour, dict(REC_LETTERS), tuple((colour[s], f"{REC_LETTERS[s]} · {s.capitalize()}") for s in used),
        notes=tuple(f"⚠ {n} overdue" if n else "" for n in late),
    )  # fmt: skip
    table = Table.of((Column("Body", 2), Column("Status", 2), Column("Recommendations", 1, right=True), Column("Overdue", 1, right=True)),
                     [*(Row((body_label(r.body), r.status.capitalize(), _n(r.n), _n(r.n_overdue))) for r in rows),
                      _total("All recommendations", "", sum(r.n for r in rows), sum(r.n_overdue for r in rows))])  # fmt: skip
    open_ = d.recommendations
    blocks: list[Block] = [Chart(partial(charts.bars, b=bars, pal=pal), 60 + 40 * max(len(bodies), 1)), table,
                           Heading(f"Open recommendations ({len(open_):,})")]  # fmt: skip
    if not open_:
        blocks.append(Para("No recommendation is open."))
    by_inspection: dict[tuple[str, str], list[OpenRecommendation]] = defaultdict(list)
    for r in open_:
        by_inspection[(r.body, r.inspection_title)].append(r)
    cols = (Column("Reference", 1.6), Column("Recommendation", 7), Column("Owner", 2.2), Column("Due", 1.6),
            Column("Status", 1.6))  # fmt: skip
    for (body, title), recs in by_inspection.items():
        blocks += [Para(f"{body_label(body)}: {title} ({len(recs):,} open)", BOLD, after=3), Table.of(cols, [
            Row((f"{r.ref}\n{r.kind.capitalize()}", r.text, r.owner_name or "No owner",
                 uk(r.due_date) + (" (overdue)" if r.overdue else "") if r.due_date else "No due date",
                 r.status.capitalize())) for r in recs])]  # fmt: skip
    return Section("Inspection recommendations", f"By body and status; overdue: open and due before {uk(dash.as_of)}",
                   tuple(blocks))  # fmt: skip


# ---------------------------------------------------------------------------------------------- exceptions


def _by_objective(rows: tuple[ExceptionRow, ...]) -> dict[str | None, list[ExceptionRow]]:
    out: dict[str | None, list[ExceptionRow]] = defaultdict(list)
    for r in rows:
        out[r.objective_id].append(r)
    return out


def exceptions(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    groups = _by_objective(dash.exceptions)
    place = {oid: i for i, oid in enumerate(dash.objectives)}
    order = sorted(groups, key=lambda oid: place.get(oid, len(place)) if oid else len(place))
    kinds: dict[str, int] = defaultdict(int)
    for r in dash.exceptions:
        kinds[r.kind.label] += 1
    said = ", ".join(f"{k.lower()} {n:,}" for k, n in kinds.items())
    intro = (f"{len(groups):,} objectives need attention for {len(dash.exceptions):,} reasons ({said}). "
             "One block per objective, its reasons listed together." if dash.exceptions
             else "Nothing needs attention this period.")  # fmt: skip
    cols = (Column("Objective", 3.4), Column("Status", 1.1), Column("Why it needs attention", 7),
            Column("The lead's rationale and corrective action", 3.4))  # fmt: skip
    rows = []
    for oid in order:
        items = groups[oid]
        first = items[0]
        if oid is None:
            head, status = "Risks held against a theme", ""
        else:
            head = f"{first.objective_ref} {first.objective_title}\nLead: {first.lead_name or 'none'}"
            status = (
                _chip(dash.objectives[oid].key, pal, first.status_label)
                if oid in dash.objectives
                else first.status_label
            )
        why = "\n".join(f"• {r.kind.label}: {r.detail}" for r in items)
        said = [
            f"{w}: {t}"
            for w, t in (("Rationale", first.rationale), ("Corrective action", first.corrective_action))
            if t
        ]
        rows.append(Row((head, status, why, "\n".join(said))))
    blocks: list[Block] = [Para(intro)]
    if rows:
        blocks.append(Table.of(cols, rows))
    return Section("Exceptions", f"What needs the board's attention in {dash.period.name}: Red, deteriorated, "
                   "overdue milestones, risks above appetite, derived status disagreeing", tuple(blocks))  # fmt: skip


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
                Row((f"{s.ref} {s.title}", s.lead_name, _chip(s.key, pal, s.label),
                     " ".join(movement_words(s.movement.value if s.movement else NO_UPDATE)))) for s in items]))  # fmt: skip
    return Section("Appendix A: every objective's RAG by theme",
                   f"Each objective's status for {dash.period.name}, in plan order", tuple(blocks))  # fmt: skip
