"""SL402's check, underpinning-targets, and SL411's, underpinning-percentile-gap
(see checks.py for the API): the objectives of a supporting agreement that
count for a supported objective must back it (model/strength.py says which
count and how they compare); when some apply but none reaches the supported
percentile, the supporter guarantees nothing there (SL411).

A thousand one-line OLAs may support an agreement of a thousand services,
and one OLA may name the same agreement a thousand times. So links are taken
once however often they are written, what a check needs of an agreement or
a service is worked out once per run (`once`) and indexed, and every step is
paid for from the run's budget: time grows with the workspace and its links,
not with their product. The other checks along `supports` links (SL403,
SL405, SL406) work the same way.

The supporter's objectives are kept as fronts: per metric, priority, kind of
target and shape (model/strength.py's `shape`), the strictest target at each
percentile that beats every higher percentile, so that the objective that
counts in a shape is one binary search away. The supported objectives are
grouped the same way, strictest first: in a group, once one is backed, so
are the rest.
"""

from __future__ import annotations

import bisect

from ..model import strength
from ..model.nodes import Agreement, Objective, anchor_of
from ..values import format_value
from .checks import FINDINGS_PER_RULE_AND_FILE, Violation, once, register
from .cost import pay
from .expr.functions import objectives_of, services_of
from .redundancy import in_parallel
from .support_graph import links, owner


def promise_text(objective: Objective) -> str:
    """What an objective promises: `99.95% availability`, `p99 latency <= 300ms`,
    `P1 response_time <= 15min`."""
    metric = objective.metric.id
    qualifiers = []
    if objective.priority:
        qualifiers.append(objective.priority)
    if objective.percentile is not None:
        qualifiers.append(f"p{format_value(objective.percentile)}")
    prefix = " ".join(qualifiers) + " " if qualifiers else ""
    target = format_value(objective.target.value)
    if objective.metric.unit == "percent" and objective.target.op in (">=", ">"):
        return f"{target} {prefix}{metric}"
    return f"{prefix}{metric} {objective.target.op} {target}"


def _usable(objective: Objective) -> bool:
    return strength.comparable(objective)


def _group(objective: Objective) -> tuple:
    """Metric, priority and kind of target: the objectives that may compare."""
    return (objective.metric.id, objective.priority, type(objective.target.value))


class _Fronts:
    """A supporter's objectives that may count, by metric, priority and kind."""

    def __init__(self, objectives: list[Objective]) -> None:
        by_shape: dict[tuple, dict[tuple, list]] = {}
        self.highest: dict[tuple, Objective] = {}  # the objective with the highest percentile, the first of equals
        for position, objective in enumerate(objectives):
            group = _group(objective)
            percentile = strength.percentile_of(objective)
            top = self.highest.get(group)
            if top is None or percentile > strength.percentile_of(top):
                self.highest[group] = objective
            entry = (-percentile, -strength.strictness(objective), position, objective)
            by_shape.setdefault(group, {}).setdefault(strength.shape(objective), []).append(entry)
        self.fronts: dict[tuple, list[tuple[list, list]]] = {}
        for group, shapes in by_shape.items():
            self.fronts[group] = [self._front(entries) for entries in shapes.values()]

    @staticmethod
    def _front(entries: list) -> tuple[list, list]:
        """(percentiles ascending, objectives): each stricter than all at higher percentiles."""
        entries.sort(key=lambda entry: entry[:3])
        kept: list = []
        for minus_percentile, minus_strictness, _, objective in entries:
            if not kept or -minus_strictness > strength.strictness(kept[-1][1]):
                kept.append((-minus_percentile, objective))
        kept.reverse()
        return [percentile for percentile, _ in kept], [objective for _, objective in kept]

    def applicable(self, supported: Objective) -> tuple | None:
        """The group that applies to a supported objective (the priority rule), or None."""
        group = _group(supported)
        if group in self.fronts:
            return group
        if supported.priority is not None and (group[0], None, group[2]) in self.fronts:
            return (group[0], None, group[2])
        return None

    def counted(self, group: tuple, percentile) -> list[Objective]:
        """The strictest objective of each shape at `percentile` or above."""
        picks = []
        for percentiles, objectives in self.fronts[group]:
            index = bisect.bisect_left(percentiles, percentile)
            if index < len(objectives):
                picks.append(objectives[index])
        return picks


def _weaker(objective: Objective, ctx):
    agreement = objective.agreement
    if agreement.kind == "sla" or not agreement.supports or not _usable(objective):
        return {}, {}
    return once(ctx, ("weaker targets", agreement), lambda: _compare(agreement, ctx))


@register(
    "underpinning-targets",
    scope="objective",
    summary="A supporting agreement's objectives that count do not back the supported service's",
)
def underpinning_targets(objective: Objective, ctx):
    yield from _weaker(objective, ctx)[0].get(objective, ())


@register(
    "underpinning-percentile",
    scope="objective",
    summary="A supporting agreement guarantees a metric only at lower percentiles than the supported service",
)
def underpinning_percentile(objective: Objective, ctx):
    yield from _weaker(objective, ctx)[1].get(objective, ())


def _compare(agreement: Agreement, ctx) -> tuple[dict, dict]:
    """The findings of SL402 and of SL411 for the objectives of `agreement`, each
    a dict objective -> [Violation], in the order the supported targets are written."""
    objectives = [o for o in objectives_of(agreement) if _usable(o)]
    pay(ctx, len(objectives) + 1)
    fronts = _Fronts(objectives)
    weaker: dict[Objective, list] = {}
    lower: dict[Objective, list] = {}
    count = 0
    for item in links(agreement):
        needed = once(ctx, ("needed targets", item), lambda item=item: _needed_targets(item, ctx))
        pay(ctx, len(needed) + 1)
        effective = owner(item).effective
        for entries in needed.values():
            group = fronts.applicable(entries[0][2])
            if group is None:
                continue
            picks = fronts.counted(group, strength.percentile_of(entries[0][2]))
            found = []
            for position, service, target in entries:  # the strictest first
                if count >= FINDINGS_PER_RULE_AND_FILE:
                    break
                pay(ctx, len(picks) + 1)
                if target.metric.id == "availability" and in_parallel(agreement, service, ctx):
                    continue  # judged with its group by SL405
                if not picks:
                    highest = fronts.highest[group]
                    found.append((position, lower, highest, _percentile_gap(item, service, target, agreement, highest)))
                    count += 1
                    continue
                gap = strength.gap(picks, target, effective)
                if gap is None:
                    break
                found.append((position, weaker, gap.objective, _weaker_target(item, service, target, agreement, gap)))
                count += 1
            for _, into, at, violation in sorted(found, key=lambda entry: entry[0]):  # in the order written
                into.setdefault(at, []).append(violation)
    return weaker, lower


def _weaker_target(item, service, target: Objective, agreement: Agreement, gap: strength.Gap) -> Violation:
    objective = gap.objective
    message = (
        f"{owner(item).label} promises {promise_text(target)} for service '{service.id}' but "
        f"{agreement.label} guarantees only {promise_text(objective)}"
    )
    if gap.kind == "window":
        word = "downtime" if target.metric.id == "availability" else "shortfall"
        message += (
            f" over {objective.window}: that allows {strength.spell_seconds(gap.allowed)} of {word}, all of which "
            f"may fall into one {target.window} window, where {strength.spell_seconds(gap.needed)} is allowed "
            f"({strength.shown_percent(gap.worst, target.metric.better)} in the worst {target.window})"
        )
    elif gap.kind == "deadline":
        start = strength.week_instant(gap.minute, 0)
        message += (
            f": an incident at {start} is due by {strength.week_instant(gap.minute, gap.due)} under "
            f"{owner(item).label} ({format_value(target.target.value)}) but {agreement.label} may answer as late as "
            f"{strength.week_instant(gap.minute, gap.late)} ({format_value(objective.target.value)})"
        )
    return Violation(message, objective.span, about=anchor_of(target), related=(target.file,))


def _percentile_gap(item, service, target: Objective, agreement: Agreement, highest: Objective) -> Violation:
    wanted = strength.percentile_of(target)
    at = "for every event" if target.percentile is None else f"at p{format_value(wanted)}"
    return Violation(
        f"{owner(item).label} promises {promise_text(target)} for service '{service.id}' but {agreement.label} "
        f"guarantees {target.metric.id} only up to p{format_value(strength.percentile_of(highest))} "
        f"({promise_text(highest)}), which says nothing {at}: add an objective at that percentile or above",
        highest.span,
        about=anchor_of(target),
        related=(target.file,),
    )


def _needed_shape(objective: Objective) -> tuple:
    """What groups supported objectives so that, strictest first, once one is backed the rest are."""
    value = objective.target.value
    service = objective.service
    if strength.is_business(value):
        return (value.unit, service.hours, service.timezone)
    if objective.metric.unit == "duration":
        return ("wall", service.timezone)
    return strength.shape(objective)


def _needed_targets(item, ctx) -> dict[tuple, list]:
    """The comparable objectives of an agreement or a service, grouped by metric,
    priority, kind of target, percentile and shape, the strictest first:
    [(position, service, objective)]."""
    index: dict[tuple, list] = {}
    position = 0
    for service in services_of(item):
        pay(ctx, 1 + len(service.objectives))
        for objective in service.objectives:
            if _usable(objective):
                key = (*_group(objective), strength.percentile_of(objective), _needed_shape(objective))
                index.setdefault(key, []).append((-strength.strictness(objective), position, service, objective))
                position += 1
    return {
        key: [entry[1:] for entry in sorted(entries, key=lambda entry: entry[:2])] for key, entries in index.items()
    }
