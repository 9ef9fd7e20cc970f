"""The iCalendar export, read back the way a calendar app would (recurring-ical-events)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from opsplanner import i18n
from opsplanner.planner.day import occurrences
from opsplanner.planner.ics import calendar_for
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAMP = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
FRIDAY = date(2026, 11, 6)
SATURDAY = date(2026, 11, 7)
SUNDAY = date(2026, 11, 8)
MONDAY = date(2026, 11, 9)
DOUBLE_11 = date(2026, 11, 11)

YAML = """
schedule: shop
title: 小店运营——每日
timezone: Asia/Shanghai
blocks:
  - id: diagnosis
    title: 数据诊断
    start: "08:30"
    end: "10:30"
    repeat: weekdays
    tasks:
      - id: store-data
        title: 记录昨日店铺数据
      - id: traffic
        title: Check traffic sources
  - id: weekly-plan
    title: Weekly plan
    start: "13:30"
    end: "14:00"
    repeat: weekly on mon
    tasks:
      - id: weekly-target
        title: 制定本周销售额目标表
  - id: wrap-up
    title: 下班前整理
    start: "17:00"
    end: "17:30"
    tasks:
      - id: plan-tomorrow
        title: 记下明天要做的事
campaigns:
  - id: double-11
    title: 双十一
    date: 2026-11-11
    tasks:
      - id: register
        title: 报名平台活动
        when: -4d
      - id: budget
        title: 推广预算
        when: -4d
      - id: live
        title: 活动当天盯盘
        when: 0d
        block: wrap-up
"""


@pytest.fixture(scope="module")
def shop() -> Schedule:
    return load_schedule_text(YAML)


@pytest.fixture(scope="module")
def shop_ics(shop: Schedule) -> bytes:
    return calendar_for(shop, FRIDAY, 7, stamp=STAMP)


@pytest.fixture(scope="module")
def zh() -> Schedule:
    return load_schedule(bundled_dir() / "taobao-operator.zh.yaml")


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events_at(data: bytes, day: date) -> list[icalendar.Event]:
    """The events a calendar app would show on `day`, all-day first, then by start."""
    found = recurring_ical_events.of(parse(data)).at(day)
    return sorted(found, key=lambda e: (isinstance(e.start, datetime), str(e.start)))


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def timed(events: list[icalendar.Event]) -> list[tuple[str, date, date]]:
    return [(str(e["SUMMARY"]), e.start, e.end) for e in events if isinstance(e.start, datetime)]


def test_the_bytes_are_a_calendar_with_its_header_and_timezone(shop_ics: bytes) -> None:
    calendar = parse(shop_ics)
    assert str(calendar["PRODID"]) == "-//opsplanner//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "小店运营——每日"
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Shanghai"]
    assert calendar.get_missing_tzids() == set()
    assert b"DTSTART;TZID=Asia/Shanghai:20261106T083000" in shop_ics


def test_a_weekday_has_its_blocks_at_local_shanghai_time(shop_ics: bytes) -> None:
    assert timed(events_at(shop_ics, FRIDAY)) == [
        ("数据诊断", local(FRIDAY, 8, 30), local(FRIDAY, 10, 30)),
        ("下班前整理", local(FRIDAY, 17, 0), local(FRIDAY, 17, 30)),
    ]
    start = events_at(shop_ics, FRIDAY)[0].start
    assert isinstance(start, datetime)
    assert start == datetime(2026, 11, 6, 0, 30, tzinfo=UTC)  # 08:30+08:00
    assert start.utcoffset() == timedelta(hours=8)


def test_monday_has_the_weekly_block(shop_ics: bytes) -> None:
    assert [summary for summary, _, _ in timed(events_at(shop_ics, MONDAY))] == [
        "数据诊断",
        "Weekly plan",
        "下班前整理",
    ]
    weekly = next(e for e in events_at(shop_ics, MONDAY) if e["SUMMARY"] == "Weekly plan")
    assert weekly.start == local(MONDAY, 13, 30)
    assert str(weekly["DESCRIPTION"]) == "- 制定本周销售额目标表"


def test_saturday_has_no_weekdays_only_block_and_the_campaign_all_day_event(
    shop_ics: bytes,
) -> None:
    events = events_at(shop_ics, SATURDAY)
    assert [str(e["SUMMARY"]) for e in events] == [
        "双十一: 报名平台活动; 推广预算",  # the campaign's own title, not "Campaigns"
        "下班前整理",
    ]
    all_day = events[0]
    assert all_day.start == SATURDAY and not isinstance(all_day.start, datetime)
    assert all_day.end == SUNDAY
    assert str(all_day["DESCRIPTION"]) == "- 报名平台活动\n- 推广预算"
    assert b"DTSTART;VALUE=DATE:20261107" in shop_ics


def test_the_campaign_event_is_only_on_its_date(shop_ics: bytes) -> None:
    for day in (FRIDAY, SUNDAY, MONDAY, DOUBLE_11):
        assert not [e for e in events_at(shop_ics, day) if not isinstance(e.start, datetime)]


def test_a_campaign_task_with_a_block_joins_that_blocks_event(shop_ics: bytes) -> None:
    wrap_up = next(e for e in events_at(shop_ics, DOUBLE_11) if e["SUMMARY"] == "下班前整理")
    assert str(wrap_up["DESCRIPTION"]) == "- 记下明天要做的事\n- 活动当天盯盘"


def test_each_date_shows_exactly_that_dates_blocks(shop: Schedule, shop_ics: bytes) -> None:
    for offset in range(7):
        day = FRIDAY + timedelta(days=offset)
        expected = [b.title for b in occurrences(shop, day).blocks if b.start is not None]
        assert [summary for summary, _, _ in timed(events_at(shop_ics, day))] == expected
    assert events_at(shop_ics, FRIDAY + timedelta(days=7)) == []
    assert events_at(shop_ics, FRIDAY - timedelta(days=1)) == []


def test_uids_are_unique_and_stable(shop_ics: bytes) -> None:
    uids = [str(e["UID"]) for e in parse(shop_ics).events]
    assert len(uids) == len(set(uids)) == 2 + 2 + 1 + 3 + 2 + 2 + 2  # Fri..Thu
    assert "shop-2026-11-09-weekly-plan@opsplanner" in uids
    assert "shop-2026-11-07-campaigns@opsplanner" in uids


def test_a_fixed_stamp_gives_the_same_bytes(shop: Schedule, shop_ics: bytes) -> None:
    assert calendar_for(shop, FRIDAY, 7, stamp=STAMP) == shop_ics
    assert all(e.DTSTAMP == STAMP for e in parse(shop_ics).events)
    other = calendar_for(shop, FRIDAY, 7, stamp=STAMP.astimezone(SHANGHAI))
    assert other == shop_ics  # DTSTAMP is written in UTC whatever zone it came in
    later = calendar_for(shop, FRIDAY, 7, stamp=STAMP + timedelta(hours=1))
    assert later != shop_ics
    assert later.replace(b"T130000Z", b"T120000Z") == shop_ics


def test_chinese_text_round_trips_as_utf8(shop_ics: bytes) -> None:
    text = shop_ics.decode("utf-8")
    assert "数据诊断" in text
    assert all(len(line.encode()) <= 75 for line in shop_ics.decode().split("\r\n"))
    summaries = {str(e["SUMMARY"]) for e in parse(shop_ics).events}
    assert {"数据诊断", "下班前整理", "双十一: 报名平台活动; 推广预算"} <= summaries


def test_the_campaign_event_is_titled_in_the_current_language(shop: Schedule) -> None:
    """The campaign's all-day event is titled by the campaign, as the template wrote it,
    and joined in the language's own way; the template's titles stay as written."""
    i18n.use(i18n.CHINESE)
    summaries = {
        str(e["SUMMARY"]) for e in parse(calendar_for(shop, FRIDAY, 7, stamp=STAMP)).events
    }
    assert {"双十一：报名平台活动；推广预算", "Weekly plan", "数据诊断"} <= summaries


@pytest.mark.parametrize("days", [0, -1, 367, True])
def test_days_out_of_range_is_an_error(shop: Schedule, days: int) -> None:
    with pytest.raises(ValueError, match="days"):
        calendar_for(shop, FRIDAY, days, stamp=STAMP)


def test_a_naive_stamp_is_an_error(shop: Schedule) -> None:
    with pytest.raises(ValueError, match="stamp"):
        calendar_for(shop, FRIDAY, 1, stamp=datetime(2026, 11, 1, 12, 0))


def test_a_whole_year_is_accepted(shop: Schedule) -> None:
    calendar = parse(calendar_for(shop, FRIDAY, 366, stamp=STAMP))
    assert len(calendar.events) > 366


# ------------------------------------------------------------------ the bundled schedule


def test_bundled_chinese_schedule_read_back_per_date(zh: Schedule) -> None:
    start = date(2026, 11, 2)  # a Monday
    data = calendar_for(zh, start, 10, stamp=STAMP)
    calendar = parse(data)
    assert str(calendar["X-WR-CALNAME"]) == "淘宝店铺运营——每日工作流程"
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Shanghai"]
    for offset in range(10):
        day = start + timedelta(days=offset)
        blocks = occurrences(zh, day).blocks
        events = events_at(data, day)
        assert [e["UID"] for e in events] == [f"{zh.id}-{day}-{b.id}@opsplanner" for b in blocks]
        for event, block in zip(events, blocks, strict=True):
            if block.start is None:
                assert event.start == day
                assert str(event["SUMMARY"]).startswith(f"{block.title}: ")  # the campaign's
            else:
                assert str(event["SUMMARY"]) == block.title
                assert event.start == local(day, block.start.hour, block.start.minute)
            assert str(event["DESCRIPTION"]).split("\n") == [f"- {t.title}" for t in block.tasks]


def test_bundled_monday_has_the_weekly_target_and_double_11_its_campaign(zh: Schedule) -> None:
    data = calendar_for(zh, date(2026, 11, 2), 10, stamp=STAMP)
    monday = events_at(data, date(2026, 11, 2))
    data_block = next(e for e in monday if e["SUMMARY"] == "数据诊断")
    assert data_block.start == datetime(2026, 11, 2, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    assert "- 制定本周销售额目标表" in str(data_block["DESCRIPTION"])
    tuesday = events_at(data, date(2026, 11, 3))
    assert all("制定本周销售额目标表" not in str(e["DESCRIPTION"]) for e in tuesday)
    double_11 = events_at(data, DOUBLE_11)
    assert not isinstance(double_11[0].start, datetime)
    assert str(double_11[0]["SUMMARY"]).startswith("双十一: ")
