"""Minutes of the week in the words of the language's own `hours`: the days
that share the same time ranges grouped (`mon-fri 07:00-08:00 and
18:00-20:00, sat-sun 00:00-24:00`), for SL403's message.

A set of minutes is an int whose bit m is minute m of the week, Monday 00:00
first. A range that runs past midnight is written either split at midnight
(`fri 22:00-24:00, sat 00:00-02:00`) or as the language writes it, its end
before its start (`fri 22:00-02:00`): whichever says it in fewer ranges.
"""

from __future__ import annotations

from ..values import DAY_NAMES, MINUTES_PER_DAY, MINUTES_PER_WEEK

_DAY = (1 << MINUTES_PER_DAY) - 1
_MOST_RUNS_TO_WRAP = 64  # beyond this, ranges are split at midnight without comparing the two ways


def schedule_text(schedule, most: int = 6) -> str:
    """A values.Schedule as written, its first `most` windows and how many more
    (hostile hours may hold thousands of windows)."""
    if schedule.always or len(schedule.windows) <= most:
        return str(schedule)
    shown = ", ".join(str(window) for window in schedule.windows[:most])
    return f"{shown}, and {len(schedule.windows) - most} more"


def describe_week(minutes: int, most: int = 6) -> str:
    """`minutes` as day ranges and time ranges: the first `most` ranges, and how many more."""
    groups = _by_day(minutes, most)
    if _run_count(minutes) <= _MOST_RUNS_TO_WRAP:
        wrapped = _wrapped(minutes)
        if _range_count(wrapped) < _range_count(groups):
            groups = wrapped
    shown: list[str] = []
    count = 0
    for first, last, ranges, _ in groups:
        if count == most:
            break
        days = DAY_NAMES[first] + (f"-{DAY_NAMES[last]}" if last != first else "")
        ranges = ranges[: most - count]
        shown.append(f"{days} {' and '.join(_range_text(start, end) for start, end in ranges)}")
        count += len(ranges)
    rest = _range_count(groups) - count
    return ", ".join(shown) + (f", and {rest} more" if rest else "")


# A group is (first day, last day, its ranges or the first of them, how many ranges it has).
_Group = tuple[int, int, list[tuple[int, int]], int]


def _by_day(minutes: int, most: int) -> list[_Group]:
    """Consecutive days with the same minutes, each range ending at midnight at the latest.
    Days compare as bits, so a day of many ranges is read only as far as it is shown."""
    groups: list[_Group] = []
    last_bits = None
    for day in range(7):
        bits = (minutes >> (day * MINUTES_PER_DAY)) & _DAY
        if bits and bits == last_bits:  # the day before is the last group's last day
            first, _, ranges, count = groups[-1]
            groups[-1] = (first, day, ranges, count)
        elif bits:
            groups.append((day, day, _runs(bits, most), _run_count(bits)))
        last_bits = bits
    return groups


def _wrapped(minutes: int) -> list[_Group]:
    """Like _by_day, but a run shorter than a day that crosses one midnight is kept
    whole, on the day it starts, with its end before its start."""
    runs = _runs(minutes, _MOST_RUNS_TO_WRAP + 1)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == MINUTES_PER_WEEK:  # across Sunday midnight
        runs = [(runs[-1][0], runs[0][1] + MINUTES_PER_WEEK), *runs[1:-1]]
    by_day: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for start, end in runs:
        day, offset = divmod(start, MINUTES_PER_DAY)
        if end - start < MINUTES_PER_DAY < offset + end - start and end % MINUTES_PER_DAY:
            by_day[day % 7].append((offset, end % MINUTES_PER_DAY))
            continue
        while start < end:
            day, offset = divmod(start, MINUTES_PER_DAY)
            stop = min(end, (day + 1) * MINUTES_PER_DAY)
            by_day[day % 7].append((offset, stop - day * MINUTES_PER_DAY))
            start = stop
    groups: list[_Group] = []
    for day, ranges in enumerate(by_day):
        ranges.sort()
        if ranges and groups and groups[-1][1] == day - 1 and groups[-1][2] == ranges:
            groups[-1] = (groups[-1][0], day, ranges, len(ranges))
        elif ranges:
            groups.append((day, day, ranges, len(ranges)))
    return groups


def _range_count(groups: list[_Group]) -> int:
    return sum(count for *_, count in groups)


def _range_text(start: int, end: int) -> str:
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _run_count(bits: int) -> int:
    return (bits & ~(bits << 1)).bit_count()


def _runs(bits: int, most: int) -> list[tuple[int, int]]:
    """The first `most` runs of set bits, as [start, end) pairs."""
    runs = []
    while bits and len(runs) < most:
        start = (bits & -bits).bit_length() - 1
        rest = bits >> start
        length = (~rest & (rest + 1)).bit_length() - 1
        runs.append((start, start + length))
        bits &= ~(((1 << length) - 1) << start)
    return runs
