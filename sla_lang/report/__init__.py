"""Reporters: one module per output format, each with a `write(result,
settings, out)` that writes the report to the text stream `out` as it goes,
finding by finding, so that a large report is never held whole in memory.
Imported lazily: a run loads only its own."""

from __future__ import annotations

import importlib

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


class ReportSettings:
    def __init__(self, color: bool = False, quiet: bool = False, fail_on: str = "error") -> None:
        self.color = color  # ANSI colour (text on a terminal)
        self.quiet = quiet  # findings only, no summary
        self.fail_on = fail_on  # the lowest severity that fails the check, or "never" (junit's failures)


def write_report(format_name: str, result, settings: ReportSettings | None, out) -> None:
    module = importlib.import_module(f"{__name__}.{format_name}")
    module.write(result, settings or ReportSettings(), out)


def render(format_name: str, result, settings: ReportSettings | None = None) -> str:
    """The whole report as one string."""
    from io import StringIO

    buffer = StringIO()
    write_report(format_name, result, settings, buffer)
    return buffer.getvalue()


def summary_counts(findings) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
