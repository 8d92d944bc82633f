"""Findings, severities, and the metadata every rule carries."""

from __future__ import annotations

from .slotted import Plain
from .source import Span

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


class RuleInfo(Plain):
    """What `rules`, `explain`, SARIF and the docs know about a rule."""

    __slots__ = ("code", "name", "severity", "summary", "docs", "pack", "examples")

    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        summary: str,
        docs: str = "",
        pack: str = "language",
        examples: tuple = (),
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.docs = docs
        self.pack = pack
        self.examples = examples


class Edit(Plain):
    """Replace the text of a region with `text`: 1-based lines and columns,
    end column exclusive (as a Span); an empty region inserts."""

    __slots__ = ("line", "column", "end_line", "end_column", "text")

    def __init__(self, line: int, column: int, end_line: int, end_column: int, text: str) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.text = text

    @classmethod
    def replacing(cls, span: Span, text: str) -> Edit:
        return cls(span.line, span.column, span.end_line, span.end_column, text)

    def as_json(self) -> dict:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
        }


class Fix(Plain):
    """Text edits that resolve a finding. A safe fix keeps the meaning the
    author evidently intended; an unsafe one changes meaning on purpose (a
    kind, a reference), so `check --fix` applies it only with --unsafe-fixes."""

    __slots__ = ("title", "safe", "edits")

    def __init__(self, title: str, safe: bool, edits: tuple[Edit, ...]) -> None:
        self.title = title
        self.safe = safe
        self.edits = tuple(edits)

    def as_json(self) -> dict:
        return {"safe": self.safe, "edits": [edit.as_json() for edit in self.edits], "title": self.title}


# Findings about a whole file rather than a node of the model: their identity
# includes the file's path.
FILE_LEVEL_CODES = frozenset({"SL001", "SL008", "SL009", "SL901", "SL902"})


class Finding(Plain):
    __slots__ = ("code", "name", "severity", "message", "span", "anchor", "fix", "related")

    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        message: str,
        span: Span,
        anchor: str = "",
        fix: Fix | None = None,
        related: tuple[str, ...] = (),
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.span = span
        # What the finding is about, independent of lines and wording: the dotted
        # path of ids down to the field ("payments_gold.payments_api.availability.target"),
        # and for a rule that can fire more than once there, the other side
        # ("... @ gold.api.availability"). The fingerprint is made of it.
        self.anchor = anchor
        self.fix = fix
        # The other files the finding involves (the supported agreement's, a
        # cycle's members', the other declaration's): a check of one of them
        # reports it too.
        self.related = related

    def with_severity(self, severity: str) -> Finding:
        return Finding(self.code, self.name, severity, self.message, self.span, self.anchor, self.fix, self.related)

    @property
    def fingerprint(self) -> str:
        """Identifies the problem, not its text or position: the code and the
        anchor, and the file's path only for findings about a file rather than
        a node (or about a node without an id). Stable under moved lines, a new
        --today, a renamed file and a reworded message. Baselines, SARIF,
        GitLab and --new-since use it."""
        from .reading.paths import cache_hash

        parts = [self.code, self.anchor]
        if self.code in FILE_LEVEL_CODES or not self.anchor:
            parts.append(self.span.path)
        key = "\x1f".join(parts).encode("utf-8", "surrogateescape")
        return cache_hash(key).hexdigest()[:32]

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.line, s.column, self.code, self.message)


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
