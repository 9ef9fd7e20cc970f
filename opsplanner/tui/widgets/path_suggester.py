"""Completes a file path as it is typed (→ or End takes the rest), the way a shell would:
the first entry of the folder that starts with what was typed, folders with a slash."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester

MAX_ENTRIES = 2000  # a huge folder is not scanned to the end for a suggestion


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(os.path.expanduser(value))
        folder, start = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
        try:
            with os.scandir(folder) as entries:
                names = []
                for count, entry in enumerate(entries):
                    if count >= MAX_ENTRIES:
                        break
                    if entry.name.startswith(start) and not entry.name.startswith("."):
                        names.append(entry.name + (os.sep if entry.is_dir() else ""))
        except OSError:
            return None
        if not names:
            return None
        return value + min(names)[len(start) :]
