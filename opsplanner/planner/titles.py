"""A stored day in the current schedule's words.

A day's snapshot keeps what was scheduled (ids, times, checks, metrics) so later template edits
never rewrite history, and with it the titles it was planned with. The titles are words, not
plan: a day opened under the English schedule reads in Chinese under the Chinese one (the two
share every id). `Words` swaps in the current schedule's titles and details for the
ids it still has; an id it no longer has keeps its stored title. Nothing else changes: the same
tasks, in the same blocks, in the same states.
"""

from __future__ import annotations

from dataclasses import replace

from opsplanner.planner.day import (
    CAMPAIGNS_BLOCK,
    FOLLOW_UP_BLOCK,
    TITLE_JOIN,
    DayPlan,
    PlannedBlock,
    PlannedTask,
)
from opsplanner.planner.record import DayRecord, TaskEntry
from opsplanner.schedule.models import Schedule


class Words:
    """The titles and details of a schedule, by id (built once, read for every task)."""

    def __init__(self, schedule: Schedule) -> None:
        self._blocks = {block.id: block.title for block in schedule.blocks}
        self._tasks = {task.id: (task.title, task.detail) for task in schedule.tasks()}
        self._campaigns = {campaign.id: campaign.title for campaign in schedule.campaigns}
        self._campaign_tasks = {
            f"{campaign.id}/{task.id}": (task.title, task.detail)
            for campaign in schedule.campaigns
            for task in campaign.tasks
        }

    def task(self, task: PlannedTask) -> PlannedTask:
        """The task with the schedule's title and detail for its id; a follow-up (the
        operator's own words) and an id the schedule lost keep what was stored."""
        if task.block_id == FOLLOW_UP_BLOCK:
            return task
        if task.campaign_id is not None:
            campaign = task.campaign_id.partition("@")[0]
            words = self._campaign_tasks.get(f"{campaign}/{task.key.partition('/')[2]}")
        else:
            words = self._tasks.get(task.key)
        if words is None or words == (task.title, task.detail):
            return task
        return replace(task, title=words[0], detail=words[1])

    def block(self, block: PlannedBlock) -> PlannedBlock:
        """The block with the schedule's title and its tasks relabelled; opsplanner's own
        all-day blocks keep their stored title (shown in the current language anyway), except
        the campaigns' block, titled with the campaigns it holds."""
        tasks = tuple(self.task(task) for task in block.tasks)
        if block.id == CAMPAIGNS_BLOCK:
            title = self._campaigns_title(block)
        else:
            title = self._blocks.get(block.id, block.title)
        return replace(block, title=title, tasks=tasks)

    def _campaigns_title(self, block: PlannedBlock) -> str:
        """ "Double 11 · Double 12" → "双十一 · 双十二": one stored piece per campaign of the
        block, in the order they joined it; a title that does not split so (days stored
        before campaigns titled their block) stays."""
        pieces = block.title.split(TITLE_JOIN)
        campaigns = list(
            dict.fromkeys(
                task.campaign_id.partition("@")[0] for task in block.tasks if task.campaign_id
            )
        )
        if len(pieces) != len(campaigns):
            return block.title
        return TITLE_JOIN.join(
            self._campaigns.get(campaign, piece)
            for campaign, piece in zip(campaigns, pieces, strict=True)
        )

    def plan(self, plan: DayPlan) -> DayPlan:
        return replace(plan, blocks=tuple(self.block(block) for block in plan.blocks))

    def entry(self, entry: TaskEntry) -> TaskEntry:
        task = self.task(entry.task)
        return entry if task is entry.task else replace(entry, task=task)

    def record(self, record: DayRecord) -> DayRecord:
        return replace(
            record,
            plan=self.plan(record.plan),
            entries=tuple(self.entry(entry) for entry in record.entries),
        )
