"""Shared pilot helpers: wait for the store to open and the screen to settle, never sleep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def settle(pilot: Pilot[Any], until: Callable[[], bool] | None = None,
                 attempts: int = 200) -> None:
    """Wait for the store worker, then until `until()` holds (e.g. a panel is mounted)."""
    await pilot.app.workers.wait_for_complete()
    for _ in range(attempts):
        await pilot.pause()
        if until is None or until():
            break
    await pilot.pause()


def has_metric_panel(pilot: Pilot[Any]) -> Callable[[], bool]:
    from opsplanner.tui.widgets.metric_panel import MetricPanel

    def mounted() -> bool:
        panels = pilot.app.screen.query(MetricPanel)
        return bool(panels) and all(panel.is_mounted for panel in panels) and bool(
            panels.first().query("#checks"))
    return mounted
