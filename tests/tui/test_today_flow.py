"""Pilot tests of the TUI flows with an injected clock and a temporary database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Label

from opsplanner.clock import FixedClock
from opsplanner.planner.record import DayRecord
from opsplanner.schedule.models import Schedule
from opsplanner.service import OpsService
from opsplanner.store.engine import make_engine
from opsplanner.store.store import Store
from opsplanner.tui.app import OpsPlannerApp, make_app
from opsplanner.tui.screens.review import ReviewScreen
from opsplanner.tui.widgets.checklist import Checklist
from opsplanner.tui.widgets.timeline import Timeline
from tests.tui.conftest import has_metric_panel, settle

MONDAY = date(2026, 11, 23)
SIZE = (100, 30)


def shanghai(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    """A Shanghai wall time as the UTC instant the clock reports."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def build(schedule: Schedule, db: str, clock: FixedClock) -> OpsPlannerApp:
    return make_app(service=OpsService.for_database(schedule, clock, db=db, operator="ana"))


def palette_choice(app: OpsPlannerApp) -> str:
    """The command the palette would run on Enter."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    option = lists.first().highlighted_option if lists else None
    return str(option.prompt) if option is not None else ""


def shown(app: OpsPlannerApp) -> DayRecord:
    """The day the screens were last handed."""
    assert app.view is not None
    return app.view.record


def stored(db: str, clock: FixedClock) -> Store:
    return Store(make_engine(db), operator="ana", clock=clock)


async def test_opens_on_the_current_block_and_tick_persists(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(9, 0))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        timeline = app.screen.query_one(Timeline)
        assert timeline.highlighted_option is not None
        assert timeline.highlighted_option.id == "morning"
        checklist = app.screen.query_one(Checklist)
        assert checklist.highlighted_option is not None
        assert checklist.highlighted_option.id == "store-data"
        await pilot.press("down", "space")
        await settle(pilot)
    record = stored(db, clock).day(office, MONDAY)
    assert record.entry("weekly-target").status == "done"  # type: ignore[union-attr]

    app = build(office, db, clock)  # reopen: the tick is still there; untick it
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app).entry("weekly-target").status == "done"  # type: ignore[union-attr]
        await pilot.press("down", "space")
        await settle(pilot)
    record = stored(db, clock).day(office, MONDAY)
    assert record.entry("weekly-target").status == "pending"  # type: ignore[union-attr]


async def test_note_skip_and_carry_with_reasons(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(9, 0))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"UV down", "enter")
        await pilot.pause()
        await pilot.press("down", "s")
        await pilot.pause()
        await pilot.press(*"warehouse closed", "enter")
        await pilot.pause()
        await pilot.press("down", "c")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the first preset: "no time"
        await settle(pilot)
    record = stored(db, clock).day(office, MONDAY)
    entries = {e.key: e for e in record.entries}
    assert entries["store-data"].note == "UV down"
    assert (entries["weekly-target"].status, entries["weekly-target"].reason) == (
        "skipped",
        "warehouse closed",
    )
    assert (entries["weekday-only"].status, entries["weekday-only"].reason) == (
        "carried",
        "no time",
    )
    clock.set(shanghai(9, 0, MONDAY + timedelta(days=1)))  # the next morning
    tuesday = stored(db, clock).day(office, MONDAY + timedelta(days=1))
    assert tuesday.entry("weekday-only").carried_from == MONDAY  # type: ignore[union-attr]


async def test_escape_cancels_a_reason_and_writes_nothing(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(9, 0))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "escape")
        await pilot.pause()
        await pilot.press("s", "enter")  # empty reason: refused, the prompt stays
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
    record = stored(db, clock).day(office, MONDAY)
    assert record.entry("store-data").status == "pending"  # type: ignore[union-attr]


async def test_now_marker_moves_when_a_block_starts(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(10, 29))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.now_block == "morning"
        clock.set(shanghai(10, 31))
        app.tick()
        await pilot.pause()
        assert app.now_block is None  # between blocks
        clock.set(shanghai(15, 30))
        app.tick()
        await pilot.pause()
        assert app.now_block == "afternoon"
        assert any("Afternoon" in (n.title or "") for n in app._notifications)
        prompt = str(app.screen.query_one(Timeline).get_option("afternoon").prompt)
        assert prompt.startswith("▶")


async def test_midnight_rollover_offers_yesterdays_review(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(23, 59))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.day == MONDAY
        clock.advance(timedelta(minutes=2))
        app.tick()
        await pilot.pause()
        await settle(pilot)
        assert app.day == MONDAY + timedelta(days=1)
        assert shown(app).day == MONDAY + timedelta(days=1)
        assert isinstance(app.screen, ReviewScreen) and app.screen.day == MONDAY


async def test_review_closes_the_day_and_the_carried_item_appears_tomorrow(
    office: Schedule, db: str
) -> None:
    clock = FixedClock(shanghai(17, 20))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("x")  # refused: items undecided
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        undecided = len(shown(app).unfinished())
        await pilot.press("c", "tab", "enter")  # carry the first with "no time"
        await settle(pilot)
        app.submit(lambda s: s.set_metric("visitors", "100", on=date(2026, 11, 22)))
        await settle(pilot)
        for _ in range(undecided - 1):
            await pilot.press("space")
            await settle(pilot)
        await pilot.press("t", *"call supplier", "escape")  # kept as typed, Esc too
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)
    store = stored(db, clock)
    monday = store.day(office, MONDAY)
    assert monday.closed and monday.tomorrow == "call supplier"
    carried = [e for e in monday.entries if e.status == "carried"]
    assert len(carried) == 1 and carried[0].reason == "no time"
    clock.set(shanghai(9, 0, MONDAY + timedelta(days=1)))  # the next morning
    tuesday = store.day(office, MONDAY + timedelta(days=1))
    assert tuesday.entry(carried[0].key).carried_from == MONDAY  # type: ignore[union-attr]


async def test_metric_typed_fast_is_stored_and_checks_update(office: Schedule, db: str) -> None:
    from textual.widgets import Static

    from opsplanner.tui.widgets.metric_panel import MetricPanel

    clock = FixedClock(shanghai(9, 0))
    seed = stored(db, clock)
    seed.set_metric(metric="visitors", data_date=date(2026, 11, 21), value=20000)
    app = build(office, db, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot, has_metric_panel(pilot))
        panel = app.screen.query_one(MetricPanel)
        visitors = panel.query_one("#metric-visitors", Input)
        visitors.focus()
        await pilot.press(*"abc")
        await pilot.pause()
        error = str(panel.query_one("#checks", Static).render())
        assert 'visitors: "abc" is not a number' in error and "(not saved)" in error
        assert visitors.has_class("-invalid")
        assert str(panel.query_one("#mark-visitors", Static).render()) == "✗"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(db, clock).metric_history(
            ["visitors"], date(2026, 11, 22), date(2026, 11, 22)
        ) == {"visitors": {}}
        assert not visitors.has_focus  # Enter moves on to the next figure
        visitors.focus()
        visitors.value = ""
        await pilot.press(*"1.2万")
        await pilot.pause()
        checks = str(panel.query_one("#checks", Static).render())
        assert "✗ Visitors 12,000 is 40% below yesterday (20,000)" in checks
        await pilot.press("enter")
        await settle(pilot)
    history = stored(db, clock).metric_history(["visitors"], date(2026, 11, 22), date(2026, 11, 22))
    assert history == {"visitors": {date(2026, 11, 22): 12000.0}}


async def test_required_metric_blocks_the_tick_and_a_failure_asks_why(
    office: Schedule, db: str
) -> None:
    clock = FixedClock(shanghai(9, 0))
    app = build(office, db, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space")  # visitors is required and missing: enter it, or say why
        await settle(pilot)
        title = str(app.screen.query_one("#prompt-title", Label).render())
        assert title.startswith("Missing: Visitors is required: no value entered for 2026-11-22")
        await pilot.press("escape")  # back to enter it
        await settle(pilot)
        assert shown(app).entry("store-data").status == "pending"  # type: ignore[union-attr]
        app.submit(lambda s: s.set_metric("visitors", "100", on=date(2026, 11, 22)))
        app.submit(lambda s: s.set_metric("orders", "0", on=date(2026, 11, 22)))
        await settle(pilot)
        app.screen.query_one(Checklist).focus()
        await pilot.press("space")  # conversion 0% < 1%: asks for the cause first
        await pilot.pause()
        assert isinstance(app.screen.focused, Input)
        await pilot.press("tab", "enter")  # "promotion ended"
        await settle(pilot)
        assert shown(app).entry("store-data").status == "done"  # type: ignore[union-attr]
    dispositions = stored(db, clock).dispositions(date(2026, 11, 22), date(2026, 11, 22))
    assert [(d.metric, d.checks, d.cause) for d in dispositions] == [
        ("conversion_rate", "conversion_rate < 1.0", "promotion ended")
    ]


async def test_week_and_history_screens_show_the_record(office: Schedule, db: str) -> None:
    from textual.widgets import DataTable, Static

    from opsplanner.tui.screens.history import HistoryScreen
    from opsplanner.tui.screens.week import WeekScreen

    clock = FixedClock(shanghai(9, 0))
    seed = stored(db, clock)
    seed.set_status(office, MONDAY, "weekly-target", "done")
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, WeekScreen))
        table = app.screen.query_one(DataTable)
        assert str(table.get_cell("morning", MONDAY.isoformat())) == "1/3"
        duties = str(app.screen.query_one("#week-duties", Static).render())
        assert "✓ Mon Set this week's sales target" in duties
        await pilot.press("escape", "h")
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen))
        grid = str(app.screen.query_one("#history-grid", Static).render())
        assert "Set this week's sales target" in grid and "1/1" in grid


async def test_command_palette_opens_screens_and_moves_between_days(
    office: Schedule, db: str
) -> None:
    from opsplanner.tui.screens.week import WeekScreen

    clock = FixedClock(shanghai(9, 0))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"open the week", "enter")
        await settle(pilot, lambda: isinstance(app.screen, WeekScreen))
        assert isinstance(app.screen, WeekScreen)
        await pilot.press("escape", "ctrl+p", *"next day", "enter")
        await settle(pilot, lambda: app.day == MONDAY + timedelta(days=1))
        assert shown(app).day == MONDAY + timedelta(days=1)
        assert app.view is not None and app.view.preview  # tomorrow: looked at, not opened
        assert not app.follow_today
        await pilot.press("ctrl+p", *"jump to block wrap")
        await settle(pilot, lambda: "Wrap-up" in palette_choice(app))  # searched as typed
        await pilot.press("enter")
        await settle(pilot)
        option = app.screen.query_one(Timeline).highlighted_option
        assert option is not None and option.id == "wrap-up"


async def test_review_is_offered_when_the_last_block_ends(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(17, 10))
    app = build(office, db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        clock.set(shanghai(17, 31))
        app.tick()
        await pilot.pause()
        titles = [n.title for n in app._notifications]
        assert "The day's last block has ended" in titles


async def test_a_failed_check_can_lead_to_a_follow_up_task(office: Schedule, db: str) -> None:
    clock = FixedClock(shanghai(9, 0))
    seed = stored(db, clock)
    seed.set_metric(metric="visitors", data_date=date(2026, 11, 22), value=100)
    seed.set_metric(metric="orders", data_date=date(2026, 11, 22), value=0)
    app = build(office, db, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "tab", "end", "enter")  # the follow-up choice
        await pilot.pause()
        await pilot.press(*"Ask CS why nobody buys", "enter")
        await settle(pilot)
        assert shown(app).entry("store-data").status == "done"  # type: ignore[union-attr]
        follow_ups = [e for e in shown(app).entries if e.task.block_id == "follow-ups"]
        assert [e.task.title for e in follow_ups] == ["Ask CS why nobody buys"]


async def test_statuses_show_from_the_reader_while_the_store_is_still_opening(
    office: Schedule, db: str
) -> None:
    """The first fill comes from the plain-sqlite3 reader; a tick pressed before the full
    store is open waits its turn and is applied once it is, never lost."""
    import threading

    from opsplanner.store.reader import open_sqlite_reader

    clock = FixedClock(shanghai(9, 0))
    seeded = stored(db, clock)
    seeded.day(office, MONDAY)
    seeded.set_status(office, MONDAY, "weekly-target", "done")
    release = threading.Event()

    def slow_store() -> Store:
        release.wait(20)
        return stored(db, clock)

    service = OpsService(
        office,
        clock,
        operator="ana",
        open_store=slow_store,
        open_reader=lambda: open_sqlite_reader(db, operator="ana", clock=clock),
    )
    app = make_app(service=service)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(500):
            await pilot.pause(0.01)
            if app.view is not None:
                break
        assert not service.store_is_open
        assert shown(app).entry("weekly-target").status == "done"  # type: ignore[union-attr]
        await pilot.press("down", "space")
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert service.store_is_open
        assert shown(app).entry("weekly-target").status == "pending"  # type: ignore[union-attr]
    record = stored(db, clock).day(office, MONDAY)
    assert record.entry("weekly-target").status == "pending"  # type: ignore[union-attr]


async def test_the_start_up_hook_runs_once_with_the_store_open(office: Schedule, db: str) -> None:
    """The CLI's hook (garbage collector back on) must not run before the day is loaded,
    nor twice."""
    clock = FixedClock(shanghai(9, 0))
    calls: list[bool] = []
    service = OpsService.for_database(office, clock, db=db, operator="ana")
    app = make_app(
        service=service,
        when_started=lambda: calls.append(service.store_is_open and app.view is not None),
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, until=lambda: bool(calls), attempts=1000)  # a loaded machine
        await pilot.pause(0.1)
    assert calls == [True]


def test_the_cli_pauses_the_collector_until_the_hook_runs(tmp_path: Path) -> None:
    import gc

    from opsplanner.cli import parse, prepare_tui

    try:
        arguments = prepare_tui(parse(["--db", str(tmp_path / "x.db")]))
        assert not gc.isenabled()
        arguments["when_started"]()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
