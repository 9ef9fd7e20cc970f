"""Reading the store, and a reader for SQLite files that needs only the standard library.

Importing SQLAlchemy, SQLModel and pydantic costs ≈ 0.3 s; the queries a read-only command
runs cost a few milliseconds. So `today` on a day already opened, `review`, the reports and
the TUI's first fill of statuses read a SQLite file through `sqlite3` directly. Whatever this
reader cannot serve (PostgreSQL, a schema that needs upgrading, a day never opened) makes
`open_sqlite_reader` or the caller fall back to the SQLModel `Store`, the only writer.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from opsplanner.clock import Clock
from opsplanner.planner.record import DayRecord, Disposition
from opsplanner.store.config import BUSY_TIMEOUT_MS, SCHEMA_HEAD, database_url, sqlite_file
from opsplanner.store.errors import StoreError, explain
from opsplanner.store.records import PlanCache, day_record, disposition

T = TypeVar("T")


class Reader(ABC):
    """What read-only commands need from a store; `Store` and `SqliteReader` both answer."""

    operator: str

    @property
    @abstractmethod
    def location(self) -> str: ...

    def release(self) -> None:  # noqa: B027 (most readers hold nothing between calls)
        """Let go of connections held between calls (the store opens one per call)."""

    @abstractmethod
    def existing_day(self, day: date) -> DayRecord | None:
        """The recorded day if it was ever materialised (never creates one)."""

    @abstractmethod
    def last_day_before(self, day: date) -> DayRecord | None:
        """The latest materialised day before `day` (for "yesterday is not closed")."""

    @abstractmethod
    def metric_history(
        self, metrics: list[str], start: date, end: date
    ) -> dict[str, dict[date, float]]:
        """Typed-in values per metric per data date in [start, end]."""

    @abstractmethod
    def days_between(self, start: date, end: date) -> list[DayRecord]:
        """Every materialised day in [start, end], oldest first (reports)."""

    @abstractmethod
    def dispositions(self, start: date, end: date) -> list[Disposition]:
        """Dispositions of checks on data dates in [start, end]."""

    @abstractmethod
    def planning(self, before: date, keys: Sequence[str]) -> Planning:
        """What planning a day needs from the past: the first recorded day (the anchor of
        `every N days` without `since:`) and when each of `keys` was last done before it."""


@dataclass(frozen=True, slots=True)
class Planning:
    """The past a plan depends on (see `planner.day.occurrences`)."""

    first_day: date | None
    last_done: dict[str, date]


def planning_queries(keys: Sequence[str]) -> tuple[str, str]:
    """The two queries behind `Reader.planning`, one text for sqlite3 and SQLAlchemy alike
    (named parameters: operator, before, and k0, k1, … for the keys)."""
    marks = ", ".join(f":k{n}" for n in range(len(keys))) or "NULL"
    return (
        "SELECT MIN(day) FROM day WHERE operator = :operator",
        "SELECT task_key, MAX(day) FROM task_entry WHERE operator = :operator "
        f"AND status = 'done' AND day < :before AND task_key IN ({marks}) GROUP BY task_key",
    )


def planning_parameters(operator: str, before: date, keys: Sequence[str]) -> dict[str, object]:
    return {"operator": operator, "before": before, **{f"k{n}": k for n, k in enumerate(keys)}}


def planning_from(first: str | date | None, done: Iterable[Sequence[Any]]) -> Planning:
    """The two queries' rows as a `Planning` (the same for either driver)."""
    last_done = {str(key): day for key, value in done if (day := as_date(value)) is not None}
    return Planning(as_date(first), last_done)


def as_date(value: str | date | None) -> date | None:
    """SQLite hands dates back as text, PostgreSQL as dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True, slots=True)
class _StoredDay:
    id: int
    day: date
    operator: str
    schedule_id: str
    schedule_hash: str
    snapshot: str
    opened_at: datetime | None
    closed_at: datetime | None
    summary: str | None
    tomorrow: str | None


def _stored_day(row: Any) -> _StoredDay:
    (
        id_,
        day,
        operator,
        schedule_id,
        schedule_hash,
        snapshot,
        opened_at,
        closed_at,
        summary,
        tomorrow,
    ) = row
    return _StoredDay(
        id_,
        date.fromisoformat(day),
        operator,
        schedule_id,
        schedule_hash,
        snapshot,
        _moment(opened_at),
        _moment(closed_at),
        summary,
        tomorrow,
    )


@dataclass(frozen=True, slots=True)
class _StoredEntry:
    task_key: str
    block_id: str
    title: str
    spec: str | None
    status: str
    note: str | None
    reason: str | None
    changed_at: datetime | None
    carried_from: date | None
    carried_count: int


@dataclass(frozen=True, slots=True)
class _StoredDisposition:
    metric: str
    data_date: date
    check_expr: str | None
    cause: str | None
    follow_up: str | None
    follow_up_day: date | None
    decided_at: datetime


_DAY_COLUMNS = (
    "id, day, operator, schedule_id, schedule_hash, snapshot, opened_at, "
    "closed_at, summary, tomorrow"
)


_ENTRY_QUERY = (
    "SELECT task_key, block_id, title, spec, status, note, reason, changed_at, "
    "carried_from, carried_count FROM task_entry WHERE day_id = ? ORDER BY id"
)


class SqliteReader(Reader):
    """A read-only connection to an up-to-date SQLite store (one thread, like a session)."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path, *, operator: str, clock: Clock
    ) -> None:
        self._connection = connection
        self._path = path
        self._plans = PlanCache()
        self._clock = clock
        self.operator = operator

    @property
    def location(self) -> str:
        return str(self._path)

    def release(self) -> None:
        self._connection.close()

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One consistent view for a method's queries (WAL readers never block writers)."""
        self._connection.execute("BEGIN")
        try:
            yield self._connection
        finally:
            self._connection.execute("ROLLBACK")

    def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            with self._snapshot() as connection:
                return work(connection)
        except sqlite3.Error as error:
            raise StoreError(explain(error, self.location)) from None

    def _record(self, connection: sqlite3.Connection, row: _StoredDay) -> DayRecord:
        entries = [
            _StoredEntry(
                key,
                block,
                title,
                spec,
                status,
                note,
                reason,
                _moment(changed),
                _date(carried_from),
                count,
            )
            for (key, block, title, spec, status, note, reason, changed, carried_from, count) in (
                connection.execute(_ENTRY_QUERY, (row.id,))
            )
        ]
        return day_record(row, entries, self._plans, self._clock.now().astimezone(UTC))

    def _days(self, where: str, parameters: tuple[object, ...]) -> list[DayRecord]:
        def work(connection: sqlite3.Connection) -> list[DayRecord]:
            rows = connection.execute(
                f"SELECT {_DAY_COLUMNS} FROM day WHERE operator = ? AND {where}",
                (self.operator, *parameters),
            ).fetchall()
            return [self._record(connection, _stored_day(row)) for row in rows]

        return self._read(work)

    def existing_day(self, day: date) -> DayRecord | None:
        found = self._days("day = ?", (day.isoformat(),))
        return found[0] if found else None

    def last_day_before(self, day: date) -> DayRecord | None:
        found = self._days("day < ? ORDER BY day DESC LIMIT 1", (day.isoformat(),))
        return found[0] if found else None

    def days_between(self, start: date, end: date) -> list[DayRecord]:
        return self._days(
            "day >= ? AND day <= ? ORDER BY day", (start.isoformat(), end.isoformat())
        )

    def metric_history(
        self, metrics: list[str], start: date, end: date
    ) -> dict[str, dict[date, float]]:
        history: dict[str, dict[date, float]] = {metric: {} for metric in metrics}
        if not metrics:
            return history
        marks = ", ".join("?" * len(metrics))

        def work(connection: sqlite3.Connection) -> dict[str, dict[date, float]]:
            for metric, data_date, value in connection.execute(
                "SELECT metric, data_date, value FROM metric_value WHERE operator = ? "
                f"AND metric IN ({marks}) AND data_date >= ? AND data_date <= ?",
                (self.operator, *metrics, start.isoformat(), end.isoformat()),
            ):
                history[metric][date.fromisoformat(data_date)] = float(value)
            return history

        return self._read(work)

    def planning(self, before: date, keys: Sequence[str]) -> Planning:
        first_sql, done_sql = planning_queries(keys)
        parameters = planning_parameters(self.operator, before, keys)
        parameters["before"] = before.isoformat()

        def work(connection: sqlite3.Connection) -> Planning:
            (first,) = connection.execute(first_sql, parameters).fetchone()
            return planning_from(first, connection.execute(done_sql, parameters).fetchall())

        return self._read(work)

    def dispositions(self, start: date, end: date) -> list[Disposition]:
        def work(connection: sqlite3.Connection) -> list[Disposition]:
            rows = connection.execute(
                "SELECT metric, data_date, check_expr, cause, follow_up, follow_up_day, "
                "decided_at FROM check_disposition WHERE operator = ? AND data_date >= ? "
                "AND data_date <= ? ORDER BY id",
                (self.operator, start.isoformat(), end.isoformat()),
            ).fetchall()
            return [
                disposition(
                    _StoredDisposition(
                        metric,
                        date.fromisoformat(data_date),
                        check,
                        cause,
                        follow_up,
                        _date(follow_up_day),
                        datetime.fromisoformat(decided_at),
                    )
                )
                for metric, data_date, check, cause, follow_up, follow_up_day, decided_at in rows
            ]

        return self._read(work)


def open_sqlite_reader(
    path_or_url: str | None, *, operator: str, clock: Clock
) -> SqliteReader | None:
    """A reader when `--db` is an existing SQLite file at this version's schema, else None
    (the caller then opens the full store, which creates, upgrades or explains)."""
    path = sqlite_file(database_url(path_or_url))
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro",
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
    return SqliteReader(connection, path, operator=operator, clock=clock)
