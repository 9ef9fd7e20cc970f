"""The TUI stays live: another writer's change shows by itself, a write based on a stale
view is refused (never undoing theirs), and a typed figure survives Tab, arrows and quit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from opsplanner.cli import main
from opsplanner.clock import FixedClock
from opsplanner.schedule.models import Schedule
from opsplanner.service import OpsService
from opsplanner.tui.app import OpsPlannerApp, make_app
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.metric_panel import MetricPanel
from tests.tui.conftest import has_metric_panel, settle
from tests.tui.test_today_flow import MONDAY, SIZE, shanghai, shown, stored

NOW = "2026-11-23T09:00:00+08:00"
WATCHES = 40  # the watcher looks 4× a second: ten seconds of looking is far more than enough


def build(office: Schedule, db: str) -> OpsPlannerApp:
    clock = FixedClock(shanghai(9, 0))
    return make_app(service=OpsService.for_database(office, clock, db=db, operator="ana"))


def cli(fixtures_dir: Path, db: str, *argv: str) -> None:
    common = ["--db", db, "--schedule", str(fixtures_dir / "office.yaml"), "--operator", "ana"]
    assert main([*argv, *common]) == 0


def status_of(app: OpsPlannerApp, key: str) -> str | None:
    entry = shown(app).entry(key)
    return entry.status if entry else None


async def wait_for(pilot: object, condition: object, rounds: int = WATCHES) -> bool:
    for _ in range(rounds):
        await pilot.pause(0.25)  # type: ignore[attr-defined]
        if condition():  # type: ignore[operator]
            return True
    return False


async def test_a_cli_skip_shows_in_the_open_tui(
    office: Schedule, db: str, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    app = build(office, db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert status_of(app, "weekly-target") == "pending"
        cli(fixtures_dir, db, "skip", "weekly-target", "--reason", "boss away")
        assert await wait_for(pilot, lambda: status_of(app, "weekly-target") == "skipped")
        checklist = app.screen.query_one(Checklist)
        assert "boss away" in str(checklist.get_option("weekly-target").prompt)


async def test_a_stale_tick_is_refused_and_the_view_refreshed(
    office: Schedule, db: str, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    app = build(office, db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.workers.cancel_group(app, "watch")  # the screen does not know about the skip yet
        view = app.view
        assert view is not None
        cli(fixtures_dir, db, "skip", "weekly-target", "--reason", "boss away")
        entry = view.record.entry("weekly-target")
        assert entry is not None and entry.status == "pending"
        app.tick_task(view, entry)  # space on what the screen still shows
        await settle(pilot)
        assert any("changed elsewhere" in n.message for n in app._notifications)
        assert status_of(app, "weekly-target") == "skipped"
    record = stored(db, FixedClock(shanghai(9, 0))).day(office, MONDAY)
    skipped = record.entry("weekly-target")
    assert skipped is not None and (skipped.status, skipped.reason) == ("skipped", "boss away")


@pytest.mark.parametrize("leave", ["tab", "up", "quit"])
async def test_a_typed_figure_is_stored_when_the_field_is_left(
    office: Schedule, db: str, leave: str
) -> None:
    app = build(office, db)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot, has_metric_panel(pilot))
        field = app.screen.query_one(MetricPanel).query_one("#metric-orders", Input)
        field.focus()
        await pilot.press(*"1234")
        if leave == "quit":
            await app.action_quit()
        else:
            await pilot.press(leave)
        await settle(pilot)
    history = stored(db, FixedClock(shanghai(9, 0))).metric_history(
        ["orders"], date(2026, 11, 22), date(2026, 11, 22)
    )
    assert history == {"orders": {date(2026, 11, 22): 1234.0}}


async def test_quitting_with_an_unreadable_figure_asks_first(office: Schedule, db: str) -> None:
    from opsplanner.tui.screens.prompt import ConfirmPrompt

    app = build(office, db)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot, has_metric_panel(pilot))
        field = app.screen.query_one(MetricPanel).query_one("#metric-orders", Input)
        field.focus()
        await pilot.press(*"12x")
        await app.action_quit()
        await settle(pilot, lambda: isinstance(app.screen, ConfirmPrompt))
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and field.value == "12x"


async def test_a_click_selects_a_task_and_never_ticks_it(office: Schedule, db: str) -> None:
    app = build(office, db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one(Checklist)
        await pilot.click(Checklist, offset=(4, 2))  # the second task's line
        await settle(pilot)
        assert checklist.highlighted == 1
        assert [e.key for e in shown(app).entries if e.status != "pending"] == []
