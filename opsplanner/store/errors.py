"""What the store refuses and why, importable without the database libraries.

The CLI and the TUI catch these around every store call; keeping them here (standard library
only) lets a read-only command handle them without paying for SQLAlchemy's import.
"""

from __future__ import annotations

from opsplanner.i18n import N_, _

STATUS_NAMES = {
    "pending": N_("pending"),
    "done": N_("done"),
    "skipped": N_("skipped"),
    "carried": N_("carried"),
    "missed": N_("missed"),
}
"""A task's status as refusals and the CLI's confirmations name it."""


def status_name(status: str) -> str:
    """ "skipped" / "跳过"."""
    return _(STATUS_NAMES.get(status, status))


class StoreError(Exception):
    """A database problem explained for the user (status 1: the action was refused)."""


class Refused(Exception):
    """The action makes no sense in the current state (exit status 1), with the reason."""


class Stale(Refused):
    """The write was based on a view someone else has changed since; nothing was saved."""


class FutureDay(Refused):
    """A day after today cannot be opened or acted on yet (looking at it shows a preview)."""


class UnknownTask(Exception):
    """No such task on that day; `suggestions` are the closest ids."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def explain(error: BaseException, location: str) -> str:
    """A database driver's error as one line that says what happened to the user's data."""
    text = str(error).strip()
    reason = text.splitlines()[0] if text else type(error).__name__
    lowered = reason.lower()
    if "readonly" in lowered or "read-only" in lowered:
        message = _("the database {location} is read-only; nothing was saved")
    elif "disk" in lowered and "full" in lowered:
        message = _("the disk holding {location} is full; nothing was saved")
    elif "locked" in lowered or "busy" in lowered:
        message = _("the database {location} stayed busy; nothing was saved, try again")
    else:
        message = _("database error on {location}: {reason}")
    return message.format(location=location, reason=reason)
