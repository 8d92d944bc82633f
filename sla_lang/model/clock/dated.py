"""The dated clock: a service's open time between real instants, in its
timezone, closed on its holidays.

Open time is real elapsed time: an instant is open when the local wall time
it shows falls in the schedule and its local date is not closed. So a local
range on a DST-change day lasts the real time between its ends, a skipped
local hour contributes nothing and a repeated one counts twice if open.
Between two offset changes the wall time runs with the real time, so each
such piece is the week model plus whole closed days: a division and two
binary searches, never a walk over minutes or days.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections.abc import Iterable
from decimal import Decimal

from ...values import MINUTES_PER_WEEK, Schedule
from .week import Periodic, WeekSchedule, check_amount, exactly, wall_seconds
from .zones import (
    EARLIEST,
    LATEST,
    MICROSECONDS_PER_DAY,
    MICROSECONDS_PER_MINUTE,
    datetime_of,
    instant_of,
    offset_at,
    transitions,
    year_of,
    year_start,
    zone,
)

DAY = MICROSECONDS_PER_DAY
WEEK = 7 * DAY
# Wall times count from Monday 1969-12-29 00:00, so that day % 7 is the weekday.
MONDAY = datetime.date(1969, 12, 29)
_SHIFT = 3 * DAY  # 1970-01-01 00:00 is Thursday
# 400 Gregorian years are whole weeks with the same leap days, and past the zone
# data's last listed change (2037, 2087 for Morocco) the same DST rule: from
# there on, with no holiday left, every 400 years hold the same open time.
CYCLE = 146_097 * DAY
_STEADY_FROM = year_start(2100)


class Clock:
    """A service's clock: `Clock(schedule, timezone=None, closed_dates=())`.

    `schedule` is a WeekSchedule or a values.Schedule (subtract a maintenance
    window first: `WeekSchedule.of(hours).minus(WeekSchedule.of(window))`);
    `timezone` an IANA name (None: UTC); `closed_dates` the holidays, each
    closing its whole local date. Instants are aware datetimes; answers are
    datetimes in the clock's zone. None means never (no open time, or past
    the year 9999).
    """

    def __init__(
        self, schedule: WeekSchedule | Schedule, timezone: str | None = None, closed_dates: Iterable[datetime.date] = ()
    ):
        self.schedule = WeekSchedule.of(schedule) if isinstance(schedule, Schedule) else schedule
        self.timezone = timezone
        self._tz = None
        if timezone is not None:
            self._tz = zone(timezone)
            if self._tz is None:
                raise ValueError(f"unknown time zone {timezone!r}")
        self.closed_dates = frozenset(closed_dates)
        scale = MICROSECONDS_PER_MINUTE
        self._open = Periodic([(start * scale, end * scale) for start, end in self.schedule.intervals], WEEK)
        self._day_open = [self.schedule.day_open_minutes(day) * scale for day in range(7)]
        self._closed = sorted(day.toordinal() - MONDAY.toordinal() for day in self.closed_dates)
        self._closed_days = set(self._closed)
        self._closed_prefix = [0]  # open time of the first j closed days
        for day in self._closed:
            self._closed_prefix.append(self._closed_prefix[-1] + self._day_open[day % 7])
        self._closed_working = [day for day in self._closed if self._day_open[day % 7]]
        working = self.schedule.business_weekdays
        self._working_before = [sum(1 for day in working if day < k) for k in range(8)]
        self._steady = _STEADY_FROM
        if self._closed:  # a few days' margin for the widest UTC offsets
            self._steady = max(_STEADY_FROM, (self._closed[-1] + 3) * DAY - _SHIFT)
        self._cycle_open: int | None = None
        self._last_span = (0, 0, 0)

    # -- public ---------------------------------------------------------------------------

    def is_open(self, moment: datetime.datetime) -> bool:
        instant = self._checked(moment)
        wall = instant + offset_at(self._tz, instant) + _SHIFT
        day = wall // DAY
        return self.schedule.is_open(wall // MICROSECONDS_PER_MINUTE % MINUTES_PER_WEEK) and (
            day not in self._closed_days
        )

    def is_business_day(self, day: datetime.date) -> bool:
        """Whether the schedule has open time on that weekday and the day is not closed."""
        return day.weekday() in self.schedule.business_weekdays and day not in self.closed_dates

    def next_opening(self, moment: datetime.datetime) -> datetime.datetime | None:
        """`moment` when open, else the first open instant after it."""
        return self._as_datetime(self._next_opening(self._checked(moment)))

    def deadline(self, moment: datetime.datetime, amount, unit: str) -> datetime.datetime | None:
        """The deadline of `amount unit` from `moment`: `bh` is
        reached when that much open time has passed, counted from `moment` or its
        next opening; `bd` is the same local time of day as that opening on the
        N-th business day after its date (a time the clock skips that day: the
        moment it jumps; a repeated time: its first occurrence); other units are
        wall-clock lengths. Rounded up to the microsecond."""
        amount = check_amount(amount, unit)
        instant = self._checked(moment)
        if unit == "bd":
            return self._as_datetime(self._business_days_later(instant, amount))
        with exactly():
            length = (amount * 3600 if unit == "bh" else wall_seconds(amount, unit)) * 1_000_000
        if length > LATEST - instant:  # open time never outruns real time
            return None
        length = math.ceil(length)  # see _reached: whole microseconds give the same deadline
        if unit != "bh":
            return self._as_datetime(instant + length)
        if amount == 0:
            return self._as_datetime(self._next_opening(instant))
        return self._as_datetime(self._reached(instant, length))

    def open_seconds(self, start: datetime.datetime, end: datetime.datetime) -> Decimal:
        """The open time in [start, end), in seconds (exact to the microsecond)."""
        first, last = self._checked(start), self._checked(end)
        if last < first:
            raise ValueError(f"the range ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        return Decimal(self._open_between(first, last)).scaleb(-6)

    # -- open time on wall coordinates ------------------------------------------------------
    # A wall coordinate is the local time in microseconds from MONDAY. On it the open time
    # is the week's less the closed days: _open_before, with its two inverses.

    def _open_before(self, wall) -> int:
        day = wall // DAY
        j = bisect.bisect_left(self._closed, day)
        if j < len(self._closed) and self._closed[j] == day:
            wall = day * DAY  # nothing of a closed day counts
        return self._open.open_before(wall) - self._closed_prefix[j]

    def _open_before_closed(self, j: int) -> int:
        return self._open.open_before(self._closed[j] * DAY) - self._closed_prefix[j]

    def _first_reaching(self, amount):
        """The smallest wall coordinate by which `amount` of open time has passed: between
        two closed days (found by bisection) it is the week model's answer."""
        j = bisect.bisect_left(range(len(self._closed)), amount, key=self._open_before_closed)
        return self._open.first_reaching(amount + self._closed_prefix[j])

    def _last_at(self, amount):
        j = bisect.bisect_right(range(len(self._closed)), amount, key=self._open_before_closed)
        return self._open.last_at(amount + self._closed_prefix[j])

    # -- walking real time ------------------------------------------------------------------

    def _pieces(self, start: int, end: int):
        """[a, b) pieces of real time with one UTC offset each, and that offset."""
        if self._tz is None:
            if start < end:
                yield start, end, 0
            return
        while start < end:
            year = year_of(start)
            year_end = min(end, year_start(year + 1)) if year < 9999 else end
            offset = offset_at(self._tz, start)
            for instant, after in transitions(self._tz, year):
                if instant <= start:
                    continue
                if instant >= year_end:
                    break
                yield start, instant, offset
                start, offset = instant, after
            yield start, year_end, offset
            start = year_end

    def _walk_open(self, start: int, end: int) -> int:
        """Open microseconds in [start, end), piece by piece."""
        low, high, offset = self._span_at(start)
        if end <= high:  # one offset throughout: most short ranges, such as outages
            return self._open_before(end + offset + _SHIFT) - self._open_before(start + offset + _SHIFT)
        total = 0
        for a, b, offset in self._pieces(start, end):
            total += self._open_before(b + offset + _SHIFT) - self._open_before(a + offset + _SHIFT)
        return total

    def _span_at(self, instant: int) -> tuple[int, int, int]:
        """The piece of `_pieces` that holds `instant`, whole: (start, end, offset); the
        last one is kept, as ranges in one run tend to follow each other."""
        span = self._last_span
        if span[0] <= instant < span[1]:
            return span
        if self._tz is None:
            span = (EARLIEST, LATEST + 1, 0)
        else:
            year = year_of(instant)
            low, high = year_start(year), year_start(year + 1) if year < 9999 else LATEST + 1
            offset = offset_at(self._tz, low)
            for change, after in transitions(self._tz, year):
                if change > instant:
                    high = change
                    break
                low, offset = change, after
            span = (low, high, offset)
        self._last_span = span
        return span

    def _cycle(self) -> int | None:
        """The open time of 400 years from the steady point (None: they pass the year 9999)."""
        if self._cycle_open is None and self._steady + CYCLE <= LATEST:
            self._cycle_open = self._walk_open(self._steady, self._steady + CYCLE)
        return self._cycle_open

    def _open_between(self, start: int, end: int) -> int:
        total = 0
        if start < self._steady < end and self._cycle() is not None:
            total, start = self._walk_open(start, self._steady), self._steady
        if start >= self._steady and end - start >= CYCLE and self._cycle() is not None:
            cycles = (end - start) // CYCLE
            total, start = total + cycles * self._cycle(), start + cycles * CYCLE
        return total + self._walk_open(start, end)

    def _reached(self, start: int, amount: int) -> int | None:
        """The first instant by which `amount` microseconds of open time have passed since
        `start`. Open time changes only at whole microseconds, so an amount rounded up to
        one gives the exact deadline rounded up to one."""
        if not self.schedule.mask:
            return None
        if start < self._steady:
            found, amount = self._consume(start, min(self._steady, LATEST), amount)
            if found is not None or self._steady >= LATEST:
                return found
            start = self._steady
        cycle = self._cycle()
        if cycle and amount > cycle:
            cycles = -(-amount // cycle) - 1
            start, amount = start + cycles * CYCLE, amount - cycles * cycle
        return self._consume(start, LATEST, amount)[0] if start < LATEST else None

    def _consume(self, start: int, end: int, amount: int) -> tuple[int | None, int]:
        """Walk from `start` until `amount` of open time has passed: (that instant, 0), or
        (None, what is left) at `end`."""
        for a, b, offset in self._pieces(start, end):
            here, there = self._open_before(a + offset + _SHIFT), self._open_before(b + offset + _SHIFT)
            if there - here >= amount:
                return self._first_reaching(here + amount) - offset - _SHIFT, 0
            amount -= there - here
        return None, amount

    def _next_opening(self, start: int) -> int | None:
        """`start` when open, else the first open instant after it: within one offset, the
        last wall point with as much open time before it as `start` has."""
        if not self.schedule.mask:
            return None
        for a, b, offset in self._pieces(start, LATEST):
            wall = self._last_at(self._open_before(a + offset + _SHIFT))
            if wall < b + offset + _SHIFT:
                return wall - offset - _SHIFT
        return None

    # -- business days ----------------------------------------------------------------------

    def _business_days_later(self, start: int, count: Decimal) -> int | None:
        opening = self._next_opening(start)
        if opening is None or count == 0:
            return opening
        day, time_of_day = divmod(opening + offset_at(self._tz, opening) + _SHIFT, DAY)
        last_day = (LATEST + _SHIFT) // DAY - 1
        if count > self._business_days_between(day, last_day):
            return None
        count = int(count)
        later = self._business_days_between
        found = bisect.bisect_left(range(day, last_day + 1), count, key=lambda d: later(day, d))
        return self._instant_of_wall((day + found) * DAY + time_of_day)

    def _business_days_between(self, first: int, last: int) -> int:
        """Business days in (first, last], days counted from MONDAY."""
        per_week = len(self.schedule.business_weekdays)

        def working_before(day: int) -> int:
            return day // 7 * per_week + self._working_before[day % 7]

        closed = bisect.bisect_right(self._closed_working, last) - bisect.bisect_right(self._closed_working, first)
        return working_before(last + 1) - working_before(first + 1) - closed

    def _instant_of_wall(self, wall: int) -> int | None:
        """The first instant whose local time is `wall` or, when the clock skips it, later."""
        if self._tz is None:
            instant = wall - _SHIFT
        else:
            naive = datetime.datetime(MONDAY.year, MONDAY.month, MONDAY.day) + datetime.timedelta(microseconds=wall)
            instant = instant_of(naive.replace(tzinfo=self._tz))  # fold 0: the first of a repeated time
            if instant + offset_at(self._tz, instant) + _SHIFT != wall:  # skipped: the moment of the jump
                year = year_of(instant)
                changes = transitions(self._tz, year - 1) + transitions(self._tz, year)
                instant = max((change for change, _ in changes if change <= instant), default=instant)
        return instant if instant <= LATEST else None

    # -- instants -----------------------------------------------------------------------------

    def _checked(self, moment: datetime.datetime) -> int:
        instant = instant_of(moment)
        if not EARLIEST <= instant <= LATEST:
            raise ValueError(f"{moment.isoformat()} is outside the years 1 to 9999")
        return instant

    def _as_datetime(self, instant: int | None) -> datetime.datetime | None:
        if instant is None or instant > LATEST:
            return None
        return datetime_of(instant, self._tz)
