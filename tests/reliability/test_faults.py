"""Faults: the database turns read-only, the disk fills up, the server goes away. The user
gets one clear message, nothing already saved is damaged, and nothing crashes."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from opsplanner.clock import FixedClock
from opsplanner.schedule.models import Schedule
from opsplanner.store.engine import make_engine
from opsplanner.store.errors import StoreError
from opsplanner.store.store import Store

MONDAY = date(2026, 11, 23)
CLOCK = FixedClock(datetime(2026, 11, 23, 1, tzinfo=UTC))


def poison(engine: Engine, pragma: str) -> None:
    """From now on every new connection runs `pragma` (and the pool starts afresh)."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma)

    event.listen(engine, "connect", on_connect)
    engine.dispose()


def status_on_disk(path: Path, key: str) -> str:
    with sqlite3.connect(path) as connection:
        return str(
            connection.execute(
                "SELECT status FROM task_entry WHERE task_key = ? AND day = ?",
                (key, MONDAY.isoformat()),
            ).fetchone()[0]
        )


def test_database_turns_read_only_mid_session(tmp_path: Path, office: Schedule) -> None:
    path = tmp_path / "ops.sqlite3"
    engine = make_engine(str(path))
    store = Store(engine, operator="ana", clock=CLOCK)
    store.set_status(office, MONDAY, "store-data", "done")
    poison(engine, "PRAGMA query_only = ON")
    with pytest.raises(StoreError) as caught:
        store.set_status(office, MONDAY, "weekly-target", "done")
    assert "read-only; nothing was saved" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert store.day(office, MONDAY).entry("store-data").status == "done"  # type: ignore[union-attr]
    assert status_on_disk(path, "weekly-target") == "pending"
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_disk_fills_up(tmp_path: Path, office: Schedule) -> None:
    path = tmp_path / "ops.sqlite3"
    engine = make_engine(str(path))
    store = Store(engine, operator="ana", clock=CLOCK)
    store.set_status(office, MONDAY, "store-data", "done")
    with sqlite3.connect(path) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
    poison(engine, f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        for n in range(200):  # notes grow the file until it cannot grow any more
            store.note(office, MONDAY, "plan-tomorrow", "x" * 4000 + str(n))
    assert "full; nothing was saved" in str(caught.value)
    assert status_on_disk(path, "store-data") == "done"
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_cli_reports_a_full_disk_in_one_line(
    tmp_path: Path,
    fixtures_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from opsplanner import cli
    from opsplanner.store import engine as engine_module

    path = tmp_path / "ops.sqlite3"
    common = [
        "--db",
        str(path),
        "--schedule",
        str(fixtures_dir / "office.yaml"),
        "--date",
        MONDAY.isoformat(),
    ]
    assert cli.main(["today", *common]) == 0
    capsys.readouterr()
    original = engine_module.make_engine

    def full_engine(path_or_url: str | None = None) -> Engine:
        engine = original(path_or_url)
        poison(engine, "PRAGMA max_page_count = 1")
        return engine

    monkeypatch.setattr(engine_module, "make_engine", full_engine)
    status = cli.main(["note", "store-data", "y" * 20000, *common])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and err.startswith("opsplanner: error: ") and "full" in err


@pytest.mark.skipif(
    not os.environ.get("OPSPLANNER_TEST_PG_URL"),
    reason="OPSPLANNER_TEST_PG_URL is not set (CI sets it)",
)
def test_postgres_server_drops_the_connection(office: Schedule) -> None:
    url = os.environ["OPSPLANNER_TEST_PG_URL"]
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    store = Store(make_engine(url), operator="ana", clock=CLOCK)
    store.set_status(office, MONDAY, "store-data", "done")
    with admin.begin() as connection:  # the server goes away for this client
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    entry = store.set_status(office, MONDAY, "weekly-target", "done")  # reconnects
    assert entry.status == "done"
    assert store.day(office, MONDAY).entry("store-data").status == "done"  # type: ignore[union-attr]


def test_unreachable_postgres_is_one_clear_message() -> None:
    with pytest.raises(StoreError) as caught:
        Store(
            make_engine("postgresql+psycopg://nobody@127.0.0.1:9/ops"), operator="ana", clock=CLOCK
        )
    message = str(caught.value)
    assert message.startswith("cannot open the database postgresql+psycopg://nobody@")
    assert "\n" not in message


async def test_tui_keeps_going_and_keeps_what_was_typed(tmp_path: Path, office: Schedule) -> None:
    from textual.widgets import Input

    from opsplanner.service import OpsService
    from opsplanner.tui.app import make_app
    from opsplanner.tui.widgets.metric_panel import MetricPanel
    from tests.tui.conftest import has_metric_panel, settle

    path = tmp_path / "ops.sqlite3"
    engine = make_engine(str(path))
    clock = FixedClock(datetime(2026, 11, 23, 1, tzinfo=UTC))  # 09:00 in Shanghai
    service = OpsService(
        office, clock, operator="ana", open_store=lambda: Store(engine, operator="ana", clock=clock)
    )
    app = make_app(service=service)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot, has_metric_panel(pilot))
        poison(engine, "PRAGMA query_only = ON")
        await pilot.press("down", "space")  # tick: refused by the database
        await settle(pilot)
        assert any("read-only" in n.message for n in app._notifications)
        await pilot.press("up")
        await settle(pilot, has_metric_panel(pilot))
        field = app.screen.query_one(MetricPanel).query_one("#metric-visitors", Input)
        field.focus()
        await pilot.press(*"1.2万", "enter")
        await settle(pilot)
        assert field.value == "1.2万", "what was typed stays in the field to retry"
        mark = app.screen.query_one(MetricPanel).query_one("#mark-visitors")
        assert str(mark.render()) == "●", "and it is marked as not saved"
        assert app.is_running
    assert status_on_disk(path, "weekly-target") == "pending"
