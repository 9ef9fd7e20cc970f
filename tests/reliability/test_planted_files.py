"""Planted files: what another local user (or a careless umask) leaves in opsplanner's folders
is never trusted. A compiled-schedule entry is used only from a private folder and only if it
rebuilds into a schedule the loader would give; folders are made 0700 whatever the umask; a
folder others can write is refused in one line; the migration backup never writes into a
name that already exists. Operator names and `TZ` are checked before any work starts.
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from opsplanner.cli import main
from opsplanner.clock import FixedClock
from opsplanner.locations import cache_dir
from opsplanner.schedule import checks, loader
from opsplanner.schedule.cache import load_schedule_cached
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Block, Schedule, Task
from opsplanner.service import OpsService
from opsplanner.settings import SettingsError
from opsplanner.store.engine import make_engine, migrate
from opsplanner.store.store import Store
from tests.conftest import harness_log

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")
NOW = "2026-11-23T02:00:00+00:00"
CLOCK = FixedClock(datetime(2026, 11, 23, 2, tzinfo=UTC))
SHOP = """\
schedule: shop
title: Shop routine
since: 2026-11-02
metrics:
  visitors: {label: Visitors, unit: count}
blocks:
  - id: morning
    title: Morning
    start: "08:30"
    end: "10:30"
    tasks:
      - {id: store-data, title: Record store data, metrics: [visitors]}
      - {id: review, title: Review titles, repeat: every 3 days}
"""
CASES: Counter[str] = Counter()
CRASHES: list[str] = []
USED: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def report_planted_cases() -> Iterator[None]:
    yield
    outcomes = ", ".join(f"{outcome} {count}" for outcome, count in sorted(CASES.items()))
    harness_log(
        f"planted files: {sum(CASES.values())} cases ({outcomes}); "
        f"{len(CRASHES)} crashes, {len(USED)} planted entries used"
    )


def outcome(name: str, action: Callable[[], object]) -> object:
    """Run a planted-file case, counting it for the summary; any exception is a crash."""
    try:
        result = action()
    except Exception as error:
        CRASHES.append(f"{name}: {error!r}")
        raise
    CASES[name] += 1
    return result


def served(name: str, path: Path, expected: Schedule) -> Schedule:
    """Load through the cache as a planted-file case; a result other than the loader's is a
    planted entry used."""
    got = outcome(name, lambda: load_schedule_cached(path))
    assert isinstance(got, Schedule)
    if got != expected:
        USED.append(name)
    return got


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP, encoding="utf-8")
    return path


def the_entry() -> Path:
    [entry] = [p for p in cache_dir().iterdir() if not p.name.startswith(".")]
    return entry


def forge(
    path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Schedule], Schedule]
) -> Path:
    """Write the entry an attacker would write for `path`: the real header (everything in it
    is public: the template's bytes, the code's file sizes and times), `change`d schedule.
    It is made by the cache's own writer, so it follows whatever format the cache uses."""
    real = loader.load_schedule_and_sources

    def forged(where: str | Path) -> tuple[Schedule, tuple[loader.Source, ...]]:
        schedule, sources = real(where)
        return change(schedule), sources

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_schedule_and_sources", forged)
        load_schedule_cached(path)
    return the_entry()


def wire_money(schedule: Schedule) -> Schedule:
    """A schedule the loader would accept from YAML, but not the one in the template."""
    block = schedule.blocks[0]
    task = replace(block.tasks[0], title="Wire ¥50,000 to account 6222 0000 1234")
    return replace(schedule, blocks=(replace(block, tasks=(task, *block.tasks[1:])),))


def zero_interval(schedule: Schedule) -> Schedule:
    """`every 3 days` with an interval of 0: the loader never builds it (ZeroDivisionError)."""
    block = schedule.blocks[0]
    first, review = block.tasks
    assert review.repeat is not None
    broken = replace(review, repeat=replace(review.repeat, _interval=0))
    return replace(schedule, blocks=(replace(block, tasks=(first, broken)),))


def refused_task(schedule: Schedule) -> Schedule:
    """A task the loader refuses: a bad id, an unknown metric, a duplicate of another id."""
    block = schedule.blocks[0]
    bad = Task(id="pay now!", title="Pay", block_id=block.id, metrics=("bank_balance",))
    twin = replace(block.tasks[0], title="Twin")
    return replace(schedule, blocks=(replace(block, tasks=(*block.tasks, bad, twin)),))


def control_title(schedule: Schedule) -> Schedule:
    """A title carrying a terminal escape (clear the screen, retitle the window): the loader
    refuses it in a template, so an entry must not bring it in either."""
    block = schedule.blocks[0]
    task = replace(block.tasks[0], title="Record\x1b]2;PWNED\x07\x1b[2J data")
    return replace(schedule, blocks=(replace(block, tasks=(task, *block.tasks[1:])),))


def inverted_block(schedule: Schedule) -> Schedule:
    """A block that ends before it starts, in a schedule id the loader would refuse."""
    block = schedule.blocks[0]
    backwards = Block(block.id, block.title, block.end, block.start, block.repeat, block.tasks)
    return replace(schedule, id="../../etc", blocks=(backwards,))


def answers(schedule: Schedule) -> list[bool]:
    """What the planner asks a schedule: its rules on 60 days (a bad interval crashes)."""
    days = [date(2026, 11, 2) + timedelta(days=n) for n in range(60)]
    rules = [t.repeat for t in schedule.tasks() if t.repeat] + [b.repeat for b in schedule.blocks]
    return [rule.occurs_on(day, anchor=date(2026, 11, 2)) for rule in rules for day in days]


# ----------------------------------------------------------------- the schedule cache


@POSIX
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777, 0o1777], ids=oct)
def test_an_entry_in_a_folder_others_can_write_is_ignored(
    shop: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    expected = load_schedule(shop)
    forge(shop, monkeypatch, wire_money)
    assert load_schedule_cached(shop) == wire_money(expected), "the forgery is what we think"
    cache_dir().chmod(mode)
    try:
        got = served("shared cache folder: ignored", shop, expected)
        assert got == expected
        assert load_schedule_cached(shop) == expected
    finally:
        cache_dir().chmod(0o700)


@POSIX
def test_an_entry_others_can_write_is_ignored(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_schedule(shop)
    forge(shop, monkeypatch, wire_money).chmod(0o666)
    assert served("shared cache entry: ignored", shop, expected) == expected


@pytest.mark.parametrize(
    "change",
    [zero_interval, refused_task, inverted_block, control_title],
    ids=lambda f: f.__name__,
)
def test_an_entry_the_loader_would_refuse_is_not_used(
    shop: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Schedule], Schedule]
) -> None:
    expected = load_schedule(shop)
    forge(shop, monkeypatch, change)
    got = served("refused payload: not used", shop, expected)
    assert isinstance(got, Schedule)
    assert got == expected
    assert answers(got) == answers(expected)


def test_a_huge_planted_entry_is_not_read(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_schedule(shop)
    entry = forge(shop, monkeypatch, wire_money)
    with entry.open("r+b") as stream:  # sparse: costs no disk, 256 MB if read
        stream.truncate(256 * 1024 * 1024)
    tracemalloc.start()
    try:
        got = served("huge entry: not read", shop, expected)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == expected
    assert peak < 32 * 1024 * 1024, f"loading read {peak / 2**20:.0f} MB"


def test_a_planted_entry_never_changes_a_class(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pickle whose first act sets an attribute on a class the old cache allowed (BUILD on
    the class itself): it ran before the header was even looked at."""
    expected = load_schedule(shop)
    entry = forge(shop, monkeypatch, wire_money)
    monkeypatch.setattr(checks._FormulaParser, "parse", checks._FormulaParser.parse)  # restored
    entry.write_bytes(
        b"\x80\x02copsplanner.schedule.checks\n_FormulaParser\n"
        b"N}(X\x05\x00\x00\x00parseK\x05u\x86b."
    )
    assert served("class-mutating entry: inert", shop, expected) == expected
    assert checks.parse_formula("orders / visitors").names == {"orders", "visitors"}


# ----------------------------------------------------------------- folders


def run_cli(
    *args: str, env: dict[str, str], umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "opsplanner", *args]
    if umask is not None:
        command = ["sh", "-c", f'umask {umask:03o} && exec "$@"', "sh", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPSPLANNER_", "XDG_")) and k != "TZ"
    }
    root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    return {**env, "OPSPLANNER_NOW": NOW, **extra}


@POSIX
def test_umask_000_still_makes_every_folder_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    result = outcome(
        "umask 000: folders 0700",
        lambda: run_cli("note", "store-data", "hello", env=clean_env(HOME=str(home)), umask=0),
    )
    assert result.returncode == 0, result.stderr
    made = list(home.rglob("*"))
    folders = {str(p.relative_to(home)): p.stat().st_mode & 0o7777 for p in made if p.is_dir()}
    assert {".local", ".local/share", ".local/share/opsplanner", ".cache"} <= set(folders)
    assert set(folders.values()) == {0o700}, folders
    files = {str(p.relative_to(home)): p.stat().st_mode & 0o777 for p in made if p.is_file()}
    assert files and all(mode == 0o600 for mode in files.values()), files


@POSIX
def test_umask_000_with_a_data_dir_override(tmp_path: Path) -> None:
    data = tmp_path / "a" / "b" / "data"
    result = run_cli(
        "note", "store-data", "hello", env=clean_env(OPSPLANNER_DATA_DIR=str(data)), umask=0
    )
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data, data / "cache"):
        assert folder.stat().st_mode & 0o7777 == 0o700, folder
    CASES["umask 000: folders 0700"] += 1


@POSIX
@pytest.mark.parametrize("which", ["data", "cache"])
@pytest.mark.parametrize("mode", [0o770, 0o777, 0o1777], ids=oct)
def test_a_folder_others_can_write_is_refused_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    which: str,
    mode: int,
) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    monkeypatch.setenv("OPSPLANNER_DATA_DIR", str(data))
    monkeypatch.setenv("OPSPLANNER_CACHE_DIR", str(cache))
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    assert main(["note", "store-data", "hello"]) == 0
    capsys.readouterr()
    shared = data if which == "data" else cache
    gc.collect()  # the note's connections let go of SQLite's -wal/-shm now, not mid-test
    shared.chmod(mode)
    before = sorted(p.name for p in shared.iterdir())
    try:
        status = outcome(f"shared {which} folder: refused", lambda: main(["today"]))
    finally:
        shared.chmod(0o700)
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("opsplanner: error: "), err
    assert str(shared) in err and "other users" in err
    assert sorted(p.name for p in shared.iterdir()) == before


# ----------------------------------------------------------------- the migration backup


def old_database(path: Path) -> None:
    """A database at schema 0001 holding one reading, as an older opsplanner left it."""
    migrate(make_engine(str(path)), "0001")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO metric_value (operator, metric, data_date, value, entered_at) "
            "VALUES ('ana', 'visitors', '2026-11-01', 1234, '2026-11-02 01:00:00')"
        )


def backups(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f"{db.name}.schema-0001*.bak"))


@POSIX
@pytest.mark.parametrize("planted", ["file", "symlink"])
def test_a_planted_backup_name_never_receives_data(tmp_path: Path, planted: str) -> None:
    db = tmp_path / "ops.sqlite3"
    old_database(db)
    name = db.with_name(f"{db.name}.schema-0001.bak")
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"someone else's file\n")
    victim.chmod(0o644)
    if planted == "file":
        name.write_bytes(b"planted\n")
        name.chmod(0o644)
    else:
        name.symlink_to(victim)
    outcome(
        "planted backup name: untouched",
        lambda: Store(make_engine(str(db)), operator="ana", clock=CLOCK),
    )
    assert victim.read_bytes() == b"someone else's file\n"
    if planted == "file":
        assert name.read_bytes() == b"planted\n"
        assert name.stat().st_mode & 0o777 == 0o644
    [fresh] = [b for b in backups(db) if b != name]
    assert fresh.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(fresh) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT value FROM metric_value").fetchone() == (1234,)
    # Later upgrades of the same file name are not stopped by the names already taken.
    db.unlink()
    old_database(db)
    Store(make_engine(str(db)), operator="ana", clock=CLOCK)
    assert len(backups(db)) == 3


# ----------------------------------------------------------------- operators and TZ


@pytest.mark.parametrize(
    "name",
    [" ", "", "\t", "ana\x1b[2J", "ana\nbo", "\x1b]2;PWNED\x07", "ana\u202eevil", "x" * 121],
    ids=["space", "empty", "tab", "csi", "newline", "osc", "bidi", "121-chars"],
)
def test_an_unusable_operator_name_is_refused(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    assert main(["--operator", name, "note", "store-data", "hello"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "operator" in err and "\x1b" not in err, err
    monkeypatch.setenv("OPSPLANNER_OPERATOR", name)
    assert main(["today"]) == (2 if name else 0), "an empty variable means unset"
    with pytest.raises(SettingsError):
        OpsService.for_database(load_schedule(bundled_shop()), CLOCK, db=None, operator=name)


def bundled_shop() -> Path:
    from opsplanner.schedule.paths import bundled_dir

    return bundled_dir() / "taobao-operator.yaml"


def test_an_operator_name_is_trimmed_and_may_be_120_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    assert main(["--operator", "  王小明  ", "note", "store-data", "hello"]) == 0
    assert main(["--operator", "王小明", "today", "--json"]) == 0
    assert '"note": "hello"' in capsys.readouterr().out, "the trimmed name is the same operator"
    service = OpsService.for_database(
        load_schedule(bundled_shop()), CLOCK, db=None, operator=" " + "x" * 120 + " "
    )
    assert service.operator == "x" * 120


def test_an_unknown_tz_is_refused_unless_the_schedule_names_its_zone(
    shop: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    monkeypatch.setenv("TZ", "garbage")
    assert main(["--schedule", str(shop), "today"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TZ='garbage'" in err, err
    assert main(["today"]) == 0, "the bundled schedule names Asia/Shanghai"
    capsys.readouterr()
    for known in ("Asia/Shanghai", ":Europe/Berlin", "/usr/share/zoneinfo/Asia/Tokyo", ""):
        monkeypatch.setenv("TZ", known)
        assert main(["--schedule", str(shop), "today"]) == 0, capsys.readouterr().err


# ----------------------------------------------------------------- a second user

RUNUSER = shutil.which("runuser")
SECOND_USER = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or RUNUSER is None,
    reason="needs root and runuser to act as another user (CI runs as root)",
)


def as_nobody(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert RUNUSER is not None
    return subprocess.run(
        [RUNUSER, "-u", "nobody", "--", *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def shared_root() -> Iterator[Path]:
    """A folder both users can reach (pytest's tmp_path is private to root)."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="opsplanner-second-user-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@SECOND_USER
def test_another_user_cannot_plant_into_the_operators_folders(
    shared_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    template = shared_root / "shop.yaml"
    template.write_text(SHOP, encoding="utf-8")
    template.chmod(0o644)
    expected = load_schedule(template)
    # 1. A shared cache folder (sticky, like /tmp): nobody plants a forged entry.
    shared = shared_root / "shared-cache"
    shared.mkdir()
    shared.chmod(0o1777)
    private = shared_root / "forgery"
    monkeypatch.setenv("OPSPLANNER_CACHE_DIR", str(private))
    entry = forge(template, monkeypatch, wire_money)
    entry.chmod(0o644)
    private.chmod(0o755)
    planted = as_nobody("cp", str(entry), str(shared / entry.name))
    assert planted.returncode == 0, planted.stderr
    assert (shared / entry.name).stat().st_uid != 0
    monkeypatch.setenv("OPSPLANNER_CACHE_DIR", str(shared))
    assert served("second user: shared cache ignored", template, expected) == expected
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    assert main(["--schedule", str(template), "today"]) == 2
    assert "other users" in capsys.readouterr().err
    # 2. A folder nobody owns (not writable by us or anyone else) is not ours to trust.
    theirs = shared / "theirs"
    assert as_nobody("mkdir", "-m", "755", str(theirs)).returncode == 0
    assert as_nobody("cp", str(entry), str(theirs / entry.name)).returncode == 0
    monkeypatch.setenv("OPSPLANNER_CACHE_DIR", str(theirs))
    assert served("second user: foreign cache ignored", template, expected) == expected
    # 3. umask 000: the folders made for the operator cannot be entered by nobody.
    home = shared_root / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    made = run_cli("note", "store-data", "hello", env=clean_env(HOME=str(home)), umask=0)
    assert made.returncode == 0, made.stderr
    for folder in (".local", ".local/share", ".cache"):
        attempt = as_nobody("mkdir", str(home / folder / "planted"))
        assert attempt.returncode != 0 and not (home / folder / "planted").exists()
        CASES["second user: umask folders closed"] += 1
    # 4. The backup: nobody plants its name beside a database in a shared folder.
    team = shared_root / "team"
    team.mkdir()
    team.chmod(0o1777)
    db = team / "ops.sqlite3"
    old_database(db)
    name = team / "ops.sqlite3.schema-0001.bak"
    assert as_nobody("sh", "-c", f"umask 022 && echo planted > {name}").returncode == 0
    outcome(
        "second user: backup name untouched",
        lambda: Store(make_engine(str(db)), operator="ana", clock=CLOCK),
    )
    assert name.read_text() == "planted\n"
    assert as_nobody("cat", str(name)).stdout == "planted\n"
    [fresh] = [b for b in backups(db) if b != name]
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert as_nobody("cat", str(fresh)).returncode != 0


# ----------------------------------------------------------------- schedule names


@pytest.mark.parametrize("planted", ["file", "folder"])
def test_a_planted_schedule_name_never_replaces_the_bundled_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    planted: str,
) -> None:
    """`taobao-operator` is the bundled schedule; `./taobao-operator` is the file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPSPLANNER_NOW", NOW)
    local = tmp_path / "taobao-operator"
    if planted == "file":
        local.write_text(SHOP.replace("Record store data", "Wire the money"), encoding="utf-8")
    else:
        local.mkdir()
    for argv in (["today"], ["--schedule", "taobao-operator", "today"], ["check"]):
        assert outcome("planted schedule name: bundled used", lambda a=argv: main(a)) == 0
        out = capsys.readouterr().out
        assert "Wire the money" not in out and "taobao" in out.lower()
    status = main(["check", "./taobao-operator"])
    out = capsys.readouterr().out
    if planted == "file":
        assert status == 0 and "ok: taobao-operator: 1 block, 2 tasks" in out, out
    else:
        assert status == 1, "a path means the path, even when it is a folder"
