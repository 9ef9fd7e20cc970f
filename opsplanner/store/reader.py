"""Reading the store, and a reader for SQLite files that needs only the standard library.

Importing SQLAlchemy, SQLModel and pydantic costs ≈ 0.3 s; the queries a read-only command
runs cost a few milliseconds. So `today` on a day already opened, `review`, the reports and
the TUI's first fill of statuses read a SQLite file through `sqlite3` directly. Whatever this
reader cannot serve (PostgreSQL, a schema that needs upgrading, a day never opened) makes
`open_sqlite_reader` or the caller fall back to the SQLModel `Store`, the only writer.
Both run the same queries (`store/queries.py`) through the `Reader` they share.
"""

from __future__ import annotations

import os
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from opsplanner.clock import Clock
from opsplanner.planner.record import DayRecord, Disposition
from opsplanner.store import queries
from opsplanner.store.config import BUSY_TIMEOUT_MS, SCHEMA_HEAD, database_url, sqlite_file
from opsplanner.store.errors import StoreError, explain
from opsplanner.store.queries import Planning, Query, Rows, StoredDay
from opsplanner.store.records import DayFields, PlanCache, day_record

T = TypeVar("T")


class Reader(ABC):
    """What read-only commands need from a store, answered by the queries of
    `store/queries.py`: `Store` runs them over its SQLAlchemy session, `SqliteReader` over
    `sqlite3`, so both read a day back the same."""

    def __init__(self, *, operator: str, clock: Clock) -> None:
        self.operator = operator
        self._clock = clock
        self._plans = PlanCache()

    @property
    @abstractmethod
    def location(self) -> str: ...

    def release(self) -> None:  # noqa: B027 (most readers hold nothing between calls)
        """Let go of connections held between calls (the store opens one per call)."""

    @abstractmethod
    def _reading(self, work: Callable[[Rows], T]) -> T:
        """Run `work` as one consistent read."""

    def _now(self) -> datetime:
        return self._clock.now().astimezone(UTC)

    def _with_entries(self, rows: Rows, day: DayFields) -> DayRecord:
        """A stored day and its task entries as the domain's record."""
        entries = rows(queries.ENTRIES, day_id=day.id)
        return day_record(day, entries, self._plans, self._now())

    def _days(self, query: Query[StoredDay], **parameters: object) -> list[DayRecord]:
        def work(rows: Rows) -> list[DayRecord]:
            found = rows(query, operator=self.operator, **parameters)
            return [self._with_entries(rows, day) for day in found]

        return self._reading(work)

    def existing_day(self, day: date) -> DayRecord | None:
        """The recorded day if it was ever materialised (never creates one)."""
        found = self._days(queries.DAY, day=day)
        return found[0] if found else None

    def last_day_before(self, day: date) -> DayRecord | None:
        """The latest materialised day before `day` (for "yesterday is not closed")."""
        found = self._days(queries.DAY_BEFORE, day=day)
        return found[0] if found else None

    def days_between(self, start: date, end: date) -> list[DayRecord]:
        """Every materialised day in [start, end], oldest first (reports)."""
        return self._days(queries.DAYS_BETWEEN, start=start, end=end)

    def metric_history(
        self, metrics: list[str], start: date, end: date
    ) -> dict[str, dict[date, float]]:
        """Typed-in values per metric per data date in [start, end]."""

        def work(rows: Rows) -> dict[str, dict[date, float]]:
            history: dict[str, dict[date, float]] = {metric: {} for metric in metrics}
            for metric, data_date, value in rows(
                queries.READINGS, operator=self.operator, metrics=metrics, start=start, end=end
            ):
                history[metric][data_date] = value
            return history

        return self._reading(work)

    def dispositions(self, start: date, end: date) -> list[Disposition]:
        """Dispositions of checks on data dates in [start, end]."""
        return self._reading(
            lambda rows: rows(queries.DISPOSITIONS, operator=self.operator, start=start, end=end)
        )

    def planning(self, before: date, keys: Sequence[str]) -> Planning:
        """What planning a day needs from the past: the first recorded day (the anchor of
        `every N days` without `since:`) and when each of `keys` was last done before it."""

        def work(rows: Rows) -> Planning:
            (first,) = rows(queries.FIRST_DAY, operator=self.operator)
            done = rows(queries.LAST_DONE, operator=self.operator, before=before, keys=keys)
            return Planning(first, dict(done))

        return self._reading(work)


class SqliteReader(Reader):
    """A read-only connection to an up-to-date SQLite store (one thread, like a session)."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, *, operator: str, clock: Clock
    ) -> None:
        super().__init__(operator=operator, clock=clock)
        self._connection = connection
        self._path = path

    @property
    def location(self) -> str:
        return str(self._path)

    def release(self) -> None:
        self._connection.close()

    def _reading(self, work: Callable[[Rows], T]) -> T:
        """One snapshot for a method's queries (WAL readers never block writers)."""
        try:
            self._connection.execute("BEGIN")
            try:
                return work(Rows(self._connection.execute, dates_as_text=True))
            finally:
                self._connection.execute("ROLLBACK")
        except sqlite3.Error as error:
            raise StoreError(explain(error, self.location)) from None


def open_sqlite_reader(
    path_or_url: str | None, *, operator: str, clock: Clock
) -> SqliteReader | None:
    """A reader when `--db` is an existing SQLite file at this version's schema, else None
    (the caller then opens the full store, which creates, upgrades or explains)."""
    path = sqlite_file(database_url(path_or_url))
    if path is None or not os.path.isfile(path):  # (no file, or none we may look at)
        return None
    connection = _connect_at_head(path, "mode=ro")
    if connection is None and _frozen(path):
        connection = _connect_at_head(path, "immutable=1")
    if connection is None:
        return None
    return SqliteReader(connection, path, operator=operator, clock=clock)


def _connect_at_head(path: Path, options: str) -> sqlite3.Connection | None:
    """A read-only connection to `path` if its schema is this version's, else None."""
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?{options}",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != SCHEMA_HEAD:
            raise sqlite3.DatabaseError("schema is not at head")
    except sqlite3.Error:
        connection.close()
        return None
    return connection


def _frozen(path: Path) -> bool:
    """Whether nobody can be writing the file: its folder is read-only (so SQLite cannot make
    the -wal and -shm files a write needs) and no -wal file is there. Such a database can only
    be read as immutable (SQLite cannot open a WAL database read-only without its -shm file);
    this keeps a read-only data folder readable."""
    wal = path.with_name(path.name + "-wal")
    return not os.access(path.parent, os.W_OK) and not wal.exists()
