"""the plan kept in the app: an objective's description; retiring themes, outcomes and objectives; where a carried-over item came
from; the settings a closed period was reported with

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRABLE = ("theme", "outcome", "objective")
CARRIED = ("objective", "milestone", "risk", "recommendation")
# the plan settings a report is drawn with, as they stood when this migration ran (kept as written here:
# a migration never imports the models, which move on)
REPORTED = (
    "rag_green",
    "rag_amber",
    "rag_red",
    "rag_blue",
    "rag_grey",
    "risk_appetite",
    "risk_low_max",
    "risk_medium_max",
    "risk_high_max",
    "slip_tolerance_days",
)


def upgrade() -> None:
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("retired_on", sa.Date(), nullable=True))
    for table in CARRIED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("carried_from", sa.String(length=300), nullable=False, server_default=""))
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settings", sa.Text(), nullable=False, server_default=""))
    # Periods closed before this revision were reported with the plan's settings as they are now: the
    # best record there is. Later closes keep their own.
    conn = op.get_bind()
    plans = {
        row[0]: dict(zip(REPORTED, row[1:], strict=True))
        for row in conn.execute(sa.text(f"SELECT id, {', '.join(REPORTED)} FROM plan"))
    }
    for period_id, plan_id in conn.execute(
        sa.text("SELECT id, plan_id FROM reporting_period WHERE status = 'closed'")
    ).all():
        if plan_id in plans:
            conn.execute(
                sa.text("UPDATE reporting_period SET settings = :s WHERE id = :i"),
                {"s": json.dumps(plans[plan_id], sort_keys=True), "i": period_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("reporting_period", schema=None) as batch_op:
        batch_op.drop_column("settings")
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.drop_column("description")
    for table in CARRIED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("carried_from")
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("retired_on")
