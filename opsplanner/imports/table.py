"""From a sheet's cells to readings: find the header, map columns to metrics, read each row's
date and figures. Pure: the cells come in (from `sheets`), readings and rejections go out.

Decisions, so an import means the same whatever the file looked like:

- **The header** is the first of a sheet's first 30 rows holding a date column (日期,
  统计日期, date …) and at least one column that names a metric. Title rows above it (生意参谋
  writes a merged title and the period first) are skipped; columns that name no metric are
  listed as not imported, never guessed.
- **A column names a metric** by the template's `import: {columns: …}` map, else by the
  metric's id or its label, compared without spaces, case or full-/half-width differences
  ("访客数（UV）" = "访客数(UV)"); a label's words before a closing bracket do too (访客数).
- **Dates** as the platform and people write them: 2026-11-23, 2026/11/23, 2026.11.23,
  20261123, 2026年11月23日, a date cell, or an Excel serial number; a time after the date is
  ignored. A row whose date cell says 合计/总计/汇总/平均/total is a totals row: skipped.
- **Cells**: blank, `-`, `--`, `—` and `/` mean "no data" (nothing stored, nothing rejected);
  text is read as the operator would type it (1.2万, ¥1,234.50, 2.69%); numbers as they are.
- **Percent columns** hold percentage numbers (2.69 for 2.69 %, as opsplanner stores them).
  A column whose numeric cells are all between -1 and 1 holds fractions instead (a
  spreadsheet's 0.0269 shown as 2.69 %) and is multiplied by 100; text with % is always read
  as written.
- **The same metric and date twice** with different values is rejected the second time,
  naming the first; the same value twice is one reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from opsplanner.i18n import _
from opsplanner.planner.values import MetricValueError, parse_metric_value
from opsplanner.safe_text import one_line
from opsplanner.schedule.models import Metric, Schedule

__all__ = [
    "DATE_COLUMNS",
    "HEADER_SEARCH_ROWS",
    "Parsed",
    "Reading",
    "Rejection",
    "column_letter",
    "parse_date",
    "read_table",
]

HEADER_SEARCH_ROWS: Final = 30
DATE_COLUMNS: Final = frozenset({"日期", "统计日期", "时间", "统计时间", "数据日期", "date", "day"})
_TOTAL_WORDS: Final = ("合计", "总计", "汇总", "平均", "total", "sum", "average")
_NO_DATA: Final = frozenset({"", "-", "--", "—", "——", "/", "n/a", "null"})
_EXCEL_EPOCH: Final = date(1899, 12, 30)  # serial 1 = 1900-01-01, after Lotus's leap-year bug
_SERIALS: Final = (20000, 80000)  # 1954..2119: a plain number outside is not a date
_DATE_TEXT: Final = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_BRACKETED: Final = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_DATE_DIGITS: Final = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")

Cell = object  # str, int, float, bool, date, datetime, time or None, as the reader gives


@dataclass(frozen=True, slots=True)
class Where:
    """A cell's place, as a spreadsheet shows it: the file, the 1-based row, the column."""

    file: str
    row: int
    column: str  # "C"

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}"


@dataclass(frozen=True, slots=True)
class Reading:
    """One figure from the file: a metric's value on a date, and where it came from."""

    metric: str
    data_date: date
    value: float
    where: Where


@dataclass(frozen=True, slots=True)
class Rejection:
    """A cell that could not be read, with why; the rest of the file is still imported."""

    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(slots=True)
class Parsed:
    """What a file holds: its readings, its rejected cells, the columns left out."""

    readings: list[Reading] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    sheets_without_header: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _key(text: str) -> str:
    """A header as compared: NFKC (full-width brackets and letters folded), no spaces,
    lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def column_names(schedule: Schedule, columns: Mapping[str, str]) -> dict[str, Metric]:
    """Every header that names a metric: the template's map, then ids, then labels."""
    names: dict[str, Metric] = {}
    for metric in schedule.metrics:
        names.setdefault(_key(metric.label), metric)
    for metric in schedule.metrics:  # 访客数（UV） also answers to 访客数
        names.setdefault(_key(_BRACKETED.sub("", metric.label)), metric)
    for metric in schedule.metrics:
        names[_key(metric.id)] = metric
    for header, metric_id in columns.items():
        mapped = schedule.metric(metric_id)
        if mapped is not None:
            names[_key(header)] = mapped
    return names


def parse_date(cell: Cell) -> date | None:
    """A date as the platform or a person wrote it; None when the cell is not one."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        number = float(cell)
        if number.is_integer() and 19000101 <= number <= 29991231:
            return parse_date(str(int(number)))
        if _SERIALS[0] <= number < _SERIALS[1]:
            return _EXCEL_EPOCH + timedelta(days=int(number))
        return None
    if not isinstance(cell, str):
        return None
    text = unicodedata.normalize("NFKC", cell).strip()
    found = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if found is None:
        return None
    try:
        return date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell).strip()


def _header_at(
    rows: Sequence[Sequence[Cell]], names: Mapping[str, Metric]
) -> tuple[int, int, dict[int, Metric]] | None:
    """The header row's index, its date column and the metric of each mapped column."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [_key(_text(cell)) for cell in row]
        date_column = next((i for i, k in enumerate(keys) if k in DATE_COLUMNS), None)
        mapped = {i: names[k] for i, k in enumerate(keys) if k in names and i != date_column}
        if date_column is not None and mapped:
            return number, date_column, mapped
    return None


def _fractions(rows: Sequence[Sequence[Cell]], column: int) -> bool:
    """Whether a percent column's numbers are fractions (all within -1..1)."""
    cells = [row[column] for row in rows if column < len(row)]
    numbers = [float(c) for c in cells if isinstance(c, int | float) and not isinstance(c, bool)]
    return bool(numbers) and all(-1 <= n <= 1 for n in numbers)


def _value(cell: Cell, metric: Metric, fractions: bool) -> float | None:
    """The figure a cell holds (None: no data); MetricValueError when it is not one."""
    if isinstance(cell, bool):
        raise MetricValueError(
            _("{metric}: a yes/no cell is not a figure").format(metric=metric.id)
        )
    if isinstance(cell, int | float):
        number = float(cell) * (100 if fractions and metric.unit == "percent" else 1)
        return parse_metric_value(repr(number), unit=metric.unit, metric=metric.id)
    text = _text(cell)
    if text.casefold() in _NO_DATA:
        return None
    return parse_metric_value(text, unit=metric.unit, metric=metric.id)


def read_table(
    file: str,
    sheet: str | None,
    rows: Sequence[Sequence[Cell]],
    schedule: Schedule,
    columns: Mapping[str, str],
    into: Parsed,
) -> None:
    """Add one sheet's readings and rejections to `into`; `sheet` names it in messages when
    the file has several."""
    label = f"{file}[{sheet}]" if sheet else file
    header = _header_at(rows, column_names(schedule, columns))
    if header is None:
        into.sheets_without_header.append(label)
        return
    at, date_column, mapped = header
    for index, cell in enumerate(rows[at]):
        name = _text(cell)
        if (
            name
            and index != date_column
            and index not in mapped
            and name not in into.ignored_columns
        ):
            into.ignored_columns.append(name)
    body = rows[at + 1 :]
    fractions = {i: _fractions(body, i) for i, m in mapped.items() if m.unit == "percent"}
    seen: dict[tuple[str, date], Reading] = {(r.metric, r.data_date): r for r in into.readings}
    for offset, row in enumerate(body):
        number = at + 2 + offset  # 1-based, as the spreadsheet shows it
        first = row[date_column] if date_column < len(row) else None
        if all(_text(cell) == "" for cell in row):
            continue
        day = parse_date(first)
        if day is None:
            if any(word in _text(first).casefold() for word in _TOTAL_WORDS):
                continue  # a totals row
            into.rejections.append(
                Rejection(
                    Where(label, number, column_letter(date_column)),
                    _("{value} is not a date (e.g. 2026-11-23, 2026/11/23, 20261123)").format(
                        value=one_line(repr(_text(first)))[:40]
                    ),
                )
            )
            continue
        for index, metric in mapped.items():
            where = Where(label, number, column_letter(index))
            cell = row[index] if index < len(row) else None
            try:
                value = _value(cell, metric, fractions.get(index, False))
            except MetricValueError as error:
                into.rejections.append(Rejection(where, str(error)))
                continue
            if value is None:
                continue
            reading = Reading(metric.id, day, value, where)
            earlier = seen.get((metric.id, day))
            if earlier is None:
                seen[(metric.id, day)] = reading
                into.readings.append(reading)
            elif earlier.value != value:
                into.rejections.append(
                    Rejection(
                        where,
                        _("{metric} for {day} is also given at {other} with another value").format(
                            metric=metric.id, day=day.isoformat(), other=earlier.where
                        ),
                    )
                )
