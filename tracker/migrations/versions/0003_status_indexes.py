"""status update indexes for the dashboard

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.create_index(
            "ix_status_update_lifecycle",
            ["lifecycle", "period_id", "objective_id", "rag", "deleted"],
            unique=False,
        )
        batch_op.create_index(
            "ix_status_update_objective_live", ["objective_id", "deleted", "period_id", "lifecycle"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_update", schema=None) as batch_op:
        batch_op.drop_index("ix_status_update_objective_live")
        batch_op.drop_index("ix_status_update_lifecycle")
