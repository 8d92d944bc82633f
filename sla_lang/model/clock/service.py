"""A service's clock as the rules read it: which schedule its business time
counts on, and the dates its `holidays` close in given years."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .calendars import holiday_dates
from .week import WeekSchedule


def clock_hours(service):
    """The schedule (a values.Schedule) the service's business durations and maintenance
    notice count on: `business_hours` when present, else `hours`; None for neither."""
    return service.business_hours if service.business_hours is not None else service.hours


def clock_week(service) -> WeekSchedule | None:
    """clock_hours(service) as a WeekSchedule, or None."""
    hours = clock_hours(service)
    return None if hours is None else WeekSchedule.of(hours)


# The years of a term that calendars are read for: public holidays repeat, and a
# term to the year 9999 must not ask a calendar package for thousands of years.
MOST_TERM_YEARS = 10


def term_years(effective: datetime.date, expires: datetime.date | None, most: int = MOST_TERM_YEARS) -> range:
    """The calendar years a term intersects: from `effective` to `expires`, or one year
    from `effective` without one; at most `most` years (a term to the year 9999 would
    ask a calendar package for thousands of years)."""
    last = expires.year if expires is not None else effective.year + 1
    return range(effective.year, min(max(last, effective.year), effective.year + most - 1) + 1)


def closed_dates(holidays: Iterable, years: Iterable[int]) -> frozenset[datetime.date]:
    """The dates a `holidays` list (dates and valid calendar codes) closes in `years`."""
    dates = [item for item in holidays if isinstance(item, datetime.date)]
    codes = sorted({item for item in holidays if isinstance(item, str)})
    return frozenset(dates) | (holiday_dates(codes, years) if codes else frozenset())
