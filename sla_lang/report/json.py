"""The JSON report (docs/json.md). Paths and messages are shown `visible`, like
in every format; the rest of the escaping is JSON's own."""

from __future__ import annotations

from .. import __version__
from . import summary_counts
from .escape import visible
from .jsonstream import STREAMED, write_json


def finding_to_dict(finding) -> dict:
    span = finding.span
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": visible(finding.message),
        "path": visible(span.path),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "fix": finding.fix.as_json() if finding.fix is not None else None,
        "fingerprint": finding.fingerprint,
    }


def write(result, settings, out) -> None:
    report = {
        "version": 1,
        "tool": {"name": "slalint", "version": __version__},
        "files_checked": result.files_checked,
        **({"new_since": visible(result.new_since)} if result.new_since else {}),
        "findings": STREAMED,
        "summary": summary_counts(result.findings),
    }
    write_json(out, report, map(finding_to_dict, result.findings))
