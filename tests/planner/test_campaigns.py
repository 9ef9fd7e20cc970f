"""Campaign countdowns: days to go, preparations in due order, late ones flagged until decided."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest

from opsplanner import i18n
from opsplanner.planner.campaigns import (
    Countdown,
    CountdownTask,
    StatusOf,
    countdown_text,
    countdowns,
    late_campaign_tasks,
)
from opsplanner.schedule.loader import load_schedule_text
from opsplanner.schedule.models import Schedule

YAML = """
schedule: shop
title: Shop
blocks:
  - id: activities
    title: Activities
    start: "14:30"
    end: "15:30"
    tasks:
      - id: plan
        title: Plan activities
campaigns:
  - id: double-11
    title: Double 11
    date: 2026-11-11
    tasks:
      - {id: retro, title: "Campaign review: targets vs actual", when: +2d}
      - {id: register, title: Register for the platform event, when: -21d, block: activities}
      - {id: stock, title: Check stock for the campaign, when: -1w}
      - {id: brief-cs, title: Brief customer service on prices and coupons, when: -1d}
      - {id: launch, title: Watch the launch, when: 0d}
  - id: double-12
    title: Double 12
    date: 2026-12-12
    tasks:
      - {id: register, title: Register for the platform event, when: -14d}
  - id: spring-618
    title: "618"
    date: 2027-06-18
    tasks:
      - {id: register, title: Register for the platform event, when: -21d}
"""

D11 = date(2026, 11, 11)
TODAY = D11 - timedelta(days=21)  # 2026-10-21, the day registration is due


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return load_schedule_text(YAML)


def store(entries: Mapping[str, tuple[str, date | None]] | None = None) -> StatusOf:
    """A fake store: the latest (status, date) per key, ("none", None) when never seen."""
    known = dict(entries or {})

    def status_of(key: str) -> tuple[str, date | None]:
        return known.get(key, ("none", None))

    return status_of


def only(result: tuple[Countdown, ...], campaign_id: str) -> Countdown:
    [found] = [c for c in result if c.campaign_id == campaign_id]
    return found


def statuses(tasks: tuple[CountdownTask, ...]) -> dict[str, str]:
    return {t.key: t.status for t in tasks}


# --------------------------------------------------------------------- countdowns


def test_campaign_three_weeks_ahead_lists_tasks_in_due_order(schedule: Schedule) -> None:
    result = countdowns(schedule, TODAY, store())
    assert [c.campaign_id for c in result] == ["double-11", "double-12"]
    d11 = result[0]
    assert (d11.title, d11.date, d11.days_until) == ("Double 11", D11, 21)
    assert [(t.key, (t.due - D11).days) for t in d11.tasks] == [
        ("double-11/register", -21),
        ("double-11/stock", -7),
        ("double-11/brief-cs", -1),
        ("double-11/launch", 0),
        ("double-11/retro", 2),
    ]
    assert all(t.status == "pending" for t in d11.tasks)  # register is due today: not late
    assert (d11.done, d11.total, d11.late) == (0, 5, ())
    assert d11.tasks[0].title == "Register for the platform event"


def test_done_skipped_and_late(schedule: Schedule) -> None:
    today = D11 - timedelta(days=3)
    done_day = D11 - timedelta(days=22)
    status_of = store(
        {
            "double-11/register": ("done", done_day),  # done a day early
            "double-11/stock": ("carried", D11 - timedelta(days=5)),  # carried, still open
        }
    )
    d11 = only(countdowns(schedule, today, status_of), "double-11")
    assert statuses(d11.tasks) == {
        "double-11/register": "done",
        "double-11/stock": "late",
        "double-11/brief-cs": "pending",
        "double-11/launch": "pending",
        "double-11/retro": "pending",
    }
    assert d11.tasks[0].done_on == done_day
    assert (d11.done, d11.total) == (1, 5)
    assert [t.key for t in d11.late] == ["double-11/stock"]

    skipped = store(
        {
            "double-11/register": ("done", done_day),
            "double-11/stock": ("skipped", today),
        }
    )
    d11 = only(countdowns(schedule, today, skipped), "double-11")
    assert d11.tasks[1].status == "skipped"
    assert d11.tasks[1].done_on is None
    assert (d11.done, d11.late) == (1, ())


@pytest.mark.parametrize(
    "stored",
    [
        ("none", None),
        ("pending", D11 - timedelta(days=7)),
        ("carried", D11 - timedelta(days=6)),
        ("missed", D11 - timedelta(days=7)),
    ],
)
def test_anything_undecided_past_due_is_late(
    schedule: Schedule, stored: tuple[str, date | None]
) -> None:
    d11 = only(countdowns(schedule, D11, store({"double-11/stock": stored})), "double-11")
    assert statuses(d11.tasks)["double-11/stock"] == "late"
    assert statuses(d11.tasks)["double-11/launch"] == "pending"  # due today


@pytest.mark.parametrize(
    ("today", "days_until"),
    [
        (D11 - timedelta(days=1), 1),
        (D11, 0),
        (D11 + timedelta(days=2), -2),
    ],
)
def test_days_until(schedule: Schedule, today: date, days_until: int) -> None:
    assert only(countdowns(schedule, today, store()), "double-11").days_until == days_until


def test_far_future_campaign_is_not_listed(schedule: Schedule) -> None:
    ids = [c.campaign_id for c in countdowns(schedule, TODAY, store())]
    assert "spring-618" not in ids
    # 618's registration (2027-05-28) comes within the 60-day horizon on 2027-03-29
    register = date(2027, 5, 28)
    assert "spring-618" not in [
        c.campaign_id for c in countdowns(schedule, register - timedelta(days=61), store())
    ]
    assert "spring-618" in [
        c.campaign_id for c in countdowns(schedule, register - timedelta(days=60), store())
    ]


def test_horizon_counts_from_the_first_task(schedule: Schedule) -> None:
    first_task = D11 - timedelta(days=21)
    before = countdowns(schedule, first_task - timedelta(days=11), store(), horizon_days=10)
    on = countdowns(schedule, first_task - timedelta(days=10), store(), horizon_days=10)
    assert "double-11" not in [c.campaign_id for c in before]
    assert "double-11" in [c.campaign_id for c in on]


def test_disappears_after_keep_after_days(schedule: Schedule) -> None:
    last = D11 + timedelta(days=14)
    assert only(countdowns(schedule, last, store()), "double-11").days_until == -14
    gone = countdowns(schedule, last + timedelta(days=1), store())
    assert "double-11" not in [c.campaign_id for c in gone]
    short = countdowns(schedule, D11 + timedelta(days=3), store(), keep_after_days=2)
    assert "double-11" not in [c.campaign_id for c in short]


def test_stays_until_its_last_task_is_due() -> None:
    schedule = load_schedule_text(YAML.replace("when: +2d", "when: +20d"))
    today = D11 + timedelta(days=20)
    assert only(countdowns(schedule, today, store()), "double-11").tasks[-1].due == today
    after = countdowns(schedule, today + timedelta(days=1), store())
    assert "double-11" not in [c.campaign_id for c in after]


def test_countdowns_are_soonest_first(schedule: Schedule) -> None:
    result = countdowns(schedule, D11 - timedelta(days=10), store())
    assert [c.date for c in result] == sorted(c.date for c in result)


def test_negative_windows_are_rejected(schedule: Schedule) -> None:
    with pytest.raises(ValueError, match="negative"):
        countdowns(schedule, TODAY, store(), horizon_days=-1)


# --------------------------------------------------------------------- late tasks


def test_late_tasks_are_flagged_every_day_until_decided(schedule: Schedule) -> None:
    register_due = D11 - timedelta(days=21)
    assert late_campaign_tasks(schedule, register_due, store()) == ()  # due today: not late
    for offset in (1, 2, 5, 13):  # every following day, never the due day or earlier
        late = late_campaign_tasks(schedule, register_due + timedelta(days=offset), store())
        assert [t.key for t in late] == ["double-11/register"]
        assert late[0].status == "late" and late[0].due == register_due
    # long after the campaign has left the countdown, still flagged
    much_later = D11 + timedelta(days=40)
    assert "double-11" not in [c.campaign_id for c in countdowns(schedule, much_later, store())]
    keys = [t.key for t in late_campaign_tasks(schedule, much_later, store())]
    assert keys[0] == "double-11/register"
    assert "double-12/register" in keys

    decided_on = register_due + timedelta(days=6)
    for status in ("done", "skipped"):
        status_of = store({"double-11/register": (status, decided_on)})
        after = late_campaign_tasks(schedule, register_due + timedelta(days=7), status_of)
        assert after == ()


def test_late_tasks_oldest_first_across_campaigns(schedule: Schedule) -> None:
    today = date(2026, 12, 20)
    status_of = store({"double-11/launch": ("done", D11), "double-11/brief-cs": ("skipped", D11)})
    late = late_campaign_tasks(schedule, today, status_of)
    assert [t.key for t in late] == [
        "double-11/register",
        "double-11/stock",
        "double-11/retro",
        "double-12/register",
    ]
    assert [t.due for t in late] == sorted(t.due for t in late)


def test_late_tasks_do_not_ask_the_store_about_future_tasks(schedule: Schedule) -> None:
    asked: list[str] = []

    def status_of(key: str) -> tuple[str, date | None]:
        asked.append(key)
        return ("none", None)

    late_campaign_tasks(schedule, D11, status_of)
    assert sorted(asked) == ["double-11/brief-cs", "double-11/register", "double-11/stock"]


@pytest.mark.parametrize(
    ("days_until", "english", "chinese"),
    [
        (3, "in 3 days", "还有 3 天"),
        (1, "in 1 day", "还有 1 天"),
        (0, "today", "今天"),
        (-1, "1 day ago", "已过 1 天"),
        (-12, "12 days ago", "已过 12 天"),
    ],
)
def test_countdown_text_in_each_language(days_until: int, english: str, chinese: str) -> None:
    assert countdown_text(days_until) == english
    i18n.use(i18n.CHINESE)
    assert countdown_text(days_until) == chinese
