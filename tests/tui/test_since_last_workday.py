"""Monday in the TUI with store data read since the last workday: one panel of figures per
day (Saturday, then Sunday), ↓ running through both, each figure stored for its own date,
and a day with no figures ticked only once the operator says why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.widgets import Input, Label

from opsplanner.clock import FixedClock
from opsplanner.schedule.models import Schedule
from opsplanner.tui.widgets.checklist import Checklist
from tests.tui.conftest import settle
from tests.tui.test_today_flow import MONDAY, build, shanghai, shown, stored

SATURDAY, SUNDAY = date(2026, 11, 21), date(2026, 11, 22)


def since_last_workday(office: Schedule) -> Schedule:
    """The office schedule with its store data read for each day since the last workday."""
    blocks = tuple(
        replace(
            block,
            tasks=tuple(
                replace(task, metrics_for="since_last_workday")
                if task.metrics_for == "yesterday"
                else task
                for task in block.tasks
            ),
        )
        for block in office.blocks
    )
    return replace(office, blocks=blocks)


async def test_one_panel_per_day_and_the_arrows_run_through_both(office: Schedule, db: str) -> None:
    from opsplanner.tui.widgets.metric_panel import MetricPanel

    clock = FixedClock(shanghai(9, 0))
    app = build(since_last_workday(office), db, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot, lambda: len(app.screen.query(MetricPanel)) == 2)
        panels = list(app.screen.query(MetricPanel))
        assert [p.on_date for p in panels] == [SATURDAY, SUNDAY]
        captions = [str(p.query_one(".metric-caption", Label).render()) for p in panels]
        assert captions == [
            "figures for Sat 11-21 · i: import from a file",
            "figures for Sun 11-22 · i: import from a file",
        ]

        panels[0].query_one("#metric-visitors", Input).focus()
        await pilot.press(*"800", "down", *"5", "down", "down")
        await pilot.pause()
        # Three fields in Saturday's panel (visitors, orders, sales), then Sunday's.
        assert app.screen.focused is panels[1].query_one("#metric-visitors", Input)
        await pilot.press(*"1000", "enter")
        await settle(pilot)
    history = stored(db, clock).metric_history(["visitors", "orders"], SATURDAY, SUNDAY)
    assert history == {
        "visitors": {SATURDAY: 800.0, SUNDAY: 1000.0},
        "orders": {SATURDAY: 5.0},
    }


async def test_a_day_without_figures_is_ticked_once_the_operator_says_why(
    office: Schedule, db: str
) -> None:
    clock = FixedClock(shanghai(9, 0))
    seed = stored(db, clock)
    seed.set_metric(metric="visitors", data_date=SATURDAY, value=800)
    seed.set_metric(metric="orders", data_date=SATURDAY, value=20)
    app = build(since_last_workday(office), db, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(Checklist).focus()
        await pilot.press("space")  # Sunday's visitors are missing: asks, ticks nothing
        await settle(pilot)
        assert isinstance(app.screen.focused, Input)
        assert "Sun 11-22: Visitors is required" in str(
            app.screen.query_one("#prompt-title", Label).render()
        )
        await pilot.press("escape")  # back, to enter it after all
        await settle(pilot)
        assert shown(app).entry("store-data").status == "pending"  # type: ignore[union-attr]
        app.screen.query_one(Checklist).focus()
        await pilot.press("space", "tab", "enter")  # "no data for that day"
        await settle(pilot)
        assert shown(app).entry("store-data").status == "done"  # type: ignore[union-attr]
    dispositions = stored(db, clock).dispositions(SATURDAY, MONDAY)
    assert [(d.data_date, d.checks, d.cause) for d in dispositions] == [
        (SUNDAY, "visitors required", "no data for that day")
    ]
