"""Campaign countdowns: days to go, preparations in due order, late ones flagged until decided;
yearly events, phases, moves off days off and the first-use rule."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsplanner import i18n
from opsplanner.planner.campaigns import (
    MAX_MOVE_DAYS,
    Countdown,
    CountdownTask,
    StatusOf,
    campaign_dues,
    countdown_text,
    countdowns,
    late_campaign_tasks,
)
from opsplanner.planner.day import campaign_tasks_due, occurrences
from opsplanner.schedule.loader import load_schedule_text
from opsplanner.schedule.models import (
    Calendar,
    Campaign,
    CampaignTask,
    OnDayOff,
    Phase,
    Schedule,
)

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


# --------------------------------------------------------------- yearly campaigns

month_days = st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31))
years = st.integers(min_value=2000, max_value=2090)
offsets = st.integers(min_value=-200, max_value=200)


def yearly(
    month_day: date,
    offsets: list[int],
    *,
    on_day_off: OnDayOff = "keep",
    calendar: Calendar | None = None,
) -> Schedule:
    tasks = tuple(CampaignTask(f"t{n}", f"Task {n}", offset) for n, offset in enumerate(offsets))
    campaign = Campaign(
        "event", "Event", month_day.month, month_day.day, None, tasks, (), on_day_off
    )
    return Schedule("s", "S", "<test>", calendar=calendar or Calendar(), campaigns=(campaign,))


@settings(deadline=None)
@given(month_day=month_days, year=years, offset_list=st.lists(offsets, min_size=1, max_size=4))
def test_every_year_has_its_own_occurrence_on_the_right_day(
    month_day: date, year: int, offset_list: list[int]
) -> None:
    schedule = yearly(month_day, offset_list)
    event = date(year, month_day.month, month_day.day)
    for n, offset in enumerate(offset_list):
        due = event + timedelta(days=offset)
        found = [d for d in campaign_dues(schedule, due, due) if d.task.id == f"t{n}"]
        # this year's event, and only it (an offset can never reach another year's)
        assert [(d.key, d.event, d.due) for d in found] == [(f"event@{year}/t{n}", event, due)]
        plan = occurrences(schedule, due)
        assert f"event@{year}/t{n}" in {t.key for t in plan.tasks()}


@settings(deadline=None)
@given(
    month_day=month_days,
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)),
    span=st.integers(min_value=0, max_value=800),
    offset_list=st.lists(offsets, min_size=1, max_size=3),
)
def test_a_range_holds_exactly_the_days_it_spans(
    month_day: date, start: date, span: int, offset_list: list[int]
) -> None:
    """Asking for a range gives what asking day by day gives: no year is missed at the
    edges of the window the events are looked for in."""
    schedule = yearly(month_day, offset_list)
    end = start + timedelta(days=span)
    by_range = sorted((d.key, d.due) for d in campaign_dues(schedule, start, end))
    by_day = sorted(
        (d.key, d.due)
        for n in range(span + 1)
        for d in campaign_dues(schedule, start + timedelta(n), start + timedelta(n))
    )
    assert by_range == by_day
    assert len({key for key, _ in by_range}) == len(by_range)  # one due per task and year


weekday_sets = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)
holiday_sets = st.frozensets(
    st.dates(min_value=date(2025, 6, 1), max_value=date(2028, 6, 1)), max_size=60
)


@settings(deadline=None)
@given(
    month_day=month_days,
    year=st.integers(min_value=2026, max_value=2027),
    offset=st.integers(min_value=-120, max_value=120),
    workdays=weekday_sets,
    holidays=holiday_sets,
    rule=st.sampled_from(["before", "after"]),
)
def test_a_task_due_on_a_day_off_moves_to_the_nearest_workday_on_its_side(
    month_day: date,
    year: int,
    offset: int,
    workdays: frozenset[int],
    holidays: frozenset[date],
    rule: OnDayOff,
) -> None:
    calendar = Calendar(workdays=workdays, holidays=holidays)
    schedule = yearly(month_day, [offset], on_day_off=rule, calendar=calendar)
    event = date(year, month_day.month, month_day.day)
    nominal = event + timedelta(days=offset)
    window = (nominal - timedelta(MAX_MOVE_DAYS), nominal + timedelta(MAX_MOVE_DAYS))
    [due] = [d.due for d in campaign_dues(schedule, *window) if d.event == event]
    step = -1 if rule == "before" else 1
    skipped = [nominal + timedelta(step * n) for n in range(abs((due - nominal).days))]
    assert all(not calendar.is_workday(day) for day in skipped)  # nothing nearer was open
    if calendar.is_workday(due):
        assert (due - nominal).days * step >= 0  # on its own side, or its own day
    else:  # no workday within reach: the task keeps its day
        assert due == nominal and len(skipped) == 0


def test_tasks_relative_to_a_phase_and_moved_off_a_sunday() -> None:
    """618 with a pre-sale from 28 May: registration five weeks before it, moved off the
    Sunday it falls on in 2027 to the Saturday (a Mon-Sat shop)."""
    tasks = (
        CampaignTask("register", "Register", -35, phase="presale"),
        CampaignTask("retro", "Review", 3, phase="main", from_phase_end=True, on_day_off="after"),
        CampaignTask("live", "Live", 0, on_day_off="keep"),
    )
    campaign = Campaign(
        "m618",
        "618",
        6,
        18,
        None,
        tasks,
        (Phase("presale", -21, -18), Phase("main", -17, 0)),
        "before",
    )
    schedule = Schedule(
        "s",
        "S",
        "<t>",
        calendar=Calendar(workdays=frozenset(range(6))),
        campaigns=(campaign,),
    )
    dues = {d.key: d.due for d in campaign_dues(schedule, date(2027, 1, 1), date(2027, 12, 31))}
    assert dues == {
        "m618@2027/register": date(2027, 4, 23),  # 05-28 - 35 days: a Friday, kept
        "m618@2027/retro": date(2027, 6, 21),  # 06-18 + 3 = Monday 06-21
        "m618@2027/live": date(2027, 6, 18),
    }
    dues_2028 = {d.key: d.due for d in campaign_dues(schedule, date(2028, 6, 1), date(2028, 6, 30))}
    assert dues_2028["m618@2028/live"] == date(2028, 6, 18)  # a Sunday, kept: the platform's day
    assert dues_2028["m618@2028/retro"] == date(2028, 6, 21)  # Wednesday


# ----------------------------------------------------------------- the first-use rule

FIRST_USE = """
schedule: shop
title: Shop
since: 2026-11-02
blocks:
  - id: activities
    title: Activities
    start: "14:30"
    end: "15:30"
    tasks:
      - {id: plan, title: Plan activities}
campaigns:
  - id: double-11
    title: Double 11
    date: 11-11
    grace: 7d
    tasks:
      - {id: goals, title: Goals, when: -28d}
      - {id: offer, title: Offer, when: -14d}
      - {id: risks, title: Risks, when: -5d}
      - {id: retro, title: Review, when: +2d}
"""


def test_first_use_never_starts_late_by_more_than_the_grace() -> None:
    schedule = load_schedule_text(FIRST_USE)
    today = date(2026, 11, 2)  # since: the first day, nine days before Double 11
    [d11] = countdowns(schedule, today, store())
    assert statuses(d11.tasks) == {
        "double-11@2026/goals": "before_start",  # due 10-14: weeks before the start
        "double-11@2026/offer": "late",  # due 10-28: within the week's grace
        "double-11@2026/risks": "pending",
        "double-11@2026/retro": "pending",
    }
    assert [t.key for t in d11.late] == ["double-11@2026/offer"]
    # started later than `since`: the later of the two counts
    later = countdowns(schedule, date(2026, 11, 9), store(), started=date(2026, 11, 9))
    assert [t.key for t in later[0].late] == ["double-11@2026/risks"]  # 11-06: within 7 days
    # the store's carried-in items follow the same rule
    carried = [
        task.key
        for task, _due in campaign_tasks_due(
            schedule, date(2025, 11, 1), date(2026, 11, 8), started=date(2026, 11, 9)
        )
    ]
    assert carried == ["double-11@2026/risks"]


def test_next_years_event_is_not_answered_by_this_years_ticks() -> None:
    schedule = load_schedule_text(FIRST_USE)
    status_of = store({"double-11@2026/risks": ("done", date(2026, 11, 6))})
    [d11_2027] = countdowns(schedule, date(2027, 11, 1), status_of)
    assert d11_2027.campaign_id == "double-11@2027" and d11_2027.date == date(2027, 11, 11)
    assert statuses(d11_2027.tasks)["double-11@2027/risks"] == "pending"
    assert [t.key for t in d11_2027.late] == [
        "double-11@2027/goals",
        "double-11@2027/offer",
    ]


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
