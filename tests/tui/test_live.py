"""The TUI stays live: another writer's change shows by itself (on SQLite and PostgreSQL), a
write based on a stale view is refused (never undoing theirs), and a typed figure survives
Tab, arrows and quit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from opsplanner.cli import main
from opsplanner.clock import FixedClock
from opsplanner.schedule.models import Schedule
from opsplanner.service import OpsService
from opsplanner.store.watch import ChangeWatcher
from opsplanner.tui.app import WATCH_INTERVAL, OpsPlannerApp, make_app
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.metric_panel import MetricPanel
from tests.tui.conftest import has_metric_panel, settle
from tests.tui.test_today_flow import MONDAY, SIZE, shanghai, shown, stored

NOW = "2026-11-23T09:00:00+08:00"
WATCHES = 40  # the watcher looks 4× a second: ten seconds of looking is far more than enough
LOOKS_IN_A_SECOND = round(1 / WATCH_INTERVAL)


class CountedWatcher:
    """The database's own watcher, noting what each of its looks answered."""

    def __init__(self, watcher: ChangeWatcher, looks: list[bool]) -> None:
        self._watcher = watcher
        self.looks = looks

    def changed(self, timeout: float) -> bool:
        moved = self._watcher.changed(timeout)
        self.looks.append(moved)
        return moved

    def close(self) -> None:
        self._watcher.close()


def build(office: Schedule, db: str) -> OpsPlannerApp:
    clock = FixedClock(shanghai(9, 0))
    return make_app(service=OpsService.for_database(office, clock, db=db, operator="ana"))


def count_looks(app: OpsPlannerApp, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What the app's watcher answers, look by look (it is opened when the app mounts)."""
    looks: list[bool] = []
    open_watcher = app.service.watcher

    def counted() -> ChangeWatcher:
        watcher = open_watcher()
        assert watcher is not None, "this database cannot tell of other writers"
        return CountedWatcher(watcher, looks)

    monkeypatch.setattr(app.service, "watcher", counted)
    return looks


def cli(fixtures_dir: Path, db: str, *argv: str) -> None:
    common = ["--db", db, "--schedule", str(fixtures_dir / "office.yaml"), "--operator", "ana"]
    assert main([*argv, *common]) == 0


def status_of(app: OpsPlannerApp, key: str) -> str | None:
    entry = shown(app).entry(key)
    return entry.status if entry else None


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], rounds: int = WATCHES) -> bool:
    for _ in range(rounds):
        await pilot.pause(0.25)
        if condition():
            return True
    return False


async def quiet(pilot: Pilot[Any], looks: list[bool]) -> None:
    """Wait for a look begun after now that saw nothing: the app's own writes (opening the
    day) are behind the watcher, so its next "changed" is someone else's."""
    after = len(looks) + 1  # the look under way may have begun before now
    assert await wait_for(pilot, lambda: False in looks[after:])


async def test_a_cli_skip_shows_in_the_open_tui(
    office: Schedule, db_url: str, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's change counter or PostgreSQL's notification: the watcher notices the CLI's
    commit within a second's worth of its looks, and the screen shows the skip and why."""
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    app = build(office, db_url)
    looks = count_looks(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await quiet(pilot, looks)
        assert status_of(app, "weekly-target") == "pending"
        before = len(looks)
        cli(fixtures_dir, db_url, "skip", "weekly-target", "--reason", "boss away")
        committed = len(looks)  # looks made while the CLI ran (a loaded machine: several)
        assert await wait_for(pilot, lambda: status_of(app, "weekly-target") == "skipped")
        assert looks[before:].index(True) < committed - before + LOOKS_IN_A_SECOND
        checklist = app.screen.query_one(Checklist)
        assert "boss away" in str(checklist.get_option("weekly-target").prompt)


async def test_a_stale_tick_is_refused_and_the_view_refreshed(
    office: Schedule, db_url: str, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    app = build(office, db_url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.workers.cancel_group(app, "watch")  # the screen does not know about the skip yet
        view = app.view
        assert view is not None
        cli(fixtures_dir, db_url, "skip", "weekly-target", "--reason", "boss away")
        entry = view.record.entry("weekly-target")
        assert entry is not None and entry.status == "pending"
        app.tick_task(view, entry)  # space on what the screen still shows
        await settle(pilot)
        assert any("changed elsewhere" in n.message for n in app._notifications)
        assert status_of(app, "weekly-target") == "skipped"
    record = stored(db_url, FixedClock(shanghai(9, 0))).day(office, MONDAY)
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
