"""Stored rows → domain objects, one way for every reader of the database.

The SQLModel store and the plain-sqlite3 reader both hand rows (table objects or the
reader's own small records) to these functions, so a day reads back the same whichever path
served the command.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Protocol

from opsplanner.planner.day import CARRIED_BLOCK, DayPlan, plan_from_snapshot, task_from_snapshot
from opsplanner.planner.record import DayRecord, Disposition, StatefulEntry, TaskEntry

PLAN_CACHE_SIZE = 64


class DayFields(Protocol):
    """What a stored day holds (the `day` table's columns the domain needs)."""

    @property
    def id(self) -> int | None: ...
    @property
    def day(self) -> date: ...
    @property
    def operator(self) -> str: ...
    @property
    def schedule_id(self) -> str: ...
    @property
    def schedule_hash(self) -> str: ...
    @property
    def snapshot(self) -> str: ...
    @property
    def opened_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def summary(self) -> str | None: ...
    @property
    def tomorrow(self) -> str | None: ...


class EntryFields(StatefulEntry, Protocol):
    """What a stored task entry holds: its state, and the task it is about."""

    @property
    def task_key(self) -> str: ...
    @property
    def block_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def spec(self) -> str | None: ...
    @property
    def changed_at(self) -> datetime | None: ...


class DispositionFields(Protocol):
    """What a stored check disposition holds."""

    @property
    def metric(self) -> str: ...
    @property
    def data_date(self) -> date: ...
    @property
    def check_expr(self) -> str | None: ...
    @property
    def cause(self) -> str | None: ...
    @property
    def follow_up(self) -> str | None: ...
    @property
    def follow_up_day(self) -> date | None: ...
    @property
    def decided_at(self) -> datetime: ...


def utc(moment: datetime | None) -> datetime | None:
    """Everything stored is UTC: SQLite hands back naive datetimes, PostgreSQL aware ones in
    the session's time zone; either way the same moment reads back the same."""
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class PlanCache:
    """Frozen plans parsed once per distinct snapshot: ticks and reloads reuse them."""

    def __init__(self) -> None:
        self._plans: dict[str, DayPlan] = {}

    def plan(self, row: DayFields) -> DayPlan:
        plan = self._plans.get(row.schedule_hash)
        if plan is None or plan.day != row.day:
            plan = plan_from_snapshot(json.loads(row.snapshot))
            if len(self._plans) > PLAN_CACHE_SIZE:
                self._plans.clear()
            self._plans[row.schedule_hash] = plan
        return plan


def day_record(
    row: DayFields, entries: Iterable[EntryFields], plans: PlanCache, now: datetime
) -> DayRecord:
    """A day and its entries in stored order; carried-in items use the spec they came with."""
    plan = plans.plan(row)
    tasks = {task.key: task for task in plan.tasks()}
    converted = []
    for entry in entries:
        task = tasks.get(entry.task_key)
        if task is None or entry.block_id == CARRIED_BLOCK:
            spec = (
                json.loads(entry.spec)
                if entry.spec
                else {"key": entry.task_key, "title": entry.title}
            )
            task = task_from_snapshot(spec, entry.block_id)
        converted.append(
            TaskEntry(
                task=task,
                status=entry.status,  # type: ignore[arg-type]
                note=entry.note,
                reason=entry.reason,
                changed_at=utc(entry.changed_at),
                carried_from=entry.carried_from,
                carried_count=entry.carried_count,
            )
        )
    return DayRecord(
        day=row.day,
        operator=row.operator,
        schedule_id=row.schedule_id,
        plan=plan,
        entries=tuple(converted),
        opened_at=utc(row.opened_at) or now,
        closed_at=utc(row.closed_at),
        summary=row.summary,
        tomorrow=row.tomorrow,
    )


def disposition(row: DispositionFields) -> Disposition:
    return Disposition(
        row.metric,
        row.data_date,
        row.check_expr or "",
        row.cause,
        row.follow_up,
        row.follow_up_day,
        utc(row.decided_at) or row.decided_at,
    )
