"""SL408 and SL409's checks (see checks.py for the API): the holidays and the
maintenance windows of a supporting agreement must not leave the service it
supports without cover.

Both compare minutes as SL403 does: the supporter's schedules moved into the
supported service's timezone by the UTC offsets on the supported agreement's
`effective` date, with the clock package's week masks. A gap needs every
service of the supporting agreement to be closed (any of them could serve),
and at least one closed by what the rule is about (a holiday, maintenance)
while its hours are open: what the hours alone leave open is SL403's.
Members of a redundancy group of two or more work in parallel: SL409 reports
only the minutes in which every member is down by plan, once per group.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ..model.clock import ALWAYS, WeekSchedule, closed_dates, shift_minutes, term_years, zone
from ..model.nodes import Agreement, Service, anchor_of
from ..values import MINUTES_PER_DAY, MINUTES_PER_WEEK
from .checks import Violation, register
from .cost import pay
from .expr.functions import services_of
from .redundancy import groups_of, in_parallel
from .support_graph import links, owner
from .week_text import describe_week, schedule_text

_FRAME = 3 * MINUTES_PER_DAY  # the day before a date, the date, the day after
_DATE = ((1 << MINUTES_PER_DAY) - 1) << MINUTES_PER_DAY  # the date's own minutes in a frame
_NEAR = range(-2, 3)  # a holiday this many days off can reach a date (UTC offsets differ by < 2 days)


def _known_zone(service: Service) -> str | None:
    return service.timezone if service.timezone and zone(service.timezone) is not None else None


def _week(hours) -> WeekSchedule:
    """A schedule's week; a service without hours is not closed by them."""
    return ALWAYS if hours is None else WeekSchedule.of(hours)


def _supported_services(agreement: Agreement) -> Iterator[tuple[Agreement, Service]]:
    for item in links(agreement):
        for service in services_of(item):
            if service.hours is not None:  # no hours at all is SL505's
                yield owner(item), service


def _first_dates(items: list[str], most: int = 3) -> str:
    if len(items) <= most:
        return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]
    rest = len(items) - most
    return ", ".join(items[:most]) + f" and {rest} more date{'s' if rest > 1 else ''}"


# -- SL408: holidays ------------------------------------------------------------------------------


def _term(agreement: Agreement) -> tuple[datetime.date, datetime.date, range]:
    """The supported agreement's term (its first and last date) and its years (at most the clock's MOST_TERM_YEARS)."""
    effective = agreement.effective
    years = term_years(effective, agreement.expires)
    if agreement.expires is not None and agreement.expires.year <= years[-1]:
        last = agreement.expires
    elif agreement.expires is not None:
        last = datetime.date(years[-1], 12, 31)
    else:
        last = _add_years(effective, 1) - datetime.timedelta(days=1)
    return effective, last, years


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _frame(week: WeekSchedule, weekday: int) -> int:
    """The open minutes of three days, the first a `weekday`, as bits 0..3 days."""
    return week.shifted(-weekday * MINUTES_PER_DAY).mask & ((1 << _FRAME) - 1)


class _Supporter:
    """A supporting service as seen from the supported service's timezone."""

    def __init__(self, service: Service, needed_zone: str | None, day: datetime.date, years) -> None:
        self.service = service
        self.shift = shift_minutes(_known_zone(service), needed_zone, day)
        week = _week(service.hours).shifted(self.shift)
        self.frames = [_frame(week, weekday) for weekday in range(7)]
        self.closed = closed_dates(service.holidays, years) if service.holidays else frozenset()

    def holiday_minutes(self, date: datetime.date) -> int:
        """The minutes of the frame around `date` that this service's holidays close."""
        minutes = 0
        for offset in _NEAR:
            if date + datetime.timedelta(days=offset) in self.closed:
                start = (offset + 1) * MINUTES_PER_DAY + self.shift
                low, high = max(start, 0), min(start + MINUTES_PER_DAY, _FRAME)
                if low < high:
                    minutes |= ((1 << (high - low)) - 1) << low
        return minutes


def holiday_gaps(supporters: list[Service], service: Service, supported: Agreement, ctx):
    """The dates of the supported term with a holiday gap (sorted), and the supporting
    service whose holidays close the first of them; ([], None) for none."""
    first, last, years = _term(supported)
    needed_zone = _known_zone(service)
    team = [_Supporter(each, needed_zone, first, years) for each in supporters]
    pay(ctx, sum(len(each.closed) for each in team) + len(team) + 1)
    closed_here = closed_dates(service.holidays, years) if service.holidays else frozenset()
    needed = WeekSchedule.of(service.hours)
    early, late = first - datetime.timedelta(days=_NEAR.stop), last + datetime.timedelta(days=_NEAR.stop)
    near_term = {day for each in team for day in each.closed if early <= day <= late}  # a few thousand at most
    candidates = {day + datetime.timedelta(days=offset) for day in near_term for offset in _NEAR}
    gaps: list[datetime.date] = []
    first_gap = 0
    seen: dict[tuple, int] = {}  # the same weekday and nearby holidays give the same gap
    for date in sorted(day for day in candidates if first <= day <= last and day not in closed_here):
        weekday = (date.weekday() - 1) % 7  # the frame starts the day before
        near = tuple(tuple(date + datetime.timedelta(days=k) in each.closed for k in _NEAR) for each in team)
        if (weekday, near) not in seen:
            open_any = by_holiday = 0
            for each in team:
                holiday = each.holiday_minutes(date)
                open_any |= each.frames[weekday] & ~holiday
                by_holiday |= each.frames[weekday] & holiday
            seen[weekday, near] = _frame(needed, weekday) & _DATE & ~open_any & by_holiday
        if seen[weekday, near]:
            first_gap = first_gap or seen[weekday, near]
            gaps.append(date)
    if not gaps:
        return [], None
    closing = next(each.service for each in team if each.holiday_minutes(gaps[0]) & first_gap)
    return gaps, closing


@register(
    "holiday-coverage",
    scope="agreement",
    summary="Every service of the supporting agreement is closed for a holiday while the supported service runs",
)
def holiday_coverage(agreement: Agreement, ctx):
    if agreement.kind == "sla" or not agreement.supports or not any(s.holidays for s in agreement.services):
        return
    for supported, service in _supported_services(agreement):
        if supported.effective is None:
            continue  # no term to look in
        gaps, closing = holiday_gaps(agreement.services, service, supported, ctx)
        if not gaps:
            continue
        dates = _first_dates([day.isoformat() for day in gaps])
        zone_text = f" ({service.timezone})" if service.timezone else ""
        yield Violation(
            f"{agreement.label} is closed for holidays on {dates}, when service '{service.id}' of "
            f"{supported.label}, which it supports, runs {schedule_text(service.hours)}{zone_text}: "
            "cover those dates, or close the supported service on them too",
            closing.position("holidays"),
            about=anchor_of(service),
            related=(service.file,),
        )


# -- SL409: maintenance ---------------------------------------------------------------------------


def _window(service: Service) -> WeekSchedule | None:
    maintenance = service.maintenance
    return None if maintenance is None or maintenance.window is None else WeekSchedule.of(maintenance.window)


def _spans(mask: int) -> list[tuple[int, int]]:
    """The runs of a week mask, a run across Sunday midnight kept whole (on Sunday)."""
    runs = list(WeekSchedule(mask).intervals)
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == MINUTES_PER_WEEK:
        runs = [*runs[1:-1], (runs[-1][0], runs[0][1] + MINUTES_PER_WEEK)]
    return sorted(runs)


def maintenance_gap(supporters: list[Service], service: Service, supported: Agreement) -> tuple[int, list]:
    """The minutes the supported service must run (outside its own maintenance) while
    every supporting service is closed and one of them in maintenance; and, per
    supporter, the minutes its window closes, in the supported service's timezone."""
    needed_zone, day = _known_zone(service), supported.effective
    needed = WeekSchedule.of(service.hours)
    own_window = _window(service)
    if own_window is not None:
        needed = needed.minus(own_window)
    available = in_maintenance = 0
    closing = []
    for each in supporters:
        shift = shift_minutes(_known_zone(each), needed_zone, day)
        hours = _week(each.hours).shifted(shift)
        window = _window(each)
        down = (hours & window.shifted(shift)) if window is not None else WeekSchedule(0)
        available |= hours.minus(down).mask
        in_maintenance |= down.mask
        closing.append((each, down.mask))
    return needed.mask & ~available & in_maintenance, closing


def _group_gap(members: list[Agreement], service: Service, supported: Agreement) -> int:
    """The minutes the supported service must run while every member of a redundancy
    group is down by plan: they work in parallel, so one member up is cover."""
    gap = ALWAYS
    for member in members:
        gap &= WeekSchedule(maintenance_gap(member.services, service, supported)[0])
    return gap.mask


def _first_span(gap: int) -> tuple[int, int, int]:
    """The first span of a gap as a week mask, its start minute and the number of spans."""
    spans = _spans(gap)
    start, end = spans[0]
    first_span = WeekSchedule.from_intervals([(start, min(end, MINUTES_PER_WEEK))]).mask
    if end > MINUTES_PER_WEEK:
        first_span |= WeekSchedule.from_intervals([(0, end - MINUTES_PER_WEEK)]).mask
    return first_span, start, len(spans)


@register(
    "maintenance-coverage",
    scope="agreement",
    summary="A supporting service's maintenance window falls in the supported service's hours",
)
def maintenance_coverage(agreement: Agreement, ctx):
    if agreement.kind == "sla" or not agreement.supports or all(_window(s) is None for s in agreement.services):
        return
    pay(ctx, len(agreement.services) + 1)
    for supported, service in _supported_services(agreement):
        pay(ctx, len(agreement.services) + 1)
        members = [agreement]
        gap, closing = maintenance_gap(agreement.services, service, supported)
        if in_parallel(agreement, service, ctx):
            members = sorted(groups_of(service, ctx)[agreement.redundancy], key=lambda member: member.id)
            if members[0] is not agreement:
                continue  # the group is reported once, by the member whose id sorts first
            pay(ctx, sum(len(member.services) for member in members) + 1)
            gap = _group_gap(members, service, supported)
        if not gap:
            continue
        first_span, start, count = _first_span(gap)
        culprit = next(each for each, down in closing if down >> start & 1)
        more = f" and {count - 1} more span{'s' if count > 2 else ''}" if count > 1 else ""
        span = f"{describe_week(first_span)}{f' ({service.timezone})' if service.timezone else ''}{more}"
        window = f"service '{culprit.id}' in {agreement.label} ({schedule_text(culprit.maintenance.window)})"
        if len(members) == 1:
            message = (
                f"the maintenance window of {window} falls in the hours of service '{service.id}' of "
                f"{supported.label}, which it supports, outside that service's own maintenance: {span}; move the "
                "window, or make it part of the supported service's maintenance"
            )
        else:
            message = (
                f"every member of redundancy group '{agreement.redundancy}' "
                f"({', '.join(member.label for member in members)}) is in planned maintenance at once in the hours "
                f"of service '{service.id}' of {supported.label}, which they support, outside that service's own "
                f"maintenance: {span}, starting with the window of {window}; move one member's window, or make the "
                "span part of the supported service's maintenance"
            )
        others = [member.file for member in members[1:] if member.file != agreement.file]
        yield Violation(
            message,
            culprit.maintenance.position("window"),
            about=anchor_of(service),
            related=tuple(dict.fromkeys([service.file, *others])),
        )
