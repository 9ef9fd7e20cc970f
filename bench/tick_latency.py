"""Tick latency in-process: done → committed (production durability: WAL, synchronous=FULL).

    python bench/tick_latency.py [--ticks 1000]

Targets: p50 ≤ 2 ms, p99 ≤ 10 ms. The floor is a bare sqlite3 INSERT+COMMIT on the same
disk with the same pragmas, measured in the same run.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from common import print_table
from sqlalchemy import Engine

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store.engine import make_engine
from opsplanner.store.store import Store

DAY = date(2026, 11, 23)
CLOCK = FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_store(engine: Engine) -> Store:
    """The store the ticks go through: operator "bench", today = DAY."""
    return Store(engine, operator="bench", clock=CLOCK)


def sqlite_floor(path: Path) -> Callable[[str], None]:
    """A bare sqlite3 INSERT+COMMIT with the store's pragmas (WAL, synchronous=FULL)."""
    floor_db = sqlite3.connect(path, isolation_level=None)
    floor_db.execute("PRAGMA journal_mode = WAL")
    floor_db.execute("PRAGMA synchronous = FULL")
    floor_db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")

    def write(value: str) -> None:
        floor_db.execute("BEGIN IMMEDIATE")
        floor_db.execute("INSERT INTO t (v) VALUES (?)", (value,))
        floor_db.execute("COMMIT")

    return write


def measure(
    stores: dict[str, Store],
    floors: dict[str, Callable[[str], None]],
    schedule: Schedule,
    ticks: int,
) -> dict[str, list[float]]:
    """Seconds per tick for each store and per write for each floor, in turn (A B … A B …).

    Each round ticks one of today's tasks in every store, then writes once to every floor;
    a task goes done on the first pass over the day and back to pending on the next.
    """
    keys = {
        name: [e.key for e in store.day(schedule, DAY).entries] for name, store in stores.items()
    }
    samples: dict[str, list[float]] = {name: [] for name in [*stores, *floors]}
    for n in range(ticks):
        for name, store in stores.items():
            key = keys[name][n % len(keys[name])]
            status = "done" if (n // len(keys[name])) % 2 == 0 else "pending"
            started = time.perf_counter()
            store.set_status(schedule, DAY, key, status)  # type: ignore[arg-type]
            samples[name].append(time.perf_counter() - started)
        for name, write in floors.items():
            started = time.perf_counter()
            write(f"tick {n}")
            samples[name].append(time.perf_counter() - started)
    return samples


def latency_row(name: str, values: list[float]) -> tuple[str, str, str, str]:
    return (
        name,
        f"{percentile(values, 0.5) * 1000:.2f} ms",
        f"{percentile(values, 0.99) * 1000:.2f} ms",
        f"{statistics.mean(values) * 1000:.2f} ms",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ticks", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="opsplanner-tick-"))
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    engine = make_engine(str(folder / "ticks.sqlite3"))
    samples = measure(
        {"opsplanner tick": bench_store(engine)},
        {"floor: sqlite3 insert+commit": sqlite_floor(folder / "floor.sqlite3")},
        schedule,
        args.ticks,
    )
    ticks, floor = samples["opsplanner tick"], samples["floor: sqlite3 insert+commit"]
    rows = [latency_row(name, values) for name, values in samples.items()]
    print_table(
        f"Tick latency over {args.ticks} ticks (ratio p50: "
        f"{percentile(ticks, 0.5) / percentile(floor, 0.5):.1f}× the floor)",
        rows,
        ("what", "p50", "p99", "mean"),
    )


if __name__ == "__main__":
    main()
