"""Renders a report as an Excel workbook people open: one sheet per section, real numbers
with their formats, frozen headers, columns wide enough for Chinese text.

Decisions:

- **Figures** are a date × metric table: one row per data date, one column per metric
  (its label, as the template writes it). Counts are whole numbers with thousands
  separators, money carries its currency sign (¥ for CNY), and a percentage is stored as the
  fraction a spreadsheet expects (2.69 % is the number 0.0269, formatted as a percentage),
  so Excel and LibreOffice sum and chart them without conversion.
- The other sheets: the days of a period (or a day's blocks), the items not done with their
  reasons, the failed checks with their causes or follow-ups, the items carried again and
  again. Headers are in the current language; ids stay as they are, for filtering.
- **Text is data**: every text cell is written as a string cell (control characters
  escaped), never a formula, whatever it starts with: ``=HYPERLINK(…)`` typed as a reason
  stays those characters.
- Column widths follow the longest cell in display cells (a Chinese character counts two),
  capped at 60.

openpyxl is imported only here: no other command pays for it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Final

from opsplanner.cells import width
from opsplanner.i18n import _
from opsplanner.planner.reports.model import (
    DayReport,
    FailedCheck,
    ItemView,
    MetricReading,
    Report,
)
from opsplanner.planner.reports.text import carry_text, disposition_text
from opsplanner.safe_text import shown

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["render_xlsx"]

MAX_COLUMN_CELLS: Final = 60
_CURRENCY_SIGNS: Final = {"CNY": "¥", "RMB": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}
Cell = str | int | float | date | None


def number_format(unit: str, currency: str | None) -> str:
    """The spreadsheet's format for a metric's unit."""
    if unit == "count":
        return "#,##0"
    if unit == "percent":
        return "0.00%"
    if unit == "money":
        sign = _CURRENCY_SIGNS.get((currency or "").upper(), "")
        return f'"{sign}"#,##0.00' if sign else "#,##0.00"
    return "#,##0.00"


def cell_value(value: float | None, unit: str) -> float | None:
    """The number stored in the cell: a percentage as its fraction."""
    if value is None or not math.isfinite(value):
        return None
    return value / 100 if unit == "percent" else value


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    readings = (
        [r for group in report.metrics for r in group.readings]
        if isinstance(report, DayReport)
        else list(report.period.readings)
    )
    _figures(book.create_sheet(_("Figures")), readings)
    if isinstance(report, DayReport):
        _table(
            book.create_sheet(_("Blocks")),
            [_("block"), _("title"), _("start"), _("end"), _("done"), _("total")],
            [[b.block_id, b.title, b.start, b.end, b.done, b.total] for b in report.blocks],
        )
        not_done, checks = report.not_done, report.failed_checks
    else:
        period = report.period
        _table(
            book.create_sheet(_("Days")),
            [
                _("date"),
                _("workday"),
                _("done"),
                _("total"),
                _("skipped"),
                _("carried"),
                _("missed"),
                _("open"),
            ],  # fmt: skip
            [
                [
                    d.day,
                    _("yes") if d.workday else _("no"),
                    d.done,
                    d.total,
                    d.skipped,
                    d.carried,
                    d.missed,
                    d.open,
                ]  # fmt: skip
                for d in period.days
                if d.recorded
            ],
        )
        not_done, checks = period.not_done, period.failed_checks
    _table(
        book.create_sheet(_("Not done")),
        [_("date"), _("block"), _("key"), _("title"), _("status"), _("reason"), _("carried")],
        [_item_row(item) for item in not_done],
    )
    _table(
        book.create_sheet(_("Failed checks")),
        [
            _("date"),
            _("data date"),
            _("task"),
            _("metric"),
            _("check"),
            _("message"),
            _("decision"),
        ],  # fmt: skip
        [_check_row(check) for check in checks],
    )
    carried = [i for i in not_done if i.carried_count > 0]
    _table(
        book.create_sheet(_("Carried")),
        [_("key"), _("title"), _("times"), _("since"), _("last day"), _("reason")],
        [
            [i.key, i.title, i.carried_count, i.carried_from, i.day, i.reason or ""]
            for i in sorted(carried, key=lambda i: (-i.carried_count, i.key))
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _item_row(item: ItemView) -> list[Cell]:
    return [
        item.day,
        item.block,
        item.key,
        item.title,
        item.status,
        item.reason or "",
        carry_text(item.carried_from, item.carried_count),
    ]


def _check_row(check: FailedCheck) -> list[Cell]:
    decisions = "; ".join(disposition_text(d) for d in check.dispositions)
    return [
        check.day,
        check.data_date,
        check.task,
        check.label,
        check.expr,
        check.message,
        decisions or _("no cause yet"),
    ]


def _figures(sheet: Worksheet, readings: Sequence[MetricReading]) -> None:
    """A date × metric table: one row per data date, a column per metric."""
    columns: dict[str, MetricReading] = {}
    for reading in readings:
        columns.setdefault(reading.metric, reading)
    dates = sorted({r.data_date for r in readings})
    values = {(r.data_date, r.metric): r.value for r in readings}
    header = [_("date"), *(r.label for r in columns.values())]
    _append(sheet, header)
    for day in dates:
        sheet.append([day, *(cell_value(values.get((day, m)), r.unit) for m, r in columns.items())])
    for index, reading in enumerate(columns.values(), start=2):
        for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            for cell in row:
                cell.number_format = number_format(reading.unit, reading.currency)
    for row in sheet.iter_rows(min_row=2, max_col=1):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    _finish(sheet, header, "B2")


def _append(sheet: Worksheet, row: Sequence[Cell]) -> None:
    """A row whose text cells are strings, never formulas."""
    sheet.append([shown(c) if isinstance(c, str) else c for c in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _table(sheet: Worksheet, header: list[str], rows: Iterable[list[Cell]]) -> None:
    _append(sheet, header)
    for row in rows:
        _append(sheet, row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    _finish(sheet, header, "A2")


def _finish(sheet: Worksheet, header: list[str], freeze: str) -> None:
    """Bold, frozen header; each column as wide as its longest cell (in display cells)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = freeze
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((width(_shown_width(cell.value)) for cell in column), default=len(header[0]))
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_COLUMN_CELLS, max(8, longest + 2)
        )


def _shown_width(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return "2026-11-23"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
