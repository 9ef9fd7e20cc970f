"""Every read query, written once: its SQL text and what one of its rows means.

The plain-sqlite3 reader and the SQLModel store run these same texts (`sqlite3` and
SQLAlchemy's `text()` both take `:name` parameters), so a row shape is decoded in one place
and both paths read a day back identically. Drivers hand rows back differently — SQLite gives
dates and times as text, PostgreSQL as objects — and the mappers accept either. Standard
library only: the read-only commands must not pay for importing the ORM.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from opsplanner.planner.record import Disposition
from opsplanner.store.records import disposition

T = TypeVar("T")

Execute = Callable[[str, dict[str, Any]], Iterable[Sequence[Any]]]
"""A driver's way to run SQL text with named parameters: `sqlite3.Connection.execute`, or a
SQLAlchemy session's `execute(text(sql), parameters)`."""


@dataclass(frozen=True, slots=True)
class Query(Generic[T]):
    """One read: SQL text with named parameters (`IN (:names)` takes a list) and the function
    that turns one of its rows into what the caller wants."""

    sql: str
    row: Callable[[Sequence[Any]], T]


class Rows:
    """Runs queries on one open connection and maps their rows."""

    def __init__(self, execute: Execute, *, dates_as_text: bool) -> None:
        self._execute = execute
        self._dates_as_text = dates_as_text  # SQLite stores dates as ISO text

    def __call__(self, query: Query[T], /, **parameters: object) -> list[T]:
        sql, bound = self._bind(query.sql, parameters)
        return [query.row(row) for row in self._execute(sql, bound)]

    def _bind(self, sql: str, parameters: Mapping[str, object]) -> tuple[str, dict[str, Any]]:
        """Parameters as the driver takes them: a list `:keys` becomes `:keys_0, :keys_1, …`
        (NULL when empty, which matches nothing), dates become text for SQLite."""
        bound: dict[str, Any] = {}
        for name, value in parameters.items():
            if isinstance(value, Sequence) and not isinstance(value, str):
                names = [f"{name}_{n}" for n in range(len(value))]
                marks = ", ".join(f":{each}" for each in names) or "NULL"
                sql = re.sub(rf":{name}\b", marks, sql)
                bound.update(zip(names, value, strict=True))
            else:
                bound[name] = value
        if self._dates_as_text:
            bound = {k: v.isoformat() if isinstance(v, date) else v for k, v in bound.items()}
        return sql, bound


@dataclass(frozen=True, slots=True)
class Planning:
    """The past a plan depends on (see `planner.day.occurrences`)."""

    first_day: date | None
    last_done: dict[str, date]


@dataclass(frozen=True, slots=True)
class StoredDay:
    """A row of `day` (see `records.DayFields`)."""

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


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A row of `task_entry` (see `records.EntryFields`)."""

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


def as_date(value: str | date | None) -> date | None:
    """SQLite hands dates back as text, PostgreSQL as dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _moment(value: str | datetime | None) -> datetime | None:
    """SQLite hands times back as text (naive, UTC), PostgreSQL as aware datetimes."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _stored_day(row: Sequence[Any]) -> StoredDay:
    id_, day, operator, schedule_id, schedule_hash, snapshot, opened, closed, summary, tomorrow = (
        row
    )
    return StoredDay(
        id_,
        _day(day),
        operator,
        schedule_id,
        schedule_hash,
        snapshot,
        _moment(opened),
        _moment(closed),
        summary,
        tomorrow,
    )


def _stored_entry(row: Sequence[Any]) -> StoredEntry:
    key, block, title, spec, status, note, reason, changed, carried_from, count = row
    return StoredEntry(
        key,
        block,
        title,
        spec,
        status,
        note,
        reason,
        _moment(changed),
        as_date(carried_from),
        count,
    )


def _reading(row: Sequence[Any]) -> tuple[str, date, float]:
    metric, data_date, value = row
    return metric, _day(data_date), float(value)


def _disposition(row: Sequence[Any]) -> Disposition:
    metric, data_date, check, cause, follow_up, follow_up_day, decided_at = row
    decided = _moment(decided_at)
    assert decided is not None  # the column is NOT NULL
    return disposition(
        _StoredDisposition(
            metric, _day(data_date), check, cause, follow_up, as_date(follow_up_day), decided
        )
    )


def _last_done(row: Sequence[Any]) -> tuple[str, date]:
    key, day = row
    return str(key), _day(day)


_DAYS = (
    "SELECT id, day, operator, schedule_id, schedule_hash, snapshot, opened_at, closed_at, "
    "summary, tomorrow FROM day WHERE operator = :operator"
)

DAY = Query(f"{_DAYS} AND day = :day", _stored_day)
"""The operator's day on `day`, if it was ever opened."""

DAY_BEFORE = Query(f"{_DAYS} AND day < :day ORDER BY day DESC LIMIT 1", _stored_day)
"""The operator's latest opened day before `day`."""

DAYS_BETWEEN = Query(f"{_DAYS} AND day >= :start AND day <= :end ORDER BY day", _stored_day)
"""The operator's opened days in [start, end], oldest first."""

ENTRIES = Query(
    "SELECT task_key, block_id, title, spec, status, note, reason, changed_at, carried_from, "
    "carried_count FROM task_entry WHERE day_id = :day_id ORDER BY id",
    _stored_entry,
)
"""A day's task entries in the order they were added."""

READINGS = Query(
    "SELECT metric, data_date, value FROM metric_value WHERE operator = :operator "
    "AND metric IN (:metrics) AND data_date >= :start AND data_date <= :end",
    _reading,
)
"""Typed-in values of `metrics` for data dates in [start, end]."""

DISPOSITIONS = Query(
    "SELECT metric, data_date, check_expr, cause, follow_up, follow_up_day, decided_at "
    "FROM check_disposition WHERE operator = :operator AND data_date >= :start "
    "AND data_date <= :end ORDER BY id",
    _disposition,
)
"""Decisions about failed checks on data dates in [start, end], in the order made."""

FIRST_DAY = Query(
    "SELECT MIN(day) FROM day WHERE operator = :operator", lambda row: as_date(row[0])
)
"""The operator's first opened day (the anchor of `every N days` without `since:`)."""

LAST_DONE = Query(
    "SELECT task_key, MAX(day) FROM task_entry WHERE operator = :operator AND status = 'done' "
    "AND day < :before AND task_key IN (:keys) GROUP BY task_key",
    _last_done,
)
"""When each of `keys` was last done before `before`."""
