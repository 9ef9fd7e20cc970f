"""What the CLI prints: terminal lines and the documented JSON shapes, built from the
service's views. Text from templates and from what anyone typed is shown as data, through
`opsplanner.safe_text`: a note can never move the cursor or retitle the terminal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from opsplanner.cells import ljust, rjust, width
from opsplanner.i18n import _, long_day, ngettext, short_day
from opsplanner.planner.metrics import format_value, with_date
from opsplanner.planner.record import TaskEntry
from opsplanner.planner.view import DayView
from opsplanner.safe_text import json_safe, one_line
from opsplanner.schedule.models import Schedule

if TYPE_CHECKING:
    from opsplanner.service import ImportResult

STATUS_MARKS = {
    "pending": "[ ]",
    "done": "[x]",
    "skipped": "[-]",
    "carried": "[>]",
    "missed": "[!]",
}
SPAN_WIDTH = 11
"""Cells of a block's time span ("08:00-08:30"); "all day" is padded to it."""


def json_text(data: Any) -> str:
    """JSON for a terminal or a script: the text exact, every control character escaped."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# ------------------------------------------------------------------ today


def agenda_lines(view: DayView, now: datetime) -> Iterator[str]:
    """`opsplanner today` for a person: blocks in time order, marks, what failed."""
    record = view.record
    done, total = record.progress()
    if view.preview:
        state = _("preview (not opened: nothing stored yet)")
    elif record.closed:
        state = _("closed")
    else:
        state = _("{done}/{total} done").format(done=done, total=total)
    title = one_line(view.schedule.title)
    yield f"{long_day(record.day)} · {title} · {one_line(record.operator)} · {state}"
    notes = view.notes_for_today()
    if notes is not None:
        yield _("notes from {day}: {notes}").format(
            day=short_day(notes[0]), notes=one_line(notes[1])
        )
    if not record.entries:
        yield "  " + _("nothing scheduled (not a workday)")
    now_block = view.now_block(now)
    for block, entries in record.blocks():
        if block.start and block.end:
            span = f"{block.start:%H:%M}-{block.end:%H:%M}"
        else:
            span = _("all day")
            span += " " * (SPAN_WIDTH - width(span))
        marker = "  " + _("◀ now") if block.id == now_block else ""
        yield ""
        yield f"{span}  {one_line(block.shown_title)}{marker}"
        for entry in entries:
            yield from _entry_lines(entry, view)
    undecided = view.previous_undecided()
    previous = view.previous
    if undecided and previous is not None:
        yield ""
        yield ngettext(
            "{day} is not closed: {count} item undecided (opsplanner review --date {day})",
            "{day} is not closed: {count} items undecided (opsplanner review --date {day})",
            len(undecided),
        ).format(day=previous.day.isoformat(), count=len(undecided))


def _entry_lines(entry: TaskEntry, view: DayView) -> Iterator[str]:
    title = one_line(entry.task.title)
    pad = " " * max(1, 52 - width(title))
    yield f"  {STATUS_MARKS.get(entry.status, '[?]')} {title}{pad}{entry.key}"
    indent = " " * 6
    if entry.carried_from:
        yield indent + _("carried from {day} ×{count}").format(
            day=entry.carried_from.isoformat(), count=entry.carried_count
        )
    if entry.reason:
        yield indent + _("reason: {reason}").format(reason=one_line(entry.reason))
    if entry.note:
        yield indent + _("note: {note}").format(note=one_line(entry.note))
    several = view.checks(entry)
    for dated in several:
        for check in dated.results:
            if check.status != "ok":
                mark = "✗" if check.status == "fail" else "?"
                message = with_date(check.message, dated.data_date, several)
                yield f"      {mark} {one_line(message)}"


# ------------------------------------------------------------------ review and metrics


def review_lines(view: DayView) -> Iterator[str]:
    record = view.record
    day = record.day.isoformat()
    if view.preview:
        yield _("{day} is not opened yet: nothing to review").format(day=day)
        return
    if record.closed:
        yield _("{day} is closed.").format(day=day)
    unfinished = record.unfinished()
    if not unfinished:
        yield _("nothing unfinished on {day}").format(day=day)
        return
    yield _("{count} unfinished on {day}:").format(count=len(unfinished), day=day)
    for entry in unfinished:
        yield f"  [ ] {one_line(entry.task.title)}  ({entry.key})"
    yield _(
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


# ------------------------------------------------------------------ import


def import_lines(result: ImportResult, schedule: Schedule) -> Iterator[str]:
    """What an import read and did: a table per metric (new, same, different), then every
    value held back, every disagreement with a formula, every cell left out, with its place."""
    plan, parsed = result.plan, result.parsed
    counts: dict[str, dict[str, int]] = {}
    for change in plan.changes:
        row = counts.setdefault(change.reading.metric, {"new": 0, "same": 0, "different": 0})
        row[change.kind] += 1
    if counts:
        headings = [_("metric"), _("new"), _("same"), _("different")]
        first = max(width(headings[0]), *(width(m) for m in counts)) + 2
        yield ljust(headings[0], first) + "".join(rjust(h, 11) for h in headings[1:])
        for metric, row in counts.items():
            numbers = (row["new"], row["same"], row["different"])
            yield ljust(metric, first) + "".join(rjust(str(n), 11) for n in numbers)
    held = [c for c in plan.changes if c.kind == "different"]
    if held:
        yield ""
        yield (
            _("replaced (--overwrite):")
            if result.overwrite
            else _("kept as stored (--overwrite to replace):")
        )
        for change in held:
            reading = change.reading
            yield "  " + _("{day} {metric}: {stored} stored, {value} at {where}").format(
                day=reading.data_date.isoformat(),
                metric=reading.metric,
                stored=format_value(schedule, reading.metric, change.stored or 0.0),
                value=format_value(schedule, reading.metric, reading.value),
                where=one_line(str(reading.where)),
            )
    if plan.mismatches:
        yield ""
        yield _("the platform computes these differently (its figure is kept):")
        for mismatch in plan.mismatches:
            yield "  " + _("{day} {metric}: {value} at {where}, {computed} by the formula").format(
                day=mismatch.data_date.isoformat(),
                metric=mismatch.metric,
                value=format_value(schedule, mismatch.metric, mismatch.imported),
                where=one_line(str(mismatch.where)),
                computed=format_value(schedule, mismatch.metric, mismatch.computed),
            )
    if parsed.ignored_columns:
        yield ""
        yield _("not imported (no metric for these columns): {columns}").format(
            columns=", ".join(one_line(c) for c in parsed.ignored_columns)
        )
    for sheet in parsed.sheets_without_header:
        yield _("{sheet}: no header with a date column and a metric's column").format(
            sheet=one_line(sheet)
        )
    yield ""
    if result.dry_run:
        yield ngettext(
            "dry run: {count} figure would be stored, nothing was",
            "dry run: {count} figures would be stored, nothing was",
            len(plan.to_write(result.overwrite)),
        ).format(count=len(plan.to_write(result.overwrite)))
    else:
        yield ngettext("{count} figure stored", "{count} figures stored", result.written).format(
            count=result.written
        )
