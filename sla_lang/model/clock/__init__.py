"""The one clock: business time, holidays and maintenance.

SL402, SL403, SL408, SL409, SL509/SL510, diff, the SLO checks, evaluate and
render all count time here; nothing else keeps a copy. Pure: no I/O, and the `holidays`
package is imported only when a calendar code is resolved.

The week model (rules; no dates, so no holidays and no DST). Positions are
minutes of the week (Monday 00:00 is 0, the week wraps); durations are
seconds, exact ints or Decimals like values.Duration.seconds:

    week = WeekSchedule.of(service.hours)          # a values.Schedule; ALWAYS is 24x7, NEVER empty
    week.intervals, week.mask, week.open_minutes   # [start, end) minutes; bit m = minute m
    week.is_open(m); week.shifted(minutes)         # shift: shift_minutes(own_tz, other_tz, effective)
    week | other, week & other, week.minus(other)  # hours minus the maintenance window
    week.open_between(a, b); week.next_opening(m)  # in minutes
    week.deadline_seconds(m, amount, unit)         # deadline minus start from minute m
    week.deadlines(amount, unit)                   # a Deadlines for all 10,080 start minutes, cached
    week.longest(amount, unit)                     # the duration's length: 4bh on mon-fri 08-18 -> 237600 (66 h)

`unit` is `bh`, `bd` (a whole count) or a wall-clock unit of values.UNIT_SECONDS;
`amount` an int or a Decimal (of any length: nothing converts it to an int or a
Fraction). A schedule with no open time gives None for business units. A
`Deadlines` reads `d[m]` (seconds from minute m to its deadline), `d.longest`
and `d.longest_from` (the first minute that has it), `d.first_later_than(other)`
(SL402: the first minute where a supporter is later, or None) and
`d.earliest(other)` (several counted objectives).

The dated clock (evaluate; real instants, aware datetimes):

    clock = Clock(week, "Europe/Berlin", holiday_dates(["DE-BY"], range(2026, 2028)) | {extra dates})
    clock.is_open(t); clock.next_opening(t); clock.is_business_day(date)
    clock.deadline(t, amount, unit)                # datetime in the clock's zone, or None
    clock.open_seconds(start, end)                 # Decimal seconds of open time in [start, end)

Open time is real elapsed time: DST-change days count what the clock really
runs (a skipped hour nothing, a repeated open hour twice). None means never:
no open time, or not before the year 9999. Bad input (an unknown zone, a naive
datetime, a negative amount, a fractional bd) is ValueError; callers report
it where the agreement says it.

Zones and calendars:

    zone(name) -> ZoneInfo | None
    utc_offset_minutes(name, date)                 # at noon, on the date the schedules are compared
    shift_minutes(source, target, date)            # what SL403 rotates a supporter's hours by
    holiday_dates(codes, years) -> frozenset[date] # ValueError for an invalid code
    valid_calendar_code(code) -> (ok, fix)         # "UK" -> (False, "GB")
    calendar_name(code)                            # "DE-BY" -> "Bayern, Germany"

A service's clock, for rules (duck-typed on the model's service):

    clock_hours(service), clock_week(service)      # business_hours when present, else hours
    closed_dates(service.holidays, years)          # its dates and its codes' public holidays
    term_years(effective, expires, most=MOST_TERM_YEARS)  # the years a term intersects, at most `most`
"""

from .calendars import calendar_name, holiday_dates, valid_calendar_code
from .dated import Clock
from .service import MOST_TERM_YEARS, clock_hours, clock_week, closed_dates, term_years
from .week import ALWAYS, BUSINESS_UNITS, NEVER, Deadlines, WeekSchedule
from .zones import shift_minutes, utc_offset_minutes, zone

__all__ = [
    "ALWAYS",
    "MOST_TERM_YEARS",
    "BUSINESS_UNITS",
    "NEVER",
    "Clock",
    "Deadlines",
    "WeekSchedule",
    "calendar_name",
    "clock_hours",
    "clock_week",
    "closed_dates",
    "holiday_dates",
    "shift_minutes",
    "term_years",
    "utc_offset_minutes",
    "valid_calendar_code",
    "zone",
]
