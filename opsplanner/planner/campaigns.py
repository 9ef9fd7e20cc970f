"""Campaign countdowns: when each year's platform event falls, when its preparations are
due, how far off it is and which preparations are late.

A yearly campaign (`date: 11-11`) is a new event each year: its tasks are keyed
``CAMPAIGN@YEAR/TASK`` (``double-11@2027/d11-register``), so doing 2026's registration never
answers 2027's; a once-only campaign keeps ``CAMPAIGN/TASK``. A task whose due date falls on a
day off moves to the workday before (or after) when the task or its campaign says
``on_day_off: before`` (``after``).

The store knows what became of each campaign task; it is asked through ``status_of(key)``,
which returns the latest known ``(status, date)`` of a key:
``("done", d)``, ``("skipped", d)``, ``("carried", d)``, ``("pending", d)``, or
``("none", None)`` when the task was never materialised (the app was not opened that day).
Only ``done`` and ``skipped`` decide a task: anything else due before today is ``late`` and
stays late on every following day until it is decided, so a forgotten preparation never
silently disappears. The first-use rule bounds that: a preparation due more than the
campaign's ``grace`` before the user started (``since:`` or the first day used, the later)
is ``before_start``, never late, so nobody starts with a page of overdue work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from opsplanner.i18n import _, ngettext
from opsplanner.schedule.models import Calendar, Campaign, CampaignTask, Schedule

__all__ = [
    "CampaignDue",
    "Countdown",
    "CountdownStatus",
    "CountdownTask",
    "StatusOf",
    "campaign_dues",
    "countdown_text",
    "countdowns",
    "late_campaign_tasks",
    "start_of_use",
]

MAX_MOVE_DAYS = 31
"""How far a task due on a day off looks for a workday before keeping its own date."""

StatusOf = Callable[[str], tuple[str, "date | None"]]
"""``status_of(key)``: the latest known (status, date) of a campaign task from the store."""

CountdownStatus = Literal["done", "skipped", "pending", "late", "before_start"]


@dataclass(frozen=True, slots=True)
class CampaignDue:
    """One preparation of one year's event, with the day it is due."""

    campaign: Campaign
    event: date  # that year's campaign date
    task: CampaignTask
    due: date

    @property
    def occurrence_id(self) -> str:
        return occurrence_id(self.campaign, self.event)

    @property
    def key(self) -> str:
        return f"{self.occurrence_id}/{self.task.id}"


def occurrence_id(campaign: Campaign, event: date) -> str:
    """``double-11@2027`` for a yearly campaign's event, the campaign's id for a once-only one."""
    return f"{campaign.id}@{event.year}" if campaign.yearly else campaign.id


def due_date(campaign: Campaign, task: CampaignTask, event: date, calendar: Calendar) -> date:
    """The task's day for this event: its offset, then off a day off if it asks to move."""
    nominal = event + timedelta(days=campaign.offset(task))
    rule = task.on_day_off or campaign.on_day_off
    if rule == "keep" or calendar.is_workday(nominal):
        return nominal
    step = timedelta(days=-1 if rule == "before" else 1)
    candidate = nominal
    for __ in range(MAX_MOVE_DAYS):
        candidate += step
        if calendar.is_workday(candidate):
            return candidate
    return nominal  # no workday near: the calendar has none, keep the day it was set for


def _reach(campaign: Campaign) -> tuple[int, int]:
    """The earliest and latest day, from the event, that any of its tasks can be due."""
    offsets = [campaign.offset(task) for task in campaign.tasks] or [0]
    return min(offsets) - MAX_MOVE_DAYS, max(offsets) + MAX_MOVE_DAYS


def events_between(campaign: Campaign, start: date, end: date) -> Iterator[date]:
    """The campaign's event dates, oldest first, that have a task that may be due from
    `start` to `end` (a few spare ones at the edges are harmless: dues are checked)."""
    low, high = _reach(campaign)
    first, last = start - timedelta(days=high), end - timedelta(days=low)
    for year in range(max(first.year, 1), min(last.year, 9998) + 1):
        event = campaign.date_in(year)
        if event is not None and first <= event <= last:
            yield event


def campaign_dues(schedule: Schedule, start: date, end: date) -> Iterator[CampaignDue]:
    """Every campaign task due from `start` to `end` (inclusive), every year's."""
    for campaign in schedule.campaigns:
        for event in events_between(campaign, start, end):
            for task in campaign.tasks:
                due = due_date(campaign, task, event, schedule.calendar)
                if start <= due <= end:
                    yield CampaignDue(campaign, event, task, due)


def start_of_use(schedule: Schedule, started: date | None) -> date | None:
    """The day the user's obligations begin: `since:` or the first day used, the later."""
    known = [d for d in (schedule.since, started) if d is not None]
    return max(known) if known else None


def expected(due: CampaignDue, start: date | None) -> bool:
    """The first-use rule: a task due more than the campaign's grace before the user
    started is not theirs to catch up on."""
    return start is None or due.due >= start - timedelta(days=due.campaign.grace_days)


@dataclass(frozen=True, slots=True)
class CountdownTask:
    """A campaign preparation with its due date and where it stands today."""

    key: str  # "CAMPAIGN/TASK"
    title: str
    due: date
    status: CountdownStatus  # pending: not yet due or due today; late: due before today, open
    done_on: date | None  # the day it was done; None unless status is "done"


@dataclass(frozen=True, slots=True)
class Countdown:
    """One campaign as the countdown shows it: days to go and its preparations in due order."""

    campaign_id: str
    title: str
    date: date
    days_until: int  # negative after the campaign
    tasks: tuple[CountdownTask, ...]
    done: int
    total: int
    late: tuple[CountdownTask, ...]


def countdown_text(days_until: int) -> str:
    """How far off a campaign is, as the countdown says it: "in 3 days", "today", "2 days ago"."""
    if days_until > 0:
        return ngettext("in {count} day", "in {count} days", days_until).format(count=days_until)
    if days_until == 0:
        return _("today")
    return ngettext("{count} day ago", "{count} days ago", -days_until).format(count=-days_until)


def _countdown_task(
    due: CampaignDue, today: date, status_of: StatusOf, start: date | None
) -> CountdownTask:
    """Turn the store's latest status into the countdown's: decided, pending or late."""
    stored, on = status_of(due.key)
    status: CountdownStatus
    if stored == "done":
        status = "done"
    elif stored == "skipped":
        status = "skipped"
    elif due.due >= today:
        status = "pending"
    else:  # pending, carried, missed, never materialised: still to do, unless before the start
        status = "late" if expected(due, start) else "before_start"
    return CountdownTask(
        key=due.key,
        title=due.task.title,
        due=due.due,
        status=status,
        done_on=on if status == "done" else None,
    )


def countdowns(
    schedule: Schedule,
    today: date,
    status_of: StatusOf,
    *,
    started: date | None = None,
    horizon_days: int = 60,
    keep_after_days: int = 14,
) -> tuple[Countdown, ...]:
    """The campaigns worth showing today, soonest first; each year's event is its own.

    A campaign appears once its first task is due within ``horizon_days`` of today (far-off
    events would only be noise) and stays until ``keep_after_days`` after its date, so the
    retro tasks are still visible - or until its last task is due, if that is later.
    ``started`` is the first day the user opened (see the first-use rule above).
    """
    if horizon_days < 0 or keep_after_days < 0:
        raise ValueError("horizon_days and keep_after_days cannot be negative")
    start = start_of_use(schedule, started)
    shown: list[Countdown] = []
    for campaign in schedule.campaigns:
        window = today - timedelta(days=keep_after_days), today + timedelta(days=horizon_days)
        for event in events_between(campaign, *window):
            dues = [
                CampaignDue(
                    campaign, event, task, due_date(campaign, task, event, schedule.calendar)
                )
                for task in campaign.tasks
            ]
            days = [d.due for d in dues] or [event]
            appears = min(days) - timedelta(days=horizon_days)
            leaves = max(event + timedelta(days=keep_after_days), max(days))
            if not appears <= today <= leaves:
                continue
            # due order; template order among tasks due the same day
            tasks = tuple(
                sorted(
                    (_countdown_task(d, today, status_of, start) for d in dues),
                    key=lambda t: t.due,
                )
            )
            shown.append(
                Countdown(
                    campaign_id=occurrence_id(campaign, event),
                    title=campaign.title,
                    date=event,
                    days_until=(event - today).days,
                    tasks=tasks,
                    done=sum(t.status == "done" for t in tasks),
                    total=len(tasks),
                    late=tuple(t for t in tasks if t.status == "late"),
                )
            )
    return tuple(sorted(shown, key=lambda c: (c.date, c.campaign_id)))


LATE_LOOKBACK_DAYS = 400
"""Without a start of use, how far back `late_campaign_tasks` looks (the store's own gap)."""


def late_campaign_tasks(
    schedule: Schedule, today: date, status_of: StatusOf, *, started: date | None = None
) -> tuple[CountdownTask, ...]:
    """Every campaign task due before today and neither done nor skipped, oldest first.

    No horizon applies: a preparation left open stays flagged on every following day, even
    after its campaign has dropped out of the countdown; only the first-use rule bounds it.
    """
    start = start_of_use(schedule, started)
    earliest = today - timedelta(days=LATE_LOOKBACK_DAYS)
    if start is not None:
        grace = max((c.grace_days for c in schedule.campaigns), default=0)
        earliest = start - timedelta(days=grace)
    late = [
        entry
        for due in campaign_dues(schedule, earliest, today - timedelta(days=1))
        if (entry := _countdown_task(due, today, status_of, start)).status == "late"
    ]
    return tuple(sorted(late, key=lambda t: (t.due, t.key)))
