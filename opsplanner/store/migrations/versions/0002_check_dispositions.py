"""Dispositions of failed checks: a cause, or a follow-up task.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_disposition",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator", sa.String(length=120), nullable=False),
        sa.Column("data_date", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=200), nullable=False),
        sa.Column("check_expr", sa.Text(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("follow_up_day", sa.Date(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_check_disposition_operator_date",
        "check_disposition",
        ["operator", "data_date", "metric"],
    )


def downgrade() -> None:
    op.drop_table("check_disposition")
