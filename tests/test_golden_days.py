"""The bundled day on the dates issue #12 names: what the calendar (public holidays, in-lieu
working days) and the campaigns (Double 11, 618, Double 12, each year) put on them, in both
languages. Each is a preview on a fresh database: looking never opens a day.

The goldens live in tests/golden/days/; after an intended change, regenerate them with
UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from opsplanner.cli import main
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir

GOLDEN = Path(__file__).parent / "golden" / "days"
NOW = "2026-11-28T09:00:00+08:00"  # a Saturday, before every date below but two
DAYS = {
    "2026-10-21": "Double 11 2026: the pre-sale opens within days",
    "2027-10-21": "Double 11 2027, the same preparations a year on",
    "2027-06-01": "618 2027: the balance payments and first wave",
    "2027-05-01": "Labour Day (劳动节): a public holiday",
    "2027-09-26": "a Sunday the calendar may make an in-lieu working day (调休)",
    "2026-11-30": "a Monday: Saturday's and Sunday's store data",
    "2026-11-29": "a Sunday: the day off",
}
SCHEDULES = {"zh": "taobao-operator.zh", "en": "taobao-operator"}


def today(capsys: pytest.CaptureFixture[str], db: Path, day: str, schedule: str) -> str:
    status = main(["today", "--date", day, "--db", str(db), "--schedule", schedule,
                   "--operator", "ops"])  # fmt: skip
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


@pytest.mark.parametrize("language", sorted(SCHEDULES))
@pytest.mark.parametrize("day", sorted(DAYS))
def test_the_bundled_day_golden(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    day: str,
    language: str,
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    out = today(capsys, tmp_path / "ops.sqlite3", day, SCHEDULES[language])
    path = GOLDEN / f"{language}-{day}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 and review it"
    assert out == path.read_text(encoding="utf-8"), f"{path.name} differs ({DAYS[day]})"
    first_line = out.splitlines()[0]
    assert ("预览" if language == "zh" else "preview") in first_line  # nothing was opened


def test_the_goldens_say_what_the_calendar_says(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The goldens are not just any output: a workday shows the routine, a day off shows
    none, whichever the calendar decides for the dates above."""
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    for day in DAYS:
        out = today(capsys, tmp_path / "ops.sqlite3", day, SCHEDULES["en"])
        workday = schedule.calendar.is_workday(date.fromisoformat(day))
        assert ("08:00-08:30" in out) == workday, day
    assert not schedule.calendar.is_workday(date(2027, 5, 1))  # 劳动节
    assert not schedule.calendar.is_workday(date(2026, 11, 29))  # Sunday
    assert schedule.calendar.is_workday(date(2026, 11, 30))
