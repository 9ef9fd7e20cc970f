"""opsplanner against Taskwarrior on the same history, 1 and 10 years.

    python taskwarrior.py [--runs 5]

Installs Taskwarrior with apt when `task` is missing. The generated opsplanner history
(common.database) is imported into Taskwarrior once per size with `task import` in chunks,
and the task folder is kept in /tmp/opsplanner-bench/taskwarrior-{years}y for later runs
(rebuilt when the database's history changes). One task per task_entry row: description =
title, entry = the day, project = the block; done → completed (end = when it was ticked),
skipped and carried → deleted (a carried entry lives on as the next day's entry), pending →
pending. So both tools have the same working set, today's 34 tasks, and the same past.

Both tools then work on throwaway copies (the ticks change them), with the commands
alternating (A B A B …) after one warm-up each; medians. Pairs:

    opsplanner today --json              vs  task next limit:60
    opsplanner done TASK                 vs  task ID done   (a different pending task each run)
    opsplanner report week               vs  task completed
    (same) opsplanner report week        vs  task completed end.after:… end.before:…  (extra)

Targets: opsplanner ≤ 1.5× Taskwarrior per pair; opsplanner flat from 1 to 10 years.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from common import WORK, database, environment, opsplanner, print_table, timed

TARGET = 1.5
CHUNK = 5000  # tasks per `task import`
WEEK = ("2026-11-16", "2026-11-23")  # Monday .. next Monday: the week `report week` shows
PAIRS = {  # the extra row compares the same `report week` with a narrower `task completed`
    "today": "today --json  vs  task next limit:60",
    "done": "done TASK  vs  task ID done",
    "report": "report week  vs  task completed",
    "report week": "report week  vs  task completed end.after:… (that week)",
}
TASKRC = """\
data.location={data}
confirmation=off
verbose=nothing
hooks=off
recurrence=off
"""


def ensure_taskwarrior() -> str:
    """The `task` binary, installed with apt when missing; a clear exit when that fails."""
    found = shutil.which("task")
    if found:
        return found
    install_taskwarrior()
    found = shutil.which("task")
    if not found:
        raise SystemExit("taskwarrior.py: taskwarrior is installed but `task` is not on PATH")
    return found


def install_taskwarrior() -> None:
    """`apt-get install -y taskwarrior`, after `apt-get update` when the first try fails."""
    apt = shutil.which("apt-get")
    if apt is None:
        raise SystemExit(
            "taskwarrior.py: `task` is not installed and apt-get is not available; "
            "install Taskwarrior 2.6 yourself (https://taskwarrior.org) and run "
            "again"
        )
    print("installing taskwarrior (apt-get install -y taskwarrior) …", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    failure = _apt(apt, ["install", "-y", "taskwarrior"], env)
    if failure:  # the package lists may be missing or stale
        failure = _apt(apt, ["update"], env) or _apt(apt, ["install", "-y", "taskwarrior"], env)
    if failure:
        raise SystemExit(
            f"taskwarrior.py: could not install taskwarrior with apt-get "
            f"({failure}); install it yourself and run again"
        )


def _apt(apt: str, args: list[str], env: dict[str, str]) -> str | None:
    """Run apt-get; None when it worked, else what went wrong in one line."""
    try:
        done = subprocess.run(
            [apt, *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
    except OSError as error:
        return f"apt-get {args[0]}: {error.strerror or error}"
    if done.returncode == 0:
        return None
    said = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    return f"apt-get {args[0]} exited with {done.returncode}: {said[-1] if said else 'no message'}"


def stamp(moment: str | None) -> str | None:
    """'2026-11-23 01:02:03.000000' (UTC) → Taskwarrior's 20261123T010203Z."""
    if not moment:
        return None
    return datetime.fromisoformat(moment).strftime("%Y%m%dT%H%M%SZ")


def tasks_from(db: Path) -> list[dict[str, str]]:
    """One Taskwarrior task per task_entry row of the opsplanner database."""
    statuses = {
        "done": "completed",
        "skipped": "deleted",
        "carried": "deleted",
        "pending": "pending",
    }
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT id, day, block_id, title, status, changed_at FROM task_entry ORDER BY day, id"
        ).fetchall()
    tasks = []
    for row_id, day, block, title, status, changed_at in rows:
        entry = date.fromisoformat(day).strftime("%Y%m%dT000000Z")
        task = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"opsplanner-bench:{row_id}")),
            "description": title,
            "entry": entry,
            "project": block,
            "status": statuses[status],
        }
        if task["status"] != "pending":
            task["end"] = stamp(changed_at) or entry
        tasks.append(task)
    return tasks


def task_env(folder: Path) -> dict[str, str]:
    (folder / "taskrc").write_text(TASKRC.format(data=folder / "data"))
    return dict(os.environ, TASKRC=str(folder / "taskrc"), TASKDATA=str(folder / "data"))


def taskwarrior_data(years: int, db: Path) -> tuple[Path, str]:
    """The imported task folder for `years` (made once), and how long the import took."""
    tasks = tasks_from(db)
    folder = WORK / f"taskwarrior-{years}y"
    marker = folder / "imported.json"
    if marker.exists():
        done = json.loads(marker.read_text())
        if done.get("tasks") == len(tasks):
            return folder, (
                f"{len(tasks):,} tasks, imported in {done['seconds']:.1f} s "
                f"({done['chunks']} chunks of ≤ {CHUNK}; cached)"
            )
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "data").mkdir(parents=True)
    env = task_env(folder)
    started = time.perf_counter()
    chunks = 0
    with tempfile.TemporaryDirectory() as scratch:
        for first in range(0, len(tasks), CHUNK):
            chunk = Path(scratch) / f"chunk{first}.json"
            chunk.write_text(json.dumps(tasks[first : first + CHUNK], ensure_ascii=False))
            subprocess.run(
                ["task", "import", str(chunk)], env=env, check=True, stdout=subprocess.DEVNULL
            )
            chunks += 1
    subprocess.run(
        ["task", "next", "limit:1"],
        env=env,
        check=True,  # the last gc
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"tasks": len(tasks), "seconds": seconds, "chunks": chunks}))
    return folder, (
        f"{len(tasks):,} tasks, imported in {seconds:.1f} s ({chunks} chunks of ≤ {CHUNK})"
    )


def pending_ids(db: Path, env: dict[str, str]) -> Iterator[str]:
    """Today's pending task ids, to tick one per run."""
    out = subprocess.run(
        opsplanner("today", "--json", "--db", str(db)),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for block in json.loads(out)["blocks"]:
        for task in block["tasks"]:
            if task["status"] == "pending":
                yield task["task_id"]


def count_pending(env: dict[str, str]) -> int:
    out = subprocess.run(
        ["task", "count", "status:pending"], env=env, check=True, capture_output=True, text=True
    ).stdout
    return int(out.strip())


class Side(NamedTuple):
    """One tool on one history size: its commands (each run takes the next) and environment."""

    commands: dict[str, Iterator[list[str]]]
    env: dict[str, str]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.runs > 30:
        raise SystemExit("at most 30 runs: each run ticks one of today's 34 tasks")
    binary = ensure_taskwarrior()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    env = environment()
    scratch = Path(tempfile.mkdtemp(prefix="opsplanner-tw-"))
    sides: dict[tuple[str, int], Side] = {}
    imports: list[str] = []
    try:
        for years in (1, 10):
            db = database(years)
            subprocess.run(
                opsplanner("today", "--json", "--db", str(db)),
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )  # today's entries exist in both tools
            cached, how = taskwarrior_data(years, db)
            imports.append(f"{years:>2} year(s): {how}")
            # throwaway copies: the ticks below change them
            ops_db = scratch / f"ops-{years}y.sqlite3"
            with sqlite3.connect(db) as source, sqlite3.connect(ops_db) as target:
                source.backup(target)
            tw_folder = scratch / f"tw-{years}y"
            shutil.copytree(cached / "data", tw_folder / "data")
            tw_env = task_env(tw_folder)
            db_args = ("--db", str(ops_db))
            sides["opsplanner", years] = Side(
                {
                    "today": repeat(opsplanner("today", "--json", *db_args)),
                    "done": (
                        opsplanner("done", task, *db_args)
                        for task in list(pending_ids(ops_db, env))
                    ),
                    "report": repeat(
                        opsplanner("report", "week", "--date", "2026-11-20", *db_args)
                    ),
                },
                env,
            )
            sides["taskwarrior", years] = Side(
                {
                    "today": repeat(["task", "next", "limit:60"]),
                    "done": (
                        ["task", str(n), "done"]  # ids stay put as we go down
                        for n in range(count_pending(tw_env), 0, -1)
                    ),
                    "report": repeat(["task", "completed"]),
                    "report week": repeat(
                        ["task", "completed", f"end.after:{WEEK[0]}", f"end.before:{WEEK[1]}"]
                    ),
                },
                tw_env,
            )
        samples: dict[tuple[str, int, str], list[float]] = {}
        order = [
            (tool, years, pair)
            for pair in PAIRS
            for years in (1, 10)
            for tool in ("opsplanner", "taskwarrior")
            if pair in sides[tool, years].commands
        ]
        for run in range(args.runs + 1):  # the first round warms the caches
            for tool, years, pair in order:
                side = sides[tool, years]
                seconds = timed(next(side.commands[pair]), side.env)
                if run:
                    samples.setdefault((tool, years, pair), []).append(seconds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    median = {key: statistics.median(values) for key, values in samples.items()}
    rows: list[tuple[str, ...]] = []
    for pair, name in PAIRS.items():
        ops_pair = "report" if pair == "report week" else pair
        for years in (1, 10):
            ops = median["opsplanner", years, ops_pair]
            tw = median["taskwarrior", years, pair]
            verdict = "ok" if ops / tw <= TARGET else "MISSED"
            growth = ("", "")
            if years == 10:
                growth = (
                    f"{ops / median['opsplanner', 1, ops_pair]:.2f}",
                    f"{tw / median['taskwarrior', 1, pair]:.2f}",
                )
            rows.append(
                (
                    name if years == 1 else "",
                    f"{years}y",
                    f"{ops * 1000:.0f} ms",
                    f"{tw * 1000:.0f} ms",
                    f"{ops / tw:.2f}× {verdict}",
                    *growth,
                )
            )
    print(f"Taskwarrior {version.strip()}; history imported into Taskwarrior:")
    for line in imports:
        print(f"  {line}")
    print_table(
        f"opsplanner vs Taskwarrior, median of {args.runs} alternating runs "
        f"(target: opsplanner ≤ {TARGET}× Taskwarrior)",
        rows,
        (
            "pair (opsplanner  vs  taskwarrior)",
            "history",
            "opsplanner",
            "taskwarrior",
            f"ratio ≤ {TARGET}",
            "ops 10y/1y",
            "tw 10y/1y",
        ),
    )


if __name__ == "__main__":
    main()
