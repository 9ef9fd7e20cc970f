"""The week screen in the Spring Festival week: the bundled ladder is paused there, and the
screen says so plainly, in the schedule's language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.service import OpsService
from opsplanner.settings import choose_language
from opsplanner.tui.app import make_app
from opsplanner.tui.screens.week import WeekScreen
from tests.tui.conftest import screen_lines, settle

FESTIVAL_TUESDAY = datetime(2027, 2, 9, 1, tzinfo=UTC)  # 09:00 in Shanghai, a holiday


@pytest.mark.parametrize(
    ("template", "paused"),
    [
        ("taobao-operator.yaml", "week 15 (02-08): paused: 3 days off for holidays, actual —"),
        ("taobao-operator.zh.yaml", "第 15 周（02-08）：暂停：本周节假日休息 3 天，实际 —"),
    ],
)
async def test_the_week_screen_shows_the_paused_week(
    tmp_path: Path, template: str, paused: str
) -> None:
    schedule = load_schedule(bundled_dir() / template)
    choose_language(None, schedule.language)
    service = OpsService.for_database(
        schedule, FixedClock(FESTIVAL_TUESDAY), db=str(tmp_path / "p.sqlite3"), operator="ana"
    )
    app = make_app(service=service)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, WeekScreen))
        await settle(pilot, lambda: any(paused in line for line in screen_lines(app)))
        (line,) = [line for line in screen_lines(app) if paused in line]
        assert cell_len(line.rstrip()) <= 80
