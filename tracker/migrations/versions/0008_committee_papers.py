"""committee papers: what the PMO writes into a period's paper for a board; the plan's contact officer

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committee_paper",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("period_id", sa.String(length=36), nullable=False),
        sa.Column("board_id", sa.String(length=36), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("item_notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["board_id"], ["board.id"], name=op.f("fk_committee_paper_board_id_board")),
        sa.ForeignKeyConstraint(
            ["period_id"], ["reporting_period.id"], name=op.f("fk_committee_paper_period_id_reporting_period")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_paper")),
        sa.UniqueConstraint("period_id", "board_id", name="uq_committee_paper_period_board"),
    )
    with op.batch_alter_table("committee_paper", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_paper_board_id"), ["board_id"], unique=False)
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_officer", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("contact_officer")
    with op.batch_alter_table("committee_paper", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_paper_board_id"))
    op.drop_table("committee_paper")
