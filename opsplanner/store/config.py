"""Where the database is and which schema this version speaks (standard library only).

Both the SQLAlchemy engine and the plain-sqlite3 reader start from here, so they always agree
on the file a command means.
"""

from __future__ import annotations

import os
from pathlib import Path

from opsplanner.locations import default_database_path

SCHEMA_HEAD = "0002"
SCHEMA_REVISIONS = ("0001", "0002")
BUSY_TIMEOUT_MS = 15_000


def chosen_database(path_or_url: str | None) -> str | None:
    """`--db`, else `OPSPLANNER_DB`; None when the user named no database (the default file)."""
    return path_or_url or os.environ.get("OPSPLANNER_DB") or None


def database_url(path_or_url: str | None) -> str:
    """`--db` / `OPSPLANNER_DB` / the default file, as a SQLAlchemy URL."""
    chosen = chosen_database(path_or_url)
    if not chosen:
        return f"sqlite:///{default_database_path()}"
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The file behind a plain `sqlite:///PATH` URL; None for anything else (PostgreSQL,
    in-memory, `file:` URIs or URLs with options), which only the full store handles."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix) :]
    if not path or path == ":memory:" or path.startswith("file:") or "?" in path:
        return None
    return Path(path)
