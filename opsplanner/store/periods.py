"""Load exactly the date ranges a week or month report needs (the CLI and the TUI share it).

Only the period, the one before it, the look-back of the checks and the running campaigns
are read, so a report costs the same on the thousandth day as on the tenth.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from opsplanner.planner import reports
from opsplanner.planner.record import DayRecord
from opsplanner.schedule.models import Schedule
from opsplanner.store.reader import Reader


def load_period_report(
    store: Reader, schedule: Schedule, period: Literal["week", "month"], day: date, today: date
) -> reports.WeekReport | reports.MonthReport:
    """The week or month containing `day`, as of `today`."""
    span = reports.week_range(day) if period == "week" else reports.month_range(day)
    loaded = store.days_between(span.previous_start, span.end)
    history = store.metric_history(
        reports.metrics_to_load(schedule, loaded), span.history_start, span.end
    )
    dispositions = store.dispositions(span.dispositions_start, span.end)
    campaign_days: list[DayRecord] = []
    window = reports.campaign_window(schedule, min(today, span.end))
    if window is not None:
        first, last = window
        campaign_days = [r for r in loaded if first <= r.day <= last]
        if first < span.previous_start:
            campaign_days += store.days_between(
                first, min(last, span.previous_start - timedelta(days=1))
            )
    build = reports.week_report if period == "week" else reports.month_report
    return build(
        schedule,
        [r for r in loaded if r.day >= span.start],
        [r for r in loaded if r.day < span.start],
        history,
        dispositions,
        day=day,
        today=today,
        status_of=reports.status_from_records(campaign_days),
    )
