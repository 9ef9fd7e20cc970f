"""Renders a report as Markdown to paste into a chat: headings and short tables.

Text from templates and from what anyone typed goes through `_md`: one line, control
characters escaped (`opsplanner.safe_text`), Markdown syntax backslash-escaped, so a reason
cannot add a heading, a table row, a link or emphasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

from opsplanner.planner.reports.model import (
    CARRIED_CALLOUT_TIMES,
    CampaignView,
    DayReport,
    DaySummary,
    FailedCheck,
    MonthReport,
    Period,
    ReasonCount,
    Report,
    WeekReport,
)
from opsplanner.planner.reports.text import (
    carry_text,
    change_text,
    day_name,
    disposition_text,
    percent_text,
    span_text,
    value_text,
)
from opsplanner.safe_text import one_line, shown

CAMPAIGN_ITEMS: Final = 5
"""Late or upcoming campaign tasks listed per campaign before "and N more"."""

_STATUS_WORDS: Final = {
    "pending": "Open",
    "done": "Done",
    "skipped": "Skipped",
    "carried": "Carried",
    "missed": "Missed",
}


def render_markdown(report: Report) -> str:
    """The report as Markdown for a chat: headings, short tables (at most six columns)."""
    if isinstance(report, DayReport):
        lines = _day_markdown(report)
    elif isinstance(report, WeekReport):
        lines = _week_markdown(report)
    else:
        lines = _month_markdown(report)
    return "\n".join(lines).rstrip() + "\n"


_INLINE_SYNTAX: Final = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START_MARK: Final = re.compile(r"^(\s*)([#>+=-])")
_LINE_START_NUMBER: Final = re.compile(r"^(\s*[0-9]+)([.)])")


def _md(text: str) -> str:
    """User or template text within a Markdown line, shown as typed and nothing more."""
    return _md_line(one_line(text).strip())


def _md_line(line: str) -> str:
    """Backslash before the characters that would make `line` emphasis, code, a link, HTML
    or a table cell's end, and before a heading, quote, list or rule marker at its start."""
    line = _INLINE_SYNTAX.sub(r"\\\1", line)
    line = _LINE_START_MARK.sub(r"\1\\\2", line)
    return _LINE_START_NUMBER.sub(r"\1\\\2", line)


def _md_block(text: str) -> list[str]:
    """Typed text of several lines (notes for tomorrow), each line escaped the same way."""
    return [_md_line(line) for line in shown(text).split("\n")]


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()
) -> list[str]:
    """A GitHub-style table; numbers are right-aligned so they line up in chat clients.
    Cells holding typed or template text come escaped (`_md`)."""
    rule = ["---:" if index in right else "---" for index in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _reasons_text(reasons: Sequence[ReasonCount]) -> str:
    return (
        ", ".join(f"{_md(r.reason)} ×{r.count}" if r.count > 1 else _md(r.reason) for r in reasons)
        or "—"
    )


def _day_markdown(report: DayReport) -> list[str]:
    state = "closed" if report.closed else "open"
    if not report.workday:
        state += ", not a workday"
    if report.summary:
        state += f", {report.summary}"
    lines = [
        f"# Daily report · {day_name(report.day)}",
        "",
        f"{_md(report.schedule_title)} · {_md(report.operator)} · {state} · "
        f"{report.done} of {report.total} done ({percent_text(report.done, report.total)})",
        "",
        "## Numbers",
    ]
    for group in report.metrics:
        lines += [
            "",
            f"### {_md(group.title) if group.title else 'Other metrics'} · data for "
            f"{group.data_date.isoformat()}",
            "",
        ]
        lines += _table(
            ["Metric", "Value"],
            [[_md(r.label), value_text(r.value, r.unit, r.currency)] for r in group.readings],
            right=[1],
        )
    lines += ["", "## Tasks by block", ""]
    if report.blocks:
        lines += _table(
            ["Block", "Time", "Done"],
            [
                [
                    _md(b.title),
                    f"{b.start}–{b.end}" if b.start else "all day",
                    f"{b.done} of {b.total}",
                ]
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
                for part in (item.reason, carry_text(item.carried_from, item.carried_count))
                if part
            ]
            tail = f" — {_md('; '.join(extra))}" if extra else ""
            lines.append(
                f"- {_STATUS_WORDS.get(item.status, item.status)}: {_md(item.title)} "
                f"({_md(item.block)}){tail}"
            )
    lines += ["", "## Failed checks", ""]
    lines += _failed_lines(report.failed_checks) or ["All checks passed."]
    if report.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {_md(note.title)}: {_md(note.note)}" for note in report.notes]
    if report.tomorrow:
        lines += ["", "## Tomorrow", "", *_md_block(report.tomorrow)]
    return lines


def _failed_lines(checks: Sequence[FailedCheck]) -> list[str]:
    lines = []
    for check in checks:
        lines.append(
            f"- {_md(check.message)} · `{one_line(check.expr)}` · "
            f"data for {check.data_date.isoformat()}"
        )
        if check.dispositions:
            lines += [f"  - {_md(disposition_text(d))}" for d in check.dispositions]
        else:
            lines.append(
                f"  - not explained yet (opsplanner explain {check.metric} "
                f"--date {check.day.isoformat()} --cause …)"
            )
    return lines


def _completion_line(period: Period, before: str) -> str:
    now = f"{period.done} of {period.total} done ({percent_text(period.done, period.total)})"
    then = percent_text(period.previous_done, period.previous_total)
    return f"{now}; {before}: {then}"


def _period_header(period: Period, title: str, before: str, span: str) -> list[str]:
    state = f"as of {period.as_of.isoformat()}, in progress" if period.in_progress else "complete"
    return [
        f"# {title}",
        "",
        f"{_md(period.schedule_title)} · {_md(period.operator or '—')} · {span} {state}",
        "",
        f"Completion: {_completion_line(period, before)}.",
    ]


def _week_markdown(report: WeekReport) -> list[str]:
    period = report.period
    lines = _period_header(
        period,
        f"Weekly report · {report.week} · {span_text(period.start, period.end)}",
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
        f"Monthly report · {report.month} · {span_text(period.start, period.end)}",
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
                span_text(w.start, w.end),
                f"{w.done} of {w.total} ({percent_text(w.done, w.total)})",
                str(w.skipped),
                str(w.carried),
                str(w.missed),
            ]
            if w.total
            else [span_text(w.start, w.end), "no records", "", "", ""]
            for w in report.weeks
        ],
        right=[1, 2, 3, 4],
    )
    lines += ["", "## Sales against the target"]
    lines += _target_lines(period, weekly=False)
    lines += _period_body(period, before)
    return lines


def _day_row(d: DaySummary) -> list[str]:
    name = day_name(d.day)
    if not d.recorded:
        return [name, "no record" if d.workday else "not a workday", "", "", ""]
    if not d.total:
        return [name, "not a workday" if not d.workday else "nothing scheduled", "", "", ""]
    done = f"{d.done} of {d.total} ({percent_text(d.done, d.total)})"
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
            name = f"Week {rung.number}: {span_text(rung.start, rung.end)}"
            if weekly:
                name = (
                    "This week" if rung.start == period.start else "Previous week"
                ) + f" (week {rung.number})"
            rows.append(
                [
                    name,
                    value_text(rung.target, view.unit, view.currency),
                    value_text(rung.actual, view.unit, view.currency),
                    percent_text(rung.actual, rung.target) if rung.actual is not None else "—",
                    f"{rung.days_with_data} of 7",
                ]
            )
        lines += ["", f"{_md(view.label)}, summed Monday..Sunday, against the weekly ladder:", ""]
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
                lines += ["", f"{value_text(left, view.unit, view.currency)} to go this week."]
    return lines


def _period_body(period: Period, before: str) -> list[str]:
    lines = ["", "## Completion by block", ""]
    if period.blocks:
        lines += _table(
            ["Block", "Done", "Share"],
            [
                [_md(b.title), f"{b.done} of {b.total}", percent_text(b.done, b.total)]
                for b in period.blocks
            ],
            right=[1, 2],
        )
    else:
        lines.append("No recorded days.")
    lines += ["", "## Most skipped", ""]
    if period.most_skipped:
        lines += _table(
            ["Task", "Skipped", "Top reasons"],
            [
                [_md(t.title), f"{t.count} of {t.days} days", _reasons_text(t.reasons)]
                for t in period.most_skipped
            ],
            right=[1],
        )
        habits = [t for t in period.most_skipped if t.suggestion]
        if habits:
            lines.append("")
            lines += [f"- {_md(t.title)}: {t.suggestion}" for t in habits]
    else:
        lines.append("Nothing was skipped.")
    lines += ["", "## Most carried", ""]
    if period.most_carried:
        lines += _table(
            ["Task", "Carried", "Top reasons"],
            [
                [_md(t.title), f"{t.count} of {t.days} days", _reasons_text(t.reasons)]
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
                f"- {_md(c.title)}: carried {c.times} times since {c.since.isoformat()}"
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
                    _md(t.label),
                    value_text(t.min, t.unit, t.currency),
                    value_text(t.avg, t.unit, t.currency),
                    value_text(t.max, t.unit, t.currency),
                    change_text(t.change_percent),
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
            f"- {d.data_date.isoformat()} · {_md(d.label)} · `{one_line(d.checks)}` · "
            f"{_md(disposition_text(d))}"
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
            f"- {_md(c.title)} · {c.date.isoformat()} ({when}) · {c.done} of {c.total} "
            "preparations done"
        )
        for label, items in (("Late", c.late), ("Next", c.upcoming)):
            if not items:
                continue
            lines.append(f"  - {label} ({len(items)}):")
            lines += [f"    - {i.due.isoformat()} {_md(i.title)}" for i in items[:CAMPAIGN_ITEMS]]
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
                _md(labels[key]),
                f"`{one_line(key[1])}`",
                f"{len(dates)} days" if len(dates) != 1 else "1 day",
                f"{sum(dates.values())} of {len(dates)}",
            ]
            for key, dates in ranked
        ],
        right=[2, 3],
    )
