"""Who supports whom, as nodes and labelled edges: the `supports` links of a
resolved workspace, the targets compared on each (model/strength.py), the
redundancy groups, and the findings of the underpinning rules put on the
edge or service they concern."""

from __future__ import annotations

from ..model import strength
from ..model.nodes import Agreement
from ..values import format_value

# The underpinning rules a graph shows (SL401 is about the kind of a link, not a link's strength).
EDGE_CODES = ("SL402", "SL403", "SL404", "SL405", "SL406", "SL407", "SL408", "SL409", "SL410", "SL411")


class Edge:
    """`supporter` supports `target` (an agreement, or a service of one)."""

    __slots__ = ("supporter", "target", "labels", "findings")

    def __init__(self, supporter: Agreement, target) -> None:
        self.supporter = supporter
        self.target = target
        self.labels: list[str] = []
        self.findings: list[tuple[str, str]] = []  # (code, message)

    @property
    def supported(self) -> Agreement:
        return self.target if isinstance(self.target, Agreement) else self.target.agreement

    @property
    def service_id(self) -> str | None:
        return None if isinstance(self.target, Agreement) else self.target.id


class SupportGraph:
    def __init__(self, agreements: list[Agreement], edges: list[Edge], service_findings: dict) -> None:
        self.agreements = agreements
        self.edges = edges
        self.service_findings = service_findings  # (agreement id, service id) -> [(code, message)]

    def groups(self) -> dict[tuple[str, str, str], list[Agreement]]:
        """(supported agreement id, service id or '', group) -> its members with an edge here."""
        groups: dict[tuple[str, str, str], list[Agreement]] = {}
        for edge in self.edges:
            if edge.supporter.redundancy is not None:
                key = (edge.supported.id, edge.service_id or "", edge.supporter.redundancy)
                groups.setdefault(key, []).append(edge.supporter)
        return groups


def _objectives(agreement: Agreement) -> list:
    return [objective for service in agreement.services for objective in service.objectives]


def target_labels(supporter: Agreement, target) -> list[str]:
    """`availability >= 99.99% for >= 99.95%`: for each objective of the supported
    side, the supporter's strictest counted target and the supported one."""
    services = target.services if isinstance(target, Agreement) else [target]
    mine = _objectives(supporter)
    labels = []
    for service in services:
        for objective in service.objectives:
            if not strength.comparable(objective):
                continue
            counted = strength.counted(mine, objective)
            if not counted:
                continue
            best = max(counted, key=strength.strictness)
            name = objective.metric.id + (f" {objective.priority}" if objective.priority else "")
            labels.append(f"{name} {_target(best)} for {_target(objective)}")
    return list(dict.fromkeys(labels))


def _target(objective) -> str:
    """`>= 99.99% over 1y`: a target, with its window when it has one."""
    shown = format_value(objective.target)
    return f"{shown} over {objective.window}" if objective.window is not None else shown


def support_graph(workspace, findings, focus: str | None = None) -> SupportGraph:
    """The graph of a workspace, with `findings` (of lint) on its edges; with
    `focus`, only that agreement, what it supports and what supports it, to any depth."""
    agreements = list(workspace.agreements.values())
    edges = []
    for supporter in agreements:
        whole = {item for item in supporter.supports if isinstance(item, Agreement)}
        for target in supporter.supports:
            if not isinstance(target, Agreement) and target.agreement in whole:
                continue
            edge = Edge(supporter, target)
            edge.labels = target_labels(supporter, target)
            edges.append(edge)
    if focus is not None:
        kept = _related(focus, edges)
        agreements = [agreement for agreement in agreements if agreement.id in kept]
        edges = [edge for edge in edges if edge.supporter.id in kept and edge.supported.id in kept]
    service_findings = _place_findings(findings, edges)
    return SupportGraph(agreements, edges, service_findings)


def _related(focus: str, edges: list[Edge]) -> set[str]:
    """`focus`, what it supports (up) and what supports it (down), each followed to any depth."""
    up: dict[str, set[str]] = {}
    down: dict[str, set[str]] = {}
    for edge in edges:
        up.setdefault(edge.supporter.id, set()).add(edge.supported.id)
        down.setdefault(edge.supported.id, set()).add(edge.supporter.id)
    kept = {focus}
    for links in (up, down):
        todo = [focus]
        seen = {focus}
        while todo:
            for neighbour in links.get(todo.pop(), ()):
                if neighbour not in seen:
                    seen.add(neighbour)
                    todo.append(neighbour)
        kept |= seen
    return kept


def _place_findings(findings, edges: list[Edge]) -> dict:
    """Each finding of EDGE_CODES on the edges its anchor names: `supporter[.field] @
    supported[.service]`, or, without `@`, every edge of the supporter; SL405 on its
    service. Returns SL405's findings by service."""
    by_supporter: dict[str, list[Edge]] = {}
    for edge in edges:
        by_supporter.setdefault(edge.supporter.id, []).append(edge)
    at_services: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for finding in findings:
        if finding.code not in EDGE_CODES or not finding.anchor:
            continue
        shown = (finding.code, finding.message)
        own, _, other = finding.anchor.partition(" @ ")
        if finding.code == "SL405":
            parts = own.split(".")
            if len(parts) >= 2:
                at_services.setdefault((parts[0], parts[1]), []).append(shown)
            continue
        parts = other.split(".") if other else []
        for edge in by_supporter.get(own.split(".")[0], ()):
            if parts and (
                edge.supported.id != parts[0] or (len(parts) > 1 and edge.service_id not in (None, parts[1]))
            ):
                continue
            if shown not in edge.findings:
                edge.findings.append(shown)
    return at_services
