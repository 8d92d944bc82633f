"""SL406's check, support-cycle (see checks.py for the API): `supports` links
must not form a cycle. One finding per cycle, at the member whose id sorts
first; the graph is walked once per run.
"""

from __future__ import annotations

from ..model.nodes import Agreement
from .checks import Violation, once, register
from .cost import pay
from .support_graph import owner


@register("support-cycle", scope="agreement", summary="supports links form a cycle")
def support_cycle(agreement: Agreement, ctx):
    workspace = ctx.globals["workspace"]
    order = once(ctx, ("cycles", workspace), lambda: _cycles(workspace, ctx)).get(agreement)
    if not order or order[0] is not agreement:
        return  # one finding per cycle, at the member whose id sorts first
    shown = [member.label for member in order[:10]]
    if len(order) > 10:
        shown.append(f"({len(order) - 10:,} more)")
    path = " -> ".join([*shown, order[0].label])
    yield Violation(
        f"supports links form a cycle: {path}; an agreement cannot underpin itself, remove one of the links",
        agreement.spans.get("supports", agreement.span),
        related=tuple(dict.fromkeys(member.file for member in order)),
    )


def _support_edges(agreement: Agreement) -> list[Agreement]:
    """The agreements `agreement` supports (wholly or a service of them), each once, in order."""
    targets: dict[Agreement, None] = {}
    for supported in agreement.supports:
        target = owner(supported)
        if target is not None:
            targets[target] = None
    return list(targets)


def _cycles(workspace, ctx) -> dict[Agreement, list[Agreement]]:
    """For each agreement on a support cycle, the cycle's members in order,
    starting at the member whose id sorts first."""
    edges = {agreement: _support_edges(agreement) for agreement in workspace.agreements.values()}
    pay(ctx, len(edges) + sum(len(targets) for targets in edges.values()))
    result: dict[Agreement, list[Agreement]] = {}
    for component in _cyclic_components(edges):
        members = set(component)
        order = [min(component, key=lambda a: a.id)]
        walked = {order[0]}
        while True:  # walk the cycle inside the component, for the message
            following = next((t for t in edges.get(order[-1], ()) if t in members and t not in walked), None)
            if following is None:
                break
            order.append(following)
            walked.add(following)
        for member in component:
            result[member] = order
    return result


def _cyclic_components(edges: dict) -> list[list]:
    """The strongly connected components that hold a cycle. Tarjan's algorithm,
    iterative: a chain of thousands of agreements must not exhaust Python's stack."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    components: list[list] = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return node, iter(edges.get(node, ()))

    for root in edges:
        if root in index:
            continue
        work = [visit(root)]
        while work:
            node, targets = work[-1]
            following = _next_unvisited(node, targets, index, low, on_stack)
            if following is not None:
                work.append(visit(following))
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = _pop_component(node, stack, on_stack)
                if len(component) > 1 or node in edges.get(node, ()):
                    components.append(component)
    return components


def _next_unvisited(node, targets, index: dict, low: dict, on_stack: set):
    """The next target not numbered yet, lowering `node`'s link on the way past those on the stack."""
    for target in targets:
        if target not in index:
            return target
        if target in on_stack:
            low[node] = min(low[node], index[target])
    return None


def _pop_component(node, stack: list, on_stack: set) -> list:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member is node:
            return component
