"""SL405's check, composite-availability (see checks.py for the API): the
supporters of a service that share a redundancy group work in parallel, the
groups and the other supporters in series, so the availability they give
together must reach the service's own.

Each supporter enters with the best value among its availability objectives
in the supported objective's window (model/strength.py: a longer window
counts at its worst). What the supporters of a whole agreement give is
worked out once per run and window, and a service adds only its own.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..model import strength
from ..model.nodes import Agreement, Objective, Service
from ..values import Duration, Percent
from .checks import Violation, once, register
from .cost import pay
from .expr.runtime import compare, human
from .model_view import format_value
from .redundancy import availability_objectives, counts

_MOST = 5  # factors shown, and members of a group


class _Factor:
    """One supporter's value, as the message shows it."""

    __slots__ = ("supporter", "value", "objective")

    def __init__(self, supporter: Agreement, value: Percent, objective: Objective) -> None:
        self.supporter, self.value, self.objective = supporter, value, objective

    def shown(self, window: Duration | None) -> str:
        target = self.objective.target.value
        if self.value == target:
            return f"{self.supporter.label} ({format_value(target)})"
        return (
            f"{self.supporter.label} ({format_value(target)} over {self.objective.window}, "
            f"at worst {human(self.value)} in {window})"
        )


class _Series:
    """The supporters (not retired, with an availability objective) of a service:
    those without a group, and the groups, in the order of `supported_by`. A
    service's own supporters are added to its agreement's series (`base`),
    which is shared, not copied."""

    def __init__(self, window: Duration | None, base: _Series | None = None) -> None:
        self.window = window
        self.base = base
        self.count = base.count if base else 0
        self.items: list[object] = []  # a _Factor, or a group id
        self.groups: dict[str, list[_Factor]] = {}
        self._files: tuple[str, ...] | None = None

    def add(self, supporters: list[Agreement], ctx) -> _Series:
        pay(ctx, len(supporters) + 1)
        for supporter in supporters:
            if not counts(supporter, ctx):
                continue
            self.count += 1
            factor = once(ctx, ("availability in", supporter, self.window), lambda s=supporter: self._factor(s, ctx))
            if factor is None:
                continue  # no target to multiply
            if supporter.redundancy is None:
                self.items.append(factor)
                continue
            if supporter.redundancy not in self.groups:
                self.groups[supporter.redundancy] = []
                self.items.append(supporter.redundancy)
            self.groups[supporter.redundancy].append(factor)
        return self

    def _factor(self, supporter: Agreement, ctx) -> _Factor | None:
        """The supporter's best value in the window; None when it has no target."""
        best = None
        objectives = availability_objectives(supporter, ctx)
        pay(ctx, len(objectives) + 1)
        for objective in objectives:
            if objective.target is None or not isinstance(objective.target.value, Percent):
                continue
            value = strength.worst_window_percent(objective.target.value, "higher", objective.window, self.window)
            if best is None or value > best.value:
                best = _Factor(supporter, value, objective)
        return best

    def _all_items(self) -> list[object]:
        """Own items, then the base's (a group already named by an own supporter once)."""
        if self.base is None:
            return self.items
        return self.items + [item for item in self.base.items if not isinstance(item, str) or item not in self.groups]

    def members(self, group: str) -> list[_Factor]:
        return self.groups.get(group, []) + (self.base.groups.get(group, []) if self.base else [])

    def _group_value(self, group: str) -> Decimal:
        missing = Decimal(1)
        for factor in self.members(group):
            missing *= 1 - factor.value.fraction
        return 1 - missing

    @property
    def grouped(self) -> bool:
        """Whether any group has two or more members."""
        return any(isinstance(item, str) and len(self.members(item)) > 1 for item in self._all_items())

    @property
    def product(self) -> Percent | None:
        try:
            fraction = Decimal(1)
            for item in self._all_items():
                fraction *= item.value.fraction if isinstance(item, _Factor) else self._group_value(item)
            return Percent(fraction * 100)
        except (InvalidOperation, ArithmeticError):
            return None

    def composition(self) -> str:
        """`OLA 'db' (99.9%) × [contract 'a' (99.9%) ∥ contract 'b' (99.9%) = 99.9999%] = 99.8%`:
        the first factors (and members of a group), and how many more."""
        items = self._all_items()
        shown = []
        for item in items[:_MOST]:
            if isinstance(item, _Factor):
                shown.append(item.shown(self.window))
                continue
            members = self.members(item)
            if len(members) == 1:  # no redundancy: SL410
                shown.append(members[0].shown(self.window))
                continue
            inner = [member.shown(self.window) for member in members[:_MOST]]
            if len(members) > _MOST:
                inner.append(f"{len(members) - _MOST:,} more")
            shown.append(f"[{' ∥ '.join(inner)} = {human(Percent(self._group_value(item) * 100))}]")
        if len(items) > _MOST:
            shown.append(f"{len(items) - _MOST:,} more")
        return f"{' × '.join(shown)} = {human(self.product)}"

    def files(self) -> tuple[str, ...]:
        """The files of the supporters counted (worked out once: services share a series)."""
        if self._files is None:
            factors = [item for item in self.items if isinstance(item, _Factor)]
            factors += [member for members in self.groups.values() for member in members]
            own = (factor.supporter.file for factor in factors)
            self._files = tuple(dict.fromkeys([*own, *(self.base.files() if self.base else ())]))
        return self._files


def _series(service: Service, window: Duration | None, ctx) -> _Series:
    """Those of the whole agreement are shared by all its services: added up once per window."""
    agreement = service.agreement
    whole = once(ctx, ("series", agreement, window), lambda: _Series(window).add(agreement.whole_supporters, ctx))
    if not service.own_supporters:
        return whole
    named = once(ctx, ("whole supporters", agreement), lambda: set(agreement.whole_supporters))
    return _Series(window, whole).add([s for s in service.own_supporters if s not in named], ctx)


def supporters_availability(service: Service, window: Duration | None, ctx) -> tuple[Percent | None, str, int]:
    """(what the supporters of `service` give together, its composition, how many
    count) for an objective over `window`: SL405's figures, for `slalint graph`."""
    series = once(ctx, ("series of", service, window), lambda: _series(service, window, ctx))
    return series.product, series.composition(), series.count


@register(
    "composite-availability",
    scope="objective",
    summary="Supporting agreements in series cannot meet the supported availability target",
)
def composite_availability(objective: Objective, ctx):
    if objective.metric is None or objective.metric.id != "availability" or objective.target is None:
        return
    service = objective.service
    window = objective.window
    series = once(ctx, ("series of", service, window), lambda: _series(service, window, ctx))
    if series.count < 2 or compare(">=", series.product, objective.target.value, ctx) is True:
        return
    how = "in series and in parallel" if series.grouped else "in series"
    yield Violation(
        f"supporters of service '{service.id}' of {objective.agreement.label} {how} give only "
        f"{human(series.product)} availability: {series.composition()}, below the "
        f"{format_value(objective.target.value)} promised",
        objective.span,
        related=series.files(),
    )
