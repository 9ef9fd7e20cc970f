"""Shared pilot helpers: wait for the store to open and the screen to settle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def settle(
    pilot: Pilot[Any], until: Callable[[], bool] | None = None, attempts: int = 200
) -> None:
    """Wait for the store worker, then until `until()` holds (e.g. a panel is mounted)."""
    await pilot.app.workers.wait_for_complete()
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


def has_metric_panel(pilot: Pilot[Any]) -> Callable[[], bool]:
    from opsplanner.tui.widgets.metric_panel import MetricPanel

    def laid_out() -> bool:
        panels = pilot.app.screen.query(MetricPanel)
        if len(panels) != 1 or not panels.first().is_mounted:
            return False
        checks = panels.first().query("#checks")
        return bool(checks) and panels.first().size.height > 0 and checks.first().size.width > 0

    return laid_out
