"""What a date holds: the blocks and tasks that occur on it, and which block the clock is in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Any

from opsplanner.i18n import N_, _
from opsplanner.planner.campaigns import CampaignDue, campaign_dues, expected, start_of_use
from opsplanner.schedule.checks import Check, parse_check
from opsplanner.schedule.models import Block, MetricsFor, OnMiss, Schedule, Task

CAMPAIGNS_BLOCK = "campaigns"
CARRIED_BLOCK = "carried"
FOLLOW_UP_BLOCK = "follow-ups"
TITLE_JOIN = " · "  # between the titles of campaigns sharing the all-day block
CAMPAIGNS_TITLE = N_("Campaigns")  # days stored before campaigns titled their own block
EXTRA_BLOCK_TITLES = {CARRIED_BLOCK: N_("Carried over"), FOLLOW_UP_BLOCK: N_("Follow-ups")}
BUILT_IN_BLOCK_TITLES = {CAMPAIGNS_BLOCK: CAMPAIGNS_TITLE, **EXTRA_BLOCK_TITLES}
"""The all-day blocks opsplanner adds itself; their English titles are what a day's record
keeps, and `block_title` shows them in the current language (the campaigns' block is titled
with the campaigns' own titles, as the template wrote them)."""

LastDone = Callable[[str], "date | None"]


@dataclass(frozen=True, slots=True)
class PlannedTask:
    """A task as it occurs on one date: everything a screen or a report needs to show it."""

    key: str  # "store-data"; a campaign task: "double-11@2027/register" ("CAMPAIGN/TASK" once)
    title: str
    block_id: str
    detail: str = ""
    on_miss: OnMiss = "expire"
    metrics: tuple[str, ...] = ()
    metrics_for: MetricsFor = "today"
    checks: tuple[Check, ...] = ()
    campaign_id: str | None = None  # "double-11@2027": one year's event of the campaign

    @property
    def is_campaign(self) -> bool:
        return self.campaign_id is not None


@dataclass(frozen=True, slots=True)
class PlannedBlock:
    """A block on one date; start/end are None for the all-day campaign and Carried blocks."""

    id: str
    title: str
    start: time | None
    end: time | None
    tasks: tuple[PlannedTask, ...] = ()

    def contains(self, moment: time) -> bool:
        return self.start is not None and self.end is not None and self.start <= moment < self.end

    @property
    def shown_title(self) -> str:
        """The title to show: a built-in block's in the current language."""
        return block_title(self.id, self.title)


def block_title(block_id: str, title: str) -> str:
    """A block's title as shown: opsplanner's own all-day blocks (Campaigns, Carried over,
    Follow-ups; stored in English with the day) in the current language, a template's own
    block as the template wrote it."""
    return _(title) if BUILT_IN_BLOCK_TITLES.get(block_id) == title else title


@dataclass(frozen=True, slots=True)
class DayPlan:
    """The blocks of a date in time order, all-day blocks first."""

    day: date
    schedule_id: str
    workday: bool
    blocks: tuple[PlannedBlock, ...] = ()

    def tasks(self) -> tuple[PlannedTask, ...]:
        return tuple(task for block in self.blocks for task in block.tasks)

    def task(self, key: str) -> PlannedTask | None:
        return next((t for t in self.tasks() if t.key == key), None)


def anchor_for(schedule: Schedule, day: date, first_day: date | None) -> date:
    """The date `every N days` counts from: `since:`, else the first day used, else `day`."""
    return schedule.since or first_day or day


def task_occurs(
    schedule: Schedule,
    block: Block,
    task: Task,
    day: date,
    *,
    first_day: date | None = None,
    last_done: LastDone | None = None,
) -> bool:
    """A routine task occurs on a workday when its block occurs and its own repeat matches.

    A `carry` task whose date falls on a day off (`monthly on 1` on 1 October, `weekly on
    mon` in the Spring Festival week) occurs on the next workday instead: carrying means it
    is not dropped, and a day off is not a day it could have been done.
    """
    if not schedule.calendar.is_workday(day):
        return False
    anchor = anchor_for(schedule, day, first_day)
    if not block.repeat.occurs_on(day, anchor=anchor):
        return False
    if task.repeat is None:
        return True
    done = last_done(task.id) if (last_done is not None and task.repeat.after_done) else None
    if task.repeat.occurs_on(day, anchor=anchor, last_done=done):
        return True
    if task.on_miss != "carry" or task.repeat.after_done:  # after done: already due later on
        return False
    return any(
        block.repeat.occurs_on(off, anchor=anchor) and task.repeat.occurs_on(off, anchor=anchor)
        for off in _days_off_before(schedule, day, anchor)
    )


MAX_DAYS_OFF = 31
"""How far back a run of days off is followed: longer than any holiday (春节 is 7-9 days)."""


def _days_off_before(schedule: Schedule, day: date, anchor: date) -> Iterator[date]:
    """The days off right before `day`, latest first, none before the anchor (`since:`)."""
    for back in range(1, MAX_DAYS_OFF + 1):
        off = day - timedelta(days=back)
        if off < anchor or schedule.calendar.is_workday(off):
            return
        yield off


def occurrences(
    schedule: Schedule,
    day: date,
    *,
    first_day: date | None = None,
    last_done: LastDone | None = None,
) -> DayPlan:
    """The blocks and tasks of `day`: routine on workdays, campaign tasks on any day.

    `last_done(task_id)` answers when an `every N days after done` task was last completed;
    without it such tasks are due from the anchor on.
    """
    planned: list[PlannedBlock] = []
    for block in schedule.blocks:
        if not block.tasks:  # a pure time block (lunch, a call): shown when it occurs
            if schedule.calendar.is_workday(day) and block.repeat.occurs_on(
                day, anchor=anchor_for(schedule, day, first_day)
            ):
                planned.append(PlannedBlock(block.id, block.title, block.start, block.end))
            continue
        tasks = [
            _planned_task(task)
            for task in block.tasks
            if task_occurs(schedule, block, task, day, first_day=first_day, last_done=last_done)
        ]
        if tasks:
            planned.append(
                PlannedBlock(block.id, block.title, block.start, block.end, tuple(tasks))
            )
    for due in campaign_dues(schedule, day, day):
        planned = _add_to_block(planned, schedule, _campaign_task(due), due.campaign.title)
    return DayPlan(day, schedule.id, schedule.calendar.is_workday(day), _in_time_order(planned))


def campaign_tasks_due(
    schedule: Schedule, start: date, end: date, *, started: date | None = None
) -> Iterator[tuple[PlannedTask, date]]:
    """Campaign tasks due from `start` to `end` (inclusive), with their due dates; with
    `started` (the first day used), none the first-use rule leaves out."""
    begins = start_of_use(schedule, started)
    for due in campaign_dues(schedule, start, end):
        if started is None or expected(due, begins):
            yield _campaign_task(due), due.due


def campaign_address(key: str) -> str:
    """A task key as the template names it: ``double-11@2027/register`` → ``double-11/register``
    (so a yearly campaign's task can be typed without its year on the day it is due)."""
    head, slash, tail = key.partition("/")
    return f"{head.partition('@')[0]}{slash}{tail}"


def _campaign_task(due: CampaignDue) -> PlannedTask:
    return PlannedTask(
        key=due.key,
        title=due.task.title,
        block_id=due.task.block_id or CAMPAIGNS_BLOCK,
        detail=due.task.detail,
        on_miss="carry",
        campaign_id=due.occurrence_id,
    )


def _planned_task(task: Task) -> PlannedTask:
    return PlannedTask(
        key=task.id,
        title=task.title,
        block_id=task.block_id,
        detail=task.detail,
        on_miss=task.on_miss,
        metrics=task.metrics,
        metrics_for=task.metrics_for,
        checks=task.checks,
    )


def _add_to_block(
    blocks: list[PlannedBlock], schedule: Schedule, task: PlannedTask, campaign_title: str
) -> list[PlannedBlock]:
    """A campaign task joins its block; one without a block goes to the all-day block, titled
    with the campaigns it holds in the schedule's own words ("双十一 · 双十二")."""
    for index, block in enumerate(blocks):
        if block.id == task.block_id:
            title = block.title
            if block.id == CAMPAIGNS_BLOCK and campaign_title not in title.split(TITLE_JOIN):
                title = f"{title}{TITLE_JOIN}{campaign_title}"
            blocks[index] = replace(block, title=title, tasks=(*block.tasks, task))
            return blocks
    source = schedule.block(task.block_id)
    if source is not None:
        blocks.append(PlannedBlock(source.id, source.title, source.start, source.end, (task,)))
    else:
        blocks.append(PlannedBlock(CAMPAIGNS_BLOCK, campaign_title, None, None, (task,)))
    return blocks


def _in_time_order(blocks: list[PlannedBlock]) -> tuple[PlannedBlock, ...]:
    return tuple(sorted(blocks, key=lambda b: (b.start is not None, b.start or time(0), b.id)))


def block_at(plan: DayPlan, moment: time) -> PlannedBlock | None:
    """The block the clock is in, if any."""
    return next((block for block in plan.blocks if block.contains(moment)), None)


# ------------------------------------------------------------------ snapshots


def plan_to_snapshot(plan: DayPlan) -> dict[str, Any]:
    """A JSON-able copy of the plan, stored with the day so later template edits never
    rewrite history."""
    return {
        "day": plan.day.isoformat(),
        "schedule": plan.schedule_id,
        "workday": plan.workday,
        "blocks": [
            {
                "id": block.id,
                "title": block.title,
                "start": block.start.strftime("%H:%M") if block.start else None,
                "end": block.end.strftime("%H:%M") if block.end else None,
                "tasks": [task_to_snapshot(task) for task in block.tasks],
            }
            for block in plan.blocks
        ],
    }


def task_to_snapshot(task: PlannedTask) -> dict[str, Any]:
    """One task of a snapshot (also kept with an item carried onto a day it does not occur)."""
    data: dict[str, Any] = {"key": task.key, "title": task.title, "on_miss": task.on_miss}
    if task.detail:
        data["detail"] = task.detail
    if task.metrics:
        data["metrics"] = list(task.metrics)
        data["metrics_for"] = task.metrics_for
    if task.checks:
        data["checks"] = [check.source for check in task.checks]
    if task.campaign_id:
        data["campaign"] = task.campaign_id
    return data


def task_from_snapshot(data: dict[str, Any], block_id: str) -> PlannedTask:
    """The inverse of `task_to_snapshot`."""
    return PlannedTask(
        key=data["key"],
        title=data["title"],
        block_id=block_id,
        detail=data.get("detail", ""),
        on_miss=data.get("on_miss", "expire"),
        metrics=tuple(data.get("metrics", ())),
        metrics_for=data.get("metrics_for", "today"),
        checks=tuple(parse_check(source) for source in data.get("checks", ())),
        campaign_id=data.get("campaign"),
    )


def plan_from_snapshot(data: dict[str, Any]) -> DayPlan:
    """The inverse of `plan_to_snapshot`."""
    blocks = [
        PlannedBlock(
            block["id"],
            block["title"],
            time.fromisoformat(block["start"]) if block["start"] else None,
            time.fromisoformat(block["end"]) if block["end"] else None,
            tuple(task_from_snapshot(task, block["id"]) for task in block["tasks"]),
        )
        for block in data["blocks"]
    ]
    return DayPlan(
        date.fromisoformat(data["day"]), data["schedule"], data["workday"], tuple(blocks)
    )
