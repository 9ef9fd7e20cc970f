"""Importing figures from the TUI: i on the task list, a path completed as typed, and a
notification saying what was stored and which cells were left out."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from opsplanner.clock import FixedClock
from opsplanner.schedule.models import Schedule
from opsplanner.tui.widgets.checklist import Checklist
from tests.tui.conftest import settle
from tests.tui.test_since_last_workday import SATURDAY, SUNDAY
from tests.tui.test_today_flow import build, shanghai, stored


async def test_figures_are_imported_from_a_file_named_in_the_prompt(
    office: Schedule, db: str, tmp_path: Path
) -> None:
    export = tmp_path / "sycm.csv"
    export.write_text(
        "统计日期,visitors,orders\n2026-11-21,800,20\n2026-11-22,1000,abc\n", encoding="utf-8"
    )
    clock = FixedClock(shanghai(9, 0))
    app = build(office, db, clock)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(Checklist).focus()
        await pilot.press("i")
        await settle(pilot)
        field = app.screen.query_one("#prompt-input", Input)
        field.value = str(tmp_path / "syc")
        await pilot.pause()
        await pilot.press("right")  # takes the completion: …/sycm.csv
        assert field.value == str(export)
        await pilot.press("enter")
        await settle(pilot)
        shown_notes = [n.message for n in app._notifications]
        assert any(
            "3 figures stored" in note and f"{export}:3:C" in note for note in shown_notes
        ), shown_notes
    history = stored(db, clock).metric_history(["visitors", "orders"], SATURDAY, SUNDAY)
    assert history == {
        "visitors": {SATURDAY: 800.0, SUNDAY: 1000.0},
        "orders": {SATURDAY: 20.0},
    }
