"""`slalint graph`: who supports whom.

model.py builds the graph from the resolved workspace and puts the findings
of the underpinning rules (as `check` reports them, with the same
configuration) on its edges; drawing.py writes Mermaid and DOT; tree.py the
terminal tree with the composite availability of each service.
"""

from __future__ import annotations

import datetime
import sys

FORMATS = ("text", "mermaid", "dot")


class GraphError(Exception):
    """Bad input: the message says what and where (exit 2)."""


def graph(paths: list[str], format: str, focus: str | None, today: datetime.date, settings, max_size: int) -> int:
    """Draw the support graph of the files under `paths`; returns the exit code."""
    from ..lint import LintRequest, lint
    from ..render import RenderError, load_workspace
    from .model import EDGE_CODES, support_graph

    try:
        workspace = load_workspace(paths, max_size)
    except RenderError as error:
        raise GraphError(str(error)) from None
    if focus is not None and focus not in workspace.agreements:
        from ..report.escape import visible

        raise GraphError(f"--focus: no agreement '{visible(focus)}' in {', '.join(paths)}")
    findings = [f for f in lint(LintRequest(paths, settings, today=today)).findings if f.code in EDGE_CODES]
    drawn = support_graph(workspace, findings, focus)
    if format == "text":
        from rich.console import Console

        from .tree import tree

        # Piped: whole lines (a terminal's width would cut the messages).
        width = None if sys.stdout.isatty() else 100_000
        tree(drawn, Console(highlight=False, soft_wrap=True, width=width))
        return 0
    from .drawing import dot, mermaid

    sys.stdout.write(mermaid(drawn) if format == "mermaid" else dot(drawn))
    return 0
