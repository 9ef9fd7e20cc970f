"""The coming days as an iCalendar file, so the routine shows up in the operator's phone calendar.

Pure: the caller passes the DTSTAMP, so the same schedule and dates always give the same bytes
(a calendar app re-importing the file sees unchanged events, and tests can compare output).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from opsplanner.i18n import _
from opsplanner.planner.day import PlannedBlock, occurrences
from opsplanner.planner.wording import clauses
from opsplanner.schedule.models import Schedule

PRODID = "-//opsplanner//EN"
MAX_DAYS = 366


def calendar_for(schedule: Schedule, start: date, days: int, *, stamp: datetime) -> bytes:
    """The coming days' blocks as iCalendar events in the schedule's timezone."""
    if isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days!r}")
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        # DTSTAMP must be UTC (RFC 5545 §3.8.7.2); a naive time would be guessed at.
        raise ValueError("stamp must be timezone-aware")
    zone = schedule.zone()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.calendar_name = schedule.title  # NAME and X-WR-CALNAME
    dtstamp = stamp.astimezone(UTC)
    for offset in range(days):
        day = start + timedelta(days=offset)
        for block in occurrences(schedule, day).blocks:
            calendar.add_component(_event(schedule.id, day, block, zone, dtstamp))
    # Only the window's transitions: a VTIMEZONE from 1970 would dwarf a week of events.
    calendar.add_missing_timezones(first_date=start, last_date=start + timedelta(days=days + 1))
    data: bytes = calendar.to_ical()
    return data


def _event(
    schedule_id: str, day: date, block: PlannedBlock, zone: ZoneInfo, dtstamp: datetime
) -> Event:
    """One block on one date; blocks without a time (campaign tasks) become all-day events."""
    event = Event()
    # Stable across exports, so a re-import updates the event instead of duplicating it.
    event.add("uid", f"{schedule_id}-{day.isoformat()}-{block.id}@opsplanner")
    event.add("dtstamp", dtstamp)
    titles = [task.title for task in block.tasks]
    if block.start is None or block.end is None:
        event.add(
            "summary", _("{label}: {text}").format(label=block.shown_title, text=clauses(titles))
        )
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))  # all-day DTEND is exclusive
    else:
        event.add("summary", block.shown_title)
        event.add("dtstart", datetime.combine(day, block.start, tzinfo=zone))
        event.add("dtend", datetime.combine(day, block.end, tzinfo=zone))
    if titles:
        event.add("description", "\n".join(f"- {title}" for title in titles))
    return event
