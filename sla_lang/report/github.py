"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` a
finding, which GitHub turns into annotations on the pull request.

GitHub shows only the first ten annotations of each kind per step, so the
message of each command also starts with `path:line:col: CODE`: the plain log
stays complete. When `$GITHUB_STEP_SUMMARY` names a file, a Markdown summary
of every finding (counts and a table) is appended to it for the job page.
"""

from __future__ import annotations

import os
import sys

from . import summary_counts

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
MAX_SUMMARY_ROWS = 1000  # a step summary is limited to 1 MiB


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding) -> str:
    span = finding.span
    properties = [("file", span.path), ("line", span.line)]
    if span.end_line > span.line:  # GitHub rejects columns on a region of several lines
        properties.append(("endLine", span.end_line))
    else:
        properties += [("col", span.column), ("endLine", span.line), ("endColumn", max(span.end_column, span.column))]
    properties.append(("title", f"{finding.code} ({finding.name})"))
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    text = f"{span.path}:{span.line}:{span.column}: {finding.code} {finding.message}"
    return f"::{COMMANDS[finding.severity]} {head}::{escape_data(text)}"


def render(result, settings) -> str:
    lines = [command(finding) for finding in result.findings]
    if not settings.quiet:
        lines.append(_summary_line(result))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(step_summary(result))
        except OSError as error:
            sys.stderr.write(f"slalint: cannot append to GITHUB_STEP_SUMMARY file {summary_file}: {error.strerror}\n")
    return "".join(line + "\n" for line in lines)


def _summary_line(result) -> str:
    """The text report's summary, e.g. "Found 2 errors and 1 warning in 1 of 3 files checked." """
    from .text import _summary

    return "".join(text for text, _ in _summary(result))


def _cell(text: str) -> str:
    """Text that stays inside one cell of a Markdown table and is not read as HTML."""
    text = " ".join(text.splitlines())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def step_summary(result) -> str:
    counts = summary_counts(result.findings)
    out = ["## slalint", "", _summary_line(result), ""]
    if not result.findings:
        return "\n".join(out) + "\n"
    out += [
        "| Severity | Count |",
        "| --- | ---: |",
        *(f"| {severity} | {counts[severity]} |" for severity in ("error", "warning", "info")),
        "",
        "| Severity | Code | Location | Message |",
        "| --- | --- | --- | --- |",
    ]
    for finding in result.findings[:MAX_SUMMARY_ROWS]:
        span = finding.span
        out.append(
            f"| {finding.severity} | {finding.code} | {_cell(span.path)}:{span.line}:{span.column} "
            f"| {_cell(finding.message)} |"
        )
    if len(result.findings) > MAX_SUMMARY_ROWS:
        out += ["", f"… and {len(result.findings) - MAX_SUMMARY_ROWS} more: see the step's log."]
    return "\n".join([*out, "", ""])
