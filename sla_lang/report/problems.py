"""Language errors written to stderr as warnings, for the commands that go on
with a workspace that has them (render, evaluate): `check` reports them as
findings."""

from __future__ import annotations

import sys

from .escape import visible

MOST_WARNINGS = 20  # language errors written out before "N more"


def warn_about(problems: list, paths: set[str] | None = None) -> None:
    """The language errors (of the files in `paths`, else all) on stderr: the
    command goes on with the workspace as resolved, without what they dropped."""
    shown = [finding for finding in problems if paths is None or finding.span.path in paths]
    for finding in shown[:MOST_WARNINGS]:
        span = finding.span
        sys.stderr.write(f"slalint: warning: {visible(span.path)}:{span.line}:{span.column}: {finding.code} ")
        sys.stderr.write(f"{visible(finding.message)}\n")
    if len(shown) > MOST_WARNINGS:
        sys.stderr.write(f"slalint: warning: {len(shown) - MOST_WARNINGS:,} more; run 'slalint check' for all\n")
