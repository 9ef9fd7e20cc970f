"""The store's promises: frozen history, missed days accounted for, schema upkeep, privacy."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.store.engine import make_engine, migrate
from opsplanner.store.errors import StoreError
from opsplanner.store.store import Store

NOW = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)  # after every day these tests open


def open_store(url: str, operator: str = "ana") -> Store:
    return Store(make_engine(url), operator=operator, clock=FixedClock(NOW))


def test_editing_the_template_never_rewrites_a_past_day(
    db_url: str, tmp_path: Path, fixtures_dir: Path
) -> None:
    path = tmp_path / "office.yaml"
    path.write_text((fixtures_dir / "office.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    store = open_store(db_url)
    before = store.day(load_schedule(path), date(2026, 11, 23))
    edited = (
        path.read_text(encoding="utf-8")
        .replace("title: Record yesterday's store data", "title: Read the numbers")
        .replace(
            "      - id: weekday-only\n        title: Call the warehouse\n"
            "        repeat: weekdays\n",
            "",
        )
    )
    path.write_text(edited, encoding="utf-8")
    after = open_store(db_url).day(load_schedule(path), date(2026, 11, 23))
    assert after.plan == before.plan
    assert [e.task.title for e in after.entries] == [e.task.title for e in before.entries]
    assert after.entry("weekday-only") is not None
    fresh = open_store(db_url).day(load_schedule(path), date(2026, 11, 24))
    assert fresh.entry("store-data") is not None
    assert fresh.entry("store-data").task.title == "Read the numbers"  # type: ignore[union-attr]
    assert fresh.entry("weekday-only") is None


def test_four_unopened_workdays(db_url: str, office: Schedule) -> None:
    store = open_store(db_url)
    friday = date(2026, 11, 20)
    for entry in store.day(office, friday).entries:
        store.set_status(office, friday, entry.key, "done")
    store.close_day(office, friday)
    # Sat 21, Mon 23, Tue 24, Wed 25 are workdays nobody opened (Sun 22 is a day off)
    thursday = store.day(office, date(2026, 11, 26))
    for missed_day in (
        date(2026, 11, 21),
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 25),
    ):
        record = store.existing_day(missed_day)
        assert record is not None and record.closed and record.summary == "not opened"
        daily = record.entry("store-data")
        assert daily is not None and daily.status == "missed"
    assert store.existing_day(date(2026, 11, 22)) is None
    weekly = [e for e in thursday.entries if e.key == "weekly-target"]
    assert len(weekly) == 1, "the weekly duty comes forward once, not once per missed day"
    assert (weekly[0].status, weekly[0].carried_from, weekly[0].carried_count) == (
        "pending",
        date(2026, 11, 23),
        1,
    )
    review = thursday.entry("product-review")  # every 3 days after done; done Fri 20
    assert review is not None
    assert (review.status, review.carried_from) == ("pending", date(2026, 11, 23))
    assert [e.key for e in thursday.entries].count("product-review") == 1


def test_at_most_one_open_instance_across_weeks(db_url: str, office: Schedule) -> None:
    store = open_store(db_url)
    store.day(office, date(2026, 11, 16))  # Monday: weekly-target occurs, never done
    later = store.day(office, date(2026, 11, 30))  # two weeks later, nothing opened between
    weekly = [e for e in later.entries if e.key == "weekly-target"]
    assert len(weekly) == 1
    assert weekly[0].carried_from == date(2026, 11, 16)


def test_undo_walks_back_through_changes(db_url: str, office: Schedule) -> None:
    store = open_store(db_url)
    day = date(2026, 11, 23)
    store.set_status(office, day, "store-data", "done", note="first")
    store.set_status(office, day, "store-data", "skipped", reason="no data")
    entry, action = store.undo(office, day, "store-data")
    assert (action, entry.status, entry.note) == ("skip", "done", "first")
    entry, action = store.undo(office, day, "store-data")
    assert (action, entry.status) == ("done", "pending")
    changes = store.changes(limit=10)
    assert [c["action"] for c in changes[:4]] == ["undo", "undo", "skip", "done"]


def test_metric_values_are_per_operator_and_upserted(db_url: str) -> None:
    ana, bo = open_store(db_url, "ana"), open_store(db_url, "bo")
    day = date(2026, 11, 22)
    ana.set_metric(metric="visitors", data_date=day, value=100)
    ana.set_metric(metric="visitors", data_date=day, value=120)
    bo.set_metric(metric="visitors", data_date=day, value=7)
    assert ana.metric_history(["visitors"], day, day) == {"visitors": {day: 120.0}}
    assert bo.metric_history(["visitors"], day, day) == {"visitors": {day: 7.0}}


def test_migration_from_the_first_revision_keeps_every_row(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO day (operator, day, schedule_id, schedule_hash, snapshot, opened_at) "
                "VALUES ('ana', '2026-11-02', 'office', 'h', '{}', '2026-11-02 01:00:00')"
            )
        )
        day_id = connection.execute(text("SELECT id FROM day")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO task_entry (day_id, operator, day, task_key, block_id, title, status, "
                "origin, carried_count) VALUES (:d, 'ana', '2026-11-02', 'store-data', 'morning', "
                "'Record', 'done', 'plan', 0)"
            ),
            {"d": day_id},
        )
        connection.execute(
            text(
                "INSERT INTO metric_value (operator, metric, data_date, value, entered_at) "
                "VALUES ('ana', 'visitors', '2026-11-01', 1234, '2026-11-02 01:00:00')"
            )
        )
    open_store(db_url)  # opening upgrades in place
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            == "0002"
        )
        assert connection.execute(text("SELECT status FROM task_entry")).scalar_one() == "done"
        assert connection.execute(text("SELECT value FROM metric_value")).scalar_one() == 1234
        assert connection.execute(text("SELECT count(*) FROM check_disposition")).scalar_one() == 0
    if "://" not in db_url:
        backup = Path(db_url + ".schema-0001.bak")
        assert backup.exists()
        with sqlite3.connect(backup) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_migrations_match_the_tables(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = make_engine(db_url)
    open_store(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_a_newer_database_is_refused_untouched(db_url: str) -> None:
    open_store(db_url)
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(StoreError, match="newer than this opsplanner understands"):
        open_store(db_url)
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            == "0099"
        )


def test_new_sqlite_file_is_private_and_in_wal_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default data folder is made on first use (a named `--db` folder never is: see
    tests/reliability/test_one_line_errors.py)."""
    monkeypatch.setenv("OPSPLANNER_DATA_DIR", str(tmp_path / "nested"))
    Store(make_engine(None), operator="ana", clock=FixedClock(NOW))
    path = tmp_path / "nested" / "opsplanner.sqlite3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_not_an_opsplanner_database(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="not an opsplanner database"):
        open_store(str(path))


def test_read_only_database_gives_a_clear_message(tmp_path: Path, office: Schedule) -> None:
    path = tmp_path / "ops.sqlite3"
    store = open_store(str(path))
    store.day(office, date(2026, 11, 23))
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    read_only = Store(engine, operator="ana", clock=FixedClock(NOW), prepare=False)
    with pytest.raises(StoreError, match="read-only; nothing was saved"):
        read_only.set_status(office, date(2026, 11, 23), "store-data", "done")
    assert store.day(office, date(2026, 11, 23)).entry("store-data").status == "pending"  # type: ignore[union-attr]


def test_late_campaign_task_is_flagged_every_day_until_decided(
    db_url: str, office: Schedule
) -> None:
    store = open_store(db_url)
    due = date(2026, 11, 21)  # Double 12 minus 21 days: register
    assert store.day(office, due).entry("double-12/register") is not None
    store.close_day(office, due, carry_rest="no time")
    for day in (date(2026, 11, 23), date(2026, 11, 24)):
        entry = store.day(office, day).entry("double-12/register")
        assert entry is not None and entry.status == "pending" and entry.carried_from == due
        store.close_day(office, day, carry_rest="still waiting")
    store.set_status(
        office, date(2026, 11, 25), "double-12/register", "skipped", reason="registration closed"
    )
    store.close_day(office, date(2026, 11, 25), carry_rest="no time")
    assert store.day(office, date(2026, 11, 26)).entry("double-12/register") is None
