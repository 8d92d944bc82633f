"""The one clock (sla_lang.model.clock): business time, holidays, maintenance.

Tables with the worked numbers in comments, the SPEC's examples exactly, a
minute-by-minute reference for random schedules (week model) and for real
instants around DST changes (dated clock), and the hostile sizes within 5 s.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_lang.model.clock import (
    ALWAYS,
    NEVER,
    Clock,
    Deadlines,
    WeekSchedule,
    holiday_dates,
    shift_minutes,
    utc_offset_minutes,
    valid_calendar_code,
)
from sla_lang.values import DAY_NAMES, MINUTES_PER_WEEK, DayWindow, Duration, Schedule, describe_week_minute

SECONDS = 5.0
BERLIN = ZoneInfo("Europe/Berlin")
UTC = datetime.timezone.utc
_RANGE = re.compile(r"(\w+)(?:-(\w+))? (\d\d):(\d\d)-(\d\d):(\d\d)")


def hours(text: str) -> Schedule:
    """`mon-fri 08:00-18:00, wed 20:00-02:00` or `24x7`, as the parser builds it."""
    if text == "24x7":
        return Schedule(True)
    windows = []
    for part in text.split(", "):
        first, last, h1, m1, h2, m2 = _RANGE.fullmatch(part).groups()
        day = DAY_NAMES.index
        windows.append(DayWindow(day(first), day(last or first), int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)))
    return Schedule(False, tuple(windows))


def week(text: str) -> WeekSchedule:
    return WeekSchedule.of(hours(text))


def minute(text: str) -> int:
    """`fri 14:01` -> its minute of the week; `+1w` after it adds weeks."""
    day, clock, *later = text.split()
    h, m = clock.split(":")
    weeks = int(later[0][1:-1]) if later else 0
    return weeks * MINUTES_PER_WEEK + DAY_NAMES.index(day) * 1440 + int(h) * 60 + int(m)


def at(text: str, tz=BERLIN) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=tz)


OFFICE = "mon-fri 08:00-18:00"


# -- the week model ---------------------------------------------------------------------------

WEEK_DEADLINES = [
    # schedule, start, amount, unit, deadline
    # SPEC §6.1: 3h59 on Friday to 18:00, 1 minute on Monday: 66 hours later.
    (OFFICE, "fri 14:01", 4, "bh", "mon 08:01 +1w"),
    (OFFICE, "fri 14:00", 4, "bh", "fri 18:00"),  # reached at the close, not at Monday's opening
    (OFFICE, "sat 10:00", 4, "bh", "mon 12:00 +1w"),  # counting starts at the next opening
    (OFFICE, "mon 04:01", 4, "bh", "mon 12:00"),
    (OFFICE, "mon 08:00", Decimal("0.5"), "bh", "mon 08:30"),  # 0.5bh is 30 minutes of open time
    (OFFICE, "mon 17:45", Decimal("0.25"), "bh", "mon 18:00"),
    (OFFICE, "mon 17:50", Decimal("0.3"), "bh", "tue 08:08"),  # 18 minutes: 10 on Monday, 8 on Tuesday
    (OFFICE, "sat 10:00", 0, "bh", "mon 08:00 +1w"),  # 0bh: the counting start itself
    (OFFICE, "fri 17:00", 1, "bd", "mon 17:00 +1w"),  # the same time on the next business day
    (OFFICE, "sat 09:00", 1, "bd", "tue 08:00 +1w"),  # from a closed day: from Monday 08:00
    (OFFICE, "fri 12:00", 6, "bd", "mon 12:00 +2w"),  # 5 business days a week, then one more
    (OFFICE, "thu 10:00", 0, "bd", "thu 10:00"),
    (OFFICE, "sun 10:00", 0, "bd", "mon 08:00 +1w"),
    (OFFICE, "mon 09:00", 8, "h", "mon 17:00"),  # wall clock: the schedule plays no part
    (OFFICE, "sat 09:00", 90, "min", "sat 10:30"),
    (OFFICE, "sun 23:00", Decimal("1.5"), "d", "tue 11:00 +1w"),
    # A range crossing midnight: wed 20:00-24:00 and thu 00:00-02:00.
    ("wed 20:00-02:00", "wed 23:00", 2, "bh", "thu 01:00"),
    ("wed 20:00-02:00", "thu 01:30", 1, "bh", "wed 20:30 +1w"),  # 30 min now, 30 next Wednesday
    ("wed 20:00-02:00", "wed 21:00", 1, "bd", "thu 21:00"),  # Thursday has open time: a business day
    ("wed 20:00-02:00", "thu 01:00", 1, "bd", "wed 01:00 +1w"),
    ("wed 20:00-02:00", "fri 09:00", 2, "bd", "wed 20:00 +2w"),  # opens wed 20:00; thu is 1, wed 2
    # Ranges to 24:00, and a range whose start equals its end: a whole day from its start.
    ("mon-fri 00:00-24:00", "fri 23:00", 2, "bh", "mon 01:00 +1w"),
    ("sat 09:00-09:00", "sat 09:00", 24, "bh", "sun 09:00"),
    ("sat 09:00-09:00", "sun 10:00", 1, "bh", "sat 10:00 +1w"),
    ("sun 22:00-02:00", "sun 23:00", 2, "bh", "mon 01:00 +1w"),  # across the end of the week
    ("24x7", "tue 10:00", 4, "bh", "tue 14:00"),  # business hours of 24x7 are wall-clock hours
    ("24x7", "sat 10:00", 2, "bd", "mon 10:00 +1w"),
]


@pytest.mark.parametrize(("schedule", "start", "amount", "unit", "expected"), WEEK_DEADLINES)
def test_week_deadlines(schedule, start, amount, unit, expected):
    clock = week(schedule)
    expected_seconds = (minute(expected) - minute(start)) * 60
    assert clock.deadline_seconds(minute(start), amount, unit) == expected_seconds
    assert clock.deadlines(amount, unit)[minute(start)] == expected_seconds


def test_the_length_of_4bh_on_office_hours_is_66_hours_from_fri_14_01():
    """SPEC §6.1 and §6.11: the largest deadline minus start over the week."""
    deadlines = week(OFFICE).deadlines(4, "bh")
    assert deadlines.longest == week(OFFICE).longest(4, "bh") == 66 * 3600
    first = deadlines.longest_from
    assert first == next(m for m in range(MINUTES_PER_WEEK) if deadlines[m] == deadlines.longest)
    assert describe_week_minute(first) == "fri 14:01"
    assert describe_week_minute((first + deadlines[first] // 60) % MINUTES_PER_WEEK) == "mon 08:01"


def test_lengths_of_other_durations():
    # Seconds, as values.Duration.seconds: a business length compares with any duration.
    assert ALWAYS.longest(8, "h") == week(OFFICE).longest(8, "h") == Duration(Decimal(8), "h").seconds == 28800
    assert ALWAYS.longest(4, "bh") == 4 * 3600
    assert ALWAYS.longest(2, "bd") == 2 * 86400
    assert ALWAYS.longest(1500, "ms") == Decimal("1.5")
    # 1bd from fri 18:00 (closed): from mon 08:00 to tue 08:00, 86 hours
    assert week(OFFICE).longest(1, "bd") == 86 * 3600
    # 0.5bh from fri 17:31 to mon 08:01: 6 h 29 min, 48 h, 8 h 1 min = 62.5 hours
    assert week(OFFICE).longest(Decimal("0.5"), "bh") == Decimal("62.5") * 3600


def test_sl402_example_first_minute_where_the_ola_is_later():
    """SPEC §6.8: SLA `<= 4bh` on mon-fri 08:00-18:00, OLA `<= 8h` on 24x7."""
    sla = week(OFFICE).deadlines(4, "bh")
    ola = ALWAYS.deadlines(8, "h")
    first = ola.first_later_than(sla)
    assert describe_week_minute(first) == "mon 04:01"
    assert (sla[first], ola[first]) == (479 * 60, 480 * 60)
    assert describe_week_minute(first + sla[first] // 60) == "mon 12:00"
    assert describe_week_minute(first + ola[first] // 60) == "mon 12:01"
    # The other way round there is such a minute too (mon 08:00: 12:00 vs 16:00) ...
    assert describe_week_minute(sla.first_later_than(ola)) == "mon 00:00"
    # ... and a supporter that is never later gives None.
    assert ALWAYS.deadlines(4, "bh").first_later_than(sla) is None


def test_earliest_of_several_counting_objectives():
    sla = week(OFFICE).deadlines(4, "bh")
    both = sla.earliest(ALWAYS.deadlines(8, "h"))
    assert [both[m] for m in (minute("mon 04:01"), minute("mon 08:00"), minute("sat 00:00"))] == [
        479 * 60,  # the business deadline, mon 12:00
        240 * 60,  # the business deadline again
        480 * 60,  # the wall-clock one: 8 hours, not until Monday noon
    ]
    assert sla.earliest(ALWAYS.deadlines(1, "w")) is sla  # never later: kept whole
    assert both.first_later_than(sla) is None and both.first_later_than(ALWAYS.deadlines(8, "h")) is None


def test_a_schedule_without_open_time_has_no_business_deadline():
    assert NEVER.deadline_seconds(0, 4, "bh") is None
    assert NEVER.deadlines(1, "bd") is None
    assert NEVER.longest(4, "bh") is None
    assert NEVER.next_opening(100) is None
    assert NEVER.longest(4, "h") == 4 * 3600  # wall-clock time still passes


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (Decimal("1.5"), "bd", "a bd count is a whole number of business days, not 1.5"),
        (Decimal("Infinity"), "bh", "a duration is a finite number, not Infinity"),
        (-1, "bh", "a duration cannot be negative: -1bh"),
        (1, "parsec", "unknown duration unit 'parsec'"),
    ],
)
def test_invalid_amounts_are_value_errors(amount, unit, message):
    with pytest.raises(ValueError) as raised:
        week(OFFICE).deadline_seconds(0, amount, unit)
    assert str(raised.value) == message
    with pytest.raises(ValueError):
        Clock(week(OFFICE)).deadline(at("2026-06-01T10:00", UTC), amount, unit)


def test_amounts_are_ints_or_decimals():
    with pytest.raises(TypeError, match="an amount is an int or a Decimal, not 0.5"):
        week(OFFICE).deadlines(0.5, "bh")


def test_week_schedule_sets():
    office, night = week(OFFICE), week("wed 20:00-02:00")
    assert night.intervals == ((2 * 1440 + 1200, 3 * 1440 + 120),)
    assert week("sun 22:00-02:00").intervals == ((0, 120), (6 * 1440 + 1320, MINUTES_PER_WEEK))
    assert WeekSchedule.of(Schedule(True)) == ALWAYS and ALWAYS.open_minutes == MINUTES_PER_WEEK
    assert office.open_minutes == 3000 and office.business_weekdays == (0, 1, 2, 3, 4)
    # wed 20:00 to thu 02:00 joins the office hours; thu 08:00-18:00 stays apart.
    assert (office | night).intervals == (
        (480, 1080),
        (1920, 2520),
        (3360, 3960),
        (4080, 4440),
        (4800, 5400),
        (6240, 6840),
    )
    assert (office & night).open_minutes == 0
    maintenance = week("wed 17:00-19:00")
    assert office.minus(maintenance) == office - maintenance
    assert office.minus(maintenance).open_minutes == 3000 - 60
    assert office.is_open(minute("mon 08:00")) and not office.is_open(minute("mon 18:00"))
    # Shifting wraps around the week: sun 23:00-24:00 two hours later is mon 01:00-02:00.
    assert week("sun 23:00-24:00").shifted(120).intervals == ((60, 120),)
    assert week("mon 00:00-01:00").shifted(-120).intervals == ((MINUTES_PER_WEEK - 120, MINUTES_PER_WEEK - 60),)
    assert office.open_between(0, 2 * MINUTES_PER_WEEK) == 6000
    assert office.open_between(minute("fri 17:00"), minute("mon 09:00 +1w")) == 120


@pytest.mark.parametrize(
    ("source", "target", "day", "shift"),
    [
        ("Europe/Berlin", "America/New_York", datetime.date(2026, 1, 15), -360),  # +1 and -5
        ("Europe/Berlin", "America/New_York", datetime.date(2026, 3, 15), -300),  # US already on DST
        ("America/New_York", "Europe/Berlin", datetime.date(2026, 7, 1), 360),
        ("UTC", "Asia/Kolkata", datetime.date(2026, 7, 1), 330),
        ("Europe/Berlin", "Europe/Berlin", datetime.date(2026, 7, 1), 0),
        ("Mars/Olympus", "Europe/Berlin", datetime.date(2026, 7, 1), 0),  # unknown: not moved
        (None, "Europe/Berlin", datetime.date(2026, 7, 1), 0),
        ("UTC", "Asia/Kolkata", None, 0),
    ],
)
def test_shift_between_zones(source, target, day, shift):
    assert shift_minutes(source, target, day) == shift


def test_utc_offset_minutes_at_noon():
    assert utc_offset_minutes("Europe/Berlin", datetime.date(2026, 3, 29)) == 120  # noon is after 02:00
    assert utc_offset_minutes("Europe/Berlin", datetime.date(2026, 3, 28)) == 60
    assert utc_offset_minutes("Australia/Lord_Howe", datetime.date(2026, 1, 1)) == 660
    assert utc_offset_minutes(None, datetime.date(2026, 1, 1)) == 0


# -- week model against a minute-by-minute reference ----------------------------------------


def reference_deadline(clock: WeekSchedule, start: int, amount: Decimal, unit: str) -> Fraction:
    """Step minute by minute: the definition, slowly. Seconds, as deadline_seconds."""

    def is_open(m: int) -> bool:
        return clock.is_open(m % MINUTES_PER_WEEK)

    opening = start
    while not is_open(opening):
        opening += 1
    if unit == "bd":
        day, found = opening // 1440, 0
        while found < amount:
            day += 1
            found += clock.day_open_minutes(day % 7) > 0
        return Fraction((opening + (day - opening // 1440) * 1440 - start) * 60)
    remaining, m = Fraction(amount) * 60, opening
    if remaining == 0:
        return Fraction((opening - start) * 60)
    while True:
        if is_open(m):
            if remaining <= 1:
                return (m + remaining - start) * 60
            remaining -= 1
        m += 1


@st.composite
def week_schedules(draw):
    intervals = draw(
        st.lists(st.tuples(st.integers(0, MINUTES_PER_WEEK - 1), st.integers(1, 3000)), min_size=1, max_size=6)
    )
    return WeekSchedule.from_intervals(
        [(start, min(start + length, MINUTES_PER_WEEK)) for start, length in intervals]
    ).shifted(draw(st.integers(0, MINUTES_PER_WEEK)))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    week_schedules(),
    st.integers(0, MINUTES_PER_WEEK - 1),
    st.integers(0, 10**9),
    st.sampled_from(["bh", "bd"]),
)
def test_week_deadlines_match_the_minute_by_minute_reference(clock, start, draw, unit):
    if unit == "bd":
        amount = Decimal(draw % 9)
    else:  # hundredths of an hour, up to twice the week's open time: the reference stays short
        amount = Decimal(draw % (2 * clock.open_minutes * 100 // 60 + 1)).scaleb(-2)
    expected = reference_deadline(clock, start, amount, unit)
    assert clock.deadline_seconds(start, amount, unit) == expected
    assert clock.deadlines(amount, unit)[start] == expected


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(week_schedules(), st.decimals(min_value=0, max_value=80, places=3), st.sampled_from(["bh", "bd"]))
def test_deadlines_are_monotone_in_the_start(clock, amount, unit):
    if unit == "bd":
        amount = amount.to_integral_value()
    deadlines = clock.deadlines(amount, unit)
    ends = [m * 60 + deadlines[m] for m in range(MINUTES_PER_WEEK)]
    assert all(a <= b for a, b in zip(ends, ends[1:], strict=False))
    assert deadlines.longest == max(deadlines[m] for m in range(MINUTES_PER_WEEK))


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(week_schedules(), st.integers(0, MINUTES_PER_WEEK - 1), st.integers(1, 500))
def test_bh_from_an_open_minute_counts_exactly_that_much_open_time(clock, start, hours_):
    start = clock.next_opening(start)
    deadline = start + clock.deadline_seconds(start, hours_, "bh") // 60
    assert clock.open_between(start, deadline) == hours_ * 60
    assert clock.open_between(start, deadline - 1) < hours_ * 60  # and no sooner


# -- the dated clock ----------------------------------------------------------------------------


def office_clock() -> Clock:
    # SPEC §6.2's desk: Bavarian public holidays and two more dates.
    closed = holiday_dates(["DE-BY"], [2026]) | {datetime.date(2026, 12, 24), datetime.date(2026, 12, 31)}
    return Clock(week(OFFICE), "Europe/Berlin", closed)


DATED_DEADLINES = [
    # clock, start, amount, unit, deadline
    # Thursday 16-18 is 2 hours; Good Friday (04-03) and Easter Monday (04-06) are closed.
    ("office", "2026-04-02T16:00", 4, "bh", "2026-04-07T10:00+02:00"),
    ("office", "2026-04-02T16:00", 1, "bd", "2026-04-07T16:00+02:00"),
    ("office", "2026-04-04T10:00", 1, "bd", "2026-04-08T08:00+02:00"),  # from the next opening, tue 08:00
    ("office", "2026-04-03T09:00", 2, "bh", "2026-04-07T10:00+02:00"),  # on a holiday: from tue 08:00
    ("office", "2026-12-23T17:00", 2, "bh", "2026-12-28T09:00+01:00"),  # 24th, 25th, 26th closed
    ("office", "2026-12-23T17:00", Decimal("0.5"), "bh", "2026-12-23T17:30+01:00"),
    ("office", "2026-04-02T16:00", 3, "h", "2026-04-02T19:00+02:00"),
    # DST (last Sunday of March): Friday 17:00 CET to Monday 09:00 CEST is 63 real hours.
    ("office", "2026-03-27T17:00", 2, "bh", "2026-03-30T09:00+02:00"),
    # 24x7 in Berlin: 24 open hours across the spring change end an hour later on the wall ...
    ("always", "2026-03-28T12:00", 24, "bh", "2026-03-29T13:00+02:00"),
    ("always", "2026-03-28T12:00", 1, "bd", "2026-03-29T12:00+02:00"),  # ... a business day does not
    ("always", "2026-10-24T12:00", 24, "bh", "2026-10-25T11:00+01:00"),  # autumn: an hour earlier
    ("always", "2026-03-28T02:30", 1, "bd", "2026-03-29T03:00+02:00"),  # 02:30 is skipped: when it jumps
    ("always", "2026-10-24T02:30", 1, "bd", "2026-10-25T02:30+02:00"),  # repeated: the first one
    ("always", "2026-03-29T01:30", 1, "bh", "2026-03-29T03:30+02:00"),
    # wed 20:00-02:00: 3 hours to thu 02:00, the last hour next Wednesday.
    ("night", "2026-06-03T23:00", 4, "bh", "2026-06-10T21:00+02:00"),
    ("night", "2026-06-04T01:00", 1, "bd", "2026-06-10T01:00+02:00"),
    # sun 02:00-03:30: on the spring Sunday only 03:00-03:30 exists, on the autumn one 02:00-03:00 twice.
    ("sunday", "2026-03-29T00:00", Decimal("0.5"), "bh", "2026-03-29T03:30+02:00"),
    ("sunday", "2026-10-25T00:00", 1, "bh", "2026-10-25T02:00+01:00"),  # = 03:00+02:00, the wall goes back
    ("sunday", "2026-10-25T00:00", 2, "bh", "2026-10-25T03:00+01:00"),
]

CLOCKS = {
    "office": office_clock,
    "always": lambda: Clock(ALWAYS, "Europe/Berlin"),
    "night": lambda: Clock(hours("wed 20:00-02:00"), "Europe/Berlin"),
    "sunday": lambda: Clock(week("sun 02:00-03:30"), "Europe/Berlin"),
}


@pytest.mark.parametrize(("clock", "start", "amount", "unit", "expected"), DATED_DEADLINES)
def test_dated_deadlines(clock, start, amount, unit, expected):
    deadline = CLOCKS[clock]().deadline(at(start), amount, unit)
    assert deadline.isoformat(timespec="minutes") == expected
    assert deadline.tzinfo == BERLIN


def test_dst_friday_to_monday_is_63_real_hours():
    deadline = office_clock().deadline(at("2026-03-27T17:00"), 2, "bh")
    assert deadline.astimezone(UTC) - at("2026-03-27T17:00").astimezone(UTC) == datetime.timedelta(hours=63)


def test_a_clock_without_timezone_is_utc():
    clock = Clock(week(OFFICE))
    deadline = clock.deadline(at("2026-05-29T17:00", UTC), 2, "bh")
    assert deadline.isoformat() == "2026-06-01T09:00:00+00:00"
    # Any aware instant is accepted and answered in the clock's zone.
    assert clock.next_opening(at("2026-05-30T12:00", BERLIN)).isoformat() == "2026-06-01T08:00:00+00:00"


OPEN_SECONDS = [
    # clock, start, end, seconds
    ("always", "2026-03-29T00:00", "2026-03-30T00:00", 23 * 3600),  # the spring day has 23 hours
    ("always", "2026-10-25T00:00", "2026-10-26T00:00", 25 * 3600),  # the autumn day 25
    ("sunday", "2026-03-29T00:00", "2026-03-30T00:00", 30 * 60),  # 02:00-03:00 does not exist
    ("sunday", "2026-10-25T00:00", "2026-10-26T00:00", 150 * 60),  # 02:00-03:00 twice, then 30 min
    ("sunday", "2026-10-18T00:00", "2026-10-19T00:00", 90 * 60),
    # April 2026: 22 weekdays, less Good Friday and Easter Monday: 20 days of 10 hours.
    ("office", "2026-04-01T00:00", "2026-05-01T00:00", 200 * 3600),
    ("office", "2026-04-02T17:30", "2026-04-07T08:15", 45 * 60),  # 30 min Thursday, 15 Tuesday
    ("office", "2026-04-02T17:30", "2026-04-02T17:30", 0),
    # Hours minus a maintenance window: March 2026 has 743 real hours; the Sunday windows
    # 02:00-06:00 take 4 hours on the 1st, 8th, 15th and 22nd, and 3 on the 29th.
    ("maintained", "2026-03-01T00:00", "2026-04-01T00:00", (743 - 19) * 3600),
]
CLOCKS["maintained"] = lambda: Clock(ALWAYS.minus(week("sun 02:00-06:00")), "Europe/Berlin")


@pytest.mark.parametrize(("clock", "start", "end", "seconds"), OPEN_SECONDS)
def test_open_seconds(clock, start, end, seconds):
    assert CLOCKS[clock]().open_seconds(at(start), at(end)) == seconds


def test_open_seconds_are_exact_to_the_microsecond():
    clock = Clock(week(OFFICE), "Europe/Berlin")
    start = at("2026-06-01T17:59:59.999999")
    assert clock.open_seconds(start, at("2026-06-02T08:00:00.5")) == Decimal("0.500001")
    with pytest.raises(ValueError, match="ends .* before it starts"):
        clock.open_seconds(at("2026-06-02T00:00"), start)


def test_next_opening_is_open_and_business_days():
    clock = office_clock()
    assert clock.next_opening(at("2026-04-03T09:00")).isoformat() == "2026-04-07T08:00:00+02:00"
    assert clock.next_opening(at("2026-04-07T09:15")) == at("2026-04-07T09:15")
    assert clock.is_open(at("2026-04-07T09:15")) and not clock.is_open(at("2026-04-03T09:15"))
    assert not clock.is_open(at("2026-04-07T18:00"))
    assert [clock.is_business_day(datetime.date(2026, 4, day)) for day in (2, 3, 4, 6, 7)] == [
        True,
        False,  # Good Friday
        False,  # Saturday
        False,  # Easter Monday
        True,
    ]
    assert not clock.is_business_day(datetime.date(2026, 12, 24))
    never = Clock(NEVER, "Europe/Berlin")
    assert never.next_opening(at("2026-04-07T09:15")) is None
    assert never.deadline(at("2026-04-07T09:15"), 1, "bh") is None
    assert never.deadline(at("2026-04-07T09:15"), 1, "bd") is None


def test_dated_clock_rejects_what_it_cannot_read():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        Clock(ALWAYS, "Mars/Olympus")
    with pytest.raises(ValueError, match="has no UTC offset"):
        Clock(ALWAYS).deadline(datetime.datetime(2026, 1, 1), 1, "bh")


def test_the_400_year_shortcut_counts_what_walking_counts():
    """Past 2100 and the last holiday, 400 years (whole weeks, the same leap days and DST
    rule) always hold the same open time: long spans count whole cycles at once."""
    clock = Clock(week("sun 02:00-03:30, mon-fri 08:00-18:00"), "Europe/Berlin", {datetime.date(2150, 1, 1)})
    start, middle, end = at("2001-03-01T00:00"), at("2350-07-05T13:00"), at("3101-07-05T13:00")

    def micro(moment):
        return (moment - at("1970-01-01T00:00", UTC)) // datetime.timedelta(microseconds=1)

    total = clock.open_seconds(start, end)
    assert total == Decimal(clock._walk_open(micro(start), micro(end))).scaleb(-6)  # no shortcut
    assert total == clock.open_seconds(start, middle) + clock.open_seconds(middle, end)
    hours = int(total) // 3600 - 1
    deadline = clock.deadline(start, hours, "bh")
    walked, _ = clock._consume(micro(start), micro(end), hours * 3600 * 10**6)  # no shortcut
    assert micro(deadline) == walked
    assert clock.open_seconds(start, deadline) == hours * 3600


# -- the dated clock against a minute-by-minute reference --------------------------------------


def reference_open_minutes(schedule: WeekSchedule, tz, closed, start: datetime.datetime, minutes: int) -> int:
    """Step through real minutes and read each one's local wall time."""
    step = datetime.timedelta(minutes=1)
    return sum(reference_is_open(schedule, tz, closed, start + n * step) for n in range(minutes))


CHANGES = [
    ("Europe/Berlin", "2026-03-28T12:00+00:00"),
    ("Europe/Berlin", "2026-10-24T12:00+00:00"),
    ("America/New_York", "2026-03-07T12:00+00:00"),
    ("Australia/Lord_Howe", "2026-04-04T00:00+00:00"),  # a half-hour change
    (None, "2026-03-28T12:00+00:00"),
]


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    week_schedules(),
    st.sampled_from(CHANGES),
    st.integers(0, 1440),
    st.integers(0, 3 * 1440),
    st.sets(st.integers(0, 3)),
)
def test_open_seconds_match_the_reference_around_dst_changes(schedule, change, offset, length, closed_days):
    timezone, around = change
    start = datetime.datetime.fromisoformat(around) + datetime.timedelta(minutes=offset)
    tz = ZoneInfo(timezone) if timezone else UTC
    first_day = start.astimezone(tz).date()
    closed = {first_day + datetime.timedelta(days=d) for d in closed_days}
    clock = Clock(schedule, timezone, closed)
    end = start + datetime.timedelta(minutes=length)
    assert clock.open_seconds(start, end) == 60 * reference_open_minutes(schedule, tz, closed, start, length)


def reference_is_open(schedule: WeekSchedule, tz, closed, instant: datetime.datetime) -> bool:
    local = instant.astimezone(tz)
    return schedule.is_open(local.weekday() * 1440 + local.hour * 60 + local.minute) and local.date() not in closed


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(week_schedules(), st.sampled_from(CHANGES), st.integers(0, 2 * 1440), st.integers(0, 4))
def test_next_opening_and_bd_match_the_reference(schedule, change, offset, count):
    timezone, around = change
    tz = ZoneInfo(timezone) if timezone else UTC
    start = datetime.datetime.fromisoformat(around) + datetime.timedelta(minutes=offset)
    closed = {start.astimezone(tz).date() + datetime.timedelta(days=1)}
    clock = Clock(schedule, timezone, closed)
    opening = start
    while not reference_is_open(schedule, tz, closed, opening):
        opening += datetime.timedelta(minutes=1)
    assert clock.next_opening(start) == opening
    assert clock.is_open(opening) and (opening == start or not clock.is_open(opening - datetime.timedelta(minutes=1)))
    # bd: the same local time on the count-th business day after the opening's date
    local = opening.astimezone(tz)
    day, found = local.date(), 0
    while found < count:
        day += datetime.timedelta(days=1)
        found += clock.is_business_day(day)
    wall = datetime.datetime.combine(day, local.time()).replace(tzinfo=tz)
    if wall.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):  # not skipped
        assert clock.deadline(start, count, "bd") == (opening if count == 0 else wall)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    week_schedules(),
    st.sampled_from(CHANGES),
    st.integers(0, 3 * 1440),
    st.integers(0, 3 * 1440),
    st.integers(0, 3 * 1440),
)
def test_open_seconds_are_additive(schedule, change, a, b, c):
    timezone, around = change
    first, middle, last = (
        datetime.datetime.fromisoformat(around) + datetime.timedelta(minutes=x) for x in sorted((a, b, c))
    )
    clock = Clock(schedule, timezone, {first.date()})
    assert clock.open_seconds(first, last) == clock.open_seconds(first, middle) + clock.open_seconds(middle, last)


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    week_schedules(),
    st.sampled_from(CHANGES),
    st.integers(0, 2 * 1440),
    st.decimals(min_value=Decimal("1e-10"), max_value=100, places=10),
)
def test_a_bh_deadline_is_the_first_instant_with_that_much_open_time(schedule, change, offset, amount):
    timezone, around = change
    start = datetime.datetime.fromisoformat(around) + datetime.timedelta(minutes=offset)
    clock = Clock(schedule, timezone, {start.date() + datetime.timedelta(days=1)})
    deadline = clock.deadline(start, amount, "bh")
    # Rounded up to the microsecond: 1e-10 bh is 0.36 microseconds.
    assert 0 <= clock.open_seconds(start, deadline) - amount * 3600 < Decimal("1e-6")
    assert clock.open_seconds(start, deadline - datetime.timedelta(microseconds=1)) < amount * 3600


# -- holidays -------------------------------------------------------------------------------------


def test_holiday_dates_of_a_subdivision():
    # holidays 0.107, default category (public): Bavaria adds Epiphany, Corpus Christi, All Saints.
    bavarian = [(1, 1), (1, 6), (4, 3), (4, 6), (5, 1), (5, 14), (5, 25), (6, 4), (10, 3), (11, 1), (12, 25), (12, 26)]
    assert sorted(holiday_dates(["DE-BY"], [2026])) == [datetime.date(2026, month, day) for month, day in bavarian]
    country = holiday_dates(["DE"], [2026])
    assert datetime.date(2026, 1, 6) not in country and len(country) == 9


def test_holiday_dates_include_observed_days_and_several_codes_and_years():
    # Christmas 2027 is a Saturday, Boxing Day a Sunday: observed on Monday 27th and Tuesday 28th.
    british = holiday_dates(["GB"], [2027])
    assert {datetime.date(2027, 12, 27), datetime.date(2027, 12, 28)} <= british
    both = holiday_dates(["GB", "DE-BY"], range(2026, 2028))
    assert datetime.date(2026, 1, 6) in both and datetime.date(2027, 12, 28) in both
    assert holiday_dates([], [2026]) == frozenset()


@pytest.mark.parametrize(
    ("code", "result"),
    [
        ("DE", (True, None)),
        ("DE-BY", (True, None)),
        ("GB-SCT", (True, None)),
        ("US-CA", (True, None)),
        ("UK", (False, "GB")),  # a package alias: the ISO code is the fix
        ("DEU", (False, "DE")),  # alpha-3
        ("de", (False, "DE")),  # codes are uppercase
        ("de-by", (False, "DE-BY")),
        ("DE-Bayern", (False, "DE-BY")),  # a subdivision's name
        ("UK-SCT", (False, "GB-SCT")),
        ("DE-Augsburg", (False, None)),  # the package has it, ISO 3166-2 does not
        ("XX", (False, None)),
        ("DE-XX", (False, None)),
        ("", (False, None)),
        ("-BY", (False, None)),
    ],
)
def test_valid_calendar_code(code, result):
    assert valid_calendar_code(code) == result


def test_an_invalid_code_is_a_value_error_with_the_fix():
    with pytest.raises(ValueError) as raised:
        holiday_dates(["UK"], [2026])
    assert str(raised.value) == "'UK' is not an ISO 3166 holiday calendar the holidays package knows; write 'GB'"


def test_importing_the_clock_does_not_import_holidays():
    code = (
        "import sys, datetime\n"
        "import sla_lang.model.clock as clock\n"
        "clock.Clock(clock.ALWAYS, 'Europe/Berlin', {datetime.date(2026, 1, 1)})\n"
        "print('holidays' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "False\n"


# -- hostile sizes ----------------------------------------------------------------------------


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def test_deadlines_of_a_week_take_well_under_a_second():
    clock = week("mon-fri 08:00-12:00, mon-fri 13:00-17:30, sat 10:00-14:00")
    deadlines, elapsed = timed(lambda: clock.deadlines(Decimal("4.25"), "bh"))
    assert elapsed < 1.0
    assert len(deadlines) == MINUTES_PER_WEEK and isinstance(deadlines, Deadlines)
    assert clock.deadlines(Decimal("4.25"), "bh") is deadlines  # cached


def test_a_schedule_of_10000_windows():
    windows = tuple(DayWindow(i % 7, (i * 3) % 7, (i * 37) % 1440, (i * 53 + 1) % 1440 or 1) for i in range(10_000))
    schedule = Schedule(False, windows)

    def work():
        clock = WeekSchedule.of(schedule)
        dated = Clock(clock, "Europe/Berlin")
        return (
            clock.longest(4, "bh"),
            clock.deadlines(2, "bd")[0],
            dated.deadline(at("2026-03-27T17:00"), 100, "bh"),
            dated.open_seconds(at("2026-01-01T00:00"), at("2027-01-01T00:00")),
        )

    _, elapsed = timed(work)
    assert elapsed < SECONDS


def test_a_billion_business_hours():
    office = week(OFFICE)
    amount = Decimal("1e9")  # 6e10 minutes, 2e7 weeks of 3000 open minutes

    def work():
        return (
            office.deadline_seconds(minute("mon 09:00"), amount, "bh"),
            office.longest(amount, "bh"),
            office_clock().deadline(at("2026-04-02T16:00"), amount, "bh"),
            Clock(ALWAYS).deadline(at("2026-04-02T16:00"), amount, "bh"),
        )

    (from_monday, longest, dated, always), elapsed = timed(work)
    assert elapsed < SECONDS
    assert from_monday == longest == 20_000_000 * MINUTES_PER_WEEK * 60
    assert dated is None and always is None  # 114,000 years: past the year 9999


def test_numbers_of_a_million_digits():
    """A file may hold a number of any length; converting one of a million written
    digits to an int or a Fraction takes half a minute, Decimal sums do not."""
    office = week(OFFICE)
    huge, written, thirds = Decimal("1e999999"), Decimal("1" + "0" * 999_999), Decimal("0." + "3" * 999_999)

    def work():
        return (
            office.longest(huge, "bh"),
            office.deadlines(written, "bd").longest,
            ALWAYS.longest(thirds, "bh"),
            office.deadline_seconds(minute("mon 08:00"), thirds, "bh"),
            Clock(ALWAYS).deadline(at("2026-06-01T08:00", UTC), thirds, "bh"),
            office_clock().deadline(at("2026-06-01T08:00"), written, "bd"),
            ALWAYS.deadlines(written, "bh").first_later_than(ALWAYS.deadlines(written, "h")),
        )

    (longest, days, third, from_monday, dated, never, later), elapsed = timed(work)
    assert elapsed < SECONDS
    with localcontext(Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)):
        assert longest == Decimal("2e999997") * MINUTES_PER_WEEK * 60  # 6e1000000 minutes / 3000 a week
        # 10**999999 business days are 5 and (10**999999 - 5) / 5 whole weeks; 5bd is
        # longest from fri 18:00: 62 hours to mon 08:00, then a week.
        assert days == (written - 5) // 5 * MINUTES_PER_WEEK * 60 + 230 * 3600
        assert third == from_monday == Duration(thirds, "h").seconds  # 1199.99...988 s, exactly
    assert office.longest(5, "bd") == 230 * 3600
    assert dated.isoformat() == "2026-06-01T08:20:00+00:00"  # rounded up to the microsecond
    assert never is None and later is None


def test_100000_holiday_dates():
    first = datetime.date(2026, 1, 1)
    closed = {first + datetime.timedelta(days=n) for n in range(100_000)}  # through 2299-10-16
    scattered = {first + datetime.timedelta(days=2 * n) for n in range(100_000)}

    def work():
        clock = Clock(week(OFFICE), "Europe/Berlin", closed)
        other = Clock(week(OFFICE), "Europe/Berlin", scattered)
        return (
            clock.deadline(at("2026-01-02T09:00"), 1, "bh"),
            clock.deadline(at("2026-01-02T09:00"), 1, "bd"),
            clock.open_seconds(at("2026-01-01T00:00"), at("2299-10-17T00:00")),
            other.deadline(at("2026-01-02T09:00"), 10_000, "bh"),
            other.deadline(at("2026-01-02T09:00"), 5_000, "bd"),
            other.is_business_day(datetime.date(2026, 1, 5)),
        )

    (bh, bd, seconds, long_bh, long_bd, business), elapsed = timed(work)
    assert elapsed < SECONDS
    assert first + datetime.timedelta(days=100_000) == datetime.date(2299, 10, 17)  # a Tuesday
    assert bh.isoformat() == "2299-10-17T09:00:00+02:00"
    assert bd.isoformat() == "2299-10-18T08:00:00+02:00"
    assert seconds == 0
    assert long_bh is not None and long_bd is not None and not business
