"""SL402's check, underpinning-targets (see checks.py for the API): the
strictest target of a supporting agreement on a metric, priority and
percentile must meet the targets of what it supports on the same.

A thousand one-line OLAs may support an agreement of a thousand services,
and one OLA may name the same agreement a thousand times. So links are taken
once however often they are written, what a check needs of an agreement or
a service is worked out once per run (`once`) and indexed, and every step is
paid for from the run's budget: time grows with the workspace and its links,
not with their product. The other checks along `supports` links (SL403,
SL405, SL406) work the same way.
"""

from __future__ import annotations

from decimal import Decimal

from ..model.nodes import Agreement, Objective, anchor_of
from ..values import Duration, Percent
from .checks import FINDINGS_PER_RULE_AND_FILE, Violation, once, register
from .cost import pay
from .expr.functions import objectives_of, services_of
from .support_graph import links, owner


def _key(objective: Objective) -> tuple:
    """Objectives compare when they are on the same metric, priority and percentile."""
    return (objective.metric, objective.priority, objective.percentile)


def magnitude(value) -> Decimal:
    """A percent, a duration (in seconds; a business one in its own unit) or a number
    as a number, to order values of one kind."""
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, Duration):
        return value.amount if value.business else value.seconds
    return value


def kind_of_magnitude(value) -> tuple:
    """What magnitude() numbers compare within: the type, and a business duration's unit."""
    return (type(value), value.unit if isinstance(value, Duration) and value.business else None)


def _strictness(objective: Objective):
    """A number that grows as the target gets stricter, or None if it cannot be compared."""
    target, metric = objective.target, objective.metric
    if target is None or metric is None or metric.better not in ("higher", "lower"):
        return None
    if isinstance(target.value, Duration) and target.value.business:
        return None  # counted on a clock: not a number of seconds to order
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
    objectives = objectives_of(agreement)
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
    for item in links(agreement):
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
                        f"{owner(item).label} promises {_describe(target)} for service '{service.id}' but "
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
    for service in services_of(item):
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
