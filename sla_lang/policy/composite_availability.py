"""SL405's check, composite-availability (see checks.py for the API): the
supporters of a service work in series, so the product of their
availability targets must reach the service's own.

The supporters of a whole agreement are shared by its services: their
product is worked out once per run, and a service adds only its own.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..model.nodes import Agreement, Objective, Service
from ..values import Percent
from .checks import Violation, once, register
from .cost import pay
from .expr.functions import objectives_of
from .expr.runtime import compare, human, max_of
from .model_view import format_value, kind_of


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
        return f"{' × '.join(shown)} = {human(self.product)}"

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
    objectives = [o for o in objectives_of(agreement) if o.metric is not None and o.metric.id == "availability"]
    pay(ctx, len(agreement.services) + len(objectives) + 1)
    values = [o.target.value for o in objectives if o.target is not None]
    return bool(objectives), max_of(values)


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
        f"{human(series.product)} availability: {series.composition()}, below the "
        f"{format_value(objective.target.value)} promised",
        objective.span,
        related=series.files(),
    )
