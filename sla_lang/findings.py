"""Findings, severities, and the metadata every rule carries."""

from __future__ import annotations

from .plain import Plain
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


class Finding(Plain):
    __slots__ = ("code", "name", "severity", "message", "span", "anchor", "fix")

    def __init__(
        self, code: str, name: str, severity: str, message: str, span: Span, anchor: str = "", fix: None = None
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.span = span
        # A line-independent description of where the finding is, e.g.
        # "sla:payments_gold/service:payments_api/objective:latency": baselines
        # and CI fingerprints use it so they survive edits that shift lines.
        self.anchor = anchor
        self.fix = fix

    @property
    def fingerprint(self) -> str:
        """Identifies a finding across edits that shift lines: code, path, the
        logical location (agreement/service/objective ids) and the message,
        but never the line number. Baselines, SARIF and GitLab use it."""
        import hashlib
        import re

        # Some messages mention other lines ("first on line 14", "at a.sla:14"); drop those numbers too.
        message = re.sub(r"\bline \d+|(?<=\.sla):\d+", "line N", self.message)
        key = "\x1f".join((self.code, self.span.path, self.anchor, message))
        # A file name that is not UTF-8 keeps its bytes (os.fsdecode made them lone surrogates).
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.line, s.column, self.code, self.message)


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
