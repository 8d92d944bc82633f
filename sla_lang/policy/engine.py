"""Evaluating policy rules over the workspace.

Rules are grouped by scope, so every node is visited once per scope with one
evaluation context that all the rules of that scope share.
"""

from __future__ import annotations

import datetime

from ..findings import Finding
from ..model.nodes import Agreement, Credit, Objective, Service, anchor_of
from ..model.workspace import Workspace
from .checks import CHECKS
from .expr import DEFAULT_BUDGET, BudgetExceeded, Context
from .loader import Rule

STEP_BUDGET_PER_NODE = 100

# `at` names fields as expressions see them; some are written under another key.
_WRITTEN_AS = {"credit_cap": "cap", "threshold": "when", "op": "when", "objective": "when"}


class PolicyRuntimeError(Exception):
    """A rule could not be evaluated within its budget (exit 2)."""


def nodes_of(workspace: Workspace, scope: str) -> list:
    agreements = list(workspace.agreements.values())
    if scope == "agreement":
        return agreements
    if scope == "party":
        return list(workspace.parties.values())
    if scope == "metric":
        return [metric for metric in workspace.metrics.values() if not metric.builtin]
    if scope == "service":
        return [s for a in agreements for s in a.services]
    if scope == "objective":
        return [o for a in agreements for s in a.services for o in s.objectives]
    if scope == "signature":
        return [s for a in agreements for s in a.signatures]
    if scope == "credit":
        return [c for a in agreements for c in a.credits]
    raise ValueError(scope)


def context_for(node, workspace: Workspace, today: datetime.date, extra_globals: dict | None = None) -> Context:
    agreement = getattr(node, "agreement", None) if not isinstance(node, Agreement) else node
    if isinstance(node, Service):
        service = node
    elif isinstance(node, Objective):
        service = node.service
    elif isinstance(node, Credit) and node.objective is not None:
        service = node.objective.service
    else:
        service = None
    names = {"agreement": agreement, "service": service, "workspace": workspace, "today": today}
    if extra_globals:  # for Python checks only: expressions cannot name them
        names.update(extra_globals)
    return Context(node, names)


def position(node, field_name: str | None):
    if field_name is None:
        return node.span
    spans = node.spans
    return spans.get(field_name) or spans.get(_WRITTEN_AS.get(field_name, ""), node.span)


def run_rules(
    rules: list[Rule],
    workspace: Workspace,
    today: datetime.date,
    report_paths: set[str] | None = None,
    extra_globals: dict | None = None,
    part: tuple[int, int] = (0, 1),
) -> list[Finding]:
    """Findings of `rules`. With `report_paths`, nodes of other files are not
    visited by expression rules (their findings always point into the node's
    own file); Python checks may point elsewhere, so their findings are
    filtered by the caller instead. `part` (i, k) visits every k-th node from
    the i-th: one process's share when several evaluate the rules."""
    by_scope: dict[str, list[Rule]] = {}
    for rule in rules:
        by_scope.setdefault(rule.scope, []).append(rule)
    index, parts = part
    nodes = {scope: nodes_of(workspace, scope)[index::parts] for scope in by_scope}
    # Each rule may take a number of quantifier steps proportional to the size
    # of the workspace, over the whole run: a rule that compares every objective
    # with every other one (quadratic) is stopped with an error, not left to run
    # for hours in a pull-request gate.
    budget = STEP_BUDGET_PER_NODE * sum(len(n) for n in nodes.values()) + DEFAULT_BUDGET
    left = {rule.code: budget for rule in rules}
    findings: list[Finding] = []
    for scope, scope_rules in by_scope.items():
        for node in nodes[scope]:
            own_file = report_paths is None or node.file in report_paths
            ctx = context_for(node, workspace, today, extra_globals)
            for rule in scope_rules:
                if rule.check is None and not own_file:
                    continue
                ctx.budget = min(left[rule.code], DEFAULT_BUDGET)
                spent_before = ctx.budget
                try:
                    _evaluate(rule, node, ctx, findings)
                except BudgetExceeded:
                    raise PolicyRuntimeError(
                        f"rule {rule.code} ({rule.path}:{rule.line}) took more than its budget of steps "
                        f"(at {anchor_of(node) or scope}): its quantifiers grow too fast with the size of the "
                        "workspace; compare within a service or agreement rather than the whole workspace"
                    ) from None
                left[rule.code] -= spent_before - ctx.budget
    return findings


def _evaluate(rule: Rule, node, ctx: Context, findings: list[Finding]) -> None:
    """Append the findings of one rule on one node."""
    if rule.where is not None and rule.where(ctx) is not True:
        return
    if rule.check is not None:
        for violation in CHECKS[rule.check].function(node, ctx):
            message = rule.message.render(ctx) if rule.message is not None else violation.message
            findings.append(
                Finding(rule.code, rule.name, _severity(rule, ctx), message, violation.span, anchor_of(node))
            )
        return
    if rule.assertion(ctx) is True:
        return
    message = rule.message.render(ctx)
    findings.append(
        Finding(rule.code, rule.name, _severity(rule, ctx), message, position(node, rule.at), anchor_of(node))
    )


def _severity(rule: Rule, ctx: Context) -> str:
    for level, condition in rule.severity_when:
        if condition(ctx) is True:
            return level
    return rule.severity


# What forked rule workers read: set just before the fork, inherited by the children.
_SHARED: tuple | None = None


def run_rules_in_parallel(processes: int, *arguments) -> list[Finding]:
    """run_rules(*arguments) over `processes` processes, this one included.

    Only with the fork start method: the children inherit the resolved
    workspace instead of receiving it pickled, and send back only their
    findings. Elsewhere, and for one process, the rules run here."""
    from ..parallel import Children, start_method

    if processes < 2 or start_method() != "fork":
        return run_rules(*arguments)
    global _SHARED
    _SHARED = arguments
    try:
        parts = [(i, processes) for i in range(1, processes)]
        with Children(_run_part, parts) as children:
            findings = run_rules(*arguments, part=(0, processes))
            for index, part in enumerate(parts):
                sent = list(children.sent(index))
                # A child that failed: its part runs here, where an error is reported as usual.
                findings += sent[0] if children.finished(index) else run_rules(*arguments, part=part)
    finally:
        _SHARED = None
    return findings


def _run_part(part: tuple[int, int]):
    yield run_rules(*_SHARED, part=part)
