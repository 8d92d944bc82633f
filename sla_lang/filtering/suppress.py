"""Inline suppressions.

    sla old "Legacy" {   # slalint: ignore[SL502, SL507] -- retired next quarter
    # slalint: ignore[SL301]          (on a line of its own: applies to the next line)
    # slalint: ignore-file[SL5]       (the whole file)

A suppression that matched nothing is SL901 (one per unused code, at the
comment). One that cannot work is SL902, and never also SL901: a code that
names no known rule or group, one without a digit (`SL` would hide every
rule), and the codes of the rules that always report, SL0xx (the language)
and SL9xx (the suppressions themselves).

A pull request writes these comments, so applying them costs
O(findings + suppressions): suppressions are indexed by the line they cover,
and those of the whole file by code.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..findings import Finding
from ..hints import OneEditHints
from ..language_rules import language_finding
from ..source import Span, shortened

SUPPRESSION_CODES = ("SL901", "SL902")  # the findings about suppressions themselves
ALWAYS_REPORTED = ("SL0", "SL9")  # no inline suppression can name these groups
_DIRECTIVE = re.compile(r"^#\s*slalint\s*:")
_SUPPRESSION = re.compile(
    r"^#\s*slalint\s*:\s*(?P<kind>ignore-file|ignore)\s*\[(?P<codes>[^\]]*)\]\s*(?:--\s*(?P<reason>.*))?$"
)


class Suppression:
    __slots__ = ("order", "span", "codes", "whole_file", "line", "used", "_first", "_lengths")

    def __init__(self, order: int, span: Span, codes: list[str], whole_file: bool, line: int) -> None:
        self.order = order  # among the file's suppressions: the first that covers a finding takes it
        self.span = span  # the comment
        self.codes = codes
        self.whole_file = whole_file
        self.line = line  # the line whose findings it covers (unused for ignore-file)
        self.used: set[str] = set()
        self._first: dict[str, int] = {}  # code -> where it is first written
        for index, code in enumerate(codes):
            self._first.setdefault(code, index)
        self._lengths = sorted({len(code) for code in codes})

    def code_for(self, finding_code: str) -> str | None:
        """The first code written in this suppression that covers `finding_code`:
        the prefixes of the finding's code as long as its codes, a few lookups."""
        indexes = [self._first[prefix] for prefix in _prefixes(finding_code, self._lengths) if prefix in self._first]
        return self.codes[min(indexes)] if indexes else None


def _prefixes(code: str, lengths: list[int]) -> list[str]:
    """The prefixes of `code` of these lengths (not all of them: a pack may
    declare a code of thousands of characters)."""
    return [code[:length] for length in lengths if length <= len(code)]


class SuppressionCodes:
    """What a suppression may name, from the codes of every known rule; made
    once per run."""

    def __init__(self, known_codes) -> None:
        self.known = sorted(known_codes)
        self._problems: dict[str, str | None] = {}  # answers so far: a file may repeat one code 60,000 times
        self.hints = OneEditHints(self.known)

    def is_known(self, code: str) -> bool:
        """Whether `code` is a known code or the start of one."""
        index = bisect_left(self.known, code)
        return index < len(self.known) and self.known[index].startswith(code)

    def problem(self, code: str) -> str | None:
        """Why `code` cannot be used in a suppression, or None when it can."""
        if code not in self._problems:
            self._problems[code] = self._problem(code)
        return self._problems[code]

    def _problem(self, code: str) -> str | None:
        if not any(char.isdigit() for char in code):
            return (
                f"suppression code '{shortened(code)}' is not a rule or a group of rules: "
                "name one with its digits, e.g. ignore[SL502] or ignore[SL5]"
            )
        if not self.is_known(code):
            return f"suppression names an unknown rule '{shortened(code)}'{self.hints.did_you_mean(code)}"
        if code.startswith(ALWAYS_REPORTED):
            what = (
                "fix what the language rule reports"
                if code.startswith("SL0")
                else "fix or remove the suppression it reports"
            )
            return f"suppression names {shortened(code)}, but SL0xx and SL9xx cannot be suppressed inline: {what}"
        return None


def parse_suppressions(comments, lines: list[str], codes: SuppressionCodes) -> tuple[list[Suppression], list[Finding]]:
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
        named = [code.strip().upper() for code in match["codes"].split(",") if code.strip()]
        if not named:
            problems.append(
                language_finding("SL902", "suppression names no rule: list the codes, e.g. ignore[SL502]", span)
            )
            continue
        valid = []
        for code in named:
            problem = codes.problem(code)
            if problem is None:
                valid.append(code)
            else:
                problems.append(language_finding("SL902", problem, span, f"suppression of {code}"))
        if not valid:
            continue
        line_text = lines[span.line - 1] if span.line <= len(lines) else ""
        own_line = not line_text[: span.column - 1].strip()
        whole_file = match["kind"] == "ignore-file"
        covered = span.line + 1 if own_line else span.line
        suppressions.append(Suppression(len(suppressions), span, valid, whole_file, covered))
    return suppressions, problems


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], enabled) -> list[Finding]:
    """Drop suppressed findings of one file and add SL901 for unused codes.

    `enabled(code)` says whether a rule runs at all: a suppression for a rule
    that is switched off is not reported as unused."""
    by_line: dict[int, list[Suppression]] = {}
    whole_file: dict[str, Suppression] = {}  # code -> the first ignore-file that names it
    for suppression in suppressions:
        if suppression.whole_file:
            for code in suppression.codes:
                whole_file.setdefault(code, suppression)
        else:
            by_line.setdefault(suppression.line, []).append(suppression)
    whole_file_lengths = sorted({len(code) for code in whole_file})
    kept = []
    for finding in findings:
        candidates = [s for s in by_line.get(finding.span.line, ()) if s.code_for(finding.code)]
        prefixes = _prefixes(finding.code, whole_file_lengths)
        candidates += [whole_file[prefix] for prefix in prefixes if prefix in whole_file]
        if not candidates:
            kept.append(finding)
            continue
        first = min(candidates, key=lambda suppression: suppression.order)
        first.used.add(first.code_for(finding.code))
    for suppression in suppressions:
        for code in suppression.codes:
            if code in suppression.used or not enabled(code):
                continue
            scope = "this file" if suppression.whole_file else f"line {suppression.line}"
            kept.append(
                language_finding(
                    "SL901",
                    f"unused suppression: no {shortened(code)} finding on {scope}; remove it",
                    suppression.span,
                    f"{'file ' if suppression.whole_file else ''}suppression of {code}",
                )
            )
    return kept
