"""The Python checks of the support graph (see checks.py for the API).

Each does something an expression cannot say well: pick the strictest of a
set of targets and compare it across agreements (SL402), compute the union
of weekly service hours across timezones (SL403), multiply the availability
of agreements in series (SL405), find cycles in the support graph (SL406).

A thousand one-line OLAs may support an agreement of a thousand services,
and one OLA may name the same agreement a thousand times. So links are taken
once however often they are written, what a check needs of an agreement or
a service is worked out once per run (`once`) and indexed, and every step is
paid for from the run's budget: time grows with the workspace and its links,
not with their product.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

from ..model.nodes import Agreement, Objective, Service, anchor_of
from ..values import MINUTES_PER_WEEK, Duration, Percent
from .checks import FINDINGS_PER_RULE_AND_FILE, Violation, once, register
from .cost import pay
from .expr import _aggregate, _human, compare
from .model_view import format_value, kind_of
from .week_text import describe_week


def _services_of(node) -> list[Service]:
    return list(node.services) if isinstance(node, Agreement) else [node]


def _objectives_of(agreement: Agreement) -> list[Objective]:
    return [objective for service in agreement.services for objective in service.objectives]


def _links(agreement: Agreement) -> list:
    """What `agreement` supports, each service once: a service is left out when
    its whole agreement is named too."""
    whole = {item for item in agreement.supports if isinstance(item, Agreement)}
    return [item for item in agreement.supports if isinstance(item, Agreement) or item.agreement not in whole]


def _owner(item) -> Agreement:
    return item if isinstance(item, Agreement) else item.agreement


# -- SL402: a supporting agreement's targets ------------------------------------------


def _key(objective: Objective) -> tuple:
    """Objectives compare when they are on the same metric, priority and percentile."""
    return (objective.metric, objective.priority, objective.percentile)


def magnitude(value) -> Decimal:
    """A percent, a duration (in seconds) or a number as a number, to order values of one kind."""
    if isinstance(value, Percent):
        return value.value
    return value.seconds if isinstance(value, Duration) else value


def _strictness(objective: Objective):
    """A number that grows as the target gets stricter, or None if it cannot be compared."""
    target, metric = objective.target, objective.metric
    if target is None or metric is None or metric.better not in ("higher", "lower"):
        return None
    amount = magnitude(target.value)
    return amount if metric.better == "higher" else -amount


def _describe(objective: Objective) -> str:
    """`99.95% availability`, `p99 latency <= 300ms`, `P1 response_time <= 15min`."""
    metric = objective.metric.id
    qualifiers = []
    if objective.priority:
        qualifiers.append(objective.priority)
    if objective.percentile is not None:
        qualifiers.append(f"p{objective.percentile}")
    prefix = " ".join(qualifiers) + " " if qualifiers else ""
    if objective.metric.unit == "percent" and objective.target.op in (">=", ">"):
        return f"{objective.target.value} {prefix}{metric}"
    return f"{prefix}{metric} {objective.target}"


@register(
    "underpinning-targets",
    scope="objective",
    summary="A supporting agreement's strictest target on a metric is weaker than the supported service's",
)
def underpinning_targets(objective: Objective, ctx):
    agreement = objective.agreement
    if agreement.kind == "sla" or not agreement.supports or _strictness(objective) is None:
        return
    weaker = once(ctx, ("weaker targets", agreement), lambda: _weaker_targets(agreement, ctx))
    yield from weaker.get(objective, ())


def _weaker_targets(agreement: Agreement, ctx) -> dict[Objective, list[Violation]]:
    """For each strictest objective of `agreement` (one per key and unit: the first
    of equals), a finding for each target of what it supports that it does not meet."""
    objectives = _objectives_of(agreement)
    pay(ctx, len(objectives) + 1)
    strictest: dict[tuple, tuple] = {}
    for objective in objectives:
        strictness = _strictness(objective)
        if strictness is not None and (_key(objective) not in strictest or strictness > strictest[_key(objective)][0]):
            strictest[_key(objective)] = (strictness, objective)
    mine = {
        (key, type(objective.target.value)): (strictness, objective)
        for key, (strictness, objective) in strictest.items()
    }
    found: dict[Objective, list[Violation]] = {}
    count = 0
    for item in _links(agreement):
        needed = once(ctx, ("needed targets", item), lambda item=item: _needed_targets(item, ctx))
        pay(ctx, min(len(mine), len(needed)) + 1)
        keys = mine if len(mine) <= len(needed) else needed  # look up the fewer in the other
        for key in keys:
            if key not in mine or key not in needed:
                continue
            strictness, objective = mine[key]
            short = []
            for required, position, service, target in needed[key]:  # the strictest first
                if required <= strictness or count >= FINDINGS_PER_RULE_AND_FILE:
                    break
                short.append((position, service, target))
                count += 1
            pay(ctx, len(short))
            for _, service, target in sorted(short, key=lambda entry: entry[0]):  # in the order written
                found.setdefault(objective, []).append(
                    Violation(
                        f"{_owner(item).label} promises {_describe(target)} for service '{service.id}' but "
                        f"{agreement.label} guarantees only {_describe(objective)}",
                        objective.span,
                        about=anchor_of(target),
                        related=(target.file,),
                    )
                )
    return found


def _needed_targets(item, ctx) -> dict[tuple, list]:
    """The comparable targets of an agreement or a service, by key and unit, the strictest first:
    [(strictness, position, service, objective)]."""
    index: dict[tuple, list] = {}
    position = 0
    for service in _services_of(item):
        pay(ctx, 1 + len(service.objectives))
        for objective in service.objectives:
            required = _strictness(objective)
            if required is not None:
                index.setdefault((_key(objective), type(objective.target.value)), []).append(
                    (required, position, service, objective)
                )
                position += 1
    for entries in index.values():
        entries.sort(key=lambda entry: (-entry[0], entry[1]))
    return index


# -- SL403: a supporting agreement's hours -----------------------------------------------

_WEEK = (1 << MINUTES_PER_WEEK) - 1  # a set of minutes of the week is an int: bit m is minute m


def _minutes(hours) -> int:
    mask = 0
    for start, end in hours.week_intervals():
        mask |= ((1 << (end - start)) - 1) << start
    return mask


def _rotated(mask: int, shift: int) -> int:
    """The minutes `shift` later, the week wrapping around."""
    shift %= MINUTES_PER_WEEK
    return ((mask << shift) | (mask >> (MINUTES_PER_WEEK - shift))) & _WEEK if shift else mask


@functools.lru_cache(maxsize=1024)
def _zone(timezone: str):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


@functools.lru_cache(maxsize=4096)
def _utc_offset_minutes(timezone: str, day) -> int:
    import datetime

    moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=_zone(timezone))
    return int(moment.utcoffset().total_seconds() // 60)


class _Offered:
    """An agreement's own service hours, by timezone: the minutes they cover as
    seen from another timezone on a given day are a union of a few rotations."""

    def __init__(self, services: list[Service]) -> None:
        self.unzoned = 0  # hours without a timezone, or with one that does not exist: never moved
        self.zoned: dict[str, int] = {}
        for service in services:
            if service.timezone and _zone(service.timezone) is not None:
                self.zoned[service.timezone] = self.zoned.get(service.timezone, 0) | _minutes(service.hours)
            else:
                self.unzoned |= _minutes(service.hours)
        self.everything = self.unzoned == _WEEK or _WEEK in self.zoned.values()
        self.seen: dict[tuple, int] = {}

    def seen_from(self, timezone: str | None, day, ctx) -> int:
        """The minutes covered, in `timezone` (None: as written) on `day`."""
        key = (timezone, day)
        if key not in self.seen:
            pay(ctx, 1 + len(self.zoned))
            covered = self.unzoned
            for zone, mask in self.zoned.items():
                shift = 0
                if timezone and zone != timezone and day:
                    shift = _utc_offset_minutes(timezone, day) - _utc_offset_minutes(zone, day)
                covered |= _rotated(mask, shift)
            self.seen[key] = covered
        return self.seen[key]


def _schedule_of(service: Service, ctx) -> tuple[str | None, int]:
    """A supported service's timezone (None if it has none that exists) and minutes."""
    zone = service.timezone if service.timezone and _zone(service.timezone) is not None else None
    return zone, once(ctx, ("minutes", service), lambda: _minutes(service.hours))


def _needed_hours(item, ctx) -> dict[str | None, tuple[int, list]]:
    """The hours of an agreement's or a service's services, by timezone: (their union, [(position, service)])."""
    by_zone: dict[str | None, tuple[int, list]] = {}
    services = [service for service in _services_of(item) if service.hours is not None]
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
    covers = _listed([str(service.hours) for service in own])
    for item in _links(agreement):
        owner = _owner(item)
        needed = once(ctx, ("needed hours", item), lambda item=item: _needed_hours(item, ctx))
        short = []
        for zone, (union, members) in needed.items():
            covered = offered.seen_from(zone, owner.effective, ctx)
            if union & ~covered:  # else every service of this timezone is covered
                pay(ctx, len(members))
                short += [(position, service, covered) for position, service in members]
        for _, service, covered in sorted(short, key=lambda entry: entry[0]):
            gaps = _schedule_of(service, ctx)[1] & ~covered
            if gaps:
                zone = f" ({service.timezone})" if service.timezone else ""
                described = once(ctx, ("gaps", gaps), lambda gaps=gaps: describe_week(gaps))
                yield Violation(
                    f"{agreement.label} covers {covers} but supports service '{service.id}' of {owner.label}, "
                    f"which runs {service.hours}{zone}: not covered {described}",
                    own[0].spans.get("hours", own[0].span),
                    about=anchor_of(service),
                    related=(service.file,),
                )


# -- SL405: agreements in series ------------------------------------------------------------


class _Series:
    """The supporters (not retired) of a service that have an availability objective, and
    the product of their strictest availability targets, as product() would compute it."""

    def __init__(self) -> None:
        self.count = 0
        self.kinds: set[str] = set()
        self.fraction = Decimal(1)  # of the percents
        self.number = Decimal(1)
        self.overflow = False
        self.parts: list[list[tuple[Agreement, object]]] = []  # the factors, one list per add(): shared, not copied
        self._files: tuple[str, ...] | None = None

    def add(self, supporters: list[Agreement], ctx) -> _Series:
        pay(ctx, len(supporters) + 1)
        factors: list[tuple[Agreement, object]] = []
        self.parts.append(factors)
        for supporter in supporters:
            if supporter.status == "retired":
                continue
            has_availability, best = once(ctx, ("availability", supporter), lambda s=supporter: _availability(s, ctx))
            self.count += has_availability
            if best is None:
                continue
            factors.append((supporter, best))
            self.kinds.add(kind_of(best))
            try:
                if isinstance(best, Percent):
                    self.fraction *= best.fraction
                elif isinstance(best, Decimal):
                    self.number *= best
            except (InvalidOperation, ArithmeticError):
                self.overflow = True
        return self

    def plus(self, supporters: list[Agreement], ctx) -> _Series:
        more = _Series()
        more.count, more.kinds, more.fraction, more.number, more.overflow, more.parts = (
            self.count,
            set(self.kinds),
            self.fraction,
            self.number,
            self.overflow,
            list(self.parts),
        )
        return more.add(supporters, ctx)

    def composition(self, most: int = 5) -> str:
        """`OLA 'db' (99.9%) × contract 'cloud' (99.9%) = 99.8001%`: the first `most` factors,
        in the order of `supported_by` (the service's own supporters, then its agreement's)."""
        shown: list[str] = []
        count = 0
        for factors in reversed(self.parts):
            count += len(factors)
            shown += [
                f"{supporter.label} ({format_value(target)})" for supporter, target in factors[: most - len(shown)]
            ]
        if count > len(shown):
            shown.append(f"{count - len(shown):,} more")
        return f"{' × '.join(shown)} = {_human(self.product)}"

    def files(self) -> tuple[str, ...]:
        """The files of the supporters counted (worked out once: services share a series)."""
        if self._files is None:
            self._files = tuple(dict.fromkeys(s.file for factors in self.parts for s, _ in factors))
        return self._files

    @property
    def product(self):
        if self.overflow or len(self.kinds) != 1:
            return None
        try:
            if self.kinds == {"percent"}:
                return Percent(self.fraction * 100)
            return self.number if self.kinds == {"number"} else None
        except (InvalidOperation, ArithmeticError):
            return None


def _availability(agreement: Agreement, ctx) -> tuple[bool, object]:
    """Whether `agreement` has an availability objective, and its strictest availability target."""
    objectives = [o for o in _objectives_of(agreement) if o.metric is not None and o.metric.id == "availability"]
    pay(ctx, len(agreement.services) + len(objectives) + 1)
    values = [o.target.value for o in objectives if o.target is not None]
    return bool(objectives), _aggregate("max", values)


def _series(service: Service, ctx) -> _Series:
    """Those of the whole agreement are shared by all its services: added up once."""
    agreement = service.agreement
    whole = once(ctx, ("series", agreement), lambda: _Series().add(agreement.whole_supporters, ctx))
    if not service.own_supporters:
        return whole
    named = once(ctx, ("whole supporters", agreement), lambda: set(agreement.whole_supporters))
    return whole.plus([supporter for supporter in service.own_supporters if supporter not in named], ctx)


@register(
    "composite-availability",
    scope="objective",
    summary="Supporting agreements in series cannot meet the supported availability target",
)
def composite_availability(objective: Objective, ctx):
    if objective.metric is None or objective.metric.id != "availability" or objective.target is None:
        return
    service = objective.service
    series = once(ctx, ("series of", service), lambda: _series(service, ctx))
    if series.count < 2 or compare(">=", series.product, objective.target.value, ctx) is True:
        return
    yield Violation(
        f"supporters of service '{service.id}' of {objective.agreement.label} in series give only "
        f"{_human(series.product)} availability: {series.composition()}, below the "
        f"{format_value(objective.target.value)} promised",
        objective.span,
        related=series.files(),
    )


# -- SL406: cycles ---------------------------------------------------------------------------------


def _support_edges(agreement: Agreement) -> list[Agreement]:
    targets: dict[Agreement, None] = {}  # each once, in order
    for supported in agreement.supports:
        target = _owner(supported)
        if target is not None:
            targets[target] = None
    return list(targets)


def _cycles(workspace, ctx) -> dict[Agreement, list[Agreement]]:
    """For each agreement on a support cycle, the cycle's members in order,
    starting at the member whose id sorts first. Tarjan's algorithm, iterative."""
    edges = {agreement: _support_edges(agreement) for agreement in workspace.agreements.values()}
    pay(ctx, len(edges) + sum(len(targets) for targets in edges.values()))
    index: dict[Agreement, int] = {}
    low: dict[Agreement, int] = {}
    stack: list[Agreement] = []
    on_stack: set = set()
    components: list[list[Agreement]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member is node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    components.append(component)
    result: dict[Agreement, list[Agreement]] = {}
    for component in components:
        members = set(component)
        order = [min(component, key=lambda a: a.id)]
        walked = {order[0]}
        while True:  # walk the cycle inside the component, for the message
            following = next((t for t in edges.get(order[-1], ()) if t in members and t not in walked), None)
            if following is None:
                break
            order.append(following)
            walked.add(following)
        for member in component:
            result[member] = order
    return result


@register("support-cycle", scope="agreement", summary="supports links form a cycle")
def support_cycle(agreement: Agreement, ctx):
    workspace = ctx.globals["workspace"]
    order = once(ctx, ("cycles", workspace), lambda: _cycles(workspace, ctx)).get(agreement)
    if not order or order[0] is not agreement:
        return  # one finding per cycle, at the member whose id sorts first
    shown = [member.label for member in order[:10]]
    if len(order) > 10:
        shown.append(f"({len(order) - 10:,} more)")
    path = " -> ".join([*shown, order[0].label])
    yield Violation(
        f"supports links form a cycle: {path}; an agreement cannot underpin itself, remove one of the links",
        agreement.spans.get("supports", agreement.span),
        related=tuple(dict.fromkeys(member.file for member in order)),
    )
