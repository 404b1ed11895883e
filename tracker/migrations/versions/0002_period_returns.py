"""period returns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('period_return',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('period_id', sa.String(length=36), nullable=False),
    sa.Column('lead_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('applied_by', sa.String(length=200), nullable=False),
    sa.Column('rows_applied', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['person.id'], name=op.f('fk_period_return_lead_id_person')),
    sa.ForeignKeyConstraint(['period_id'], ['reporting_period.id'], name=op.f('fk_period_return_period_id_reporting_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_return')),
    sa.UniqueConstraint('period_id', 'lead_id', name='uq_period_return_period_lead')
    )
    with op.batch_alter_table('period_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_return_lead_id'), ['lead_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('period_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_return_lead_id'))

    op.drop_table('period_return')
