"""The human report, in the layout of ruff's `full` format: each finding on
a line that starts with `path:line:col:` (terminals and editors link it),
then a small code frame pointing at the column; findings grouped by file,
a blank line between files, and a summary line.

The report is made line by line, each line a list of (text, style)
segments, and written as it is made. Without colour the segments are joined
as plain text, so rich is imported only for a terminal. What comes from the
files (paths, messages, the line of the code frame) is shown `visible`.
"""

from __future__ import annotations

from itertools import groupby

from . import summary_counts
from .escape import line_start, visible

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def report_lines(result, with_summary: bool = True):
    """The report's lines, one file after the other, a blank line between files and before the summary."""
    files = 0
    for path, findings in groupby(result.findings, key=lambda f: f.span.path):
        if files:
            yield []
        files += 1
        source = result.sources.get(path)
        source_lines = source.text.split("\n") if source else []
        shown_path = line_start(path)
        for finding in findings:
            span = finding.span
            yield [
                (shown_path, "bold"),
                (f":{span.line}:{span.column}:", "dim"),
                (" ", ""),
                (finding.severity, SEVERITY_STYLES[finding.severity]),
                (" ", ""),
                (finding.code, "bold"),
                (" ", ""),
                (visible(finding.message), ""),
            ]
            yield from _code_frame(span, source_lines, SEVERITY_STYLES[finding.severity])
    if with_summary:
        if files:
            yield []
        yield _summary(result)


def _code_frame(span, source_lines: list[str], style: str) -> list[list[tuple[str, str]]]:
    if not 1 <= span.line <= len(source_lines):
        return []
    text = source_lines[span.line - 1].replace("\t", " ").rstrip("\r")
    if len(text) > 200:  # keep the frame readable on very long lines
        start = max(0, span.column - 80)
        text = text[start : start + 160]
        column = span.column - start
    else:
        column = span.column
    end = span.end_column if span.end_line == span.line else len(text) + 1
    end = max(column + 1, min(end, len(text) + 1))
    shown = visible(text)
    if len(shown) == len(text):
        before, marked = column - 1, end - column
    else:  # the carets stay under their characters when escapes lengthen the text before them
        before, marked = len(visible(text[: column - 1])), len(visible(text[column - 1 : end - 1]))
    prefix = f"    {span.line} | "
    return [
        [(prefix, "dim"), (shown, "")],
        [(" " * (len(prefix) - 2) + "| ", "dim"), (" " * before, ""), ("^" * max(1, marked), style)],
    ]


def summary_line(result) -> str:
    """The summary as plain text: "Found 2 errors and 1 warning in 1 of 3 files checked." """
    return "".join(text for text, _ in _summary(result))


def _summary(result) -> list[tuple[str, str]]:
    counts = summary_counts(result.findings)
    files = result.files_checked
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    hidden = result.hidden_by_baseline
    by_baseline = f"{hidden} finding{'s' if hidden != 1 else ''} hidden by the baseline" if hidden else ""
    if not result.findings:
        details = f"{checked}, {by_baseline}" if by_baseline else checked
        return [("All checks passed", "bold green"), (f" ({details}).", "")]
    with_findings = len({f.span.path for f in result.findings})
    parts = []
    for severity, word in (("error", "error"), ("warning", "warning"), ("info", "info")):
        if counts[severity]:
            plural = "s" if counts[severity] != 1 and severity != "info" else ""
            parts.append((f"{counts[severity]} {word}{plural}", SEVERITY_STYLES[severity]))
    segments: list[tuple[str, str]] = [("Found ", "bold")]
    for index, part in enumerate(parts):
        if index:
            segments.append((", " if index < len(parts) - 1 else " and ", ""))
        segments.append(part)
    segments.append((f" in {with_findings} of {checked}" + (f" ({by_baseline})." if by_baseline else "."), ""))
    return segments


def write(result, settings, out) -> None:
    lines = report_lines(result, with_summary=not settings.quiet)
    if not settings.color:
        for line in lines:
            out.write("".join(text for text, _ in line) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*[(text, style) if style else text for text, style in line]))
