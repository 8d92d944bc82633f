"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` a
finding, which GitHub turns into annotations on the pull request.

GitHub shows only the first ten annotations of each kind per step, so the
message of each command also starts with `path:line:col: CODE`: the plain log
stays complete. When `$GITHUB_STEP_SUMMARY` names a file, a Markdown summary
of every finding (counts and a table) is appended to it for the job page.

What comes from the files is shown `visible` (no control character reaches
the log), then escaped as workflow commands require. In the step summary it
is also put in code spans, which GitHub renders as typed: no link, image,
HTML, mention or other Markdown.
"""

from __future__ import annotations

import os
import re
import sys

from . import summary_counts
from .escape import visible
from .text import summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
MAX_SUMMARY_ROWS = 1000
MAX_SUMMARY_BYTES = 512 * 1024  # of the table: GitHub refuses a step summary over 1 MiB


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
    head = ",".join(f"{key}={escape_property(visible(str(value)))}" for key, value in properties)
    text = visible(f"{span.path}:{span.line}:{span.column}: {finding.code} {finding.message}")
    return f"::{COMMANDS[finding.severity]} {head}::{escape_data(text)}"


def write(result, settings, out) -> None:
    for finding in result.findings:
        out.write(command(finding) + "\n")
    if not settings.quiet:
        out.write(summary_line(result) + "\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(step_summary(result))
        except OSError as error:
            sys.stderr.write(f"slalint: cannot append to GITHUB_STEP_SUMMARY file {summary_file}: {error.strerror}\n")


def _cell(text: str) -> str:
    """`text` as a code span in a cell of a Markdown table: shown as it is,
    on one line, with nothing in it read as Markdown or HTML."""
    text = visible(text)
    if not text:
        return ""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    padding = " " if "`" in text or (text.startswith(" ") and text.endswith(" ")) else ""
    # GitHub splits a row at every '|' but one right after a backslash, and then drops that backslash.
    return f"{fence}{padding}{text}{padding}{fence}".replace("|", "\\|")


def step_summary(result) -> str:
    counts = summary_counts(result.findings)
    out = ["## slalint", "", summary_line(result), ""]
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
    size = shown = 0
    for finding in result.findings:
        span = finding.span
        location = _cell(f"{span.path}:{span.line}:{span.column}")
        row = f"| {finding.severity} | {finding.code} | {location} | {_cell(finding.message)} |"
        size += len(row.encode("utf-8")) + 1
        if shown == MAX_SUMMARY_ROWS or size > MAX_SUMMARY_BYTES:
            break
        out.append(row)
        shown += 1
    if shown < len(result.findings):
        out += ["", f"… and {len(result.findings) - shown} more: see the step's log."]
    return "\n".join([*out, "", ""])
