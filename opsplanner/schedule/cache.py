"""Validated schedules kept as plain JSON, like .pyc files: a warm start skips PyYAML and parsing.

Importing the loader and parsing the bundled template cost about 50 ms of every start-up.
An entry (one per template path) is used only when the code that wrote it is the code
running now, every file the load read (the template and its `extends` chain) still holds
the same bytes (the entry keeps them and compares them: exact, and without hashlib's
OpenSSL import), whatever its size and mtime say, and every place `extends` found empty is
still empty. Anything else, a damaged or unreadable entry included, loads the template
normally and rewrites the entry. Broken templates are never cached: their FILE:LINE:COL
problems always come from the loader.

Nothing in the cache is trusted because it is there (its header is made of public facts, so
anyone who can write the folder could forge one): the folder and the entry must be the
user's alone, an entry is bounded in size, and it holds only strings, numbers and lists —
rebuilt through the model constructors and the loader's own parsers (`repeat:`, checks,
formulas), then held to the rules the loader enforces (`rules.broken_rule`). A folder others
can write is ignored (the CLI refuses it with one line before it gets here).
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from contextlib import suppress
from dataclasses import replace
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opsplanner
from opsplanner.locations import cache_dir, ensure_private_dir, shared_with_others
from opsplanner.schedule.checks import parse_check, parse_formula
from opsplanner.schedule.models import (
    Block,
    Calendar,
    Campaign,
    CampaignTask,
    CountryDays,
    Metric,
    OnDayOff,
    Parameter,
    Phase,
    Schedule,
    Target,
    Task,
)
from opsplanner.schedule.recurrence import parse_repeat
from opsplanner.schedule.rules import broken_rule

if TYPE_CHECKING:
    from opsplanner.schedule.loader import Source

_CODE_DIR = Path(__file__).resolve().parent  # the loader and every class in a Schedule
FORMAT = "opsplanner-schedule-cache/5"
MAX_ENTRY_BYTES = 4_000_000  # a few templates at the loader's 1 MB limit, plus the schedule
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

_Code = tuple[str, str, str, tuple[tuple[str, int, int], ...]]
_File = tuple[str, str, bytes]  # absolute path, resolved path, the bytes the load read


def load_schedule_cached(path: str | Path) -> Schedule:
    """`load_schedule` at start-up speed: the same Schedule, or the same ScheduleError."""
    try:
        code = _code_fingerprint()  # before any parsing: the code that will make the entry
        origin = _absolute(path)
        # the entry's name only spreads entries out: each one records the path it is for
        name = f"{zlib.crc32(os.fsencode(os.path.realpath(origin))):08x}.json"
    except (OSError, ValueError):  # code in a zip, no working folder, a NUL in the path
        from opsplanner.schedule.loader import load_schedule

        return load_schedule(path)  # nothing to cache; the loader says what is wrong, if any
    folder = cache_dir()
    cached = _read(folder, name, origin, code)
    if cached is not None:
        # One entry serves every spelling of the path; `source` is the spelling asked for.
        return cached if cached.source == str(path) else replace(cached, source=str(path))
    from opsplanner.schedule.loader import load_schedule_and_sources

    schedule, sources = load_schedule_and_sources(path)
    _write(folder, name, origin, code, schedule, sources)
    return schedule


def _absolute(path: str | Path) -> str:
    """The path from the root, `..` kept: after a symlink it leads where the loader went."""
    return str(Path(path).absolute())


@lru_cache(maxsize=1)
def _code_fingerprint() -> _Code:
    """What shaped the entry: a new Python or opsplanner, another install, or a dev editing
    models.py or loader.py never gets an entry written by the old code.

    Taken once per process, at its first load, close to when it imported that code."""
    with os.scandir(_CODE_DIR) as entries:
        files = sorted(
            (e.name, e.stat().st_size, e.stat().st_mtime_ns)
            for e in entries
            if e.name.endswith(".py")
        )
    return opsplanner.__version__, sys.version, str(_CODE_DIR), tuple(files)


# ------------------------------------------------------------------ reading


def _read(folder: Path, name: str, origin: str, code: _Code) -> Schedule | None:
    """The entry's schedule if the loader would still return it for `origin`, else None."""
    try:
        data = _read_private(folder, name)
        if data is None:
            return None
        head, _, payload = data.partition(b"\n")
        header = json.loads(head)
        if (
            header.get("format") != FORMAT
            or _code(header["code"]) != code
            or header["origin"] != origin
            or zlib.crc32(payload) != header["crc"]
            or any(os.path.exists(_text(place)) for place in header["absent"])
            or not all(_unchanged(*_file(file)) for file in header["files"])
        ):
            return None
        schedule = _schedule(json.loads(payload), origin)
    except Exception:  # missing, unreadable, truncated, garbled or forged: each its own way
        return None
    return None if broken_rule(schedule) else schedule


def _read_private(folder: Path, name: str) -> bytes | None:
    """The entry's bytes, if the folder and the entry are the user's alone and the entry is a
    regular file of a sane size; a symlink is never followed, a big file never read whole."""
    directory = os.open(folder, os.O_RDONLY | _DIRECTORY)
    try:
        if shared_with_others(os.fstat(directory)):
            return None
        handle = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=directory)
    finally:
        os.close(directory)
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_size > MAX_ENTRY_BYTES
            or shared_with_others(info)
        ):
            return None
        data = stream.read(MAX_ENTRY_BYTES + 1)
    return data if len(data) <= MAX_ENTRY_BYTES else None


def _unchanged(place: str, resolved: str, content: bytes) -> bool:
    """Whether the file still holds the bytes the load read: an edit that keeps the size
    and the mtime counts, and so does a symlink moved to an identical file (the loader tells
    files apart by where they really are, for circular `extends`). A pipe is never opened."""
    info = os.stat(place)
    if (
        not stat.S_ISREG(info.st_mode)
        or info.st_size != len(content)
        or os.path.realpath(place) != resolved
    ):
        return False
    with open(place, "rb") as stream:
        return stream.read(len(content) + 1) == content


# Plain data → objects: every value is checked for its type (a forged entry fails here, with
# TypeError or ValueError, or in `broken_rule`); text with a grammar goes through its parser.


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def _float(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("expected a number")
    return float(value)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _day(value: Any) -> date:
    return date.fromisoformat(_text(value))


def _clock(value: Any) -> time:
    text = _text(value)
    if len(text) != 5:
        raise ValueError("expected HH:MM")
    return time.fromisoformat(text)


def _code(value: Any) -> _Code:
    version, python, where, files = _list(value)
    listed = tuple((_text(n), _int(size), _int(mtime)) for n, size, mtime in _list(files))
    return _text(version), _text(python), _text(where), listed


def _file(value: Any) -> _File:
    place, resolved, content = _list(value)
    return _text(place), _text(resolved), _text(content).encode("latin-1")


def _schedule(data: dict[str, Any], origin: str) -> Schedule:
    calendar = data["calendar"]
    return Schedule(
        id=_text(data["id"]),
        title=_text(data["title"]),
        source=origin,
        timezone=_zone(data["timezone"]),
        language=_language(data["language"]),
        since=None if data["since"] is None else _day(data["since"]),
        calendar=Calendar(
            workdays=frozenset(_int(d) for d in _list(calendar["workdays"])),
            holidays=_days(calendar["holidays"]),
            working_dates=_days(calendar["working_dates"]),
            country=None if calendar["country"] is None else _country(calendar["country"]),
        ),
        metrics=tuple(_metric(m) for m in _list(data["metrics"])),
        blocks=tuple(_block(b) for b in _list(data["blocks"])),
        targets=tuple(_target(t) for t in _list(data["targets"])),
        campaigns=tuple(_campaign(c) for c in _list(data["campaigns"])),
        import_columns=tuple(
            (_text(header), _text(metric)) for header, metric in _list(data["import_columns"])
        ),
        parameters=tuple(
            Parameter(id=_text(p["id"]), value=_float(p["value"]))
            for p in _list(data["parameters"])
        ),
    )


def _zone(value: Any) -> str | None:
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    ZoneInfo(_text(value))  # an unknown zone raises, as in the loader
    return _text(value)


def _language(value: Any) -> str | None:
    if value is None:
        return None
    from opsplanner.i18n import LANGUAGES

    if _text(value) not in LANGUAGES:  # the loader only keeps a language it knows
        raise ValueError(f"unknown language {value!r}")
    return _text(value)


def _metric(data: dict[str, Any]) -> Metric:
    formula = _optional_text(data["formula"])
    return Metric(
        id=_text(data["id"]),
        label=_text(data["label"]),
        unit=data["unit"],  # held to the known units by broken_rule
        currency=_optional_text(data["currency"]),
        formula=None if formula is None else parse_formula(formula),
    )


def _block(data: dict[str, Any]) -> Block:
    return Block(
        id=_text(data["id"]),
        title=_text(data["title"]),
        start=_clock(data["start"]),
        end=_clock(data["end"]),
        repeat=parse_repeat(_text(data["repeat"])),
        tasks=tuple(_task(t) for t in _list(data["tasks"])),
    )


def _task(data: dict[str, Any]) -> Task:
    repeat = _optional_text(data["repeat"])
    return Task(
        id=_text(data["id"]),
        title=_text(data["title"]),
        block_id=_text(data["block_id"]),
        detail=_text(data["detail"]),
        repeat=None if repeat is None else parse_repeat(repeat),
        on_miss=data["on_miss"],  # held to the choices by broken_rule
        metrics=tuple(_text(m) for m in _list(data["metrics"])),
        metrics_for=data["metrics_for"],
        checks=tuple(parse_check(_text(c)) for c in _list(data["checks"])),
    )


def _target(data: dict[str, Any]) -> Target:
    cap = data["cap"]
    holidays = data["pause_holidays"]
    return Target(
        id=_text(data["id"]),
        metric=_text(data["metric"]),
        start=_day(data["start"]),
        base=_float(data["base"]),
        growth=_float(data["growth"]),
        cap=None if cap is None else _float(cap),
        pause_holidays=None if holidays is None else _int(holidays),
        pause_dates=_days(data["pause_dates"]),
    )


def _days(value: Any) -> frozenset[date]:
    return frozenset(_day(d) for d in _list(value))


def _country(data: dict[str, Any]) -> CountryDays:
    first, last = (_int(y) for y in _list(data["years"]))
    return CountryDays(
        code=_text(data["code"]),
        years=(first, last),
        days_off=_days(data["days_off"]),
        days_on=_days(data["days_on"]),
    )


def _on_day_off(value: Any) -> OnDayOff:
    if value not in ("keep", "before", "after"):
        raise ValueError(f"unknown on_day_off {value!r}")
    chosen: OnDayOff = value
    return chosen


def _campaign(data: dict[str, Any]) -> Campaign:
    year = data["year"]
    return Campaign(
        id=_text(data["id"]),
        title=_text(data["title"]),
        month=_int(data["month"]),
        day=_int(data["day"]),
        year=None if year is None else _int(year),
        tasks=tuple(
            CampaignTask(
                id=_text(t["id"]),
                title=_text(t["title"]),
                offset_days=_int(t["offset_days"]),
                block_id=_optional_text(t["block_id"]),
                detail=_text(t["detail"]),
                phase=_optional_text(t["phase"]),
                from_phase_end=_flag(t["from_phase_end"]),
                on_day_off=None if t["on_day_off"] is None else _on_day_off(t["on_day_off"]),
            )
            for t in _list(data["tasks"])
        ),
        phases=tuple(
            Phase(id=_text(p["id"]), start=_int(p["start"]), end=_int(p["end"]))
            for p in _list(data["phases"])
        ),
        on_day_off=_on_day_off(data["on_day_off"]),
        grace_days=_int(data["grace_days"]),
    )


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


# ------------------------------------------------------------------ writing


def _plain(schedule: Schedule) -> dict[str, Any]:
    """The schedule as strings, numbers and lists; text with a grammar as it was written."""
    return {
        "id": schedule.id,
        "title": schedule.title,
        "timezone": schedule.timezone,
        "language": schedule.language,
        "since": None if schedule.since is None else schedule.since.isoformat(),
        "calendar": {
            "workdays": sorted(schedule.calendar.workdays),
            "holidays": _iso(schedule.calendar.holidays),
            "working_dates": _iso(schedule.calendar.working_dates),
            "country": _plain_country(schedule.calendar.country),
        },
        "metrics": [
            {
                "id": m.id,
                "label": m.label,
                "unit": m.unit,
                "currency": m.currency,
                "formula": None if m.formula is None else m.formula.source,
            }
            for m in schedule.metrics
        ],
        "blocks": [
            {
                "id": b.id,
                "title": b.title,
                "start": f"{b.start:%H:%M}",
                "end": f"{b.end:%H:%M}",
                "repeat": b.repeat.text,
                "tasks": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "block_id": t.block_id,
                        "detail": t.detail,
                        "repeat": None if t.repeat is None else t.repeat.text,
                        "on_miss": t.on_miss,
                        "metrics": list(t.metrics),
                        "metrics_for": t.metrics_for,
                        "checks": [c.source for c in t.checks],
                    }
                    for t in b.tasks
                ],
            }
            for b in schedule.blocks
        ],
        "targets": [
            {
                "id": t.id,
                "metric": t.metric,
                "start": t.start.isoformat(),
                "base": t.base,
                "growth": t.growth,
                "cap": t.cap,
                "pause_holidays": t.pause_holidays,
                "pause_dates": _iso(t.pause_dates),
            }
            for t in schedule.targets
        ],
        "campaigns": [
            {
                "id": c.id,
                "title": c.title,
                "month": c.month,
                "day": c.day,
                "year": c.year,
                "tasks": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "offset_days": t.offset_days,
                        "block_id": t.block_id,
                        "detail": t.detail,
                        "phase": t.phase,
                        "from_phase_end": t.from_phase_end,
                        "on_day_off": t.on_day_off,
                    }
                    for t in c.tasks
                ],
                "phases": [{"id": p.id, "start": p.start, "end": p.end} for p in c.phases],
                "on_day_off": c.on_day_off,
                "grace_days": c.grace_days,
            }
            for c in schedule.campaigns
        ],
        "import_columns": [list(pair) for pair in schedule.import_columns],
        "parameters": [{"id": p.id, "value": p.value} for p in schedule.parameters],
    }


def _iso(days: frozenset[date]) -> list[str]:
    return sorted(d.isoformat() for d in days)


def _plain_country(country: CountryDays | None) -> dict[str, Any] | None:
    if country is None:
        return None
    return {
        "code": country.code,
        "years": list(country.years),
        "days_off": _iso(country.days_off),
        "days_on": _iso(country.days_on),
    }


def _write(
    folder: Path,
    name: str,
    origin: str,
    code: _Code,
    schedule: Schedule,
    sources: tuple[Source, ...],
) -> None:
    """Save the entry privately (0600) and atomically, in a folder that is the user's alone;
    a cache that cannot be written, an entry too big to be read back, or a template read
    from a pipe or device (nothing to check later), is simply not saved."""
    files: list[list[str]] = []
    absent: list[str] = []
    for place, raw in sources:
        where = _absolute(place)
        if raw is None:
            absent.append(where)
            continue
        if not os.path.isfile(where):
            return
        files.append([where, os.path.realpath(where), raw.decode("latin-1")])
    payload = json.dumps(_plain(schedule), ensure_ascii=False).encode()
    header = {
        "format": FORMAT,
        "code": code,
        "origin": origin,
        "files": files,
        "absent": absent,
        "crc": zlib.crc32(payload),
    }
    data = json.dumps(header, ensure_ascii=False).encode() + b"\n" + payload
    if len(data) > MAX_ENTRY_BYTES:
        return
    with suppress(OSError):  # read-only, full, shared or vanished: the next start parses again
        ensure_private_dir(folder)
        _replace_privately(folder, name, data)


def _replace_privately(folder: Path, name: str, data: bytes) -> None:
    """Write a fresh 0600 file beside the entry and rename it over the entry, all through
    one handle on a folder checked to be the user's alone (a swapped path is never used)."""
    directory = os.open(folder, os.O_RDONLY | _DIRECTORY)
    try:
        if shared_with_others(os.fstat(directory)):
            return
        temp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
        handle = os.open(temp, flags, 0o600, dir_fd=directory)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temp, name, src_dir_fd=directory, dst_dir_fd=directory)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp, dir_fd=directory)
            raise
    finally:
        os.close(directory)
