"""Reports: golden files over a generated fortnight (English and Chinese), read through the
use-case layer as the CLI and the TUI read them, and the pieces (suggestions, callouts,
trends, CSV and JSON) on hand-built days.

Golden files are rewritten with ``UPDATE_GOLDEN=1``; read the diff by eye before keeping it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from opsplanner import i18n
from opsplanner.clock import FixedClock
from opsplanner.planner.day import PlannedTask, occurrences
from opsplanner.planner.metrics import MetricHistory
from opsplanner.planner.record import DayRecord, Disposition, Status, TaskEntry
from opsplanner.planner.reports import (
    CSV_COLUMNS,
    DayReport,
    MonthReport,
    WeekReport,
    campaign_window,
    change_percent,
    day_report,
    month_range,
    month_report,
    render_csv,
    render_json,
    render_markdown,
    skip_suggestion,
    status_from_records,
    week_range,
    week_report,
)
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.service import OpsService
from opsplanner.store.engine import make_engine
from opsplanner.store.generate import generate_history
from opsplanner.store.store import Store

GOLDEN = Path(__file__).parent / "golden"
END = date(2026, 11, 23)  # generated history runs 2026-11-09 .. 2026-11-22
TODAY = END
REPORT_DAY = date(2026, 11, 21)
REPORT_WEEK = date(2026, 11, 18)
SCHEDULES = {"en": "taobao-operator.yaml", "zh": "taobao-operator.zh.yaml"}
LANGUAGES = {"en": i18n.ENGLISH, "zh": i18n.CHINESE}
"""What the CLI speaks with each schedule (the zh schedule declares zh_CN)."""

# What the operator did on top of the generated history, so the goldens show every section:
# a step skipped on most days, an item carried a third time, a cause and a follow-up.
EDITS = {
    "en": {
        "skip": "designer busy",
        "carry": "waiting on the boss",
        "cause": "platform issue",
        "follow_up": "Call the buyer about the broken zip",
    },
    "zh": {
        "skip": "美工排不开",
        "carry": "等老板确认",
        "cause": "平台问题",
        "follow_up": "联系买家处理拉链损坏问题",
    },
}


# ------------------------------------------------------------------ the generated fortnight


def build_history(path: Path, lang: str) -> Schedule:
    """The fixed fortnight plus the scripted edits, written by the store into a fresh SQLite
    file; returns the schedule it was planned from."""
    schedule = load_schedule(bundled_dir() / SCHEDULES[lang])
    engine = make_engine(str(path))
    generate_history(engine, schedule, days=14, end=END, operator="ana", seed=3)
    store = Store(engine, operator="ana", clock=FixedClock(datetime(2026, 11, 23, 1, tzinfo=UTC)))
    edits = EDITS[lang]

    def edit(day: date, key: str, status: Status, reason: str) -> None:
        store.reopen_day(schedule, day)
        store.set_status(schedule, day, key, status, reason=reason)
        store.close_day(schedule, day)

    for day in range(17, 22):  # with the generator's own: 5 of the week's 6 days
        record = store.existing_day(date(2026, 11, day))
        assert record is not None
        entry = record.entry("content-publish")
        if entry is not None and entry.status != "skipped":
            edit(record.day, "content-publish", "skipped", edits["skip"])
    # platform-notices carried three days running from the 18th, done on the 21st, whatever
    # the generator decided: each carry lands on the next day's entry while it is open
    days = [date(2026, 11, day) for day in range(18, 22)]
    for day in days:
        store.reopen_day(schedule, day)
    for day in days[1:]:
        store.set_status(schedule, day, "platform-notices", "pending")
    for day in days[:-1]:
        store.set_status(schedule, day, "platform-notices", "carried", reason=edits["carry"])
    store.set_status(schedule, days[-1], "platform-notices", "done")
    for day in days:
        store.close_day(schedule, day)
    store.add_disposition(
        metric="disputes",
        data_date=date(2026, 11, 21),
        checks=["disputes > 0"],
        cause=edits["cause"],
    )
    store.add_disposition(
        metric="bad_reviews",
        data_date=date(2026, 11, 20),
        checks=["bad_reviews > 0"],
        follow_up=edits["follow_up"],
        follow_up_day=END,
    )
    engine.dispose()
    return schedule


def reports_as_of(schedule: Schedule, db: Path, today: date = TODAY) -> OpsService:
    """The use-case layer the CLI's `report` calls, with the clock at 09:00 on `today`."""
    morning = datetime(today.year, today.month, today.day, 1, tzinfo=UTC)  # 09:00 Shanghai
    return OpsService.for_database(schedule, FixedClock(morning), db=str(db), operator="ana")


def as_json(data: object) -> bytes:
    """The JSON the CLI prints: readable Chinese, two-space indent."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def rendered(report: DayReport | WeekReport | MonthReport) -> dict[str, bytes]:
    return {
        "md": render_markdown(report).encode(),
        "csv": render_csv(report),
        "json": as_json(render_json(report)),
    }


def check_golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_bytes(), f"{name} differs from its golden file"


@pytest.fixture(scope="module", params=["en", "zh"])
def fortnight(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Schedule, Path]:
    """The language, its schedule and the database holding its fortnight (reports only read,
    so the module shares it)."""
    lang: str = request.param
    db = tmp_path_factory.mktemp(lang) / "g.sqlite3"
    return lang, build_history(db, lang), db


def test_day_report_golden(fortnight: tuple[str, Schedule, Path]) -> None:
    lang, schedule, db = fortnight
    i18n.use(LANGUAGES[lang])
    for fmt, data in rendered(reports_as_of(schedule, db).day_report(REPORT_DAY)).items():
        check_golden(f"{lang}-day-{REPORT_DAY.isoformat()}.{fmt}", data)


def test_week_report_golden(fortnight: tuple[str, Schedule, Path]) -> None:
    lang, schedule, db = fortnight
    i18n.use(LANGUAGES[lang])
    report = reports_as_of(schedule, db).period_report("week", REPORT_WEEK)
    for fmt, data in rendered(report).items():
        check_golden(f"{lang}-week-2026-W47.{fmt}", data)


def test_month_report_golden(fortnight: tuple[str, Schedule, Path]) -> None:
    lang, schedule, db = fortnight
    i18n.use(LANGUAGES[lang])
    report = reports_as_of(schedule, db).period_report("month", REPORT_WEEK)
    for fmt, data in rendered(report).items():
        check_golden(f"{lang}-month-2026-11.{fmt}", data)


def test_golden_reports_show_what_was_scripted(fortnight: tuple[str, Schedule, Path]) -> None:
    """Guard the goldens' meaning, not only their bytes."""
    lang, schedule, db = fortnight
    service = reports_as_of(schedule, db)
    period = service.period_report("week", REPORT_WEEK).period
    content = next(t for t in period.most_skipped if t.key == "content-publish")
    assert (content.count, content.days) == (5, 6)
    assert content.suggestion == (
        "skipped 5 of 6 days: move it, make it rarer (repeat: every 3 days) or drop it"
    )
    callout = next(c for c in period.carried_often if c.key == "platform-notices")
    assert (callout.times, callout.since) == (3, date(2026, 11, 18))
    assert {d.metric for d in period.dispositions} == {"disputes", "bad_reviews"}
    titles = {b.title for b in period.blocks}
    day = service.day_report(REPORT_DAY)
    store_data = day.metrics[0]
    assert (store_data.task, store_data.data_date) == ("store-data", date(2026, 11, 20))
    if lang == "zh":
        assert "数据诊断" in titles and "访客数（UV）" in render_markdown(day)
    else:
        assert "Data diagnosis" in titles


ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
NOT_TRANSLATED = (
    "opsplanner explain",  # the command to type, and its options
    "--date",
    "--cause",
    "repeat: every 3 days",  # the template syntax to write
)


def not_ours(schedule: Schedule) -> list[str]:
    """What a Chinese report may show in Latin letters without it being our English: the
    template's ids, titles, labels and check expressions, the commands and template syntax the
    report quotes, and what the scripted operator typed (the generated history's reasons and
    notes are the zh schedule's language: Chinese, not in this list)."""
    texts = [schedule.id, schedule.title, "ana", *NOT_TRANSLATED]
    texts += [text for metric in schedule.metrics for text in (metric.id, metric.label)]
    texts += [text for block in schedule.blocks for text in (block.id, block.title)]
    for task in schedule.tasks():
        texts += [task.id, task.title, *(check.source for check in task.checks)]
    for campaign in schedule.campaigns:
        texts += [campaign.id, campaign.title]
        texts += [f"{campaign.id}/{task.id}" for task in campaign.tasks]
        texts += [task.title for task in campaign.tasks]
    texts += [target.id for target in schedule.targets]
    texts += [*EDITS["zh"].values()]
    return sorted(set(texts), key=len, reverse=True)  # "store-data" before "store"


@pytest.mark.parametrize("fortnight", ["zh"], indirect=True)
def test_chinese_reports_have_no_english_of_ours(fortnight: tuple[str, Schedule, Path]) -> None:
    _lang, schedule, db = fortnight
    i18n.use(i18n.CHINESE)
    service = reports_as_of(schedule, db)
    reports = [
        service.day_report(REPORT_DAY),
        service.period_report("week", REPORT_WEEK),
        service.period_report("month", REPORT_WEEK),
    ]
    allowed = not_ours(schedule)
    for report in reports:
        for text in (render_markdown(report), render_csv(report).decode("utf-8-sig")):
            for known in allowed:
                text = text.replace(known, " ")
            assert ENGLISH_WORD.findall(text) == [], text


def test_reports_are_deterministic(tmp_path: Path) -> None:
    first, again = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    schedule, again_schedule = build_history(first, "en"), build_history(again, "en")
    week = rendered(reports_as_of(schedule, first).period_report("week", REPORT_WEEK))
    assert week == rendered(reports_as_of(again_schedule, again).period_report("week", REPORT_WEEK))


def test_a_past_week_reads_the_same_later(fortnight: tuple[str, Schedule, Path]) -> None:
    """Campaign statuses decided after the week do not change its report."""
    _lang, schedule, db = fortnight
    week = date(2026, 11, 11)
    now = reports_as_of(schedule, db, date(2026, 11, 15)).period_report("week", week)
    later = reports_as_of(schedule, db, date(2026, 11, 23)).period_report("week", week)
    assert render_markdown(now).replace(
        "as of 2026-11-15, in progress", "complete"
    ) == render_markdown(later)


# ------------------------------------------------------------------ hand-built days

MINI = """\
schedule: mini
title: Mini shop
since: 2026-11-02
metrics:
  sales: {label: Sales, unit: money, currency: CNY}
  orders: {label: 订单数, unit: count}
  avg_order:
    label: Average order
    unit: money
    currency: CNY
    formula: sales / orders
blocks:
  - id: morning
    title: Morning
    start: "09:00"
    end: "10:00"
    tasks:
      - id: store-data
        title: Record store data
        metrics: [sales, orders, avg_order]
        metrics_for: yesterday
        checks: [sales < 50]
      - id: content
        title: Publish content
      - id: review
        title: Review stock
targets:
  weekly-sales: {metric: sales, from: 2026-11-02, base: 700, growth: 10%, cap: 1000}
campaigns:
  - id: d11
    title: Double 11
    date: 2026-11-11
    tasks:
      - {id: register, title: Register, when: -3d, block: morning}
      - {id: retro, title: Retro, when: +2d, block: morning}
"""
MONDAY = date(2026, 11, 16)
OPENED = datetime(2026, 11, 16, 1, tzinfo=UTC)


@pytest.fixture
def mini() -> Schedule:
    return load_schedule_text(MINI, "mini.yaml")


def make_day(
    schedule: Schedule, day: date, states: dict[str, tuple[Status, str | None, int]] | None = None
) -> DayRecord:
    """A closed day; `states` maps task key to (status, reason, carried_count)."""
    plan = occurrences(schedule, day)
    states = states or {}
    entries = []
    for task in plan.tasks():
        status, reason, count = states.get(task.key, ("done", None, 0))
        entries.append(
            TaskEntry(
                task=task,
                status=status,
                reason=reason,
                carried_from=day - timedelta(days=count) if count else None,
                carried_count=count,
            )
        )
    return DayRecord(
        day=day,
        operator="ana",
        schedule_id=schedule.id,
        plan=plan,
        entries=tuple(entries),
        opened_at=OPENED,
        closed_at=OPENED,
    )


def week_of(
    schedule: Schedule,
    records: list[DayRecord],
    previous: Sequence[DayRecord] = (),
    history: MetricHistory | None = None,
    dispositions: list[Disposition] | None = None,
    status_of: Callable[[str], tuple[str, date | None]] | None = None,
) -> WeekReport:
    return week_report(
        schedule,
        records,
        list(previous),
        history or {},
        dispositions or [],
        day=MONDAY,
        today=date(2026, 11, 30),
        status_of=status_of or (lambda _key: ("none", None)),
    )


def test_skip_suggestion_threshold() -> None:
    assert skip_suggestion(5, 6) == (
        "skipped 5 of 6 days: move it, make it rarer (repeat: every 3 days) or drop it"
    )
    assert skip_suggestion(3, 5) is not None
    assert skip_suggestion(3, 6) is None  # half the days is not "most"
    assert skip_suggestion(2, 2) is None  # too few days to call it a habit
    assert skip_suggestion(1, 1) is None


def test_most_skipped_suggests_on_most_days_only(mini: Schedule) -> None:
    done: tuple[Status, str | None, int] = ("done", None, 0)
    busy: tuple[Status, str | None, int] = ("skipped", "designer busy", 0)
    no_time: tuple[Status, str | None, int] = ("skipped", "no time", 0)
    days = [MONDAY + timedelta(days=n) for n in range(6)]
    records = [
        make_day(
            mini, d, {"content": busy if n < 4 else done, "review": no_time if n < 3 else done}
        )
        for n, d in enumerate(days)
    ]
    period = week_of(mini, records).period
    by_key = {t.key: t for t in period.most_skipped}
    assert (by_key["content"].count, by_key["content"].days) == (4, 6)
    assert by_key["content"].suggestion is not None
    assert by_key["review"].suggestion is None  # 3 of 6
    assert [t.key for t in period.most_skipped] == ["content", "review"]
    assert by_key["content"].reasons[0].reason == "designer busy"
    text = render_markdown(week_of(mini, records))
    assert "- Publish content: skipped 4 of 6 days: move it" in text
    assert "Review stock: skipped" not in text


def test_items_carried_three_times_are_called_out(mini: Schedule) -> None:
    records = [
        make_day(mini, MONDAY, {"review": ("carried", "no time", 0)}),
        make_day(mini, MONDAY + timedelta(days=1), {"review": ("carried", "no time", 1)}),
        make_day(
            mini,
            MONDAY + timedelta(days=2),
            {"review": ("carried", "waiting", 2), "content": ("carried", "x", 1)},
        ),
        make_day(mini, MONDAY + timedelta(days=3), {"review": ("done", None, 3)}),
    ]
    period = week_of(mini, records).period
    assert [(c.key, c.times) for c in period.carried_often] == [("review", 3)]
    callout = period.carried_often[0]
    assert (callout.since, callout.last_status, callout.last_day) == (
        MONDAY,
        "done",
        MONDAY + timedelta(days=3),
    )
    assert callout.reasons[0].reason == "no time" and callout.reasons[0].count == 2
    assert (
        "Review stock: carried 3 times since 2026-11-16 (no time ×2, waiting); done "
        "on 2026-11-19." in render_markdown(week_of(mini, records))
    )
    twice = week_of(mini, records[:2]).period
    assert twice.carried_often == ()


def test_trend_change_against_the_previous_week(mini: Schedule) -> None:
    history: dict[str, dict[date, float]] = {"sales": {}, "orders": {}}
    for n in range(7):
        history["sales"][MONDAY - timedelta(days=7 - n)] = 100.0
        history["sales"][MONDAY + timedelta(days=n)] = 100.0 + 20 * (n % 2)  # avg 108.57
        history["orders"][MONDAY + timedelta(days=n)] = 4.0  # no previous week
    period = week_of(mini, [], history=history).period
    trends = {t.metric: t for t in period.trends}
    sales = trends["sales"]
    assert (sales.min, sales.max, sales.days) == (100.0, 120.0, 7)
    assert sales.previous_avg == pytest.approx(100.0)
    assert sales.change_percent == pytest.approx(60 / 7)
    assert trends["orders"].change_percent is None
    assert trends["avg_order"].avg == pytest.approx((25 * 4 + 30 * 3) / 7)
    text = render_markdown(week_of(mini, [], history=history))
    assert "| Sales | ¥100.00 | ¥108.57 | ¥120.00 | +8.6% |" in text
    assert "| 订单数 | 4 | 4 | 4 | — |" in text
    assert change_percent(5.0, 0.0) is None
    assert change_percent(90.0, -100.0) == pytest.approx(190.0)


def test_ladder_target_in_the_week(mini: Schedule) -> None:
    history = {"sales": {MONDAY + timedelta(days=n): 150.0 for n in range(4)}}
    period = week_of(mini, [], history=history).period
    (view,) = period.targets
    (rung,) = view.weeks
    assert (rung.number, rung.actual) == (3, 600.0)
    assert rung.target == pytest.approx(847.0)
    assert view.previous is not None and view.previous.actual is None
    assert "| This week (week 3) | ¥847.00 | ¥600.00 | 71% | 4 of 7 |" in render_markdown(
        week_of(mini, [], history=history)
    )


def test_day_report_checks_dispositions_and_data_dates(mini: Schedule) -> None:
    day = MONDAY + timedelta(days=1)
    record = make_day(
        mini, day, {"content": ("skipped", "no time", 0), "review": ("carried", "waiting", 2)}
    )
    history = {"sales": {MONDAY: 20.0}, "orders": {MONDAY: 2.0}}
    cause = Disposition("sales", MONDAY, "sales < 50", "promotion ended", None, None, OPENED)
    other_day = Disposition("sales", day, "sales < 50", "elsewhere", None, None, OPENED)
    report = day_report(mini, record, history, [cause, other_day])
    (group,) = report.metrics
    assert group.data_date == MONDAY
    assert [(r.metric, r.value) for r in group.readings] == [
        ("sales", 20.0),
        ("orders", 2.0),
        ("avg_order", 10.0),
    ]
    (failed,) = report.failed_checks
    assert (failed.metric, failed.data_date, failed.expr) == ("sales", MONDAY, "sales < 50")
    assert [d.cause for d in failed.dispositions] == ["promotion ended"]
    assert [(i.key, i.status) for i in report.not_done] == [
        ("content", "skipped"),
        ("review", "carried"),
    ]
    text = render_markdown(report)
    assert "- Sales ¥20.00 is below ¥50.00 · `sales < 50` · data for 2026-11-16" in text
    assert "  - cause: promotion ended" in text
    assert "- Carried: Review stock (Morning) — waiting; carried ×2 since 2026-11-15" in text
    assert "| Morning | 09:00–10:00 | 1 of 3 |" in text


def test_csv_has_a_bom_and_reads_back(mini: Schedule) -> None:
    record = make_day(mini, MONDAY, {"content": ("skipped", '美工没空, "busy"', 0)})
    history = {"sales": {MONDAY - timedelta(days=1): 1234.5}, "orders": {}}
    data = render_csv(day_report(mini, record, history, []))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    sales = next(r for r in rows if r[0] == "metric" and r[3] == "sales")
    assert (sales[1], sales[5], sales[7]) == ("2026-11-15", "1234.5", "¥1,234.50")
    orders = next(r for r in rows if r[0] == "metric" and r[3] == "orders")
    assert (orders[4], orders[5]) == ("订单数", "")
    task = next(r for r in rows if r[0] == "task")
    assert (task[3], task[5], task[7]) == ("content", "skipped", '美工没空, "busy"')


def test_week_and_month_csv_read_back(mini: Schedule) -> None:
    records = [make_day(mini, MONDAY + timedelta(days=n)) for n in range(6)]
    history = {"sales": {MONDAY: 100.0}, "orders": {MONDAY: 4.0}}
    for report in (
        week_of(mini, records, history=history),
        month_report(
            mini,
            records,
            [],
            history,
            [],
            day=MONDAY,
            today=date(2026, 12, 1),
            status_of=lambda _k: ("none", None),
        ),
    ):
        rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"))))
        sections = {row[0] for row in rows[1:]}
        assert {"day", "metric", "target", "trend"} <= sections
        day_rows = [row for row in rows if row[0] == "day"]
        assert len(day_rows) == len(report.period.days)


def test_json_round_trips(mini: Schedule) -> None:
    records = [
        make_day(mini, MONDAY + timedelta(days=n), {"content": ("skipped", "x", 0)})
        for n in range(6)
    ]
    history = {
        "sales": {MONDAY + timedelta(days=n): 80.0 + n for n in range(-7, 7)},
        "orders": {MONDAY: 0.0},
    }  # avg_order divides by zero: no value, no NaN
    reports: list[DayReport | WeekReport | MonthReport] = [
        day_report(mini, records[0], history, []),
        week_of(mini, records, history=history),
        month_report(
            mini,
            records,
            [],
            history,
            [],
            day=MONDAY,
            today=date(2026, 12, 1),
            status_of=lambda _k: ("none", None),
        ),
    ]
    for report in reports:
        data = render_json(report)
        text = json.dumps(data, allow_nan=False, ensure_ascii=False)
        assert json.loads(text) == data
    assert [render_json(r)["kind"] for r in reports] == ["day", "week", "month"]
    week = render_json(reports[1])
    assert week["start"] == "2026-11-16" and week["week"] == "2026-W47"


def test_ranges() -> None:
    week = week_range(date(2026, 11, 18))
    assert (week.start, week.end, week.previous_start, week.previous_end) == (
        date(2026, 11, 16),
        date(2026, 11, 22),
        date(2026, 11, 9),
        date(2026, 11, 15),
    )
    # Monday may read figures back to its last workday (searched a month back), and avg7
    # looks 60 days further.
    assert week.dispositions_start == date(2026, 11, 16) - timedelta(days=31)
    assert week.history_start == date(2026, 11, 16) - timedelta(days=31 + 60)
    assert week.history_end == week.end


@pytest.mark.parametrize(
    ("day", "month", "previous"),
    [
        ("2026-11-30", ("2026-11-01", "2026-11-30"), ("2026-10-01", "2026-10-31")),
        ("2026-11-01", ("2026-11-01", "2026-11-30"), ("2026-10-01", "2026-10-31")),
        ("2027-03-15", ("2027-03-01", "2027-03-31"), ("2027-02-01", "2027-02-28")),
        ("2028-02-29", ("2028-02-01", "2028-02-29"), ("2028-01-01", "2028-01-31")),
        ("2027-01-01", ("2027-01-01", "2027-01-31"), ("2026-12-01", "2026-12-31")),
        ("2027-12-31", ("2027-12-01", "2027-12-31"), ("2027-11-01", "2027-11-30")),
    ],
)
def test_a_month_is_the_calendar_month(
    day: str, month: tuple[str, str], previous: tuple[str, str]
) -> None:
    """1st to last day, compared with the calendar month before (#12 item 9)."""
    span = month_range(date.fromisoformat(day))
    assert (span.start.isoformat(), span.end.isoformat()) == month
    assert (span.previous_start.isoformat(), span.previous_end.isoformat()) == previous
    # the ladder's weeks straddling either end are read whole
    assert span.history_start <= span.start - timedelta(days=span.start.weekday())
    assert span.history_end.weekday() == 6 and span.history_end - span.end < timedelta(days=7)


def test_month_groups_days_by_week(mini: Schedule) -> None:
    records = [
        make_day(mini, MONDAY + timedelta(days=n), {"content": ("skipped", "x", 0)})
        for n in range(6)
    ]
    report = month_report(
        mini,
        records,
        [],
        {},
        [],
        day=date(2026, 11, 3),
        today=date(2026, 12, 10),
        status_of=lambda _k: ("none", None),
    )
    assert report.month == "2026-11"
    assert (report.period.start, report.period.end) == (date(2026, 11, 1), date(2026, 11, 30))
    # Sun 11-01 alone, four whole weeks, Mon 11-30 alone: every day of the month once
    assert [(w.start.day, w.end.day, w.days) for w in report.weeks] == [
        (1, 1, 1), (2, 8, 7), (9, 15, 7), (16, 22, 7), (23, 29, 7), (30, 30, 1)
    ]  # fmt: skip
    assert sum(w.days for w in report.weeks) == 30
    week = next(w for w in report.weeks if w.start == MONDAY)
    assert (week.done, week.total, week.skipped) == (12, 18, 6)
    assert sum(w.total for w in report.weeks) == report.period.total
    text = render_markdown(report)
    assert "| 2026-11-16 – 2026-11-22 | 12 of 18 (67%) | 6 | 0 | 0 |" in text
    assert "| 2026-11-02 – 2026-11-08 | no records |  |  |  |" in text
    assert "| 2026-11-01 (partial: 1 day in this month) | no records |" in text
    assert "| 2026-11-30 (partial: 1 day in this month) | no records |" in text
    assert "The month runs from 2026-11-01 to 2026-11-30 and is compared with 2026-10-01" in text


def test_the_ladder_counts_a_week_straddling_the_month_whole(mini: Schedule) -> None:
    """Mon 11-30 – Sun 12-06 is in November's ladder with December's days in its actual."""
    history = {"sales": {date(2026, 11, 30): 100.0, date(2026, 12, 6): 50.0}}
    report = month_report(
        mini,
        [],
        [],
        history,
        [],
        day=date(2026, 11, 30),
        today=date(2026, 12, 10),
        status_of=lambda _k: ("none", None),
    )
    (target,) = report.period.targets
    last = target.weeks[-1]
    assert (last.start, last.end, last.actual, last.days_with_data) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
        150.0,
        2,
    )
    assert target.weeks[0].start == date(2026, 11, 2)  # week 1 of the ladder
    assert "against the sales target" in render_markdown(report)


def test_campaign_status_as_of_the_report_date(mini: Schedule) -> None:
    register = make_day(mini, date(2026, 11, 8))  # d11/register is due and done that day
    later = make_day(mini, date(2026, 11, 17))
    retro = PlannedTask(key="d11/retro", title="Retro", block_id="morning", campaign_id="d11")
    retro_done_late = DayRecord(  # carried, then done after the week being reported
        day=later.day,
        operator="ana",
        schedule_id="mini",
        plan=later.plan,
        opened_at=OPENED,
        entries=(
            *later.entries,
            TaskEntry(task=retro, status="done", carried_count=4, carried_from=date(2026, 11, 13)),
        ),
    )
    status_of = status_from_records([retro_done_late, register])
    assert status_of("d11/register") == ("done", date(2026, 11, 8))
    assert status_of("d11/retro") == ("done", date(2026, 11, 17))
    assert status_of("d11/other") == ("none", None)
    assert campaign_window(mini, date(2026, 11, 16)) == (date(2026, 11, 8), date(2026, 11, 16))
    assert campaign_window(mini, date(2027, 3, 1)) is None
    previous_week = week_report(
        mini, [], [], {}, [], day=date(2026, 11, 10), today=date(2026, 11, 30), status_of=status_of
    )
    (d11,) = previous_week.period.campaigns
    assert previous_week.period.as_of == date(2026, 11, 15)
    assert (d11.done, [i.key for i in d11.late]) == (1, ["d11/retro"])


def test_reports_module_is_pure() -> None:
    code = (
        "import json, sys; import opsplanner.planner.reports; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    assert not loaded & {"textual", "sqlalchemy", "sqlmodel", "alembic"}


# ----------------------------------------------------------------------------- paused weeks

HOLIDAY_LADDER = """\
schedule: festive
title: Festive shop
calendar: {country: CN, workdays: [mon, tue, wed, thu, fri, sat]}
metrics:
  sales: {label: Sales, unit: money, currency: CNY}
blocks:
  - id: morning
    title: Morning
    start: "09:00"
    end: "10:00"
    tasks:
      - {id: store-data, title: Record store data, metrics: [sales]}
targets:
  weekly-sales:
    metric: sales
    from: 2027-01-04
    base: 1000
    growth: 10%
    pause: holidays
"""
FESTIVAL_MONDAY = date(2027, 2, 8)  # the 2027 Spring Festival week: Mon..Wed are holidays


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_paused_week_golden(lang: str) -> None:
    """The Spring Festival week reads as paused, with its days off, in every format; the
    month shows the ladder resuming after it where it left off."""
    i18n.use(LANGUAGES[lang])
    schedule = load_schedule_text(HOLIDAY_LADDER, "festive.yaml")
    history: MetricHistory = {
        "sales": {date(2027, 2, 1) + timedelta(days=n): 200.0 for n in range(21)}
    }

    def report(build: Callable[..., WeekReport | MonthReport]) -> WeekReport | MonthReport:
        return build(
            schedule,
            [],
            [],
            history,
            [],
            day=FESTIVAL_MONDAY,
            today=date(2027, 3, 1),
            status_of=lambda _key: ("none", None),
        )

    week = report(week_report)
    assert isinstance(week, WeekReport)
    for ext, data in rendered(week).items():
        check_golden(f"{lang}-paused-week-2027-02-08.{ext}", data)
    month = report(month_report)
    check_golden(f"{lang}-paused-month-2027-02.md", render_markdown(month).encode())

    (view,) = week.period.targets
    (rung,) = view.weeks
    assert (rung.number, rung.target, rung.paused, rung.days_off) == (6, None, "holidays", 3)
    assert rung.actual == 1400.0  # sales still count in a paused week
    assert view.previous is not None and view.previous.target == pytest.approx(1000 * 1.1**4)
    paused = {"en": "paused: 3 days off for holidays", "zh": "暂停：本周节假日休息 3 天"}[lang]
    assert paused in render_markdown(week)
    assert paused in render_csv(week).decode("utf-8-sig")
    assert render_json(week)["targets"][0]["weeks"][0]["paused"] == "holidays"
