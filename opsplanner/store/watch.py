"""Noticing another writer's commit without re-reading anything.

SQLite keeps a per-connection counter, ``PRAGMA data_version``, that moves when any *other*
connection commits: asking costs microseconds, so the TUI can look four times a second.
PostgreSQL sends a notification on the ``opsplanner`` channel with every write the store
commits (see `Store._session`); a ``LISTEN`` connection waits for it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

CHANNEL = "opsplanner"


class ChangeWatcher(Protocol):
    """Tells whether someone committed since the last call."""

    def changed(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds; True when another writer committed meanwhile."""

    def close(self) -> None: ...


class SqliteWatcher:
    """A read-only connection of its own, asked for the change counter."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False
        )
        self._version = self._read()

    def _read(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self, timeout: float) -> bool:
        time.sleep(timeout)
        version = self._read()
        moved, self._version = version != self._version, version
        return moved

    def close(self) -> None:
        self._connection.close()


class PostgresWatcher:
    """A `LISTEN` connection (psycopg) on the store's notification channel."""

    def __init__(self, conninfo: str, operator: str) -> None:
        import psycopg

        self._operator = operator
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def changed(self, timeout: float) -> bool:
        return any(
            note.payload == self._operator
            for note in self._connection.notifies(timeout=timeout, stop_after=64)
        )

    def close(self) -> None:
        self._connection.close()


def watcher_for(url: str, operator: str) -> ChangeWatcher | None:
    """A watcher for a SQLite file or a PostgreSQL database; None for anything else."""
    from opsplanner.store.config import sqlite_file

    path = sqlite_file(url)
    if path is not None:
        return SqliteWatcher(path) if path.is_file() else None
    if url.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        parsed = make_url(url).set(drivername="postgresql")
        return PostgresWatcher(parsed.render_as_string(hide_password=False), operator)
    return None
