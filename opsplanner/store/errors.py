"""What the store refuses and why, importable without the database libraries.

The CLI and the TUI catch these around every store call; keeping them here (standard library
only) lets a read-only command handle them without paying for SQLAlchemy's import.
"""

from __future__ import annotations


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
        return f"the database {location} is read-only; nothing was saved"
    if "disk" in lowered and "full" in lowered:
        return f"the disk holding {location} is full; nothing was saved"
    if "locked" in lowered or "busy" in lowered:
        return f"the database {location} stayed busy; nothing was saved, try again"
    return f"database error on {location}: {reason}"
