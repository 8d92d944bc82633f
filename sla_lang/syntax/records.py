"""What the builder makes of a file before checking it against the schema:
small records of its statements (attributes, nested blocks, bare strings,
comments), the findings it records as it goes, and the limits it holds hostile
input to.
"""

from __future__ import annotations

from ..findings import Finding
from ..language_rules import language_finding
from ..source import Span

# Limits for hostile input: far beyond any real agreement, low enough that
# nothing downstream (reports, pickling, a future formatter) meets Python's
# recursion limit or holds megabytes in one value.
MAX_NESTING = 32  # blocks in blocks, lists in lists
MAX_FINDINGS_PER_FILE = 1_000  # lint.py shows no more; the builder stops recording one past it


class Attribute:
    __slots__ = ("key", "key_span", "value", "value_span")

    def __init__(self, key: str, key_span: Span, value: object, value_span: Span) -> None:
        self.key = key
        self.key_span = key_span
        self.value = value
        self.value_span = value_span

    @property
    def span(self) -> Span:
        return self.key_span.to(self.value_span)


class Body:
    __slots__ = ("statements", "open_span", "close_span")

    def __init__(self, statements: list, open_span: Span, close_span: Span) -> None:
        self.statements = statements
        self.open_span = open_span
        self.close_span = close_span


class NestedBlock:
    __slots__ = ("name", "name_span", "labels", "body")

    def __init__(self, name: str, name_span: Span, labels: list, body: Body) -> None:
        self.name = name
        self.name_span = name_span
        self.labels = labels  # Lark tokens (ID or STRING)
        self.body = body


class Item:
    __slots__ = ("text", "span")

    def __init__(self, text: str, span: Span) -> None:
        self.text = text
        self.span = span


class Comment:
    __slots__ = ("text", "span")

    def __init__(self, text: str, span: Span) -> None:
        self.text = text
        self.span = span


class NestingTooDeep(Exception):
    """Raised by the lexer callbacks at the `{` or `[` that opens one level more
    than MAX_NESTING. The parser stops there, before a hostile file's millions
    of levels can grow its stack without bound."""

    def __init__(self, token, finding: Finding) -> None:
        super().__init__(finding.message)
        self.token = token  # read like the token of a Lark error: where to re-synchronise
        self.finding = finding


class Recorder:
    """The findings of the file being read, and the positions of its tokens
    (offset by the lines skipped when re-parsing the rest of a broken file)."""

    def reset(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.line_offset = line_offset
        self.findings: list[Finding] = []

    def span(self, token) -> Span:
        offset = self.line_offset
        return Span(self.path, token.line + offset, token.column, token.end_line + offset, token.end_column)

    def report(self, code: str, message: str, span: Span, anchor: str = "", field: str | None = None, fix=None) -> None:
        """A finding about the block `anchor` names (and its `field`, which the
        finding's identity includes: two invalid fields of one block are two problems)."""
        if field and anchor:
            anchor = f"{anchor}.{field}"
        if len(self.findings) <= MAX_FINDINGS_PER_FILE:  # a hostile file can make millions
            self.findings.append(language_finding(code, message, span, anchor, fix))
