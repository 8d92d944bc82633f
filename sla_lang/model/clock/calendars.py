"""Public-holiday calendars: ISO 3166 codes resolved with the
`holidays` package, which is imported only when a code is looked at."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable

_ISO_CODE = re.compile(r"([A-Z]{2})(?:-([A-Z0-9]{1,3}))?")


@functools.lru_cache(maxsize=1)
def _supported() -> dict[str, list[str]]:
    """ISO 3166-1 alpha-2 code -> its subdivision codes, without the package's aliases."""
    import holidays

    return holidays.list_supported_countries(include_aliases=False)


def valid_calendar_code(code: str) -> tuple[bool, str | None]:
    """(True, None) for an uppercase ISO 3166-1 (`"DE"`) or 3166-2 (`"DE-BY"`) code the
    `holidays` package supports; else (False, the code to write instead or None).
    `"UK"` -> (False, "GB"), `"de-by"` -> (False, "DE-BY"), `"DE-Bayern"` -> (False, "DE-BY")."""
    supported = _supported()
    match = _ISO_CODE.fullmatch(code)
    if match and match[1] in supported and (match[2] is None or match[2] in supported[match[1]]):
        return True, None
    return False, _iso_code_for(code, supported)


def _iso_code_for(code: str, supported: dict[str, list[str]]) -> str | None:
    import holidays

    country, _, subdivision = code.strip().partition("-")
    try:  # the package knows its aliases: UK, DEU, ...
        calendar = holidays.country_holidays(country.upper(), years=[])
    except (NotImplementedError, KeyError, ValueError):
        return None
    country = calendar.country
    if country not in supported:
        return None
    if not subdivision:
        return country
    codes = {name.upper(): name for name in supported[country] if _ISO_CODE.fullmatch(f"{country}-{name}")}
    aliases = {alias.upper(): name for alias, name in getattr(calendar, "subdivisions_aliases", {}).items()}
    found = codes.get(subdivision.upper()) or aliases.get(subdivision.upper())
    return f"{country}-{found}" if found in codes.values() else None


def holiday_dates(codes: Iterable[str], years: Iterable[int]) -> frozenset[datetime.date]:
    """The closed dates of calendar codes in the given years: the package's default
    category (public holidays), observed days included. ValueError names an invalid
    code and, when there is one, the ISO code to use."""
    years = tuple(sorted(set(years)))
    dates: set[datetime.date] = set()
    for code in codes:
        ok, fix = valid_calendar_code(code)
        if not ok:
            hint = f"; write {fix!r}" if fix else ""
            raise ValueError(f"{code!r} is not an ISO 3166 holiday calendar the holidays package knows{hint}")
        dates |= _dates_of(code, years)
    return frozenset(dates)


@functools.lru_cache(maxsize=256)
def _dates_of(code: str, years: tuple[int, ...]) -> frozenset[datetime.date]:
    import holidays

    country, _, subdivision = code.partition("-")
    return frozenset(holidays.country_holidays(country, subdiv=subdivision or None, years=years))


@functools.lru_cache(maxsize=256)
def calendar_name(code: str) -> str:
    """A calendar code as a reader knows it: `Bayern, Germany` for `DE-BY`,
    `Germany` for `DE`; the code itself when the package has no name for it."""
    import holidays

    country, _, subdivision = code.partition("-")
    names = {entry[1]: entry[0] for entry in holidays.registry.COUNTRIES.values()}  # (ClassName, alpha-2, ...)
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", names.get(country, country))
    if not subdivision:
        return name
    try:
        calendar = holidays.country_holidays(country, years=[])
    except (NotImplementedError, KeyError, ValueError):
        return code
    aliases = {short: alias for alias, short in getattr(calendar, "subdivisions_aliases", {}).items()}
    return f"{aliases[subdivision]}, {name}" if subdivision in aliases else f"{subdivision}, {name}"
