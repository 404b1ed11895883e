"""The pack's last pages: what its words and colours mean (from the plan's own settings), and a glossary."""

from __future__ import annotations

from tracker.enums import MilestoneState, RiskBand
from tracker.queries import NO_UPDATE
from ui.boardpack.blocks import Block, Chip, Column, Heading, Para, Row, Section, Table
from ui.boardpack.words import GLOSSARY, MILESTONE_MEANINGS, MOVEMENT_MEANINGS, movement_words, uk
from ui.charts.risk_heatmap import BAND_LETTERS, band_fill
from ui.charts.status import status_fill
from ui.dashboard_data import DashboardData
from ui.palette import Palette


def definitions(dash: DashboardData, pal: Palette) -> Section:
    plan = dash.plan
    s = plan.rule_settings
    rag = [Row((Chip(b.value.capitalize(), pal.brag_fill(b)), text))
           for b, text in plan.rag_definitions.items()]  # fmt: skip
    rag.append(
        Row(
            (Chip("No update", status_fill(pal, NO_UPDATE)), "The lead sent no status update for the period.")
        )
    )
    lows = {RiskBand.LOW: (1, s.risk_low_max), RiskBand.MEDIUM: (s.risk_low_max + 1, s.risk_medium_max),
            RiskBand.HIGH: (s.risk_medium_max + 1, s.risk_high_max), RiskBand.VERY_HIGH: (s.risk_high_max + 1, 25)}  # fmt: skip
    bands = [
        Row((Chip(f"{BAND_LETTERS[b]} · {b.label}", band_fill(pal, b)), f"{lo} to {hi}"))
        for b, (lo, hi) in lows.items()
    ]
    blocks: list[Block] = [
        Heading("RAG status"),
        Para("A lead reports Red, Amber or Green while an objective is in progress, with a rationale; a Red "
             "needs a corrective action. Every status is printed with its word as well as its colour. The "
             "plan's definitions:"),
        Table.of((Column("Status", 1), Column("Meaning", 6)), rag),
        Heading("Risk scoring and appetite"),
        Para("Each risk is scored for likelihood and for impact from 1 to 5; its score is the product, 1 to 25. "
             "It is scored three times: inherent (before any controls), residual (with the controls in place "
             "now) and target (once the planned mitigations are in place)."),
        Table.of((Column("Band", 1), Column("Scores", 6)), bands),
        Para(f"The plan's risk appetite is {s.risk_appetite}: an open risk whose residual score is above "
             f"{s.risk_appetite} is above appetite. It is listed as an exception and outlined on the heat map."),
        Heading("How the derived status works"),
        Para("Beside each reported status the tracker derives a status from the evidence, as of the period's "
             "as-of date. It is a suggestion: it never overwrites what the lead reported, and where the two "
             "differ the objective is listed as an exception."),
        Table.of((Column("Derived", 1), Column("When", 6)), [
            Row((Chip("Red", pal.brag_fill("red")), f"A milestone overdue by more than {s.slip_tolerance_days} days, "
                 "or a residual risk in the very high band and above appetite.")),
            Row((Chip("Amber", pal.brag_fill("amber")), f"A milestone overdue by up to {s.slip_tolerance_days} days, "
                 f"a milestone slipping more than {s.slip_tolerance_days} days, a residual risk above appetite, "
                 "or no update for the period.")),
            Row((Chip("Green", pal.brag_fill("green")), "Otherwise: milestones on track, risks within appetite, updated.")),
            Row((Chip("Blue or Grey", pal.brag_fill("grey")), "A complete objective is Blue; one not started or "
                 "cancelled is Grey: neither is derived from evidence.")),
        ]),  # fmt: skip
        Heading("Milestone states"),
        Table.of((Column("State", 1), Column("Meaning", 6)),
                 [Row((m.label, MILESTONE_MEANINGS.get(m.value, "").replace(
                     "the slip tolerance", f"the slip tolerance ({s.slip_tolerance_days} days)"))) for m in MilestoneState]),
        Heading("Movement"),
        Table.of((Column("Movement", 1), Column("Meaning", 6)),
                 [Row((" ".join(movement_words(k)), text)) for k, text in MOVEMENT_MEANINGS.items()]),
        Heading("Dates"),
        Para(f"Dates are printed day, month, year (31 Mar 2024). A report for a period counts days and states "
             f"to that period's as-of date: its last day, or the day it was printed while it runs. This "
             f"pack's as-of date is {uk(dash.as_of)}."),
    ]  # fmt: skip
    return Section("Definitions", "What the pack's statuses, scores and words mean", tuple(blocks))


def glossary() -> Section:
    rows = [Row((term, meaning, source)) for term, meaning, source in GLOSSARY]
    return Section(
        "Glossary",
        "Abbreviations used in the plan, worded from its source documents",
        (Table.of((Column("Term", 1), Column("Meaning", 7), Column("Source", 2.4)), rows),),
    )
