"""A recorded day with its metric values and check results: what `today` shows and prints."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from opsplanner.planner.day import block_at
from opsplanner.planner.metrics import (
    MetricHistory,
    data_date,
    evaluate_task_checks,
    history_days_needed,
    metric_value,
)
from opsplanner.planner.record import DayRecord, TaskEntry
from opsplanner.schedule.models import Schedule


def history_window(record: DayRecord) -> tuple[date, date]:
    """The data dates the day's checks may read (avg7 with gaps, last week, yesterday)."""
    return record.day - timedelta(days=history_days_needed() + 1), record.day


def metrics_needed(schedule: Schedule, record: DayRecord) -> list[str]:
    """Typed-in metrics behind the day's tasks and checks, including formula inputs."""
    wanted: set[str] = set()
    for entry in record.entries:
        wanted |= set(entry.task.metrics) | {c.metric for c in entry.task.checks}
    pending = list(wanted)
    while pending:
        metric = schedule.metric(pending.pop())
        if metric is not None and metric.formula is not None:
            for name in metric.formula.names - wanted:
                wanted.add(name)
                pending.append(name)
    return sorted(m for m in wanted if (spec := schedule.metric(m)) and not spec.derived)


def now_block_id(record: DayRecord, today: date, moment: time) -> str | None:
    """The block the clock is in, only when the record is today's."""
    if record.day != today:
        return None
    block = block_at(record.plan, moment)
    return block.id if block else None


def entry_json(
    entry: TaskEntry, schedule: Schedule, day: date, history: MetricHistory
) -> dict[str, Any]:
    on = data_date(entry.task, day)
    return {
        "id": entry.key,
        "title": entry.task.title,
        "status": entry.status,
        "note": entry.note,
        "reason": entry.reason,
        "carried_from": entry.carried_from.isoformat() if entry.carried_from else None,
        "carried_count": entry.carried_count,
        "metrics": {m: metric_value(schedule, m, on, history) for m in entry.task.metrics},
        "checks": [
            {"expr": r.expr, "status": r.status, "message": r.message}
            for r in evaluate_task_checks(entry.task, schedule, day, history)
        ],
    }


def agenda_json(
    record: DayRecord, schedule: Schedule, history: MetricHistory, now_block: str | None
) -> dict[str, Any]:
    """The documented `today --json` shape."""
    return {
        "date": record.day.isoformat(),
        "schedule": record.schedule_id,
        "operator": record.operator,
        "closed": record.closed,
        "now_block": now_block,
        "blocks": [
            {
                "id": block.id,
                "title": block.title,
                "start": block.start.strftime("%H:%M") if block.start else None,
                "end": block.end.strftime("%H:%M") if block.end else None,
                "tasks": [entry_json(e, schedule, record.day, history) for e in entries],
            }
            for block, entries in record.blocks()
        ],
    }
