"""Fill a database with N days of generated history (for benchmarks and manual testing).

python bench/generate.py --days 3650 --db /tmp/ten-years.sqlite3
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from opsplanner.clock import SystemClock, local_today
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import resolve_schedule_path
from opsplanner.store.engine import make_engine
from opsplanner.store.generate import generate_history


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", required=True, help="SQLite path or SQLAlchemy URL")
    parser.add_argument("--schedule", default="taobao-operator")
    parser.add_argument("--operator", default="bench")
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=None,
        help="the day after the last generated day (default: today)",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    schedule = load_schedule(resolve_schedule_path(args.schedule))
    end = args.end or local_today(SystemClock(), schedule.zone())
    started = time.perf_counter()
    counts = generate_history(
        make_engine(args.db),
        schedule,
        days=args.days,
        end=end,
        operator=args.operator,
        seed=args.seed,
    )
    print(f"{counts} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
