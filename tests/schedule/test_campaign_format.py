"""Yearly campaigns, phases, day-off moves and the country calendar: what loads, and each
mistake reported at its FILE:LINE:COL."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from opsplanner.schedule.loader import load_schedule, load_schedule_and_sources
from opsplanner.schedule.models import Phase
from tests.schedule.test_loader import VALID, problems, write


def campaigns(body: str) -> str:
    return VALID + "campaigns:\n" + textwrap.indent(textwrap.dedent(body), "  ")


YEARLY = campaigns("""\
    - id: double-11
      title: 双十一
      date: 11-11
      phases:
        presale: {start: -18d, end: -12d}
        main: {start: -11d, end: 0d}
      on_day_off: before
      grace: 2w
      tasks:
        - {id: register, title: 报名, when: presale -5w, block: morning}
        - {id: balance, title: 尾款, when: main 0d, on_day_off: keep}
        - {id: retro, title: 复盘, when: main end +3d, on_day_off: after}
        - {id: eve, title: 前一天, when: -1d}
    - id: launch
      title: Launch
      date: 2026-03-02
      tasks:
        - {id: go, title: Go, when: 0d}
    """)


def test_a_yearly_campaign_with_phases_loads(tmp_path: Path) -> None:
    schedule = load_schedule(write(tmp_path, YEARLY))
    d11, launch = schedule.campaigns
    assert (d11.yearly, d11.month, d11.day, d11.on_day_off, d11.grace_days) == (
        True,
        11,
        11,
        "before",
        14,
    )
    assert d11.phases == (Phase("presale", -18, -12), Phase("main", -11, 0))
    assert [d11.offset(t) for t in d11.tasks] == [-18 - 35, -11, 3, -1]
    assert [t.on_day_off for t in d11.tasks] == [None, "keep", "after", None]
    assert d11.date_in(2031) == date(2031, 11, 11)
    # the fixed form keeps working: once, in its year, nowhere else
    assert not launch.yearly and launch.date_in(2026) == date(2026, 3, 2)
    assert launch.date_in(2027) is None and launch.on_day_off == "keep"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "date: 11-11",
            "date: 02-29",
            "shop.yaml:28:11: campaign 'double-11' `date` should be a date like 2026-11-11 "
            "(once) or 11-11 (every year), not '02-29'; 02-29 does not come every year",
        ),
        (
            "date: 11-11",
            "date: 13-01",
            "shop.yaml:28:11: campaign 'double-11' `date` should be a date like 2026-11-11",
        ),
        (
            "when: presale -5w",
            "when: presal -5w",
            "shop.yaml:35:41: campaign 'double-11' task 'register' `when` names unknown phase "
            "'presal'; did you mean 'presale'?",
        ),
        (
            "when: main end +3d",
            "when: main finish +3d",
            "shop.yaml:37:38: campaign 'double-11' task 'retro' `when` should be an offset "
            "from the campaign date like -21d",
        ),
        (
            "presale: {start: -18d, end: -12d}",
            "presale: {start: -12d, end: -18d}",
            "shop.yaml:30:35: campaign 'double-11' phase 'presale' ends (-18d) before it "
            "starts (-12d)",
        ),
        (
            "main: {start: -11d, end: 0d}",
            "main: {start: -11d, end: 400d}",
            "shop.yaml:31:32: campaign 'double-11' phase 'main' `end` is more than a year "
            "from the campaign date",
        ),
        (
            "on_day_off: before",
            "on_day_off: earlier",
            "shop.yaml:32:17: campaign 'double-11' `on_day_off` should be one of keep, "
            "before, after, not 'earlier'",
        ),
        (
            "{id: eve, title: 前一天, when: -1d}",
            "{id: eve, title: 前一天, when: -1d, on_day_off: monday}",
            "shop.yaml:38:54: campaign 'double-11' task 'eve' `on_day_off` should be one of",
        ),
        (
            "grace: 2w",
            "grace: -2w",
            "shop.yaml:33:12: campaign 'double-11' `grace` should be a number of days like "
            "7d or 2w, not '-2w'",
        ),
        (
            "phases:\n",
            "phases: [presale]\n",
            "shop.yaml:29:13: campaign 'double-11' `phases` should be a mapping",
        ),
    ],
    ids=[
        "29-february",
        "no-such-month",
        "unknown-phase",
        "bad-edge",
        "phase-backwards",
        "phase-too-far",
        "campaign-on-day-off",
        "task-on-day-off",
        "negative-grace",
        "phases-not-a-mapping",
    ],
)
def test_campaign_mistakes_name_file_line_and_column(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert YEARLY.count(old) == 1
    text = YEARLY.replace(old, new)
    if old == "phases:\n":  # the two phase lines become stray keys of the campaign
        text = text.replace("      presale: {start: -18d, end: -12d}\n", "")
        text = text.replace("      main: {start: -11d, end: 0d}\n", "")
    [found] = problems(tmp_path, text)  # one mistake, one message: no echo from the tasks
    assert found.startswith(message), found


CALENDAR = (
    VALID
    + """\
calendar:
  country: CN
  workdays: [mon, tue, wed, thu, fri, sat, 2027-05-03]
  holidays: [2026-11-11]
"""
)


def test_country_calendar_with_the_templates_own_overrides(tmp_path: Path) -> None:
    calendar = load_schedule(write(tmp_path, CALENDAR)).calendar
    assert calendar.country is not None and calendar.country.code == "CN"
    assert not calendar.is_workday(date(2026, 10, 1))  # 国庆
    assert calendar.is_workday(date(2026, 9, 20))  # a Sunday worked in lieu (调休)
    assert not calendar.is_workday(date(2027, 5, 1))  # 劳动节, a Saturday
    assert not calendar.is_workday(date(2027, 5, 4))  # still the holiday
    assert calendar.is_workday(date(2027, 5, 3))  # the template works it anyway
    assert not calendar.is_workday(date(2026, 11, 11))  # the template's own day off
    assert not calendar.is_workday(date(2026, 11, 29))  # an ordinary Sunday
    assert calendar.is_workday(date(2026, 11, 28))  # an ordinary Saturday (listed)


def test_a_year_beyond_the_kept_span_still_asks_the_library(tmp_path: Path) -> None:
    calendar = load_schedule(write(tmp_path, CALENDAR)).calendar
    assert calendar.country is not None
    first, last = calendar.country.years
    assert first <= 2026 <= last < 2060
    assert not calendar.is_workday(date(2060, 10, 1))  # 国庆, answered lazily
    assert calendar.is_workday(date(2060, 10, 12))  # a Tuesday


def test_the_librarys_data_file_is_a_source_of_the_load(tmp_path: Path) -> None:
    """An upgrade that brings a new year's notice changes that file: the schedule cache,
    which compares every source's bytes, then loads the template again."""
    _schedule, sources = load_schedule_and_sources(write(tmp_path, CALENDAR))
    names = [path.name for path, raw in sources if raw is not None]
    assert names == ["shop.yaml", "china.py"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "country: CN",
            "country: XX",
            "shop.yaml:26:12: `calendar.country`: no public-holiday calendar for 'XX'; "
            "expected a two-letter country code such as CN",
        ),
        (
            "2027-05-03]",
            "2027-05-33]",
            "shop.yaml:27:44: `calendar.workdays`: expected a date like 2027-01-01 or a "
            "range like 2027-02-16..2027-02-22, not '2027-05-33'",
        ),
        (
            "2027-05-03]",
            "someday]",
            "shop.yaml:27:44: `calendar.workdays`: expected a weekday (mon, tue, wed, thu, "
            "fri, sat, sun) or a date that is worked (2027-02-20), not 'someday'",
        ),
        (
            "holidays: [2026-11-11]",
            "holidays: [2026-11-11..2026-11-01]",
            "shop.yaml:28:14: `calendar.holidays`: range '2026-11-11..2026-11-01' must run "
            "forwards and span at most a year",
        ),
    ],
    ids=["unknown-country", "bad-workday-date", "not-a-weekday", "backwards-holidays"],
)
def test_calendar_mistakes(tmp_path: Path, old: str, new: str, message: str) -> None:
    found = problems(tmp_path, CALENDAR.replace(old, new))
    assert message in found, found
