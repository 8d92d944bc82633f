"""Reporters: one module per output format, each a `render(result, ...)`
returning the report as text. Imported lazily: a run loads only its own."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


@dataclass(frozen=True)
class ReportSettings:
    color: bool = False  # ANSI colour (text on a terminal)
    quiet: bool = False  # findings only, no summary


def render(format_name: str, result, settings: ReportSettings = ReportSettings()) -> str:
    module = importlib.import_module(f"{__name__}.{format_name}")
    return module.render(result, settings)


def summary_counts(findings) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
