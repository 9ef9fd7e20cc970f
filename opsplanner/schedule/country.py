"""A country's business calendar from the `holidays` library (vacanza/holidays).

Chosen over `chinesecalendar` because it is kept up to date every month for many countries,
has China's official 调休 working days (`weekend_workdays`) from each State Council notice,
and still answers the statutory holidays of a year whose notice has not been published
(`chinesecalendar` refuses such a year outright). Imported only when a schedule declares
`calendar: {country: …}`: the import costs about 50 ms and a country's first year about 50
ms more, so the loader asks once for a span of years and the compiled-schedule cache keeps
the answers; a date outside that span asks here again (cached per process).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

KEPT_YEARS = (2020, 2045)
"""The years the loader asks for and the schedule keeps (about 800 dates, 7 kB pickled)."""


class UnknownCountry(ValueError):
    """The library has no calendar for this code."""


def supported(code: str) -> bool:
    """Whether the library knows the country (an ISO 3166-1 alpha-2 code such as CN)."""
    import holidays

    return code in holidays.list_supported_countries()


@lru_cache(maxsize=64)
def country_days(code: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays and days off in lieu, weekend days worked in lieu) of one year."""
    return span_days(code, year, year)


def span_days(code: str, first: int, last: int) -> tuple[frozenset[date], frozenset[date]]:
    """`country_days` for the years first..last at once (one call into the library)."""
    import holidays

    try:
        days = holidays.country_holidays(code, years=range(first, last + 1))
    except NotImplementedError as error:
        raise UnknownCountry(code) from error
    worked = frozenset(d for d in days.weekend_workdays if first <= d.year <= last)
    return frozenset(days.keys()), worked


def data_file(code: str) -> Path | None:
    """The library's source file with the country's dates: when an upgrade changes it (a new
    year's notice), a cached schedule built from the old answers is no longer used."""
    import sys

    import holidays

    days = holidays.country_holidays(code, years=())
    module = sys.modules.get(type(days).__module__)
    found = getattr(module, "__file__", None)
    return Path(found) if found else None
