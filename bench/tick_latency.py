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
from datetime import UTC, date, datetime
from pathlib import Path

from common import print_table

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import bundled_dir, load_schedule
from opsplanner.store.engine import make_engine
from opsplanner.store.store import Store


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ticks", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="opsplanner-tick-"))
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    store = Store(make_engine(str(folder / "ticks.sqlite3")), operator="bench",
                  clock=FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC)))
    day = date(2026, 11, 23)
    keys = [e.key for e in store.day(schedule, day).entries]
    floor_db = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    floor_db.execute("PRAGMA journal_mode = WAL")
    floor_db.execute("PRAGMA synchronous = FULL")
    floor_db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    ticks: list[float] = []
    floor: list[float] = []
    for n in range(args.ticks):  # alternate: one tick, one floor write
        key = keys[n % len(keys)]
        status = "done" if (n // len(keys)) % 2 == 0 else "pending"
        started = time.perf_counter()
        store.set_status(schedule, day, key, status)  # type: ignore[arg-type]
        ticks.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor_db.execute("BEGIN IMMEDIATE")
        floor_db.execute("INSERT INTO t (v) VALUES (?)", (key,))
        floor_db.execute("COMMIT")
        floor.append(time.perf_counter() - started)
    rows = [
        ("opsplanner tick", f"{percentile(ticks, 0.5) * 1000:.2f} ms",
         f"{percentile(ticks, 0.99) * 1000:.2f} ms", f"{statistics.mean(ticks) * 1000:.2f} ms"),
        ("floor: sqlite3 insert+commit", f"{percentile(floor, 0.5) * 1000:.2f} ms",
         f"{percentile(floor, 0.99) * 1000:.2f} ms", f"{statistics.mean(floor) * 1000:.2f} ms"),
    ]
    print_table(f"Tick latency over {args.ticks} ticks (ratio p50: "
                f"{percentile(ticks, 0.5) / percentile(floor, 0.5):.1f}× the floor)", rows,
                ("what", "p50", "p99", "mean"))


if __name__ == "__main__":
    main()
