"""The checks of the operations pack (SL701-SL705): does an SLO watch each
promise, and does it alert before the promise breaks?

An objective's `slo` is resolved before the rules run (slo/resolve.py). The
SLO is then compared with the objective as SL402 compares a supporter
(model/strength.py): an SLO of a percent target T over its window counts as
an objective `>= T` (`<= 100% - T` where lower is better) over that window;
a latency SLO as `<= threshold` at percentile T.
"""

from __future__ import annotations

from ..model import strength
from ..model.nodes import Objective
from ..values import Comparison, Percent, format_value
from .checks import Violation, once, register
from .underpinning_targets import promise_text


def _at_slo(objective: Objective):
    return objective.spans.get("slo", objective.span)


@register(
    "objective-without-slo",
    scope="objective",
    summary="An objective on a percent metric has no SLO, while other objectives of its provider have one",
)
def objective_without_slo(objective: Objective, ctx):
    agreement = objective.agreement
    if objective.slo_link is not None or agreement.kind == "contract" or agreement.status != "active":
        return
    if objective.metric is None or objective.metric.unit != "percent":
        return
    provider = agreement.provider or agreement.provider_ref
    if provider is None or provider not in once(ctx, "providers with SLOs", lambda: _providers_with_slos(ctx)):
        return
    yield Violation(
        f"objective '{objective.id}' of service '{objective.service.id}' in {agreement.label} names no SLO, "
        f"while other objectives of its provider '{agreement.provider_ref}' do: add slo: \"PATH#NAME\" with the "
        "SLO that watches it, so that operations hear of a breach before the customer does",
        objective.id_span or objective.span,
    )


def _providers_with_slos(ctx) -> set:
    workspace = ctx.globals["workspace"]
    return {
        agreement.provider or agreement.provider_ref
        for agreement in workspace.agreements.values()
        if any(o.slo_link is not None for service in agreement.services for o in service.objectives)
    }


@register("slo-not-found", scope="objective", summary="An objective's `slo` names no SLO that slalint can read")
def slo_not_found(objective: Objective, ctx):
    problem = objective.slo_problem
    if problem is not None and problem[0] == "SL702":
        yield Violation(problem[1], _at_slo(objective), related=(problem[2],) if problem[2] else ())


def _compared(objective: Objective, ctx):
    """(SL703, SL704 and SL705 violations) of one objective, worked out once."""
    return once(ctx, ("slo", objective), lambda: _compare(objective))


@register("slo-weaker", scope="objective", summary="The SLO that watches an objective is weaker than it")
def slo_weaker(objective: Objective, ctx):
    yield from _compared(objective, ctx).get("SL703", ())


@register("slo-without-margin", scope="objective", summary="The SLO that watches an objective aims exactly at it")
def slo_without_margin(objective: Objective, ctx):
    yield from _compared(objective, ctx).get("SL704", ())


@register("slo-mismatch", scope="objective", summary="The SLO an objective names cannot watch it")
def slo_mismatch(objective: Objective, ctx):
    problem = objective.slo_problem
    if problem is not None and problem[0] == "SL705":
        yield Violation(problem[1], _at_slo(objective), related=(problem[2],))
    yield from _compared(objective, ctx).get("SL705", ())


def _compare(objective: Objective) -> dict[str, list]:
    slo = objective.slo
    if slo is None or not strength.comparable(objective):
        return {}
    value, metric = objective.target.value, objective.metric
    label = objective.agreement.label

    def found(code: str, message: str) -> dict[str, list]:
        return {code: [Violation(message, _at_slo(objective), related=(slo.file,))]}

    if strength.is_business(value):
        why = f"counts round the clock, and {_promised(objective)} in business time"
        return found("SL705", f"{_named(slo)} {why}: no SLO can watch it")
    if metric.unit == "percent":
        if slo.threshold is not None:
            why = f"is a latency SLO (within {slo.threshold}), and {_promised(objective)}"
            return found("SL705", f"{_named(slo)} {why}: link an SLO of the share of good events instead")
        share = slo.target if metric.better == "higher" else Percent(strength.HUNDRED - slo.target.value)
        op = ">=" if metric.better == "higher" else "<="
        watching = strength.Promise(objective, Comparison(op, share), slo.window)
    elif metric.unit == "duration" and metric.better == "lower":
        if slo.threshold is None:
            why = "has no latency threshold (OpenSLO op: lte with a value, Pyrra's le label or latencyNative)"
            return found("SL705", f"{_named(slo)} {why}, and {_promised(objective)}: it cannot say whether that holds")
        watching = strength.Promise(objective, Comparison("<=", slo.threshold), slo.window, slo.target.value)
    else:
        return found(
            "SL705", f"{_named(slo)} counts good events, and {_promised(objective)}: no SLO format can watch it"
        )
    counted = strength.counted([watching], objective)
    if not counted:
        wanted = format_value(Percent(strength.percentile_of(objective)))
        holds = "every event" if objective.percentile is None else f"{wanted} of events"
        why = f"{_promised(objective)}, which holds for {holds}: it alerts only after the promise is broken"
        return found("SL703", f"{_aims(watching, slo)}, but {why}; raise the SLO's target to at least {wanted}")
    gap = strength.gap(counted, objective, objective.agreement.effective)
    if gap is not None:
        why = ""
        if gap.kind == "window":
            word = "downtime" if metric.id == "availability" else "shortfall"
            why = (
                f": that allows {strength.spell_seconds(gap.allowed)} of {word}, all of which may fall into one "
                f"{objective.window} window, where {strength.spell_seconds(gap.needed)} is allowed "
                f"({strength.shown_percent(gap.worst, metric.better)} in the worst {objective.window})"
            )
        weaker = f"weaker than the {promise_text(objective)} that {label} promises{why}"
        return found(
            "SL703", f"{_aims(watching, slo)}, {weaker}: it alerts only after the promise is broken; tighten the SLO"
        )
    if strength.backs_exactly(counted, objective, objective.agreement.effective):
        exactly = f"exactly the {promise_text(objective)} that {label} promises"
        why = "its error budget runs out at the moment the promise breaks, with no time to act"
        return found("SL704", f"{_aims(watching, slo)}, {exactly}: {why}; aim the SLO a little higher")
    return {}


# The words of a message are put together only for a finding: most objectives have none.


def _named(slo) -> str:
    return f"SLO '{slo.name}' ({slo.file})"


def _promised(objective: Objective) -> str:
    return f"{objective.agreement.label} promises {promise_text(objective)}"


def _aims(watching, slo) -> str:
    return f"{_named(slo)} aims at {_aim(watching, slo)}"


def _aim(watching, slo) -> str:
    """`99.9% over 30d`, `p90 latency <= 0.05s over 4w`, `99.9% (error_rate <= 0.1%) over 30d`."""
    window = f" over {slo.window}" if slo.window is not None else " (no window)"
    if watching.percentile is not None:
        return f"{promise_text(watching)}{window}"
    if watching.metric.better == "lower":
        return f"{format_value(slo.target)} ({promise_text(watching)}){window}"
    return f"{format_value(slo.target)}{window}"
