"""What was recorded of a day, as plain domain objects (the store converts its rows to these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol, overload

from opsplanner.i18n import N_, _
from opsplanner.planner.day import (
    EXTRA_BLOCK_TITLES,
    DayPlan,
    PlannedBlock,
    PlannedTask,
    campaign_address,
)

Status = Literal["pending", "done", "skipped", "carried", "missed"]

NOT_OPENED = N_("not opened")
"""What opsplanner itself records, in English, as the summary of a day nobody opened and as
the reason of the items it carried from or let lapse on that day."""


@overload
def shown_remark(text: str) -> str: ...
@overload
def shown_remark(text: None) -> None: ...
def shown_remark(text: str | None) -> str | None:
    """A recorded summary or reason as shown: opsplanner's own remark in the current language,
    what the operator typed as typed."""
    return _(text) if text == NOT_OPENED else text


EntryState = tuple[str, str | None, str | None, date | None, int]
"""What a write is based on: an entry's status, note, reason and carry. A write names the state
it saw, so one made from a stale screen is refused instead of undoing someone else's change."""


class NotSeen:
    """A write that does not say what it saw (the CLI acts on whatever is stored now)."""


NOT_SEEN = NotSeen()


class StatefulEntry(Protocol):
    """What a write's state is made of (a stored row and a domain entry both have it)."""

    @property
    def status(self) -> str: ...
    @property
    def note(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def carried_from(self) -> date | None: ...
    @property
    def carried_count(self) -> int: ...


def entry_state(entry: StatefulEntry) -> EntryState:
    """The state of a stored row or a domain entry, comparable between the two."""
    return (entry.status, entry.note, entry.reason, entry.carried_from, entry.carried_count)


@dataclass(frozen=True, slots=True)
class TaskEntry:
    """A task on a recorded day: the plan's task plus what became of it."""

    task: PlannedTask
    status: Status = "pending"
    note: str | None = None
    reason: str | None = None
    changed_at: datetime | None = None
    carried_from: date | None = None
    carried_count: int = 0

    @property
    def key(self) -> str:
        return self.task.key

    @property
    def open(self) -> bool:
        return self.status == "pending"

    @property
    def state(self) -> EntryState:
        return entry_state(self)


@dataclass(frozen=True, slots=True)
class DayRecord:
    """A materialised day: its frozen plan and the state of every task on it."""

    day: date
    operator: str
    schedule_id: str
    plan: DayPlan
    entries: tuple[TaskEntry, ...]
    opened_at: datetime
    closed_at: datetime | None = None
    summary: str | None = None
    tomorrow: str | None = None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def entry(self, key: str) -> TaskEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def find(self, key: str) -> TaskEntry | None:
        """A task by id, `CAMPAIGN/TASK` (a yearly one's without `@YEAR`) or `block-id/task-id`."""
        found = self.entry(key)
        if found is None and "/" in key:
            found = next((e for e in self.entries if campaign_address(e.key) == key), None)
        if found is None and "/" in key:
            block, __, task = key.partition("/")
            found = self.entry(task)
            if found is not None and found.task.block_id != block:
                return None
        return found

    def unfinished(self) -> tuple[TaskEntry, ...]:
        return tuple(e for e in self.entries if e.open)

    def blocks(self) -> tuple[tuple[PlannedBlock, tuple[TaskEntry, ...]], ...]:
        """Blocks in plan order with their entries; carried-in items and follow-ups of failed
        checks come first, in their own all-day blocks."""
        by_block: dict[str, list[TaskEntry]] = {}
        for entry in self.entries:
            by_block.setdefault(entry.task.block_id, []).append(entry)
        result: list[tuple[PlannedBlock, tuple[TaskEntry, ...]]] = []
        for block_id, title in EXTRA_BLOCK_TITLES.items():
            extra = by_block.pop(block_id, [])
            if extra:
                result.append(
                    (
                        PlannedBlock(block_id, title, None, None, tuple(e.task for e in extra)),
                        tuple(extra),
                    )
                )
        for block in self.plan.blocks:
            entries = by_block.get(block.id, [])
            order = {task.key: index for index, task in enumerate(block.tasks)}
            entries.sort(key=lambda e: order.get(e.key, len(order)))
            result.append((block, tuple(entries)))
        return tuple(result)

    def progress(self) -> tuple[int, int]:
        """(done, total) over the day's tasks; skipped and missed count as not done."""
        return sum(e.status == "done" for e in self.entries), len(self.entries)


@dataclass(frozen=True, slots=True)
class Disposition:
    """What the operator decided about a failed check: its cause, or a follow-up task."""

    metric: str
    data_date: date
    checks: str  # the failing check expressions, "; "-joined
    cause: str | None
    follow_up: str | None
    follow_up_day: date | None
    decided_at: datetime
