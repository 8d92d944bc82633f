"""`path:line:col: CODE [severity] message`, one finding a line (editors parse it)."""

from __future__ import annotations


def render(result, settings) -> str:
    return "".join(
        f"{f.span.path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity}] {f.message}\n" for f in result.findings
    )
