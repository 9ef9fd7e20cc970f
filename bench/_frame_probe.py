"""Runs one Textual app in the current terminal and records when its first frame was drawn.

    python bench/_frame_probe.py OUT.json bare
    python bench/_frame_probe.py OUT.json shape   # the today screen's widgets, no opsplanner
    python bench/_frame_probe.py OUT.json opsplanner [--db PATH] [--operator NAME] …
    python bench/_frame_probe.py OUT.json --hold frame opsplanner …   # keep the frame up

Used by first_frame.py and memory.py inside a tmux pane (a real terminal, Textual's normal
driver); not a benchmark on its own. Both apps are treated alike, as subclasses:

* paint: the first frame Textual hands to the terminal driver (`App._display`, after it),
  which may still lack widgets that mount or lay out later;
* frame: `on_mount` (after the app's own) asks for a callback after the next refresh of the
  screen on top, and again until no widget waits to be laid out or painted: the first
  complete frame. For opsplanner that is the today screen drawn from the template;
* statuses (opsplanner only): the same, starting when the store worker has handed over the
  day's record (`app.record` set): the day's statuses and metrics are on screen;
* ready (opsplanner only): the full store is open too (SQLModel imported) and the app has
  run its start-up hook; the probe exits after both statuses and ready.

Nothing in the package is patched.

Times are seconds since boot (CLOCK_BOOTTIME, the clock of /proc/PID/stat); the start is
the process's start time from /proc/self/stat (clock ticks, 10 ms granularity). OUT gets
one JSON object: start, python (this file's first line ran), paint, frame, statuses, ready,
hwm_kib (VmHWM when the probe exits: peak resident memory), size (the app's columns, rows).
With --hold MOMENT the probe freezes its event loop for 1.5 s there (for a capture of the
pane) after touching OUT.MOMENT.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

PYTHON_READY = time.clock_gettime(time.CLOCK_BOOTTIME)  # before the probe's own imports

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import RenderableType
    from textual.app import App
    from textual.screen import Screen


def process_start() -> float:
    """When this process was started (the fork), in seconds since boot."""
    import os

    with open("/proc/self/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime


def peak_rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def painted(screen: Screen[object]) -> bool:
    """Nothing on the screen is waiting to be laid out or painted (Textual's own flags)."""
    from textual.widget import Widget

    if screen._dirty_widgets or screen._layout_required or screen._repaint_required:
        return False
    return not any(
        w._repaint_required or w._layout_required or w._refresh_styles_required
        for w in screen.walk_children(Widget)
    )


class Recorder:
    """Collects the moments and writes them out (atomically) when the app is done."""

    def __init__(self, out: str, hold: str | None) -> None:
        self.out = out
        self.hold = hold
        self.times: dict[str, object] = {"start": process_start(), "python": PYTHON_READY}

    def when_painted(self, app: App[None], name: str, then: Callable[[], None]) -> None:
        """Mark `name` after the first refresh of the top screen that leaves nothing to paint.

        A refresh can come before every widget has handed its update to the screen (each
        widget does it when its own queue is idle), so a callback after one refresh is
        not enough: ask again until the flags are clear.
        """
        refreshes = 0

        def check() -> None:
            nonlocal refreshes
            refreshes += 1
            if not painted(app.screen) and refreshes < 100:
                app.call_after_refresh(check)
                return
            self.mark(name)
            self.times[f"{name}_refreshes"] = refreshes
            then()

        app.call_after_refresh(check)

    def displayed(self, app: App[None], renderable: RenderableType | None) -> None:
        """Called after each App._display: mark "paint" at the first one that reached the
        driver (Textual skips None and anything inside a batch update)."""
        if "paint" not in self.times and renderable is not None and not app._batch_count:
            self.mark("paint")

    def mark(self, name: str) -> None:
        self.times[name] = time.clock_gettime(time.CLOCK_BOOTTIME)
        if name == self.hold:  # freeze the event loop: the pane can be captured as it is now
            self.flag(name)
            time.sleep(1.5)

    def flag(self, name: str) -> None:
        with open(f"{self.out}.{name}", "w") as flag:
            flag.write("1")

    def write(self, size: tuple[int, int]) -> None:
        import json
        import os

        self.times.update(hwm_kib=peak_rss_kib(), size=list(size))
        with open(f"{self.out}.tmp", "w") as out:
            json.dump(self.times, out)
        os.replace(f"{self.out}.tmp", self.out)


def run_bare(recorder: Recorder) -> None:
    """The floor: one screen with one Static."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("A bare Textual app: one screen, one Static.")

        def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            recorder.displayed(self, renderable)

        def on_mount(self) -> None:
            self.set_timer(30, lambda: self.exit(return_code=3))  # never hang the benchmark
            recorder.when_painted(self, "frame", self.done)

        def done(self) -> None:
            recorder.write((self.size.width, self.size.height))
            self.exit()

    Bare().run()


def run_shape(recorder: Recorder) -> None:
    """A second floor: the today screen's widgets (header, timeline, checklist, detail, a key
    line) with the app's stylesheet and made-up lines, and none of opsplanner's code: what
    Textual charges for a screen of this shape."""
    from pathlib import Path

    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical, VerticalScroll
    from textual.widgets import OptionList, Static
    from textual.widgets.option_list import Option

    styles = Path(__file__).resolve().parent.parent / "opsplanner" / "tui" / "styles"

    class Shape(App[None]):
        CSS_PATH = str(styles / "app.tcss")

        def compose(self) -> ComposeResult:
            yield Static("Mon 2026-11-23 · 10:00 · 0/40 done (0%)", id="day-header")
            yield Static("", id="notes-today")
            with Horizontal(id="main"):
                yield OptionList(
                    *(Option(f"  {h:02d}:00-{h + 1:02d}:00   0/4 Block {h}") for h in range(8, 20)),
                    id="timeline",
                )
                with Vertical(id="right"):
                    yield OptionList(*(Option(f"○ Task {n}") for n in range(5)), id="checklist")
                    with VerticalScroll(id="detail"):
                        yield Static("The task's detail.", id="detail-text")
            yield Static("space Done  n Note  s Skip  c Carry  r Review  q Quit  ? Help")

        def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            recorder.displayed(self, renderable)

        def on_mount(self) -> None:
            self.set_timer(30, lambda: self.exit(return_code=3))
            recorder.when_painted(self, "frame", self.done)

        def done(self) -> None:
            recorder.write((self.size.width, self.size.height))
            self.exit()

    Shape().run()


def run_opsplanner(recorder: Recorder, argv: list[str]) -> None:
    """What `opsplanner [--db …] [--operator …]` does in a terminal (cli.verbs.cmd_tui)."""
    from pathlib import Path

    from opsplanner import cli

    arguments = cli.prepare_tui(cli.parse(argv))  # before the TUI's imports
    from opsplanner.planner.view import DayView
    from opsplanner.tui import app as app_module
    from opsplanner.tui.app import OpsPlannerApp

    waiting = {"statuses", "ready"}
    settle = arguments["when_started"]

    def when_started() -> None:
        settle()
        recorder.mark("ready")
        probe.reached("ready")

    arguments["when_started"] = when_started

    class Probe(OpsPlannerApp):
        CSS_PATH = str(Path(app_module.__file__).parent / str(OpsPlannerApp.CSS_PATH))

        def publish(self, view: DayView) -> None:
            first = self.view is None
            super().publish(view)
            if first:  # the day's statuses are in; the screen draws them next
                recorder.when_painted(self, "statuses", lambda: self.reached("statuses"))

        def reached(self, moment: str) -> None:
            """Exit once the statuses are drawn and the full store is open (`ready`)."""
            waiting.discard(moment)
            if not waiting:
                self.done()

        def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            recorder.displayed(self, renderable)

        def on_mount(self) -> None:
            super().on_mount()
            self.set_timer(30, lambda: self.exit(return_code=3))
            recorder.when_painted(self, "frame", lambda: None)

        def done(self) -> None:
            recorder.write((self.size.width, self.size.height))
            self.exit()

    probe = Probe(**arguments)
    probe.run()


def main() -> None:
    import sys

    argv = sys.argv[1:]
    out, argv = argv[0], argv[1:]
    hold = None
    if argv[0] == "--hold":
        hold, argv = argv[1], argv[2:]
    recorder = Recorder(out, hold)
    if argv[0] == "bare":
        run_bare(recorder)
    elif argv[0] == "shape":
        run_shape(recorder)
    elif argv[0] == "opsplanner":
        run_opsplanner(recorder, argv[1:])
    else:
        raise SystemExit(f"unknown app {argv[0]!r}: expected bare, shape or opsplanner")


if __name__ == "__main__":
    main()
