"""Sample risks: cause, event and effect in words a risk owner would use, scored inherent >= residual >= target."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from tracker.enums import RiskResponse, RiskStatus
from tracker.seed.subject import capital

# (title, cause, event, effect); {subject} is an objective's subject or "the <theme> priority".
OBJECTIVE_RISKS = [
    ("Insufficient specialist capacity to deliver {subject}",
     "Vacancies and abstractions in specialist roles across the region.",
     "There is not enough capacity to deliver {subject} to the agreed timetable.",
     "Delivery slips, benefits are delayed and the forces' confidence in EMSOU falls."),
    ("Funding for the work on {subject} not agreed by all five forces",
     "Each force sets its budget separately and the pressures on them differ.",
     "One or more forces do not agree their contribution to the work on {subject}.",
     "The work is scaled back or stopped and the regional approach fragments."),
    ("Differences between force ICT systems delay {subject}",
     "The five forces run different ICT platforms and change them on different timetables.",
     "The work on {subject} cannot be integrated with force systems as planned.",
     "Manual workarounds are needed, costs rise and the benefits are not realised."),
    ("Poor data quality undermines {subject}",
     "Data is recorded inconsistently across the forces and national systems.",
     "The information the work on {subject} relies on is incomplete or unreliable.",
     "Decisions rest on a false picture and EMSOU cannot evidence its impact."),
    ("Changes in national direction affect {subject}",
     "National programmes and priorities (the SOC review, CT reinvestment) are still changing.",
     "National decisions change the scope or timing of {subject}.",
     "Work is wasted or redone and regional plans fall out of step with national ones."),
    ("Staff do not engage with the changes from {subject}",
     "Change fatigue and competing operational demands.",
     "Staff and managers do not adopt the changes that {subject} brings.",
     "The change is not embedded and the benefits are lost."),
    ("Vetting and recruitment delays hold up {subject}",
     "National vetting backlogs and a competitive market for specialist skills.",
     "Posts needed for {subject} are not filled in time.",
     "Milestones slip and existing staff carry extra workload, with a risk to their wellbeing."),
    ("Work on {subject} falls short of regulatory or inspection standards",
     "Inspection and regulatory expectations (HMICFRS, IPCO, the Forensic Science Regulator) keep rising.",
     "The work on {subject} does not meet the standard an inspection or regulator expects.",
     "Adverse findings, loss of accreditation and damage to EMSOU's reputation."),
]  # fmt: skip
THEME_RISKS = [
    ("Operational demand diverts resources from {subject}",
     "A sustained rise in high-harm operational demand across the region.",
     "Staff assigned to change work under {subject} are redeployed to operations.",
     "Several objectives slip together and the strategy's three-year ambitions are not met."),
    ("Loss of key people affects {subject}",
     "Reliance on a small number of experienced leads and specialists.",
     "Key people leave or move on before the work under {subject} is embedded.",
     "Knowledge is lost, delivery stalls and the forces' confidence falls."),
    ("Regional funding settlement constrains {subject}",
     "Force budgets are under pressure and EMSOU's funding is agreed year by year.",
     "The funding settlement does not cover the investment {subject} needs.",
     "Objectives are descoped or deferred and benefits are not delivered."),
    ("Insufficient change capacity for {subject}",
     "Change, project and analytical support is thinly spread across many initiatives.",
     "The objectives under {subject} cannot all be supported at once.",
     "Work is started but not finished, and benefits are not evidenced."),
]  # fmt: skip
MITIGATIONS = [
    "Monthly project group chaired by the lead reviews progress and resourcing.",
    "Resourcing agreed with the five forces through the Command Team.",
    "Dependencies logged and tracked with the forces' ICT leads.",
    "Data quality checks built into the monthly performance cycle.",
    "Regular engagement with the national programme team.",
    "Communications and engagement plan for staff in place.",
    "Recruitment pipeline and vetting tracked weekly by HR.",
    "Contingency budget held by the Head of Finance.",
    "Quality manager reviews compliance evidence each quarter.",
    "Standing item on the SLT agenda until the risk is within appetite.",
]


def make_risk(
    rng: random.Random,
    *,
    subject: str,
    theme_level: bool,
    as_at: date,
    appetite: int,
    above: bool,
    closed: bool,
) -> dict[str, Any]:
    """A risk's words, scores, response, mitigations and review date (no ids: the caller adds them)."""
    title, cause, event, effect = rng.choice(THEME_RISKS if theme_level else OBJECTIVE_RISKS)
    words = {"subject": subject, "Subject": capital(subject)}
    tl, ti = rng.randint(1, 3), rng.randint(1, 3)
    while tl * ti > appetite and tl * ti > 1:
        tl, ti = (tl - 1, ti) if tl >= ti else (tl, ti - 1)
    if above:
        pairs = [(a, b) for a in range(1, 6) for b in range(1, 6) if a * b > appetite and a >= tl and b >= ti]
        rl, ri = rng.choice(pairs) if pairs else (5, 5)
    else:
        rl, ri = tl + rng.randint(0, 2), ti + rng.randint(0, 1)
        while rl * ri > appetite:
            rl, ri = (rl - 1, ri) if rl >= ri else (rl, ri - 1)
        rl, ri = max(rl, tl), max(ri, ti)
    il, ii = min(5, rl + rng.randint(0, 2)), min(5, ri + rng.randint(0, 1))
    if above or rl * ri > 9:
        response = RiskResponse.TREAT
    else:
        response = rng.choices(list(RiskResponse), [72, 18, 7, 3])[0]
    if closed:
        review = None
    elif rng.random() < 0.12:  # a few reviews are overdue
        review = as_at - timedelta(days=rng.randint(7, 45))
    else:
        review = as_at + timedelta(days=rng.randint(7, 84))
    return {
        "title": capital(title.format(**words)),
        "cause": cause.format(**words),
        "event": event.format(**words),
        "effect": effect.format(**words),
        "inherent_likelihood": il, "inherent_impact": ii,
        "residual_likelihood": rl, "residual_impact": ri,
        "target_likelihood": tl, "target_impact": ti,
        "response": response.value,
        "mitigations": "\n".join(rng.sample(MITIGATIONS, rng.randint(2, 3))),
        "status": (RiskStatus.CLOSED if closed else RiskStatus.OPEN).value,
        "review_date": review,
    }  # fmt: skip


def theme_subject(name: str) -> str:
    return f"the {name} priority"
