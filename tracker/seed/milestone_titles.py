"""Milestone titles that read like the stages of the kind of work an objective is."""

from __future__ import annotations

import random
import re

from tracker.seed.subject import capital

# Each kind lists its stages in the order they happen; the last stage is always the final milestone.
STAGES = {
    "document": [
        "Scope and approach for {subject} agreed",
        "Evidence base for {subject} gathered",
        "First draft of {subject} circulated for comment",
        "Consultation with the five forces on {subject} closed",
        "Revised draft of {subject} presented to {board}",
        "{Subject} approved by {board}",
        "{Subject} published and briefed to staff",
        "First review of {subject} against its measures",
    ],
    "review": [
        "Terms of reference for the review of {subject} agreed",
        "Data collection for {subject} completed",
        "Interviews and workshops with the forces completed",
        "Emerging findings on {subject} presented to {board}",
        "Final report on {subject} and recommendations approved",
        "Action plan arising from the review adopted",
        "Recommendations on {subject} implemented",
    ],
    "technology": [
        "Requirements for {subject} agreed with users",
        "Procurement route for {subject} approved",
        "Supplier appointed",
        "Build and configuration of {subject} completed",
        "Security accreditation and testing completed",
        "User acceptance testing of {subject} signed off",
        "{Subject} live across the region",
        "Post-implementation review reported to {board}",
    ],
    "people": [
        "Engagement sessions with staff on {subject} held",
        "Proposals for {subject} agreed with staff associations",
        "Guidance and training materials for {subject} issued",
        "Pilot cohort for {subject} started",
        "Pilot evaluated and findings reported to {board}",
        "{Subject} embedded in the annual check-in process",
        "Evaluation of {subject} reported to {board}",
    ],
    "general": [
        "Project initiation document for {subject} agreed",
        "Project board for {subject} established",
        "Baseline assessment of {subject} completed",
        "Options for {subject} presented to {board}",
        "Business case for {subject} approved",
        "Resourcing for {subject} confirmed with the five forces",
        "Implementation plan for {subject} approved",
        "{Subject} rolled out across the region",
        "{Subject} handed over to business as usual",
    ],
}
_KINDS = [
    ("technology", r"technolog|digital|system|software|ict\b|intranet|internet|cloud|automation|innovation|ops room|data science"),
    ("people", r"staff|people|wellbeing|diversity|culture|recruit|training|leadership|skills|teams|workforce|internship|entry|talent|excellence|behaviour|working"),
    ("review", r"review|audit|feasibility|options|trend|appraisal|proposals|fairness|mapping|capabilities|baseline"),
    ("document", r"strategy|strategies|plan\b|framework|policy|standards|protocol|agreement|s\.?22|mou|methodology|formula|cycle|structure|process"),
]  # fmt: skip


def kind_of(subject: str) -> str:
    text = subject.lower()
    return next((kind for kind, pattern in _KINDS if re.search(pattern, text)), "general")


def milestone_titles(subject: str, board: str, count: int, rng: random.Random) -> list[str]:
    """``count`` titles in the order the work would reach them, the last being its completion."""
    stages = STAGES[kind_of(subject)]
    early, final = stages[:-1], stages[-1]
    picked = sorted(rng.sample(range(len(early)), min(count - 1, len(early))))
    chosen = [early[i] for i in picked]
    while len(chosen) < count - 1:  # more milestones than stages: checkpoints fill the gap
        chosen.append(f"Checkpoint {len(chosen) + 1} on {{subject}} reviewed by {{board}}")
    chosen.append(final)
    return [capital(t.format(subject=subject, Subject=capital(subject), board=board)) for t in chosen[:count]]
