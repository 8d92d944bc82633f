"""The support graph as a tree in the terminal (rich): each SLA, its services
with the availability their supporters give together (SL405's composition),
and under each its supporters, down to their own supporters at any depth."""

from __future__ import annotations

from ..model.nodes import Agreement
from ..report.escape import visible
from ..values import format_value
from .drawing import kind_word, party_name
from .model import SupportGraph


class _Steps:
    """The context SL405's figures are worked out in (checks.once, cost.pay),
    outside a lint run: an unbounded budget, since the graph is already built."""

    def __init__(self) -> None:
        self.globals: dict = {}
        self.budget = 1 << 62


def _text(value: str) -> str:
    from rich.markup import escape

    return escape(visible(value))


def _heading(agreement: Agreement) -> str:
    title = f' "{_text(agreement.title)}"' if agreement.title else ""
    parties = f"{_text(party_name(agreement.provider))} → {_text(party_name(agreement.customer))}"
    return f"[bold]{kind_word(agreement)} {_text(agreement.id)}[/]{title} ({parties})"


def composite(service, steps: _Steps) -> str | None:
    """`together 99.98%: OLA 'db' (99.99%) × ...` for the service's first availability
    objective with a target, when two or more supporters count."""
    from ..policy.composite_availability import supporters_availability

    for objective in service.objectives:
        metric = objective.metric
        if metric is None or metric.id != "availability" or objective.target is None:
            continue
        product, composition, count = supporters_availability(service, objective.window, steps)
        if count == 0 or product is None:
            return None
        return f"supporters give {composition} for {format_value(objective.target)}"
    return None


def tree(graph: SupportGraph, console) -> None:
    from rich.tree import Tree

    into: dict[str, list] = {}
    for edge in graph.edges:
        into.setdefault(edge.supported.id, []).append(edge)
    steps = _Steps()
    roots = [a for a in graph.agreements if a.kind == "sla"] or [
        a for a in graph.agreements if not any(e.supporter is a for e in graph.edges)
    ]
    if not roots:
        console.print("no agreement to show")
        return
    for agreement in roots:
        root = Tree(_heading(agreement))
        _branches(root, agreement, into, graph, steps, (agreement.id,))
        console.print(root)


def _branches(node, agreement: Agreement, into: dict, graph: SupportGraph, steps: _Steps, path: tuple) -> None:
    edges = into.get(agreement.id, [])
    for service in agreement.services:
        line = f"service {_text(service.id)}"
        figures = composite(service, steps) if edges else None
        if figures:
            line += f": {_text(figures)}"
        branch = node.add(line)
        for code, message in graph.service_findings.get((agreement.id, service.id), ()):
            branch.add(f"[red]{code}[/] {_text(message)}")
        for edge in edges:
            if edge.service_id in (None, service.id):
                _supporter(branch, edge, into, graph, steps, path)


def _supporter(node, edge, into: dict, graph: SupportGraph, steps: _Steps, path: tuple) -> None:
    supporter = edge.supporter
    text = _heading(supporter)
    if supporter.redundancy:
        text += f" [dim]redundancy {_text(supporter.redundancy)}[/]"
    if edge.labels:
        text += f": {_text('; '.join(edge.labels))}"
    if supporter.id in path:
        node.add(f"{text} [yellow](cycle)[/]")
        return
    branch = node.add(text)
    for code, message in edge.findings:
        branch.add(f"[red]{code}[/] {_text(message)}")
    if into.get(supporter.id):
        _branches(branch, supporter, into, graph, steps, (*path, supporter.id))
