"""Generated history is deterministic, plausible and consistent with what the store expects."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store.engine import make_engine
from opsplanner.store.generate import generate_history
from opsplanner.store.store import Store

END = date(2026, 11, 23)


def fill(path: Path, seed: int = 7) -> dict[str, int]:
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    return generate_history(
        make_engine(str(path)), schedule, days=30, end=END, operator="ana", seed=seed
    )


def dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT day, task_key, status, reason, carried_from, carried_count "
            "FROM task_entry ORDER BY id"
        ).fetchall()


def test_same_seed_same_history(tmp_path: Path) -> None:
    fill(tmp_path / "a.sqlite3")
    fill(tmp_path / "b.sqlite3")
    fill(tmp_path / "c.sqlite3", seed=8)
    assert dump(tmp_path / "a.sqlite3") == dump(tmp_path / "b.sqlite3")
    assert dump(tmp_path / "a.sqlite3") != dump(tmp_path / "c.sqlite3")


def test_history_is_plausible_and_the_store_continues_from_it(tmp_path: Path) -> None:
    path = tmp_path / "ops.sqlite3"
    counts = fill(path)
    assert counts["days"] == 30 and counts["entries"] > 500 and counts["metrics"] > 300
    rows = dump(path)
    statuses = {status for _day, _key, status, *_ in rows}
    assert statuses == {"done", "skipped", "carried"}
    assert all(reason for _d, _k, status, reason, *_ in rows if status != "done")
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    store = Store(
        make_engine(str(path)),
        operator="ana",
        clock=FixedClock(datetime(2026, 11, 23, 1, tzinfo=UTC)),
    )
    yesterday = store.existing_day(date(2026, 11, 22))
    assert yesterday is not None and yesterday.closed
    today = store.day(schedule, END)
    assert not today.closed and today.entries
    carried_in = {e.key for e in today.entries if e.carried_from}
    with sqlite3.connect(path) as connection:
        unforwarded = connection.execute(
            "SELECT count(*) FROM task_entry WHERE status = 'carried' AND forwarded_to_id IS NULL"
        ).fetchone()[0]
    assert unforwarded == 0
    last_saturday_carried = {k for d, k, s, *_ in rows if s == "carried" and d == "2026-11-21"}
    assert last_saturday_carried <= carried_in


def typed(path: Path) -> set[str]:
    """Everything the generated operator typed: reasons, notes, notes for tomorrow."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT reason FROM task_entry UNION SELECT note FROM task_entry "
            "UNION SELECT tomorrow FROM day"
        ).fetchall()
    return {text for (text,) in rows if text}


def test_the_demo_writes_in_the_schedule_language(tmp_path: Path) -> None:
    """The zh schedule's history is typed in Chinese, the English one's in English, the same
    choices from the same seed, whatever language the process speaks (#12)."""
    from opsplanner import i18n

    zh = load_schedule(bundled_dir() / "taobao-operator.zh.yaml")
    engine = make_engine(str(tmp_path / "zh.sqlite3"))
    generate_history(engine, zh, days=30, end=END, operator="ana", seed=7)  # spoken: English
    fill(tmp_path / "en.sqlite3")
    chinese, english = typed(tmp_path / "zh.sqlite3"), typed(tmp_path / "en.sqlite3")
    assert len(chinese) == len(english) >= 8
    assert all(not re.search(r"[A-Za-z]{2,}", text) for text in chinese), chinese
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in chinese), chinese
    assert "没时间" in chinese and "no time" in english
    i18n.use(i18n.CHINESE)  # the process's language decides nothing: English stays English
    fill(tmp_path / "en2.sqlite3")
    assert typed(tmp_path / "en2.sqlite3") == english
    shape = [row[:3] + row[4:] for row in dump(tmp_path / "en.sqlite3")]
    assert [row[:3] + row[4:] for row in dump(tmp_path / "zh.sqlite3")] == shape
