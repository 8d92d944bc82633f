"""Findings, severities, and the metadata every rule carries."""

from __future__ import annotations

from dataclasses import dataclass

from .source import Span

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What `rules`, `explain`, SARIF and the docs know about a rule."""

    code: str
    name: str
    severity: str
    summary: str
    docs: str = ""
    pack: str = "language"
    examples: tuple = ()


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    span: Span
    # A line-independent description of where the finding is, e.g.
    # "sla:payments_gold/service:payments_api/objective:latency": baselines
    # and CI fingerprints use it so they survive edits that shift lines.
    anchor: str = ""
    fix: None = None

    @property
    def fingerprint(self) -> str:
        """Identifies a finding across edits that shift lines: code, path, the
        logical location (agreement/service/objective ids) and the message,
        but never the line number. Baselines, SARIF and GitLab use it."""
        import hashlib

        key = "\x1f".join((self.code, self.span.path, self.anchor, self.message))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.line, s.column, self.code, self.message)


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
