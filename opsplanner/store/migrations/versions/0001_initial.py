"""Days, task entries, metric values and the change log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "day",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator", sa.String(length=120), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("schedule_id", sa.String(length=200), nullable=False),
        sa.Column("schedule_hash", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("tomorrow", sa.Text(), nullable=True),
        sa.UniqueConstraint("operator", "day", name="uq_day_operator_day"),
    )
    op.create_table(
        "task_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "day_id", sa.Integer(), sa.ForeignKey("day.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("operator", sa.String(length=120), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("task_key", sa.String(length=200), nullable=False),
        sa.Column("block_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("carried_from", sa.Date(), nullable=True),
        sa.Column("carried_count", sa.Integer(), nullable=False),
        sa.Column(
            "forwarded_to_id",
            sa.Integer(),
            sa.ForeignKey("task_entry.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("spec", sa.Text(), nullable=True),
        sa.UniqueConstraint("day_id", "task_key", name="uq_task_entry_day_task"),
    )
    op.create_index(
        "ix_task_entry_operator_task_status",
        "task_entry",
        ["operator", "task_key", "status", "day"],
    )
    op.create_index(
        "ix_task_entry_operator_status_day", "task_entry", ["operator", "status", "day"]
    )
    op.create_table(
        "metric_value",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("operator", sa.String(length=120), nullable=False),
        sa.Column("metric", sa.String(length=200), nullable=False),
        sa.Column("data_date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("task_key", sa.String(length=200), nullable=True),
        sa.UniqueConstraint("operator", "metric", "data_date", name="uq_metric_value"),
    )
    op.create_index("ix_metric_value_operator_date", "metric_value", ["operator", "data_date"])
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(length=120), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("reverts", sa.Integer(), nullable=True),
    )
    op.create_index("ix_change_log_target", "change_log", ["operator", "day", "entity", "key"])


def downgrade() -> None:
    op.drop_table("change_log")
    op.drop_table("metric_value")
    op.drop_table("task_entry")
    op.drop_table("day")
