"""Time to the TUI's first frame on 10 years of history, against a bare Textual app (the floor).

    python first_frame.py [--runs 7] [--show]

The apps run in a real terminal, one detached session of a private tmux server each
(100×30, Textual's normal Linux driver), through `_frame_probe.py`, which records the
process's start (from /proc) and, from there: the first paint (the first frame Textual
hands to the terminal, possibly before every widget is in), the first frame (the first
refresh after mount that leaves nothing to lay out or paint), and for opsplanner when the
day's statuses from the store are on screen. All ratios are to the bare app's first frame.
A second floor, "the same widgets", composes the today screen's widget tree with the app's
stylesheet and made-up lines and none of opsplanner's code: what Textual itself charges for
a screen of this shape.
Runs alternate (A B A B …) after one warm-up each; medians. `--show` first prints each
app's screen as captured at those moments.

Target: opsplanner's first frame ≤ 1.2× the bare app's.
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from _terminal import Terminal
from common import database, environment, print_table

TARGET = 1.2


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--show",
        action="store_true",
        help="print the captured screens (first frame, statuses) first",
    )
    args = parser.parse_args()
    db = ["--db", str(database(10)), "--operator", "bench"]
    apps: dict[str, list[str]] = {
        "floor: bare Textual app (one Static)": ["bare"],
        "the same widgets, no opsplanner code": ["shape"],
        "opsplanner, 10 years of history": ["opsplanner", *db],
    }
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in apps}
    with Terminal(environment(), width=100, height=30) as terminal:
        if args.show:
            for name, app in apps.items():
                for moment in ("paint", "frame", "statuses")[: 3 if app[0] == "opsplanner" else 2]:
                    pane = terminal.probe(app, capture=moment)[1] or "(not captured)"
                    print(f"\n--- {name}: {moment}\n{pane.rstrip()}")
        for app in apps.values():  # warm the caches once
            terminal.probe(app)
        for _ in range(args.runs):
            for name, app in apps.items():
                samples[name].append(terminal.probe(app)[0])

    def median(name: str, moment: str) -> float:
        return statistics.median(float(r[moment] - r["start"]) for r in samples[name])

    floor_name = next(iter(apps))
    floor = median(floor_name, "frame")
    rows: list[tuple[str, ...]] = []
    for name in apps:
        frame = median(name, "frame")
        ratio = frame / floor
        judged = apps[name][0] == "opsplanner"
        verdict = "" if not judged else (" ok" if ratio <= TARGET else " MISSED")
        statuses = (
            (ms(median(name, "statuses")), f"{median(name, 'statuses') / floor:.2f}×")
            if "statuses" in samples[name][0]
            else ("—", "—")
        )
        paint = median(name, "paint")
        rows.append(
            (
                name,
                ms(median(name, "python")),
                ms(paint),
                f"{paint / floor:.2f}×",
                ms(frame),
                f"{ratio:.2f}×{verdict}",
                *statuses,
            )
        )
    size = samples[floor_name][0]["size"]
    print_table(
        f"First frame from process start, {size[0]}×{size[1]} tmux pane, median of "
        f"{args.runs} alternating runs (target ≤ {TARGET}× the bare app)",
        rows,
        (
            "app",
            "python up",
            "first paint",
            "vs bare",
            "first frame",
            "vs bare",
            "statuses shown",
            "vs bare",
        ),
    )


if __name__ == "__main__":
    main()
