"""The windows an objective is measured over, and the windows a period selects.

Windows are half-open and read in the service's timezone (UTC without one):
`mo`, `q` and `y` windows are calendar months, quarters and years; `d` and `w`
windows are local days and weeks counted from the agreement's `effective`
date; shorter units are real time from that date's midnight. A window cut by
the agreement's term (from `effective` to the end of the `expires` date)
counts only its inside part. A window is numbered by an integer index.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

UTC = datetime.timezone.utc
_CALENDAR_MONTHS = {"mo": 1, "q": 3, "y": 12}
_DAYS = {"d": 1, "w": 7}
_EPOCH = datetime.date(1970, 1, 1)
# The most windows of one objective a run lays out: 300 years of days, 22 of hours.
MAX_WINDOWS = 200_000
_MICRO = datetime.timedelta(microseconds=1)


class TooManyWindows(ValueError):
    """A span of time that holds more windows of an objective than MAX_WINDOWS."""


def zone_of(service):
    """The service's ZoneInfo, or UTC."""
    from ..model.clock import zone

    return (zone(service.timezone) if service.timezone else None) or UTC


def local_midnight(day: datetime.date, tz) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=tz)


class Grid:
    """The windows of one objective: `index_of(moment)`, `bounds(index)` (cut by the
    term), `full_bounds(index)`. None from `of()` when the objective has no window
    or one that cannot be laid on a calendar (`1.5mo`)."""

    def __init__(self, tz, months: int = 0, days: int = 0, micros: int = 0, anchor=None, term=(None, None)):
        self.tz, self.months, self.days, self.micros = tz, months, days, micros
        self.anchor = anchor or _EPOCH  # the first window's local date (d, w and shorter)
        self.term_start, self.term_end = term
        # No window is shorter (a DST day has 23 h), so a span within MAX_WINDOWS of these fits.
        hour = datetime.timedelta(hours=1)
        self.shortest = (
            datetime.timedelta(days=28 * months)
            if months
            else days * datetime.timedelta(days=1) - hour
            if days
            else datetime.timedelta(microseconds=micros)
        )
        self.roomy = self.shortest * (MAX_WINDOWS - 2)

    @classmethod
    def of(cls, objective) -> Grid | None:
        window = objective.window
        if window is None or window.business or window.amount <= 0:
            return None
        agreement = objective.service.agreement
        tz = zone_of(objective.service)
        start = local_midnight(agreement.effective, tz) if agreement.effective else None
        end = None
        if agreement.expires is not None and agreement.expires < datetime.date.max:
            end = local_midnight(agreement.expires + datetime.timedelta(days=1), tz)
        term = (start, end)
        amount, unit = window.amount, window.unit
        if unit in _CALENDAR_MONTHS:
            months = amount * _CALENDAR_MONTHS[unit]
            return cls(tz, months=int(months), term=term) if months == int(months) else None
        anchor = agreement.effective
        if unit in _DAYS and amount * _DAYS[unit] == int(amount * _DAYS[unit]):
            return cls(tz, days=int(amount * _DAYS[unit]), anchor=anchor, term=term)
        micros = int(window.seconds * Decimal(1_000_000))
        return cls(tz, micros=micros, anchor=anchor, term=term) if micros > 0 else None

    def index_of(self, moment: datetime.datetime) -> int:
        """The window that holds `moment`."""
        local = moment.astimezone(self.tz)
        if self.months:
            return (local.year * 12 + local.month - 1) // self.months
        if self.days:
            return (local.date() - self.anchor).days // self.days
        return (moment - local_midnight(self.anchor, self.tz)) // datetime.timedelta(microseconds=self.micros)

    def indexes(self, start: datetime.datetime, end: datetime.datetime, objective) -> range:
        """The windows that [start, end) touches (the window of `start` when they are equal);
        TooManyWindows past MAX_WINDOWS."""
        first, last = self.index_of(start), self.index_of(max(start, end - _MICRO))
        if last - first >= MAX_WINDOWS:
            raise self._too_many(start, end, objective, first, last)
        return range(first, last + 1)

    def check_span(self, start: datetime.datetime, end: datetime.datetime, objective) -> None:
        """TooManyWindows when [start, end) touches more than MAX_WINDOWS windows; quick for
        a span shorter than that many of the shortest window."""
        if end - start > self.roomy:
            self.indexes(start, end, objective)

    @staticmethod
    def _too_many(start, end, objective, first: int, last: int) -> TooManyWindows:
        return TooManyWindows(
            f"{start.isoformat()} to {end.isoformat()} spans {last - first + 1:,} windows of "
            f"{objective.service.id}.{objective.id} ({objective.window}); at most {MAX_WINDOWS:,} are evaluated"
        )

    def full_bounds(self, index: int) -> tuple[datetime.datetime, datetime.datetime]:
        if self.months:
            return self._month_start(index * self.months), self._month_start((index + 1) * self.months)
        if self.days:
            start = self.anchor + datetime.timedelta(days=index * self.days)
            return local_midnight(start, self.tz), local_midnight(start + datetime.timedelta(days=self.days), self.tz)
        origin = local_midnight(self.anchor, self.tz)
        step = datetime.timedelta(microseconds=self.micros)
        return origin + index * step, origin + (index + 1) * step

    def bounds(self, index: int) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The window's part inside the term; None when nothing of it is."""
        start, end = self.full_bounds(index)
        if self.term_start is not None and self.term_start > start:
            start = self.term_start
        if self.term_end is not None and self.term_end < end:
            end = self.term_end
        return (start, end) if start < end else None

    def _month_start(self, month_index: int) -> datetime.datetime:
        year, month = divmod(month_index, 12)
        return datetime.datetime(year, month + 1, 1, tzinfo=self.tz)


class Period:
    """`--period`: `2026-05`, `2026-Q2`, `2026`, or `FROM..TO` (both dates included),
    as local dates; `selects(end, tz)` says whether a window ending at `end` in
    zone `tz` is selected (period start < end <= period end)."""

    def __init__(self, first: datetime.date, after: datetime.date, text: str) -> None:
        self.first, self.after, self.text = first, after, text

    @classmethod
    def parse(cls, text: str) -> Period:
        text = text.strip()
        try:
            if match := re.fullmatch(r"([0-9]{4})-([0-9]{2})", text):
                year, month = int(match.group(1)), int(match.group(2))
                return cls(datetime.date(year, month, 1), _month_after(year, month), text)
            if match := re.fullmatch(r"([0-9]{4})-[Qq]([1-4])", text):
                year, quarter = int(match.group(1)), int(match.group(2))
                return cls(datetime.date(year, quarter * 3 - 2, 1), _month_after(year, quarter * 3), text)
            if match := re.fullmatch(r"[0-9]{4}", text):
                year = int(text)
                return cls(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), text)
            if match := re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})", text):
                first = datetime.date.fromisoformat(match.group(1))
                last = datetime.date.fromisoformat(match.group(2))
                if last < first:
                    raise ValueError(f"--period {text}: the period ends before it starts")
                return cls(first, last + datetime.timedelta(days=1), text)
        except (ValueError, OverflowError) as problem:
            if "--period" in str(problem):
                raise
            raise ValueError(f"--period {text!r}: {problem}") from None
        raise ValueError(
            f"--period {text[:40]!r} is not a period: write 2026-05, 2026-Q2, 2026 or 2026-05-01..2026-05-31"
        )

    def selects(self, end: datetime.datetime, tz) -> bool:
        return local_midnight(self.first, tz) < end <= local_midnight(self.after, tz)


def _month_after(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1)
