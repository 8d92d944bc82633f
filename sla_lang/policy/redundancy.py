"""Redundancy groups (`redundancy: ID`), and SL410's check, lone-redundancy-group
(see checks.py for the API).

A group is scoped to one supported service: its members are the supporters
of that service that name the id, are not retired and have an availability
objective. Members of a group of two or more work in parallel (SL405), and
SL402 does not judge one of them on its own for availability.

What a service's supporters share with its agreement's (those that support
the whole agreement) is worked out once per agreement, as in SL405.
"""

from __future__ import annotations

from ..model.nodes import Agreement, Objective, Service, anchor_of
from .checks import Violation, once, register
from .cost import pay
from .expr.functions import objectives_of, services_of
from .support_graph import links


def availability_objectives(agreement: Agreement, ctx) -> list[Objective]:
    """The objectives of `agreement` on availability (worked out once per run)."""

    def compute() -> list[Objective]:
        objectives = objectives_of(agreement)
        pay(ctx, len(objectives) + 1)
        return [o for o in objectives if o.metric is not None and o.metric.id == "availability"]

    return once(ctx, ("availability objectives", agreement), compute)


def counts(agreement: Agreement, ctx) -> bool:
    """Whether a supporter enters a series or a group: not retired, with an availability objective."""
    return agreement.status != "retired" and bool(availability_objectives(agreement, ctx))


def _add_members(groups: dict[str, list[Agreement]], supporters: list[Agreement], ctx) -> None:
    pay(ctx, len(supporters) + 1)
    for supporter in supporters:
        if supporter.redundancy is not None and counts(supporter, ctx):
            groups.setdefault(supporter.redundancy, []).append(supporter)


def groups_of(service: Service, ctx) -> dict[str, list[Agreement]]:
    """The redundancy groups of a service's supporters: id -> members, in the order
    of `supported_by`. Services without supporters of their own share their agreement's."""

    def whole_groups() -> dict[str, list[Agreement]]:
        groups: dict[str, list[Agreement]] = {}
        _add_members(groups, service.agreement.whole_supporters, ctx)
        return groups

    def compute() -> dict[str, list[Agreement]]:
        groups: dict[str, list[Agreement]] = {}
        named = set(service.own_supporters)
        _add_members(groups, service.own_supporters, ctx)
        for group, members in once(ctx, ("redundancy groups", service.agreement), whole_groups).items():
            groups.setdefault(group, []).extend(member for member in members if member not in named)
        return groups

    if not service.own_supporters:
        return once(ctx, ("redundancy groups", service.agreement), whole_groups)
    return once(ctx, ("redundancy groups", service), compute)


def in_parallel(agreement: Agreement, service: Service, ctx) -> bool:
    """`agreement` is a member of a group of two or more for `service`."""
    if agreement.redundancy is None:
        return False
    members = groups_of(service, ctx).get(agreement.redundancy, ())
    return len(members) >= 2 and agreement in members


@register(
    "lone-redundancy-group",
    scope="agreement",
    summary="A redundancy group has one member for a supported service",
)
def lone_redundancy_group(agreement: Agreement, ctx):
    if agreement.redundancy is None or agreement.kind == "sla" or not counts(agreement, ctx):
        return
    for item in links(agreement):
        services = services_of(item)
        pay(ctx, len(services) + 1)
        for service in services:
            if groups_of(service, ctx).get(agreement.redundancy) != [agreement]:
                continue
            others = once(ctx, ("supporter files", service), lambda s=service: _files(s, ctx))
            yield Violation(
                f"{agreement.label} is the only member of redundancy group '{agreement.redundancy}' for service "
                f"'{service.id}' of {service.agreement.label}: a group of one is in series like any supporter; "
                f"give the redundant supporter of '{service.id}' the same 'redundancy', or remove it",
                agreement.position("redundancy"),
                about=anchor_of(service),
                related=tuple(path for path in others if path != agreement.file),
            )


def _files(service: Service, ctx) -> tuple[str, ...]:
    """The supported agreement's file, then its supporters', each once."""
    supporters = service.supported_by
    pay(ctx, len(supporters) + 1)
    return tuple(dict.fromkeys([service.agreement.file, *(supporter.file for supporter in supporters)]))
