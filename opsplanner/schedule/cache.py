"""Validated schedules kept as pickles, like .pyc files: a warm start skips PyYAML and parsing.

Importing the loader and parsing the bundled template cost about 50 ms of every start-up.
An entry (one per template path) is used only when the code that wrote it is the code
running now, every file the load read (the template and its `extends` chain) still holds
the same bytes (the entry keeps them and compares them: exact, and without hashlib's
OpenSSL import), whatever its size and mtime say, and every place `extends` found empty is
still empty. Anything else, a damaged or unreadable entry included, loads the template
normally and rewrites the entry. Broken templates are never cached: their FILE:LINE:COL
problems always come from the loader.
"""

from __future__ import annotations

import io
import os
import pickle
import stat
import sys
import zlib
from contextlib import suppress
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import opsplanner
from opsplanner.locations import cache_dir, ensure_private_dir
from opsplanner.schedule.models import Schedule

if TYPE_CHECKING:
    from opsplanner.schedule.loader import Source

_CODE_DIR = Path(__file__).resolve().parent  # the loader and every class in a Schedule
_PICKLED_MODULES = frozenset(
    {
        "datetime",
        "opsplanner.schedule.checks",
        "opsplanner.schedule.models",
        "opsplanner.schedule.recurrence",
    }
)

_Code = tuple[str, str, str, tuple[tuple[str, int, int], ...]]
_File = tuple[str, str, bytes]  # absolute path, resolved path, the bytes the load read


def load_schedule_cached(path: str | Path) -> Schedule:
    """`load_schedule` at start-up speed: the same Schedule, or the same ScheduleError."""
    try:
        code = _code_fingerprint()  # before any parsing: the code that will make the entry
        origin = _absolute(path)
        # the entry's name only spreads entries out: each one records the path it is for
        key = f"{zlib.crc32(os.fsencode(os.path.realpath(origin))):08x}"
    except (OSError, ValueError):  # code in a zip, no working folder, a NUL in the path
        from opsplanner.schedule.loader import load_schedule

        return load_schedule(path)  # nothing to cache; the loader says what is wrong, if any
    entry = cache_dir() / f"{key}.pickle"
    cached = _read(entry, origin, code)
    if cached is not None:
        # One entry serves every spelling of the path; `source` is the spelling asked for.
        return cached if cached.source == str(path) else replace(cached, source=str(path))
    from opsplanner.schedule.loader import load_schedule_and_sources

    schedule, sources = load_schedule_and_sources(path)
    _write(entry, origin, code, schedule, sources)
    return schedule


def _absolute(path: str | Path) -> str:
    """The path from the root, `..` kept: after a symlink it leads where the loader went."""
    return str(Path(path).absolute())


@lru_cache(maxsize=1)
def _code_fingerprint() -> _Code:
    """What shaped the pickle: a new Python or opsplanner, another install, or a dev editing
    models.py or loader.py never gets an entry written by the old code.

    Taken once per process, at its first load, close to when it imported that code."""
    with os.scandir(_CODE_DIR) as entries:
        files = sorted(
            (e.name, e.stat().st_size, e.stat().st_mtime_ns)
            for e in entries
            if e.name.endswith(".py")
        )
    return opsplanner.__version__, sys.version, str(_CODE_DIR), tuple(files)


class _Unpickler(pickle.Unpickler):
    """Rebuilds only the schedule's own classes: a cache file is data and never runs code."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _PICKLED_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a schedule")


def _read(entry: Path, origin: str, code: _Code) -> Schedule | None:
    """The entry's schedule if the loader would still return it for `origin`, else None."""
    try:
        header, payload = _Unpickler(io.BytesIO(entry.read_bytes())).load()
        entry_code, entry_origin, files, absent, digest = header
        if (
            (entry_code, entry_origin) != (code, origin)
            or zlib.crc32(payload) != digest
            or any(os.path.exists(place) for place in absent)
            or not all(_unchanged(*file) for file in files)
        ):
            return None
        schedule = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # missing, unreadable, truncated or garbled: each fails its own way
        return None
    return schedule if isinstance(schedule, Schedule) else None


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


def _write(
    entry: Path, origin: str, code: _Code, schedule: Schedule, sources: tuple[Source, ...]
) -> None:
    """Save the entry privately (0600) and atomically; a cache that cannot be written, or a
    template read from a pipe or device (nothing to check later), is simply not saved."""
    files: list[_File] = []
    absent: list[str] = []
    for place, raw in sources:
        where = _absolute(place)
        if raw is None:
            absent.append(where)
            continue
        if not os.path.isfile(where):
            return
        files.append((where, os.path.realpath(where), raw))
    payload = pickle.dumps(schedule, protocol=pickle.HIGHEST_PROTOCOL)
    header = (code, origin, tuple(files), tuple(absent), zlib.crc32(payload))
    data = pickle.dumps((header, payload), protocol=pickle.HIGHEST_PROTOCOL)
    import tempfile  # only when writing: a warm start never needs it

    with suppress(OSError):  # read-only, full or vanished: the next start just parses again
        ensure_private_dir(entry.parent)
        handle, temp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")  # 0600
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temp, entry)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
