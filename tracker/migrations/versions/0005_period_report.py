"""what the PMO reports to the board for a period; when returns are due and whom leads ask

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "period_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("period_id", sa.String(length=36), nullable=False),
        sa.Column("key_messages", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_period.id"], name=op.f("fk_period_report_period_id_reporting_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_report")),
        sa.UniqueConstraint("period_id", name="uq_period_report_period"),
    )
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.add_column(sa.Column("return_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("return_contact", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.drop_column("return_contact")
        batch_op.drop_column("return_by")
    op.drop_table("period_report")
