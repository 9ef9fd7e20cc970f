"""Builds the week and month reports: completion, habits, campaigns and numbers over a period,
compared with the period before it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Final

from opsplanner.i18n import _
from opsplanner.planner.campaigns import Countdown, StatusOf, countdowns
from opsplanner.planner.metrics import MetricHistory, metric_value
from opsplanner.planner.record import DayRecord, Disposition, TaskEntry, shown_remark
from opsplanner.planner.reports.build_day import (
    clock,
    disposition_view,
    failing_checks,
    items_not_done,
    metric_label,
    metric_reading,
)
from opsplanner.planner.reports.model import (
    CARRIED_CALLOUT_TIMES,
    BlockProgress,
    CampaignItem,
    CampaignView,
    CarriedCallout,
    DaySummary,
    MetricReading,
    MetricTrend,
    MonthReport,
    Period,
    ReasonCount,
    TargetView,
    TaskTally,
    WeekReport,
    WeekRow,
)
from opsplanner.planner.reports.ranges import ReportRange, month_range, week_range, weeks_between
from opsplanner.planner.targets import ladder
from opsplanner.schedule.models import Schedule

SKIP_SUGGESTION_MIN_DAYS: Final = 3
"""A task must be skipped on at least this many days before the report suggests changing it."""

TOP_TASKS: Final = 5
"""How many tasks the most-skipped and most-carried lists show: a short list gets read."""

TOP_REASONS: Final = 3
"""How many reasons are shown per task, most frequent first."""


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
    started: date | None = None,
) -> WeekReport:
    """The week containing ``day`` (Monday..Sunday), compared with ``previous`` week's days."""
    span = week_range(day)
    year, week, __ = span.start.isocalendar()
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
            started=started,
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
    started: date | None = None,
) -> MonthReport:
    """The calendar month containing ``day``, compared with the month before it, with a row
    per Monday..Sunday week overlapping it. A week straddling the month's first or last day
    counts only its days in the month in that row (so the rows add up to the month); the
    sales ladder counts such a week whole, as its target is for Monday..Sunday."""
    span = month_range(day)
    period = _period(
        schedule,
        span,
        records,
        previous,
        history,
        dispositions,
        today=today,
        status_of=status_of,
        started=started,
    )
    weeks = []
    for first, last in weeks_between(span.start, span.end):
        days = [d for d in period.days if first <= d.day <= last]
        weeks.append(
            WeekRow(
                start=first,
                end=last,
                days=len(days),
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
    started: date | None,
) -> Period:
    current = _in(records, span.start, span.end)
    before = _in(previous, span.previous_start, span.previous_end)
    as_of = min(today, span.end)
    days = _day_summaries(schedule, current, span.start, span.end)
    kept = [d for d in dispositions if span.dispositions_start <= d.data_date <= span.end]
    failed = tuple(
        check for record in current for check in failing_checks(schedule, record, history, kept)
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
        not_done=tuple(item for record in current for item in items_not_done(record)),
        readings=_readings(schedule, history, span.start, span.end),
        targets=_targets(schedule, history, span),
        most_skipped=_tallies(current, "skipped"),
        most_carried=_tallies(current, "carried"),
        carried_often=_carried_often(current),
        campaigns=_campaigns(schedule, as_of, status_of, started),
        trends=_trends(schedule, history, span),
        failed_checks=failed,
        dispositions=tuple(
            disposition_view(schedule, d) for d in sorted(kept, key=lambda d: d.data_date)
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
                block.shown_title,
                clock(block.start),
                clock(block.end),
                done + (old.done if old else 0),
                len(entries) + (old.total if old else 0),
            )
    return tuple(
        sorted(seen.values(), key=lambda b: (b.start is not None, b.start or "", b.block_id))
    )


def _top_reasons(reasons: Iterable[str | None]) -> tuple[ReasonCount, ...]:
    counts = Counter(shown_remark(r.strip()) for r in reasons if r and r.strip())
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
    return _(
        "skipped {count} of {days} days: move it, make it rarer (repeat: every 3 days) or drop it"
    ).format(count=skipped, days=days)


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


def _campaigns(
    schedule: Schedule, as_of: date, status_of: StatusOf, started: date | None
) -> tuple[CampaignView, ...]:
    """The countdowns as they stood on ``as_of``; ``started``: the user's first day."""

    def as_it_was(key: str) -> tuple[str, date | None]:
        status, on = status_of(key)
        if on is not None and on > as_of:
            return "pending", None  # decided after the report's date: not yet, then
        return status, on

    shown = countdowns(schedule, as_of, as_it_was, started=started)
    return tuple(_campaign_view(c) for c in shown)


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
        if (reading := metric_reading(schedule, metric.id, day, history)).value is not None
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
                label=metric_label(metric, metric.id),
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
                label=metric_label(spec, target.metric),
                unit=spec.unit if spec else "number",
                currency=spec.currency if spec else None,
                weeks=tuple(r for r in rungs if r.end >= span.start and r.start <= span.end),
                previous=next((r for r in rungs if r.end == span.start - timedelta(days=1)), None),
            )
        )
    return tuple(views)
