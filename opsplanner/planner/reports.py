"""Daily, weekly and monthly reports: what was done, what the numbers were, and why.

The operator's habit (seed 004) is a daily report table — date, page views, visitors, sales,
orders, conversion rate, bounce rates — plus a note of what is done, why the rest is not and
what must happen tomorrow; at the end of the week a sales summary against the target ladder.
These functions turn recorded days into that report, as plain frozen data, and render it as
Markdown (pasted into a chat), CSV (opened in Excel) or JSON (scripts).

Pure: no I/O, no Textual, no SQL. The caller loads only the date range a report needs (see
:func:`week_range`, :func:`month_range`, :func:`day_history_start`), so a report over ten
years of history costs the same as one over a year.

Decisions, so readers of the reports can rely on them:

- A day's figures are shown for the data date of the task that reads them (store data is
  read for yesterday). Metrics no task on the day reads take the data date the schedule's
  tasks give them, else the day itself, so a report always shows every metric.
- Done/total counts every item on a day; skipped, carried and missed count as not done.
- "Skipped most days": skipped on more than half the days the task occurred, and on at least
  :data:`SKIP_SUGGESTION_MIN_DAYS` of them (one skipped weekly task is not a habit).
- An item is "carried N times" when it was brought forward N times (its ``carried_count``),
  plus one if it was carried on again; :data:`CARRIED_CALLOUT_TIMES` or more is called out.
- Metric trends compare the period's average with the average of the period just before it
  (the previous week, or as many weeks before a month), as a change in percent; there is no
  change when either average is missing or the earlier one is 0.
- A week or month report describes the period as of ``min(today, end)``: campaign statuses
  decided later are not counted, so re-running a report on a past week gives the same text.
- A month report covers the Monday..Sunday weeks overlapping the month, so every week (and
  every rung of the sales ladder) is whole.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from opsplanner.planner.campaigns import Countdown, StatusOf, countdowns
from opsplanner.planner.day import EXTRA_BLOCK_TITLES
from opsplanner.planner.metrics import (
    MetricHistory,
    data_date,
    evaluate_task_checks,
    history_days_needed,
    metric_value,
)
from opsplanner.planner.record import DayRecord, Disposition, TaskEntry
from opsplanner.planner.targets import LadderWeek, ladder
from opsplanner.planner.values import UNITS, format_metric_value
from opsplanner.schedule.models import Schedule

__all__ = [
    "CARRIED_CALLOUT_TIMES",
    "CSV_COLUMNS",
    "SKIP_SUGGESTION_MIN_DAYS",
    "BlockProgress",
    "CampaignItem",
    "CampaignView",
    "CarriedCallout",
    "DayReport",
    "DaySummary",
    "DispositionView",
    "FailedCheck",
    "ItemView",
    "MetricGroup",
    "MetricReading",
    "MetricTrend",
    "MonthReport",
    "Period",
    "ReasonCount",
    "ReportRange",
    "TargetView",
    "TaskNote",
    "TaskTally",
    "WeekReport",
    "WeekRow",
    "campaign_window",
    "change_percent",
    "day_history_start",
    "day_report",
    "metrics_to_load",
    "month_range",
    "month_report",
    "render_csv",
    "render_json",
    "render_markdown",
    "skip_suggestion",
    "status_from_records",
    "times_carried",
    "week_range",
    "week_report",
]

SKIP_SUGGESTION_MIN_DAYS: Final = 3
"""A task must be skipped on at least this many days before the report suggests changing it."""

CARRIED_CALLOUT_TIMES: Final = 3
"""Items carried this many times or more are called out: they are being pushed, not done."""

TOP_TASKS: Final = 5
"""How many tasks the most-skipped and most-carried lists show: a short list gets read."""

TOP_REASONS: Final = 3
"""How many reasons are shown per task, most frequent first."""

CAMPAIGN_ITEMS: Final = 5
"""Late or upcoming campaign tasks listed per campaign before "and N more"."""

CSV_COLUMNS: Final = ("section", "date", "block", "key", "label", "value", "total", "note")
"""One layout for every CSV row, so a spreadsheet can filter on ``section`` and pivot."""

_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not %a: locale-free
_STATUS_WORDS: Final = {
    "pending": "Open",
    "done": "Done",
    "skipped": "Skipped",
    "carried": "Carried",
    "missed": "Missed",
}


# ------------------------------------------------------------------ report data


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
    """One Monday..Sunday week of a month report."""

    start: date
    end: date
    done: int
    total: int
    skipped: int
    carried: int
    missed: int


@dataclass(frozen=True, slots=True)
class MonthReport:
    """The monthly evaluation: the weeks overlapping the month, week by week."""

    month: str  # "2026-11"
    weeks: tuple[WeekRow, ...]
    period: Period


Report = DayReport | WeekReport | MonthReport


# ------------------------------------------------------------------ ranges to load


@dataclass(frozen=True, slots=True)
class ReportRange:
    """The dates a week or month report covers and compares with; what the caller loads."""

    start: date
    end: date
    previous_start: date
    previous_end: date

    @property
    def history_start(self) -> date:
        """First data date to load: the previous period, and what avg7 checks look back on."""
        return min(self.previous_start, self.start - timedelta(days=history_days_needed() + 1))

    @property
    def dispositions_start(self) -> date:
        """Monday's checks read Sunday's store data, so dispositions start a day earlier."""
        return self.start - timedelta(days=1)


def week_range(day: date) -> ReportRange:
    """The Monday..Sunday week containing ``day`` and the week before it."""
    start = day - timedelta(days=day.weekday())
    return ReportRange(
        start, start + timedelta(days=6), start - timedelta(days=7), start - timedelta(days=1)
    )


def month_range(day: date) -> ReportRange:
    """The whole weeks overlapping ``day``'s month, and as many weeks before them."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    length = end - start + timedelta(days=1)
    return ReportRange(start, end, start - length, start - timedelta(days=1))


def day_history_start(day: date) -> date:
    """First data date a day report needs: avg7 checks on yesterday's data look back this far."""
    return day - timedelta(days=history_days_needed() + 2)


def metrics_to_load(schedule: Schedule, records: Iterable[DayRecord] = ()) -> list[str]:
    """Typed-in metrics a report reads: the schedule's, plus any an older snapshot names."""
    wanted = {m.id for m in schedule.metrics if not m.derived}
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


# ------------------------------------------------------------------ day


def day_report(
    schedule: Schedule,
    record: DayRecord,
    history: MetricHistory,
    dispositions: Sequence[Disposition],
) -> DayReport:
    """The daily report of one recorded day."""
    done, total = record.progress()
    blocks = tuple(
        BlockProgress(
            block.id,
            block.title,
            _clock(block.start),
            _clock(block.end),
            sum(e.status == "done" for e in entries),
            len(entries),
        )
        for block, entries in record.blocks()
        if entries
    )
    not_done = _not_done(record)
    notes = tuple(
        TaskNote(e.key, e.task.title, e.note)
        for _block, entries in record.blocks()
        for e in entries
        if e.note
    )
    return DayReport(
        schedule_id=record.schedule_id,
        schedule_title=schedule.title,
        operator=record.operator,
        day=record.day,
        workday=record.plan.workday,
        closed=record.closed,
        summary=record.summary,
        done=done,
        total=total,
        metrics=_metric_groups(schedule, record, history),
        blocks=blocks,
        not_done=not_done,
        failed_checks=_failed_checks(schedule, record, history, dispositions),
        notes=notes,
        tomorrow=record.tomorrow,
    )


def _clock(moment: time | None) -> str | None:
    return moment.strftime("%H:%M") if moment is not None else None


def _block_titles(record: DayRecord) -> dict[str, str]:
    titles = dict(EXTRA_BLOCK_TITLES)
    titles.update({block.id: block.title for block in record.plan.blocks})
    return titles


def _not_done(record: DayRecord) -> tuple[ItemView, ...]:
    """Items left undone on a day, in block order, with their reasons."""
    titles = _block_titles(record)
    return tuple(
        ItemView(
            record.day,
            entry.key,
            entry.task.title,
            titles.get(entry.task.block_id, entry.task.block_id),
            entry.status,
            entry.reason,
            entry.carried_from,
            entry.carried_count,
        )
        for _block, entries in record.blocks()
        for entry in entries
        if entry.status != "done"
    )


def _reading(schedule: Schedule, metric_id: str, on: date, history: MetricHistory) -> MetricReading:
    spec = schedule.metric(metric_id)
    value = metric_value(schedule, metric_id, on, history)
    if value is not None and not math.isfinite(value):
        value = None
    return MetricReading(
        metric=metric_id,
        label=(spec.label if spec else "") or metric_id,
        data_date=on,
        value=value,
        unit=spec.unit if spec else "number",
        currency=spec.currency if spec else None,
    )


def _metric_groups(
    schedule: Schedule, record: DayRecord, history: MetricHistory
) -> tuple[MetricGroup, ...]:
    """Every metric, grouped by the task that reads it, for that task's data date."""
    placed: dict[str, tuple[str, str | None, date]] = {}
    for entry in record.entries:
        for name in entry.task.metrics:
            placed.setdefault(
                name, (entry.task.title, entry.key, data_date(entry.task, record.day))
            )
    for task in schedule.tasks():
        on = record.day - timedelta(days=1) if task.metrics_for == "yesterday" else record.day
        for name in task.metrics:
            placed.setdefault(name, (task.title, task.id, on))
    for metric in schedule.metrics:
        placed.setdefault(metric.id, ("", None, record.day))
    groups: dict[tuple[str | None, date], tuple[str, list[MetricReading]]] = {}
    for name, (title, key, on) in placed.items():
        group = groups.setdefault((key, on), (title, []))
        group[1].append(_reading(schedule, name, on, history))
    return tuple(
        MetricGroup(title, key, on, tuple(readings))
        for (key, on), (title, readings) in groups.items()
    )


def _disposition_view(schedule: Schedule, disposition: Disposition) -> DispositionView:
    spec = schedule.metric(disposition.metric)
    return DispositionView(
        metric=disposition.metric,
        label=(spec.label if spec else "") or disposition.metric,
        data_date=disposition.data_date,
        checks=disposition.checks,
        cause=disposition.cause,
        follow_up=disposition.follow_up,
        follow_up_day=disposition.follow_up_day,
    )


def _failed_checks(
    schedule: Schedule,
    record: DayRecord,
    history: MetricHistory,
    dispositions: Sequence[Disposition],
) -> tuple[FailedCheck, ...]:
    """Every failing check of the day, each with the dispositions given for its metric and
    data date."""
    failed: list[FailedCheck] = []
    for entry in record.entries:
        if not entry.task.checks:
            continue
        on = data_date(entry.task, record.day)
        results = evaluate_task_checks(entry.task, schedule, record.day, history)
        for check, result in zip(entry.task.checks, results, strict=True):
            if result.status != "fail":
                continue
            spec = schedule.metric(check.metric)
            decided = tuple(
                _disposition_view(schedule, d)
                for d in dispositions
                if d.metric == check.metric and d.data_date == on
            )
            failed.append(
                FailedCheck(
                    day=record.day,
                    task=entry.key,
                    task_title=entry.task.title,
                    metric=check.metric,
                    label=(spec.label if spec else "") or check.metric,
                    data_date=on,
                    expr=result.expr,
                    message=result.message,
                    dispositions=decided,
                )
            )
    return tuple(failed)


# ------------------------------------------------------------------ week and month


def week_report(
    schedule: Schedule,
    records: Sequence[DayRecord],
    previous: Sequence[DayRecord],
    history: MetricHistory,
    dispositions: Sequence[Disposition],
    *,
    day: date,
    today: date,
    status_of: StatusOf,
) -> WeekReport:
    """The week containing ``day`` (Monday..Sunday), compared with ``previous`` week's days."""
    span = week_range(day)
    year, week, _ = span.start.isocalendar()
    return WeekReport(
        week=f"{year}-W{week:02d}",
        period=_period(
            schedule,
            span,
            records,
            previous,
            history,
            dispositions,
            today=today,
            status_of=status_of,
        ),
    )


def month_report(
    schedule: Schedule,
    records: Sequence[DayRecord],
    previous: Sequence[DayRecord],
    history: MetricHistory,
    dispositions: Sequence[Disposition],
    *,
    day: date,
    today: date,
    status_of: StatusOf,
) -> MonthReport:
    """The weeks overlapping ``day``'s month, compared with as many weeks before them."""
    span = month_range(day)
    period = _period(
        schedule, span, records, previous, history, dispositions, today=today, status_of=status_of
    )
    weeks = []
    for offset in range(0, len(period.days), 7):
        days = period.days[offset : offset + 7]
        weeks.append(
            WeekRow(
                start=days[0].day,
                end=days[-1].day,
                done=sum(d.done for d in days),
                total=sum(d.total for d in days),
                skipped=sum(d.skipped for d in days),
                carried=sum(d.carried for d in days),
                missed=sum(d.missed for d in days),
            )
        )
    return MonthReport(month=f"{day.year:04d}-{day.month:02d}", weeks=tuple(weeks), period=period)


def _in(records: Iterable[DayRecord], start: date, end: date) -> list[DayRecord]:
    return sorted((r for r in records if start <= r.day <= end), key=lambda r: r.day)


def _period(
    schedule: Schedule,
    span: ReportRange,
    records: Sequence[DayRecord],
    previous: Sequence[DayRecord],
    history: MetricHistory,
    dispositions: Sequence[Disposition],
    *,
    today: date,
    status_of: StatusOf,
) -> Period:
    current = _in(records, span.start, span.end)
    before = _in(previous, span.previous_start, span.previous_end)
    as_of = min(today, span.end)
    days = _day_summaries(schedule, current, span.start, span.end)
    kept = [d for d in dispositions if span.dispositions_start <= d.data_date <= span.end]
    failed = tuple(
        check for record in current for check in _failed_checks(schedule, record, history, kept)
    )
    operator = next((r.operator for r in reversed(current)), "") or next(
        (r.operator for r in reversed(before)), ""
    )
    return Period(
        schedule_id=schedule.id,
        schedule_title=schedule.title,
        operator=operator,
        start=span.start,
        end=span.end,
        as_of=as_of,
        in_progress=today <= span.end,
        previous_start=span.previous_start,
        previous_end=span.previous_end,
        days=days,
        done=sum(d.done for d in days),
        total=sum(d.total for d in days),
        previous_done=sum(r.progress()[0] for r in before),
        previous_total=sum(r.progress()[1] for r in before),
        blocks=_block_totals(current),
        not_done=tuple(item for record in current for item in _not_done(record)),
        readings=_readings(schedule, history, span.start, span.end),
        targets=_targets(schedule, history, span),
        most_skipped=_tallies(current, "skipped"),
        most_carried=_tallies(current, "carried"),
        carried_often=_carried_often(current),
        campaigns=_campaigns(schedule, as_of, status_of),
        trends=_trends(schedule, history, span),
        failed_checks=failed,
        dispositions=tuple(
            _disposition_view(schedule, d) for d in sorted(kept, key=lambda d: d.data_date)
        ),
    )


def _dates(start: date, end: date) -> Iterator[date]:
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)


def _day_summaries(
    schedule: Schedule, records: list[DayRecord], start: date, end: date
) -> tuple[DaySummary, ...]:
    by_day = {record.day: record for record in records}
    summaries = []
    for day in _dates(start, end):
        record = by_day.get(day)
        if record is None:
            summaries.append(
                DaySummary(day, schedule.calendar.is_workday(day), False, False, 0, 0, 0, 0, 0, 0)
            )
            continue
        counts = Counter(entry.status for entry in record.entries)
        summaries.append(
            DaySummary(
                day=day,
                workday=record.plan.workday,
                recorded=True,
                closed=record.closed,
                done=counts["done"],
                total=len(record.entries),
                skipped=counts["skipped"],
                carried=counts["carried"],
                missed=counts["missed"],
                open=counts["pending"],
            )
        )
    return tuple(summaries)


def _block_totals(records: list[DayRecord]) -> tuple[BlockProgress, ...]:
    """Done/total per block over the period; titles and times from the latest record."""
    seen: dict[str, BlockProgress] = {}
    for record in records:
        for block, entries in record.blocks():
            if not entries:
                continue
            done = sum(e.status == "done" for e in entries)
            old = seen.get(block.id)
            seen[block.id] = BlockProgress(
                block.id,
                block.title,
                _clock(block.start),
                _clock(block.end),
                done + (old.done if old else 0),
                len(entries) + (old.total if old else 0),
            )
    return tuple(
        sorted(seen.values(), key=lambda b: (b.start is not None, b.start or "", b.block_id))
    )


def _top_reasons(reasons: Iterable[str | None]) -> tuple[ReasonCount, ...]:
    counts = Counter(r.strip() for r in reasons if r and r.strip())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ReasonCount(reason, count) for reason, count in ranked[:TOP_REASONS])


def _by_key(records: list[DayRecord]) -> dict[str, list[tuple[date, TaskEntry]]]:
    grouped: dict[str, list[tuple[date, TaskEntry]]] = {}
    for record in records:
        for entry in record.entries:
            grouped.setdefault(entry.key, []).append((record.day, entry))
    return grouped


def skip_suggestion(skipped: int, days: int) -> str | None:
    """Advice for a step skipped on most of the days it was due, else None."""
    if skipped < SKIP_SUGGESTION_MIN_DAYS or skipped * 2 <= days:
        return None
    return (
        f"skipped {skipped} of {days} days: move it, make it rarer "
        "(repeat: every 3 days) or drop it"
    )


def _tallies(records: list[DayRecord], status: str) -> tuple[TaskTally, ...]:
    """The tasks most often skipped (or carried), with their most frequent reasons."""
    tallies = []
    for key, entries in _by_key(records).items():
        hits = [entry for _day, entry in entries if entry.status == status]
        if not hits:
            continue
        days = len({day for day, _entry in entries})
        suggestion = skip_suggestion(len(hits), days) if status == "skipped" else None
        tallies.append(
            TaskTally(
                key,
                entries[-1][1].task.title,
                len(hits),
                days,
                _top_reasons(e.reason for e in hits),
                suggestion,
            )
        )
    tallies.sort(key=lambda t: (-t.count, -t.count / t.days, t.key))
    return tuple(tallies[:TOP_TASKS])


def times_carried(entry: TaskEntry) -> int:
    """How many times an item has been pushed forward, counting a carry on this day."""
    return entry.carried_count + (1 if entry.status == "carried" else 0)


def _carried_often(records: list[DayRecord]) -> tuple[CarriedCallout, ...]:
    callouts = []
    for key, entries in _by_key(records).items():
        times = max(times_carried(entry) for _day, entry in entries)
        if times < CARRIED_CALLOUT_TIMES:
            continue
        since = min(
            entry.carried_from or day
            for day, entry in entries
            if entry.carried_from or entry.status == "carried"
        )
        last_day, last = entries[-1]
        reasons = _top_reasons(e.reason for _d, e in entries if e.status == "carried")
        callouts.append(
            CarriedCallout(key, last.task.title, times, since, last_day, last.status, reasons)
        )
    callouts.sort(key=lambda c: (-c.times, c.since, c.key))
    return tuple(callouts)


def _campaigns(schedule: Schedule, as_of: date, status_of: StatusOf) -> tuple[CampaignView, ...]:
    def as_it_was(key: str) -> tuple[str, date | None]:
        status, on = status_of(key)
        if on is not None and on > as_of:
            return "pending", None  # decided after the report's date: not yet, then
        return status, on

    return tuple(_campaign_view(c) for c in countdowns(schedule, as_of, as_it_was))


def _campaign_view(countdown: Countdown) -> CampaignView:
    upcoming = [t for t in countdown.tasks if t.status == "pending"]
    return CampaignView(
        campaign_id=countdown.campaign_id,
        title=countdown.title,
        date=countdown.date,
        days_until=countdown.days_until,
        done=countdown.done,
        total=countdown.total,
        late=tuple(CampaignItem(t.key, t.title, t.due) for t in countdown.late),
        upcoming=tuple(CampaignItem(t.key, t.title, t.due) for t in upcoming),
    )


def _readings(
    schedule: Schedule, history: MetricHistory, start: date, end: date
) -> tuple[MetricReading, ...]:
    """The period's values per data date and metric; dates without a value are left out."""
    return tuple(
        reading
        for day in _dates(start, end)
        for metric in schedule.metrics
        if (reading := _reading(schedule, metric.id, day, history)).value is not None
    )


def _values(
    schedule: Schedule, metric_id: str, start: date, end: date, history: MetricHistory
) -> list[float]:
    return [
        value
        for day in _dates(start, end)
        if (value := metric_value(schedule, metric_id, day, history)) is not None
        and math.isfinite(value)
    ]


def change_percent(current: float | None, previous: float | None) -> float | None:
    """The change from ``previous`` to ``current`` in percent of ``|previous|``."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / abs(previous) * 100


def _trends(
    schedule: Schedule, history: MetricHistory, span: ReportRange
) -> tuple[MetricTrend, ...]:
    """Every metric with a value in the period, against the period before."""
    trends = []
    for metric in schedule.metrics:
        values = _values(schedule, metric.id, span.start, span.end, history)
        if not values:
            continue
        earlier = _values(schedule, metric.id, span.previous_start, span.previous_end, history)
        avg = math.fsum(values) / len(values)
        previous_avg = math.fsum(earlier) / len(earlier) if earlier else None
        trends.append(
            MetricTrend(
                metric=metric.id,
                label=metric.label or metric.id,
                unit=metric.unit,
                currency=metric.currency,
                days=len(values),
                min=min(values),
                avg=avg,
                max=max(values),
                previous_avg=previous_avg,
                change_percent=change_percent(avg, previous_avg),
            )
        )
    return tuple(trends)


def _targets(
    schedule: Schedule, history: MetricHistory, span: ReportRange
) -> tuple[TargetView, ...]:
    views = []
    for target in schedule.targets:
        rungs = ladder(schedule, target, history, until=span.end)
        spec = schedule.metric(target.metric)
        views.append(
            TargetView(
                target_id=target.id,
                metric=target.metric,
                label=(spec.label if spec else "") or target.metric,
                unit=spec.unit if spec else "number",
                currency=spec.currency if spec else None,
                weeks=tuple(r for r in rungs if r.end >= span.start and r.start <= span.end),
                previous=next((r for r in rungs if r.end == span.start - timedelta(days=1)), None),
            )
        )
    return tuple(views)


# ------------------------------------------------------------------ formatting helpers


def _fmt(value: float | None, unit: str, currency: str | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return format_metric_value(value, unit=unit if unit in UNITS else "number", currency=currency)


def _percent(part: float, whole: float) -> str:
    if whole <= 0:
        return "—"
    shown = (Decimal(repr(part)) * 100 / Decimal(repr(whole))).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return f"{shown}%"


def _change(value: float | None) -> str:
    if value is None:
        return "—"
    shown = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return "±0.0%" if shown == 0 else f"{shown:+}%"


def _day_name(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.isoformat()}"


def _span(start: date, end: date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()
) -> list[str]:
    """A GitHub-style table; numbers are right-aligned so they line up in chat clients."""
    rule = ["---:" if index in right else "---" for index in range(len(headers))]
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _reasons_text(reasons: Sequence[ReasonCount]) -> str:
    return ", ".join(f"{r.reason} ×{r.count}" if r.count > 1 else r.reason for r in reasons) or "—"


def _carry_text(carried_from: date | None, carried_count: int) -> str:
    if carried_from is None:
        return ""
    return f"carried ×{carried_count} since {carried_from.isoformat()}"


def _disposition_text(d: DispositionView) -> str:
    if d.follow_up:
        when = f" ({d.follow_up_day.isoformat()})" if d.follow_up_day else ""
        return f"follow-up: {d.follow_up}{when}"
    return f"cause: {d.cause or '—'}"


# ------------------------------------------------------------------ markdown


def render_markdown(report: Report) -> str:
    """The report as Markdown for a chat: headings, short tables (at most six columns)."""
    if isinstance(report, DayReport):
        lines = _day_markdown(report)
    elif isinstance(report, WeekReport):
        lines = _week_markdown(report)
    else:
        lines = _month_markdown(report)
    return "\n".join(lines).rstrip() + "\n"


def _day_markdown(report: DayReport) -> list[str]:
    state = "closed" if report.closed else "open"
    if not report.workday:
        state += ", not a workday"
    if report.summary:
        state += f", {report.summary}"
    lines = [
        f"# Daily report · {_day_name(report.day)}",
        "",
        f"{report.schedule_title} · {report.operator} · {state} · "
        f"{report.done} of {report.total} done ({_percent(report.done, report.total)})",
        "",
        "## Numbers",
    ]
    for group in report.metrics:
        lines += [
            "",
            f"### {group.title or 'Other metrics'} · data for {group.data_date.isoformat()}",
            "",
        ]
        lines += _table(
            ["Metric", "Value"],
            [[r.label, _fmt(r.value, r.unit, r.currency)] for r in group.readings],
            right=[1],
        )
    lines += ["", "## Tasks by block", ""]
    if report.blocks:
        lines += _table(
            ["Block", "Time", "Done"],
            [
                [b.title, f"{b.start}–{b.end}" if b.start else "all day", f"{b.done} of {b.total}"]
                for b in report.blocks
            ],
            right=[2],
        )
    else:
        lines.append("Nothing was scheduled.")
    if report.not_done:
        lines += ["", "### Not done", ""]
        for item in report.not_done:
            extra = [
                part
                for part in (item.reason, _carry_text(item.carried_from, item.carried_count))
                if part
            ]
            tail = f" — {'; '.join(extra)}" if extra else ""
            lines.append(
                f"- {_STATUS_WORDS.get(item.status, item.status)}: {item.title} "
                f"({item.block}){tail}"
            )
    lines += ["", "## Failed checks", ""]
    lines += _failed_lines(report.failed_checks) or ["All checks passed."]
    if report.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note.title}: {note.note}" for note in report.notes]
    if report.tomorrow:
        lines += ["", "## Tomorrow", "", report.tomorrow]
    return lines


def _failed_lines(checks: Sequence[FailedCheck]) -> list[str]:
    lines = []
    for check in checks:
        lines.append(f"- {check.message} · `{check.expr}` · data for {check.data_date.isoformat()}")
        if check.dispositions:
            lines += [f"  - {_disposition_text(d)}" for d in check.dispositions]
        else:
            lines.append(
                f"  - not explained yet (opsplanner explain {check.metric} "
                f"--date {check.day.isoformat()} --cause …)"
            )
    return lines


def _completion_line(period: Period, before: str) -> str:
    now = f"{period.done} of {period.total} done ({_percent(period.done, period.total)})"
    then = _percent(period.previous_done, period.previous_total)
    return f"{now}; {before}: {then}"


def _period_header(period: Period, title: str, before: str, span: str) -> list[str]:
    state = f"as of {period.as_of.isoformat()}, in progress" if period.in_progress else "complete"
    return [
        f"# {title}",
        "",
        f"{period.schedule_title} · {period.operator or '—'} · {span} {state}",
        "",
        f"Completion: {_completion_line(period, before)}.",
    ]


def _week_markdown(report: WeekReport) -> list[str]:
    period = report.period
    lines = _period_header(
        period,
        f"Weekly report · {report.week} · {_span(period.start, period.end)}",
        "previous week",
        "week",
    )
    lines += ["", "## Sales against the target"]
    lines += _target_lines(period, weekly=True)
    lines += ["", "## Completion by day", ""]
    lines += _table(
        ["Day", "Done", "Skipped", "Carried", "Missed"],
        [_day_row(d) for d in period.days],
        right=[1, 2, 3, 4],
    )
    lines += _period_body(period, "previous week")
    return lines


def _month_markdown(report: MonthReport) -> list[str]:
    period = report.period
    weeks = len(report.weeks)
    before = f"previous {weeks} weeks"
    lines = _period_header(
        period,
        f"Monthly report · {report.month} · {_span(period.start, period.end)}",
        before,
        "month",
    )
    lines += [
        "",
        f"The month is counted in whole Monday..Sunday weeks, so it starts on "
        f"{period.start.isoformat()} and ends on {period.end.isoformat()}.",
    ]
    lines += ["", "## Completion by week", ""]
    lines += _table(
        ["Week", "Done", "Skipped", "Carried", "Missed"],
        [
            [
                _span(w.start, w.end),
                f"{w.done} of {w.total} ({_percent(w.done, w.total)})",
                str(w.skipped),
                str(w.carried),
                str(w.missed),
            ]
            if w.total
            else [_span(w.start, w.end), "no records", "", "", ""]
            for w in report.weeks
        ],
        right=[1, 2, 3, 4],
    )
    lines += ["", "## Sales against the target"]
    lines += _target_lines(period, weekly=False)
    lines += _period_body(period, before)
    return lines


def _day_row(d: DaySummary) -> list[str]:
    name = _day_name(d.day)
    if not d.recorded:
        return [name, "no record" if d.workday else "not a workday", "", "", ""]
    if not d.total:
        return [name, "not a workday" if not d.workday else "nothing scheduled", "", "", ""]
    done = f"{d.done} of {d.total} ({_percent(d.done, d.total)})"
    if d.open:
        done += f", {d.open} open"
    return [name, done, str(d.skipped), str(d.carried), str(d.missed)]


def _target_lines(period: Period, *, weekly: bool) -> list[str]:
    if not period.targets:
        return ["", "No weekly target in the schedule."]
    lines: list[str] = []
    for view in period.targets:
        rows = []
        rungs = ([view.previous] if view.previous and weekly else []) + list(view.weeks)
        for rung in rungs:
            name = f"Week {rung.number}: {_span(rung.start, rung.end)}"
            if weekly:
                name = (
                    "This week" if rung.start == period.start else "Previous week"
                ) + f" (week {rung.number})"
            rows.append(
                [
                    name,
                    _fmt(rung.target, view.unit, view.currency),
                    _fmt(rung.actual, view.unit, view.currency),
                    _percent(rung.actual, rung.target) if rung.actual is not None else "—",
                    f"{rung.days_with_data} of 7",
                ]
            )
        lines += ["", f"{view.label}, summed Monday..Sunday, against the weekly ladder:", ""]
        if rows:
            lines += _table(
                ["Week", "Target", "Actual", "Of target", "Days with data"],
                rows,
                right=[1, 2, 3, 4],
            )
        else:
            lines.append("The target starts after this period.")
        capped = next((r for r in view.weeks if r.cap_reached_here), None)
        if capped is not None:
            lines += ["", f"The target reaches its cap in week {capped.number}."]
        current = next((r for r in view.weeks if r.start <= period.as_of <= r.end), None)
        if period.in_progress and current is not None and current.actual is not None:
            left = current.target - current.actual
            if left > 0:
                lines += ["", f"{_fmt(left, view.unit, view.currency)} to go this week."]
    return lines


def _period_body(period: Period, before: str) -> list[str]:
    lines = ["", "## Completion by block", ""]
    if period.blocks:
        lines += _table(
            ["Block", "Done", "Share"],
            [[b.title, f"{b.done} of {b.total}", _percent(b.done, b.total)] for b in period.blocks],
            right=[1, 2],
        )
    else:
        lines.append("No recorded days.")
    lines += ["", "## Most skipped", ""]
    if period.most_skipped:
        lines += _table(
            ["Task", "Skipped", "Top reasons"],
            [
                [t.title, f"{t.count} of {t.days} days", _reasons_text(t.reasons)]
                for t in period.most_skipped
            ],
            right=[1],
        )
        habits = [t for t in period.most_skipped if t.suggestion]
        if habits:
            lines.append("")
            lines += [f"- {t.title}: {t.suggestion}" for t in habits]
    else:
        lines.append("Nothing was skipped.")
    lines += ["", "## Most carried", ""]
    if period.most_carried:
        lines += _table(
            ["Task", "Carried", "Top reasons"],
            [
                [t.title, f"{t.count} of {t.days} days", _reasons_text(t.reasons)]
                for t in period.most_carried
            ],
            right=[1],
        )
    else:
        lines.append("Nothing was carried over.")
    if period.carried_often:
        lines += ["", f"### Carried {CARRIED_CALLOUT_TIMES} or more times", ""]
        for c in period.carried_often:
            why = f" ({_reasons_text(c.reasons)})" if c.reasons else ""
            status = _STATUS_WORDS.get(c.last_status, c.last_status).lower()
            advice = "" if c.last_status == "done" else " Do it, give it a fixed date, or drop it."
            lines.append(
                f"- {c.title}: carried {c.times} times since {c.since.isoformat()}"
                f"{why}; {status} on {c.last_day.isoformat()}.{advice}"
            )
    lines += ["", "## Campaigns", ""]
    lines += _campaign_lines(period.campaigns) or ["No campaign in the countdown window."]
    lines += ["", "## Metric trends", ""]
    if period.trends:
        lines += _table(
            ["Metric", "Min", "Avg", "Max", f"Avg vs {before}"],
            [
                [
                    t.label,
                    _fmt(t.min, t.unit, t.currency),
                    _fmt(t.avg, t.unit, t.currency),
                    _fmt(t.max, t.unit, t.currency),
                    _change(t.change_percent),
                ]
                for t in period.trends
            ],
            right=[1, 2, 3, 4],
        )
    else:
        lines.append("No metric values in this period.")
    lines += ["", "## Failed checks", ""]
    lines += _check_tally_lines(period.failed_checks) or ["No check failed."]
    lines += ["", "## Dispositions", ""]
    if period.dispositions:
        lines += [
            f"- {d.data_date.isoformat()} · {d.label} · `{d.checks}` · {_disposition_text(d)}"
            for d in period.dispositions
        ]
    else:
        lines.append("No failed check was explained yet.")
    return lines


def _campaign_lines(campaigns: Sequence[CampaignView]) -> list[str]:
    lines = []
    for c in campaigns:
        if c.days_until > 0:
            when = f"in {c.days_until} days"
        elif c.days_until == 0:
            when = "today"
        else:
            when = f"{-c.days_until} days ago"
        lines.append(
            f"- {c.title} · {c.date.isoformat()} ({when}) · {c.done} of {c.total} preparations done"
        )
        for label, items in (("Late", c.late), ("Next", c.upcoming)):
            if not items:
                continue
            lines.append(f"  - {label} ({len(items)}):")
            lines += [f"    - {i.due.isoformat()} {i.title}" for i in items[:CAMPAIGN_ITEMS]]
            if len(items) > CAMPAIGN_ITEMS:
                lines.append(f"    - and {len(items) - CAMPAIGN_ITEMS} more")
    return lines


def _check_tally_lines(checks: Sequence[FailedCheck]) -> list[str]:
    """Failed checks grouped by check: on how many data dates, and how many explained."""
    grouped: dict[tuple[str, str], dict[date, bool]] = {}
    labels: dict[tuple[str, str], str] = {}
    for check in checks:
        key = (check.metric, check.expr)
        labels[key] = check.label
        dates = grouped.setdefault(key, {})
        dates[check.data_date] = dates.get(check.data_date, False) or bool(check.dispositions)
    if not grouped:
        return []
    ranked = sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))
    return _table(
        ["Metric", "Check", "Failed on", "Explained"],
        [
            [
                labels[key],
                f"`{key[1]}`",
                f"{len(dates)} days" if len(dates) != 1 else "1 day",
                f"{sum(dates.values())} of {len(dates)}",
            ]
            for key, dates in ranked
        ],
        right=[2, 3],
    )


# ------------------------------------------------------------------ CSV


def render_csv(report: Report) -> bytes:
    """Rows for a spreadsheet, UTF-8 with a BOM so Excel shows Chinese text.

    Columns are :data:`CSV_COLUMNS`; numbers are plain (no currency or grouping) so Excel
    reads them as numbers, and the formatted form is in ``note``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(report))
    return buffer.getvalue().encode("utf-8-sig")


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _csv_rows(report: Report) -> Iterator[list[str]]:
    if isinstance(report, DayReport):
        yield from _csv_day(report)
        return
    period = report.period
    for day in period.days:
        state = "no record" if not day.recorded else ("workday" if day.workday else "not a workday")
        yield [
            "day",
            day.day.isoformat(),
            "",
            "",
            state,
            str(day.done),
            str(day.total),
            f"skipped {day.skipped}, carried {day.carried}, missed {day.missed}",
        ]
    for view in period.targets:
        for rung in view.weeks:
            yield [
                "target",
                rung.start.isoformat(),
                "",
                view.target_id,
                view.label,
                _number(rung.actual),
                _number(rung.target),
                f"week {rung.number}, "
                f"{_percent(rung.actual, rung.target) if rung.actual is not None else '—'}"
                " of target",
            ]
    for r in period.readings:
        yield _csv_reading(r)
    for item in period.not_done:
        yield _csv_item(item)
    for trend in period.trends:
        yield [
            "trend",
            period.start.isoformat(),
            "",
            trend.metric,
            trend.label,
            _number(trend.avg),
            "",
            f"min {_number(trend.min)}, max {_number(trend.max)}, {trend.days} days, "
            f"average vs before {_change(trend.change_percent)}",
        ]
    for check in period.failed_checks:
        yield from _csv_check(check)
    for d in period.dispositions:
        yield _csv_disposition(d)


def _csv_reading(r: MetricReading) -> list[str]:
    return [
        "metric",
        r.data_date.isoformat(),
        "",
        r.metric,
        r.label,
        _number(r.value),
        "",
        _fmt(r.value, r.unit, r.currency),
    ]


def _csv_item(item: ItemView) -> list[str]:
    note = "; ".join(
        p for p in (item.reason, _carry_text(item.carried_from, item.carried_count)) if p
    )
    return ["task", item.day.isoformat(), item.block, item.key, item.title, item.status, "", note]


def _csv_day(report: DayReport) -> Iterator[list[str]]:
    for group in report.metrics:
        for r in group.readings:
            yield _csv_reading(r)
    for block in report.blocks:
        yield [
            "block",
            report.day.isoformat(),
            block.title,
            block.block_id,
            block.title,
            str(block.done),
            str(block.total),
            "",
        ]
    for item in report.not_done:
        yield _csv_item(item)
    for check in report.failed_checks:
        yield from _csv_check(check)
    for note in report.notes:
        yield ["note", report.day.isoformat(), "", note.key, note.title, "", "", note.note]
    if report.tomorrow:
        yield ["tomorrow", report.day.isoformat(), "", "", "", "", "", report.tomorrow]


def _csv_check(check: FailedCheck) -> Iterator[list[str]]:
    yield [
        "check",
        check.data_date.isoformat(),
        "",
        check.metric,
        check.expr,
        "fail",
        "",
        check.message,
    ]
    for d in check.dispositions:
        yield _csv_disposition(d)


def _csv_disposition(d: DispositionView) -> list[str]:
    kind = "follow-up" if d.follow_up else "cause"
    return [
        "disposition",
        d.data_date.isoformat(),
        "",
        d.metric,
        d.checks,
        kind,
        "",
        _disposition_text(d),
    ]


# ------------------------------------------------------------------ JSON


def render_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: dates as ISO strings, raw numbers with their unit.

    A week or month report's period fields sit at the top level, next to ``kind``.
    """
    if isinstance(report, DayReport):
        return {"kind": "day", **_jsonable(report)}
    data = _jsonable(report)
    period = data.pop("period")
    kind = "week" if isinstance(report, WeekReport) else "month"
    return {"kind": kind, **data, **period}


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
