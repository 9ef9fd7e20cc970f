"""A real terminal for the TUI benchmarks: a private tmux server, one detached session a run.

Used by first_frame.py and memory.py; needs `tmux` (apt-get install -y tmux).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

PROBE = Path(__file__).with_name("_frame_probe.py")


class Terminal:
    """`tmux -L <own socket>`: sessions of a fixed size, with the given environment.

    The server is started once (with `exit-empty off`, so that it stays up between runs)
    and killed on exit; nothing touches the user's own tmux server.
    """

    def __init__(self, env: dict[str, str], width: int = 100, height: int = 30) -> None:
        if shutil.which("tmux") is None:
            raise SystemExit("needs tmux: apt-get install -y tmux")
        self.env = env
        self.width, self.height = width, height
        self.socket = f"opsplanner-bench-{os.getpid()}"
        self.folder = Path(tempfile.mkdtemp(prefix="opsplanner-frame-"))
        self.runs = 0

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
        )

    def __enter__(self) -> Terminal:
        self.tmux("start-server", ";", "set-option", "-g", "exit-empty", "off")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.tmux("kill-server", check=False)
        tmux_dir = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (tmux_dir / self.socket).unlink(missing_ok=True)  # tmux leaves the socket file
        shutil.rmtree(self.folder, ignore_errors=True)

    def probe(
        self, app: Sequence[str], *, capture: str | None = None, timeout: float = 60.0
    ) -> tuple[dict[str, Any], str | None]:
        """Run `_frame_probe.py OUT [--hold MOMENT] APP…` in a new session: its record, and
        with `capture` the pane as it was at that moment (the probe freezes there)."""
        self.runs += 1
        session = f"run{self.runs}"
        out = self.folder / f"{session}.json"
        hold_args = ["--hold", capture] if capture else []
        self.tmux(
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "-c",
            str(PROBE.parent),
            "--",
            sys.executable,
            str(PROBE),
            str(out),
            *hold_args,
            *app,
        )
        pane: str | None = None
        flag = Path(f"{out}.{capture}")
        deadline = time.monotonic() + timeout
        polls = 0
        while not out.exists():  # a stat every 20 ms; tmux itself only every 0.5 s
            polls += 1
            if capture and pane is None and flag.exists():
                pane = self.tmux("capture-pane", "-p", "-t", session).stdout
            if time.monotonic() > deadline:
                self.tmux("kill-session", "-t", session, check=False)
                raise RuntimeError(f"{' '.join(app)}: no first frame within {timeout:.0f} s")
            if polls % 25 == 0 and not self.alive(session) and not out.exists():
                raise RuntimeError(
                    f"{' '.join(app)}: exited without a record (run it by "
                    f"hand: python {PROBE.name} /tmp/x.json {' '.join(app)})"
                )
            time.sleep(0.02)
        while self.alive(session):  # the next run starts on a quiet machine
            time.sleep(0.02)
        return json.loads(out.read_text()), pane

    def alive(self, session: str) -> bool:
        return self.tmux("has-session", "-t", session, check=False).returncode == 0
