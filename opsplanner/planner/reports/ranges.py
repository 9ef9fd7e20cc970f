"""What a report needs loaded: its dates, metrics and campaign days, so the caller reads only
that range and a report over ten years of history costs the same as one over a year."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from opsplanner.planner.campaigns import StatusOf, countdowns
from opsplanner.planner.metrics import LAST_WORKDAY_SEARCH_DAYS, history_days_needed
from opsplanner.planner.record import DayRecord
from opsplanner.schedule.models import Schedule


@dataclass(frozen=True, slots=True)
class ReportRange:
    """The dates a week or month report covers and compares with; what the caller loads."""

    start: date
    end: date
    previous_start: date
    previous_end: date

    @property
    def history_start(self) -> date:
        """First data date to load: the previous period, what avg7 checks look back on
        (from the earliest data date the first day may read), and the Monday of the period's
        first week (a ladder week straddling its start)."""
        look_back = timedelta(days=history_days_needed())
        return min(self.previous_start, self.dispositions_start - look_back, monday_of(self.start))

    @property
    def history_end(self) -> date:
        """Last data date to load: the Sunday of the period's last week, since the sales
        ladder counts a week straddling the end of a month whole."""
        return monday_of(self.end) + timedelta(days=6)

    @property
    def dispositions_start(self) -> date:
        """The period's first day may read figures from as far back as its last workday
        (Monday's store data: Saturday's and Sunday's), so dispositions start that early."""
        return self.start - timedelta(days=LAST_WORKDAY_SEARCH_DAYS)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_range(day: date) -> ReportRange:
    """The Monday..Sunday week containing ``day`` and the week before it."""
    start = monday_of(day)
    return ReportRange(
        start, start + timedelta(days=6), start - timedelta(days=7), start - timedelta(days=1)
    )


def month_range(day: date) -> ReportRange:
    """The calendar month containing ``day`` (its 1st to its last day), and the calendar
    month before it."""
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    previous_last = first - timedelta(days=1)
    return ReportRange(first, last, previous_last.replace(day=1), previous_last)


def weeks_between(start: date, end: date) -> Iterator[tuple[date, date]]:
    """The Monday..Sunday weeks overlapping ``start``..``end``, each cut to that range: a
    month's first and last weeks may be partial."""
    monday = monday_of(start)
    while monday <= end:
        yield max(monday, start), min(monday + timedelta(days=6), end)
        monday += timedelta(days=7)


def metrics_to_load(schedule: Schedule, records: Iterable[DayRecord] = ()) -> list[str]:
    """Metrics a report reads: the schedule's, plus any an older snapshot names."""
    wanted = {m.id for m in schedule.metrics}  # a computed one may hold an imported figure
    for record in records:
        for entry in record.entries:
            for name in (*entry.task.metrics, *(c.metric for c in entry.task.checks)):
                spec = schedule.metric(name)
                if spec is None:
                    wanted.add(name)
    return sorted(wanted)


def campaign_window(schedule: Schedule, as_of: date) -> tuple[date, date] | None:
    """The days whose records decide the countdowns shown on ``as_of``; None when no shown
    campaign has a task due yet. Bounded by the countdown horizon, never by history length."""
    shown = countdowns(schedule, as_of, lambda _key: ("none", None))
    dues = [task.due for countdown in shown for task in countdown.tasks]
    if not dues or min(dues) > as_of:
        return None
    return min(dues), as_of


def status_from_records(records: Iterable[DayRecord]) -> StatusOf:
    """A ``status_of`` for the countdowns from loaded days: the latest entry of each
    campaign task wins."""
    latest: dict[str, tuple[str, date]] = {}
    for record in sorted(records, key=lambda r: r.day):
        for entry in record.entries:
            if entry.task.is_campaign:
                latest[entry.key] = (entry.status, record.day)

    def status_of(key: str) -> tuple[str, date | None]:
        return latest.get(key, ("none", None))

    return status_of
