"""The language opsplanner writes in: English as written in the code, or Simplified Chinese
from the catalogue in `opsplanner/locale/` (a GNU gettext `.mo`, compiled from the `.po`
beside it with Babel; see "Translations" in the README).

One language per process, chosen once at start-up (`use`): `--lang`, else the schedule's
`language:`, else the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). Texts are looked up
when they are shown, so a text written at import time (a key's description, a preset) is
marked with `N_` and translated where it is drawn. Only the standard library is imported:
the read-only commands' start-up stays as it was.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from datetime import date
from pathlib import Path


def N_(message: str) -> str:
    """Marks a text for translation where it is written; `_` translates it where shown."""
    return message


DOMAIN = "opsplanner"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
"""The languages opsplanner speaks (English is the code's own)."""

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale names its language, in gettext's order."""

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
"""Short weekday names, translated through the catalogue (周一 … 周日)."""

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


class UnknownLanguage(ValueError):
    """A language opsplanner has no catalogue for."""


def supported(name: str) -> str | None:
    """The catalogue for a language name as people write it (zh, zh_CN, zh-CN.UTF-8,
    en_US), or None."""
    base = name.split(".")[0].split("@")[0].replace("-", "_")
    if base.lower().startswith("zh"):
        return CHINESE  # the schedules and the catalogue are Simplified Chinese
    if base.lower() in ("en", "c", "posix") or base.lower().startswith("en_"):
        return ENGLISH
    return None


def resolve(flag: str | None, schedule_language: str | None, environ: Mapping[str, str]) -> str:
    """`--lang`, else the schedule's own `language:`, else the locale, else English. A flag
    naming a language without a catalogue is an error; an unknown locale is not."""
    if flag:
        chosen = supported(flag)
        if chosen is None:
            raise UnknownLanguage(
                _("no translation for {language!r}; known: {known}").format(
                    language=flag, known=", ".join(LANGUAGES)
                )
            )
        return chosen
    if schedule_language:
        chosen = supported(schedule_language)
        if chosen is not None:
            return chosen
    for variable in LOCALE_VARIABLES:
        for name in environ.get(variable, "").split(":"):
            chosen = supported(name) if name else None
            if chosen is not None:
                return chosen
    return ENGLISH


def catalogue(language: str) -> gettext.NullTranslations:
    """The texts of `language` (one of LANGUAGES), without making it the process's: for what
    is written in another language than the one spoken (the demo's notes, in the schedule's)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as compiled:
        return gettext.GNUTranslations(compiled)


def use(language: str) -> None:
    """Speak `language` from now on (one of LANGUAGES)."""
    global _translations, _language
    _translations = catalogue(language)
    _language = language


def language() -> str:
    return _language


def _(message: str) -> str:
    """`message` in the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return _translations.ngettext(singular, plural, count)


def weekday(day: date) -> str:
    """ "Sat" / "周六"."""
    return _(WEEKDAYS[day.weekday()])


def short_day(day: date) -> str:
    """ "Sat 11-28" / "周六 11-28": a day within the weeks around today."""
    return f"{weekday(day)} {day:%m-%d}"


def long_day(day: date) -> str:
    """ "Sat 2026-11-28" / "周六 2026-11-28"."""
    return f"{weekday(day)} {day.isoformat()}"
