"""SL403's check, hours-coverage (see checks.py for the API): the service hours
of a supporting agreement must cover the hours of what it supports.

A set of minutes of the week is an int, bit m for minute m: a union is `|`,
what is left uncovered is `& ~`, and a timezone's offset is a rotation. The
hours of an agreement's services are joined by timezone once per run.
"""

from __future__ import annotations

from ..model.clock import ALWAYS, WeekSchedule, shift_minutes, zone
from ..model.nodes import Agreement, Service, anchor_of
from .checks import Violation, once, register
from .cost import pay
from .expr.functions import services_of
from .support_graph import links, owner
from .week_text import describe_week, schedule_text


def week_mask(hours) -> int:
    """The minutes of the week a values.Schedule covers, as the clock's bit mask."""
    return WeekSchedule.of(hours).mask


class _Offered:
    """An agreement's own service hours, by timezone: the minutes they cover as
    seen from another timezone on a given day are a union of a few rotations."""

    def __init__(self, services: list[Service]) -> None:
        self.unzoned = 0  # hours without a timezone, or with one that does not exist: never moved
        self.zoned: dict[str, int] = {}
        for service in services:
            if service.timezone and zone(service.timezone) is not None:
                self.zoned[service.timezone] = self.zoned.get(service.timezone, 0) | week_mask(service.hours)
            else:
                self.unzoned |= week_mask(service.hours)
        self.everything = self.unzoned == ALWAYS.mask or ALWAYS.mask in self.zoned.values()
        self.seen: dict[tuple, int] = {}

    def seen_from(self, timezone: str | None, day, ctx) -> int:
        """The minutes covered, in `timezone` (None: as written) on `day`."""
        key = (timezone, day)
        if key not in self.seen:
            pay(ctx, 1 + len(self.zoned))
            covered = self.unzoned
            for own_zone, mask in self.zoned.items():
                covered |= WeekSchedule(mask).shifted(shift_minutes(own_zone, timezone, day)).mask
            self.seen[key] = covered
        return self.seen[key]


def _schedule_of(service: Service, ctx) -> tuple[str | None, int]:
    """A supported service's timezone (None if it has none that exists) and minutes."""
    known = service.timezone if service.timezone and zone(service.timezone) is not None else None
    return known, once(ctx, ("minutes", service), lambda: week_mask(service.hours))


def _needed_hours(item, ctx) -> dict[str | None, tuple[int, list]]:
    """The hours of an agreement's or a service's services, by timezone: (their union, [(position, service)])."""
    by_zone: dict[str | None, tuple[int, list]] = {}
    services = [service for service in services_of(item) if service.hours is not None]
    pay(ctx, len(services) + 1)
    for position, service in enumerate(services):
        zone, minutes = _schedule_of(service, ctx)
        union, members = by_zone.get(zone, (0, []))
        members.append((position, service))
        by_zone[zone] = (union | minutes, members)
    return by_zone


def _listed(items: list[str], most: int = 3) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


@register(
    "hours-coverage",
    scope="agreement",
    summary="The supporting agreement's service hours do not cover the hours of the service it supports",
)
def hours_coverage(agreement: Agreement, ctx):
    if agreement.kind == "sla" or not agreement.supports:
        return
    own = [service for service in agreement.services if service.hours is not None]
    pay(ctx, len(agreement.services) + 1)
    if not own:
        return  # no hours at all is SL505's business
    offered = once(ctx, ("offered hours", agreement), lambda: _Offered(own))
    if offered.everything:
        return
    covers = _listed([schedule_text(service.hours) for service in own])
    for item in links(agreement):
        supported = owner(item)
        needed = once(ctx, ("needed hours", item), lambda item=item: _needed_hours(item, ctx))
        short = []
        for needed_zone, (union, members) in needed.items():
            covered = offered.seen_from(needed_zone, supported.effective, ctx)
            if union & ~covered:  # else every service of this timezone is covered
                pay(ctx, len(members))
                short += [(position, service, covered) for position, service in members]
        for _, service, covered in sorted(short, key=lambda entry: entry[0]):
            gaps = _schedule_of(service, ctx)[1] & ~covered
            if gaps:
                written_zone = f" ({service.timezone})" if service.timezone else ""
                described = once(ctx, ("gaps", gaps), lambda gaps=gaps: describe_week(gaps))
                yield Violation(
                    f"{agreement.label} covers {covers} but supports service '{service.id}' of {supported.label}, "
                    f"which runs {schedule_text(service.hours)}{written_zone}: not covered {described}",
                    own[0].spans.get("hours", own[0].span),
                    about=anchor_of(service),
                    related=(service.file,),
                )
