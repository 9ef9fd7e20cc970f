"""Peak memory of the TUI on 10 years of history, against a bare Textual app (the floor).

    python memory.py [--runs 5]

Each app runs in a real terminal (a private tmux server, 100×30) through `_frame_probe.py`;
opsplanner until the day's statuses are on screen and the full store is open (SQLModel
imported, the database open, the day and its metric history loaded), the bare app until its
first frame.
Then the probe reads its own VmHWM (peak resident set) from /proc/self/status and exits.
Runs alternate (A B C A B C …) after one warm-up each; medians. 1 year is shown as well:
peak memory should not grow with history.

No target is set yet; the ratio to the bare app is the figure to watch.
"""

from __future__ import annotations

import argparse
import statistics

from _terminal import Terminal
from common import database, environment, print_table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    apps: dict[str, list[str]] = {
        "floor: bare Textual app (one Static), first frame": ["bare"],
        "opsplanner, 1 year, store open": [
            "opsplanner",
            "--db",
            str(database(1)),
            "--operator",
            "bench",
        ],
        "opsplanner, 10 years, store open": [
            "opsplanner",
            "--db",
            str(database(10)),
            "--operator",
            "bench",
        ],
    }
    samples: dict[str, list[int]] = {name: [] for name in apps}
    with Terminal(environment(), width=100, height=30) as terminal:
        for app in apps.values():  # warm the caches once
            terminal.probe(app)
        for _ in range(args.runs):
            for name, app in apps.items():
                samples[name].append(terminal.probe(app)[0]["hwm_kib"])
    medians = {name: statistics.median(values) for name, values in samples.items()}
    floor = next(iter(medians.values()))
    rows: list[tuple[str, ...]] = [
        (
            name,
            f"{kib / 1024:.1f} MiB",
            f"{min(samples[name]) / 1024:.1f}–{max(samples[name]) / 1024:.1f} MiB",
            f"{kib / floor:.2f}×",
        )
        for name, kib in medians.items()
    ]
    ten, one = (
        medians["opsplanner, 10 years, store open"],
        medians["opsplanner, 1 year, store open"],
    )
    print_table(
        f"Peak memory (VmHWM), median of {args.runs} alternating runs; "
        f"opsplanner 10y/1y = {ten / one:.2f}",
        rows,
        ("app", "peak RSS", "range", "vs bare"),
    )


if __name__ == "__main__":
    main()
