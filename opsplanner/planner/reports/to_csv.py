"""Renders a report as CSV rows for a spreadsheet (Excel): one column layout for every row.

Everything a person reads is in the current language — the header, the section and status
words, the notes — while ids (task keys, metric ids, check expressions) and plain numbers
stay as they are, so the sheet can still be filtered and summed.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from typing import Final

from opsplanner.i18n import N_, _
from opsplanner.planner.reports.model import (
    DayReport,
    DispositionView,
    FailedCheck,
    ItemView,
    MetricReading,
    Report,
)
from opsplanner.planner.reports.text import (
    carry_text,
    change_text,
    disposition_text,
    percent_text,
    value_text,
)
from opsplanner.planner.targets import pause_text
from opsplanner.planner.wording import clauses
from opsplanner.safe_text import shown

CSV_COLUMNS: Final = (
    N_("section"),
    N_("date"),
    N_("block"),
    N_("key"),
    N_("label"),
    N_("value"),
    N_("total"),
    N_("note"),
)
"""One layout for every CSV row, so a spreadsheet can filter on ``section`` and pivot; the
header row shows these names in the current language."""

_SECTIONS: Final = {
    "day": N_("day"),
    "target": N_("target"),
    "metric": N_("metric"),
    "task": N_("task"),
    "trend": N_("trend"),
    "block": N_("block"),
    "check": N_("check"),
    "disposition": N_("disposition"),
    "note": N_("note"),
    "tomorrow": N_("tomorrow"),
}
"""The first cell of each kind of row."""

_STATUSES: Final = {
    "pending": N_("pending"),
    "done": N_("done"),
    "skipped": N_("skipped"),
    "carried": N_("carried"),
    "missed": N_("missed"),
}

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def render_csv(report: Report) -> bytes:
    """Rows for a spreadsheet, UTF-8 with a BOM so Excel shows Chinese text.

    Columns are :data:`CSV_COLUMNS`; numbers are plain (no currency or grouping) so Excel
    reads them as numbers, and the formatted form is in ``note``. Every cell goes through
    :func:`csv_cell`: typed text can neither run as a formula nor reach a terminal raw.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_(column) for column in CSV_COLUMNS])
    writer.writerows(
        [csv_cell(cell) for cell in (_(_SECTIONS[section]), *rest)]
        for section, *rest in _csv_rows(report)
    )
    return buffer.getvalue().encode("utf-8-sig")


def csv_cell(text: str) -> str:
    """A cell as data: control characters shown escaped, and text a spreadsheet would run as
    a formula (starting with = + - @, tab or CR) prefixed with ' (OWASP's rule) — a plain
    number such as -3.5 stays a number."""
    text = shown(text)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


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
        if not day.recorded:
            state = _("no record")
        else:
            state = _("workday") if day.workday else _("not a workday")
        yield [
            "day",
            day.day.isoformat(),
            "",
            "",
            state,
            str(day.done),
            str(day.total),
            _("skipped {skipped}, carried {carried}, missed {missed}").format(
                skipped=day.skipped, carried=day.carried, missed=day.missed
            ),
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
                _("week {number}, {pause}").format(number=rung.number, pause=pause_text(rung))
                if rung.target is None
                else _("week {number}, {percent} of target").format(
                    number=rung.number,
                    percent=percent_text(rung.actual, rung.target)
                    if rung.actual is not None
                    else "—",
                ),
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
            _("min {min}, max {max}, {days} days, average vs before {change}").format(
                min=_number(trend.min),
                max=_number(trend.max),
                days=trend.days,
                change=change_text(trend.change_percent),
            ),
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
        value_text(r.value, r.unit, r.currency),
    ]


def _csv_item(item: ItemView) -> list[str]:
    note = clauses(
        [p for p in (item.reason, carry_text(item.carried_from, item.carried_count)) if p]
    )
    status = _(_STATUSES[item.status]) if item.status in _STATUSES else item.status
    return ["task", item.day.isoformat(), item.block, item.key, item.title, status, "", note]


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
        _("fail"),
        "",
        check.message,
    ]
    for d in check.dispositions:
        yield _csv_disposition(d)


def _csv_disposition(d: DispositionView) -> list[str]:
    kind = _("follow-up") if d.follow_up else _("cause")
    return [
        "disposition",
        d.data_date.isoformat(),
        "",
        d.metric,
        d.checks,
        kind,
        "",
        disposition_text(d),
    ]
