"""The tick and `today` figures on PostgreSQL, against floors on the same server.

    python postgres.py --url postgresql+psycopg://USER@HOST:PORT/DB [--ticks 1000] [--runs 5]

The URL may also come from OPSPLANNER_BENCH_PG_URL. When no URL is given or no server
answers, one line says the benchmark is skipped and the exit status is 0.

DB is only where the script connects to create its own databases (the user needs CREATEDB):
DB_1y and DB_10y hold 1 and 10 years of generated history (the generator and seed of the
SQLite benchmarks, so both backends hold the same rows); they are made once and kept for
later runs. The ticks go to two throwaway databases, dropped at the end: an empty one (as in
tick_latency.py) and a copy of DB_10y. Measured in the same run:

    tick (done → committed) on the empty and on the 10-year database, alternating with
    a bare psycopg INSERT+COMMIT on the same server (the floor); p50, p99
    opsplanner today --json on PostgreSQL and on SQLite, 1 and 10 years, alternating with
    `python -c pass` and a bare psycopg connect + SELECT 1 (the floors); medians

The server's durability is what it is configured with (fsync, synchronous_commit); the
table says which.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from common import END, alternate, database, environment, generate, opsplanner, print_table
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from tick_latency import bench_store, measure, percentile

from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store.engine import make_engine

SIZES = (1, 10)
UNREACHABLE = (
    "is the server running",
    "connection refused",
    "timeout expired",
    "no such file or directory",
    "could not translate host name",
)


def parse_url(text: str) -> URL:
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise SystemExit(f"postgres.py: not a database URL: {text!r}") from None
    if url.get_backend_name() != "postgresql" or not url.database:
        raise SystemExit(
            "postgres.py: --url must be a PostgreSQL URL naming a database, "
            "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/opsbench"
        )
    return url.set(drivername="postgresql+psycopg")  # the driver the floors use


def conninfo(url: URL, database: str | None = None) -> str:
    """The libpq form of a SQLAlchemy URL, optionally for another database."""
    if database:
        url = url.set(database=database)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def sqlalchemy_url(url: URL, database: str) -> str:
    return url.set(database=database).render_as_string(hide_password=False)


def connect(url: URL, database: str | None = None, *, autocommit: bool = False) -> Any:
    import psycopg

    return psycopg.connect(conninfo(url, database), autocommit=autocommit, connect_timeout=5)


def server_or_skip(url: URL) -> str:
    """The server's version string; skip (exit 0) when nothing answers at the URL."""
    import psycopg

    shown = url.render_as_string(hide_password=True)
    try:
        with connect(url) as conn:
            return str(conn.execute("SELECT version()").fetchone()[0])
    except psycopg.OperationalError as error:
        reason = " ".join(str(error).split())
        if any(mark in reason.lower() for mark in UNREACHABLE):
            print(f"postgres.py: skipped, no PostgreSQL server answers at {shown} ({reason})")
            raise SystemExit(0) from None
        raise SystemExit(f"postgres.py: cannot use {shown}: {reason}") from None


def settings(url: URL) -> dict[str, str]:
    with connect(url) as conn:
        return {
            name: str(conn.execute(f"SHOW {name}").fetchone()[0])
            for name in ("fsync", "synchronous_commit", "wal_sync_method", "shared_buffers")
        }


def drop(admin: Any, name: str) -> None:
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create(admin: Any, name: str, template: str | None = None) -> None:
    """CREATE DATABASE, waiting for the template's last sessions to end."""
    import psycopg

    clause = f' TEMPLATE "{template}"' if template else ""
    deadline = time.monotonic() + 10
    while True:
        try:
            admin.execute(f'CREATE DATABASE "{name}"{clause}')
            return
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def history(admin: Any, url: URL, years: int) -> tuple[str, str]:
    """DB_{years}y with the generated history (made once), and how long generation took."""
    name = f"{url.database}_{years}y"
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
    ).fetchone()
    made = json.loads(row[0]) if row and row[0] and row[0].startswith("{") else {}
    if made.get("days") == 365 * years and made.get("end") == END.isoformat():
        return name, f"{made['seconds']:.1f} s (cached)"
    drop(admin, name)  # missing, or left by an interrupted run
    create(admin, name)
    started = time.perf_counter()
    counts = generate(sqlalchemy_url(url, name), years)
    seconds = time.perf_counter() - started
    marker = json.dumps({"days": counts["days"], "end": END.isoformat(), "seconds": seconds})
    admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    return name, f"{seconds:.1f} s"


def psycopg_floor(conn: Any) -> Callable[[str], None]:
    """A bare psycopg INSERT+COMMIT on the same server (BEGIN, INSERT, COMMIT)."""
    conn.execute("CREATE TABLE bench_floor (id serial PRIMARY KEY, v text)")
    conn.commit()

    def write(value: str) -> None:
        conn.execute("INSERT INTO bench_floor (v) VALUES (%s)", (value,))
        conn.commit()

    return write


@contextmanager
def throwaway(admin: Any, names: dict[str, str | None]) -> Iterator[None]:
    """Fresh databases (name → template or None), dropped afterwards."""
    try:
        for name, template in names.items():
            drop(admin, name)
            create(admin, name, template)
        yield
    finally:
        for name in names:
            drop(admin, name)


def ticks(admin: Any, url: URL, count: int, ten_years: str) -> dict[str, list[float]]:
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    empty, copy = f"{url.database}_ticks_empty", f"{url.database}_ticks_10y"
    with throwaway(admin, {empty: None, copy: ten_years}):
        engines = {
            "empty": make_engine(sqlalchemy_url(url, empty)),
            "10y": make_engine(sqlalchemy_url(url, copy)),
        }
        floor = connect(url, empty)
        try:
            stores = {name: bench_store(engine) for name, engine in engines.items()}
            return measure(stores, {"floor": psycopg_floor(floor)}, schedule, count)
        finally:
            floor.close()
            for engine in engines.values():
                engine.dispose()  # the databases are dropped next


def check_same_rows(commands: dict[str, list[str]], env: dict[str, str]) -> None:
    """Both backends answer `today` identically: the same history, honest queries."""
    for years in SIZES:
        outputs = {
            subprocess.run(
                commands[f"{backend} {years}y"], env=env, check=True, capture_output=True, text=True
            ).stdout
            for backend in ("postgresql", "sqlite")
        }
        if len(outputs) != 1:
            raise SystemExit(
                f"postgres.py: `today --json` differs between PostgreSQL and "
                f"SQLite at {years}y; the histories are not the same"
            )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("OPSPLANNER_BENCH_PG_URL"),
        help="PostgreSQL URL (default: $OPSPLANNER_BENCH_PG_URL)",
    )
    parser.add_argument("--ticks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.url:
        print("postgres.py: skipped, no PostgreSQL URL (--url or OPSPLANNER_BENCH_PG_URL)")
        return
    if args.runs < 5 or args.ticks < 1000:
        parser.error("at least --runs 5 and --ticks 1000")
    url = parse_url(args.url)
    version = server_or_skip(url)
    durability = settings(url)
    admin = connect(url, autocommit=True)
    generated = {years: history(admin, url, years) for years in SIZES}
    sqlite = {years: database(years) for years in SIZES}

    env = environment()
    commands = {
        "floor: python -c pass": [sys.executable, "-c", "pass"],
        "floor: psycopg connect + SELECT 1": [
            sys.executable,
            "-c",
            "import psycopg, sys; psycopg.connect(sys.argv[1]).execute('SELECT 1').fetchone()",
            conninfo(url),
        ],
    }
    for years in SIZES:
        commands[f"postgresql {years}y"] = opsplanner(
            "today", "--json", "--db", sqlalchemy_url(url, generated[years][0])
        )
        commands[f"sqlite {years}y"] = opsplanner("today", "--json", "--db", str(sqlite[years]))
    check_same_rows(commands, env)  # also materialises today on every database

    tick = ticks(admin, url, args.ticks, generated[10][0])
    admin.close()
    medians = alternate(commands, args.runs, env)

    python, bare = medians["floor: python -c pass"], medians["floor: psycopg connect + SELECT 1"]
    floor_p50, floor_p99 = percentile(tick["floor"], 0.5), percentile(tick["floor"], 0.99)
    rows: list[tuple[str, ...]] = []
    for years in SIZES:
        rows.append(
            (f"history generation into PostgreSQL, {years} year(s)", generated[years][1], "—", "—")
        )
    for name, label in (("empty", "empty database"), ("10y", "10 years")):
        p50, p99 = percentile(tick[name], 0.5), percentile(tick[name], 0.99)
        rows.append(
            (
                f"tick p50 / p99 ({args.ticks} ticks), {label}",
                f"{p50 * 1000:.2f} / {p99 * 1000:.2f} ms",
                f"psycopg insert+commit {floor_p50 * 1000:.2f} / {floor_p99 * 1000:.2f} ms",
                f"{p50 / floor_p50:.1f}×",
            )
        )
    for backend in ("postgresql", "sqlite"):
        one, ten = medians[f"{backend} 1y"], medians[f"{backend} 10y"]
        rows.append(
            (
                f"today --json on {backend}, 1 year → 10 years",
                f"{ms(one)} → {ms(ten)}",
                f"python -c pass {ms(python)}",
                f"10y/1y {ten / one:.2f}",
            )
        )
    for years in SIZES:
        pg, lite = medians[f"postgresql {years}y"], medians[f"sqlite {years}y"]
        rows.append(
            (
                f"today --json, PostgreSQL vs SQLite, {years} year(s)",
                f"{ms(pg)} vs {ms(lite)}",
                f"psycopg connect + SELECT 1 {ms(bare)}",
                f"{pg / lite:.2f}×",
            )
        )
    print(
        f"{version}\nfsync={durability['fsync']}, "
        f"synchronous_commit={durability['synchronous_commit']}, "
        f"wal_sync_method={durability['wal_sync_method']}, "
        f"shared_buffers={durability['shared_buffers']}"
    )
    print_table(
        f"PostgreSQL at {url.render_as_string(hide_password=True)}: ticks alternate "
        f"with the floor; `today` median of {args.runs} alternating runs",
        rows,
        ("what", "figure", "floor (same run)", "ratio"),
    )


if __name__ == "__main__":
    main()
