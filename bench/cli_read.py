"""Read verbs on 1 and 10 years of history, against `python -c pass` (the floor).

    python bench/cli_read.py [--runs 5]

Targets: 10y/1y ≤ 1.1 for every verb (cost must not grow with history).
"""

from __future__ import annotations

import argparse
import sys

from common import alternate, database, environment, opsplanner, print_table

VERBS = {
    "today --json": ("today", "--json"),
    "review --json": ("review", "--json"),
    "report week": ("report", "week", "--date", "2026-11-20"),
    "report month": ("report", "month", "--date", "2026-11-20"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    one, ten = database(1), database(10)
    env = environment()
    commands: dict[str, list[str]] = {"floor: python -c pass": [sys.executable, "-c", "pass"]}
    for name, verb in VERBS.items():
        commands[f"{name} @1y"] = opsplanner(*verb, "--db", str(one))
        commands[f"{name} @10y"] = opsplanner(*verb, "--db", str(ten))
    medians = alternate(commands, args.runs, env)
    floor = medians["floor: python -c pass"]
    rows = []
    for name in VERBS:
        a, b = medians[f"{name} @1y"], medians[f"{name} @10y"]
        verdict = "ok" if b / a <= 1.1 else "MISSED"
        rows.append(
            (
                name,
                f"{a * 1000:.0f} ms",
                f"{b * 1000:.0f} ms",
                f"{b / a:.2f} ({verdict})",
                f"{a / floor:.0f}×",
            )
        )
    print_table(
        f"CLI read verbs, median of {args.runs} alternating runs "
        f"(floor python -c pass = {floor * 1000:.0f} ms)",
        rows,
        ("verb", "1 year", "10 years", "10y/1y ≤ 1.1", "1y vs floor"),
    )


if __name__ == "__main__":
    main()
