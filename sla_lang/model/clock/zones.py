"""Time zones: a zone by name, its UTC offset on a date, and the instants at
which its offset changes (found by probing, as zoneinfo does not list them).

Instants are integer microseconds since 1970-01-01 00:00 UTC, kept inside
years 1-9999 with a few days' margin so that any local time stays a datetime.
"""

from __future__ import annotations

import datetime
import functools

MICROSECONDS_PER_MINUTE = 60_000_000
MICROSECONDS_PER_DAY = 1440 * MICROSECONDS_PER_MINUTE
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_ONE = datetime.timedelta(microseconds=1)
_PROBE_STEP = 7 * 86400  # seconds; zones change offset at most once in a week


def instant_of(moment: datetime.datetime) -> int:
    """An aware datetime as microseconds since the epoch (ValueError for a naive one)."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no UTC offset: give instants with a timezone")
    return (moment - EPOCH) // _ONE


def datetime_of(instant: int, tz) -> datetime.datetime:
    return (EPOCH + datetime.timedelta(microseconds=instant)).astimezone(tz or datetime.timezone.utc)


EARLIEST = instant_of(datetime.datetime(1, 1, 3, tzinfo=datetime.timezone.utc))
LATEST = instant_of(datetime.datetime(9999, 12, 29, tzinfo=datetime.timezone.utc))


@functools.lru_cache(maxsize=1024)
def zone(timezone: str):
    """The ZoneInfo named `timezone`, or None when there is no such zone."""
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


@functools.lru_cache(maxsize=4096)
def utc_offset_minutes(timezone: str | None, day: datetime.date) -> int:
    """The zone's UTC offset at noon on `day`, in whole minutes (0 for None or an
    unknown zone). Schedules of two zones are compared using
    each zone's offset on the supported agreement's effective date."""
    tz = zone(timezone) if timezone else None
    if tz is None:
        return 0
    moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=tz)
    return int(moment.utcoffset().total_seconds() // 60)


def shift_minutes(source: str | None, target: str | None, day: datetime.date | None) -> int:
    """How many minutes later a wall time of `source` reads in `target` on `day`:
    0 when either zone is missing or unknown, they are the same, or there is no day."""
    if not source or not target or source == target or day is None or not zone(source) or not zone(target):
        return 0
    return utc_offset_minutes(target, day) - utc_offset_minutes(source, day)


def offset_at(tz, instant: int) -> int:
    """The zone's UTC offset at an instant, in microseconds."""
    if tz is None:
        return 0
    return datetime_of(instant, tz).utcoffset() // _ONE


@functools.lru_cache(maxsize=4096)
def year_start(year: int) -> int:
    return instant_of(datetime.datetime(year, 1, 1, tzinfo=datetime.timezone.utc))


def year_of(instant: int) -> int:
    return datetime_of(instant, None).year


@functools.lru_cache(maxsize=65536)
def transitions(tz, year: int) -> tuple[tuple[int, int], ...]:
    """The (instant, offset after it) at which `tz` changes its offset during the UTC
    `year` (in microseconds), found by probing weekly and bisecting to the second."""
    first = max(year_start(year), EARLIEST) // 1_000_000
    last = (min(year_start(year + 1), LATEST) if year < 9999 else LATEST) // 1_000_000
    if first >= last:
        return ()

    def offset(second: int) -> int:
        return offset_at(tz, second * 1_000_000)

    found = []
    probe, before = first, offset(first)
    while probe < last:
        following = min(probe + _PROBE_STEP, last)
        after = offset(following)
        if after != before:
            low, high = probe, following  # the offset changes in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high * 1_000_000, offset(high)))
        probe, before = following, after
    return tuple(found)
