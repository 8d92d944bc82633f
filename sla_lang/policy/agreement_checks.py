"""Python checks that compare the nodes of one agreement with each other (see
checks.py for the API): an objective with the customer's signature (SL204),
with the agreement at the --base ref (SL205), with the other objectives of
its service (SL307). Credits are compared in credit_checks.py.

Written as an expression, each would be a quantifier over the agreement in
a rule that visits every node of it: time quadratic in the size of the
agreement. Here each groups or indexes an agreement once per run (`once`)
and answers for each node from that.
"""

from __future__ import annotations

from ..model.nodes import Agreement, Objective, Service
from ..model.strength import is_business, spell_seconds
from .business_time import business_length, in_one_order
from .checks import Violation, once, register
from .cost import pay
from .expr.runtime import compare
from .model_view import format_value

# -- SL204: agreed after the customer signed --------------------------------------------------


@register(
    "agreed-after-signature",
    scope="objective",
    summary="An objective's `agreed` date is later than the date of the customer's consent",
)
def agreed_after_signature(objective: Objective, ctx):
    agreement, customer, consent = objective.agreement, objective.agreement.customer, objective.agreement.consent
    if customer is None or consent is None:
        return
    pay(ctx, 1)
    if compare(">", objective.agreed, consent.date, ctx) is not True:
        return
    signed, record = ("signed", "signature") if consent.kind == "signature" else ("accepted", "acceptance")
    yield Violation(
        f"objective '{objective.id}' of service '{objective.service.id}' in {agreement.label} was agreed on "
        f"{format_value(objective.agreed)}, after the customer '{customer.id}' {signed} on "
        f"{format_value(consent.date)}: the {record} does not cover it",
        objective.spans.get("agreed", objective.span),
    )


# -- SL205: changed since --base without the customer signing again -----------------------------


def _consent_of(agreement: Agreement, party: str, ctx):
    """The party's signature, else its acceptance, by the party's id as written."""

    def first_of_party():
        pay(ctx, len(agreement.signatures) + len(agreement.acceptances) + 1)
        for records in (agreement.signatures, agreement.acceptances):
            found = next((r for r in records if r.party_ref.parts[0] == party), None)
            if found is not None:
                return found
        return None

    return once(ctx, ("consent", agreement, party), first_of_party)


_CONSENT_FIELDS = {"signature": ("by", "title", "date", "version"), "acceptance": ("method", "by", "date", "version")}


def _same_consent(a, b) -> bool:
    if a.kind != b.kind:
        return False
    return all(getattr(a, name) == getattr(b, name) for name in _CONSENT_FIELDS[a.kind])


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
    summary="With --base: an objective of an active SLA changed while the customer's consent did not",
)
def changed_without_reapproval(objective: Objective, ctx):
    base = ctx.globals.get("base")
    agreement = objective.agreement
    if base is None or agreement.kind != "sla" or agreement.status != "active" or agreement.customer_ref is None:
        return
    before = base.get(agreement.id)
    customer = agreement.customer_ref.parts[0]
    consent = _consent_of(agreement, customer, ctx)
    if before is None or consent is None:
        return  # a new agreement, or no consent at all (SL201)
    old_consent = _consent_of(before, customer, ctx)
    if old_consent is None or not _same_consent(consent, old_consent):
        return  # the customer consented since the ref (again, or for the first time)
    ref = ctx.globals.get("base_ref", "the base")
    old_objectives = once(ctx, ("objectives at base", before), lambda: _objectives_by_path(before, ctx))
    old = old_objectives.get((objective.service.id, objective.id))
    advice = (
        f"but the {consent.kind} of '{customer}' is unchanged: have the customer re-approve it (new date and version)"
    )
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


def _which_is_stricter(objective: Objective, original: Objective, ctx) -> str:
    """For a business target against a target in another unit, which of them is the
    stricter by the business one's length on the service's clock; else nothing."""
    if objective.target is None or original.target is None:
        return ""
    mine, theirs = objective.target.value, original.target.value
    if not (is_business(mine) or is_business(theirs)) or type(mine) is not type(theirs) or mine.unit == theirs.unit:
        return ""
    service = objective.service
    ordered = in_one_order(mine, theirs, service, ctx)
    if ordered is None or objective.metric.better not in ("higher", "lower"):
        return ""
    lengths = ", ".join(
        f"{value} takes up to {spell_seconds(business_length(value, service, ctx))}"
        for value in (mine, theirs)
        if is_business(value)
    )
    if ordered[0] == ordered[1]:
        return f" ({lengths} on the service's clock: they are as strict at the longest)"
    mine_stricter = (ordered[0] < ordered[1]) == (objective.metric.better == "lower")
    stricter = format_value(objective.target if mine_stricter else original.target)
    return f" ({lengths} on the service's clock, so {stricter} is the stricter)"


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
        f"target {format_value(objective.target)} against {format_value(original.target)}"
        f"{_which_is_stricter(objective, original, ctx)}: keep one, or tell "
        "them apart by priority, percentile or window",
        objective.span,
    )
