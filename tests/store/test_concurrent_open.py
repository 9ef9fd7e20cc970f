"""Two processes opening a brand-new database at the same moment both succeed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OPENER = """
import sys, time
from pathlib import Path
from opsplanner.clock import SystemClock
from opsplanner.store.engine import make_engine
from opsplanner.store.store import Store
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
Store(make_engine(sys.argv[1]), operator="ana", clock=SystemClock())
print("opened")
"""


def test_two_processes_create_the_same_new_database(tmp_path: Path) -> None:
    failures = []
    for attempt in range(8):
        db, go = tmp_path / f"new-{attempt}.sqlite3", tmp_path / f"go-{attempt}"
        children = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(db), str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        go.touch()
        for child in children:
            out, err = child.communicate(timeout=60)
            if child.returncode != 0 or out.strip() != "opened":
                failures.append(err.strip().splitlines()[-1:] or [f"exit {child.returncode}"])
    assert failures == []
