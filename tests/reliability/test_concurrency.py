"""Two processes writing one SQLite file at once: nobody sees "database is locked", nothing
acknowledged goes missing, and a day materialised by both at once exists exactly once.

This is the TUI open while CLI commands write: one writer goes through the store's API, as
the TUI does (one Store kept open), the other runs `opsplanner done/note/metric set/today`
command lines through the CLI's entry point, each call with its own engine and Store (see
`writer_child.CliWriter`). Each acknowledges at least MIN_WRITES writes. The engine takes
the write lock up front (BEGIN IMMEDIATE) and waits for it, so contention must only ever cost
time. The parent creates the schema first; two processes opening a brand-new file at the same
moment is a different race (schema creation), not what these tests are about.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from opsplanner.clock import FixedClock
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store.engine import make_engine
from opsplanner.store.store import Store
from tests.conftest import harness_log
from tests.reliability.writer_child import (
    FIRST_DAY,
    NOW,
    OPERATOR,
    SCHEDULE_FILE,
    Acks,
    integrity,
    verify,
    workdays,
)

HARNESS_CLOCK = FixedClock(datetime.fromisoformat(NOW))  # every day written has come

ROOT = Path(__file__).resolve().parents[2]
MIN_WRITES = 1000  # per writer
# ~33 tasks a workday, a note on every fourth tick: disjoint days give each writer half the
# WORKDAYS with all their tasks, shared days all WORKDAYS with half the tasks each; either
# way ~500 ticks + ~125 notes + METRICS metric values ≈ 1225 writes per writer (tasks split by
# a hash of their key, not exactly in half; the CLI skips tasks whose required figures are
# missing, as `done` refuses them)
WORKDAYS = 32
METRICS = 600
TIMEOUT = 180.0
PAUSE_MS = 3.0
# a CLI write takes ~10 ms (a fresh parser, engine and Store per call), a store write ~2 ms:
# on disjoint days the store writer waits up to this long after each tick, so the two keep
# writing side by side for the whole run instead of the store finishing in the first seconds
STORE_PACE_MS = 20.0
LOCK_WORDS = ("locked", "busy")  # "database is locked", SQLITE_BUSY, "stayed busy"


@dataclass(frozen=True)
class Writer:
    """What one child is told to write."""

    name: str
    via: str  # "store" (the TUI's code path) or "cli" (`opsplanner` command lines)
    first_day: date
    workdays: int
    parity: str
    metric: str
    metric_from: date
    metric_step: int
    metrics: int
    pause_ms: float = 0.0
    sync_days: bool = False


@dataclass(frozen=True)
class Result:
    """One finished child: its acknowledgements and what it said on stderr."""

    name: str
    returncode: int
    acks: Acks
    stdout: str
    stderr: str
    finished: int
    began_at: float
    finished_at: float


def _prepare(db: Path) -> None:
    """Create the schema in the parent (see the module docstring)."""
    engine = make_engine(str(db))
    Store(engine, operator=OPERATOR, clock=HARNESS_CLOCK)
    engine.dispose()


def _command(tmp_path: Path, db: Path, writer: Writer, peers: int) -> list[str]:
    """The child's command line; run from the repository root so `tests` imports."""
    command = [
        sys.executable,
        "-m",
        "tests.reliability.writer_child",
        "concurrent",
        str(db),
        "--name",
        writer.name,
        "--via",
        writer.via,
        "--peers",
        str(peers),
        "--ready",
        str(tmp_path / f"ready-{writer.name}"),
        "--barrier",
        str(tmp_path / "go"),
        "--first-day",
        writer.first_day.isoformat(),
        "--workdays",
        str(writer.workdays),
        "--parity",
        writer.parity,
        "--metric",
        writer.metric,
        "--metric-from",
        writer.metric_from.isoformat(),
        "--metric-step",
        str(writer.metric_step),
        "--metrics",
        str(writer.metrics),
        "--pause-ms",
        str(writer.pause_ms),
    ]
    if writer.sync_days:
        (tmp_path / "days").mkdir(exist_ok=True)
        command += ["--sync-dir", str(tmp_path / "days")]
    return command


def _run_pair(tmp_path: Path, db: Path, writers: list[Writer]) -> tuple[list[Result], float]:
    """Start every writer, release them together through a barrier file, wait for all."""
    env = {**os.environ, "OPSPLANNER_DATA_DIR": str(tmp_path / "data"), "OPSPLANNER_NOW": NOW}
    children = [
        subprocess.Popen(
            _command(tmp_path, db, writer, len(writers)),
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for writer in writers
    ]
    try:
        deadline = time.monotonic() + 30
        while not all((tmp_path / f"ready-{w.name}").exists() for w in writers):
            if any(c.poll() is not None for c in children) or time.monotonic() > deadline:
                for child in children:
                    child.kill()
                errors = [child.communicate()[1] for child in children]
                raise AssertionError(f"a writer never got ready: {errors}")
            time.sleep(0.005)
        started = time.monotonic()
        (tmp_path / "go").touch()
        outputs = [child.communicate(timeout=TIMEOUT) for child in children]
        elapsed = time.monotonic() - started
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    results = []
    for writer, child, (stdout, stderr) in zip(writers, children, outputs, strict=True):
        acks = Acks()
        finished, began_at, finished_at = -1, 0.0, 0.0
        for line in stdout.splitlines():
            if line.startswith("begin "):
                began_at = float(line.split()[1])
            elif line.startswith("finished "):
                finished, finished_at = int(line.split()[1]), float(line.split()[2])
            else:
                assert acks.add_line(line), f"{writer.name}: unexpected output {line!r}"
        results.append(
            Result(
                writer.name, child.returncode, acks, stdout, stderr, finished, began_at, finished_at
            )
        )
    return results, elapsed


def _hand_overs(db: Path, results: list[Result]) -> int:
    """How often, in commit order, the next write came from the other writer."""
    owner: dict[tuple[str, str, str], str] = {}
    for result in results:
        owner.update({("task", day, key): result.name for day, key in result.acks.ticks})
        owner.update({("metric", day, metric): result.name for metric, day in result.acks.metrics})
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "SELECT entity, day, key FROM change_log WHERE action != 'materialise' ORDER BY id"
        ).fetchall()
    owners = [owner[(entity, day, key)] for entity, day, key in rows]
    return sum(a != b for a, b in itertools.pairwise(owners))


def _check(db: Path, results: list[Result]) -> Acks:
    """Both exited 0 with nothing on stderr and no lock error anywhere in their output, each
    wrote enough, and all of it is stored."""
    everything = Acks()
    failed = [f"{r.name} failed:\n{r.stderr}" for r in results if r.returncode != 0]
    assert not failed, "\n".join(failed)  # every writer's reason, not only the first's
    for result in results:
        for stream, text in (("stdout", result.stdout), ("stderr", result.stderr)):
            seen = [word for word in LOCK_WORDS if word in text.lower()]
            assert not seen, f"{result.name}: {seen} reached its {stream}:\n{text[-2000:]}"
        assert not result.stderr.strip(), f"{result.name} said on stderr:\n{result.stderr}"
        assert result.finished == result.acks.total >= MIN_WRITES, (
            f"{result.name}: {result.acks.total} writes acknowledged, {result.finished} reported"
        )
        everything.update(result.acks)
    assert max(r.began_at for r in results) < min(r.finished_at for r in results), (
        "the writers did not run at the same time"
    )
    assert integrity(db) == "ok"
    missing = verify(db, everything)
    assert not missing, f"{len(missing)} acknowledged write(s) missing, e.g. {missing[:5]}"
    return everything


def _report(label: str, results: list[Result], elapsed: float, switches: int) -> None:
    """The counts are the evidence the test did real work: the run's summary shows them."""
    counts = ", ".join(
        f"{r.name} {r.acks.total} ({len(r.acks.ticks)} ticks, "
        f"{len(r.acks.notes)} notes, {len(r.acks.metrics)} metric values)"
        for r in results
    )
    overlap = min(r.finished_at for r in results) - max(r.began_at for r in results)
    summary = (
        f"concurrency test ({label}): {counts} writes; both writing for {overlap:.1f} s, "
        f"{switches} hand-overs between them; all verified, {elapsed:.1f} s\n"
    )
    harness_log(summary)


def test_two_writers_on_disjoint_days_lose_nothing(tmp_path: Path) -> None:
    """Each process ticks (and notes) every task of its own days and sets its own metric.

    The days are materialised up front: opening a later day records the unopened workdays
    before it as missed and closes them, so two writers racing to open disjoint days would
    (by design) refuse each other's ticks.
    """
    db = tmp_path / "ops.sqlite3"
    _prepare(db)
    half = WORKDAYS // 2
    days = list(itertools.islice(workdays(FIRST_DAY), WORKDAYS))
    engine = make_engine(str(db))
    store = Store(engine, operator=OPERATOR, clock=HARNESS_CLOCK)
    schedule = load_schedule(bundled_dir() / SCHEDULE_FILE)
    for day in days:
        store.day(schedule, day)
    engine.dispose()
    writers = [
        Writer(
            "store",
            "store",
            days[0],
            half,
            "all",
            "visitors",
            date(2026, 1, 1),
            1,
            METRICS,
            STORE_PACE_MS,
        ),
        Writer(
            "cli", "cli", days[half], WORKDAYS - half, "all", "orders", date(2026, 1, 1), 1, METRICS
        ),
    ]
    results, elapsed = _run_pair(tmp_path, db, writers)
    _check(db, results)
    # no bound on hand-overs here: SQLite's lock is not fair, and nothing but the store
    # writer's pacing keeps one writer from getting it many times in a row
    _report("disjoint days", results, elapsed, _hand_overs(db, results))


def test_two_writers_materialising_the_same_days_at_once(tmp_path: Path) -> None:
    """Both processes open the same days, racing to materialise each one (the store with
    `Store.day`, the CLI with `opsplanner today`); the store writer ticks the even tasks and
    the CLI the odd ones, and both set the same metric on alternating dates."""
    db = tmp_path / "ops.sqlite3"
    _prepare(db)
    writers = [
        Writer(
            "store",
            "store",
            FIRST_DAY,
            WORKDAYS,
            "0",
            "visitors",
            date(2026, 1, 1),
            2,
            METRICS,
            PAUSE_MS,
            sync_days=True,
        ),
        Writer(
            "cli",
            "cli",
            FIRST_DAY,
            WORKDAYS,
            "1",
            "visitors",
            date(2026, 1, 2),
            2,
            METRICS,
            PAUSE_MS,
            sync_days=True,
        ),
    ]
    results, elapsed = _run_pair(tmp_path, db, writers)
    everything = _check(db, results)

    walked = [day.isoformat() for day in itertools.islice(workdays(FIRST_DAY), WORKDAYS)]
    with closing(sqlite3.connect(db)) as connection:
        duplicated_days = connection.execute(
            "SELECT day, count(*) FROM day GROUP BY operator, day HAVING count(*) > 1"
        ).fetchall()
        duplicated_entries = connection.execute(
            "SELECT day, task_key, count(*) FROM task_entry GROUP BY operator, day, task_key "
            "HAVING count(*) > 1"
        ).fetchall()
        materialised = dict(
            connection.execute(
                "SELECT day, count(*) FROM change_log WHERE entity = 'day' "
                "AND action = 'materialise' GROUP BY day"
            ).fetchall()
        )
        stored_days = {row[0] for row in connection.execute("SELECT day FROM day")}
        entry_count = connection.execute("SELECT count(*) FROM task_entry").fetchone()[0]
        entries = set(connection.execute("SELECT day, task_key FROM task_entry"))
        carried_in = set(
            connection.execute("SELECT day, task_key FROM task_entry WHERE origin = 'carry'")
        )
    assert not duplicated_days, f"days materialised twice: {duplicated_days}"
    assert not duplicated_entries, f"task entries duplicated: {duplicated_entries[:5]}"
    assert set(walked) <= stored_days
    assert {day: materialised.get(day) for day in walked} == dict.fromkeys(walked, 1), (
        "each day must be materialised exactly once"
    )
    # every task of every walked day was ticked, by one writer only (Acks.update checks that),
    # but those whose checks `done` holds back until a figure is entered or a failure explained
    # and items carried in (a day not yet opened shows the CLI a preview without them)
    walked_entries = {(day, key) for day, key in entries if day in set(walked)}
    checked = {
        task.id for task in load_schedule(bundled_dir() / SCHEDULE_FILE).tasks() if task.checks
    }
    left = walked_entries - everything.ticks - carried_in  # the CLI previews the template
    assert {key for _, key in left} <= checked, f"not ticked: {sorted(left)[:5]}"
    assert everything.ticks <= walked_entries, (
        f"unknown: {sorted(everything.ticks - walked_entries)[:5]}"
    )
    days_with_tasks = {day for day, _ in walked_entries}  # a holiday has none
    assert len(days_with_tasks) >= WORKDAYS - 2
    switches = _hand_overs(db, results)
    assert switches >= len(days_with_tasks), (
        "both writers write on every day, so each day hands over"
    )
    _report(f"same days, {entry_count} task entries, none duplicated", results, elapsed, switches)
