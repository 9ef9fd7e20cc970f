"""Campaign countdowns: how far off each platform event is and which preparations are late.

The store knows what became of each campaign task; it is asked through ``status_of(key)``,
which returns the latest known ``(status, date)`` of a ``CAMPAIGN/TASK`` key:
``("done", d)``, ``("skipped", d)``, ``("carried", d)``, ``("pending", d)``, or
``("none", None)`` when the task was never materialised (the app was not opened that day).
Only ``done`` and ``skipped`` decide a task: anything else due before today is ``late`` and
stays late on every following day until it is decided, so a forgotten preparation never
silently disappears.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from opsplanner.i18n import _, ngettext
from opsplanner.schedule.models import Campaign, CampaignTask, Schedule

__all__ = [
    "Countdown",
    "CountdownStatus",
    "CountdownTask",
    "StatusOf",
    "countdown_text",
    "countdowns",
    "late_campaign_tasks",
]

StatusOf = Callable[[str], tuple[str, "date | None"]]
"""``status_of(key)``: the latest known (status, date) of a campaign task from the store."""

CountdownStatus = Literal["done", "skipped", "pending", "late"]


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


def _due(campaign: Campaign, task: CampaignTask) -> date:
    return campaign.date + timedelta(days=task.offset_days)


def _countdown_task(
    campaign: Campaign, task: CampaignTask, today: date, status_of: StatusOf
) -> CountdownTask:
    """Turn the store's latest status into the countdown's: decided, pending or late."""
    key = f"{campaign.id}/{task.id}"
    due = _due(campaign, task)
    stored, on = status_of(key)
    status: CountdownStatus
    if stored == "done":
        status = "done"
    elif stored == "skipped":
        status = "skipped"
    else:  # pending, carried, missed, never materialised: still to do
        status = "late" if due < today else "pending"
    return CountdownTask(
        key=key, title=task.title, due=due, status=status, done_on=on if status == "done" else None
    )


def _tasks(campaign: Campaign, today: date, status_of: StatusOf) -> tuple[CountdownTask, ...]:
    """The campaign's tasks in due order (template order among tasks due the same day)."""
    tasks = [_countdown_task(campaign, task, today, status_of) for task in campaign.tasks]
    return tuple(sorted(tasks, key=lambda t: t.due))


def countdowns(
    schedule: Schedule,
    today: date,
    status_of: StatusOf,
    *,
    horizon_days: int = 60,
    keep_after_days: int = 14,
) -> tuple[Countdown, ...]:
    """The campaigns worth showing today, soonest first.

    A campaign appears once its first task is due within ``horizon_days`` of today (far-off
    events would only be noise) and stays until ``keep_after_days`` after its date, so the
    retro tasks are still visible - or until its last task is due, if that is later.
    """
    if horizon_days < 0 or keep_after_days < 0:
        raise ValueError("horizon_days and keep_after_days cannot be negative")
    shown: list[Countdown] = []
    for campaign in schedule.campaigns:
        dues = [_due(campaign, task) for task in campaign.tasks] or [campaign.date]
        appears = min(dues) - timedelta(days=horizon_days)
        leaves = max(campaign.date + timedelta(days=keep_after_days), max(dues))
        if not appears <= today <= leaves:
            continue
        tasks = _tasks(campaign, today, status_of)
        shown.append(
            Countdown(
                campaign_id=campaign.id,
                title=campaign.title,
                date=campaign.date,
                days_until=(campaign.date - today).days,
                tasks=tasks,
                done=sum(t.status == "done" for t in tasks),
                total=len(tasks),
                late=tuple(t for t in tasks if t.status == "late"),
            )
        )
    return tuple(sorted(shown, key=lambda c: (c.date, c.campaign_id)))


def late_campaign_tasks(
    schedule: Schedule, today: date, status_of: StatusOf
) -> tuple[CountdownTask, ...]:
    """Every campaign task due before today and neither done nor skipped, oldest first.

    No horizon applies: a preparation left open stays flagged on every following day, even
    after its campaign has dropped out of the countdown.
    """
    late = [
        entry
        for campaign in schedule.campaigns
        for task in campaign.tasks
        if _due(campaign, task) < today
        and (entry := _countdown_task(campaign, task, today, status_of)).status == "late"
    ]
    return tuple(sorted(late, key=lambda t: (t.due, t.key)))
