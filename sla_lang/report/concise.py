"""`path:line:col: CODE [severity] message`, one finding a line (editors parse it)."""

from __future__ import annotations

from .escape import line_start, visible


def write(result, settings, out) -> None:
    for f in result.findings:
        span = f.span
        out.write(f"{line_start(span.path)}:{span.line}:{span.column}: {f.code} [{f.severity}] {visible(f.message)}\n")
