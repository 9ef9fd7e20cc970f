"""Renders a report as Markdown to paste into a chat: headings and short tables, in the
current language.

Text from templates and from what anyone typed goes through `_md`: one line, control
characters escaped (`opsplanner.safe_text`), Markdown syntax backslash-escaped, so a reason
cannot add a heading, a table row, a link or emphasis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

from opsplanner.i18n import N_, _, ngettext
from opsplanner.planner.campaigns import countdown_text
from opsplanner.planner.reports.model import (
    CARRIED_CALLOUT_TIMES,
    CampaignView,
    CarriedCallout,
    DayReport,
    DaySummary,
    FailedCheck,
    MonthReport,
    Period,
    ReasonCount,
    Report,
    WeekReport,
    WeekRow,
)
from opsplanner.planner.reports.text import (
    carry_text,
    change_text,
    day_name,
    disposition_text,
    done_of,
    percent_text,
    span_text,
    value_text,
)
from opsplanner.planner.targets import pause_text
from opsplanner.planner.wording import clauses, listed
from opsplanner.safe_text import one_line, shown

CAMPAIGN_ITEMS: Final = 5
"""Late or upcoming campaign tasks listed per campaign before "and N more"."""

_STATUS_WORDS: Final = {
    "pending": N_("Open"),
    "done": N_("Done"),
    "skipped": N_("Skipped"),
    "carried": N_("Carried"),
    "missed": N_("Missed"),
}


def _status_word(status: str) -> str:
    word = _STATUS_WORDS.get(status)
    return _(word) if word else status


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
        listed([f"{_md(r.reason)} ×{r.count}" if r.count > 1 else _md(r.reason) for r in reasons])
        or "—"
    )


def _day_markdown(report: DayReport) -> list[str]:
    state = [_("closed") if report.closed else _("open")]
    if not report.workday:
        state.append(_("not a workday"))
    if report.summary:
        state.append(report.summary)
    done = _("{done} of {total} done ({percent})").format(
        done=report.done, total=report.total, percent=percent_text(report.done, report.total)
    )
    lines = [
        "# " + _("Daily report · {day}").format(day=day_name(report.day)),
        "",
        f"{_md(report.schedule_title)} · {_md(report.operator)} · {_md(listed(state))} · {done}",
        "",
        "## " + _("Numbers"),
    ]
    for group in report.metrics:
        title = _md(group.title) if group.title else _("Other metrics")
        lines += ["", f"### {title} · {_data_for(group.data_date)}", ""]
        lines += _table(
            [_("Metric"), _("Value")],
            [[_md(r.label), value_text(r.value, r.unit, r.currency)] for r in group.readings],
            right=[1],
        )
    lines += ["", "## " + _("Tasks by block"), ""]
    if report.blocks:
        lines += _table(
            [_("Block"), _("Time"), _("Done")],
            [
                [
                    _md(b.title),
                    f"{b.start}–{b.end}" if b.start else _("all day"),
                    done_of(b.done, b.total),
                ]
                for b in report.blocks
            ],
            right=[2],
        )
    else:
        lines.append(_("Nothing was scheduled."))
    if report.not_done:
        lines += ["", "### " + _("Not done"), ""]
        for item in report.not_done:
            extra = [
                part
                for part in (item.reason, carry_text(item.carried_from, item.carried_count))
                if part
            ]
            tail = f" — {_md(clauses(extra))}" if extra else ""
            line = _("{status}: {task} ({block})").format(
                status=_status_word(item.status), task=_md(item.title), block=_md(item.block)
            )
            lines.append(f"- {line}{tail}")
    lines += ["", "## " + _("Failed checks"), ""]
    lines += _failed_lines(report.failed_checks) or [_("All checks passed.")]
    if report.notes:
        lines += ["", "## " + _("Notes"), ""]
        lines += [f"- {_labelled(_md(note.title), _md(note.note))}" for note in report.notes]
    if report.tomorrow:
        lines += ["", "## " + _("Tomorrow"), "", *_md_block(report.tomorrow)]
    return lines


def _data_for(day: date) -> str:
    return _("data for {day}").format(day=day.isoformat())


def _labelled(label: str, text: str) -> str:
    """ "label: text" / "label：text"."""
    return _("{label}: {text}").format(label=label, text=text)


def _failed_lines(checks: Sequence[FailedCheck]) -> list[str]:
    lines = []
    for check in checks:
        lines.append(
            f"- {_md(check.message)} · `{one_line(check.expr)}` · {_data_for(check.data_date)}"
        )
        if check.dispositions:
            lines += [f"  - {_md(disposition_text(d))}" for d in check.dispositions]
        else:
            command = f"opsplanner explain {check.metric} --date {check.day.isoformat()} --cause …"
            lines.append("  - " + _("not explained yet ({command})").format(command=command))
    return lines


def _period_header(period: Period, title: str, before: str, month: bool) -> list[str]:
    if period.in_progress:
        as_of = period.as_of.isoformat()
        state = (
            _("month as of {day}, in progress") if month else _("week as of {day}, in progress")
        ).format(day=as_of)
    else:
        state = _("month complete") if month else _("week complete")
    completion = _("Completion: {done} of {total} done ({percent}); {before}: {previous}.")
    return [
        f"# {title}",
        "",
        f"{_md(period.schedule_title)} · {_md(period.operator or '—')} · {state}",
        "",
        completion.format(
            done=period.done,
            total=period.total,
            percent=percent_text(period.done, period.total),
            before=before,
            previous=percent_text(period.previous_done, period.previous_total),
        ),
    ]


def _week_markdown(report: WeekReport) -> list[str]:
    period = report.period
    title = _("Weekly report · {week} · {span}").format(
        week=report.week, span=span_text(period.start, period.end)
    )
    before = _("previous week")
    lines = _period_header(period, title, before, month=False)
    lines += ["", "## " + _("Sales against the target")]
    lines += _target_lines(period, weekly=True)
    lines += ["", "## " + _("Completion by day"), ""]
    lines += _table(
        [_("Day"), _("Done"), _("Skipped"), _("Carried"), _("Missed")],
        [_day_row(d) for d in period.days],
        right=[1, 2, 3, 4],
    )
    lines += _period_body(period, before)
    return lines


def _month_markdown(report: MonthReport) -> list[str]:
    period = report.period
    before = _("previous month")
    title = _("Monthly report · {month} · {span}").format(
        month=report.month, span=span_text(period.start, period.end)
    )
    lines = _period_header(period, title, before, month=True)
    lines += [
        "",
        _(
            "The month runs from {start} to {end} and is compared with {previous}. "
            "A week that starts or ends in another month counts only its days in this month "
            "in the completion by week, and whole (Monday..Sunday) against the sales target."
        ).format(
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            previous=span_text(period.previous_start, period.previous_end),
        ),
    ]
    lines += ["", "## " + _("Completion by week"), ""]
    lines += _table(
        [_("Week"), _("Done"), _("Skipped"), _("Carried"), _("Missed")],
        [
            [
                _week_name(w),
                _done_share(w.done, w.total),
                str(w.skipped),
                str(w.carried),
                str(w.missed),
            ]
            if w.total
            else [_week_name(w), _("no records"), "", "", ""]
            for w in report.weeks
        ],
        right=[1, 2, 3, 4],
    )
    lines += ["", "## " + _("Sales against the target")]
    lines += _target_lines(period, weekly=False)
    lines += _period_body(period, before)
    return lines


def _week_name(week: WeekRow) -> str:
    """A week's dates, and how much of it is in the month when not all of it."""
    dates = span_text(week.start, week.end) if week.end > week.start else week.start.isoformat()
    if week.days == 7:
        return dates
    return ngettext(
        "{dates} (partial: {count} day in this month)",
        "{dates} (partial: {count} days in this month)",
        week.days,
    ).format(dates=dates, count=week.days)


def _done_share(done: int, total: int) -> str:
    """ "3 of 4 (75%)"."""
    return _("{done} of {total} ({percent})").format(
        done=done, total=total, percent=percent_text(done, total)
    )


def _day_row(d: DaySummary) -> list[str]:
    name = day_name(d.day)
    if not d.recorded:
        return [name, _("no record") if d.workday else _("not a workday"), "", "", ""]
    if not d.total:
        return [name, _("not a workday") if not d.workday else _("nothing scheduled"), "", "", ""]
    done = _done_share(d.done, d.total)
    if d.open:
        done = _("{done}, {count} open").format(done=done, count=d.open)
    return [name, done, str(d.skipped), str(d.carried), str(d.missed)]


def _target_lines(period: Period, *, weekly: bool) -> list[str]:
    if not period.targets:
        return ["", _("No weekly target in the schedule.")]
    lines: list[str] = []
    for view in period.targets:
        rows = []
        rungs = ([view.previous] if view.previous and weekly else []) + list(view.weeks)
        for rung in rungs:
            if not weekly:
                name = _("Week {number}: {span}").format(
                    number=rung.number, span=span_text(rung.start, rung.end)
                )
            elif rung.start == period.start:
                name = _("This week (week {number})").format(number=rung.number)
            else:
                name = _("Previous week (week {number})").format(number=rung.number)
            rows.append(
                [
                    name,
                    pause_text(rung) or value_text(rung.target, view.unit, view.currency),
                    value_text(rung.actual, view.unit, view.currency),
                    percent_text(rung.actual, rung.target)
                    if rung.actual is not None and rung.target is not None
                    else "—",
                    done_of(rung.days_with_data, 7),
                ]
            )
        lines += [
            "",
            _("{label}, summed Monday..Sunday, against the weekly ladder:").format(
                label=_md(view.label)
            ),
            "",
        ]
        if rows:
            lines += _table(
                [_("Week"), _("Target"), _("Actual"), _("Of target"), _("Days with data")],
                rows,
                right=[1, 2, 3, 4],
            )
        else:
            lines.append(_("The target starts after this period."))
        capped = next((r for r in view.weeks if r.cap_reached_here), None)
        if capped is not None:
            lines += [
                "",
                _("The target reaches its cap in week {number}.").format(number=capped.number),
            ]
        current = next((r for r in view.weeks if r.start <= period.as_of <= r.end), None)
        if (
            period.in_progress
            and current is not None
            and current.actual is not None
            and current.target is not None
        ):
            left = current.target - current.actual
            if left > 0:
                amount = value_text(left, view.unit, view.currency)
                lines += ["", _("{amount} to go this week.").format(amount=amount)]
    return lines


def _days_of(count: int, days: int) -> str:
    """ "4 of 6 days": how often a task was skipped or carried."""
    return ngettext("{count} of {days} day", "{count} of {days} days", days).format(
        count=count, days=days
    )


def _period_body(period: Period, before: str) -> list[str]:
    lines = ["", "## " + _("Completion by block"), ""]
    if period.blocks:
        lines += _table(
            [_("Block"), _("Done"), _("Share")],
            [
                [_md(b.title), done_of(b.done, b.total), percent_text(b.done, b.total)]
                for b in period.blocks
            ],
            right=[1, 2],
        )
    else:
        lines.append(_("No recorded days."))
    lines += ["", "## " + _("Most skipped"), ""]
    if period.most_skipped:
        lines += _table(
            [_("Task"), _("Skipped"), _("Top reasons")],
            [
                [_md(t.title), _days_of(t.count, t.days), _reasons_text(t.reasons)]
                for t in period.most_skipped
            ],
            right=[1],
        )
        habits = [t for t in period.most_skipped if t.suggestion]
        if habits:
            lines.append("")
            lines += [f"- {_labelled(_md(t.title), t.suggestion or '')}" for t in habits]
    else:
        lines.append(_("Nothing was skipped."))
    lines += ["", "## " + _("Most carried"), ""]
    if period.most_carried:
        lines += _table(
            [_("Task"), _("Carried"), _("Top reasons")],
            [
                [_md(t.title), _days_of(t.count, t.days), _reasons_text(t.reasons)]
                for t in period.most_carried
            ],
            right=[1],
        )
    else:
        lines.append(_("Nothing was carried over."))
    if period.carried_often:
        heading = _("Carried {count} or more times").format(count=CARRIED_CALLOUT_TIMES)
        lines += ["", f"### {heading}", ""]
        lines += [f"- {_callout(c)}" for c in period.carried_often]
    lines += ["", "## " + _("Campaigns"), ""]
    lines += _campaign_lines(period.campaigns) or [_("No campaign in the countdown window.")]
    lines += ["", "## " + _("Metric trends"), ""]
    if period.trends:
        lines += _table(
            [
                _("Metric"),
                _("Min"),
                _("Avg"),
                _("Max"),
                _("Avg vs {before}").format(before=before),
            ],
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
        lines.append(_("No metric values in this period."))
    lines += ["", "## " + _("Failed checks"), ""]
    lines += _check_tally_lines(period.failed_checks) or [_("No check failed.")]
    lines += ["", "## " + _("Dispositions"), ""]
    if period.dispositions:
        lines += [
            f"- {d.data_date.isoformat()} · {_md(d.label)} · `{one_line(d.checks)}` · "
            f"{_md(disposition_text(d))}"
            for d in period.dispositions
        ]
    else:
        lines.append(_("No failed check was explained yet."))
    return lines


def _callout(c: CarriedCallout) -> str:
    """An item carried again and again: how often, why, where it stands, what to do."""
    fields = {
        "task": _md(c.title),
        "times": c.times,
        "since": c.since.isoformat(),
        "reasons": _reasons_text(c.reasons),
        "status": _status_word(c.last_status).lower(),
        "day": c.last_day.isoformat(),
    }
    if c.reasons:
        text = _("{task}: carried {times} times since {since} ({reasons}); {status} on {day}.")
    else:
        text = _("{task}: carried {times} times since {since}; {status} on {day}.")
    text = text.format(**fields)
    if c.last_status != "done":
        text = _("{sentence} Do it, give it a fixed date, or drop it.").format(sentence=text)
    return text


def _campaign_lines(campaigns: Sequence[CampaignView]) -> list[str]:
    lines = []
    for c in campaigns:
        line = _("{campaign} · {date} ({when}) · {done} of {total} preparations done").format(
            campaign=_md(c.title),
            date=c.date.isoformat(),
            when=countdown_text(c.days_until),
            done=c.done,
            total=c.total,
        )
        lines.append(f"- {line}")
        for heading, items in ((_("Late ({count}):"), c.late), (_("Next ({count}):"), c.upcoming)):
            if not items:
                continue
            lines.append("  - " + heading.format(count=len(items)))
            lines += [f"    - {i.due.isoformat()} {_md(i.title)}" for i in items[:CAMPAIGN_ITEMS]]
            if len(items) > CAMPAIGN_ITEMS:
                more = len(items) - CAMPAIGN_ITEMS
                lines.append("    - " + _("and {count} more").format(count=more))
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
        [_("Metric"), _("Check"), _("Failed on"), _("Explained")],
        [
            [
                _md(labels[key]),
                f"`{one_line(key[1])}`",
                ngettext("{count} day", "{count} days", len(dates)).format(count=len(dates)),
                done_of(sum(dates.values()), len(dates)),
            ]
            for key, dates in ranked
        ],
        right=[2, 3],
    )
