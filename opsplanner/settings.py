"""What a command runs against, decided once from the flags and the environment: the
schedule, the database, the operator and the clock (the CLI builds the service from these;
the TUI is handed the service)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from opsplanner.clock import EARLIEST_DATE, LATEST_DATE, Clock, clock_from_env
from opsplanner.i18n import N_, _

DEFAULT_SCHEDULE = "taobao-operator"
MAX_OPERATOR_LENGTH = 120  # a name, not a note: fits a report column and a status line


class SettingsError(ValueError):
    """A setting that cannot be used, said in one line."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Flags first, then `OPSPLANNER_*` variables, then the defaults."""

    schedule: Path
    db: str | None
    operator: str
    clock: Clock

    @classmethod
    def resolve(
        cls, *, schedule: str | None = None, db: str | None = None, operator: str | None = None
    ) -> Settings:
        from opsplanner.schedule.paths import resolve_schedule_path

        chosen = schedule or os.environ.get("OPSPLANNER_SCHEDULE") or DEFAULT_SCHEDULE
        try:
            clock = clock_from_env()
        except ValueError as error:
            raise SettingsError(str(error)) from None
        if not EARLIEST_DATE <= clock.now().date() <= LATEST_DATE:  # a fixed OPSPLANNER_NOW
            raise SettingsError(
                _("OPSPLANNER_NOW={value!r} is not from {first} to {last}").format(
                    value=os.environ.get("OPSPLANNER_NOW"), first=EARLIEST_DATE, last=LATEST_DATE
                )
            )
        refuse_shared_folders(db)
        return cls(resolve_schedule_path(chosen), db, resolve_operator(operator), clock)


def choose_language(flag: str | None, schedule_language: str | None) -> str:
    """Speak `--lang`, else the schedule's language, else the locale's (see i18n)."""
    from opsplanner import i18n

    try:
        language = i18n.resolve(flag, schedule_language, os.environ)
    except i18n.UnknownLanguage as error:
        raise SettingsError(str(error)) from None
    i18n.use(language)
    return language


def refuse_shared_folders(db: str | None) -> None:
    """The folders this run keeps things in must be the user's alone: the cache always, the
    data folder when the database is the default one (a `--db` elsewhere is the user's pick,
    e.g. a team's shared folder). Folders not made yet will be made private."""
    from opsplanner.locations import cache_dir, data_dir, unsafe_folder

    folders = [cache_dir()]
    if not (db or os.environ.get("OPSPLANNER_DB")):
        folders.insert(0, data_dir())
    for folder in folders:
        reason = unsafe_folder(folder)
        if reason:
            raise SettingsError(reason)


def resolve_operator(chosen: str | None) -> str:
    """`--operator`, else `$OPSPLANNER_OPERATOR` (empty means unset), else the login name."""
    if chosen is not None:
        return valid_operator(chosen, "--operator")
    named = os.environ.get("OPSPLANNER_OPERATOR")
    if named:
        return valid_operator(named, "OPSPLANNER_OPERATOR")
    import getpass

    try:
        return valid_operator(getpass.getuser(), N_("the login name"))
    except (KeyError, OSError, SettingsError):
        return "operator"


def valid_operator(name: str, source: str = N_("the operator name")) -> str:
    """The name trimmed, if it can be stored and shown as it is on every backend: not empty,
    printable (no control, escape or bidi characters), at most 120 characters."""
    trimmed = name.strip()
    if not trimmed:
        raise SettingsError(_("{source}: the operator name is empty").format(source=_(source)))
    if len(trimmed) > MAX_OPERATOR_LENGTH:
        raise SettingsError(
            _("{source}: the operator name has {count} characters; at most {limit}").format(
                source=_(source), count=len(trimmed), limit=MAX_OPERATOR_LENGTH
            )
        )
    if not trimmed.isprintable():
        bad = next(ch for ch in trimmed if not ch.isprintable())
        raise SettingsError(
            _(
                "{source}: the operator name holds the unprintable character {code}; "
                "use letters, digits, spaces and punctuation"
            ).format(source=_(source), code=f"U+{ord(bad):04X}")
        )
    return trimmed
