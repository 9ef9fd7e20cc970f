"""Builds the daily report from one recorded day; the pieces a day contributes (readings,
items not done, failed checks) are reused by the week and month reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, time

from opsplanner.planner.day import EXTRA_BLOCK_TITLES, block_title
from opsplanner.planner.failures import covers
from opsplanner.planner.metrics import MetricHistory, checks_by_date, data_dates, metric_value
from opsplanner.planner.record import DayRecord, Disposition, shown_remark
from opsplanner.planner.reports.model import (
    BlockProgress,
    DayReport,
    DispositionView,
    FailedCheck,
    ItemView,
    MetricGroup,
    MetricReading,
    TaskNote,
)
from opsplanner.schedule.models import Metric, Schedule


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
            block.shown_title,
            clock(block.start),
            clock(block.end),
            sum(e.status == "done" for e in entries),
            len(entries),
        )
        for block, entries in record.blocks()
        if entries
    )
    not_done = items_not_done(record)
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
        summary=shown_remark(record.summary),
        done=done,
        total=total,
        metrics=_metric_groups(schedule, record, history),
        blocks=blocks,
        not_done=not_done,
        failed_checks=failing_checks(schedule, record, history, dispositions),
        notes=notes,
        tomorrow=record.tomorrow,
    )


def metric_label(spec: Metric | None, metric_id: str) -> str:
    """The metric's label, else its id (a metric gone from the schedule, or one without one)."""
    return (spec.label if spec else "") or metric_id


def clock(moment: time | None) -> str | None:
    """A block's time as "08:30"; None for the all-day blocks."""
    return moment.strftime("%H:%M") if moment is not None else None


def _block_titles(record: DayRecord) -> dict[str, str]:
    """Block titles by id, as shown (opsplanner's own all-day blocks translated)."""
    titles = dict(EXTRA_BLOCK_TITLES)
    titles.update({block.id: block.title for block in record.plan.blocks})
    return {block_id: block_title(block_id, title) for block_id, title in titles.items()}


def items_not_done(record: DayRecord) -> tuple[ItemView, ...]:
    """Items left undone on a day, in block order, with their reasons."""
    titles = _block_titles(record)
    return tuple(
        ItemView(
            record.day,
            entry.key,
            entry.task.title,
            titles.get(entry.task.block_id, entry.task.block_id),
            entry.status,
            shown_remark(entry.reason),
            entry.carried_from,
            entry.carried_count,
        )
        for _block, entries in record.blocks()
        for entry in entries
        if entry.status != "done"
    )


def metric_reading(
    schedule: Schedule, metric_id: str, on: date, history: MetricHistory
) -> MetricReading:
    """One metric on one data date, labelled and with its unit; a non-finite value is None."""
    spec = schedule.metric(metric_id)
    value = metric_value(schedule, metric_id, on, history)
    if value is not None and not math.isfinite(value):
        value = None
    return MetricReading(
        metric=metric_id,
        label=metric_label(spec, metric_id),
        data_date=on,
        value=value,
        unit=spec.unit if spec else "number",
        currency=spec.currency if spec else None,
    )


def _metric_groups(
    schedule: Schedule, record: DayRecord, history: MetricHistory
) -> tuple[MetricGroup, ...]:
    """Every metric, grouped by the task that reads it, for each of that task's data dates
    (Monday's store data: Saturday's and Sunday's, one group each)."""
    placed: dict[str, tuple[str, str | None, tuple[date, ...]]] = {}
    for entry in record.entries:
        dates = data_dates(entry.task, schedule, record.day)
        for name in entry.task.metrics:
            placed.setdefault(name, (entry.task.title, entry.key, dates))
    for task in schedule.tasks():
        dates = data_dates(task, schedule, record.day)
        for name in task.metrics:
            placed.setdefault(name, (task.title, task.id, dates))
    for metric in schedule.metrics:
        placed.setdefault(metric.id, ("", None, (record.day,)))
    groups: dict[tuple[str | None, date], tuple[str, list[MetricReading]]] = {}
    for name, (title, key, dates) in placed.items():
        for on in dates:
            group = groups.setdefault((key, on), (title, []))
            group[1].append(metric_reading(schedule, name, on, history))
    return tuple(
        MetricGroup(title, key, on, tuple(readings))
        for (key, on), (title, readings) in groups.items()
    )


def disposition_view(schedule: Schedule, disposition: Disposition) -> DispositionView:
    """A recorded disposition with its metric's label, as the reports show it."""
    spec = schedule.metric(disposition.metric)
    return DispositionView(
        metric=disposition.metric,
        label=metric_label(spec, disposition.metric),
        data_date=disposition.data_date,
        checks=disposition.checks,
        cause=disposition.cause,
        follow_up=disposition.follow_up,
        follow_up_day=disposition.follow_up_day,
    )


def failing_checks(
    schedule: Schedule,
    record: DayRecord,
    history: MetricHistory,
    dispositions: Sequence[Disposition],
) -> tuple[FailedCheck, ...]:
    """Every failing check of the day, each with the dispositions that explain it (the rule
    of `planner.failures.covers`, as the tick asks)."""
    failed: list[FailedCheck] = []
    for entry in record.entries:
        if not entry.task.checks:
            continue
        for dated in checks_by_date(entry.task, schedule, record.day, history):
            on = dated.data_date
            for check, result in zip(entry.task.checks, dated.results, strict=True):
                if result.status != "fail":
                    continue
                decided = tuple(
                    disposition_view(schedule, d) for d in dispositions if covers(d, check, on)
                )
                failed.append(
                    FailedCheck(
                        day=record.day,
                        task=entry.key,
                        task_title=entry.task.title,
                        metric=check.metric,
                        label=metric_label(schedule.metric(check.metric), check.metric),
                        data_date=on,
                        expr=result.expr,
                        message=result.message,
                        dispositions=decided,
                    )
                )
    return tuple(failed)
