"""Typed values of the agreement language: exact percents and durations,
schedules, comparisons, conditions and references.

Numbers are `Decimal` (99.9% of 1000min leaves exactly 60 s) and
dates are `datetime.date`. Percent and Duration compare only with their own
kind, so a rule cannot mistake 30 minutes for 30%.
"""

from __future__ import annotations

import datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from .model.schema.kinds import BUSINESS_UNITS, DAY_NAMES, DURATION_UNITS
from .slotted import Plain
from .source import Span

# Calendar units are kept as written; for arithmetic the language fixes
# mo = 30 days, q = 91 days, y = 365 days (model/schema/kinds.py lists them).
UNIT_SECONDS: dict[str, Decimal] = {unit: Decimal(seconds) for unit, (seconds, _, _) in DURATION_UNITS.items()}
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

# A file may hold a number of any length (a hostile one, a million digits).
# The default decimal context rounds to 28 digits and overflows past 10**999999,
# which made `seconds` and the formatting below raise; these contexts do not:
# multiplication is exact, division keeps 28 digits with an unbounded exponent.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_WIDE = Context(Emax=MAX_EMAX, Emin=MIN_EMIN)


def format_decimal(number: Decimal, decimals: int | None = None) -> str:
    """`99.950` -> `99.95`, `1E+2` -> `100`: the way a person writes it, every
    digit kept (exact at any length: no decimal context is involved), or cut
    toward zero after `decimals` places. Messages take it from format_value."""
    text = format(number, "f")
    if "." in text:
        whole, _, fraction = text.partition(".")
        fraction = fraction[:decimals].rstrip("0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text


class Percent(Plain):
    __slots__ = ("value",)

    def __init__(self, value: Decimal) -> None:
        self.value = value

    def __lt__(self, other: Percent) -> bool:
        return self.value < other.value

    def __le__(self, other: Percent) -> bool:
        return self.value <= other.value

    def __gt__(self, other: Percent) -> bool:
        return self.value > other.value

    def __ge__(self, other: Percent) -> bool:
        return self.value >= other.value

    def __str__(self) -> str:
        return format_value(self)

    @property
    def fraction(self) -> Decimal:
        return self.value / 100


class Duration(Plain):
    """A length of time as written. `bh` and `bd` (business hours and days) are
    counted on a service's clock (model/clock/), so they have no fixed length:
    they compare only with the same unit, by their numbers."""

    __slots__ = ("amount", "unit")

    def __init__(self, amount: Decimal, unit: str) -> None:
        self.amount = amount
        self.unit = unit

    @property
    def business(self) -> bool:
        return self.unit in BUSINESS_UNITS

    @property
    def seconds(self) -> Decimal:
        if self.unit in BUSINESS_UNITS:
            raise ValueError(f"{self} is counted on a service's clock: it has no fixed length in seconds")
        return _EXACT.multiply(self.amount, UNIT_SECONDS[self.unit])

    def __str__(self) -> str:
        return f"{format_decimal(self.amount)}{self.unit}"

    def _lengths(self, other: object) -> tuple[Decimal, Decimal] | None:
        """Two numbers to compare: seconds, or counts of one business unit; None when
        they do not compare (4bh with 4h: only a service's clock can say)."""
        if not isinstance(other, Duration):
            return None
        if self.unit in BUSINESS_UNITS or other.unit in BUSINESS_UNITS:
            return (self.amount, other.amount) if self.unit == other.unit else None
        return self.seconds, other.seconds

    # Equal lengths are equal durations: 1h == 60min.
    def __eq__(self, other: object) -> bool:
        lengths = self._lengths(other)
        return lengths is not None and lengths[0] == lengths[1]

    def __hash__(self) -> int:
        return hash((self.amount, self.unit)) if self.unit in BUSINESS_UNITS else hash(self.seconds)

    def __lt__(self, other: Duration) -> bool:
        lengths = self._lengths(other)
        return lengths is not None and lengths[0] < lengths[1]

    def __le__(self, other: Duration) -> bool:
        lengths = self._lengths(other)
        return lengths is not None and lengths[0] <= lengths[1]

    def __gt__(self, other: Duration) -> bool:
        lengths = self._lengths(other)
        return lengths is not None and lengths[0] > lengths[1]

    def __ge__(self, other: Duration) -> bool:
        lengths = self._lengths(other)
        return lengths is not None and lengths[0] >= lengths[1]


def describe_seconds(seconds: Decimal) -> str:
    """A length of time for a message: `4.32 minutes`, `25.92 seconds`."""
    for size, name in ((Decimal(86400), "days"), (Decimal(3600), "hours"), (Decimal(60), "minutes")):
        if seconds.copy_abs() >= size:  # abs() would round in the default context, and overflow
            return f"{format_decimal(_rounded(_WIDE.divide(seconds, size), 2))} {name}"
    return f"{format_decimal(_rounded(seconds, 3))} seconds"


def _rounded(number: Decimal, places: int) -> Decimal:
    """`number` to `places` decimals; as it is when it has too many digits to
    round in 28 (a 10**40-second window has no hundredths worth showing)."""
    try:
        return round(number, places)
    except ArithmeticError:
        return number


class DayWindow(Plain):
    """`mon-fri 08:00-18:00`: days as indexes 0 (mon) to 6 (sun), times in minutes.

    An end before the start wraps past midnight into the next day.
    """

    __slots__ = ("first_day", "last_day", "start", "end")

    def __init__(self, first_day: int, last_day: int, start: int, end: int) -> None:
        self.first_day = first_day
        self.last_day = last_day
        self.start = start
        self.end = end

    @property
    def days(self) -> list[int]:
        if self.first_day <= self.last_day:
            return list(range(self.first_day, self.last_day + 1))
        return list(range(self.first_day, 7)) + list(range(0, self.last_day + 1))

    def __str__(self) -> str:
        days = DAY_NAMES[self.first_day]
        if self.last_day != self.first_day:
            days += "-" + DAY_NAMES[self.last_day]
        return f"{days} {_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Schedule(Plain):
    """Service hours: `24x7` (always) or a list of day windows."""

    __slots__ = ("always", "windows")

    def __init__(self, always: bool, windows: tuple[DayWindow, ...] = ()) -> None:
        self.always = always
        self.windows = windows

    def __str__(self) -> str:
        return "24x7" if self.always else ", ".join(str(w) for w in self.windows)

    def week_intervals(self, shift_minutes: int = 0) -> list[tuple[int, int]]:
        """The covered minutes of a week as sorted, merged [start, end) intervals.

        `shift_minutes` moves the schedule (for comparing timezones); the week
        wraps around, so a window running past Sunday midnight continues on Monday.
        """
        if self.always:
            return [(0, MINUTES_PER_WEEK)]
        raw: list[tuple[int, int]] = []
        for window in self.windows:
            length = (window.end - window.start) % MINUTES_PER_DAY or MINUTES_PER_DAY
            for day in window.days:
                start = (day * MINUTES_PER_DAY + window.start + shift_minutes) % MINUTES_PER_WEEK
                end = start + length
                if end <= MINUTES_PER_WEEK:
                    raw.append((start, end))
                else:
                    raw.append((start, MINUTES_PER_WEEK))
                    raw.append((0, end - MINUTES_PER_WEEK))
        raw.sort()
        merged: list[tuple[int, int]] = []
        for start, end in raw:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


def uncovered(needed: list[tuple[int, int]], offered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `needed` that `offered` does not cover (both merged and sorted)."""
    gaps: list[tuple[int, int]] = []
    for start, end in needed:
        cursor = start
        for o_start, o_end in offered:
            if o_end <= cursor or o_start >= end:
                continue
            if o_start > cursor:
                gaps.append((cursor, o_start))
            cursor = max(cursor, o_end)
            if cursor >= end:
                break
        if cursor < end:
            gaps.append((cursor, end))
    return gaps


def describe_week_minute(minute: int) -> str:
    return f"{DAY_NAMES[minute // MINUTES_PER_DAY]} {_clock(minute % MINUTES_PER_DAY)}"


Quantity = Decimal | Percent | Duration


class Comparison(Plain):
    """An objective's target: `>= 99.95%`."""

    __slots__ = ("op", "value")

    def __init__(self, op: str, value: Quantity) -> None:
        self.op = op
        self.value = value

    def __str__(self) -> str:
        return f"{self.op} {self.value}"


class PerUnit(Plain):
    """A credit amount given per unit of shortfall: `2% per 1h`, `1% per started 0.1%`."""

    __slots__ = ("amount", "unit", "started")

    def __init__(self, amount: Quantity, unit: Quantity, started: bool) -> None:
        self.amount = amount
        self.unit = unit
        self.started = started

    def __str__(self) -> str:
        return f"{self.amount} per {'started ' if self.started else ''}{self.unit}"


class Reference(Plain):
    """A dotted name as written, e.g. `payments_gold.payments_api`, with its position."""

    __slots__ = ("parts", "span")

    def __init__(self, parts: tuple[str, ...], span: Span) -> None:
        self.parts = parts
        self.span = span

    def __str__(self) -> str:
        return ".".join(self.parts)


class Condition(Plain):
    """A credit's `when`: `payments_api.availability < 99.95%`."""

    __slots__ = ("subject", "op", "value")

    def __init__(self, subject: Reference, op: str, value: Quantity) -> None:
        self.subject = subject
        self.op = op
        self.value = value

    def __str__(self) -> str:
        return f"{self.subject} {self.op} {self.value}"


def format_value(value, decimals: int | None = None) -> str:
    """A value as a message shows it: `99.95%`, `30min`, `2026-01-01`, `yes`, a node
    by its id (or, for one without an id, by what it is about). `decimals` cuts a
    number or a percent toward zero after that many places: a computed
    `99.96000599960001%` reads `99.96%`, and cutting keeps "at most" true."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_decimal(value, decimals)
    if isinstance(value, Percent):
        return f"{format_decimal(value.value, decimals)}%"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(format_value(item) for item in value)
    shown = getattr(value, "shown_as", None)  # signatures, credits, the workspace
    if isinstance(shown, str):
        return shown
    ident = getattr(value, "id", None)
    if isinstance(ident, str):
        return ident
    return str(value)
