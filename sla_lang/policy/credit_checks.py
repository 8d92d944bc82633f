"""Python checks on credits (see checks.py for the API): a credit's threshold
against its objective's target (SL509) and the tiers of one objective
against each other (SL510).

Thresholds and targets of one kind are ordered by their magnitude; a
business duration (`bh`, `bd`) against another unit by its length on the
service's clock (business_time.in_one_order), two in the same business unit
by their numbers. Tiers are grouped once per agreement and run (`once`).
"""

from __future__ import annotations

from decimal import Decimal

from ..model.nodes import Agreement, Credit, Service
from ..model.strength import magnitude
from ..values import UNIT_SECONDS, Duration
from .business_time import business_length, in_one_order
from .checks import Violation, once, register
from .cost import pay
from .model_view import format_value

_UP = (">=", ">")
_DOWN = ("<=", "<")


# -- SL509: a credit owed while the target is met ---------------------------------------------------


@register(
    "credit-above-target",
    scope="credit",
    summary="A credit's threshold is stricter than its objective's target",
)
def credit_above_target(credit: Credit, ctx):
    objective, op, threshold = credit.objective, credit.op, credit.threshold
    target = objective.target if objective is not None else None
    if target is None or threshold is None or op is None:
        return
    pay(ctx, 1)
    ordered = in_one_order(threshold, target.value, objective.service, ctx)
    if ordered is None:
        return
    given, wanted = ordered
    up, down = target.op in _UP, target.op in _DOWN
    same_way = (up and op in _UP) or (down and op in _DOWN)
    beyond = (up and op in _DOWN and (given > wanted or (target.op == ">=" and op == "<=" and given == wanted))) or (
        down and op in _UP and (given < wanted or (target.op == "<=" and op == ">=" and given == wanted))
    )
    if not (same_way or beyond):
        return
    shown, goal = format_value(threshold), format_value(target.value)
    if same_way:
        why = (
            "the condition points the way the service gets better, so a service that meets the target can earn "
            "the credit; turn the comparison round"
        )
    else:
        between = f"a measured {goal}" if given == wanted else f"a measured value between {goal} and {shown}"
        if given != wanted and not up:
            between = f"a measured value between {shown} and {goal}"
        why = f"{between} meets the target and still earns the credit; move the threshold to the target or beyond it"
    yield Violation(
        f"the {credit.shown_amount} credit in {credit.agreement.label} applies when "
        f"{objective.service.id}.{objective.id} {op} {shown}, but the objective's target is "
        f"{format_value(target)}: {why}",
        credit.span,
    )


# -- SL510: credit tiers ----------------------------------------------------------------------------


def _size(credit: Credit) -> Decimal:
    """What a tier gives: its amount, or its amount per unit of shortfall."""
    amount = magnitude(credit.amount)
    return amount / magnitude(credit.per) if credit.per is not None else amount


def _tiers(agreement: Agreement, ctx) -> dict[tuple, list[tuple[int, Credit]]]:
    """The credits that are tiers of one another: of one objective, `consecutive`
    value, form (flat, per time or per percentage point) and kind of amount."""
    tiers: dict[tuple, list[tuple[int, Credit]]] = {}
    credits = agreement.all_credits
    pay(ctx, len(credits) + 1)
    for position, credit in enumerate(credits):
        objective, threshold = credit.objective, credit.threshold
        if objective is None or objective.metric is None or objective.metric.better not in ("higher", "lower"):
            continue
        if credit.amount is None or threshold is None or (credit.per is not None and not magnitude(credit.per)):
            continue
        form = type(credit.per) if credit.per is not None else None
        key = (objective, credit.consecutive, form, type(credit.amount), type(threshold))
        tiers.setdefault(key, []).append((position, credit))
    return tiers


def _milder_and_larger(agreement: Agreement, ctx) -> dict[Credit, Credit]:
    """For each credit, the first tier (in the order written) whose threshold is
    milder and whose amount is larger, if there is one."""
    found: dict[Credit, Credit] = {}
    for (objective, *_), credits in _tiers(agreement, ctx).items():
        pay(ctx, len(credits))
        higher_is_better = objective.metric.better == "higher"
        mildness: dict[Credit, Decimal] = {}
        for _, credit in credits:
            value = _mildness(credit.threshold, objective.service, ctx)
            if value is not None:
                mildness[credit] = value if higher_is_better else -value
        measured = [(position, credit) for position, credit in credits if credit in mildness]
        if measured:
            found.update(_first_dominating(measured, mildness))
    return found


def _mildness(threshold, service: Service, ctx):
    if isinstance(threshold, Duration) and threshold.unit not in UNIT_SECONDS:
        return business_length(threshold, service, ctx)
    return magnitude(threshold)


def _first_dominating(credits: list[tuple[int, Credit]], mildness: dict[Credit, Decimal]) -> dict[Credit, Credit]:
    """For each credit, the first of `credits` with a milder threshold and a larger amount.

    Credits are taken from the mildest threshold on; each asks, among those already
    taken (strictly milder), for the first in the written order with a larger
    amount: a Fenwick tree over the amounts, largest first, keeps the least
    position of each prefix. O(n log n) instead of comparing every pair."""
    sizes = {credit: _size(credit) for _, credit in credits}
    amounts = sorted(set(sizes.values()), reverse=True)
    rank = {amount: index + 1 for index, amount in enumerate(amounts)}  # 1: the largest amount
    none = max(position for position, _ in credits) + 1
    least = [none] * (len(amounts) + 1)  # Fenwick tree of least positions
    by_position = dict(credits)
    ordered = sorted(credits, key=lambda entry: mildness[entry[1]], reverse=True)
    found: dict[Credit, Credit] = {}
    start = 0
    while start < len(ordered):
        end = start
        while end < len(ordered) and mildness[ordered[end][1]] == mildness[ordered[start][1]]:
            end += 1
        for _, credit in ordered[start:end]:  # ask before the equally mild are taken
            best, index = none, rank[sizes[credit]] - 1  # the ranks of larger amounts
            while index > 0:
                best = min(best, least[index])
                index -= index & -index
            if best != none:
                found[credit] = by_position[best]
        for position, credit in ordered[start:end]:
            index = rank[sizes[credit]]
            while index <= len(amounts):
                least[index] = min(least[index], position)
                index += index & -index
        start = end
    return found


@register(
    "credits-not-monotonic",
    scope="credit",
    summary="A worse threshold of one objective gives a smaller credit than a milder one",
)
def credits_not_monotonic(credit: Credit, ctx):
    agreement = credit.agreement
    milder = once(ctx, ("credit tiers", agreement), lambda: _milder_and_larger(agreement, ctx)).get(credit)
    if milder is None:
        return
    objective = credit.objective
    yield Violation(
        f"the credit in {agreement.label} for {objective.service.id}.{objective.id} {format_value(credit.op)} "
        f"{format_value(credit.threshold)} gives {credit.shown_amount}, less than the "
        f"{milder.shown_amount} given at the milder {format_value(milder)}: a worse breach should never "
        "earn a smaller credit",
        credit.span,
    )
