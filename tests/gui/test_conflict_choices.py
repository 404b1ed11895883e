"""Which ways to settle a sync conflict the Conflicts page offers, by the conflict and the person."""

from __future__ import annotations

from tracker.enums import ConflictReason, ConflictState, Role
from tracker.queries.conflicts import ConflictRow
from ui.pages.conflicts import choices_for


def conflict(
    reason: ConflictReason, field: str = "notes", login: str = "lead_a", state: str = "open"
) -> ConflictRow:
    return ConflictRow("c1", 1, "milestone", "m1", "milestone “M”", field, reason, reason.label, "", "mine",
                       "theirs", login, state, "", None)  # fmt: skip


def test_the_sender_and_the_pmo_settle_a_conflict_and_nobody_else():
    same = conflict(ConflictReason.SAME_FIELD)
    assert choices_for(same, role=Role.LEAD, login="lead_a", read_only=False) == {"mine", "theirs", "edit"}
    assert choices_for(same, role=Role.PMO, login="pmo", read_only=False) == {"mine", "theirs", "edit"}
    assert choices_for(same, role=Role.LEAD, login="lead_b", read_only=False) == set()
    assert choices_for(same, role=Role.VIEWER, login="viewer", read_only=False) == set()
    assert choices_for(same, role=Role.PMO, login="pmo", read_only=True) == set()
    settled = conflict(ConflictReason.SAME_FIELD, state=ConflictState.KEPT_MINE)
    assert choices_for(settled, role=Role.PMO, login="pmo", read_only=False) == set()


def test_a_late_submission_is_the_pmos_to_accept_or_reject():
    late = conflict(ConflictReason.LATE, field="")
    assert choices_for(late, role=Role.PMO, login="pmo", read_only=False) == {"accept", "reject"}
    assert choices_for(late, role=Role.LEAD, login="lead_a", read_only=False) == set()


def test_a_whole_row_conflict_has_no_edit_and_a_taken_code_cannot_be_kept():
    removed = conflict(ConflictReason.REMOVED_THERE, field="")
    assert choices_for(removed, role=Role.LEAD, login="lead_a", read_only=False) == {"mine", "theirs"}
    taken = conflict(ConflictReason.CODE_TAKEN, field="code")
    assert choices_for(taken, role=Role.LEAD, login="lead_a", read_only=False) == {"theirs", "edit"}
