"""Daily, weekly and monthly reports: what was done, what the numbers were, and why.

The operator's habit (seed 004) is a daily report table — date, page views, visitors, sales,
orders, conversion rate, bounce rates — plus a note of what is done, why the rest is not and
what must happen tomorrow; at the end of the week a sales summary against the target ladder.
These functions turn recorded days into that report, as plain frozen data, and render it as
Markdown (pasted into a chat), CSV (opened in Excel) or JSON (scripts).

Pure: no I/O, no Textual, no SQL. The caller loads only the date range a report needs (see
:func:`week_range`, :func:`month_range`), so a report over ten
years of history costs the same as one over a year.

One module per reason to change: ``model`` (the report data), ``ranges`` (what to load),
``build_day`` and ``build_period`` (building), ``text`` (wording the renderers share), and
one renderer each in ``to_markdown``, ``to_csv`` and ``to_json``. Import from this package.

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
- A month report covers the calendar month (its 1st to its last day) and compares it with the
  calendar month before. Its completion by week has a row per Monday..Sunday week overlapping
  the month, a partial week counting only its days in the month (the rows add up to the
  month); its sales ladder lists the same weeks whole, target and actual over Monday..Sunday,
  since a weekly target cannot be split by day — the report says both.
- Reports speak the current language (`opsplanner.i18n`): headings, labels, notes, check
  messages, the CSV header and its section and status words, weekdays. Template text and what
  the operator typed are shown as written; JSON keys and its values meant for scripts (ids,
  statuses, dates, raw numbers) stay as they are in every language.
"""

from __future__ import annotations

from opsplanner.planner.reports.build_day import day_report
from opsplanner.planner.reports.build_period import (
    SKIP_SUGGESTION_MIN_DAYS,
    TOP_REASONS,
    TOP_TASKS,
    change_percent,
    month_report,
    skip_suggestion,
    times_carried,
    week_report,
)
from opsplanner.planner.reports.model import (
    CARRIED_CALLOUT_TIMES,
    BlockProgress,
    CampaignItem,
    CampaignView,
    CarriedCallout,
    DayReport,
    DaySummary,
    DispositionView,
    FailedCheck,
    ItemView,
    MetricGroup,
    MetricReading,
    MetricTrend,
    MonthReport,
    Period,
    ReasonCount,
    Report,
    TargetView,
    TaskNote,
    TaskTally,
    WeekReport,
    WeekRow,
)
from opsplanner.planner.reports.ranges import (
    ReportRange,
    campaign_window,
    metrics_to_load,
    month_range,
    status_from_records,
    week_range,
)
from opsplanner.planner.reports.to_csv import CSV_COLUMNS, render_csv
from opsplanner.planner.reports.to_json import render_json
from opsplanner.planner.reports.to_markdown import CAMPAIGN_ITEMS, render_markdown

__all__ = [
    "CAMPAIGN_ITEMS",
    "CARRIED_CALLOUT_TIMES",
    "CSV_COLUMNS",
    "SKIP_SUGGESTION_MIN_DAYS",
    "TOP_REASONS",
    "TOP_TASKS",
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
    "Report",
    "ReportRange",
    "TargetView",
    "TaskNote",
    "TaskTally",
    "WeekReport",
    "WeekRow",
    "campaign_window",
    "change_percent",
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
