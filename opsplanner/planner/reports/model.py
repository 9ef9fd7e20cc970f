"""The reports as plain frozen data: what the builders produce and every renderer reads, so a
new output format never touches the building and a new figure is added in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from opsplanner.planner.targets import LadderWeek

CARRIED_CALLOUT_TIMES: Final = 3
"""Items carried this many times or more are called out: they are being pushed, not done."""


@dataclass(frozen=True, slots=True)
class MetricReading:
    """One metric on its data date; unit and currency travel with it so any renderer can
    format it without the schedule."""

    metric: str
    label: str
    data_date: date
    value: float | None
    unit: str
    currency: str | None


@dataclass(frozen=True, slots=True)
class MetricGroup:
    """The metrics one task reads, all for the same data date (the report's table rows)."""

    title: str  # the task's title; "" for metrics no task reads
    task: str | None
    data_date: date
    readings: tuple[MetricReading, ...]


@dataclass(frozen=True, slots=True)
class BlockProgress:
    """Done/total of a block over a day or a period."""

    block_id: str
    title: str
    start: str | None  # "08:30"; None for the all-day blocks
    end: str | None
    done: int
    total: int


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item that was not done, with the reason the operator gave."""

    day: date
    key: str
    title: str
    block: str  # the block's title
    status: str
    reason: str | None
    carried_from: date | None
    carried_count: int


@dataclass(frozen=True, slots=True)
class TaskNote:
    """A note kept with a task."""

    key: str
    title: str
    note: str


@dataclass(frozen=True, slots=True)
class DispositionView:
    """What the operator decided about a failed check: its cause or a follow-up task."""

    metric: str
    label: str
    data_date: date
    checks: str
    cause: str | None
    follow_up: str | None
    follow_up_day: date | None


@dataclass(frozen=True, slots=True)
class FailedCheck:
    """A check that flagged a problem, with the sentence to show and what was decided."""

    day: date  # the plan day the check was read on
    task: str
    task_title: str
    metric: str
    label: str
    data_date: date
    expr: str
    message: str
    dispositions: tuple[DispositionView, ...]


@dataclass(frozen=True, slots=True)
class DayReport:
    """The daily report: the numbers, the work per block, what was left and why."""

    schedule_id: str
    schedule_title: str
    operator: str
    day: date
    workday: bool
    closed: bool
    summary: str | None  # "not opened" for a day nobody opened
    done: int
    total: int
    metrics: tuple[MetricGroup, ...]
    blocks: tuple[BlockProgress, ...]
    not_done: tuple[ItemView, ...]
    failed_checks: tuple[FailedCheck, ...]
    notes: tuple[TaskNote, ...]
    tomorrow: str | None


@dataclass(frozen=True, slots=True)
class DaySummary:
    """One date of a period: how much of the day's work was done."""

    day: date
    workday: bool
    recorded: bool
    closed: bool
    done: int
    total: int
    skipped: int
    carried: int
    missed: int
    open: int


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """A reason and how often it was given."""

    reason: str
    count: int


@dataclass(frozen=True, slots=True)
class TaskTally:
    """How often a task was skipped (or carried) in a period, and why."""

    key: str
    title: str
    count: int  # days skipped (or carried)
    days: int  # days the task was on the list
    reasons: tuple[ReasonCount, ...]
    suggestion: str | None


@dataclass(frozen=True, slots=True)
class CarriedCallout:
    """An item pushed forward again and again: it needs a decision, not another carry."""

    key: str
    title: str
    times: int
    since: date
    last_day: date
    last_status: str
    reasons: tuple[ReasonCount, ...]


@dataclass(frozen=True, slots=True)
class CampaignItem:
    """A campaign preparation and its due date."""

    key: str
    title: str
    due: date


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A campaign's countdown as of the report's date."""

    campaign_id: str
    title: str
    date: date
    days_until: int
    done: int
    total: int
    late: tuple[CampaignItem, ...]
    upcoming: tuple[CampaignItem, ...]


@dataclass(frozen=True, slots=True)
class MetricTrend:
    """A metric over a period: min/avg/max of the days with a value, and the change of the
    average against the period before."""

    metric: str
    label: str
    unit: str
    currency: str | None
    days: int
    min: float
    avg: float
    max: float
    previous_avg: float | None
    change_percent: float | None


@dataclass(frozen=True, slots=True)
class TargetView:
    """The ladder rungs of a weekly target that fall in the period, and the one before."""

    target_id: str
    metric: str
    label: str
    unit: str
    currency: str | None
    weeks: tuple[LadderWeek, ...]
    previous: LadderWeek | None


@dataclass(frozen=True, slots=True)
class Period:
    """What a week and a month report share: completion, habits, campaigns, numbers."""

    schedule_id: str
    schedule_title: str
    operator: str
    start: date
    end: date
    as_of: date
    in_progress: bool
    previous_start: date
    previous_end: date
    days: tuple[DaySummary, ...]
    done: int
    total: int
    previous_done: int
    previous_total: int
    blocks: tuple[BlockProgress, ...]
    not_done: tuple[ItemView, ...]
    readings: tuple[MetricReading, ...]  # every typed or derived value, day by day
    targets: tuple[TargetView, ...]
    most_skipped: tuple[TaskTally, ...]
    most_carried: tuple[TaskTally, ...]
    carried_often: tuple[CarriedCallout, ...]
    campaigns: tuple[CampaignView, ...]
    trends: tuple[MetricTrend, ...]
    failed_checks: tuple[FailedCheck, ...]
    dispositions: tuple[DispositionView, ...]


@dataclass(frozen=True, slots=True)
class WeekReport:
    """The weekly summary: Monday..Sunday against the previous week."""

    week: str  # ISO week, "2026-W47"
    period: Period


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One Monday..Sunday week of a month report, cut to the month: a week straddling its
    first or last day starts or ends there, with fewer than seven `days`."""

    start: date
    end: date
    days: int  # of the week's seven, those in the month
    done: int
    total: int
    skipped: int
    carried: int
    missed: int


@dataclass(frozen=True, slots=True)
class MonthReport:
    """The monthly evaluation: the calendar month, and the weeks overlapping it."""

    month: str  # "2026-11"
    weeks: tuple[WeekRow, ...]
    period: Period


Report = DayReport | WeekReport | MonthReport
