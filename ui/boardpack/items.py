"""The pack's sections on what needs attention: top risks, the heat map, milestones, recommendations, exceptions."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from tracker.enums import MilestoneState
from tracker.queries.pack import OpenRecommendation, RiskTrend, TopRisk
from ui.boardpack import charts
from ui.boardpack.blocks import BOLD, Block, Chart, Chip, Column, Heading, Para, Row, Section, Table
from ui.boardpack.data import HORIZON, HORIZON_DAYS, STATE_COLOURS, PackData, by_objective, chip, num, total
from ui.boardpack.words import uk
from ui.charts.recommendations import LETTERS as REC_LETTERS
from ui.charts.recommendations import body_label
from ui.dashboard_data import DashboardData
from ui.palette import Palette

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
    table = Table.of(cols, [*(Row((label, *(num(c.get(s, 0)) for s in states), num(sum(c.values())))) for label, c in buckets),
                            total("All shown", *sums, sum(sums))])  # fmt: skip
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
    blocks.append(Table.of(cols, [Row((m.ref, m.title, m.owner_name, uk(m.due), num(m.days_overdue))) for m in late])
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
    rows = sorted(dash.recommendations, key=lambda r: r.body.casefold())  # as the chart orders them
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
                     [*(Row((body_label(r.body), r.status.capitalize(), num(r.n), num(r.n_overdue))) for r in rows),
                      total("All recommendations", "", sum(r.n for r in rows), sum(r.n_overdue for r in rows))])  # fmt: skip
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


def exceptions(d: PackData, pal: Palette) -> Section:
    dash = d.dash
    groups = by_objective(dash.exceptions)
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
                chip(dash.objectives[oid].key, pal, first.status_label)
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
