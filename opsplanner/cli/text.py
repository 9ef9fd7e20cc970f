"""What the CLI prints: terminal lines and the documented JSON shapes, built from the
service's views. Text from templates and from what anyone typed is shown as data, through
`opsplanner.safe_text`: a note can never move the cursor or retitle the terminal."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from opsplanner.planner.metrics import data_date, format_value, metric_value
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.view import DayView
from opsplanner.safe_text import json_safe, one_line
from opsplanner.schedule.models import Schedule

STATUS_MARKS = {
    "pending": "[ ]",
    "done": "[x]",
    "skipped": "[-]",
    "carried": "[>]",
    "missed": "[!]",
}


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def json_text(data: Any) -> str:
    """JSON for a terminal or a script: the text exact, every control character escaped."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# ------------------------------------------------------------------ today


def entry_json(entry: TaskEntry, view: DayView) -> dict[str, Any]:
    on = data_date(entry.task, view.day)
    return {
        "id": entry.key,
        "title": entry.task.title,
        "status": entry.status,
        "note": entry.note,
        "reason": entry.reason,
        "carried_from": entry.carried_from.isoformat() if entry.carried_from else None,
        "carried_count": entry.carried_count,
        "metrics": {
            m: metric_value(view.schedule, m, on, view.history) for m in entry.task.metrics
        },
        "checks": [
            {"expr": r.expr, "status": r.status, "message": r.message} for r in view.checks(entry)
        ],
    }


def agenda_json(view: DayView, now: datetime) -> dict[str, Any]:
    """The documented `today --json` shape."""
    record = view.record
    notes = view.notes_for_today()
    return {
        "date": record.day.isoformat(),
        "schedule": record.schedule_id,
        "operator": record.operator,
        "closed": record.closed,
        "preview": view.preview,
        "now_block": view.now_block(now),
        "notes_for_today": {"from": notes[0].isoformat(), "text": notes[1]} if notes else None,
        "blocks": [
            {
                "id": block.id,
                "title": block.title,
                "start": block.start.strftime("%H:%M") if block.start else None,
                "end": block.end.strftime("%H:%M") if block.end else None,
                "tasks": [entry_json(e, view) for e in entries],
            }
            for block, entries in record.blocks()
        ],
    }


def agenda_lines(view: DayView, now: datetime) -> Iterator[str]:
    """`opsplanner today` for a person: blocks in time order, marks, what failed."""
    record = view.record
    done, total = record.progress()
    if view.preview:
        state = "preview (not opened: nothing stored yet)"
    else:
        state = "closed" if record.closed else f"{done}/{total} done"
    title = one_line(view.schedule.title)
    yield f"{record.day:%a %Y-%m-%d} · {title} · {one_line(record.operator)} · {state}"
    notes = view.notes_for_today()
    if notes is not None:
        yield f"notes from {notes[0]:%a %m-%d}: {one_line(notes[1])}"
    if not record.entries:
        yield "  nothing scheduled (not a workday)"
    now_block = view.now_block(now)
    for block, entries in record.blocks():
        span = (
            f"{block.start:%H:%M}-{block.end:%H:%M}" if block.start and block.end else "all day    "
        )
        marker = "  ◀ now" if block.id == now_block else ""
        yield ""
        yield f"{span}  {one_line(block.title)}{marker}"
        for entry in entries:
            yield from _entry_lines(entry, view)
    undecided = view.previous_undecided()
    previous = view.previous
    if undecided and previous is not None:
        yield ""
        yield (
            f"{previous.day.isoformat()} is not closed: {len(undecided)} item(s) undecided "
            f"(opsplanner review --date {previous.day.isoformat()})"
        )


def _entry_lines(entry: TaskEntry, view: DayView) -> Iterator[str]:
    title = one_line(entry.task.title)
    pad = " " * max(1, 52 - width(title))
    yield f"  {STATUS_MARKS.get(entry.status, '[?]')} {title}{pad}{entry.key}"
    if entry.carried_from:
        yield f"      carried from {entry.carried_from} ×{entry.carried_count}"
    if entry.reason:
        yield f"      reason: {one_line(entry.reason)}"
    if entry.note:
        yield f"      note: {one_line(entry.note)}"
    for check in view.checks(entry):
        if check.status != "ok":
            mark = "✗" if check.status == "fail" else "?"
            yield f"      {mark} {one_line(check.message)}"


# ------------------------------------------------------------------ review and metrics


def review_json(view: DayView) -> dict[str, Any]:
    record = view.record
    return {
        "date": record.day.isoformat(),
        "closed": record.closed,
        "preview": view.preview,
        "tomorrow": record.tomorrow,
        "unfinished": [
            {
                "id": e.key,
                "title": e.task.title,
                "block": e.task.block_id,
                "carried_from": e.carried_from.isoformat() if e.carried_from else None,
                "carried_count": e.carried_count,
            }
            for e in record.unfinished()
        ],
    }


def review_lines(view: DayView) -> Iterator[str]:
    record = view.record
    day = record.day.isoformat()
    if view.preview:
        yield f"{day} is not opened yet: nothing to review"
        return
    if record.closed:
        yield f"{day} is closed."
    unfinished = record.unfinished()
    if not unfinished:
        yield f"nothing unfinished on {day}"
        return
    yield f"{len(unfinished)} unfinished on {day}:"
    for entry in unfinished:
        yield f"  [ ] {one_line(entry.task.title)}  ({entry.key})"
    yield (
        "decide each: opsplanner done|skip|carry TASK --reason TEXT; "
        "or: opsplanner review --close --carry-rest REASON"
    )


def series_lines(
    schedule: Schedule, series: dict[str, list[tuple[date, float | None]]]
) -> Iterator[str]:
    for key, points in series.items():
        metric = schedule.metric(key)
        label = one_line(metric.label) if metric else key
        yield f"{label} ({key})"
        for day, value in points:
            shown = "—" if value is None else format_value(schedule, key, value)
            yield f"  {day.isoformat()}  {shown}"


def series_json(series: dict[str, list[tuple[date, float | None]]]) -> dict[str, Any]:
    return {
        "metrics": {
            key: [{"date": d.isoformat(), "value": v} for d, v in points]
            for key, points in series.items()
        }
    }
