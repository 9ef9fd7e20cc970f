"""What a command runs against, decided once from the flags and the environment: the
schedule, the database, the operator and the clock (the CLI builds the service from these;
the TUI is handed the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from opsplanner.clock import Clock, clock_from_env

DEFAULT_SCHEDULE = "taobao-operator"
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)  # years of room both ways


class SettingsError(ValueError):
    """A setting that cannot be used, said in one line."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Flags first, then `OPSPLANNER_*` variables, then the defaults."""

    schedule: Path
    db: str | None
    operator: str
    clock: Clock

    @classmethod
    def resolve(
        cls, *, schedule: str | None = None, db: str | None = None, operator: str | None = None
    ) -> Settings:
        from opsplanner.schedule.paths import resolve_schedule_path

        chosen = schedule or os.environ.get("OPSPLANNER_SCHEDULE") or DEFAULT_SCHEDULE
        try:
            clock = clock_from_env()
        except ValueError as error:
            raise SettingsError(str(error)) from None
        if not EARLIEST_DATE <= clock.now().date() <= LATEST_DATE:  # a fixed OPSPLANNER_NOW
            raise SettingsError(
                f"OPSPLANNER_NOW={os.environ.get('OPSPLANNER_NOW')!r} is not from "
                f"{EARLIEST_DATE} to {LATEST_DATE}"
            )
        return cls(resolve_schedule_path(chosen), db, resolve_operator(operator), clock)


def resolve_operator(chosen: str | None) -> str:
    """`--operator`, else `$OPSPLANNER_OPERATOR`, else the login name."""
    name = (chosen or os.environ.get("OPSPLANNER_OPERATOR") or "").strip()
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"
