"""The read queries, written once in `store/queries.py`: they name only columns the tables
have, the schema the code expects is the last migration, and a day reads back the same
whichever driver and database served it."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, MetaData, create_engine
from sqlalchemy.exc import OperationalError

from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store import queries, tables
from opsplanner.store.config import SCHEMA_HEAD, SCHEMA_REVISIONS
from opsplanner.store.engine import MIGRATIONS_DIR
from opsplanner.store.queries import Query, Rows
from opsplanner.store.reader import Reader, open_sqlite_reader
from opsplanner.store.store import Store
from tests.store.test_reader import CLOCK, END, OPERATOR, every_kind_of_row

TABLES = tables.DayRow.metadata  # where every table of tables.py is declared
QUERIES: dict[str, Query[Any]] = {
    name: value for name, value in vars(queries).items() if isinstance(value, Query)
}
SAMPLE_PARAMETERS: dict[str, object] = {
    "operator": OPERATOR,
    "day": END,
    "before": END,
    "start": END - timedelta(days=7),
    "end": END,
    "day_id": 1,
    "metrics": ["visitors", "orders"],
    "keys": ["store-data"],
}


def _run_on(connection: Connection, query: Query[Any]) -> list[Any]:
    """Run `query` with a sample for each parameter it names."""
    names = set(re.findall(r"(?<!:):(\w+)", query.sql))
    rows = Rows(lambda sql, bound: connection.exec_driver_sql(sql, bound), dates_as_text=True)
    return rows(query, **{name: SAMPLE_PARAMETERS[name] for name in names})


def _run_on_tables(metadata: MetaData, query: Query[Any]) -> list[Any]:
    """Run `query` on empty tables made from `metadata`: SQLite resolves every table and
    column a statement names when it prepares it, so a missing one fails here."""
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.connect() as connection:
        return _run_on(connection, query)


def test_the_module_holds_every_read() -> None:
    assert set(QUERIES) >= {
        "DAY",
        "DAY_BEFORE",
        "DAYS_BETWEEN",
        "ENTRIES",
        "READINGS",
        "DISPOSITIONS",
        "FIRST_DAY",
        "LAST_DONE",
    }


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_query_names_only_tables_and_columns_of_tables_py(name: str) -> None:
    query = QUERIES[name]
    # SQLite would read an unknown "double-quoted" name as a string rather than fail.
    assert '"' not in query.sql
    _run_on_tables(TABLES, query)


def test_a_renamed_column_is_caught() -> None:
    renamed = MetaData()
    for table in TABLES.sorted_tables:
        copy = table.to_metadata(renamed)
        if table.name == "check_disposition":
            copy.c.check_expr.name = "checks"
    with pytest.raises(OperationalError, match="no such column: check_expr"):
        _run_on_tables(renamed, queries.DISPOSITIONS)


def test_the_schema_the_code_expects_is_the_last_migration() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    assert script.get_current_head() == SCHEMA_HEAD
    oldest_first = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    assert oldest_first == list(SCHEMA_REVISIONS)


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return load_schedule(bundled_dir() / "taobao-operator.yaml")


def _fill(url: str, schedule: Schedule) -> Store:
    return every_kind_of_row(url, schedule, seed=5, visitors=12_345.5)


def _everything(source: Reader, schedule: Schedule) -> list[object]:
    """Every read a front-end makes, over the whole history."""
    start = END - timedelta(days=60)
    metrics = [metric.id for metric in schedule.metrics if not metric.derived]
    keys = [task.id for task in schedule.tasks()]
    return [
        source.days_between(start, END),
        [source.existing_day(END - timedelta(days=n)) for n in (-1, 0, 1, 30)],
        [source.last_day_before(END - timedelta(days=n)) for n in (-1, 0, 48, 49)],
        source.metric_history(metrics, start, END),
        source.metric_history([], start, END),
        source.dispositions(start, END),
        source.planning(END, keys),
        source.planning(date(2000, 1, 1), keys),
    ]


def _first_difference(read: str, stored: str) -> str:
    at = next((n for n, (a, b) in enumerate(zip(read, stored, strict=False)) if a != b), 0)
    return f"reader: …{read[at - 200 : at + 200]}…\nstore:  …{stored[at - 200 : at + 200]}…"


def test_reader_and_store_read_the_same_day_the_same(
    db_url: str, tmp_path: Path, schedule: Schedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the plain-sqlite3 reader and the store read one file; on PostgreSQL (in a
    session time zone other than UTC) the store reads what the reader reads from a SQLite
    twin given the same writes. Each time the objects are the same, down to their repr."""
    monkeypatch.setenv("PGTZ", "Asia/Shanghai")
    twin = tmp_path / "ops.sqlite3"
    store = _fill(db_url, schedule)
    if db_url != str(twin):
        _fill(str(twin), schedule)
    reader = open_sqlite_reader(str(twin), operator=OPERATOR, clock=CLOCK)
    assert reader is not None
    try:
        read, stored = _everything(reader, schedule), _everything(store, schedule)
    finally:
        reader.release()
    if repr(read) != repr(stored):  # pytest's own diff of two long texts takes minutes
        pytest.fail(_first_difference(repr(read), repr(stored)))
    assert read == stored
    today = stored[1][1]
    assert today is not None and today.entry("list-day-work").status == "done"
    assert any(entry.task.title == "Ask about traffic" for entry in today.entries)
    assert stored[3]["visitors"][END - timedelta(days=1)] == 12_345.5
    assert len(stored[5]) == 2 and stored[6].last_done


def test_a_list_parameter_takes_any_number_of_items() -> None:
    """An empty list matches nothing (rather than being a syntax error)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE task_entry (task_key, day, operator, status)")
    connection.execute("INSERT INTO task_entry VALUES ('a', '2026-11-20', 'ming', 'done')")
    rows = Rows(connection.execute, dates_as_text=True)
    assert rows(queries.LAST_DONE, operator=OPERATOR, before=END, keys=[]) == []
    assert rows(queries.LAST_DONE, operator=OPERATOR, before=END, keys=("a", "b")) == [
        ("a", date(2026, 11, 20))
    ]
