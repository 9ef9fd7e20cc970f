"""Where opsplanner keeps its data; nothing is created until it is first needed."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "opsplanner"


def data_dir() -> Path:
    """The per-user data folder (``OPSPLANNER_DATA_DIR`` overrides platformdirs)."""
    override = os.environ.get("OPSPLANNER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Derived files safe to delete (compiled schedules): ``OPSPLANNER_CACHE_DIR``, else beside
    an overridden data folder (so tests and sandboxes stay self-contained), else platformdirs."""
    override = os.environ.get("OPSPLANNER_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    data = os.environ.get("OPSPLANNER_DATA_DIR")
    if data:
        return Path(data).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``OPSPLANNER_DB`` names one."""
    return data_dir() / "opsplanner.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create a folder (and parents) readable only by the user, on first use."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
