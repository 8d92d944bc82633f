"""The week model: the open minutes of a week and the deadlines counted on them.

No dates here (so no holidays and no DST): this is what rules compare
(SL402's deadlines minute by minute, the length of a business duration for
SL509/SL510, SL403's coverage). Positions are minutes of the week (Monday
00:00 is 0, the week wraps); durations are seconds, exact (int or Decimal,
as values.Duration.seconds), so a `bh` length compares with any Duration.
"""

from __future__ import annotations

import bisect
import functools
from decimal import Decimal, localcontext
from functools import cached_property

from ...model.schema.kinds import BUSINESS_UNITS as _BUSINESS_UNITS
from ...values import _EXACT, MINUTES_PER_DAY, MINUTES_PER_WEEK, UNIT_SECONDS, Duration, describe_week_minute

Seconds = int | Decimal
BUSINESS_UNITS = tuple(_BUSINESS_UNITS)
SECONDS_PER_WEEK = MINUTES_PER_WEEK * 60
_WEEK_MASK = (1 << MINUTES_PER_WEEK) - 1


def exactly():
    """The decimal context for amounts of any length. They stay Decimal: a number of a
    million digits takes half a minute to become an int or a Fraction, while exact
    Decimal sums and integer divisions are linear. Nothing here divides other than to
    an integer, so no result is rounded."""
    return localcontext(_EXACT)


def tidy(number: Seconds) -> Seconds:
    """An integral Decimal of sensible size as an int (1800 rather than 1800.0)."""
    if isinstance(number, Decimal) and number.adjusted() < 30 and number == number.to_integral_value():
        return int(number)
    return number


def check_amount(amount, unit: str) -> Decimal:
    """`amount` (int or Decimal) as a Decimal, or ValueError for a negative amount,
    a fractional `bd` count or a unit that is not a duration unit."""
    if unit not in UNIT_SECONDS and unit not in BUSINESS_UNITS:
        raise ValueError(f"unknown duration unit {unit!r}")
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError(f"an amount is an int or a Decimal, not {amount!r}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"a duration is a finite number, not {amount}")
    if amount < 0:
        raise ValueError(f"a duration cannot be negative: {Duration(amount, unit)}")
    if unit == "bd" and amount != amount.to_integral_value():
        raise ValueError(f"a bd count is a whole number of business days, not {amount}")
    return amount


def wall_seconds(amount: Decimal, unit: str) -> Seconds:
    """A wall-clock duration in seconds (fixed lengths: mo = 30 days, ...)."""
    return tidy(Duration(amount, unit).seconds)


class Periodic:
    """The open time of intervals repeating every `period` (any unit: seconds,
    microseconds). `open_before(x)` is the open amount in [0, x), extended to
    every x (negative too); the two inverses find where an amount is reached.
    Each answer is a division and a binary search, never a scan."""

    __slots__ = ("period", "starts", "ends", "before", "through", "total")

    def __init__(self, intervals: list[tuple[int, int]], period: int) -> None:
        self.period = period
        self.starts = [start for start, _ in intervals]
        self.ends = [end for _, end in intervals]
        self.before: list[int] = []  # open amount before each interval
        total = 0
        for start, end in intervals:
            self.before.append(total)
            total += end - start
        self.through = self.before[1:] + [total]  # open amount up to each interval's end
        self.total = total

    def open_before(self, x):
        periods, rest = divmod(x, self.period)
        i = bisect.bisect_right(self.starts, rest) - 1
        inside = 0 if i < 0 else self.before[i] + min(rest, self.ends[i]) - self.starts[i]
        return periods * self.total + inside

    def first_reaching(self, amount):
        """The smallest x with open_before(x) >= amount (needs open time)."""
        periods, rest = divmod(amount, self.total)
        if rest == 0:  # reached at the end of the last interval of the period before
            return (periods - 1) * self.period + self.ends[-1]
        i = bisect.bisect_left(self.through, rest)
        return periods * self.period + self.starts[i] + rest - self.before[i]

    def last_at(self, amount):
        """The largest x with open_before(x) <= amount: from a closed x, its next opening."""
        periods, rest = divmod(amount, self.total)
        i = bisect.bisect_right(self.before, rest) - 1
        return periods * self.period + self.starts[i] + rest - self.before[i]


def mask_runs(mask: int) -> list[tuple[int, int]]:
    """The runs of set bits of `mask` as sorted [start, end) intervals."""
    runs = []
    position = 0
    while mask:
        gap = (mask & -mask).bit_length() - 1
        mask >>= gap
        position += gap
        length = (~mask & (mask + 1)).bit_length() - 1
        runs.append((position, position + length))
        mask >>= length
        position += length
    return runs


class Deadlines:
    """Deadline minus start, in seconds, for each start minute m of the week:
    `base + spread[m]`. The common part is kept once, so a hostile amount
    (`1e999999bh`) costs one big number, not 10,080 of them."""

    # A plain class, not a dataclass: importing dataclasses costs the one-file
    # check more than this module's own code.

    def __init__(self, base: Seconds, spread: tuple[Seconds, ...]) -> None:
        self.base = base
        self.spread = spread

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Deadlines) and (self.base, self.spread) == (other.base, other.spread)

    def __hash__(self) -> int:
        return hash((self.base, self.spread))

    def __repr__(self) -> str:
        return f"Deadlines(base={self.base!r}, spread=<{len(self.spread)} minutes>)"

    def __getitem__(self, minute: int) -> Seconds:
        if isinstance(self.base, int):
            return self.base + self.spread[minute]
        with exactly():
            return tidy(self.base + self.spread[minute])

    def __len__(self) -> int:
        return len(self.spread)

    @cached_property
    def longest(self) -> Seconds:
        """The length of the duration: the largest deadline minus start."""
        return self[self.longest_from]

    @cached_property
    def longest_from(self) -> int:
        """The first start minute with the longest deadline (`4bh` on office hours: fri 14:01)."""
        return self.spread.index(max(self.spread))

    def first_later_than(self, other: Deadlines) -> int | None:
        """The first start minute at which this deadline is later than `other`'s, or None."""
        with exactly():
            lead = self.base - other.base
            if lead + max(self.spread) - min(other.spread) <= 0:
                return None
            return next(
                (m for m, (a, b) in enumerate(zip(self.spread, other.spread, strict=True)) if lead + a - b > 0), None
            )

    def earliest(self, other: Deadlines) -> Deadlines:
        """The earlier of the two deadlines at every start minute (several objectives that count)."""
        if self.first_later_than(other) is None:
            return self
        if other.first_later_than(self) is None:
            return other
        with exactly():  # they cross, so the bases are weeks apart at most
            base = min(self.base, other.base)
            mine, theirs = self.base - base, other.base - base
            spread = tuple(tidy(min(mine + a, theirs + b)) for a, b in zip(self.spread, other.spread, strict=True))
        return Deadlines(base, spread)


class WeekSchedule:
    """The open minutes of a week as an int bit-mask (bit m is minute m, Monday
    00:00 is 0). Immutable and hashable; set operations are bit operations.
    Build one with `WeekSchedule.of(schedule)`, `from_intervals` or ALWAYS/NEVER."""

    def __init__(self, mask: int) -> None:
        self.mask = mask

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WeekSchedule) and self.mask == other.mask

    def __hash__(self) -> int:
        return hash(self.mask)

    @classmethod
    def of(cls, schedule) -> WeekSchedule:
        """From a values.Schedule (`hours`): `24x7`, ranges to 24:00, ranges past midnight."""
        return cls.from_intervals(schedule.week_intervals())

    @classmethod
    def from_intervals(cls, intervals) -> WeekSchedule:
        """From [start, end) minute intervals inside 0..10080."""
        mask = 0
        for start, end in intervals:
            mask |= ((1 << (end - start)) - 1) << start
        return cls(mask & _WEEK_MASK)

    def __repr__(self) -> str:
        spans = (f"{describe_week_minute(a)}-{describe_week_minute(b % MINUTES_PER_WEEK)}" for a, b in self.intervals)
        return f"WeekSchedule({', '.join(spans)})"

    # -- the set of minutes ------------------------------------------------------------------

    @cached_property
    def intervals(self) -> tuple[tuple[int, int], ...]:
        """Sorted, merged [start, end) intervals (a run through Sunday midnight is two)."""
        return tuple(mask_runs(self.mask))

    @property
    def open_minutes(self) -> int:
        return self.mask.bit_count()

    def is_open(self, minute: int) -> bool:
        return bool(self.mask >> (minute % MINUTES_PER_WEEK) & 1)

    def shifted(self, minutes: int) -> WeekSchedule:
        """The same minutes `minutes` later (earlier when negative), the week wrapping around."""
        shift = minutes % MINUTES_PER_WEEK
        if not shift:
            return self
        return WeekSchedule(((self.mask << shift) | (self.mask >> (MINUTES_PER_WEEK - shift))) & _WEEK_MASK)

    def __or__(self, other: WeekSchedule) -> WeekSchedule:
        return WeekSchedule(self.mask | other.mask)

    def __and__(self, other: WeekSchedule) -> WeekSchedule:
        return WeekSchedule(self.mask & other.mask)

    def minus(self, other: WeekSchedule) -> WeekSchedule:
        """These minutes outside `other` (hours minus the maintenance window)."""
        return WeekSchedule(self.mask & ~other.mask)

    __sub__ = minus

    def day_open_minutes(self, weekday: int) -> int:
        """Open minutes on a weekday (0 = Monday): the part of the week inside that day."""
        return (self.mask >> (weekday * MINUTES_PER_DAY) & ((1 << MINUTES_PER_DAY) - 1)).bit_count()

    @cached_property
    def business_weekdays(self) -> tuple[int, ...]:
        """The weekdays with open time (a business day is one with open time)."""
        return tuple(day for day in range(7) if self.day_open_minutes(day))

    def open_between(self, start: int, end: int) -> int:
        """Open minutes in [start, end), any minutes (the week repeats)."""
        return self._periodic.open_before(end) - self._periodic.open_before(start)

    def next_opening(self, minute: int) -> int | None:
        """`minute` when open, else the next minute that opens (may be past 10080); None: never open."""
        if not self.mask:
            return None
        return self._periodic.last_at(self._periodic.open_before(minute))

    # -- deadlines ----------------------------------------------------------------------------

    def deadline_seconds(self, start: int, amount, unit: str) -> Seconds | None:
        """Deadline minus start, in seconds, of `amount unit` from the week minute `start`:
        wall-clock units add their length; `bh` counts open time from
        `start` when open, else from its next opening; `bd` goes to the same time of day
        on the N-th business day after the date of that opening. None: never open."""
        deadlines = self.deadlines(amount, unit)
        return None if deadlines is None else deadlines[start % MINUTES_PER_WEEK]

    def deadlines(self, amount, unit: str) -> Deadlines | None:
        """`deadline_seconds` for each of the 10,080 start minutes, in one pass over the
        week; cached per (schedule, amount, unit). None: never open."""
        return _week_deadlines(self, check_amount(amount, unit), unit)

    def longest(self, amount, unit: str) -> Seconds | None:
        """The length of a duration on this clock: the largest deadline
        minus start over the week. `4bh` on mon-fri 08:00-18:00: 237600 (66 hours)."""
        deadlines = self.deadlines(amount, unit)
        return None if deadlines is None else deadlines.longest

    # -- tables, built once per schedule ---------------------------------------------------------

    @cached_property
    def _periodic(self) -> Periodic:
        return Periodic(list(self.intervals), MINUTES_PER_WEEK)

    @cached_property
    def _days_ahead(self) -> tuple[tuple[int, ...], ...]:
        """For each weekday, the days to the 1st, 2nd, ... business day after it, within a week."""
        working = set(self.business_weekdays)
        return tuple(tuple(d for d in range(1, 8) if (day + d) % 7 in working) for day in range(7))

    @cached_property
    def _bits(self) -> str:
        return format(self.mask, f"0{MINUTES_PER_WEEK}b")[::-1]

    @cached_property
    def _open_before_minute(self) -> list[int]:
        counts = [0]
        for bit in self._bits:
            counts.append(counts[-1] + (bit == "1"))
        return counts

    @cached_property
    def _open_minute_list(self) -> list[int]:
        return [m for m, bit in enumerate(self._bits) if bit == "1"]

    @cached_property
    def _next_open_minute(self) -> list[int]:
        """For each minute, the first open minute at or after it (past 10080 when it wraps)."""
        following = self._open_minute_list[0] + MINUTES_PER_WEEK
        table = [0] * MINUTES_PER_WEEK
        for m in range(MINUTES_PER_WEEK - 1, -1, -1):
            if self._bits[m] == "1":
                following = m
            table[m] = following
        return table


ALWAYS = WeekSchedule(_WEEK_MASK)
NEVER = WeekSchedule(0)


@functools.lru_cache(maxsize=256)
def _week_deadlines(schedule: WeekSchedule, amount: Decimal, unit: str) -> Deadlines | None:
    if unit not in BUSINESS_UNITS:
        return Deadlines(wall_seconds(amount, unit), (0,) * MINUTES_PER_WEEK)
    if not schedule.mask:
        return None
    if amount == 0:  # the counting start itself: the next opening
        return Deadlines(0, tuple((opening - m) * 60 for m, opening in enumerate(schedule._next_open_minute)))
    return _bd_deadlines(schedule, amount) if unit == "bd" else _bh_deadlines(schedule, amount)


def _bd_deadlines(schedule: WeekSchedule, count: Decimal) -> Deadlines:
    """From m: its next opening o, then the same time on the count-th business day after
    o's date. Whole weeks of business days go to the base; the days to the rest depend
    only on o's weekday."""
    with exactly():
        weeks, nth = divmod(count - 1, len(schedule.business_weekdays))
        base = tidy(weeks * SECONDS_PER_WEEK)
    days_to = [schedule._days_ahead[day][int(nth)] * MINUTES_PER_DAY for day in range(7)]
    openings = schedule._next_open_minute
    return Deadlines(base, tuple((o - m + days_to[o // MINUTES_PER_DAY % 7]) * 60 for m, o in enumerate(openings)))


def _bh_deadlines(schedule: WeekSchedule, hours: Decimal) -> Deadlines:
    """The deadline from m is where the open time reaches open_before(m) + the amount. Split
    it into weeks of open time + whole open minutes + a part of one minute: the weeks
    and the part are the same for every m (they go to the base), and the rest is a
    lookup of the n-th open minute of the week: O(1) per start minute."""
    total = schedule.open_minutes
    with exactly():
        weeks, rest = divmod(hours * 3600, total * 60)
        whole, part = divmod(rest, 60)
        whole = int(whole)
        if part == 0:  # reached at the end of an open minute, not at the start of the next
            whole, part = whole - 1, 60
        base = tidy(weeks * SECONDS_PER_WEEK + part)
    counts = schedule._open_before_minute
    nth_open = schedule._open_minute_list
    spread = []
    for m in range(MINUTES_PER_WEEK):
        more_weeks, index = divmod(counts[m] + whole, total)
        spread.append((more_weeks * MINUTES_PER_WEEK + nth_open[index] - m) * 60)
    return Deadlines(base, tuple(spread))
