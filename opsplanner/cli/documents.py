"""The `--json` documents: one contract for scripts, described in docs/json.md and checked
against the JSON Schemas in opsplanner/schemas/ by the tests.

The contract, so a consumer can rely on it:

- Every document starts with ``schema_version`` (an integer, raised on any incompatible
  change) and ``kind`` (``today``, ``review``, ``metrics``, ``import``).
- One name per thing everywhere: ``date`` is the plan day, ``data_date`` the day a figure
  describes, ``task_id``, ``block_id`` and ``block_title``, ``metric`` (an id) and ``label``;
  dates are ISO 8601 dates, instants ISO 8601 with the schedule's UTC offset.
- A figure travels with its ``unit`` and ``currency``; a count is an integer; a percentage
  is the percentage number (2.69 for 2.69 %), as it is typed and stored.
- Text is exact (the terminal's control characters are escaped by `json_text`, which a
  JSON parser reads back as the same characters).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from opsplanner.planner.metrics import metric_value
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.view import DayView
from opsplanner.schedule.models import Schedule

if TYPE_CHECKING:
    from opsplanner.imports.plan import Change
    from opsplanner.service import ImportResult

__all__ = [
    "SCHEMA_VERSION",
    "figure",
    "import_document",
    "metrics_document",
    "review_document",
    "today_document",
]

SCHEMA_VERSION: Final = 1


def _head(kind: str) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "kind": kind}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def number(value: float | None, unit: str) -> int | float | None:
    """A figure as JSON: a whole count is an integer (6526, not 6526.0)."""
    if value is None:
        return None
    if unit == "count" and float(value).is_integer():
        return int(value)
    return value


def _described(schedule: Schedule, metric_id: str) -> dict[str, Any]:
    """A metric as a consumer reads its values: id, label, unit and currency."""
    spec = schedule.metric(metric_id)
    return {
        "metric": metric_id,
        "label": spec.label if spec is not None else metric_id,
        "unit": spec.unit if spec is not None else "number",
        "currency": spec.currency if spec is not None else None,
    }


def figure(schedule: Schedule, metric_id: str, on: date, value: float | None) -> dict[str, Any]:
    """A metric's value on a date, with what a consumer needs to read it."""
    described = _described(schedule, metric_id)
    return {**described, "data_date": on.isoformat(), "value": number(value, described["unit"])}


def _task(entry: TaskEntry, view: DayView) -> dict[str, Any]:
    dated = view.checks(entry)
    return {
        "task_id": entry.key,
        "title": entry.task.title,
        "campaign_id": entry.task.campaign_id,
        "status": entry.status,
        "note": entry.note,
        "reason": entry.reason,
        "carried_from": _iso(entry.carried_from),
        "carried_count": entry.carried_count,
        "data_dates": [d.data_date.isoformat() for d in dated],
        "figures": [
            figure(
                view.schedule,
                m,
                d.data_date,
                metric_value(view.schedule, m, d.data_date, view.history),
            )
            for d in dated
            for m in entry.task.metrics
        ],
        "checks": [
            {
                "expr": r.expr,
                "status": r.status,
                "message": r.message,
                "data_date": d.data_date.isoformat(),
            }
            for d in dated
            for r in d.results
        ],
    }


def today_document(view: DayView, now: datetime) -> dict[str, Any]:
    """`today --json`: the day's blocks and tasks, their figures and checks."""
    record = view.record
    notes = view.notes_for_today()
    return {
        **_head("today"),
        "date": record.day.isoformat(),
        "workday": record.plan.workday,
        "preview": view.preview,
        "closed": record.closed,
        "schedule_id": record.schedule_id,
        "operator": record.operator,
        "timezone": view.schedule.timezone,
        "generated_at": now.isoformat(timespec="seconds"),
        "now_block_id": view.now_block(now),
        "notes_for_today": (
            {"from_date": notes[0].isoformat(), "text": notes[1]} if notes else None
        ),
        "blocks": [
            {
                "block_id": block.id,
                "block_title": block.shown_title,
                "start": block.start.strftime("%H:%M") if block.start else None,
                "end": block.end.strftime("%H:%M") if block.end else None,
                "tasks": [_task(e, view) for e in entries],
            }
            for block, entries in record.blocks()
        ],
    }


def review_document(view: DayView) -> dict[str, Any]:
    """`review --json`: what is left undecided, and the notes for tomorrow."""
    record = view.record
    titles = {block.id: block.shown_title for block in record.plan.blocks}
    return {
        **_head("review"),
        "date": record.day.isoformat(),
        "workday": record.plan.workday,
        "preview": view.preview,
        "closed": record.closed,
        "tomorrow": record.tomorrow,
        "unfinished": [
            {
                "task_id": e.key,
                "title": e.task.title,
                "block_id": e.task.block_id,
                "block_title": titles.get(e.task.block_id, e.task.block_id),
                "status": e.status,
                "carried_from": _iso(e.carried_from),
                "carried_count": e.carried_count,
            }
            for e in record.unfinished()
        ],
    }


def metrics_document(
    schedule: Schedule, series: dict[str, list[tuple[date, float | None]]]
) -> dict[str, Any]:
    """`metric show --json`: each metric's figures, one per data date."""
    return {
        **_head("metrics"),
        "series": [
            {
                **(described := _described(schedule, key)),
                "points": [
                    {"data_date": d.isoformat(), "value": number(v, described["unit"])}
                    for d, v in points
                ],
            }
            for key, points in series.items()
        ],
    }


def _change(schedule: Schedule, change: Change) -> dict[str, Any]:
    reading = change.reading
    read = figure(schedule, reading.metric, reading.data_date, reading.value)
    return {
        **read,
        "stored_value": number(change.stored, read["unit"]),
        "change": change.kind,
        "source": str(reading.where),
    }


def import_document(result: ImportResult, schedule: Schedule) -> dict[str, Any]:
    """`import --json`: each figure read and what became of it."""
    plan, parsed = result.plan, result.parsed
    return {
        **_head("import"),
        "dry_run": result.dry_run,
        "overwrite": result.overwrite,
        "stored": result.written,
        "changes": [_change(schedule, change) for change in plan.changes],
        "mismatches": [
            {
                "metric": m.metric,
                "data_date": m.data_date.isoformat(),
                "imported": m.imported,
                "computed": m.computed,
                "source": str(m.where),
            }
            for m in plan.mismatches
        ],
        "rejected": [{"source": str(r.where), "message": r.message} for r in parsed.rejections],
        "ignored_columns": list(parsed.ignored_columns),
    }
