"""Every write in the app: keyword-only functions ``fn(session, *, actor, ...) -> Changes``.

Call them inside ``store.write()``; a refused write raises a :class:`ServiceError` and, because the
transaction rolls back, leaves the database as it was. See :mod:`tracker.services.base`.
"""

from tracker.errors import (
    ClosedPeriod,
    ConflictError,
    NotFound,
    NotPermitted,
    Problem,
    ServiceError,
    ValidationError,
)
from tracker.services.base import Changes, UnitOfWork, unit_of_work, validate
from tracker.services.boards import create_board, delete_board, restore_board, update_board
from tracker.services.conflicts import resolve_conflict
from tracker.services.handover import hand_over
from tracker.services.links import link_recommendation, unlink_recommendation
from tracker.services.milestones import (
    create_milestone,
    delete_milestone,
    restore_milestone,
    update_milestone,
)
from tracker.services.papers import record_committee_paper
from tracker.services.people import create_person, delete_person, restore_person, update_person
from tracker.services.periods import (
    close_period,
    open_period,
    record_period_report,
    reopen_period,
    restore_period,
    update_period,
)
from tracker.services.plan import update_plan_settings
from tracker.services.recommendations import (
    add_progress_note,
    create_inspection,
    create_recommendation,
    delete_inspection,
    delete_progress_note,
    delete_recommendation,
    restore_inspection,
    restore_progress_note,
    restore_recommendation,
    update_inspection,
    update_progress_note,
    update_recommendation,
)
from tracker.services.returns import (
    record_return_applied,
    record_return_issued,
    record_return_received,
)
from tracker.services.risks import create_risk, delete_risk, restore_risk, update_risk
from tracker.services.status import record_status_update, restore_status_update
from tracker.services.structure import (
    create_objective,
    create_outcome,
    create_theme,
    move,
    reinstate,
    remove,
    renumber,
    retire,
    update_objective,
    update_outcome,
    update_theme,
)
from tracker.services.undo import restore_deleted, revert_transaction

__all__ = [
    "resolve_conflict",
    "Changes",
    "ClosedPeriod",
    "NotPermitted",
    "ConflictError",
    "NotFound",
    "Problem",
    "ServiceError",
    "UnitOfWork",
    "ValidationError",
    "add_progress_note",
    "close_period",
    "create_board",
    "create_inspection",
    "create_milestone",
    "create_person",
    "create_recommendation",
    "create_risk",
    "delete_board",
    "delete_inspection",
    "delete_milestone",
    "delete_person",
    "delete_progress_note",
    "delete_recommendation",
    "delete_risk",
    "hand_over",
    "link_recommendation",
    "open_period",
    "record_committee_paper",
    "record_period_report",
    "record_status_update",
    "record_return_applied",
    "record_return_issued",
    "record_return_received",
    "reopen_period",
    "restore_board",
    "restore_deleted",
    "restore_inspection",
    "restore_milestone",
    "restore_period",
    "restore_person",
    "restore_progress_note",
    "restore_recommendation",
    "restore_risk",
    "restore_status_update",
    "revert_transaction",
    "unit_of_work",
    "unlink_recommendation",
    "update_board",
    "update_inspection",
    "update_milestone",
    "update_period",
    "update_objective",
    "create_objective",
    "create_outcome",
    "create_theme",
    "update_outcome",
    "update_theme",
    "move",
    "reinstate",
    "remove",
    "renumber",
    "retire",
    "update_person",
    "update_plan_settings",
    "update_progress_note",
    "update_recommendation",
    "update_risk",
    "validate",
]
