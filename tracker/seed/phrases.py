"""The sentences a sample plan is written in: what a lead, a PMO or a risk owner would plausibly write.

Placeholders: {subject} / {Subject} (the objective's subject), {board}, {cause}, {recovery},
{hold_reason}, {cancel_reason}, {target} (the target in force), {original} (the plan's own target),
{inspection}, {next_period}, {priority}, {dependency}.
"""

from __future__ import annotations

import random
from datetime import date

from tracker.seed.subject import capital

CAUSES = [
    "competing operational demands on the same specialist staff",
    "two vacancies in the project team",
    "delays in agreeing data-sharing arrangements with the forces",
    "longer than expected procurement lead times",
    "waiting for the national programme's revised guidance",
    "a dependency on ICT changes in two of the forces",
    "the abstraction of key staff to a major investigation",
    "vetting delays for new starters",
    "the time taken to agree funding contributions with the five forces",
    "a delay in recruiting to the business analyst post",
    "the need to rework the approach after consultation feedback",
    "limited availability of the regional performance team",
]
RECOVERIES = [
    "the backlog has been cleared and the remaining milestones re-baselined",
    "additional resources have been secured from the forces",
    "the procurement has now completed",
    "the data-sharing agreement has been signed by all five forces",
    "the vacant posts have been filled",
    "the national guidance has now been published",
    "the revised plan agreed at SLT is being delivered as intended",
]
# What ends each cause, so an improvement answers the setback it follows.
RECOVERY_FOR = {
    CAUSES[0]: "the Command Team has ring-fenced the specialist staff for this work",
    CAUSES[1]: "the vacant posts have been filled",
    CAUSES[2]: "the data-sharing agreement has been signed by all five forces",
    CAUSES[3]: "the procurement has now completed",
    CAUSES[4]: "the national guidance has now been published",
    CAUSES[5]: "both forces have now delivered the ICT changes",
    CAUSES[6]: "the staff abstracted to the investigation have returned",
    CAUSES[7]: "the new starters have cleared vetting and are in post",
    CAUSES[8]: "all five forces have agreed their funding contributions",
    CAUSES[9]: "the business analyst is now in post",
    CAUSES[10]: "the revised approach has been agreed with the forces",
    CAUSES[11]: "the regional performance team has allocated an analyst to the work",
}
HOLD_REASONS = [
    "the outcome of the regional operating model review",
    "confirmation of funding from the five forces",
    "the national programme's revised timetable",
    "a Command Team decision on priorities for the year",
]
CANCEL_REASONS = [
    "a change in national direction that superseded the work",
    "the regional operating model review, which will take the work forward",
    "a decision to deliver this through the national programme instead",
]
PRIORITIES = [
    "the operating model review",
    "Police Officer Uplift recruitment",
    "a priority operational commitment",
    "the annual planning cycle",
]
DEPENDENCIES = [
    "the governance refresh is complete",
    "funding is confirmed by the five forces",
    "the regional ICT roadmap is agreed",
    "the new head of department is in post",
]

COMMENTARY = {
    "not started": [
        "Work on {subject} has not started: the team is committed to {priority} this quarter.",
        "Mobilisation of {subject} is planned for {next_period}, once a project lead has been confirmed.",
        "{Subject} is due to start when {dependency}; there was no activity this quarter.",
        "Scoping conversations about {subject} have taken place, but the work has not formally started.",
    ],
    "green": [
        "Work on {subject} is progressing to plan.",
        "{Subject} remains on track; the project group met twice this quarter and its actions are up to date.",
        "Good progress on {subject} this quarter, with positive engagement from all five forces.",
        "Delivery of {subject} is on schedule and within the agreed resources.",
        "Nothing to escalate on {subject}: the plan and the resourcing are holding.",
        "{Subject} is moving forward as planned and the forces' leads are engaged.",
    ],
    "amber": [
        "Progress on {subject} has been slower than planned because of {cause}.",
        "{Subject} is at risk because of {cause}, but the lead expects to recover the position next quarter.",
        "Some slippage on {subject} owing to {cause}; revised timescales have been agreed with the project group.",
        "{Subject} is behind plan. The main constraint is {cause}; mitigation is in hand.",
    ],
    "red": [
        "{Subject} is off track because of {cause}: the target date of {target} will not be met without intervention.",
        "Delivery of {subject} has stalled because of {cause}; an SLT decision is needed on scope or timescale.",
        "{Subject} is significantly behind plan and cannot recover within current resources ({cause}).",
    ],
    "on hold": [
        "{Subject} has been paused pending {hold_reason}.",
        "Work on {subject} is on hold until {hold_reason} is known; the team has been redeployed in the meantime.",
    ],
    "complete": [
        "{Subject} has been delivered and handed over to business as usual.",
        "All milestones for {subject} are complete and the closure report has gone to {board}.",
        "{Subject} is complete; its benefits will be tracked through the performance framework.",
    ],
    "cancelled": [
        "{Subject} has been cancelled following {cancel_reason}.",
        "SLT agreed to stop work on {subject} after {cancel_reason}; the remaining actions pass to business as usual.",
    ],
}
NEXT_STEPS = {
    "not started": [
        "Confirm the project lead and agree terms of reference.",
        "Start mobilisation in {next_period} and set up the project group.",
        "Agree the scope of {subject} with the forces' leads.",
    ],
    "live": [
        "Present a progress update on {subject} to {board}.",
        "Confirm resourcing for the next phase with the five forces.",
        "Review the risks to {subject} at the next project group.",
        "Agree the communications plan for staff and stakeholders.",
        "Finalise the benefits measures with the performance team.",
        "Hold a lessons-learned session with the forces' leads.",
    ],
    "on hold": [
        "Revisit at {board} in {next_period}, once {hold_reason} is known.",
        "Keep the project group stood down until the decision is made; the lead will report any change.",
    ],
    "complete": [
        "None: the objective will be formally closed at the next meeting of {board}.",
        "Track the benefits through business as usual; no further returns needed.",
    ],
    "cancelled": ["None: the objective is closed."],
}
# Said instead of the RAG commentary in the period the story turns.
MISSED = [
    "{Subject} missed its target of {target} because of {cause}; a revised plan goes to {board} in {next_period}.",
    "The target of {target} for {subject} has passed with the work unfinished ({cause}). The lead is re-planning the remaining milestones.",
    "{Subject} is overdue against its target of {target}: {cause}. {Board} has asked for a recovery plan.",
]
REPLANNED = [
    "{Board} agreed a revised target of {target} for {subject} (originally {original}), with the remaining milestones re-baselined.",
    "Re-planned: {board} accepted the lead's recovery plan for {subject} and a new target of {target}; delivery against it starts this quarter.",
    "{Subject} has a revised target of {target}, agreed by {board}; the first milestones of the recovery plan are under way.",
]
WIDENED = [
    "Following {inspection}, the scope of {subject} was widened to respond to its findings; the target is now {target}.",
    "{Subject} has been re-scoped in response to {inspection}, which found the work needed to go further; {board} agreed a target of {target}.",
]
WORKING_TO = "Working to the revised target of {target} (originally {original})."
FIRST_RAG = {
    "green": "First RAG since work began: Green, as the plan, the lead and the resources are in place.",
    "amber": "First RAG since work began: Amber, because of {cause}.",
    "red": "First RAG since work began: Red, because of {cause}.",
}
IMPROVED = "Improved from {old} to {new}: {recovery}."
DETERIORATED = "Moved from {old} to {new}: {cause}."
IMPROVED_WIDENED = "Improved from {old} to {new}: the inspection's findings settled the scope, and {board} agreed a target of {target} that is resourced."
IMPROVED_REPLANNED = (
    "Improved from {old} to {new}: {board} agreed a revised target of {target} and a recovery plan."
)
DETERIORATED_MISSED = (
    "Moved from {old} to {new}: the target of {target} has passed with the work unfinished ({cause})."
)
DETERIORATED_HOLD = "Moved from {old} to {new}: the work is paused pending {hold_reason}."
DETERIORATED_WIDENED = "Moved from {old} to {new}: the scope was widened to respond to {inspection}, and the revised plan has yet to prove itself."
CORRECTIVE = [
    "Recovery plan agreed with {board}: re-prioritise the remaining milestones and report fortnightly to the lead until back to Amber.",
    "Escalated to the Command Team for a decision on additional resources; meanwhile lower-priority milestones are deferred.",
    "A request for two additional staff from the forces has been submitted; a revised timeline goes to SLT in {next_period}.",
    "Scope reduced to the essential deliverables; the lead brings a revised plan to the next SLT.",
]
CORRECTIVE_MISSED = [
    "A revised plan and target date go to {board} in {next_period}; until then the lead reports monthly to the Head of EMSOU.",
    "Remaining milestones re-planned with the forces' leads; a realistic target goes to {board} for agreement in {next_period}.",
    "Escalated to the Command Team: a decision on resources or scope is needed before a new target can be set.",
]


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill(template: str, **values: str) -> str:
    subject, board = values.get("subject", ""), values.get("board", "")
    return template.format(Subject=capital(subject), Board=capital(board), **values)


def pick(rng: random.Random, options: list[str], **values: str) -> str:
    return fill(rng.choice(options), **values)


def board_phrase(name: str) -> str:
    """'Senior Leadership Team (quarterly)' -> 'the Senior Leadership Team'."""
    base = name.split(" (")[0].strip()
    if not base:
        return "the Senior Leadership Team"
    return base if base.lower().startswith("the ") else f"the {base}"
