"""Shared pilot helpers: wait for the store to open and the screen to settle."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot


async def settle(
    pilot: Pilot[Any], until: Callable[[], bool] | None = None, attempts: int = 200
) -> None:
    """Wait for the store calls, then until `until()` holds (e.g. a panel is mounted)."""
    await store_calls_done(pilot)
    for _ in range(attempts):
        await pilot.pause()
        if until is None or until():
            break
    last = ""
    for _ in range(attempts):  # mounts finish in later passes: wait for a still screen
        await pilot.pause(0.02)
        shot = pilot.app.export_screenshot()
        if shot == last and (until is None or until()):
            break
        last = shot


async def store_calls_done(pilot: Pilot[Any]) -> None:
    """Every store call submitted so far has run and its view is published (the watcher
    of other writers runs for as long as the app does: it is not waited for)."""
    for _ in range(50):
        busy = [w for w in pilot.app.workers if w.group == "store" and not w.is_finished]
        if not busy:
            return
        await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


def has_metric_panel(pilot: Pilot[Any]) -> Callable[[], bool]:
    from opsplanner.tui.widgets.metric_panel import MetricPanel

    def laid_out() -> bool:
        panels = pilot.app.screen.query(MetricPanel)
        if len(panels) != 1 or not panels.first().is_mounted:
            return False
        checks = panels.first().query("#checks")
        return bool(checks) and panels.first().size.height > 0 and checks.first().size.width > 0

    return laid_out


CELL_PX = 12.2
SVG_TEXT = re.compile(
    r'<text [^>]*\bx="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>'
)


def screen_lines(app: App[Any]) -> list[str]:
    """The screen as the operator reads it, a string per row: the text of the app's own
    screenshot (modals and notifications included), runs put together left to right."""
    rows: dict[int, list[tuple[float, str]]] = {}
    for x, row, text in SVG_TEXT.findall(app.export_screenshot()):
        rows.setdefault(int(row), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    lines = []
    for _row, runs in sorted(rows.items()):
        line = ""
        for x, text in sorted(runs):  # a run starts at its cell (Rich's SVG: 12.2 px a cell)
            line += " " * max(0, round(x / CELL_PX) - cell_len(line)) + text
        lines.append(line)
    return lines
