"""Evaluating policy rules over the workspace.

Rules are grouped by scope, so every node is visited once per scope with one
evaluation context that all the rules of that scope share.
"""

from __future__ import annotations

import datetime

from ..findings import Finding
from ..model.nodes import Agreement, Credit, Objective, Service, anchor_of
from ..model.workspace import Workspace
from .checks import CHECKS, FINDINGS_PER_RULE_AND_FILE, WORKED_OUT
from .cost import MAX_STRING, BudgetExceeded, ValueTooLarge, pay_for
from .expr import Context
from .loader import Rule
from .model_view import RENAMED, SCOPES

# The steps of a whole run, shared by every rule and check of every pack: a
# rule may take many steps on one node if it takes few on the others, but a
# run's time stays linear in the size of the workspace.
STEP_BUDGET_PER_NODE = 100
STEP_BUDGET_BASE = 2_000_000


class PolicyRuntimeError(Exception):
    """A rule could not be evaluated within the run's budget (exit 2)."""


class StepBudget:
    """The steps left to a run (or to one part of it), and the steps each rule took."""

    def __init__(self, total: int, left: int | None = None, taken: dict[str, int] | None = None) -> None:
        self.total = total  # the whole run's, for messages
        self.taken = dict(taken or {})
        self.left = total - sum(self.taken.values()) if left is None else left


def run_budget(workspace: Workspace) -> int:
    """The steps of a run over `workspace`: STEP_BUDGET_PER_NODE for each of its nodes, plus a base."""
    return STEP_BUDGET_PER_NODE * sum(len(nodes_of(workspace, scope)) for scope in SCOPES) + STEP_BUDGET_BASE


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
    if scope == "consent":
        return [r for a in agreements for records in (a.signatures, a.acceptances) for r in records]
    if scope == "credit":
        return [c for a in agreements for c in a.all_credits]
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
    # `at` names fields as expressions see them; some are written under another key.
    return spans.get(field_name) or spans.get(RENAMED.get(field_name, ""), node.span)


def run_rules(
    rules: list[Rule],
    workspace: Workspace,
    today: datetime.date,
    report_paths: set[str] | None = None,
    extra_globals: dict | None = None,
    part: tuple[int, int] = (0, 1),
    budget: StepBudget | None = None,
    check_paths: set[str] | None = None,
) -> list[Finding]:
    """Findings of `rules`. With `report_paths`, nodes of other files are not
    visited by expression rules (their findings point into the node's own
    file), except those whose findings involve other files (`involves`);
    Python checks may point elsewhere, so their findings are filtered by the
    caller instead. With `check_paths`, the checks visit only the nodes of
    those files (a caller that knows which files the reported ones are linked
    to, as the language server does). `part` (i, k) visits every k-th node from
    the i-th: one process's share when several evaluate the rules. Every
    evaluation pays from `budget` (by default the whole run's)."""
    budget = budget or StepBudget(run_budget(workspace))
    by_scope: dict[str, list[Rule]] = {}
    for rule in rules:
        by_scope.setdefault(rule.scope, []).append(rule)
    index, parts = part
    nodes = {scope: nodes_of(workspace, scope)[index::parts] for scope in by_scope}
    produced: dict[tuple[str, str], int] = {}  # (file, code) -> findings so far
    extra_globals = {**(extra_globals or {}), WORKED_OUT: {}}  # what the checks work out once in this run
    findings: list[Finding] = []
    taken = budget.taken
    for scope, scope_rules in by_scope.items():
        involving = any(rule.involves is not None for rule in scope_rules)
        for node in nodes[scope]:
            own_file = report_paths is None or node.file in report_paths
            checked = check_paths is None or node.file in check_paths
            if not own_file and not checked and not involving:
                continue  # no rule of this scope reports anything here
            ctx = context_for(node, workspace, today, extra_globals)
            for rule in scope_rules:
                if rule.check is None and rule.involves is None and not own_file:
                    continue  # its findings point into this file, which is not reported
                if rule.check is not None and not checked:
                    continue
                if produced and produced.get((node.span.path, rule.code), 0) >= FINDINGS_PER_RULE_AND_FILE:
                    continue  # the file has all the findings of this rule that will be shown
                ctx.budget = budget.left
                try:
                    _evaluate(rule, node, ctx, findings, produced)
                except BudgetExceeded as error:
                    taken[rule.code] = taken.get(rule.code, 0) + budget.left - max(ctx.budget, 0)
                    raise PolicyRuntimeError(_out_of_budget(rule, _where(node, scope), error, budget, rules)) from None
                if ctx.budget != budget.left:
                    taken[rule.code] = taken.get(rule.code, 0) + budget.left - ctx.budget
                    budget.left = ctx.budget
    return findings


def _where(node, scope: str) -> str:
    """A node as an error names it: `SLA 'x'`, or `objective x.s.o757`."""
    if getattr(node, "id", None) is not None and not isinstance(node, Objective | Service):
        return node.label
    return f"{scope} {anchor_of(node)}".rstrip()


def _out_of_budget(rule: Rule, where: str, error: BudgetExceeded, budget: StepBudget, rules: list[Rule]) -> str:
    """Which rule ran out, where, and which rule took most of the steps."""
    own = f"rule {rule.code} ({rule.path}:{rule.line})"
    if isinstance(error, ValueTooLarge):
        return (
            f"{own} built a string of more than {MAX_STRING:,} characters (at {where}); "
            "a message or expression must not join that much text"
        )
    most = max(budget.taken, key=budget.taken.get)
    hog = next((r for r in rules if r.code == most), rule)
    named = "it" if hog is rule else f"rule {hog.code} ({hog.path}:{hog.line})"
    why = (
        "its quantifiers grow too fast with the size of the workspace; compare within a service or agreement "
        "rather than the whole workspace"
        if hog.check is None
        else f"its check '{hog.check}' had more to compare than a workspace of this size should hold"
    )
    return (
        f"{own} ran out of steps (at {where}): the rules of a run share {budget.total:,} steps for this workspace "
        f"({STEP_BUDGET_PER_NODE} per node, plus {STEP_BUDGET_BASE:,}), and {named} took {budget.taken[most]:,} of "
        f"them: {why}"
    )


def _evaluate(rule: Rule, node, ctx: Context, findings: list[Finding], produced: dict) -> None:
    """Append the findings of one rule on one node; a check stops once its file has as many as will be counted."""
    if rule.where is not None and rule.where(ctx) is not True:
        return
    if rule.check is not None:
        for violation in CHECKS[rule.check].function(node, ctx):
            key = (violation.span.path, rule.code)
            count = produced.get(key, 0)
            if count >= FINDINGS_PER_RULE_AND_FILE:
                break
            produced[key] = count + 1
            message = rule.message.render(ctx) if rule.message is not None else pay_for(ctx, violation.message)
            anchor = anchor_of(node, rule.at) + (f" @ {violation.about}" if violation.about else "")
            related = tuple(path for path in violation.related if path != violation.span.path)
            fix = rule.fix.at(violation.span) if rule.fix is not None else None
            findings.append(
                Finding(rule.code, rule.name, _severity(rule, ctx), message, violation.span, anchor, fix, related)
            )
        return
    if rule.assertion(ctx) is True:
        return
    message = rule.message.render(ctx)
    span = position(node, rule.at)
    produced[span.path, rule.code] = produced.get((span.path, rule.code), 0) + 1
    related = _files_of(rule.involves(ctx), span.path) if rule.involves is not None else ()
    fix = rule.fix.at(span) if rule.fix is not None else None
    findings.append(
        Finding(rule.code, rule.name, _severity(rule, ctx), message, span, anchor_of(node, rule.at), fix, related)
    )


def _files_of(nodes, own: str) -> tuple[str, ...]:
    """The files of `nodes` (a node or a list of them) other than `own`, each once."""
    if not isinstance(nodes, list):
        nodes = [nodes]
    return tuple(dict.fromkeys(n.file for n in nodes if getattr(n, "file", own) != own))


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
    findings and the steps each rule took. Elsewhere, and for one process,
    the rules run here.

    The run's budget is split: each part may take an equal share of it. A
    part that runs out of its share (or whose child failed) is run again
    here, with all the steps the other parts left: a run fails only when
    its parts together need more than the whole budget, as when one process
    does it all, and at most about twice the budget is ever spent."""
    from ..many_files.processes import ChildProcesses, start_method

    total = run_budget(arguments[1])
    if processes < 2 or start_method() != "fork":
        return run_rules(*arguments, budget=StepBudget(total))
    global _SHARED
    _SHARED = (arguments, total, total // processes)
    parts = [(i, processes) for i in range(processes)]
    done: dict[int, list[Finding]] = {}
    taken: dict[str, int] = {}
    try:
        with ChildProcesses(_run_part, parts[1:]) as children:
            share = StepBudget(total, total // processes)
            try:
                done[0] = run_rules(*arguments, part=parts[0], budget=share)
                _add_steps(taken, share.taken)
            except PolicyRuntimeError:
                pass  # run again below, with what the other parts leave
            for child in range(processes - 1):
                sent = list(children.sent(child))
                if children.finished(child):
                    done[child + 1], child_taken = sent[0]
                    _add_steps(taken, child_taken)
    finally:
        _SHARED = None
    for index, part in enumerate(parts):
        if index not in done:  # where an error is reported as usual
            rest = StepBudget(total, taken=taken)
            done[index] = run_rules(*arguments, part=part, budget=rest)
            taken = rest.taken
    return [finding for index in range(processes) for finding in done[index]]


def _add_steps(taken: dict[str, int], more: dict[str, int]) -> None:
    for code, steps in more.items():
        taken[code] = taken.get(code, 0) + steps


def _run_part(part: tuple[int, int]):
    arguments, total, share = _SHARED
    budget = StepBudget(total, share)
    findings = run_rules(*arguments, part=part, budget=budget)
    yield findings, budget.taken
