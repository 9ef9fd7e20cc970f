"""The plain-sqlite3 reader reads back exactly what the SQLModel store does, and steps aside
(returns None) whenever it cannot serve a command, so the full store can create, upgrade
or explain instead."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store.engine import make_engine, migrate
from opsplanner.store.generate import generate_history
from opsplanner.store.reader import SqliteReader, open_sqlite_reader
from opsplanner.store.store import Store

END = date(2026, 11, 23)
OPERATOR = "ming"
CLOCK = FixedClock(datetime.fromisoformat("2026-11-23T02:00:00+00:00"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return load_schedule(bundled_dir() / "taobao-operator.yaml")


def every_kind_of_row(url: str, schedule: Schedule, *, seed: int, visitors: float) -> Store:
    """Seven weeks of generated history, today opened and worked on, a cause and a
    follow-up for failed checks: every kind of row the readers convert."""
    engine = make_engine(url)
    generate_history(engine, schedule, days=49, end=END, operator=OPERATOR, seed=seed)
    store = Store(engine, operator=OPERATOR, clock=CLOCK)
    store.day(schedule, END)
    store.set_status(schedule, END, "list-day-work", "done", note="備註 with 中文")
    store.set_status(schedule, END, "platform-notices", "carried", reason="waiting on others")
    store.set_metric(metric="visitors", data_date=END - timedelta(days=1), value=visitors)
    store.add_disposition(
        metric="conversion",
        data_date=END - timedelta(days=2),
        checks=["conversion >= 2%"],
        cause="price change",
    )
    store.add_disposition(
        metric="visitors",
        data_date=END - timedelta(days=1),
        checks=["visitors >= avg7 * 0.8"],
        follow_up="Ask about traffic",
        follow_up_day=END,
    )
    return store


@pytest.fixture
def history(tmp_path: Path, schedule: Schedule) -> tuple[Path, Store]:
    path = tmp_path / "ops.sqlite3"
    return path, every_kind_of_row(str(path), schedule, seed=3, visitors=1.2e4)


def _reader(path: Path) -> SqliteReader:
    reader = open_sqlite_reader(str(path), operator=OPERATOR, clock=CLOCK)
    assert reader is not None, "an up-to-date SQLite file must be served by the reader"
    return reader


def test_every_read_matches_the_store(history: tuple[Path, Store], schedule: Schedule) -> None:
    path, store = history
    reader = _reader(path)
    start = END - timedelta(days=50)
    assert reader.days_between(start, END) == store.days_between(start, END)
    assert len(reader.days_between(start, END)) >= 45
    for day in (END, END - timedelta(days=1), END - timedelta(days=30), END + timedelta(days=1)):
        assert reader.existing_day(day) == store.existing_day(day)
        assert reader.last_day_before(day) == store.last_day_before(day)
    metrics = [m.id for m in schedule.metrics if not m.derived]
    assert reader.metric_history(metrics, start, END) == store.metric_history(metrics, start, END)
    assert reader.dispositions(start, END) == store.dispositions(start, END)
    keys = [t.id for t in schedule.tasks()]
    for day in (END, END - timedelta(days=20), START_OF_TIME := date(2000, 1, 1)):
        assert reader.planning(day, keys) == store.planning(day, keys)
    assert reader.planning(END, keys).last_done, "the generated history has done tasks"
    assert reader.planning(START_OF_TIME, keys).last_done == {}


def test_what_was_written_today_reads_back(history: tuple[Path, Store]) -> None:
    path, _ = history
    record = _reader(path).existing_day(END)
    assert record is not None
    done = record.entry("list-day-work")
    assert done is not None and done.status == "done" and done.note == "備註 with 中文"
    assert done.changed_at is not None and done.changed_at.utcoffset() == timedelta(0)
    carried = record.entry("platform-notices")
    assert carried is not None and carried.status == "carried"
    assert carried.reason == "waiting on others"
    assert any(e.task.title == "Ask about traffic" for e in record.entries)


def test_an_unopened_day_is_none_and_the_file_is_left_alone(history: tuple[Path, Store]) -> None:
    path, _ = history
    before = path.stat().st_mtime_ns, path.stat().st_size
    reader = _reader(path)
    assert reader.existing_day(END + timedelta(days=3)) is None
    assert reader.metric_history([], END, END) == {}
    reader.release()
    assert (path.stat().st_mtime_ns, path.stat().st_size) == before


def test_it_steps_aside_for_what_only_the_store_can_do(tmp_path: Path) -> None:
    missing = tmp_path / "new.sqlite3"
    assert open_sqlite_reader(str(missing), operator=OPERATOR, clock=CLOCK) is None
    assert not missing.exists(), "the reader must never create a database"

    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("shopping list\n" * 100)
    assert open_sqlite_reader(str(not_a_db), operator=OPERATOR, clock=CLOCK) is None

    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert open_sqlite_reader(str(foreign), operator=OPERATOR, clock=CLOCK) is None

    older = tmp_path / "older.sqlite3"
    migrate(make_engine(str(older)), "0001")
    assert open_sqlite_reader(str(older), operator=OPERATOR, clock=CLOCK) is None

    for url in ("postgresql+psycopg://me@localhost/ops", "sqlite://", "sqlite:///:memory:"):
        assert open_sqlite_reader(url, operator=OPERATOR, clock=CLOCK) is None


def test_it_reads_while_another_process_holds_the_write_lock(history: tuple[Path, Store]) -> None:
    path, _ = history
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE task_entry SET note = 'uncommitted' WHERE task_key = 'store-data'")
    try:
        record = _reader(path).existing_day(END)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert record is not None
    entry = record.entry("store-data")
    assert entry is not None and entry.note != "uncommitted"


def test_read_only_verbs_do_not_import_the_orm(history: tuple[Path, Store]) -> None:
    """The point of the reader: `today` on an opened day and the reports skip SQLAlchemy."""
    path, _ = history
    probe = (
        "import sys\n"
        "from opsplanner.cli import main\n"
        "for argv in (['today', '--json'], ['review', '--json'], ['report', 'week'],\n"
        "             ['metric', 'show', 'visitors']):\n"
        f"    assert main([*argv, '--db', {str(path)!r}]) == 0, argv\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "OPSPLANNER_NOW": "2026-11-23T02:00:00+00:00",
        "OPSPLANNER_OPERATOR": OPERATOR,
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout[-2000:]


def test_a_day_never_opened_still_gets_opened_by_today(
    history: tuple[Path, Store], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from opsplanner.cli import main

    path, store = history
    tomorrow = END + timedelta(days=1)
    monkeypatch.setenv("OPSPLANNER_NOW", f"{tomorrow.isoformat()}T09:00:00+08:00")
    assert store.existing_day(tomorrow) is None
    assert (
        main(
            [
                "today",
                "--json",
                "--db",
                str(path),
                "--operator",
                OPERATOR,
                "--date",
                tomorrow.isoformat(),
            ]
        )
        == 0
    )
    assert '"date": "2026-11-24"' in capsys.readouterr().out
    opened = _reader(path).existing_day(tomorrow)
    assert opened is not None
    assert any(e.key == "platform-notices" and e.carried_from == END for e in opened.entries)
