"""Shared pilot helpers: wait for the store to open and the screen to settle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
