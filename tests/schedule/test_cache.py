"""The compiled-schedule cache: a warm start skips PyYAML, yet never serves a stale schedule."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from opsplanner.locations import cache_dir
from opsplanner.schedule import loader
from opsplanner.schedule.cache import load_schedule_cached
from opsplanner.schedule.errors import ScheduleError
from opsplanner.schedule.loader import load_schedule
from opsplanner.schedule.models import Schedule
from opsplanner.schedule.paths import bundled_dir
from opsplanner.schedule.rules import broken_rule

BUNDLED = bundled_dir() / "taobao-operator.yaml"
OFFICE = Path(__file__).parent.parent / "fixtures" / "office.yaml"

SHOP = """\
schedule: shop
title: Shop routine
timezone: Asia/Shanghai
since: 2026-11-02
calendar:
  workdays: [mon, tue, wed, thu, fri, sat]
  holidays: [2026-12-31, 2027-02-16..2027-02-22]
metrics:
  visitors: {label: Visitors, unit: count}
  orders: {label: Orders, unit: count}
  conversion_rate: {label: Conversion, unit: percent, formula: orders / visitors * 100}
blocks:
  - id: morning
    title: Morning
    start: "08:30"
    end: "10:30"
    tasks:
      - id: store-data
        title: Record store data
        metrics: [visitors, orders, conversion_rate]
        checks: [conversion_rate < 1.0, visitors drops 30% vs avg7, orders required]
      - id: restock
        title: Restock
        repeat: "RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1"
      - id: photos
        title: Photos
        repeat: every 2 weeks on fri
      - id: review
        title: Review titles
        repeat: every 3 days after done
  - id: month-end
    title: Month end
    start: "11:00"
    end: "12:00"
    repeat: monthly on last fri
targets:
  weekly-orders: {metric: orders, from: 2026-11-02, base: 100, growth: 20%, cap: 500}
campaigns:
  - id: double-12
    title: Double 12
    date: 2026-12-12
    tasks:
      - {id: register, title: Register, when: -21d, block: morning}
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def entries() -> list[Path]:
    return sorted(cache_dir().glob("*.json")) if cache_dir().is_dir() else []


def stamps() -> list[tuple[str, int]]:
    """Each entry's name and inode: a hit leaves them be, a parse replaces the file."""
    return [(entry.name, entry.stat().st_ino) for entry in entries()]


def run_python(
    code: str, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[bool, object]:
    """Run `code` in a fresh interpreter; it sets `result`. Returns (yaml imported, result)."""
    script = (
        "import pickle, sys\n"
        + code
        + "\nyaml = 'yaml' in sys.modules or 'opsplanner.schedule.loader' in sys.modules\n"
        "sys.stdout.buffer.write(pickle.dumps((yaml, result)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, capture_output=True, cwd=cwd, env=env
    ).stdout
    loaded: tuple[bool, object] = pickle.loads(out)
    return loaded


LOAD = (
    "from opsplanner.schedule.cache import load_schedule_cached\n"
    "result = load_schedule_cached(sys.argv[1])"
)


def test_a_warm_start_skips_yaml_and_returns_an_equal_schedule() -> None:
    cold_yaml, cold = run_python(LOAD, str(BUNDLED))
    warm_yaml, warm = run_python(LOAD, str(BUNDLED))
    assert cold_yaml and not warm_yaml
    assert cold == warm == load_schedule(BUNDLED)


def test_a_warm_start_never_imports_the_holiday_library() -> None:
    """The bundled schedule's `calendar: {country: CN}` is read from the library once, when
    the template is compiled; the cache keeps the answers (start-up stays as fast)."""
    code = LOAD + "\nresult = (result.calendar.country is not None, 'holidays' in sys.modules)"
    _, cold = run_python(code, str(BUNDLED))
    _, warm = run_python(code, str(BUNDLED))
    assert cold == (True, True) and warm == (True, False)


@pytest.mark.parametrize("path", [BUNDLED, OFFICE, "shop"], ids=["bundled", "office", "shop"])
def test_every_kind_of_value_survives_the_round_trip(tmp_path: Path, path: Path | str) -> None:
    """Recurrences (RRULE included), formulas, checks, targets, calendars come back equal
    and answer the same questions."""
    source = write(tmp_path / "shop.yaml", SHOP) if path == "shop" else Path(path)
    expected = load_schedule(source)
    load_schedule_cached(source)
    written = stamps()
    cached = load_schedule_cached(source)
    assert stamps() == written, "the second load came from the cache"
    assert cached == expected
    anchor = expected.since or date(2026, 1, 5)
    days = [anchor + timedelta(days=n) for n in range(400)]

    def answers(schedule: Schedule) -> list[object]:
        rules = [b.repeat for b in schedule.blocks] + [t.repeat for t in schedule.tasks()]
        return (
            [[r.occurs_on(d, anchor=anchor) for d in days] for r in rules if r]
            + [
                m.formula.evaluate({"orders": 5, "visitors": 200})
                for m in schedule.metrics
                if m.formula
            ]
            + [c.describe() for t in schedule.tasks() for c in t.checks]
        )

    assert answers(cached) == answers(expected)


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path) -> None:
    path = write(tmp_path / "shop.yaml", SHOP)
    assert load_schedule_cached(path).title == "Shop routine"
    before = path.stat()
    write(path, SHOP.replace("Shop routine", "Shop routinE"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert load_schedule_cached(path).title == "Shop routinE"
    rewritten = stamps()
    assert load_schedule_cached(path).title == "Shop routinE"
    assert stamps() == rewritten, "the entry was rewritten for the new text and serves it"


def test_an_edit_anywhere_in_the_extends_chain_is_seen(tmp_path: Path) -> None:
    grandparent = write(tmp_path / "grandparent.yaml", SHOP)
    parent = write(tmp_path / "parent.yaml", "extends: grandparent.yaml\ntitle: Parent\n")
    child = write(tmp_path / "child.yaml", "extends: parent.yaml\nschedule: child\n")
    assert load_schedule_cached(child) == load_schedule(child)
    write(grandparent, SHOP.replace("title: Morning", "title: Early"))
    assert load_schedule_cached(child).blocks[0].title == "Early"
    write(parent, "extends: grandparent.yaml\ntitle: Renamed\n")
    assert load_schedule_cached(child).title == "Renamed"
    assert load_schedule_cached(child) == load_schedule(child)


def test_a_new_file_that_shadows_a_bundled_parent_is_seen(tmp_path: Path) -> None:
    """`extends: taobao-operator.yaml` means the file beside the child once there is one."""
    child = write(tmp_path / "child.yaml", "extends: taobao-operator.yaml\ntitle: Mine\n")
    bundled = load_schedule_cached(child)
    assert bundled.id == "taobao-operator"
    write(tmp_path / "taobao-operator.yaml", SHOP)
    assert load_schedule_cached(child) == load_schedule(child) != bundled
    (tmp_path / "taobao-operator.yaml").unlink()
    assert load_schedule_cached(child) == bundled


def test_a_retargeted_symlink_is_seen(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", SHOP)
    write(tmp_path / "b.yaml", SHOP.replace("schedule: shop", "schedule: other"))
    link = tmp_path / "current.yaml"
    link.symlink_to("a.yaml")
    assert load_schedule_cached(link).id == "shop"
    link.unlink()
    link.symlink_to("b.yaml")
    assert load_schedule_cached(link).id == "other"


def test_a_broken_template_reports_what_the_loader_reports(tmp_path: Path) -> None:
    path = write(tmp_path / "shop.yaml", SHOP)
    load_schedule_cached(path)
    write(path, SHOP.replace('end: "10:30"', 'end: "07:30"').replace("unit: count", "unit: cnt"))
    with pytest.raises(ScheduleError) as expected:
        load_schedule(path)
    for _ in range(2):
        with pytest.raises(ScheduleError) as caught:
            load_schedule_cached(path)
        assert caught.value.problems == expected.value.problems


def test_a_template_that_never_loaded_leaves_no_entry(tmp_path: Path) -> None:
    with pytest.raises(ScheduleError):
        load_schedule_cached(write(tmp_path / "shop.yaml", "schedule: [oops\n"))
    with pytest.raises(ScheduleError):
        load_schedule_cached(tmp_path / "missing.yaml")
    assert entries() == []


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _retitle(data: bytes) -> bytes:
    """Damage that still unpickles: only the payload's checksum catches it. (The title is
    also in the template's own bytes, kept earlier in the entry: damage the schedule's.)"""
    head, found, tail = data.rpartition(b"Shop routine")
    assert found and data.count(b"Shop routine") == 2
    return head + b"Shop routinX" + tail


class _Planted:
    def __reduce__(self) -> tuple[Callable[..., object], tuple[str, ...]]:
        return os.system, ("touch planted",)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        _truncate,
        lambda data: b"\x80\x05garbage" + data[9:],
        _retitle,
        lambda data: pickle.dumps("not an entry"),
        lambda data: pickle.dumps(_Planted()),
    ],
    ids=["empty", "truncated", "garbled", "retitled", "foreign", "planted"],
)
def test_a_damaged_entry_falls_back_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes]
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "shop.yaml", SHOP)
    expected = load_schedule_cached(path)
    [entry] = entries()
    entry.write_bytes(damage(entry.read_bytes()))
    assert load_schedule_cached(path) == expected
    repaired = stamps()
    assert load_schedule_cached(path) == expected
    assert stamps() == repaired, "the damaged entry was replaced by a good one"
    assert not (tmp_path / "planted").exists(), "a cache file is data, never code"


def test_an_unusable_cache_dir_never_fails_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "shop.yaml", SHOP)
    blocker = write(tmp_path / "not-a-dir", "")
    monkeypatch.setenv("OPSPLANNER_CACHE_DIR", str(blocker / "cache"))
    assert load_schedule_cached(path) == load_schedule(path)
    assert load_schedule_cached(path) == load_schedule(path)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="needs POSIX permissions that apply (root ignores them)",
)
def test_a_read_only_cache_dir_never_fails_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "shop.yaml", SHOP)
    read_only = tmp_path / "cache"
    read_only.mkdir(mode=0o500)
    monkeypatch.setenv("OPSPLANNER_CACHE_DIR", str(read_only))
    try:
        assert load_schedule_cached(path) == load_schedule(path)
        assert list(read_only.iterdir()) == []
    finally:
        read_only.chmod(0o700)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_cache_is_private_and_made_on_first_use(tmp_path: Path) -> None:
    assert not cache_dir().exists(), "importing and locating create nothing"
    load_schedule_cached(write(tmp_path / "shop.yaml", SHOP))
    load_schedule_cached(BUNDLED)
    assert cache_dir().stat().st_mode & 0o777 == 0o700
    assert [e.stat().st_mode & 0o777 for e in entries()] == [0o600, 0o600]
    assert sorted(p.name for p in cache_dir().iterdir()) == [e.name for e in entries()], (
        "no temporary files are left behind"
    )


def test_every_spelling_of_a_path_shares_one_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`source` stays the path as given, exactly as `load_schedule` reports it."""
    monkeypatch.chdir(tmp_path)
    absolute = write(tmp_path / "shop.yaml", SHOP)
    load_schedule_cached(absolute)
    [written] = stamps()
    for spelling in ("shop.yaml", absolute, "./shop.yaml", f"{tmp_path}/./shop.yaml"):
        assert load_schedule_cached(spelling) == load_schedule(spelling)
    assert stamps() == [written]


def test_editing_the_models_invalidates_every_entry(tmp_path: Path) -> None:
    """A dev who adds a field to a model gets it on the next run, never an old pickle
    missing it. Runs a copy of the package, edited as a dev would."""
    source = tmp_path / "src"
    package = Path(loader.__file__).resolve().parent.parent
    shutil.copytree(package, source / "opsplanner", ignore=shutil.ignore_patterns("__pycache__"))
    template = write(tmp_path / "shop.yaml", SHOP)
    env = {**os.environ, "PYTHONPATH": str(source)}
    read_note = LOAD + "\nresult = getattr(result, 'note', None)"
    assert run_python(read_note, str(template), cwd=tmp_path, env=env) == (True, None)
    assert run_python(read_note, str(template), cwd=tmp_path, env=env) == (False, None)
    models = source / "opsplanner" / "schedule" / "models.py"
    field = "    campaigns: tuple[Campaign, ...] = ()\n"
    write(
        models,
        models.read_text(encoding="utf-8").replace(field, field + '    note: str = "fresh"\n'),
    )
    assert run_python(read_note, str(template), cwd=tmp_path, env=env) == (True, "fresh")
    assert run_python(read_note, str(template), cwd=tmp_path, env=env) == (False, "fresh")


def test_a_linked_template_extends_from_where_the_link_is(tmp_path: Path) -> None:
    """One entry per resolved template, yet each spelling gets the parent its folder holds."""
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    write(here / "base.yaml", SHOP.replace("Shop routine", "Here"))
    write(there / "base.yaml", SHOP.replace("Shop routine", "There"))
    write(there / "child.yaml", "extends: base.yaml\n")
    (here / "child.yaml").symlink_to(there / "child.yaml")
    for _ in range(2):
        assert load_schedule_cached(here / "child.yaml").title == "Here"
        assert load_schedule_cached(there / "child.yaml").title == "There"


def test_a_link_moved_to_an_identical_file_is_seen(tmp_path: Path) -> None:
    """Same bytes, another file: here the move closes an `extends` loop the loader reports."""
    top = write(tmp_path / "top.yaml", "extends: sub/link.yaml\n")
    (tmp_path / "sub" / "sub").mkdir(parents=True)
    write(tmp_path / "sub" / "sub" / "link.yaml", SHOP)
    write(tmp_path / "twin.yaml", top.read_text(encoding="utf-8"))
    link = tmp_path / "sub" / "link.yaml"
    link.symlink_to(tmp_path / "twin.yaml")
    assert load_schedule_cached(top) == load_schedule(top)
    link.unlink()
    link.symlink_to(top)
    with pytest.raises(ScheduleError, match="circular `extends`"):
        load_schedule_cached(top)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_template_read_from_a_pipe_leaves_no_entry(tmp_path: Path) -> None:
    """`--schedule <(…)` names a new pipe each run: nothing to check later, nothing to keep."""
    pipe = tmp_path / "schedule.yaml"
    os.mkfifo(pipe)
    feeder = threading.Thread(target=write, args=(pipe, SHOP), daemon=True)
    feeder.start()
    assert load_schedule_cached(pipe).title == "Shop routine"
    feeder.join(timeout=10)
    assert entries() == []


def test_dot_dot_after_a_linked_folder_is_followed_like_the_loader_does(tmp_path: Path) -> None:
    """`alias/../child.yaml` is there/child.yaml and extends there/base.yaml, not ./base.yaml,
    even when both bases hold the same bytes and only their own parents differ."""
    there = tmp_path / "there"
    (there / "inner").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(there / "inner")
    for folder, title in ((tmp_path, "Here"), (there, "There")):
        write(folder / "base.yaml", "extends: parent.yaml\n")
        write(folder / "parent.yaml", SHOP.replace("Shop routine", title))
    write(there / "child.yaml", "extends: base.yaml\n")
    (tmp_path / "child.yaml").symlink_to(there / "child.yaml")
    dotted = tmp_path / "alias" / ".." / "child.yaml"
    for _ in range(2):
        assert load_schedule_cached(dotted).title == "There"
        assert load_schedule_cached(tmp_path / "child.yaml").title == "Here"


@pytest.mark.parametrize("spelling", ["\0", "nul\0.yaml"], ids=["nul", "nul-inside"])
def test_an_impossible_path_fails_as_the_loader_fails(spelling: str) -> None:
    def outcome(load: Callable[[str], Schedule]) -> tuple[type[Exception], str]:
        with pytest.raises(Exception) as caught:  # whatever the loader raises
            load(spelling)
        return caught.type, str(caught.value)

    assert outcome(load_schedule_cached) == outcome(load_schedule)


def test_a_deleted_working_folder_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "shop.yaml", SHOP)
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert load_schedule_cached(path) == load_schedule(path)


@pytest.mark.parametrize(
    "path",
    [*sorted(bundled_dir().glob("*.yaml")), *sorted(OFFICE.parent.glob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_every_template_the_loader_accepts_keeps_the_rules_the_cache_checks(path: Path) -> None:
    """The cache refuses an entry that breaks `rules.broken_rule`: the loader never builds one
    (else a good template would never be served warm)."""
    try:
        schedule = load_schedule(path)
    except ScheduleError:
        pytest.skip("a fixture that is meant to be broken")
    assert broken_rule(schedule) is None
