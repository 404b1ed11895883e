"""status update index covering the trend's count

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The same columns as ix_status_update_objective_live plus rag: the trend counts every period's
    # statuses of the objectives in scope from the index alone, without reading the wide rows.
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.drop_index("ix_status_update_objective_live")
        batch_op.create_index(
            "ix_status_update_objective_status",
            ["objective_id", "deleted", "period_id", "lifecycle", "rag"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.drop_index("ix_status_update_objective_status")
        batch_op.create_index(
            "ix_status_update_objective_live", ["objective_id", "deleted", "period_id", "lifecycle"], unique=False
        )
