"""What the app tells its screens: a new view of the day, and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from opsplanner.planner.view import DayView


@dataclass
class DayLoaded(Message):
    """The day as stored now (first load, after a change here or by another writer)."""

    view: DayView


@dataclass
class ClockTick(Message):
    """A second passed: the wall time in the schedule's zone."""

    now: datetime
