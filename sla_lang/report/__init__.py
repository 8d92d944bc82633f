"""Reporters: one module per output format, each a `render(result, ...)`
returning the report as text. Imported lazily: a run loads only its own."""

from __future__ import annotations

import importlib

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


class ReportSettings:
    def __init__(self, color: bool = False, quiet: bool = False) -> None:
        self.color = color  # ANSI colour (text on a terminal)
        self.quiet = quiet  # findings only, no summary


def render(format_name: str, result, settings: ReportSettings | None = None) -> str:
    module = importlib.import_module(f"{__name__}.{format_name}")
    return module.render(result, settings or ReportSettings())


def summary_counts(findings) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
