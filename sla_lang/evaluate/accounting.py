"""Events in, measured values out: the agreement's own accounting of outages
and incidents, window by window, on the service's clock (model/clock).

    accounting = Accounting()
    accounting.add_outage(service, start, end)        # aware datetimes, in order of start per service
    accounting.add_incident(service, priority, start, responded, resolved)
    accounting.measured()   # {(objective, window index): Measured}, with the Grid of each objective

Availability is `1 - outage time / scheduled time`, both counted on a clock
of the service's `hours` less its maintenance `window`, closed on its
holidays: overlapping outages count once, and a window cut by the term counts
its inside part. An incident counts in the window in which it started, for its
service's `response_time` (with `responded`) and `resolution_time` (with
`resolved`) objectives of its priority, else those without a priority; its
time is counted in business time on the service's business clock when the
target is in `bh` or `bd`. An objective with a percentile (attainment) gets
the share of incidents within its target; one without gets the worst time.

Memory holds, per service, the outages that still overlap (one, for outages
in order of start) and, per objective, one aggregate per window.
"""

from __future__ import annotations

import datetime
import operator
from decimal import Decimal

from ..model.clock import ALWAYS, Clock, WeekSchedule, clock_hours, closed_dates, term_years
from ..values import UNIT_SECONDS, Duration, Percent
from .windows import Grid, TooManyWindows

HUNDRED = Decimal(100)
INCIDENT_METRICS = {"response_time": "responded", "resolution_time": "resolved"}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_MICRO = datetime.timedelta(microseconds=1)
_MOST_HOLIDAY_YEARS = 100


class EventError(ValueError):
    """An event the accounting cannot take, said for the row that holds it."""


class OutOfOrder(EventError):
    """An outage that starts before the end of outages already counted for its service."""


class Measured:
    """One objective's value in one window. `value` is a Percent, Duration or number
    (None: no events, so nothing was missed); `share` says it is the share of
    events within the target (attainment); `holds` (events only) whether each
    credit threshold's condition holds, by (op, threshold); `detail` how it was
    counted; `source` `events` or `measurements`; `events` how many incidents."""

    __slots__ = ("value", "share", "holds", "detail", "source", "events")

    def __init__(self, value, share=False, holds=None, detail="", source="measurements", events=None) -> None:
        self.value, self.share, self.holds, self.detail = value, share, holds, detail
        self.source, self.events = source, events


def availability_clock(service, years: range | None = None) -> Clock:
    """The clock availability counts on: `hours` (24x7 without) less the maintenance window."""
    week = WeekSchedule.of(service.hours) if service.hours is not None else ALWAYS
    if service.maintenance is not None and service.maintenance.window is not None:
        week = week.minus(WeekSchedule.of(service.maintenance.window))
    return Clock(week, service.timezone, _closed(service, years))


def business_clock(service, years: range | None = None) -> Clock | None:
    """The clock of the service's business durations (business_hours, else hours)."""
    hours = clock_hours(service)
    return None if hours is None else Clock(WeekSchedule.of(hours), service.timezone, _closed(service, years))


def _closed(service, years):
    agreement = service.agreement
    if years is None:
        start = agreement.effective or datetime.date(2000, 1, 1)
        years = term_years(start, agreement.expires, _MOST_HOLIDAY_YEARS)
    return closed_dates(service.holidays or (), years)


def incident_objectives(service, priority: str) -> list:
    """The service's incident objectives an incident of `priority` counts for."""
    found = []
    for metric in INCIDENT_METRICS:
        same = [o for o in service.objectives if o.metric is not None and o.metric.id == metric and o.window]
        own = [o for o in same if o.priority == priority]
        found += own or [o for o in same if o.priority is None]
    return found


def credit_thresholds(objective) -> list[tuple[str, object]]:
    """The (op, threshold) of the credits on `objective`."""
    agreement = objective.service.agreement
    seen = []
    for credit in agreement.all_credits:
        if getattr(credit, "objective", None) is objective and credit.condition is not None:
            key = (credit.op, credit.threshold)
            if key not in seen:
                seen.append(key)
    return seen


# -- availability ------------------------------------------------------------------------------


class _Outages:
    """One service's outages: merged while they overlap, then counted into each
    availability objective's windows."""

    def __init__(self, service, objectives) -> None:
        self.clock = availability_clock(service)
        self.grids = [(objective, Grid.of(objective)) for objective in objectives]
        self.grids = [(objective, grid) for objective, grid in self.grids if grid is not None]
        self.down: dict = {objective: {} for objective, _ in self.grids}
        self.last = [(None, None, None)] * len(self.grids)  # each grid's last window: index, start, end
        self.start = self.end = None  # the outage being merged
        self.counted_until = None

    def add(self, start: datetime.datetime, end: datetime.datetime) -> None:
        if self.counted_until is not None and start < self.counted_until:
            raise OutOfOrder(
                "this outage starts before the end of an earlier one of the service "
                f"({self.counted_until.isoformat()}), which is already counted: "
                "list each service's outages in order of start"
            )
        for objective, grid in self.grids:
            try:
                grid.check_span(start, end, objective)
            except TooManyWindows as problem:
                raise EventError(str(problem)) from None
        if self.end is not None and start <= self.end:
            self.end = max(self.end, end)
            return
        self.flush()
        self.start, self.end = start, end

    def flush(self) -> None:
        if self.start is None:
            return
        start, end = self.start, self.end
        for position, (objective, grid) in enumerate(self.grids):
            windows = self.down[objective]
            index, first, last = self.last[position]
            if first is not None and first <= start and end <= last:  # most outages: the last window
                windows[index] = windows.get(index, 0) + self.clock.open_seconds(start, end)
                continue
            for index in grid.indexes(start, end, objective) if end > start else ():
                bounds = grid.bounds(index)
                if bounds is None:
                    continue
                self.last[position] = (index, *bounds)
                piece_start, piece_end = max(start, bounds[0]), min(end, bounds[1])
                if piece_start < piece_end:
                    windows[index] = windows.get(index, 0) + self.clock.open_seconds(piece_start, piece_end)
        self.counted_until, self.start, self.end = end, None, None

    def measured(self, objective, index: int, grid: Grid) -> Measured | None:
        bounds = grid.bounds(index)
        if bounds is None:
            return None
        scheduled = self.clock.open_seconds(*bounds)
        if not scheduled:
            return None
        down = self.down[objective].get(index, Decimal(0))
        value = Percent((1 - down / scheduled) * HUNDRED)
        detail = f"{_hours(down)} down in {_hours(scheduled)} scheduled"
        return Measured(value, detail=detail, source="events")


def _hours(seconds: Decimal) -> str:
    from ..model.strength import spell_seconds

    return spell_seconds(seconds)


# -- incidents ---------------------------------------------------------------------------------


class _Tally:
    """One incident objective's window: how many incidents, how many met the target,
    the worst time, and how many fell on the breach side of each credit threshold."""

    __slots__ = ("count", "within", "worst", "beyond")

    def __init__(self, thresholds: int) -> None:
        self.count, self.within, self.worst = 0, 0, None
        self.beyond = [0] * thresholds


class _Incidents:
    """One incident objective: its clock, its thresholds and a tally per window."""

    def __init__(self, objective) -> None:
        self.objective = objective
        self.grid = Grid.of(objective)
        self.column = INCIDENT_METRICS[objective.metric.id]
        self.target = objective.target
        self.thresholds = [(op, value) for op, value in credit_thresholds(objective) if isinstance(value, Duration)]
        self.clock = None
        if any(_business(value) for value in (self.target.value, *(value for _, value in self.thresholds))):
            self.clock = business_clock(objective.service)
            if self.clock is None:  # business time without a clock (SL311): nothing to count on
                self.grid = None
        self.tallies: dict[int, _Tally] = {}
        self.open: list = []  # (index, start) of incidents without the timestamp yet

    def add(self, start: datetime.datetime, stop: datetime.datetime | None) -> None:
        index = self.grid.index_of(start)
        if self.grid.bounds(index) is None:
            return  # outside the term
        if stop is None:
            self.open.append((index, start))
        else:
            self._record(index, start, stop)

    def _record(self, index: int, start, stop) -> None:
        tally = self.tallies.get(index) or self.tallies.setdefault(index, _Tally(len(self.thresholds)))
        length = self.length(start, stop, self.target.value)
        tally.count += 1
        if COMPARE[self.target.op](length, _number(self.target.value)):
            tally.within += 1
        if tally.worst is None or length > tally.worst:
            tally.worst = length
        for position, (op, threshold) in enumerate(self.thresholds):
            if COMPARE[op](self.length(start, stop, threshold), _number(threshold)):
                tally.beyond[position] += 1

    def length(self, start, stop, like) -> Decimal:
        """The time from start to stop in the family of `like`: business hours, whole
        business days, or seconds."""
        unit = like.unit if isinstance(like, Duration) else "s"
        if unit == "bh" and self.clock is not None:
            return self.clock.open_seconds(start, max(stop, start)) / 3600
        if unit == "bd" and self.clock is not None:
            return Decimal(_business_days(self.clock, start, stop))
        return Decimal((stop - start) // _MICRO).scaleb(-6)

    def close(self, data_end: datetime.datetime) -> None:
        """Incidents still open: missed once their deadline has passed by the end of
        the data (counted with the time until then), else not counted."""
        target = self.target
        for index, start in self.open:
            if data_end > start and not COMPARE[target.op](
                self.length(start, data_end, target.value), _number(target.value)
            ):
                self._record(index, start, data_end)
        self.open = []

    def measured(self, index: int) -> Measured | None:
        if self.grid.bounds(index) is None:
            return None
        tally = self.tallies.get(index)
        if tally is None or not tally.count:
            return Measured(
                None, share=self.objective.percentile is not None, detail="no incidents", source="events", events=0
            )
        if self.objective.percentile is not None:
            share = Percent(Decimal(tally.within) / tally.count * HUNDRED)
            holds = {
                key: Decimal(tally.count - beyond) / tally.count * HUNDRED < self.objective.percentile
                for key, beyond in zip(self.thresholds, tally.beyond, strict=True)
            }
            detail = f"{tally.within} of {tally.count} within {self.target.value}"
            return Measured(share, share=True, holds=holds, detail=detail, source="events", events=tally.count)
        unit = self.target.value.unit
        worst = tally.worst if unit in ("bh", "bd") else tally.worst / UNIT_SECONDS[unit]
        detail = f"worst of {tally.count} incident{'s' if tally.count != 1 else ''}"
        # The worst is beyond a threshold when any incident is: so for thresholds in another unit too.
        holds = {key: beyond > 0 for key, beyond in zip(self.thresholds, tally.beyond, strict=True)}
        return Measured(Duration(worst, unit), holds=holds, detail=detail, source="events", events=tally.count)


def _business(value) -> bool:
    return isinstance(value, Duration) and value.business


def _number(value) -> Decimal:
    """A threshold in the family `length` counts in."""
    return value.amount if _business(value) else value.seconds


def _business_days(clock: Clock, start: datetime.datetime, stop: datetime.datetime) -> int:
    """The fewest whole business days whose deadline from `start` is not before `stop`."""
    if stop <= start:
        return 0
    low, high = 0, 1
    while True:
        deadline = clock.deadline(start, high, "bd")
        if deadline is None or deadline >= stop or high > 1 << 20:
            break
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        deadline = clock.deadline(start, middle, "bd")
        if deadline is None or deadline >= stop:
            high = middle
        else:
            low = middle
    return high


# -- the accounting ----------------------------------------------------------------------------


class Accounting:
    """Measured values from events, objective by objective and window by window."""

    def __init__(self) -> None:
        self._outages: dict = {}
        self._incidents: dict = {}
        self.coverage: dict = {}  # agreement -> [first start, last end]

    def _cover(self, agreement, start, end) -> None:
        span = self.coverage.get(agreement)
        if span is None:
            self.coverage[agreement] = [start, end]
        else:
            span[0], span[1] = min(span[0], start), max(span[1], end)

    def add_outage(self, service, start: datetime.datetime, end: datetime.datetime) -> None:
        """EventError when it starts before outages of the service already counted, or
        spans more windows than are evaluated."""
        self._cover(service.agreement, start, end)
        self._outages_of(service).add(start, end)

    def _outages_of(self, service) -> _Outages:
        outages = self._outages.get(service)
        if outages is None:
            objectives = [o for o in service.objectives if o.metric is not None and o.metric.id == "availability"]
            outages = self._outages[service] = _Outages(service, objectives)
        return outages

    def add_incident(self, service, priority: str, start, responded=None, resolved=None) -> None:
        stamps = {"responded": responded, "resolved": resolved}
        self._cover(service.agreement, start, max([start, *(s for s in stamps.values() if s is not None)]))
        for objective in incident_objectives(service, priority):
            incidents = self._incidents.get(objective)
            if incidents is None:
                incidents = self._incidents[objective] = _Incidents(objective)
            if incidents.grid is not None:
                incidents.add(start, stamps[incidents.column])

    def measured(self) -> dict:
        """{(objective, index): Measured} for every window the events cover: from the
        first start to the last end of the events of each agreement they name."""
        found = {}
        for outages in self._outages.values():
            outages.flush()
        for agreement, (first, last) in self.coverage.items():
            for service in agreement.services:
                for objective in service.objectives:
                    grid = Grid.of(objective)
                    if grid is None or objective.metric is None:
                        continue
                    metric = objective.metric.id
                    incidents = self._incidents.get(objective)
                    if metric == "availability":
                        outages = self._outages_of(service)
                        source = lambda index, o=objective, g=grid, out=outages: out.measured(o, index, g)  # noqa: E731
                    elif metric in INCIDENT_METRICS:
                        if incidents is None:
                            incidents = self._incidents[objective] = _Incidents(objective)
                        if incidents.grid is None:
                            continue
                        incidents.close(last)
                        source = incidents.measured
                    else:
                        continue
                    for index in grid.indexes(first, last, objective):
                        value = source(index)
                        if value is not None:
                            found[(objective, index)] = value
        return found
