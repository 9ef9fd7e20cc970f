"""One snapshot per screen and key state, at 80×24 and 160×48, with fixed data and clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.service import OpsService
from opsplanner.settings import choose_language
from opsplanner.store.engine import make_engine
from opsplanner.store.generate import generate_history
from opsplanner.tui.app import OpsPlannerApp, make_app
from opsplanner.tui.screens.help import HelpScreen
from opsplanner.tui.screens.history import HistoryScreen
from opsplanner.tui.screens.prompt import TextPrompt
from opsplanner.tui.screens.review import ReviewScreen
from opsplanner.tui.screens.week import WeekScreen
from tests.tui.conftest import has_metric_panel, settle

NOW = datetime(2026, 11, 23, 1, 40, tzinfo=UTC)  # 09:40 in Shanghai, Monday
ZH = "taobao-operator.zh.yaml"


def demo_app(tmp_path: Path, template: str) -> OpsPlannerApp:
    schedule = load_schedule(bundled_dir() / template)
    choose_language(None, schedule.language)  # as the CLI does: the zh schedule speaks Chinese
    db = str(tmp_path / "snap.sqlite3")
    generate_history(
        make_engine(db), schedule, days=14, end=date(2026, 11, 23), operator="ana", seed=5
    )
    clock = FixedClock(NOW)
    return make_app(service=OpsService.for_database(schedule, clock, db=db, operator="ana"))


async def loaded(pilot: Pilot[Any]) -> None:
    """The store is open and the screen has settled (the metric panel mounts after it)."""
    await settle(pilot, has_metric_panel(pilot))
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize(
    "template", ["taobao-operator.yaml", "taobao-operator.zh.yaml"], ids=["en", "zh"]
)
def test_today(snap_compare: Any, tmp_path: Path, size: tuple[int, int], template: str) -> None:
    assert snap_compare(demo_app(tmp_path, template), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_review(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    async def open_review(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("r")
        await settle(
            pilot,
            lambda: (
                bool(pilot.app.screen.query("#review-items"))
                and pilot.app.screen.query_one("#review-items", OptionList).option_count > 0
            ),
        )

    assert snap_compare(
        demo_app(tmp_path, "taobao-operator.yaml"), terminal_size=size, run_before=open_review
    )


def test_reason_prompt(snap_compare: Any, tmp_path: Path) -> None:
    async def skip(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("down", "s")
        await settle(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))

    assert snap_compare(
        demo_app(tmp_path, "taobao-operator.yaml"), terminal_size=(80, 24), run_before=skip
    )


@pytest.mark.parametrize("keys", [(), ("w",)], ids=["today", "week"])
def test_help(snap_compare: Any, tmp_path: Path, keys: tuple[str, ...]) -> None:
    """The help lists the keys of the screen it is opened from."""

    async def help_screen(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(
        demo_app(tmp_path, "taobao-operator.yaml"), terminal_size=(80, 24), run_before=help_screen
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("key", ["w", "h"], ids=["week", "history"])
def test_week_and_history(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int], key: str
) -> None:
    async def open_screen(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press(key)
        await settle(
            pilot, lambda: pilot.app.screen.__class__.__name__ in ("WeekScreen", "HistoryScreen")
        )

    assert snap_compare(
        demo_app(tmp_path, "taobao-operator.yaml"), terminal_size=size, run_before=open_screen
    )


def test_figures_at_the_last_field(snap_compare: Any, tmp_path: Path) -> None:
    """At 80×24, tabbing to store-data's last field brings its checks into view."""

    async def last_field(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press(*["tab"] * 6)  # six of its eight figures are typed, two derived
        await settle(pilot, lambda: pilot.app.screen.has_class("-typing"))

    assert snap_compare(
        demo_app(tmp_path, "taobao-operator.yaml"), terminal_size=(80, 24), run_before=last_field
    )


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_failed_check_prompt(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    """The cause presets and the follow-up choice, all in view at 80×24 (in Chinese)."""

    async def explain(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        field = pilot.app.screen.query_one("#metric-visitors", Input)
        field.focus()
        field.value = "100"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(demo_app(tmp_path, ZH), terminal_size=size, run_before=explain)


def on_top(pilot: Pilot[Any], screen: type[Screen[Any]]) -> bool:
    """`screen` is on top with its content (the review's items arrive from the store)."""
    top = pilot.app.screen
    if isinstance(top, ReviewScreen):
        return (
            screen is ReviewScreen and top.query_one("#review-items", OptionList).option_count > 0
        )
    return isinstance(top, screen)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize(
    ("keys", "screen"),
    [
        (("r",), ReviewScreen),
        (("w",), WeekScreen),
        (("h",), HistoryScreen),
        (("question_mark",), HelpScreen),
        (("down", "s"), TextPrompt),
    ],
    ids=["review", "week", "history", "help", "skip-prompt"],
)
def test_screens_in_chinese(
    snap_compare: Any,
    tmp_path: Path,
    size: tuple[int, int],
    keys: tuple[str, ...],
    screen: type[Screen[Any]],
) -> None:
    """Each screen as the zh schedule opens it: Chinese throughout, the demo history's reasons
    and notes included, measured in cells."""

    async def open_screen(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press(*keys)
        await settle(pilot, lambda: on_top(pilot, screen))

    assert snap_compare(demo_app(tmp_path, ZH), terminal_size=size, run_before=open_screen)
