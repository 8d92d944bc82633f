"""SL311 and SL312's checks (see checks.py for the API): a business duration
(`4bh`, `2bd`) needs a clock to count on, and a clock that is `24x7` with no
holidays makes it plain wall-clock time. Also the length of a business
duration, for the rules that compare one with another unit (SL307, SL509,
SL510).

A service's business values are its objectives' targets, the thresholds of
the credits on them and its maintenance `notice`; the clock is the one the
clock package names (business_hours when present, else hours).
"""

from __future__ import annotations

from decimal import Decimal

from ..model.clock import clock_hours, clock_week
from ..model.nodes import Agreement, Service, anchor_of
from ..model.strength import magnitude
from ..values import UNIT_SECONDS, Duration, Percent
from .checks import Violation, once, register
from .cost import pay

_UNIT_WORDS = {"bh": "business hours", "bd": "business days"}


def _business(value) -> bool:
    return isinstance(value, Duration) and value.business


def business_length(duration: Duration, service: Service, ctx):
    """A business duration's length in seconds on the service's clock: the longest
    time from a start minute of a week to its deadline (None without a clock)."""

    def worked_out():
        week = clock_week(service)
        if week is None:
            return None
        pay(ctx, 100)
        try:
            return week.longest(duration.amount, duration.unit)
        except ValueError:  # a fractional bd: reported where it is written
            return None

    return once(ctx, ("length", service, duration.amount, duration.unit), worked_out)


def in_one_order(a, b, service: Service, ctx) -> tuple[Decimal, Decimal] | None:
    """`a` and `b` (values of one service) as two numbers in one order, or None when
    they are of different kinds or cannot be measured against each other. Two
    durations in one unit compare by their numbers; a business one against another
    unit by its length on the service's clock."""
    if type(a) is not type(b) or not isinstance(a, Decimal | Percent | Duration):
        return None
    if not isinstance(a, Duration):
        return magnitude(a), magnitude(b)
    if a.unit == b.unit or (a.unit in UNIT_SECONDS and b.unit in UNIT_SECONDS):
        return (a.amount, b.amount) if a.unit == b.unit else (a.seconds, b.seconds)
    lengths = [d.seconds if d.unit in UNIT_SECONDS else business_length(d, service, ctx) for d in (a, b)]
    return None if None in lengths else (lengths[0], lengths[1])


def _credits_by_service(agreement: Agreement, ctx) -> dict[Service, list]:
    """The agreement's credits whose threshold is a business duration, by the service of their objective."""
    pay(ctx, len(agreement.credits) + 1)
    found: dict[Service, list] = {}
    for credit in agreement.credits:
        if credit.objective is not None and _business(credit.threshold):
            found.setdefault(credit.objective.service, []).append(credit)
    return found


def business_values(service: Service, ctx) -> list[tuple[str, Duration, object, str]]:
    """(what it is, the value, where it is written, its anchor) of each business value of the service."""
    found = []
    pay(ctx, len(service.objectives) + 1)
    for objective in service.objectives:
        if objective.target is not None and _business(objective.target.value):
            what = f"objective '{objective.id}' of service '{service.id}' in {service.agreement.label} promises"
            found.append((what, objective.target.value, objective.position("target"), anchor_of(objective, "target")))
    credits = once(ctx, ("business credits", service.agreement), lambda: _credits_by_service(service.agreement, ctx))
    for credit in credits.get(service, ()):
        what = f"the credit when {credit.condition} in {service.agreement.label} counts"
        found.append((what, credit.threshold, credit.position("when"), anchor_of(credit)))
    maintenance = service.maintenance
    if maintenance is not None and _business(maintenance.notice):
        what = f"the maintenance notice of service '{service.id}' in {service.agreement.label} is"
        found.append((what, maintenance.notice, maintenance.position("notice"), anchor_of(maintenance, "notice")))
    return found


@register(
    "business-time-without-hours",
    scope="service",
    summary="A business duration on a service with neither hours nor business_hours",
)
def business_time_without_hours(service: Service, ctx):
    if "hours" in service.spans or "business_hours" in service.spans:
        return  # written, even with an invalid value (SL003 says so)
    for what, value, span, about in business_values(service, ctx):
        yield Violation(
            f"{what} {value}, but the service has neither 'hours' nor 'business_hours' to count "
            f"{_UNIT_WORDS[value.unit]} on: add business_hours (e.g. business_hours: mon-fri 08:00-18:00)",
            span,
            about=about,
        )


@register(
    "business-time-on-24x7",
    scope="service",
    summary="A business duration whose clock is 24x7 with no holidays, so it is plain wall-clock time",
)
def business_time_on_24x7(service: Service, ctx):
    clock = clock_hours(service)
    if clock is None or not clock.always or service.holidays:
        return
    if "business_hours" in service.spans and service.business_hours is None:
        return  # invalid business_hours (SL003): its clock is unknown
    field = "business_hours" if service.business_hours is not None else "hours"
    for what, value, span, about in business_values(service, ctx):
        plain = Duration(value.amount, "h" if value.unit == "bh" else "d")
        yield Violation(
            f"{what} {value}, but its clock ('{field}') is 24x7 with no holidays, so {_UNIT_WORDS[value.unit]} "
            f"are plain {'hours' if plain.unit == 'h' else 'days'}: write {plain}, or give the service "
            "the business_hours its people work",
            span,
            about=about,
        )
