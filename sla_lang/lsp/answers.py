"""The answers of the language server as plain data (spans, strings, names),
made from a LiveWorkspace's files, its last resolved workspace and findings.
server.py turns them into LSP messages."""

from __future__ import annotations

import re

from ..findings import Finding
from ..model.nodes import Agreement, Metric, Objective, Party, Service
from ..model.schema import DECLARATION_KINDS, DECLARATIONS, NESTED_BLOCKS
from ..source import Span
from ..values import Comparison, Duration, Percent, format_value
from .index import Index, contains, enclosing_blocks, offset_of, word_at


class Symbol:
    """A declaration of a file as an outline shows it."""

    def __init__(self, name: str, detail: str, kind: str, span: Span, selection: Span, children: list) -> None:
        self.name = name
        self.detail = detail
        self.kind = kind  # party, metric, agreement, service or objective
        self.span = span  # the whole block
        self.selection = selection  # its id
        self.children = children


class Completion:
    def __init__(self, label: str, kind: str, detail: str = "", documentation: str = "") -> None:
        self.label = label
        self.kind = kind  # field, block, keyword, reference or value
        self.detail = detail
        self.documentation = documentation


def spec_of(keyword: str):
    """The BlockSpec a block keyword opens (`sla`: the agreement's), or None."""
    return DECLARATIONS.get(keyword) or NESTED_BLOCKS.get(keyword)


def hover(live, index: Index, findings: list[Finding], path: str, line: int, column: int) -> str | None:
    """Markdown for the position: the findings there with their rule's
    documentation, the node named or declared there, or the field written there."""
    parts = [_finding_text(live, finding) for finding in findings if contains(finding.span, path, line, column)]
    node = index.node_at(path, line, column) or _objective_on_line(index, path, line)
    if node is not None:
        parts.append(describe(node))
    elif not parts:
        field = _field_at(live.text(path) or "", line, column)
        if field is not None:
            parts.append(field)
    return "\n\n---\n\n".join(parts) if parts else None


def _finding_text(live, finding: Finding) -> str:
    rule = live.catalogue.get(finding.code)
    text = f"**{finding.code}** `{finding.name}` ({finding.severity}): {finding.message}"
    if rule is not None:
        text += f"\n\n{rule.docs or rule.summary}"
    return text


def _objective_on_line(index: Index, path: str, line: int):
    """The objective whose `objective ID` line this is: hovering its keyword shows it too."""
    for span, node in index.declared:
        if isinstance(node, Objective) and span.path == path and span.line == line:
            return node
    return None


def describe(node) -> str:
    """What a party, metric, agreement, service or objective is, and where it is declared."""
    where = "built in" if getattr(node, "builtin", False) else f"{node.file}:{node.span.line}"
    text = f"**{node.label}** ({where})"
    name = getattr(node, "title", None) if isinstance(node, Agreement) else getattr(node, "name", None)
    if name:
        text += f"\n\n{name}"
    if isinstance(node, Party) and node.role:
        text += f"\n\nrole: {node.role}"
    elif isinstance(node, Metric):
        text += f"\n\nunit: {node.unit}, better: {node.better}"
    elif isinstance(node, Service):
        text += f"\n\nin {node.agreement.label}; {len(node.objectives)} objective(s)"
    elif isinstance(node, Objective):
        text += "\n\n" + objective_summary(node)
    return text


def objective_summary(objective: Objective) -> str:
    """The objective's promise and, for a percent target over a window, the
    shortfall it allows per window (model/strength's arithmetic)."""
    from ..model.strength import allowed_shortfall, is_business, spell_seconds

    metric, target, window = objective.metric, objective.target, objective.window
    lines = [f"metric: {metric.id if metric else '?'}, target: {format_value(target) if target else '?'}"]
    if window is not None:
        lines[0] += f", window: {format_value(window)}"
    if (
        metric is not None
        and isinstance(target, Comparison)
        and isinstance(target.value, Percent)
        and isinstance(window, Duration)
        and not is_business(window)
    ):
        allowed = spell_seconds(allowed_shortfall(target.value, metric.better, window))
        what = "downtime" if metric.id == "availability" else "shortfall"
        lines.append(f"allows at most {allowed} of {what} in a {format_value(window)} window")
    if objective.slo_link is not None:
        from ..render.words import slo

        lines.append(f"watched by {slo(objective)}")
    return "\n\n".join(lines)


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:")


def _field_at(text: str, line: int, column: int) -> str | None:
    """The meaning of the field whose key is at the position, from the schema."""
    offset = offset_of(text, line, column)
    found = word_at(text, offset)
    if found is None:
        return None
    word, start = found
    if not _KEY.match(text, start):
        return None
    blocks = enclosing_blocks(text, start)
    spec = spec_of(blocks[-1]) if blocks else None
    field = spec.fields.get(word) if spec is not None else None
    if field is None:
        return None
    return f"**{word}** ({field.presence}) in {_article(spec.noun)}: {field.meaning}\n\nexample: `{field.example}`"


def _article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def definition(index: Index, path: str, line: int, column: int) -> Span | None:
    node = index.node_at(path, line, column)
    if node is None or getattr(node, "builtin", False):
        return None
    return node.id_span


def references(index: Index, path: str, line: int, column: int, with_declaration: bool) -> list[Span]:
    node = index.node_at(path, line, column)
    if node is None:
        return []
    spans = index.references_to(node)
    if with_declaration and node.id_span is not None:
        spans.insert(0, node.id_span)
    return spans


# Completion.

_AFTER_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z0-9_.]*)$")
_AFTER_LABEL = re.compile(r"(signature|acceptance|responsibilities)\s+([A-Za-z0-9_]*)$")
_AT_KEY = re.compile(r"(?:^|[{;]|\s\s)\s*([A-Za-z_]*)$")


def completions(live, text: str, line: int, column: int) -> list[Completion]:
    """Field names valid in the block at the position, or the ids (and words)
    a value may name there."""
    offset = offset_of(text, line, column)
    before = text[text.rfind("\n", 0, offset) + 1 : offset]
    blocks = enclosing_blocks(text, offset)
    spec = spec_of(blocks[-1]) if blocks else None
    workspace = live.workspace
    if (match := _AFTER_LABEL.search(before)) and spec is not None and match.group(1) in spec.nested:
        words = ["customer", "provider"] if match.group(1) == "responsibilities" else []
        return _ids(workspace, "party") + [Completion(word, "keyword") for word in words]
    if (match := _AFTER_KEY.search(before)) and spec is not None:
        field = spec.fields.get(match.group(1))
        if field is None:
            return []
        if field.kind in ("reference", "references"):
            return _ids(workspace, field.target)
        return [Completion(choice, "value") for choice in field.choices]
    if _AT_KEY.search(before) is None:
        return []
    if spec is None:
        return [Completion(kind, "keyword") for kind in DECLARATION_KINDS] if not blocks else []
    items = [
        Completion(key, "field", field.presence, f"{field.meaning}\n\nexample: `{field.example}`")
        for key, field in spec.fields.items()
    ]
    items += [Completion(name, "block", nested.presence, nested.meaning) for name, nested in spec.nested.items()]
    return items


def _ids(workspace, target: str) -> list[Completion]:
    """The ids a reference to `target` (a key of schema.TARGETS) may name."""
    if workspace is None:
        return []
    if target == "party":
        return [Completion(p.id, "reference", p.role or "", p.name or "") for p in workspace.parties.values()]
    if target == "metric":
        return [Completion(m.id, "reference", m.unit or "") for m in workspace.metrics.values()]
    if target == "supported":
        items = []
        for agreement in workspace.agreements.values():
            items.append(Completion(agreement.id, "reference", agreement.kind, agreement.title or ""))
            items += [
                Completion(f"{agreement.id}.{s.id}", "reference", "service", s.name or "") for s in agreement.services
            ]
        return items
    return []


# Symbols.


def symbols(index: Index, text: str, path: str) -> list[Symbol]:
    """The outline of a file: parties, metrics and agreements, an agreement's
    services, a service's objectives."""

    def symbol(node, kind: str, children: list) -> Symbol:
        name = node.id
        detail = node.kind if isinstance(node, Agreement) else ""
        return Symbol(name, detail, kind, _block_span(text, node.span), node.id_span, children)

    outline = []
    for node in index.declarations_in(path):
        if isinstance(node, Agreement):
            services = [symbol(s, "service", [symbol(o, "objective", []) for o in s.objectives]) for s in node.services]
            outline.append(symbol(node, "agreement", services))
        elif isinstance(node, Party | Metric):
            outline.append(symbol(node, type(node).__name__.lower(), []))
    return outline


def _block_span(text: str, start: Span) -> Span:
    """From a block's keyword to its closing brace (to the keyword's line end when unclosed)."""
    begin = offset_of(text, start.line, start.column)
    depth, position = 0, begin
    opened = False
    while position < len(text):
        match = _BRACES.search(text, position)
        if match is None:
            break
        token = match.group()
        position = match.end()
        if token == "{":
            depth, opened = depth + 1, True
        elif token == "}":
            depth -= 1
            if opened and depth == 0:
                return Span(start.path, start.line, start.column, *_line_column(text, position))
        elif token == '"""':
            end = text.find('"""', position)
            position = len(text) if end == -1 else end + 3
    line_end = text.find("\n", begin)
    return Span(start.path, start.line, start.column, *_line_column(text, len(text) if line_end == -1 else line_end))


_BRACES = re.compile(r'"""|"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[{}]')


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# Fixes and formatting.


def fixes_between(findings: list[Finding], first_line: int, last_line: int) -> list[tuple[str, Finding]]:
    """(the title to show, the finding) of each finding with a fix on lines
    `first_line` to `last_line`: safe fixes first, each marked safe or unsafe."""
    found = [
        finding
        for finding in findings
        if getattr(finding, "fix", None) is not None
        and finding.span.line <= last_line
        and finding.span.end_line >= first_line
    ]
    found.sort(key=lambda finding: (not finding.fix.safe, finding.span.line, finding.span.column))
    return [(f"{f.fix.title} ({'safe' if f.fix.safe else 'unsafe'} fix, {f.code})", f) for f in found]


def formatted(text: str, path: str) -> tuple[str | None, str | None]:
    """(the text in `slalint fmt`'s layout, None) or (None, why it cannot be formatted)."""
    from ..fmt import Unformattable, format_text

    try:
        return format_text(text, path), None
    except Unformattable as problem:
        return None, str(problem)
