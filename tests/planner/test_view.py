"""A write on one task repaints from what the store returned: the view takes the new entry
and keeps everything else, and says when it cannot (then the day is read again)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from opsplanner.planner.day import occurrences
from opsplanner.planner.view import DayView, preview_record
from opsplanner.schedule.loader import load_schedule

MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 1, tzinfo=UTC)


def stored_view(fixtures_dir: Path, *, preview: bool = False) -> DayView:
    schedule = load_schedule(fixtures_dir / "office.yaml")
    record = preview_record(occurrences(schedule, MONDAY), "ana", NOW)
    return DayView(schedule, record, {}, (), MONDAY, preview=preview)


def test_a_ticked_entry_replaces_its_own_line_and_nothing_else(fixtures_dir: Path) -> None:
    view = stored_view(fixtures_dir)
    first, *rest = view.record.entries
    ticked = replace(first, status="done", note="called back")
    updated = view.with_entry(ticked)
    assert updated is not None
    assert updated.record.entry(first.key) == ticked
    assert updated.record.entries[1:] == tuple(rest)
    assert view.record.entry(first.key) == first  # the view shown before is left as it was
    assert updated.record.progress() == (1, len(view.record.entries))


def test_a_preview_or_a_task_it_does_not_hold_asks_for_a_read(fixtures_dir: Path) -> None:
    entry = stored_view(fixtures_dir).record.entries[0]
    assert stored_view(fixtures_dir, preview=True).with_entry(entry) is None
    stranger = replace(entry, task=replace(entry.task, key="not-on-this-day"))
    assert stored_view(fixtures_dir).with_entry(stranger) is None
