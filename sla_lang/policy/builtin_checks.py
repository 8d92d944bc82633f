"""The Python checks of the built-in packs (see checks.py for the API).

Each does something an expression cannot say well: pick the strictest of a
set of targets and compare it across agreements (SL402), compute the union
of weekly service hours across timezones (SL403), find cycles in the support
graph (SL406).
"""

from __future__ import annotations

import weakref

from ..model.nodes import Agreement, Objective, Service
from ..values import Duration, Percent, describe_week_minute, uncovered
from .checks import Violation, register


def _services_of(node) -> list[Service]:
    return list(node.services) if isinstance(node, Agreement) else [node]


def _objectives_of(agreement: Agreement) -> list[Objective]:
    return [objective for service in agreement.services for objective in service.objectives]


def _key(objective: Objective) -> tuple:
    """Objectives compare when they are on the same metric, priority and percentile."""
    return (objective.metric, objective.priority, objective.percentile)


def _strictness(objective: Objective):
    """A number that grows as the target gets stricter, or None if it cannot be compared."""
    target, metric = objective.target, objective.metric
    if target is None or metric is None or metric.better not in ("higher", "lower"):
        return None
    value = target.value
    if isinstance(value, Percent):
        amount = value.value
    elif isinstance(value, Duration):
        amount = value.seconds
    else:
        amount = value
    return amount if metric.better == "higher" else -amount


def _same_unit(a: Objective, b: Objective) -> bool:
    return type(a.target.value) is type(b.target.value)


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
    strictness = _strictness(objective)
    if agreement.kind == "sla" or not agreement.supports or strictness is None:
        return
    peers = [o for o in _objectives_of(agreement) if _key(o) == _key(objective) and _strictness(o) is not None]
    strictest = max(peers, key=_strictness)  # max() keeps the first of equals: one finding, not several
    if strictest is not objective:
        return
    for supported in agreement.supports:
        owner = supported if isinstance(supported, Agreement) else supported.agreement
        for service in _services_of(supported):
            for needed in service.objectives:
                required = _strictness(needed)
                if _key(needed) != _key(objective) or required is None or not _same_unit(needed, objective):
                    continue
                if strictness < required:
                    yield Violation(
                        f"{owner.label} promises {_describe(needed)} for service '{service.id}' but "
                        f"{agreement.label} guarantees only {_describe(objective)}",
                        objective.span,
                    )


def _utc_offset_minutes(timezone: str, day) -> int | None:
    import datetime
    import zoneinfo

    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    moment = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=zone)
    return int(moment.utcoffset().total_seconds() // 60)


def _describe_gaps(gaps: list[tuple[int, int]]) -> str:
    shown = [f"{describe_week_minute(start)}-{describe_week_minute(end % (7 * 1440))}" for start, end in gaps[:3]]
    more = f" and {len(gaps) - 3} more" if len(gaps) > 3 else ""
    return ", ".join(shown) + more


@register(
    "hours-coverage",
    scope="agreement",
    summary="The supporting agreement's service hours do not cover the hours of the service it supports",
)
def hours_coverage(agreement: Agreement, ctx):
    if agreement.kind == "sla":
        return
    own = [service for service in agreement.services if service.hours is not None]
    if not own:
        return  # no hours at all is SL505's business
    for supported in agreement.supports:
        owner = supported if isinstance(supported, Agreement) else supported.agreement
        for service in _services_of(supported):
            if service.hours is None:
                continue
            offered: list[tuple[int, int]] = []
            for mine in own:
                shift = 0
                if mine.timezone and service.timezone and mine.timezone != service.timezone and owner.effective:
                    theirs = _utc_offset_minutes(service.timezone, owner.effective)
                    ours = _utc_offset_minutes(mine.timezone, owner.effective)
                    if theirs is not None and ours is not None:
                        shift = theirs - ours
                offered += mine.hours.week_intervals(shift)
            offered.sort()
            merged: list[tuple[int, int]] = []
            for start, end in offered:
                if merged and start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], end))
                else:
                    merged.append((start, end))
            gaps = uncovered(service.hours.week_intervals(), merged)
            if gaps:
                zone = f" ({service.timezone})" if service.timezone else ""
                yield Violation(
                    f"{agreement.label} covers {', '.join(str(s.hours) for s in own)} but supports service "
                    f"'{service.id}' of {owner.label}, which runs {service.hours}{zone}: not covered "
                    f"{_describe_gaps(gaps)}",
                    own[0].spans.get("hours", own[0].span),
                )


_CYCLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _support_edges(agreement: Agreement) -> list[Agreement]:
    targets = []
    for supported in agreement.supports:
        target = supported if isinstance(supported, Agreement) else supported.agreement
        if target is not None and target not in targets:
            targets.append(target)
    return targets


def _cycles(workspace) -> dict[Agreement, list[Agreement]]:
    """For each agreement on a support cycle, the cycle's members in order,
    starting at the member whose id sorts first. Tarjan's algorithm, iterative."""
    cached = _CYCLES.get(workspace)
    if cached is not None:
        return cached
    index: dict[Agreement, int] = {}
    low: dict[Agreement, int] = {}
    stack: list[Agreement] = []
    on_stack: set = set()
    components: list[list[Agreement]] = []
    counter = 0
    for root in workspace.agreements.values():
        if root in index:
            continue
        work = [(root, iter(_support_edges(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            advanced = False
            for target in edges:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(_support_edges(target))))
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
                if len(component) > 1 or node in _support_edges(node):
                    components.append(component)
    result: dict[Agreement, list[Agreement]] = {}
    for component in components:
        members = set(component)
        first = min(component, key=lambda a: a.id)
        order = [first]
        while True:  # walk the cycle inside the component, for the message
            following = next((t for t in _support_edges(order[-1]) if t in members and t not in order), None)
            if following is None:
                break
            order.append(following)
        for member in component:
            result[member] = order
    _CYCLES[workspace] = result
    return result


@register("support-cycle", scope="agreement", summary="supports links form a cycle")
def support_cycle(agreement: Agreement, ctx):
    order = _cycles(ctx.globals["workspace"]).get(agreement)
    if not order or order[0] is not agreement:
        return  # one finding per cycle, at the member whose id sorts first
    path = " -> ".join(f"{member.label}" for member in [*order, order[0]])
    yield Violation(
        f"supports links form a cycle: {path}; an agreement cannot underpin itself, remove one of the links",
        agreement.spans.get("supports", agreement.span),
    )


def _signature_of(agreement: Agreement, party: str):
    return next((s for s in agreement.signatures if s.party_ref.parts[0] == party), None)


def _same_signature(a, b) -> bool:
    return (a.by, a.title, a.date, a.version) == (b.by, b.title, b.date, b.version)


def _metric_name(objective: Objective) -> str:
    return str(objective.metric_ref) if objective.metric_ref is not None else objective.id


@register(
    "changed-without-reapproval",
    scope="objective",
    summary="With --base: an objective of an active SLA changed while the customer's signature did not",
)
def changed_without_reapproval(objective: Objective, ctx):
    base = ctx.globals.get("base")
    agreement = objective.agreement
    if base is None or agreement.kind != "sla" or agreement.status != "active" or agreement.customer_ref is None:
        return
    before = base.get(agreement.id)
    customer = agreement.customer_ref.parts[0]
    signature = _signature_of(agreement, customer)
    if before is None or signature is None:
        return  # a new agreement, or no signature at all (SL201)
    old_signature = _signature_of(before, customer)
    if old_signature is None or not _same_signature(signature, old_signature):
        return  # the customer signed since the ref (again, or for the first time)
    ref = ctx.globals.get("base_ref", "the base")
    old_service = next((s for s in before.services if s.id == objective.service.id), None)
    old = next((o for o in old_service.objectives if o.id == objective.id), None) if old_service else None
    advice = f"but the signature of '{customer}' is unchanged: have the customer re-approve it (new date and version)"
    if old is None:
        yield Violation(
            f"objective '{objective.id}' of service '{objective.service.id}' was added to {agreement.label} "
            f"since {ref}, {advice}",
            objective.span,
        )
        return
    changes = []
    for field_name, now, then in (
        ("target", objective.target, old.target),
        ("window", objective.window, old.window),
        ("metric", _metric_name(objective), _metric_name(old)),
    ):
        if str(now) != str(then):
            changes.append((field_name, now, then))
    if changes:
        field_name = changes[0][0]
        described = "; ".join(f"{name} {then} -> {now}" for name, now, then in changes)
        yield Violation(
            f"objective '{objective.id}' of {agreement.label} changed since {ref} ({described}), {advice}",
            objective.spans.get(field_name, objective.span),
        )
