"""The human report: findings grouped by file, each with a small code frame
pointing at the column, and a summary line.

The report is built once as lines of (text, style) segments. Without colour
they are joined as plain text, so rich is imported only for a terminal.
"""

from __future__ import annotations

from itertools import groupby

from . import summary_counts

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def build_lines(result, with_summary: bool = True) -> list[list[tuple[str, str]]]:
    lines: list[list[tuple[str, str]]] = []
    for path, findings in groupby(result.findings, key=lambda f: f.span.path):
        findings = list(findings)
        source = result.sources.get(path)
        source_lines = source.text.split("\n") if source else []
        lines.append([(path, "bold underline")])
        for finding in findings:
            span = finding.span
            lines.append(
                [
                    (f"  {span.line}:{span.column}", "dim"),
                    ("  ", ""),
                    (f"{finding.severity:<7}", SEVERITY_STYLES[finding.severity]),
                    (" ", ""),
                    (finding.code, "bold"),
                    ("  ", ""),
                    (finding.message, ""),
                ]
            )
            lines.extend(_code_frame(span, source_lines, SEVERITY_STYLES[finding.severity]))
        lines.append([])
    if with_summary:
        lines.append(_summary(result))
    elif lines:
        lines.pop()  # the blank line after the last file
    return lines


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
    carets = "^" * max(1, min(end, len(text) + 1) - column)
    prefix = f"    {span.line} | "
    return [
        [(prefix, "dim"), (text, "")],
        [(" " * (len(prefix) - 2) + "| ", "dim"), (" " * (column - 1), ""), (carets, style)],
    ]


def _summary(result) -> list[tuple[str, str]]:
    counts = summary_counts(result.findings)
    files = result.files_checked
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not result.findings:
        return [("All checks passed", "bold green"), (f" ({checked}).", "")]
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
    segments.append((f" in {with_findings} of {checked}.", ""))
    return segments


def render(result, settings) -> str:
    lines = build_lines(result, with_summary=not settings.quiet)
    if not settings.color:
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, highlight=False, soft_wrap=True)
    for line in lines:
        console.print(Text.assemble(*[(text, style) if style else text for text, style in line]))
    return buffer.getvalue()
