"""Shared helpers for the benchmarks: generated databases, alternating timed runs, tables."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

END = date(2026, 11, 23)  # history ends the day before; `today` is this date
NOW = "2026-11-23T02:00:00+00:00"  # 10:00 in Shanghai
WORK = Path(os.environ.get("OPSPLANNER_BENCH_DIR", "/tmp/opsplanner-bench"))


def generate(target: str, years: int) -> dict[str, int]:
    """`years` years of history ending before END for operator "bench", into `target`.

    `target` is a SQLite path or a SQLAlchemy URL (the same generator and seed for every
    backend, so the databases hold the same rows); the engine is closed afterwards.
    """
    from opsplanner.schedule.loader import load_schedule
    from opsplanner.schedule.paths import bundled_dir
    from opsplanner.store.engine import make_engine
    from opsplanner.store.generate import generate_history

    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    engine = make_engine(target)
    try:
        return generate_history(engine, schedule, days=365 * years, end=END, operator="bench")
    finally:
        engine.dispose()


def database(years: int) -> Path:
    """A generated SQLite database of `years` years, made once and reused."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"history-{years}y.sqlite3"
    if not path.exists():
        generate(str(path), years)
    return path


def environment() -> dict[str, str]:
    """A fixed clock and operator; bytecode is written (as after `pip install`), so a module
    is compiled once in the warm-up run, not in every timed one."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        OPSPLANNER_NOW=NOW, OPSPLANNER_OPERATOR="bench", OPSPLANNER_DATA_DIR=str(WORK / "data")
    )
    return env


def timed(command: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    if done.returncode:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise SystemExit(
            f"{' '.join(command)} failed (status {done.returncode}): "
            f"{said[-1] if said else 'no message'}"
        )
    return seconds


def alternate(
    commands: dict[str, Sequence[str]], runs: int, env: dict[str, str]
) -> dict[str, float]:
    """Median seconds per command, running them in turn (A B C A B C …) to share the noise."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the caches once
        timed(command, env)
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(timed(command, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def opsplanner(*args: str) -> list[str]:
    return [sys.executable, "-m", "opsplanner", *args]


def print_table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
