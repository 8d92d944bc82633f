"""The JSON report of SPEC §4.1."""

from __future__ import annotations

import json

from .. import __version__
from . import summary_counts


def finding_to_dict(finding) -> dict:
    span = finding.span
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "fix": finding.fix,
    }


def render(result, settings) -> str:
    report = {
        "version": 1,
        "tool": {"name": "slalint", "version": __version__},
        "files_checked": result.files_checked,
        "findings": [finding_to_dict(f) for f in result.findings],
        "summary": summary_counts(result.findings),
    }
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
