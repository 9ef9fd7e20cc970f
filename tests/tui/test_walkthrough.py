"""The tmux walkthrough (tests/tui/walkthrough.sh): the real program in a real terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("walkthrough.sh")


@pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)
def test_newcomer_walkthrough_in_tmux() -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=180,
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "OPSPLANNER": f"{sys.executable} -m opsplanner",
            "TERM": "xterm-256color",
            "HOME": str(Path.home()),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("walkthrough: ok")
    assert "1/38 done (3%) · closed" in result.stdout  # one ticked, the rest carried
