"""Reading a sheet's cells as 生意参谋 and people write them: the header below title rows,
the date forms, `-` as no data, percent text and fractions, totals rows, rejected cells with
their place, and the comparison with what is stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplanner.imports.plan import plan_import
from opsplanner.imports.table import Parsed, column_letter, parse_date, read_table
from opsplanner.schedule.loader import load_schedule_text

SCHEDULE = load_schedule_text(
    """
schedule: shop
title: Shop
metrics:
  visitors: {label: 访客数（UV）, unit: count}
  buyers: {label: 支付买家数, unit: count}
  sales: {label: 销售额, unit: money, currency: CNY}
  conversion_rate: {label: 支付转化率, unit: percent, formula: buyers / visitors * 100}
  bounce_rate: {label: 跳失率, unit: percent}
blocks:
  - {id: data, title: Data, start: "08:30", end: "10:30", tasks: [{id: t, title: T}]}
import:
  columns:
    支付金额: sales
"""
)
TITLE_ROWS = [["【生意参谋平台】经营概况", None, None], ["统计时间 2026-11-01 ~ 2026-11-30", None]]


def parse(rows: list[list[object]]) -> Parsed:
    parsed = Parsed()
    read_table("sycm.xlsx", None, rows, SCHEDULE, dict(SCHEDULE.import_columns), parsed)
    return parsed


def test_header_below_title_rows_by_label_map_and_id() -> None:
    parsed = parse(
        [
            *TITLE_ROWS,
            ["统计日期", "访客数(UV)", "支付金额", "buyers", "加购人数"],
            ["2026-11-23", "1,234", "¥12,345.60", 30, 7],
        ]
    )
    assert [(r.metric, r.data_date, r.value) for r in parsed.readings] == [
        ("visitors", date(2026, 11, 23), 1234.0),
        ("sales", date(2026, 11, 23), 12345.6),
        ("buyers", date(2026, 11, 23), 30.0),
    ]
    assert str(parsed.readings[1].where) == "sycm.xlsx:4:C"
    assert parsed.ignored_columns == ["加购人数"]
    assert parsed.rejections == []


def test_no_data_cells_totals_rows_and_blank_rows_are_not_readings() -> None:
    parsed = parse(
        [
            ["日期", "访客数", "支付金额"],
            ["2026/11/21", "-", "1.2万"],
            [None, None, None],
            ["20261122", "—", ""],
            ["合计", 9999, 9999],
        ]
    )
    assert [(r.metric, r.data_date, r.value) for r in parsed.readings] == [
        ("sales", date(2026, 11, 21), 12000.0)
    ]
    assert parsed.rejections == []


def test_rejected_cells_are_placed_and_the_rest_is_read() -> None:
    parsed = parse(
        [
            ["日期", "访客数", "支付金额"],
            ["2026-11-20", "abc", 100],
            ["someday", 5, 5],
            ["2026-11-21", 7, "¥¥1"],
        ]
    )
    assert [(r.metric, r.data_date) for r in parsed.readings] == [
        ("sales", date(2026, 11, 20)),
        ("visitors", date(2026, 11, 21)),
    ]
    places = [str(r.where) for r in parsed.rejections]
    assert places == ["sycm.xlsx:2:B", "sycm.xlsx:3:A", "sycm.xlsx:4:C"]
    assert '"abc" is not a number' in parsed.rejections[0].message
    assert "is not a date" in parsed.rejections[1].message


def test_percent_text_is_read_as_written_and_a_fraction_column_is_scaled() -> None:
    parsed = parse(
        [
            ["日期", "跳失率", "支付转化率"],
            ["2026-11-20", "65.5%", 0.0269],
            ["2026-11-21", "70%", 0.031],
        ]
    )
    values = {(r.metric, r.data_date.day): r.value for r in parsed.readings}
    assert values[("bounce_rate", 20)] == 65.5
    assert values[("conversion_rate", 20)] == pytest.approx(2.69)
    assert values[("conversion_rate", 21)] == pytest.approx(3.1)
    # A column holding percentage numbers (some above 1) is kept as it is.
    kept = parse([["日期", "跳失率"], ["2026-11-20", 0.5], ["2026-11-21", 65.5]])
    assert [r.value for r in kept.readings] == [0.5, 65.5]


def test_the_same_date_twice_with_another_value_is_rejected_naming_the_first() -> None:
    parsed = parse([["日期", "访客数"], ["2026-11-20", 10], ["2026-11-20", 10], ["2026-11-20", 11]])
    assert [r.value for r in parsed.readings] == [10.0]
    assert [str(r.where) for r in parsed.rejections] == ["sycm.xlsx:4:B"]
    assert "sycm.xlsx:2:B" in parsed.rejections[0].message


def test_a_sheet_without_a_header_is_named() -> None:
    parsed = parse([["hello", "world"], [1, 2]])
    assert parsed.sheets_without_header == ["sycm.xlsx"] and parsed.readings == []


def test_comparison_with_what_is_stored_and_with_the_formula() -> None:
    parsed = parse(
        [
            ["日期", "访客数", "支付买家数", "支付转化率"],
            ["2026-11-20", 1000, 25, "2.50%"],  # agrees with 25 / 1000
            ["2026-11-21", 1000, 30, "2.70%"],  # the platform's differs from 3.00 %
        ]
    )
    stored = {"visitors": {date(2026, 11, 20): 1000.0, date(2026, 11, 21): 900.0}}
    plan = plan_import(SCHEDULE, parsed.readings, stored)
    kinds = {(c.reading.metric, c.reading.data_date.day): c.kind for c in plan.changes}
    assert kinds[("visitors", 20)] == "same" and kinds[("visitors", 21)] == "different"
    assert kinds[("buyers", 20)] == "new"
    assert [(m.metric, m.data_date.day, m.imported) for m in plan.mismatches] == [
        ("conversion_rate", 21, 2.7)
    ]
    assert plan.mismatches[0].computed == pytest.approx(3.0)  # with the file's visitors
    assert len(plan.to_write(overwrite=False)) == 4  # visitors 21 held back, 20 the same
    assert len(plan.to_write(overwrite=True)) == 5


def test_column_letters() -> None:
    assert [column_letter(n) for n in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(st.dates(min_value=date(1955, 1, 1), max_value=date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    forms: list[object] = [
        day.isoformat(),
        day.strftime("%Y/%m/%d"),
        f"{day.year}/{day.month}/{day.day}",
        day.strftime("%Y%m%d"),
        int(day.strftime("%Y%m%d")),
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.isoformat()} 00:00:00",
        datetime(day.year, day.month, day.day, 13, 5),
        day,
        float(serial),
    ]
    assert all(parse_date(form) == day for form in forms)


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.none(), st.booleans()))
def test_any_cell_is_a_date_or_none_never_an_error(cell: object) -> None:
    found = parse_date(cell)
    assert found is None or isinstance(found, date)
    if isinstance(cell, float) and found is not None and not cell.is_integer():
        assert found == date(1899, 12, 30) + timedelta(days=int(cell))
