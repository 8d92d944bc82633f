"""Inline suppressions (SPEC §4.3).

    sla old "Legacy" {   # slalint: ignore[SL502, SL507] -- retired next quarter
    # slalint: ignore[SL301]          (on a line of its own: applies to the next line)
    # slalint: ignore-file[SL5]       (the whole file)

A suppression that matched nothing is SL901 (one per unused code, at the
comment); one naming an unknown code, or nothing, is SL902 (and never also
SL901). Codes may be prefixes (`SL5`) when they match a known code.
"""

from __future__ import annotations

import re

from .findings import Finding
from .language_rules import language_finding
from .source import Span

SUPPRESSION_CODES = ("SL901", "SL902")  # the findings about suppressions themselves
_DIRECTIVE = re.compile(r"^#\s*slalint\s*:")
_SUPPRESSION = re.compile(
    r"^#\s*slalint\s*:\s*(?P<kind>ignore-file|ignore)\s*\[(?P<codes>[^\]]*)\]\s*(?:--\s*(?P<reason>.*))?$"
)


class Suppression:
    def __init__(self, span: Span, codes: list[str], whole_file: bool, line: int) -> None:
        self.span = span  # the comment
        self.codes = codes
        self.whole_file = whole_file
        self.line = line  # the line whose findings it covers (unused for ignore-file)
        self.used: set[str] = set()

    def covers(self, finding: Finding) -> str | None:
        """The code of this suppression that matches `finding`, if any."""
        if not self.whole_file and finding.span.line != self.line:
            return None
        return next((code for code in self.codes if finding.code.startswith(code)), None)


def parse_suppressions(comments, lines: list[str], known_codes) -> tuple[list[Suppression], list[Finding]]:
    """Suppressions from a file's comments, and the SL902 findings for invalid ones."""
    suppressions: list[Suppression] = []
    problems: list[Finding] = []
    for comment in comments:
        text = comment.text.strip()
        if not _DIRECTIVE.match(text):
            continue
        match = _SUPPRESSION.match(text)
        span = comment.span
        if match is None:
            problems.append(
                language_finding(
                    "SL902",
                    "invalid suppression: write '# slalint: ignore[CODE, ...]' or "
                    "'# slalint: ignore-file[CODE, ...]', optionally followed by '-- reason'",
                    span,
                )
            )
            continue
        codes = [code.strip().upper() for code in match["codes"].split(",") if code.strip()]
        if not codes:
            problems.append(
                language_finding("SL902", "suppression names no rule: list the codes, e.g. ignore[SL502]", span)
            )
            continue
        valid = []
        for code in codes:
            if any(known.startswith(code) for known in known_codes):
                valid.append(code)
            else:
                problems.append(
                    language_finding(
                        "SL902", f"suppression names an unknown rule '{code}'{_suggest(code, known_codes)}", span
                    )
                )
        if not valid:
            continue
        line_text = lines[span.line - 1] if span.line <= len(lines) else ""
        own_line = not line_text[: span.column - 1].strip()
        suppressions.append(
            Suppression(span, valid, match["kind"] == "ignore-file", span.line + 1 if own_line else span.line)
        )
    return suppressions, problems


def _suggest(code: str, known_codes) -> str:
    import difflib

    match = difflib.get_close_matches(code, list(known_codes), n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], enabled) -> list[Finding]:
    """Drop suppressed findings of one file and add SL901 for unused codes.

    `enabled(code)` says whether a rule runs at all: a suppression for a rule
    that is switched off is not reported as unused."""
    kept = []
    for finding in findings:
        for suppression in suppressions:
            code = suppression.covers(finding)
            if code is not None:
                suppression.used.add(code)
                break
        else:
            kept.append(finding)
    for suppression in suppressions:
        # Naming SL901 itself (or a prefix of it) silences this comment's own unused codes.
        silenced = any("SL901".startswith(code) for code in suppression.codes)
        for code in suppression.codes:
            if code in suppression.used or "SL901".startswith(code) or not enabled(code):
                continue
            scope = "this file" if suppression.whole_file else f"line {suppression.line}"
            unused = language_finding(
                "SL901", f"unused suppression: no {code} finding on {scope}; remove it", suppression.span
            )
            if silenced or any(other.whole_file and other.covers(unused) for other in suppressions):
                continue
            kept.append(unused)
    return kept
