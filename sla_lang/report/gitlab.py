"""GitLab Code Quality: the JSON array that a job publishes with
`artifacts: reports: codequality:` and that merge requests show as a widget
and in the diff.

Severity: error -> major, warning -> minor, info -> info. `critical` and
`blocker` are left to tools that find defects which break a running system;
an agreement error blocks the merge (slalint's exit code does that) but is a
document defect. GitLab does not display `check_name`, so the description
starts with the rule code. Fingerprints are unique within the report and do
not depend on line numbers (see fingerprint.py), so a finding keeps its
identity between the base and the head of a merge request. Paths and
descriptions are shown `visible`, as in every format.
"""

from __future__ import annotations

from .escape import visible
from .fingerprint import unique_fingerprints
from .jsonstream import STREAMED, write_json

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _issue(finding, fingerprint: str) -> dict:
    return {
        "description": visible(f"{finding.code}: {finding.message}"),
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": visible(finding.span.path),
            "lines": {"begin": finding.span.line, "end": max(finding.span.end_line, finding.span.line)},
        },
    }


def write(result, settings, out) -> None:
    write_json(out, STREAMED, map(_issue, result.findings, unique_fingerprints(result.findings)))
