"""One line, the right exit code, never a traceback: hostile databases (not a database,
damaged, another program's, a newer schema), device files and pipes, paths under a file,
unwritable or unreadable folders, a PostgreSQL database that does not exist, far dates in a
template, output that cannot be written, pipes in `extends`, figures out of range, a TUI
that crashes. A refused database is left byte for byte as it was; a read-only data folder
still serves reads.
"""

from __future__ import annotations

import os
import pty
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from opsplanner.cli import main
from opsplanner.schedule.errors import ScheduleError
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.store.engine import make_engine
from opsplanner.store.generate import generate_history
from tests.conftest import PG_URL, harness_log

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-23T02:00:00+00:00"
TODAY = date(2026, 11, 23)
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX files, modes and devices")
SHOP = """\
schedule: shop
title: Shop routine
since: {since}
metrics:
  visitors: {{label: Visitors, unit: count}}
blocks:
  - id: morning
    title: Morning
    start: "08:30"
    end: "10:30"
    tasks:
      - {{id: store-data, title: Record store data, metrics: [visitors]}}
      - {{id: review, title: Review titles, repeat: every 3 days}}
"""
CASES: Counter[str] = Counter()
TRACEBACKS: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def report_error_cases() -> Iterator[None]:
    yield
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(CASES.items()))
    harness_log(
        f"one-line errors: {sum(CASES.values())} cases ({kinds}); {len(TRACEBACKS)} tracebacks"
    )


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)


def refused(kind: str, capsys: pytest.CaptureFixture[str], argv: list[str], status: int = 1) -> str:
    """`main(argv)` in-process exits `status` with exactly one line on stderr; that line."""
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    if "Traceback" in err:
        TRACEBACKS.append(f"{argv}: {err[-300:]}")
    assert code == status, f"{argv}: exit {code}, stderr {err!r}"
    assert err.startswith("opsplanner: error: ") and err.count("\n") == 1, f"{argv}: {err!r}"
    CASES[kind] += 1
    return err


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a real `python -m opsplanner` run on this tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPSPLANNER_", "XDG_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return {**env, "OPSPLANNER_NOW": NOW, **extra}


def run_cli(
    *args: str, env: dict[str, str], prefix: tuple[str, ...] = (), stdout: object = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "opsplanner", *args],
        stdin=subprocess.DEVNULL,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def one_line(kind: str, result: subprocess.CompletedProcess[str], status: int) -> str:
    """A real process exited `status` with one line on stderr (none when it succeeded)."""
    if "Traceback" in result.stderr:
        TRACEBACKS.append(f"{result.args}: {result.stderr[-300:]}")
    assert result.returncode == status, f"{result.args}: {result.returncode} {result.stderr!r}"
    if status:
        # "opsplanner: error: ", or in the schedule's language ("opsplanner：错误：")
        assert result.stderr.startswith("opsplanner"), result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
    else:
        assert result.stderr == "", result.stderr
    CASES[kind] += 1
    return result.stderr


# ---------------------------------------------------------------- files that are not ours


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real opsplanner database with 60 days in it, in one self-contained file."""
    folder = tmp_path_factory.mktemp("history")
    live = folder / "live.sqlite3"
    schedule = load_schedule(bundled_dir() / "taobao-operator.yaml")
    engine = make_engine(str(live))
    generate_history(engine, schedule, days=60, end=TODAY, operator="ana", seed=3)
    engine.dispose()
    whole = folder / "whole.sqlite3"
    with closing(sqlite3.connect(live)) as source, closing(sqlite3.connect(whole)) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # no -wal file: all in the one file
    return whole


def _newer_schema(path: Path, history: Path) -> None:
    shutil.copyfile(history, path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")


def _foreign(path: Path, _history: Path) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE notes (x)")
        connection.execute("INSERT INTO notes VALUES ('mine')")


def _damaged(path: Path, history: Path) -> None:
    data = bytearray(history.read_bytes())
    data[4096:8192] = random.Random(2).randbytes(4096)  # page 2: part of the schema's tables
    path.write_bytes(bytes(data))


BAD_FILES = {
    "text": lambda path, _h: path.write_text("my shopping list\n", encoding="utf-8"),
    "random bytes": lambda path, _h: path.write_bytes(random.Random(1).randbytes(5000)),
    "truncated mid-page": lambda path, h: path.write_bytes(h.read_bytes()[:3000]),
    "truncated to half": lambda path, h: path.write_bytes(h.read_bytes()[: h.stat().st_size // 2]),
    "damaged page": _damaged,
    "another program's": _foreign,
    "newer schema": _newer_schema,
}
VERBS = [
    ["today"],
    ["done", "plan-tomorrow"],
    ["metric", "set", "visitors", "5"],
    ["report", "day"],
    ["review", "--close", "--carry-rest", "no time"],
]


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_file_that_is_not_a_usable_database_is_refused_and_left_untouched(
    tmp_path: Path, history_db: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "ops.sqlite3"
    BAD_FILES[kind](path, history_db)
    before = path.read_bytes()
    for verb in VERBS:
        err = refused(f"database: {kind}", capsys, [*verb, "--db", str(path)])
        assert str(path) in err
        assert path.read_bytes() == before, f"{verb} changed the refused file"
    assert not Path(f"{path}.lock").exists()
    assert not list(tmp_path.glob("*.bak")), "a refused file is not backed up (nor upgraded)"


def test_the_messages_say_what_is_wrong(
    tmp_path: Path, history_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {
        "text": "is not a SQLite database",
        "truncated to half": "is damaged",
        "another program's": "is not an opsplanner database",
        "newer schema": "newer than this opsplanner understands",
    }
    for kind, words in expected.items():
        path = tmp_path / f"{len(words)}.sqlite3"
        BAD_FILES[kind](path, history_db)
        assert words in refused(f"database: {kind}", capsys, ["today", "--db", str(path)])


def test_an_intact_copy_still_opens(
    tmp_path: Path, history_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control: the same file, whole, reads and writes."""
    path = tmp_path / "ops.sqlite3"
    shutil.copyfile(history_db, path)
    assert main(["today", "--db", str(path), "--operator", "ana"]) == 0
    assert main(["note", "plan-tomorrow", "hello", "--db", str(path), "--operator", "ana"]) == 0
    assert "noted" in capsys.readouterr().out


class PipeWatch:
    """Notices whether anyone opens a named pipe for reading, without ever blocking: a
    thread waits to write to it; the test releases that thread itself at the end."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.opened_by_someone = False
        self._thread = threading.Thread(target=self._wait_for_a_reader, daemon=True)
        self._thread.start()

    def _wait_for_a_reader(self) -> None:
        with open(self.path, "wb"):  # returns once a reader opened it; closing gives it EOF
            self.opened_by_someone = not self._releasing

    _releasing = False

    def release(self) -> None:
        self._releasing = True
        descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._thread.join()
        os.close(descriptor)


@POSIX
def test_devices_pipes_and_folders_are_refused_as_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = PipeWatch(tmp_path / "pipe.sqlite3")
    for target in ("/dev/null", "/dev/zero", "/dev/full", str(pipe.path), str(tmp_path)):
        for verb in (["today"], ["done", "store-data"]):
            err = refused("database: device, pipe or folder", capsys, [*verb, "--db", target])
            assert "not a database file" in err
    assert not pipe.opened_by_someone, "the pipe was opened"
    pipe.release()
    assert Path("/dev/null").is_char_device()


def test_a_path_under_a_file_or_in_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n", encoding="utf-8")
    err = refused("path: under a file", capsys, ["today", "--db", f"{a_file}/x.sqlite3"])
    assert "is not a folder" in err
    refused("path: under a file", capsys, ["today", "--db", f"{a_file}/deeper/x.sqlite3"])
    missing = tmp_path / "typo" / "dir" / "x.sqlite3"
    err = refused("path: missing folder", capsys, ["done", "store-data", "--db", str(missing)])
    assert "does not exist" in err
    assert not (tmp_path / "typo").exists(), "a mistyped --db folder is never created"
    assert a_file.read_text(encoding="utf-8") == "mine\n"
    monkeypatch.setenv("OPSPLANNER_DATA_DIR", str(a_file))
    assert "is not a folder" in refused("path: data folder is a file", capsys, ["today"])


# ---------------------------------------------------------------- folders we may not use


def _without_root_powers() -> tuple[str, ...] | None:
    """A command prefix under which file modes apply (root ignores them): none for a
    normal user; for root, `setpriv` dropping the override capabilities. None: impossible."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


AS_USER = _without_root_powers()
NEEDS_MODES = pytest.mark.skipif(
    AS_USER is None, reason="file modes cannot be enforced here (root without setpriv)"
)


@pytest.fixture
def restore_modes(tmp_path: Path) -> Iterator[list[Path]]:
    """Folders a test makes read-only or unreadable get their mode back (pytest cleans up)."""
    folders: list[Path] = []
    yield folders
    for folder in folders:
        folder.chmod(0o700)


@NEEDS_MODES
def test_a_read_only_data_folder_still_serves_reads(
    tmp_path: Path, restore_modes: list[Path]
) -> None:
    assert AS_USER is not None
    data = tmp_path / "data"
    env = clean_env(OPSPLANNER_DATA_DIR=str(data))
    assert run_cli("note", "store-data", "from yesterday", env=env).returncode == 0
    database = data / "opsplanner.sqlite3"
    before = database.read_bytes()
    data.chmod(0o500)
    restore_modes.append(data)
    result = run_cli("today", env=env, prefix=AS_USER)
    one_line("read-only folder: read", result, 0)
    assert result.stdout.startswith("Mon 2026-11-23") and "from yesterday" in result.stdout
    for reading in (["review"], ["report", "day"], ["today", "--date", "2026-11-24"]):
        one_line("read-only folder: read", run_cli(*reading, env=env, prefix=AS_USER), 0)
    for writing in (["done", "plan-tomorrow"], ["metric", "set", "visitors", "5"]):
        err = one_line("read-only folder: write", run_cli(*writing, env=env, prefix=AS_USER), 1)
        assert "read-only" in err
    assert database.read_bytes() == before


@NEEDS_MODES
def test_unreadable_and_unwritable_folders_are_one_line(
    tmp_path: Path, restore_modes: list[Path]
) -> None:
    assert AS_USER is not None
    closed, read_only = tmp_path / "closed", tmp_path / "read-only"
    env = clean_env(OPSPLANNER_DATA_DIR=str(tmp_path / "data"))
    assert run_cli("today", "--db", str(closed / "ops.sqlite3"), env=env).returncode == 1
    closed.mkdir()
    assert run_cli("today", "--db", str(closed / "ops.sqlite3"), env=env).returncode == 0
    read_only.mkdir()
    for folder, mode in ((closed, 0o000), (read_only, 0o500)):
        folder.chmod(mode)
        restore_modes.append(folder)
    cases = [
        (["today", "--db", str(closed / "ops.sqlite3")], {}),
        (["done", "store-data", "--db", str(closed / "ops.sqlite3")], {}),
        (["today", "--db", str(closed / "inner" / "ops.sqlite3")], {}),
        (["today", "--db", str(read_only / "ops.sqlite3")], {}),
        (["today"], {"OPSPLANNER_DATA_DIR": str(read_only / "data")}),
        (["today"], {"OPSPLANNER_DATA_DIR": str(closed / "data")}),
        (["today"], {"OPSPLANNER_DATA_DIR": str(closed)}),
    ]
    for argv, extra in cases:
        result = run_cli(*argv, env={**env, **extra}, prefix=AS_USER)
        err = one_line("folder: unreadable or unwritable", result, 1)
        assert "Permission denied" in err or "read-only" in err, err


@pytest.mark.skipif(not PG_URL, reason="OPSPLANNER_TEST_PG_URL is not set (CI sets it)")
def test_a_postgres_database_that_does_not_exist_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert PG_URL is not None
    base, _, _name = PG_URL.rpartition("/")
    url = f"{base}/opsplanner_no_such_database"
    for verb in (["today"], ["done", "store-data"]):
        err = refused("postgres: no such database", capsys, [*verb, "--db", url])
        assert "does not exist" in err


# ---------------------------------------------------------------- far dates in templates


def _campaign(day: str, when: str) -> str:
    return SHOP.format(since="2026-11-02") + (
        f"campaigns:\n  - {{id: c, title: C, date: {day}, "
        f"tasks: [{{id: t, title: T, when: {when}}}]}}\n"
    )


FAR_TEMPLATES = {
    "since 9999-12-31": SHOP.format(since="9999-12-31"),
    "since 0001-01-01": SHOP.format(since="0001-01-01"),
    "holiday 9999-12-31": SHOP.format(since="2026-11-02")
    + "calendar:\n  holidays: ['9999-12-30..9999-12-31']\n",
    "campaign in 9999": _campaign("9999-12-31", "-2d"),
    "campaign offset 10^6 weeks": _campaign("2026-12-12", "999999w"),
    "campaign offset 10^12 days": _campaign("2026-12-12", "-999999999999d"),
}


@pytest.mark.parametrize("kind", sorted(FAR_TEMPLATES))
def test_far_dates_in_a_template_are_problems_not_overflows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "far.yaml"
    path.write_text(FAR_TEMPLATES[kind], encoding="utf-8")
    with pytest.raises(ScheduleError) as caught:
        load_schedule(path)
    assert all(str(p).startswith(f"{path}:") for p in caught.value.problems)
    refused(f"template: {kind}", capsys, ["check", str(path)], status=1)
    for verb in (["today"], ["report", "month"], ["export", "ics"]):
        refused(f"template: {kind}", capsys, [*verb, "--schedule", str(path)], status=2)


def test_the_last_plannable_day_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dates up to 2999-12-31 (the range `--date` takes) are planned, reported, exported."""
    path = tmp_path / "late.yaml"
    path.write_text(
        SHOP.format(since="2999-12-01")
        + "campaigns:\n  - {id: c, title: C, date: 2999-12-31, tasks: [{id: t, title: T, "
        "when: +52w}]}\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "late.sqlite3")
    last = ["--schedule", str(path), "--date", "2999-12-31", "--db", db]
    for verb in (["today"], ["report", "month"], ["report", "week"]):
        assert main([*verb, *last]) == 0, capsys.readouterr().err
    assert main(["export", "ics", "--days", "366", *last[:4]]) == 0, capsys.readouterr().err
    assert main(["check", str(path)]) == 0


# ---------------------------------------------------------------- output that cannot go out


def test_a_reader_that_stops_reading_is_not_an_error(tmp_path: Path) -> None:
    """`opsplanner export ics --days 366 | head -c1`: more than a pipe holds, cut short."""
    env = clean_env(OPSPLANNER_DATA_DIR=str(tmp_path / "data"))
    command = [sys.executable, "-m", "opsplanner", "export", "ics", "--days", "366"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.read(1) == b"B"
        child.stdout.close()
        err = child.stderr.read().decode()
        status = child.wait()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert (status, err) == (0, "")
    CASES["output: broken pipe"] += 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "argv",
    [["today"], ["export", "ics"], ["report", "week", "--format", "csv"], ["check"]],
    ids=" ".join,
)
def test_a_full_device_is_one_line(tmp_path: Path, argv: list[str]) -> None:
    env = clean_env(OPSPLANNER_DATA_DIR=str(tmp_path / "data"))
    with open("/dev/full", "w") as full:
        err = one_line("output: full device", run_cli(*argv, env=env, stdout=full), 1)
    assert "No space left on device" in err


@pytest.mark.parametrize(
    "encoding",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    ],
    ids=["PYTHONIOENCODING=ascii", "C locale"],
)
def test_a_terminal_that_cannot_show_chinese_gets_replacements(
    tmp_path: Path, encoding: dict[str, str]
) -> None:
    env = clean_env(OPSPLANNER_DATA_DIR=str(tmp_path / "data"), **encoding)
    zh = "taobao-operator.zh"
    for argv in (["today", "--schedule", zh], ["review", "--schedule", zh], ["today"]):
        result = run_cli(*argv, env=env)
        one_line("output: cannot encode", result, 0)
        assert "?" in result.stdout and result.stdout.isascii()
    bad = run_cli("done", "不存在", "--schedule", zh, env=env)
    assert one_line("output: cannot encode", bad, 2).isascii()


# ---------------------------------------------------------------- pipes in `extends`


@POSIX
def test_extends_never_opens_a_pipe_or_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = PipeWatch(tmp_path / "base.yaml")
    targets = {"base.yaml": "a named pipe", "/dev/zero": "a character device"}
    targets[str(tmp_path)] = "a folder"
    for target, kind in targets.items():
        child = tmp_path / "child.yaml"
        child.write_text(f"extends: {target}\n" + SHOP.format(since="2026-11-02"), "utf-8")
        with pytest.raises(ScheduleError) as caught:
            load_schedule(child)
        assert "child.yaml:1:10: `extends`: " in str(caught.value)
        assert f"is {kind}, not a schedule file" in str(caught.value)
        refused("extends: pipe, device or folder", capsys, ["check", str(child)])
        refused(
            "extends: pipe, device or folder",
            capsys,
            ["today", "--schedule", str(child)],
            status=2,
        )
    assert not pipe.opened_by_someone, "the pipe was opened"
    pipe.release()


# ---------------------------------------------------------------- figures out of range


@pytest.mark.parametrize(
    ("metric", "typed", "words"),
    [
        ("visitors", "9007199254740993", "from 0 to 9,007,199,254,740,992"),
        ("visitors", "12345678901234567890123", "from 0 to 9,007,199,254,740,992"),
        ("visitors", "100000000亿", "from 0 to 9,007,199,254,740,992"),
        ("visitors", "1e107", "exponent"),
        ("sales", "10,000,000,000,001", "from -10,000,000,000,000 to 10,000,000,000,000"),
        ("bounce_rate", "1000001%", "from -1,000,000 to 1,000,000"),
    ],
)
def test_a_figure_out_of_range_is_refused_with_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], metric: str, typed: str, words: str
) -> None:
    db = ["--db", str(tmp_path / "ops.sqlite3")]
    err = refused("figure out of range", capsys, ["metric", "set", metric, typed, *db], 2)
    assert words in err
    assert main(["metric", "show", metric, "--days", "1", "--json", *db]) == 0
    assert '"value": null' in capsys.readouterr().out, "nothing was stored"


def test_the_largest_exact_count_is_kept_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "ops.sqlite3")]
    assert main(["metric", "set", "visitors", "9,007,199,254,740,992", *db]) == 0
    assert "visitors = 9,007,199,254,740,992" in capsys.readouterr().out


# ---------------------------------------------------------------- the TUI


CRASHING_TUI = """
import sys
from opsplanner.tui.screens.today import TodayScreen

def crash(self, *args, **kwargs):
    raise RuntimeError("planted crash")

TodayScreen.on_mount = crash
from opsplanner.cli import main
sys.exit(main(sys.argv[1:]))
"""


@POSIX
def test_a_tui_that_crashes_exits_non_zero_and_gives_the_terminal_back(tmp_path: Path) -> None:
    env = clean_env(OPSPLANNER_DATA_DIR=str(tmp_path / "data"), TERM="xterm-256color")
    main_side, child_side = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHING_TUI, "tui"],
        stdin=child_side,
        stdout=child_side,
        stderr=child_side,
        env=env,
        cwd=ROOT,
        close_fds=True,
    )
    os.close(child_side)
    screen = bytearray()
    while True:  # until the child has exited and the terminal has nothing more to say
        try:
            chunk = os.read(main_side, 65536)
        except OSError:  # EIO: no process holds the terminal any more
            break
        if not chunk:
            break
        screen += chunk
    os.close(main_side)
    status = child.wait()
    assert status == 1, screen[-2000:].decode(errors="replace")
    shown = screen.decode(errors="replace")
    assert "planted crash" in shown
    assert shown.rfind("\x1b[?1049h") < shown.rfind("\x1b[?1049l"), "still on the alternate screen"
    CASES["TUI crash: exit 1, terminal restored"] += 1


# ---------------------------------------------------------------- the demo


def test_the_demo_leaves_nothing_behind(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = clean_env(OPSPLANNER_DATA_DIR=str(tmp_path / "data"), TMPDIR=str(temporary))
    result = run_cli("demo", "--print", env=env)
    assert result.returncode == 0, result.stderr
    assert "demo database:" in result.stdout and "0/" in result.stdout
    assert list(temporary.iterdir()) == []
    assert not (tmp_path / "data" / "opsplanner.sqlite3").exists(), "the user's data untouched"
