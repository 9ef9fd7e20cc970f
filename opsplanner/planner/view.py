"""A day as the front-ends show it: the record, the figures its checks read, the decisions
already given, and whether it is only a preview. Immutable: a screen renders one, the next
change brings a new one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from opsplanner.planner.day import DayPlan, block_at
from opsplanner.planner.failures import Failures, task_failures
from opsplanner.planner.metrics import (
    DatedChecks,
    MetricHistory,
    checks_by_date,
    earliest_data_date,
    history_days_needed,
)
from opsplanner.planner.record import DayRecord, Disposition, TaskEntry
from opsplanner.schedule.models import Schedule


@dataclass(frozen=True, slots=True)
class DayView:
    """Everything a screen or a command needs about one day, loaded in one go."""

    schedule: Schedule
    record: DayRecord
    history: MetricHistory
    dispositions: tuple[Disposition, ...]
    today: date  # by the clock when the view was made
    preview: bool = False  # computed from the template: nothing is stored for this day
    previous: DayRecord | None = None  # the latest recorded day before it

    @property
    def day(self) -> date:
        return self.record.day

    def with_entry(self, entry: TaskEntry) -> DayView | None:
        """The same view with one task's new state (what a write on it returned), so a
        tick repaints without reading the day again; None when the view cannot take it (a
        preview, or a task it does not hold), and the day must be read."""
        entries = self.record.entries
        index = next((n for n, e in enumerate(entries) if e.key == entry.key), None)
        if self.preview or index is None:
            return None
        changed = (*entries[:index], entry, *entries[index + 1 :])
        return replace(self, record=replace(self.record, entries=changed))

    def checks(self, entry: TaskEntry) -> tuple[DatedChecks, ...]:
        return checks_by_date(entry.task, self.schedule, self.day, self.history)

    def failures(self, entry: TaskEntry) -> Failures:
        return task_failures(entry.task, self.schedule, self.day, self.history, self.dispositions)

    def now_block(self, moment: datetime) -> str | None:
        """The block the clock is in, only on the day itself."""
        if moment.date() != self.day:
            return None
        found = block_at(self.record.plan, moment.time())
        return found.id if found else None

    def notes_for_today(self) -> tuple[date, str] | None:
        """What the operator wrote for this day when closing the last one."""
        previous = self.previous
        if previous is None or not previous.tomorrow:
            return None
        return previous.day, previous.tomorrow

    def previous_undecided(self) -> tuple[TaskEntry, ...]:
        """Items the last recorded day left undecided (it was never closed)."""
        previous = self.previous
        if previous is None or previous.closed:
            return ()
        return previous.unfinished()


def preview_record(plan: DayPlan, operator: str, now: datetime) -> DayRecord:
    """A day nobody opened, as the template plans it: every task pending, nothing stored."""
    entries = tuple(TaskEntry(task=task) for task in plan.tasks())
    return DayRecord(
        day=plan.day,
        operator=operator,
        schedule_id=plan.schedule_id,
        plan=plan,
        entries=entries,
        opened_at=now,
    )


def data_window(schedule: Schedule, record: DayRecord) -> tuple[date, date]:
    """The data dates a day's tasks describe: from the earliest (Saturday, for Monday's
    store data read since the last workday) to the day itself."""
    tasks = (entry.task for entry in record.entries)
    return earliest_data_date(schedule, tasks, record.day), record.day


def history_window(schedule: Schedule, record: DayRecord) -> tuple[date, date]:
    """The data dates a day's checks may read (avg7 with gaps, last week, yesterday)."""
    first, last = data_window(schedule, record)
    return first - timedelta(days=history_days_needed()), last


def metrics_needed(schedule: Schedule, record: DayRecord) -> list[str]:
    """Metrics behind the day's tasks and checks, with their formulas' inputs (a computed
    one too: the platform's own figure may have been imported for it)."""
    wanted: set[str] = set()
    for entry in record.entries:
        wanted |= set(entry.task.metrics) | {c.metric for c in entry.task.checks}
        wanted |= {name for c in entry.task.checks for name in c.names}  # not metrics: dropped
    pending = list(wanted)
    while pending:
        metric = schedule.metric(pending.pop())
        if metric is not None and metric.formula is not None:
            for name in metric.formula.names - wanted:
                wanted.add(name)
                pending.append(name)
    return sorted(m for m in wanted if schedule.metric(m) is not None)
