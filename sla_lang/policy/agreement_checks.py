"""Python checks that compare the nodes of one agreement with each other (see
checks.py for the API): an objective with the customer's signature (SL204),
with the agreement at the --base ref (SL205), with the other objectives of
its service (SL307), a credit with the other credits of its objective
(SL510).

Written as an expression, each would be a quantifier over the agreement in
a rule that visits every node of it: time quadratic in the size of the
agreement. Here each groups or indexes an agreement once per run (`once`)
and answers for each node from that.
"""

from __future__ import annotations

from ..model.nodes import Agreement, Credit, Objective, Service
from ..model.strength import magnitude
from .checks import Violation, once, register
from .cost import pay
from .expr.runtime import compare, max_of
from .model_view import format_value

# -- SL204: agreed after the customer signed --------------------------------------------------


def _customer_signed(agreement: Agreement, ctx):
    """The latest date of the customer's signatures, as max() would compute it."""
    pay(ctx, len(agreement.signatures) + 1)
    return max_of([s.date for s in agreement.signatures if s.party is agreement.customer])


@register(
    "agreed-after-signature",
    scope="objective",
    summary="An objective's `agreed` date is later than the customer's signature date",
)
def agreed_after_signature(objective: Objective, ctx):
    agreement, customer = objective.agreement, objective.agreement.customer
    if customer is None:
        return
    signed = once(ctx, ("customer signed", agreement), lambda: _customer_signed(agreement, ctx))
    if compare(">", objective.agreed, signed, ctx) is not True:
        return
    yield Violation(
        f"objective '{objective.id}' of service '{objective.service.id}' in {agreement.label} was agreed on "
        f"{format_value(objective.agreed)}, after the customer '{customer.id}' signed on {format_value(signed)}: "
        "the signature does not cover it",
        objective.spans.get("agreed", objective.span),
    )


# -- SL205: changed since --base without the customer signing again -----------------------------


def _signature_of(agreement: Agreement, party: str, ctx):
    def first_of_party():
        pay(ctx, len(agreement.signatures) + 1)
        return next((s for s in agreement.signatures if s.party_ref.parts[0] == party), None)

    return once(ctx, ("signature", agreement, party), first_of_party)


def _same_signature(a, b) -> bool:
    return (a.by, a.title, a.date, a.version) == (b.by, b.title, b.date, b.version)


def _metric_name(objective: Objective) -> str:
    return str(objective.metric_ref) if objective.metric_ref is not None else objective.id


def _objectives_by_path(agreement: Agreement, ctx) -> dict[tuple[str, str], Objective]:
    """The objectives of an agreement at the base ref, by (service id, objective id): the first service of an id."""
    found: dict[tuple[str, str], Objective] = {}
    services: set[str] = set()
    for service in agreement.services:
        pay(ctx, 1 + len(service.objectives))
        if service.id not in services:
            services.add(service.id)
            for objective in service.objectives:
                found.setdefault((service.id, objective.id), objective)
    return found


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
    signature = _signature_of(agreement, customer, ctx)
    if before is None or signature is None:
        return  # a new agreement, or no signature at all (SL201)
    old_signature = _signature_of(before, customer, ctx)
    if old_signature is None or not _same_signature(signature, old_signature):
        return  # the customer signed since the ref (again, or for the first time)
    ref = ctx.globals.get("base_ref", "the base")
    old_objectives = once(ctx, ("objectives at base", before), lambda: _objectives_by_path(before, ctx))
    old = old_objectives.get((objective.service.id, objective.id))
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


# -- SL307: objectives that measure the same thing ----------------------------------------------


def _repeated(service: Service, ctx) -> dict[Objective, Objective]:
    """Each objective of `service` that has the metric, priority, percentile and
    window of an earlier one (30d and 1mo are the same window) -> the first of them."""
    pay(ctx, len(service.objectives) + 1)
    first: dict[tuple, Objective] = {}
    repeats: dict[Objective, Objective] = {}
    for objective in service.objectives:
        if objective.metric is None:
            continue
        original = first.setdefault(
            (objective.metric, objective.priority, objective.percentile, objective.window), objective
        )
        if original is not objective:
            repeats[objective] = original
    return repeats


@register(
    "conflicting-objectives",
    scope="objective",
    summary="Two objectives of one service have the same metric, priority, percentile and window",
)
def conflicting_objectives(objective: Objective, ctx):
    service = objective.service
    original = once(ctx, ("repeated objectives", service), lambda: _repeated(service, ctx)).get(objective)
    if original is None:
        return
    yield Violation(
        f"objective '{objective.id}' of service '{service.id}' in {objective.agreement.label} has the same metric "
        f"({objective.metric.id}), priority, percentile and window as objective '{original.id}' before it, with "
        f"target {format_value(objective.target)} against {format_value(original.target)}: keep one, or tell "
        "them apart by priority, percentile or window",
        objective.span,
    )


# -- SL510: credit tiers ----------------------------------------------------------------------------


def _milder_and_larger(agreement: Agreement, ctx) -> dict[Credit, Credit]:
    """For each credit, the first credit (in the order written) of the same objective
    whose threshold is milder and whose amount is larger, if there is one."""
    pay(ctx, len(agreement.credits) + 1)
    tiers: dict[tuple, list[tuple[int, Credit]]] = {}  # (objective, kind of threshold) -> its credits
    for position, credit in enumerate(agreement.credits):
        objective, threshold = credit.objective, credit.threshold
        if objective is None or objective.metric is None or objective.metric.better not in ("higher", "lower"):
            continue
        if credit.amount is not None and threshold is not None:
            tiers.setdefault((objective, type(threshold)), []).append((position, credit))
    found: dict[Credit, Credit] = {}
    for (objective, _), credits in tiers.items():
        pay(ctx, len(credits))
        found.update(_first_dominating(credits, objective.metric.better == "higher"))
    return found


def _first_dominating(credits: list[tuple[int, Credit]], higher_is_better: bool) -> dict[Credit, Credit]:
    """For each credit, the first of `credits` with a milder threshold and a larger amount.

    Credits are taken from the mildest threshold on; each asks, among those already
    taken (strictly milder), for the first in the written order with a larger
    amount: a Fenwick tree over the amounts, largest first, keeps the least
    position of each prefix. O(n log n) instead of comparing every pair."""

    def mildness(credit: Credit):
        return magnitude(credit.threshold) if higher_is_better else -magnitude(credit.threshold)

    amounts = sorted({credit.amount.value for _, credit in credits}, reverse=True)
    rank = {amount: index + 1 for index, amount in enumerate(amounts)}  # 1: the largest amount
    none = max(position for position, _ in credits) + 1
    least = [none] * (len(amounts) + 1)  # Fenwick tree of least positions
    by_position = dict(credits)
    ordered = sorted(credits, key=lambda entry: mildness(entry[1]), reverse=True)
    found: dict[Credit, Credit] = {}
    start = 0
    while start < len(ordered):
        end = start
        while end < len(ordered) and mildness(ordered[end][1]) == mildness(ordered[start][1]):
            end += 1
        for _, credit in ordered[start:end]:  # ask before the equally mild are taken
            best, index = none, rank[credit.amount.value] - 1  # the ranks of larger amounts
            while index > 0:
                best = min(best, least[index])
                index -= index & -index
            if best != none:
                found[credit] = by_position[best]
        for position, credit in ordered[start:end]:
            index = rank[credit.amount.value]
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
        f"{format_value(credit.threshold)} gives {format_value(credit.amount)}, less than the "
        f"{format_value(milder.amount)} given at the milder {format_value(milder)}: a worse breach should never "
        "earn a smaller credit",
        credit.span,
    )
