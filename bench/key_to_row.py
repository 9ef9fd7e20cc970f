"""Key → repainted row in the TUI, in-process, against a bare Textual app doing the same redraw.

    python bench/key_to_row.py [--ticks 200] [--years 10]

A tick in opsplanner goes key → the store thread (the write, then the day read again) →
a `DayLoaded` message → the checklist row redrawn in place. The floor is a bare Textual app
with an OptionList of the same size whose space key rewrites the highlighted row at once.
Both are timed the same way (key pressed → the row's text changed, polled every 0.2 ms),
on a headless screen of 120×36. Target: ours ≤ the floor + 16 ms at p95.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from common import END, database, print_table
from textual.app import App, ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.service import OpsService
from opsplanner.tui.app import OpsPlannerApp, make_app
from opsplanner.tui.widgets.checklist import Checklist

SIZE = (120, 36)
CLOCK = FixedClock(datetime(END.year, END.month, END.day, 2, tzinfo=UTC))  # 10:00 Shanghai
POLL = 0.0002


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def until_changed(read: Any, before: str, limit: float = 5.0) -> float:
    started = time.perf_counter()
    while read() == before:
        if time.perf_counter() - started > limit:
            raise SystemExit("the row never changed: is the highlighted task tickable?")
        await asyncio.sleep(POLL)
    return time.perf_counter() - started


class Bare(App[None]):
    """The floor: one list, space rewrites the highlighted row."""

    BINDINGS = [("space", "flip", "Flip")]

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(f"○ task {n}", id=str(n)) for n in range(30)))

    def action_flip(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted or 0
        text = str(options.get_option_at_index(index).prompt)
        mark = "✓" if text.startswith("○") else "○"
        options.replace_option_prompt_at_index(index, mark + text[1:])


async def bare(ticks: int) -> list[float]:
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        options = app.query_one(OptionList)
        options.focus()
        options.highlighted = 3
        await pilot.pause()
        samples = []
        for _ in range(ticks):
            before = str(options.get_option_at_index(3).prompt)
            started = time.perf_counter()
            await pilot.press("space")
            samples.append(
                time.perf_counter()
                - started
                + await until_changed(lambda: str(options.get_option_at_index(3).prompt), before)
            )
        return samples


async def ours(ticks: int, years: int) -> list[float]:
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    service = OpsService.for_database(schedule, CLOCK, db=str(database(years)), operator="bench")
    app: OpsPlannerApp = make_app(service=service)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2000):
            await pilot.pause(0.01)
            if app.view is not None and service.store_is_open:
                break
        checklist = app.screen.query_one(Checklist)
        view = app.view
        assert view is not None
        key = next(e.key for e in view.record.entries if not e.task.checks and e.open)
        app.jump_to(next(b.id for b, es in view.record.blocks() if any(e.key == key for e in es)))
        await pilot.pause(0.1)
        checklist.focus()
        checklist.highlighted = [o.id for o in checklist.options].index(key)
        await pilot.pause(0.1)

        def row() -> str:
            return str(checklist.get_option(key).prompt)

        samples = []
        for _ in range(ticks):
            before = row()
            started = time.perf_counter()
            await pilot.press("space")
            samples.append(time.perf_counter() - started + await until_changed(row, before))
            await pilot.pause(0.005)  # the next key after the frame, as a person would
        return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    floor = asyncio.run(bare(args.ticks))
    measured = asyncio.run(ours(args.ticks, args.years))
    rows = []
    for name, values in (("bare Textual app", floor), (f"opsplanner, {args.years}y", measured)):
        rows.append(
            (
                name,
                f"{statistics.median(values) * 1000:.1f}",
                f"{percentile(values, 0.95) * 1000:.1f}",
                f"{max(values) * 1000:.1f}",
            )
        )
    over_p50 = (statistics.median(measured) - statistics.median(floor)) * 1000
    over_p95 = (percentile(measured, 0.95) - percentile(floor, 0.95)) * 1000
    print_table(
        f"key → repainted row, {args.ticks} ticks",
        rows,
        ("app", "p50 ms", "p95 ms", "max ms"),
    )
    verdict = "✓" if over_p95 <= 16 else "✗ MISSED"
    print(f"over the floor: p50 +{over_p50:.1f} ms, p95 +{over_p95:.1f} ms (target ≤ 16) {verdict}")


if __name__ == "__main__":
    main()
