"""Renders a report as CSV rows for a spreadsheet (Excel): one column layout for every row."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from typing import Final

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
from opsplanner.safe_text import shown

CSV_COLUMNS: Final = ("section", "date", "block", "key", "label", "value", "total", "note")
"""One layout for every CSV row, so a spreadsheet can filter on ``section`` and pivot."""

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
    writer.writerow(CSV_COLUMNS)
    writer.writerows([csv_cell(cell) for cell in row] for row in _csv_rows(report))
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
                f"{percent_text(rung.actual, rung.target) if rung.actual is not None else '—'}"
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
            f"average vs before {change_text(trend.change_percent)}",
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
    note = "; ".join(
        p for p in (item.reason, carry_text(item.carried_from, item.carried_count)) if p
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
        disposition_text(d),
    ]
