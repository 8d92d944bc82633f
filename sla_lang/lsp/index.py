"""What is where: the declarations of a resolved workspace and the
references that name them, and the block a position of a file's text lies in.

Positions here are 1-based lines and columns in characters, as in findings'
spans; the server converts them to the editor's units.
"""

from __future__ import annotations

import re

from ..model.nodes import Agreement, Metric, Objective, Party, Service
from ..source import Span

NAMED_KINDS = (Party, Metric, Agreement, Service, Objective)


class Index:
    """The declarations (by their id's span) and references (by the span of
    each part of a dotted name) of a resolved workspace."""

    def __init__(self, workspace) -> None:
        self.declared: list[tuple[Span, object]] = []
        self.referring: list[tuple[Span, object]] = []  # (where a name is written, the node it names)
        for node in (*workspace.parties.values(), *workspace.metrics.values(), *workspace.agreements.values()):
            if node.id_span is not None:
                self.declared.append((node.id_span, node))
        for party in workspace.parties.values():
            self._refers(party.organization_ref, party.organization)
        for agreement in workspace.agreements.values():
            self._agreement(agreement)

    def _agreement(self, agreement: Agreement) -> None:
        self._refers(agreement.provider_ref, agreement.provider)
        self._refers(agreement.customer_ref, agreement.customer)
        for record in (*agreement.responsibilities, *agreement.signatures, *agreement.acceptances):
            if record.party_ref.parts[0] not in ("customer", "provider"):
                self._refers(record.party_ref, record.party)
        for reference in agreement.supports_refs:
            target = _named(agreement.supports, reference)
            if isinstance(target, Service):
                self._refers(reference, target.agreement, target)
            else:
                self._refers(reference, target)
        for service in agreement.services:
            self.declared.append((service.id_span, service))
            for objective in service.objectives:
                self.declared.append((objective.id_span, objective))
                self._refers(objective.metric_ref, objective.metric)
        for credit in agreement.all_credits:
            if credit.condition is not None and credit.objective is not None:
                subject = credit.condition.subject
                if len(subject.parts) == 2:
                    self._refers(subject, credit.objective.service, credit.objective)
                else:
                    self._refers(subject, credit.objective)

    def _refers(self, reference, *targets) -> None:
        """Each part of `reference` (`gold.api`) names the matching one of `targets`."""
        if reference is None or targets[-1] is None:
            return
        for span, target in zip(part_spans(reference), targets, strict=False):
            self.referring.append((span, target))

    def node_at(self, path: str, line: int, column: int):
        """The declaration whose id, or a reference to which, is at the position."""
        for span, node in (*self.referring, *self.declared):
            if contains(span, path, line, column):
                return node
        return None

    def references_to(self, node) -> list[Span]:
        return [span for span, target in self.referring if target is node]

    def declarations_in(self, path: str) -> list:
        return [node for span, node in self.declared if span.path == path]


def _named(supported: list, reference):
    """Which of an agreement's resolved `supports` a reference wrote."""
    for target in supported:
        if isinstance(target, Service) and reference.parts == (target.agreement.id, target.id):
            return target
        if isinstance(target, Agreement) and reference.parts == (target.id,):
            return target
    return None


def part_spans(reference) -> list[Span]:
    """The span of each part of a dotted name written on one line (`gold.api`:
    `gold`, then `api`); the whole span for one part or an odd layout."""
    span = reference.span
    if len(reference.parts) == 1 or span.line != span.end_line:
        return [span]
    spans, column = [], span.column
    for part in reference.parts:
        spans.append(Span(span.path, span.line, column, span.line, column + len(part)))
        column += len(part) + 1
    return spans


def contains(span: Span, path: str, line: int, column: int) -> bool:
    if span.path != path or not span.line <= line <= span.end_line:
        return False
    after_start = line > span.line or column >= span.column
    before_end = line < span.end_line or column <= span.end_column  # the end: a cursor right after a name
    return after_start and before_end


# The text around a position, read without the parser: the file being typed is often broken.

_TOKENS = re.compile(r'"""|"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[{};]|\n')


def enclosing_blocks(text: str, offset: int) -> list[str]:
    """The keywords of the blocks open at `offset`, outermost first
    (`["sla", "service", "objective"]`): braces counted outside strings and comments."""
    stack: list[str] = []
    start = 0  # where the current header (the words before a brace) begins
    position = 0
    while position < offset:
        match = _TOKENS.search(text, position, offset)
        if match is None:
            break
        token = match.group()
        if token == '"""':
            end = text.find('"""', match.end())
            if end == -1 or end >= offset:
                return stack
            position = end + 3
            continue
        if token == "{":
            words = text[start : match.start()].split()
            stack.append(words[0] if words else "")
        elif token == "}" and stack:
            stack.pop()
        if token in ("{", "}", ";", "\n"):
            start = match.end()
        position = match.end()
    return stack


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column (clamped to the text)."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found == -1:
            return len(text)
        offset = found + 1
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    return min(offset + column - 1, end)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def word_at(text: str, offset: int) -> tuple[str, int] | None:
    """(the word at or just before `offset`, its start offset)."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    for match in _WORD.finditer(line):
        if match.start() <= offset - line_start <= match.end():
            return match.group(), line_start + match.start()
    return None
