"""Time through one injected clock: DST in a zone that has it, a Shanghai schedule on a
machine in UTC, midnight while open."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from opsplanner.cli import main
from opsplanner.clock import FixedClock, local_now, local_today
from opsplanner.planner.day import block_at, occurrences
from opsplanner.schedule.loader import load_schedule, load_schedule_text
from opsplanner.schedule.models import Schedule, UnknownZoneError
from opsplanner.service import OpsService
from opsplanner.tui.app import make_app
from tests.tui.conftest import settle

BERLIN = textwrap.dedent("""\
    schedule: berlin
    title: Berlin shop
    timezone: Europe/Berlin
    blocks:
      - {id: early, title: Early, start: "01:30", end: "03:30"}
      - {id: morning, title: Morning, start: "08:30", end: "10:30"}
    """)
DST_START = date(2026, 3, 29)  # 02:00 → 03:00 in Europe/Berlin
DST_END = date(2026, 10, 25)  # 03:00 → 02:00


@pytest.fixture
def berlin() -> Schedule:
    return load_schedule_text(BERLIN, "berlin.yaml")


@pytest.mark.parametrize(
    ("instant", "local", "block"),
    [
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), time(1, 59), "early"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), time(3, 0), "early"),  # 02:00 never happens
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), time(3, 30), None),
        (datetime(2026, 3, 29, 6, 30, tzinfo=UTC), time(8, 30), "morning"),  # now UTC+2
        (datetime(2026, 3, 28, 7, 30, tzinfo=UTC), time(8, 30), "morning"),  # still UTC+1
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), time(2, 30), "early"),  # first 02:30
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), time(2, 30), "early"),  # second 02:30
        (datetime(2026, 10, 25, 7, 30, tzinfo=UTC), time(8, 30), "morning"),  # now UTC+1
    ],
)
def test_dst_keeps_wall_times(
    berlin: Schedule, instant: datetime, local: time, block: str | None
) -> None:
    now = local_now(FixedClock(instant), berlin.zone())
    assert now.time() == local
    found = block_at(occurrences(berlin, now.date()), now.time())
    assert (found.id if found else None) == block


async def test_tui_now_marker_across_the_dst_switch(berlin: Schedule, tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 3, 29, 0, 45, tzinfo=UTC))  # 01:45 local, UTC+1
    db = str(tmp_path / "ops.sqlite3")
    app = make_app(service=OpsService.for_database(berlin, clock, db=db, operator="ana"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.now_block == "early"
        clock.advance(timedelta(hours=2))  # 04:45 local: the clock jumped an hour
        app.tick()
        await pilot.pause()
        assert app.now_block is None and app.day == DST_START
        clock.set(datetime(2026, 3, 29, 6, 31, tzinfo=UTC))  # 08:31 local, UTC+2
        app.tick()
        await pilot.pause()
        assert app.now_block == "morning"


def test_ics_offsets_follow_dst(berlin: Schedule) -> None:
    import icalendar

    from opsplanner.planner.ics import calendar_for

    data = calendar_for(berlin, date(2026, 3, 28), 2, stamp=datetime(2026, 3, 1, tzinfo=UTC))
    starts = sorted(
        component["DTSTART"].dt.astimezone(UTC)
        for component in icalendar.Calendar.from_ical(data).walk("VEVENT")
        if str(component["SUMMARY"]) == "Morning"
    )
    assert starts == [
        datetime(2026, 3, 28, 7, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 6, 30, tzinfo=UTC),
    ]


def test_shanghai_schedule_on_a_machine_in_utc(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fixtures_dir: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    # 17:30 UTC on Sunday the 22nd is 01:30 on Monday the 23rd in Shanghai
    monkeypatch.setenv("OPSPLANNER_NOW", "2026-11-22T17:30:00+00:00")
    schedule = load_schedule(fixtures_dir / "office.yaml")
    assert local_today(
        FixedClock(datetime(2026, 11, 22, 17, 30, tzinfo=UTC)), schedule.zone()
    ) == date(2026, 11, 23)
    status = main(
        [
            "today",
            "--json",
            "--schedule",
            str(fixtures_dir / "office.yaml"),
            "--db",
            str(tmp_path / "ops.sqlite3"),
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert status == 0 and data["date"] == "2026-11-23"
    assert "weekly-target" in [t["task_id"] for b in data["blocks"] for t in b["tasks"]]
    monkeypatch.setenv("OPSPLANNER_NOW", "2026-11-23T00:30:00+00:00")  # 08:30 Shanghai
    main(
        [
            "today",
            "--json",
            "--schedule",
            str(fixtures_dir / "office.yaml"),
            "--db",
            str(tmp_path / "ops.sqlite3"),
        ]
    )
    assert json.loads(capsys.readouterr().out)["now_block_id"] == "morning"


def test_a_schedule_without_a_timezone_uses_the_machine_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schedule = load_schedule_text(BERLIN.replace("timezone: Europe/Berlin\n", ""), "x.yaml")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert str(schedule.zone()) == "Asia/Tokyo"
    monkeypatch.setenv("TZ", "Not/AZone")  # a broken TZ is named, not guessed around (#11)
    with pytest.raises(UnknownZoneError, match="Not/AZone"):
        schedule.zone()
