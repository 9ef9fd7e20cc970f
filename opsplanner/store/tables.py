"""The database tables (SQLModel). Only the store sees these rows; Alembic owns the schema.

Every query the store runs is served by an index declared here; the migrations in
`store/migrations/` create exactly these tables (a test compares the two).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _utc_column(nullable: bool) -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=nullable)


class DayRow(SQLModel, table=True):
    """One operator's day: the plan materialised for that date, frozen as a snapshot."""

    __tablename__ = "day"
    __table_args__ = (UniqueConstraint("operator", "day", name="uq_day_operator_day"),)

    id: int | None = Field(default=None, primary_key=True)
    operator: str = Field(max_length=120)
    day: date
    schedule_id: str = Field(max_length=200)
    schedule_hash: str = Field(max_length=64)
    snapshot: str = Field(sa_type=Text)
    opened_at: datetime = Field(sa_column=_utc_column(nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    summary: str | None = Field(default=None, sa_type=Text)
    tomorrow: str | None = Field(default=None, sa_type=Text)


class TaskEntryRow(SQLModel, table=True):
    """A task on a day and what became of it; `forwarded_to_id` links a carried item onward."""

    __tablename__ = "task_entry"
    __table_args__ = (
        UniqueConstraint("day_id", "task_key", name="uq_task_entry_day_task"),
        Index("ix_task_entry_operator_task_status", "operator", "task_key", "status", "day"),
        Index("ix_task_entry_operator_status_day", "operator", "status", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day_id: int = Field(foreign_key="day.id", ondelete="CASCADE")
    operator: str = Field(max_length=120)
    day: date
    task_key: str = Field(max_length=200)
    block_id: str = Field(max_length=200)
    title: str = Field(sa_type=Text)
    status: str = Field(default="pending", max_length=16)
    origin: str = Field(default="plan", max_length=16)  # plan | carry
    changed_at: datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    note: str | None = Field(default=None, sa_type=Text)
    reason: str | None = Field(default=None, sa_type=Text)
    carried_from: date | None = None
    carried_count: int = 0
    forwarded_to_id: int | None = Field(
        default=None, foreign_key="task_entry.id", ondelete="SET NULL"
    )
    spec: str | None = Field(default=None, sa_type=Text)  # the task as planned, for carried-in


class MetricValueRow(SQLModel, table=True):
    """A typed-in reading; derived metrics are computed from these, never stored."""

    __tablename__ = "metric_value"
    __table_args__ = (
        UniqueConstraint("operator", "metric", "data_date", name="uq_metric_value"),
        Index("ix_metric_value_operator_date", "operator", "data_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    operator: str = Field(max_length=120)
    metric: str = Field(max_length=200)
    data_date: date
    value: float
    entered_at: datetime = Field(sa_column=_utc_column(nullable=False))
    task_key: str | None = Field(default=None, max_length=200)


class ChangeRow(SQLModel, table=True):
    """The append-only audit trail of every write; `undo` replays a change's `before`."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_target", "operator", "day", "entity", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_utc_column(nullable=False))
    operator: str = Field(max_length=120)
    day: date | None = None
    entity: str = Field(max_length=16)  # task | metric | day
    key: str = Field(max_length=200)
    action: str = Field(max_length=32)
    before: str | None = Field(default=None, sa_type=Text)
    after: str | None = Field(default=None, sa_type=Text)
    reverts: int | None = None  # the change an undo reverted


class CheckDispositionRow(SQLModel, table=True):
    """Why a failed check failed, or the follow-up it led to (added in schema 0002)."""

    __tablename__ = "check_disposition"
    __table_args__ = (
        Index("ix_check_disposition_operator_date", "operator", "data_date", "metric"),
    )

    id: int | None = Field(default=None, primary_key=True)
    operator: str = Field(max_length=120)
    data_date: date
    metric: str = Field(max_length=200)
    check_expr: str | None = Field(default=None, sa_type=Text)
    cause: str | None = Field(default=None, sa_type=Text)
    follow_up: str | None = Field(default=None, sa_type=Text)
    follow_up_day: date | None = None
    decided_at: datetime = Field(sa_column=_utc_column(nullable=False))
