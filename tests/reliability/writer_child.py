"""A writer process for the crash-safety and concurrency tests, and the parent's checks.

Run as `python -m tests.reliability.writer_child MODE ...` from the repository root. After
every write returns (that is, after COMMIT) the child prints one line describing the write and
flushes, so a line the parent has read is a write the store acknowledged:

    tick 2026-11-03 store-data
    note 2026-11-03 store-data free text of the note
    metric visitors 2026-01-05 1234.0

`crash` loops forever (the parent SIGKILLs it); `concurrent` waits for a barrier file so two
children start writing at the same moment, then writes a fixed set of distinct things, either
through the store's API (what the TUI calls) or as `opsplanner` command lines run through the
CLI's entry point (`--via cli`).
The parent side (`Acks`, `verify`) reads the database with stdlib sqlite3 only, so the
check does not trust the code under test.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opsplanner.schedule.models import Schedule
    from opsplanner.store.store import Store

OPERATOR = "ana"
SCHEDULE_FILE = "taobao-operator.yaml"
FIRST_DAY = date(2026, 11, 2)  # a Monday
NOW = "2040-01-02T09:00:00+08:00"  # the harness's clock: every day it writes has come
METRIC_FIRST_DAY = date(2026, 1, 1)
TYPED_METRICS = ("visitors", "page_views", "orders", "sales", "disputes", "refunds")


def workdays(first: date) -> Iterator[date]:
    """Mon-Sat from `first` on: the bundled schedule's workdays (Sundays are gap-filled)."""
    current = first
    while True:
        if current.weekday() != 6:
            yield current
        current += timedelta(days=1)


# ------------------------------------------------------------------ parent side


@dataclass
class Acks:
    """Writes the child acknowledged, keyed so that a later write never hides an earlier one."""

    ticks: set[tuple[str, str]] = field(default_factory=set)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    metrics: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.ticks) + len(self.notes) + len(self.metrics)

    def add_line(self, line: str) -> bool:
        """Record one complete output line; False for lines that are not acknowledgements."""
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind == "tick":
            day, key = rest.split(" ")
            assert (day, key) not in self.ticks, f"tick repeated: {line!r}"
            self.ticks.add((day, key))
        elif kind == "note":
            day, key, text = rest.split(" ", 2)
            assert (day, key) not in self.notes, f"note repeated: {line!r}"
            self.notes[(day, key)] = text
        elif kind == "metric":
            metric, day, value = rest.split(" ")
            assert (metric, day) not in self.metrics, f"metric repeated: {line!r}"
            self.metrics[(metric, day)] = float(value)
        else:
            return False
        return True

    def update(self, other: Acks) -> None:
        """Merge another child's acknowledgements (all keys are distinct by construction)."""
        overlap = (
            (self.ticks & other.ticks)
            | (self.notes.keys() & other.notes.keys())
            | (self.metrics.keys() & other.metrics.keys())
        )
        assert not overlap, f"two writers acknowledged the same key: {sorted(overlap)[:5]}"
        self.ticks |= other.ticks
        self.notes.update(other.notes)
        self.metrics.update(other.metrics)


def integrity(db: Path) -> str:
    """`PRAGMA integrity_check` (and the foreign keys) through a fresh stdlib connection,
    which also recovers the WAL a killed writer left behind: "ok" when all is well."""
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    report = "\n".join(str(row[0]) for row in rows)
    return report if report != "ok" or not dangling else f"foreign keys broken: {dangling[:5]}"


def verify(db: Path, acks: Acks) -> list[str]:
    """Every acknowledged write that the database does not hold (empty when all are there)."""
    with closing(sqlite3.connect(db)) as connection:
        done = set(
            connection.execute(
                "SELECT day, task_key FROM task_entry WHERE operator = ? AND status = 'done'",
                (OPERATOR,),
            ).fetchall()
        )
        notes = {
            (day, key): note
            for day, key, note in connection.execute(
                "SELECT day, task_key, note FROM task_entry "
                "WHERE operator = ? AND note IS NOT NULL",
                (OPERATOR,),
            )
        }
        metrics = {
            (metric, day): value
            for metric, day, value in connection.execute(
                "SELECT metric, data_date, value FROM metric_value WHERE operator = ?", (OPERATOR,)
            )
        }
    problems = [f"tick {day} {key}: not done" for day, key in sorted(acks.ticks - done)]
    problems += [
        f"note {day} {key}: {notes.get((day, key))!r} != {text!r}"
        for (day, key), text in sorted(acks.notes.items())
        if notes.get((day, key)) != text
    ]
    problems += [
        f"metric {metric} {day}: {metrics.get((metric, day))!r} != {value!r}"
        for (metric, day), value in sorted(acks.metrics.items())
        if metrics.get((metric, day)) != value
    ]
    return problems


def resume_point(db: Path) -> tuple[date, date]:
    """Where a restarted crash child goes on: the first workday after the last materialised
    day, and the first metric date after the last stored one (so no write is ever repeated,
    even one that committed just before the kill without being acknowledged)."""
    if not db.exists():
        return FIRST_DAY, METRIC_FIRST_DAY
    with closing(sqlite3.connect(db)) as connection:
        try:
            last_day = connection.execute("SELECT max(day) FROM day").fetchone()[0]
            last_metric = connection.execute("SELECT max(data_date) FROM metric_value").fetchone()[
                0
            ]
        except sqlite3.OperationalError:  # killed before the schema existed
            last_day = last_metric = None
    day = (
        next(workdays(date.fromisoformat(last_day) + timedelta(days=1))) if last_day else FIRST_DAY
    )
    metric_day = (
        date.fromisoformat(last_metric) + timedelta(days=1) if last_metric else METRIC_FIRST_DAY
    )
    return day, metric_day


# ------------------------------------------------------------------ child side


def _emit(line: str) -> None:
    """One acknowledgement per line, flushed at once: the parent may kill us any moment."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _open_store(db: str) -> tuple[Schedule, Store]:
    """Imported late so the parent, which only reads sqlite3, stays light."""
    from opsplanner.clock import clock_from_env
    from opsplanner.schedule.loader import load_schedule
    from opsplanner.schedule.paths import bundled_dir
    from opsplanner.store.engine import make_engine
    from opsplanner.store.store import Store

    schedule = load_schedule(bundled_dir() / SCHEDULE_FILE)
    store = Store(make_engine(db), operator=OPERATOR, clock=clock_from_env())
    return schedule, store


def run_crash(args: argparse.Namespace) -> None:
    """Write distinct ticks, notes and metric values until killed."""
    schedule, store = _open_store(args.db)
    rng = random.Random(args.seed)
    _emit("ready")
    metric_day = date.fromisoformat(args.metric_from)
    count = 0
    for day in workdays(date.fromisoformat(args.first_day)):
        for entry in store.day(schedule, day).entries:
            if entry.status == "done":
                continue
            store.set_status(schedule, day, entry.key, "done")
            _emit(f"tick {day} {entry.key}")
            count += 1
            if count % 4 == 0:
                text = f"crash note {count} {rng.randrange(10**9)}"
                store.note(schedule, day, entry.key, text)
                _emit(f"note {day} {entry.key} {text}")
            if count % 2 == 0:
                metric = TYPED_METRICS[count % len(TYPED_METRICS)]
                value = float(rng.randrange(1, 10**6))
                store.set_metric(metric=metric, data_date=metric_day, value=value)
                _emit(f"metric {metric} {metric_day} {value}")
                metric_day += timedelta(days=1)


class StoreWriter:
    """Writes through the store's API, as the TUI does (one Store, one engine, kept open)."""

    def __init__(self, db: str) -> None:
        self.schedule, self.store = _open_store(db)

    def open_day(self, day: date) -> list[str]:
        """The day's task keys, materialising the day if nobody has yet."""
        return [entry.key for entry in self.store.day(self.schedule, day).entries]

    def can_tick(self, key: str) -> bool:
        return True

    def tick(self, day: date, key: str) -> None:
        self.store.set_status(self.schedule, day, key, "done")

    def note(self, day: date, key: str, text: str) -> None:
        self.store.note(self.schedule, day, key, text)

    def metric(self, metric: str, day: date, value: int) -> None:
        self.store.set_metric(metric=metric, data_date=day, value=float(value))


class CliWriter:
    """Writes as `opsplanner` command lines (`done`, `note`, `metric set`; `today --json` to
    open a day) through `opsplanner.cli.main`, in this process: every call parses its argv,
    opens its own engine and Store and prepares the schema, and loads the schedule (from the
    compiled-schedule cache after the first call), as a fresh `opsplanner` process would.

    A non-zero exit, anything a call prints on stderr, output that is not the verb's usual
    line, or "locked"/"busy" anywhere in it is copied to this process's stderr and ends it
    with status 1: no message of any kind (e.g. "database is locked") may reach the user.
    """

    def __init__(self, db: str) -> None:
        import opsplanner.cli  # noqa: F401  (imports done before the barrier, not timed)
        import opsplanner.store.store  # noqa: F401
        from opsplanner.schedule.cache import load_schedule_cached
        from opsplanner.schedule.paths import bundled_dir

        schedule = bundled_dir() / SCHEDULE_FILE
        load_schedule_cached(schedule)  # the first call compiles it, before the barrier
        self.common = ["--db", db, "--operator", OPERATOR, "--schedule", str(schedule)]

    def _run(self, argv: list[str], expected_start: str) -> str:
        from opsplanner.cli import main as opsplanner

        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            status = opsplanner([*argv, *self.common])
        said = (out.getvalue() + err.getvalue()).lower()
        if (
            status != 0
            or err.getvalue()
            or not out.getvalue().startswith(expected_start)
            or "locked" in said
            or "busy" in said
        ):
            sys.stderr.write(
                f"opsplanner {' '.join(argv)}: exit {status}\n"
                f"stdout: {out.getvalue()}\nstderr: {err.getvalue()}\n"
            )
            sys.stderr.flush()
            raise SystemExit(1)
        return out.getvalue()

    blocked: frozenset[str] = frozenset()

    def open_day(self, day: date) -> list[str]:
        agenda = json.loads(self._run(["today", "--json", "--date", day.isoformat()], "{"))
        tasks = [task for block in agenda["blocks"] for task in block["tasks"]]
        self.blocked = frozenset(
            task["task_id"] for task in tasks if any(c["status"] == "fail" for c in task["checks"])
        )
        return [task["task_id"] for task in tasks]

    def can_tick(self, key: str) -> bool:
        """`done` refuses a task whose check fails (a required figure nobody entered) until
        it is explained, which this writer does not do."""
        return key not in self.blocked

    def tick(self, day: date, key: str) -> None:
        self._run(["done", key, "--date", day.isoformat()], f"done: {key} ")

    def note(self, day: date, key: str, text: str) -> None:
        self._run(["note", key, text, "--date", day.isoformat()], f"noted: {key} ")

    def metric(self, metric: str, day: date, value: int) -> None:
        self._run(["metric", "set", metric, str(value), "--for", day.isoformat()], f"{metric} = ")


def run_concurrent(args: argparse.Namespace) -> None:
    """Wait for the barrier, then tick this writer's share of the days (noting every fourth
    tick) and set its metrics, interleaved with the ticks."""
    writer = CliWriter(args.db) if args.via == "cli" else StoreWriter(args.db)
    days = list(islice(workdays(date.fromisoformat(args.first_day)), args.workdays))
    metric_days = [
        date.fromisoformat(args.metric_from) + timedelta(days=i * args.metric_step)
        for i in range(args.metrics)
    ]
    Path(args.ready).touch()
    _wait_for(lambda: Path(args.barrier).exists())
    _emit(f"begin {time.monotonic()}")  # CLOCK_MONOTONIC: comparable across processes
    rng = random.Random(args.parity)
    written = ticks = 0

    def set_metric() -> None:
        nonlocal written
        metric_day = metric_days.pop(0)
        writer.metric(args.metric, metric_day, written)
        _emit(f"metric {args.metric} {metric_day} {float(written)}")
        written += 1

    for day in days:
        if args.sync_dir:  # every writer opens this day at the same moment
            sync = Path(args.sync_dir)
            (sync / f"{day}-{args.name}").touch()
            _wait_for(lambda: len(list(sync.glob(f"{day}-*"))) >= args.peers)  # noqa: B023
        # sorted: the store lists entries in stored order, the CLI in time order
        for key in sorted(writer.open_day(day)):
            # who owns a key is decided by the key itself: the two writers' lists can differ
            # (the CLI's preview of a day not yet opened has no carried-in items)
            if args.parity != "all" and zlib.crc32(key.encode()) % 2 != int(args.parity):
                continue
            if not writer.can_tick(key):
                continue
            writer.tick(day, key)
            _emit(f"tick {day} {key}")
            written += 1
            ticks += 1
            if ticks % 4 == 0:
                text = f"{args.name} note {written}"
                writer.note(day, key, text)
                _emit(f"note {day} {key} {text}")
                written += 1
            if args.pause_ms:  # let the other writer in: SQLite's lock is not fair
                time.sleep(rng.uniform(0, args.pause_ms) / 1000)
            if metric_days:  # interleave metric writes with ticks: all kinds contend
                set_metric()
    while metric_days:
        set_metric()
    _emit(f"finished {written} {time.monotonic()}")


def _wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll a file-system barrier; give up loudly rather than hang the test."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("barrier never opened")
        time.sleep(0.0005)


def main(argv: list[str] | None = None) -> None:
    """Command line of the child (the tests build it; nobody types it)."""
    parser = argparse.ArgumentParser(prog="writer_child")
    modes = parser.add_subparsers(dest="mode", required=True)
    crash = modes.add_parser("crash")
    crash.add_argument("db")
    crash.add_argument("--first-day", required=True)
    crash.add_argument("--metric-from", required=True)
    crash.add_argument("--seed", type=int, default=0)
    concurrent = modes.add_parser("concurrent")
    concurrent.add_argument("db")
    concurrent.add_argument("--ready", required=True)
    concurrent.add_argument("--barrier", required=True)
    concurrent.add_argument("--first-day", required=True)
    concurrent.add_argument("--workdays", type=int, required=True)
    concurrent.add_argument("--parity", choices=("0", "1", "all"), default="all")
    concurrent.add_argument("--metric", required=True)
    concurrent.add_argument("--metric-from", required=True)
    concurrent.add_argument("--metric-step", type=int, default=1)
    concurrent.add_argument("--metrics", type=int, required=True)
    concurrent.add_argument("--pause-ms", type=float, default=0.0)
    concurrent.add_argument("--via", choices=("store", "cli"), default="store")
    concurrent.add_argument("--name", default="writer")
    concurrent.add_argument("--sync-dir", default="")
    concurrent.add_argument("--peers", type=int, default=1)
    args = parser.parse_args(argv)
    if args.mode == "crash":
        run_crash(args)
    else:
        run_concurrent(args)


if __name__ == "__main__":
    main()
