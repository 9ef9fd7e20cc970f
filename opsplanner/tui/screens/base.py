"""What every screen shares: typed access to the app, and the day a screen is about."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.screen import Screen

from opsplanner.tui.app import OpsPlannerApp


class OpsScreen(Screen[None]):
    """A screen of this app (screens reach the store only through the app)."""

    HELP_NAME: ClassVar[str | None] = None
    """What the help calls the screen, marked with `N_` (translated where shown)."""

    @property
    def ops(self) -> OpsPlannerApp:
        assert isinstance(self.app, OpsPlannerApp)
        return self.app


class DayScreen(OpsScreen):
    """A screen opened on a given day (review, week, history)."""

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day
