"""The bundled Taobao schedules against the trade (issue #12, "Why" items 2-5, 8 and 11):
figures computed as 生意参谋 computes them, the duties an operator has today, reviews after
their period, the trade's own words, and nothing that breaks platform rules."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from opsplanner.planner.day import occurrences
from opsplanner.planner.metrics import MetricHistory, evaluate_check, metric_value
from opsplanner.schedule.checks import parse_check
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir

PATHS = {
    "en": bundled_dir() / "taobao-operator.yaml",
    "zh": bundled_dir() / "taobao-operator.zh.yaml",
}
SCHEDULES = {lang: load_schedule(path) for lang, path in PATHS.items()}
D = date(2026, 11, 24)  # a Tuesday, a workday


@pytest.fixture(params=sorted(SCHEDULES))
def schedule(request: pytest.FixtureRequest) -> Schedule:
    return SCHEDULES[request.param]


def task_days(schedule: Schedule, task_id: str, start: date, end: date) -> list[date]:
    """The dates from start to end (inclusive) on which the task occurs."""
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if occurrences(schedule, day).task(task_id) is not None]


def block_of(schedule: Schedule, task_id: str) -> str:
    [block] = [b.id for b in schedule.blocks if any(t.id == task_id for t in b.tasks)]
    return block


def check_status(schedule: Schedule, text: str, history: MetricHistory, on: date = D) -> str:
    return evaluate_check(parse_check(text), schedule, on, history).status


def texts(schedule: Schedule) -> list[str]:
    """Every title, detail and label the schedule shows."""
    found = [schedule.title]
    found += [m.label for m in schedule.metrics]
    for block in schedule.blocks:
        found.append(block.title)
        found += [t for task in block.tasks for t in (task.title, task.detail)]
    for campaign in schedule.campaigns:
        found.append(campaign.title)
        found += [t for task in campaign.tasks for t in (task.title, task.detail)]
    return [t for t in found if t]


# --------------------------------------------------------- item 4: the figures of 生意参谋


def test_conversion_rate_counts_paying_buyers_not_orders(schedule: Schedule) -> None:
    """支付转化率 = 支付买家数 / 访客数: 25 buyers with 30 orders among 1000 visitors: 2.5 %."""
    history = {"visitors": {D: 1000.0}, "buyers": {D: 25.0}, "orders": {D: 30.0}}
    assert metric_value(schedule, "conversion_rate", D, history) == pytest.approx(2.5)


def test_spend_per_buyer_is_sales_over_paying_buyers(schedule: Schedule) -> None:
    """客单价 = 支付金额 / 支付买家数 (¥120 here), not sales / orders (笔单价, ¥100)."""
    history = {"sales": {D: 3000.0}, "buyers": {D: 25.0}, "orders": {D: 30.0}}
    assert metric_value(schedule, "avg_order_value", D, history) == pytest.approx(120.0)
    assert "客单价" in SCHEDULES["zh"].metric("avg_order_value").label  # type: ignore[union-attr]


def test_store_data_asks_for_paying_buyers(schedule: Schedule) -> None:
    task = occurrences(schedule, D).task("store-data")
    assert task is not None and "buyers" in task.metrics
    assert "conversion_rate < 1.0" in [c.source for c in task.checks]


def test_refund_rate_is_the_platforms_30_day_figure(schedule: Schedule) -> None:
    """Typed as 近30天退款率 shows it; a day of many refund requests after a promotion does not
    move it, and it is flagged when it climbs against the same day a week before."""
    rate = schedule.metric("refund_rate")
    assert rate is not None and not rate.derived and rate.unit == "percent"
    assert "30" in rate.label
    history = {
        "refund_rate": {D: 4.0, D - timedelta(days=7): 3.5},
        "refunds": {D: 90.0},
        "orders": {D: 30.0},
    }
    assert metric_value(schedule, "refund_rate", D, history) == 4.0
    assert check_status(schedule, "refund_rate rises 10% vs last_week", history) == "fail"
    task = occurrences(schedule, D).task("store-rating")
    assert task is not None and "refund_rate rises 10% vs last_week" in [
        c.source for c in task.checks
    ]


def test_one_bounce_rate_as_生意参谋_reports_it(schedule: Schedule) -> None:
    """生意参谋 has one 跳失率 and no first/second-page bounce rate; depth is PV per visitor."""
    ids = [m.id for m in schedule.metrics]
    assert [i for i in ids if "bounce" in i] == ["bounce_rate"]
    assert SCHEDULES["zh"].metric("bounce_rate").label == "跳失率"  # type: ignore[union-attr]
    history = {"page_views": {D: 3200.0}, "visitors": {D: 1000.0}}
    assert metric_value(schedule, "pages_per_visitor", D, history) == pytest.approx(3.2)


# ----------------------------------------------------- item 5: DSR, shipping, live, content

DSR_CHECKS = [
    "dsr_description_vs_category < 0",
    "dsr_service_vs_category < 0",
    "dsr_logistics_vs_category < 0",
]


def test_dsr_below_the_category_fails_daily(schedule: Schedule) -> None:
    """比同行低 2.1% is typed as -2.1 and flagged; 高 1.5% passes."""
    task = occurrences(schedule, D).task("store-rating")
    assert task is not None and block_of(schedule, "store-rating") == "store-foundation"
    assert {"dsr_description", "dsr_service", "dsr_logistics"} <= set(task.metrics)
    assert [c.source for c in task.checks][:3] == DSR_CHECKS
    below = {"dsr_service_vs_category": {D: -2.1}}
    above = {"dsr_service_vs_category": {D: 1.5}}
    assert check_status(schedule, "dsr_service_vs_category < 0", below) == "fail"
    assert check_status(schedule, "dsr_service_vs_category < 0", above) == "ok"
    assert len(task_days(schedule, "store-rating", D, D + timedelta(days=13))) == 12  # not Sundays


def test_shipping_is_checked_every_workday_outside_campaigns(schedule: Schedule) -> None:
    """发货超时 and 物流异常 are counted every workday, not only after Double 11 and 618."""
    start = date(2027, 3, 1)  # no campaign in March
    days = task_days(schedule, "shipping-check", start, start + timedelta(days=27))
    assert days == [d for d in days if schedule.calendar.is_workday(d)] and len(days) == 24
    assert block_of(schedule, "shipping-check") == "store-foundation"
    task = occurrences(schedule, start).task("shipping-check")
    assert task is not None
    assert [c.source for c in task.checks] == ["late_shipments > 0", "logistics_exceptions > 0"]
    assert check_status(schedule, "late_shipments > 0", {"late_shipments": {D: 1.0}}) == "fail"
    assert check_status(schedule, "late_shipments > 0", {"late_shipments": {D: 0.0}}) == "ok"


def test_live_streaming_and_named_content_channels() -> None:
    """店铺自播 is scheduled weekly and prepared on stream days, 达人直播 is lined up weekly,
    content goes to 逛逛; 微淘 (retired) is named nowhere."""
    zh = SCHEDULES["zh"]
    monday, tuesday = date(2026, 11, 23), D
    assert block_of(zh, "live-schedule") == block_of(zh, "live-prep") == "content-marketing"
    assert block_of(zh, "talent-live") == "activities"
    assert occurrences(zh, monday).task("live-schedule") is not None
    assert occurrences(zh, tuesday).task("live-prep") is not None
    assert occurrences(zh, tuesday).task("talent-live") is not None
    content = occurrences(zh, tuesday).task("content-publish")
    assert content is not None and "逛逛" in content.title
    replies = occurrences(zh, tuesday).task("content-replies")
    assert replies is not None and "直播间" in replies.title
    assert not any("微淘" in t for t in texts(zh))


# ------------------------------------------------ items 3 and 8: reviews after their period


def test_weekly_summary_is_on_monday_for_the_week_before(schedule: Schedule) -> None:
    """Every working Monday, never on Saturday before the week is over; a Monday off moves it
    to the first workday after (the case is tested below)."""
    days = task_days(schedule, "weekly-summary", date(2026, 11, 2), date(2027, 3, 31))
    mondays = [d for d in days if d.weekday() == 0]
    later = [d for d in days if d.weekday() != 0]
    assert date(2026, 11, 28) not in days  # a Saturday: Sunday's figures are still to come
    assert mondays == [
        d
        for d in task_days(schedule, "store-data", date(2026, 11, 2), date(2027, 3, 31))
        if d.weekday() == 0
    ]
    for day in later:
        monday = day - timedelta(days=day.weekday())
        between = [monday + timedelta(days=n) for n in range(day.weekday())]
        assert not any(schedule.calendar.is_workday(d) for d in between), day
    task = occurrences(schedule, date(2026, 11, 30)).task("weekly-summary")
    assert task is not None
    assert ("Last week" in task.title) if schedule is SCHEDULES["en"] else ("上周" in task.title)


def test_weekly_summary_after_a_holiday_monday_comes_the_next_workday() -> None:
    """2027-02-08 is in the Spring Festival holiday: the summary is not dropped."""
    en = SCHEDULES["en"]
    assert not en.calendar.is_workday(date(2027, 2, 8))
    days = task_days(en, "weekly-summary", date(2027, 2, 1), date(2027, 2, 28))
    assert date(2027, 2, 8) not in days
    first_after = next(
        date(2027, 2, 8) + timedelta(days=n)
        for n in range(1, 14)
        if en.calendar.is_workday(date(2027, 2, 8) + timedelta(days=n))
    )
    assert first_after in days


@pytest.mark.parametrize("month", range(1, 13))
def test_monthly_evaluation_on_the_first_workday_of_the_month(
    schedule: Schedule, month: int
) -> None:
    """On the 1st for the month before; when the 1st is a day off (元旦, 劳动节, 国庆, a
    Sunday) on the first workday after it, once."""
    first = date(2027, month, 1)
    days = task_days(schedule, "monthly-evaluation", first, date(2027, month, 28))
    first_workday = next(
        first + timedelta(days=n)
        for n in range(28)
        if schedule.calendar.is_workday(first + timedelta(days=n))
    )
    assert days == [first_workday]


def test_monthly_evaluation_is_never_before_the_month_ends(schedule: Schedule) -> None:
    days = task_days(schedule, "monthly-evaluation", date(2026, 11, 2), date(2027, 12, 31))
    assert all(d.day <= 7 for d in days)  # the 1st, or just after a holiday
    assert date(2026, 11, 27) not in days  # the last Friday, with three days still to come
    task = occurrences(schedule, date(2026, 12, 1)).task("monthly-evaluation")
    assert task is not None
    assert ("Last month" in task.title) if schedule is SCHEDULES["en"] else ("上月" in task.title)


# ------------------------------------------------------------- item 11: the trade's words


def test_chinese_wording_is_the_trades() -> None:
    """展示广告 names the tools, 钻展 is retired, 客服 not 客户, 亮点与不足, 排班 not 加班."""
    raw = PATHS["zh"].read_text(encoding="utf-8")
    for retired in (
        "钻展",
        "展示广告",
        "演示图",
        "安排加班",
        "保留与改进",
        "与客户",
        "第二页跳出率",
        "FAQ",
    ):
        assert retired not in raw, retired
    shown = "\n".join(texts(SCHEDULES["zh"]))
    for term in (
        "万相台无界",
        "引力魔方",
        "与客服和美工",
        "亮点与不足",
        "增加客服排班",
        "跳失率",
        "客单价",
    ):
        assert term in shown, term


def test_no_retired_ad_tool_in_either_schedule() -> None:
    for path in PATHS.values():
        assert "钻展" not in path.read_text(encoding="utf-8")
    assert not any("display ads" in t for t in texts(SCHEDULES["en"]))


# ------------------------------------------------------------------ platform rules, structure

FORBIDDEN = re.compile(r"刷单|刷评|刷销量|刷收藏|刷加购|好评返现|brush|fake", re.IGNORECASE)


def test_nothing_breaks_platform_rules(schedule: Schedule) -> None:
    """No 刷单, fake reviews or fake favourites in anything the schedule asks for; both
    headers say so."""
    assert not [t for t in texts(schedule) if FORBIDDEN.search(t)]
    for path in PATHS.values():
        header = path.read_text(encoding="utf-8").split("\nschedule:")[0]
        assert "刷单" in header


def _structure(node: Any) -> Any:
    """The template without what is written for people: titles, labels, details."""
    if isinstance(node, dict):
        return {
            key: _structure(value)
            for key, value in node.items()
            if key not in ("title", "label", "detail", "schedule", "language")
        }
    if isinstance(node, list):
        return [_structure(value) for value in node]
    return node


def test_both_schedules_have_the_same_structure() -> None:
    """Ids, times, repeats, checks, formulas and offsets are the same; only the words differ."""
    en, zh = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in PATHS.values())
    assert _structure(en) == _structure(zh)


def test_saturdays_figures_are_read_on_monday_and_the_week_sums_seven_days(
    schedule: Schedule,
) -> None:
    """Why item 2: with Mon–Sat workdays Saturday's figures used to be due on Sunday, a day
    off; now Monday asks for Saturday's and Sunday's, so a week's sales have every day."""
    from opsplanner.planner.metrics import data_dates
    from opsplanner.planner.targets import ladder

    monday = date(2026, 11, 30)
    for task_id in ("store-data", "refund-reasons", "reviews-qa", "ad-store-report", "cs-data"):
        task = occurrences(schedule, monday).task(task_id)
        assert task is not None, task_id
        assert data_dates(task, schedule, monday) == (date(2026, 11, 28), date(2026, 11, 29))
    week = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    history: MetricHistory = {"sales": dict.fromkeys(week, 1000.0)}
    (target,) = schedule.targets
    rung = next(r for r in ladder(schedule, target, history, until=week[-1]) if r.start == week[0])
    assert (rung.actual, rung.days_with_data) == (7000.0, 7)
