"""The support graph as Mermaid and as Graphviz DOT. Every text from a file
(ids, titles, party names, messages) is made visible (report/escape.py: a
newline shows as `\\n`) and then quoted for the format, so that no title can
end a label and start a statement of its own."""

from __future__ import annotations

from ..report.escape import visible
from .model import SupportGraph

RED = "#c62828"


def kind_word(agreement) -> str:
    return "contract" if agreement.kind == "contract" else agreement.kind.upper()


def party_name(node) -> str:
    return (node.name or node.id) if node is not None else "?"


def node_lines(agreement, service_findings: dict) -> list[str]:
    """What a node says: kind and id, title, provider -> customer, SL405 by service."""
    lines = [f"{kind_word(agreement)} {agreement.id}"]
    if agreement.title:
        lines.append(agreement.title)
    lines.append(f"{party_name(agreement.provider)} → {party_name(agreement.customer)}")
    for service in agreement.services:
        for code, _ in service_findings.get((agreement.id, service.id), ()):
            lines.append(f"{code} on service {service.id}")
    return lines


def edge_lines(edge) -> list[str]:
    lines = [f"service {edge.service_id}"] if edge.service_id else []
    lines += edge.labels
    lines += sorted({code for code, _ in edge.findings})
    return lines


def _ids(graph: SupportGraph) -> dict[str, str]:
    """Generated node names: an id never appears in a statement, only in labels."""
    return {agreement.id: f"n{number}" for number, agreement in enumerate(graph.agreements)}


def _clusters(graph: SupportGraph, names: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(title, member node names) per redundancy group; a node goes in its first group only."""
    placed: set[str] = set()
    clusters = []
    for (agreement_id, service_id, group), members in graph.groups().items():
        inside = [names[m.id] for m in members if names[m.id] not in placed]
        placed.update(inside)
        if inside:
            where = f"{agreement_id}.{service_id}" if service_id else agreement_id
            clusters.append((f"redundancy group {group} for {where}", inside))
    return clusters


# -- Mermaid ----------------------------------------------------------------------------------

_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;", "`": "#96;"}


def mermaid_text(text: str) -> str:
    """Text for inside a Mermaid `"..."` label: markup characters as entity codes."""
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in visible(text))


def mermaid(graph: SupportGraph) -> str:
    names = _ids(graph)
    out = ["flowchart BT"]
    clustered = {}
    for number, (_, members) in enumerate(_clusters(graph, names)):
        for member in members:
            clustered[member] = number
    by_cluster: dict[int, list[str]] = {}
    red_nodes = []
    for agreement in graph.agreements:
        name = names[agreement.id]
        label = "<br/>".join(mermaid_text(line) for line in node_lines(agreement, graph.service_findings))
        statement = f'{name}["{label}"]'
        if name in clustered:
            by_cluster.setdefault(clustered[name], []).append(statement)
        else:
            out.append(f"  {statement}")
        if any((agreement.id, s.id) in graph.service_findings for s in agreement.services):
            red_nodes.append(name)
    for number, (title, _) in enumerate(_clusters(graph, names)):
        out.append(f'  subgraph c{number}["{mermaid_text(title)}"]')
        out += [f"    {statement}" for statement in by_cluster.get(number, ())]
        out.append("  end")
    red_edges = []
    for number, edge in enumerate(graph.edges):
        label = "<br/>".join(mermaid_text(line) for line in edge_lines(edge))
        arrow = f'-->|"{label}"|' if label else "-->"
        out.append(f"  {names[edge.supporter.id]} {arrow} {names[edge.supported.id]}")
        if edge.findings:
            red_edges.append(str(number))
    if red_edges:
        out.append(f"  linkStyle {','.join(red_edges)} stroke:{RED},color:{RED},stroke-width:2px")
    for name in red_nodes:
        out.append(f"  style {name} stroke:{RED},stroke-width:2px")
    return "\n".join(out) + "\n"


# -- DOT --------------------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """Text for inside a DOT `"..."` string: backslashes and quotes escaped."""
    return visible(text).replace("\\", "\\\\").replace('"', '\\"')


def dot(graph: SupportGraph) -> str:
    names = _ids(graph)
    out = ["digraph supports {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica"];']
    out.append('  edge [fontname="Helvetica", fontsize=10];')
    clusters = _clusters(graph, names)
    for agreement in graph.agreements:
        label = "\\n".join(dot_text(line) for line in node_lines(agreement, graph.service_findings))
        red = any((agreement.id, s.id) in graph.service_findings for s in agreement.services)
        style = f', color="{RED}", penwidth=2' if red else ""
        out.append(f'  {names[agreement.id]} [label="{label}"{style}];')
    for number, (title, members) in enumerate(clusters):
        out.append(f"  subgraph cluster_{number} {{")
        out.append(f'    label="{dot_text(title)}"; style=dashed;')
        out += [f"    {member};" for member in members]
        out.append("  }")
    for edge in graph.edges:
        label = "\\n".join(dot_text(line) for line in edge_lines(edge))
        style = f', color="{RED}", fontcolor="{RED}", penwidth=2' if edge.findings else ""
        out.append(f'  {names[edge.supporter.id]} -> {names[edge.supported.id]} [label="{label}"{style}];')
    out.append("}")
    return "\n".join(out) + "\n"
