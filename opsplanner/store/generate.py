"""Plausible generated history: the demo's 30 days, the tests' fortnight, the benchmarks' years.

Deterministic from a seed. Ticks land at realistic times inside their block, some steps are
skipped or carried with the reasons operators give, metrics follow a weekly rhythm with a
slow trend and a few anomalies, and every past day is closed. Rows go in with bulk inserts
in one transaction, so ten years take seconds, not minutes.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.sql import func
from sqlmodel import col

from opsplanner.i18n import ENGLISH, N_, catalogue, supported
from opsplanner.planner.day import (
    CARRIED_BLOCK,
    PlannedTask,
    occurrences,
    plan_to_snapshot,
    task_to_snapshot,
)
from opsplanner.schedule.models import Metric, Schedule
from opsplanner.store.engine import prepare_schema
from opsplanner.store.tables import DayRow, MetricValueRow, TaskEntryRow

SKIP_REASONS = (
    N_("no time"),
    N_("waiting on others"),
    N_("platform issue"),
    N_("deprioritised"),
    N_("designer busy"),
    N_("supplier did not answer"),
)
CARRY_REASONS = (
    N_("no time"),
    N_("waiting on others"),
    N_("platform issue"),
    N_("needs the boss's OK"),
)
NOTES = (
    N_("checked, nothing unusual"),
    N_("UV down after the promotion ended"),
    N_("asked CS to follow up"),
    N_("bids raised on two keywords"),
    N_("new coupon ready"),
    N_("competitor cut prices by 5%"),
)
TOMORROW = (
    N_("call the supplier about stock"),
    N_("prepare next week's activity assets"),
    N_("check the new creative's click rate"),
    N_("follow up refund disputes"),
)
"""What the generated operator types, written as the schedule's language has it (the zh
schedule's demo is Chinese throughout, whatever language the process speaks): stored as typed."""


@dataclass(frozen=True)
class _Words:
    """The generated operator's texts, in one language."""

    skip: tuple[str, ...]
    carry: tuple[str, ...]
    notes: tuple[str, ...]
    tomorrow: tuple[str, ...]


def _typed_words(schedule: Schedule) -> _Words:
    """The generated operator's texts in the schedule's language (English when it says none
    opsplanner knows)."""
    words = catalogue(supported(schedule.language or "") or ENGLISH)
    return _Words(
        skip=tuple(words.gettext(text) for text in SKIP_REASONS),
        carry=tuple(words.gettext(text) for text in CARRY_REASONS),
        notes=tuple(words.gettext(text) for text in NOTES),
        tomorrow=tuple(words.gettext(text) for text in TOMORROW),
    )


@dataclass
class _Ids:
    day: int = 0
    entry: int = 0
    metric: int = 0


@dataclass
class _Pending:
    """A carried item waiting for the next workday."""

    task: PlannedTask
    source_id: int
    origin: date
    count: int


@dataclass
class _Batch:
    days: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)


def generate_history(
    engine: Engine, schedule: Schedule, *, days: int, end: date, operator: str, seed: int = 7
) -> dict[str, int]:
    """Fill `engine` with `days` days of history ending the day before `end`.

    Returns row counts. The database must not already hold days for this operator.
    """
    prepare_schema(engine)
    rng = random.Random(seed)
    # Campaign tasks draw from their own stream: adding or moving a campaign in the template
    # leaves the routine's generated history (and every golden built on it) as it was.
    campaign_rng = random.Random(seed + 1)
    zone = schedule.zone()
    ids = _Ids(*_max_ids(engine))
    batch = _Batch()
    first = end - timedelta(days=days)
    last_done: dict[str, date] = {}
    carried: dict[str, _Pending] = {}
    entry_index: dict[tuple[int, str], dict[str, Any]] = {}
    level = _MetricLevels(rng, schedule.metrics)
    words = _typed_words(schedule)

    for offset in range(days):
        day = first + timedelta(days=offset)
        batch.metrics.extend(level.readings(day, operator, zone, ids))
        plan = occurrences(schedule, day, first_day=first, last_done=last_done.get)
        ids.day += 1
        snapshot = json.dumps(plan_to_snapshot(plan), ensure_ascii=False, sort_keys=True)
        close_at = _local(day, time(17, 25 + rng.randrange(30)), zone)
        batch.days.append(
            {
                "id": ids.day,
                "operator": operator,
                "day": day,
                "schedule_id": schedule.id,
                "schedule_hash": hashlib.sha256(snapshot.encode()).hexdigest(),
                "snapshot": snapshot,
                "opened_at": _local(day, time(8, rng.randrange(25)), zone),
                "closed_at": close_at,
                "summary": None,
                "tomorrow": rng.choice(words.tomorrow) if rng.random() < 0.3 else None,
            }
        )
        if not plan.workday:
            continue
        planned = {task.key: task for task in plan.tasks()}
        arriving = carried
        carried = {}
        rows: list[dict[str, Any]] = []
        for block in plan.blocks:
            for task in block.tasks:
                rows.append(_entry(ids, day, operator, task, block.id))
        for key, pending in arriving.items():
            if key in planned:
                row = next(r for r in rows if r["task_key"] == key)
                row["carried_from"], row["carried_count"] = pending.origin, pending.count
            else:
                row = _entry(ids, day, operator, pending.task, CARRIED_BLOCK)
                row.update(
                    origin="carry",
                    carried_from=pending.origin,
                    carried_count=pending.count,
                    spec=json.dumps(task_to_snapshot(pending.task), ensure_ascii=False),
                )
                rows.append(row)
            entry_index[(pending.source_id, key)]["forwarded_to_id"] = row["id"]
        for row in rows:
            task = planned.get(row["task_key"]) or arriving[row["task_key"]].task
            start = next((b.start for b in plan.blocks if b.id == task.block_id), None)
            chance = campaign_rng if task.is_campaign else rng
            _decide(chance, row, task, day, start or time(9), zone, carried, last_done, words)
            entry_index[(row["id"], row["task_key"])] = row
        batch.entries.extend(rows)

    links = [{"entry": r["id"], "target": r.pop("forwarded_to_id")} for r in batch.entries]
    links = [link for link in links if link["target"] is not None]
    with engine.begin() as connection:
        for table, rows in (
            (DayRow, batch.days),
            (TaskEntryRow, batch.entries),
            (MetricValueRow, batch.metrics),
        ):
            for chunk in range(0, len(rows), 5000):
                connection.execute(insert(table), rows[chunk : chunk + 5000])
        if links:  # the carried item's successor exists only now
            connection.execute(
                text("UPDATE task_entry SET forwarded_to_id = :target WHERE id = :entry"), links
            )
        if connection.dialect.name == "postgresql":
            for name in ("day", "task_entry", "metric_value"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    )
                )
    return {"days": len(batch.days), "entries": len(batch.entries), "metrics": len(batch.metrics)}


def _max_ids(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        day, entry, metric = (
            int(
                connection.execute(select(func.coalesce(func.max(col(table.id)), 0))).scalar_one()
                or 0
            )
            for table in (DayRow, TaskEntryRow, MetricValueRow)
        )
        return day, entry, metric


def _local(day: date, moment: time, zone: Any) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _entry(ids: _Ids, day: date, operator: str, task: PlannedTask, block_id: str) -> dict[str, Any]:
    ids.entry += 1
    return {
        "id": ids.entry,
        "day_id": ids.day,
        "operator": operator,
        "day": day,
        "task_key": task.key,
        "block_id": block_id,
        "title": task.title,
        "status": "pending",
        "origin": "plan",
        "changed_at": None,
        "note": None,
        "reason": None,
        "carried_from": None,
        "carried_count": 0,
        "forwarded_to_id": None,
        "spec": None,
    }


def _decide(
    rng: random.Random,
    row: dict[str, Any],
    task: PlannedTask,
    day: date,
    block_start: time,
    zone: Any,
    carried: dict[str, _Pending],
    last_done: dict[str, date],
    words: _Words,
) -> None:
    """Most steps get done; a few slip, the slow ones more often than the quick ones."""
    roll = rng.random()
    slow = task.on_miss == "carry" or task.key.startswith(("content", "competitor", "industry"))
    minutes = rng.randrange(5, 55)
    row["changed_at"] = _local(day, block_start, zone) + timedelta(minutes=minutes)
    if roll < (0.80 if slow else 0.88):
        row["status"] = "done"
        last_done[task.key] = day
        if rng.random() < 0.08:
            row["note"] = rng.choice(words.notes)
    elif roll < (0.90 if slow else 0.95) or row["carried_count"] >= 4:
        row["status"], row["reason"] = "skipped", rng.choice(words.skip)
    else:
        row["status"], row["reason"] = "carried", rng.choice(words.carry)
        carried[task.key] = _Pending(
            task, row["id"], row["carried_from"] or day, row["carried_count"] + 1
        )


class _MetricLevels:
    """Daily readings with a weekly rhythm, a slow trend, noise and rare anomalies."""

    BASES = {
        "visitors": 3000.0,
        "page_views": 9600.0,
        "buyers": 62.0,
        "orders": 75.0,
        "sales": 9000.0,
        "refunds": 3.0,
        "refund_amount": 360.0,
        "refund_rate": 4.2,
        "late_shipments": 0.3,
        "logistics_exceptions": 0.5,
        "dsr_description": 4.8,
        "dsr_service": 4.8,
        "dsr_logistics": 4.75,
        "dsr_description_vs_category": 3.0,
        "dsr_service_vs_category": 2.5,
        "dsr_logistics_vs_category": 1.5,
        "bad_reviews": 0.6,
        "disputes": 0.4,
        "unpaid_orders": 9.0,
        "ad_balance": 2500.0,
        "ad_daily_budget": 800.0,
        "ad_spend": 700.0,
        "ad_sales": 2600.0,
        "cs_inquiries": 140.0,
        "cs_response_seconds": 22.0,
        "cs_conversion_rate": 48.0,
        "bounce_rate": 62.0,
    }
    RATINGS = frozenset({"dsr_description", "dsr_service", "dsr_logistics"})
    """Scores out of 5 over months of reviews: they move by hundredths, not with traffic."""

    def __init__(self, rng: random.Random, metrics: tuple[Metric, ...]) -> None:
        self.rng = rng
        self.metrics = [m for m in metrics if not m.derived]

    def readings(self, day: date, operator: str, zone: Any, ids: _Ids) -> list[dict[str, Any]]:
        weekly = 1.0 + 0.15 * math.sin(2 * math.pi * day.weekday() / 7)
        trend = 1.0 + 0.0004 * (day.toordinal() % 3650)
        anomaly = 0.55 if self.rng.random() < 0.03 else 1.0
        entered = _local(day + timedelta(days=1), time(9, self.rng.randrange(40)), zone)
        rows = []
        for metric in self.metrics:
            base = self.BASES.get(metric.id, 50.0 if metric.unit == "percent" else 100.0)
            rating = metric.id in self.RATINGS
            scale = 1.0 if rating or metric.unit == "percent" else weekly * trend * anomaly
            value = max(0.0, base * scale * self.rng.gauss(1.0, 0.002 if rating else 0.08))
            if rating:
                value = round(min(5.0, value), 2)
            elif metric.unit == "count":
                value = float(round(value))
            elif metric.unit == "percent":
                value = round(min(value, 100.0), 2)
            else:
                value = round(value, 2)
            ids.metric += 1
            rows.append(
                {
                    "id": ids.metric,
                    "operator": operator,
                    "metric": metric.id,
                    "data_date": day,
                    "value": value,
                    "entered_at": entered,
                    "task_key": None,
                }
            )
        return rows
