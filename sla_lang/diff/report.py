"""The entries of a diff printed: text grouped by agreement, a markdown PR
comment, or versioned JSON (docs/diff.md documents it); and the exit code
`--fail-on` asks for."""

from __future__ import annotations

import json

from ..report.escape import visible
from .compare import CHANGED, CLASSES, EDITORIAL, NEUTRAL, STRENGTHENING, WEAKENING, Change

JSON_VERSION = 1
FAIL_ON = ("weakening", "any", "never")


def exit_code(changes: list[Change], fail_on: str) -> int:
    """1 for a weakening or a `changed` entry (`weakening`), for any semantic
    entry (`any`); else 0. Editorial entries and accepted ones never fail."""
    counted = [change for change in changes if change.ignored is None and change.kind != EDITORIAL]
    if fail_on == "any":
        return 1 if counted else 0
    if fail_on == "weakening":
        return 1 if any(change.kind in (WEAKENING, CHANGED) for change in counted) else 0
    return 0


def shown(changes: list[Change], format: str, color: bool = False) -> str:
    if format == "text":
        return as_text(changes, color)
    return as_json(changes) if format == "json" else as_markdown(changes)


def _counts(changes: list[Change]) -> dict[str, int]:
    """Entries per class, accepted ones apart."""
    counts = {kind: sum(1 for c in changes if c.kind == kind and c.ignored is None) for kind in CLASSES}
    counts["ignored"] = sum(1 for change in changes if change.ignored is not None)
    return counts


def as_json(changes: list[Change]) -> str:
    counts = _counts(changes)
    entries = [
        {
            "agreement": change.agreement,
            "path": change.path,
            "old": change.old,
            "new": change.new,
            "class": change.kind,
            "needs_reapproval": change.needs_reapproval,
            "ignored": change.ignored,
        }
        for change in changes
    ]
    return json.dumps({"version": JSON_VERSION, "summary": counts, "changes": entries}, indent=2)


# On a terminal: what the customer loses in red, what it gains in green, what cannot be ordered in yellow.
_COLORS = {WEAKENING: "31", CHANGED: "33", STRENGTHENING: "32", EDITORIAL: "2"}


def as_text(changes: list[Change], color: bool = False) -> str:
    if not changes:
        return "No semantic change."
    lines: list[str] = []
    agreement = None
    for change in changes:
        if change.agreement != agreement:
            agreement = change.agreement
            lines.append(("\n" if lines else "") + f"{visible(agreement)}:")
        mark = "  (needs re-approval)" if change.needs_reapproval else ""
        mark += f"  (accepted: {visible(change.ignored)})" if change.ignored is not None else ""
        what = f"{visible(change.path)}: {visible(change.old)} -> {visible(change.new)}"
        kind = f"{change.kind:<13}"
        if color and change.kind in _COLORS and change.ignored is None:
            kind = f"\x1b[{_COLORS[change.kind]}m{kind}\x1b[0m"
        lines.append(f"  {kind} {what}{mark}")
    counts = [f"{n} {kind}" for kind, n in _counts(changes).items() if n or kind not in (EDITORIAL, "ignored")]
    lines.append("\n" + ", ".join(counts))
    return "\n".join(lines)


_MARKDOWN_ORDER = {kind: rank for rank, kind in enumerate((WEAKENING, CHANGED, STRENGTHENING, NEUTRAL, EDITORIAL))}


def verdict(changes: list[Change]) -> str:
    semantic = [change for change in changes if change.kind != EDITORIAL]
    counted = [change for change in semantic if change.ignored is None]
    weaker = sum(1 for change in counted if change.kind in (WEAKENING, CHANGED))
    approvals = sum(1 for change in semantic if change.needs_reapproval)
    if not semantic:
        return "No semantic change."
    text = f"{weaker} weakening or unordered change(s)" if weaker else "Nothing weakened"
    text += f" in {len(semantic)} change(s)"
    if len(counted) < len(semantic):
        text += f" ({len(semantic) - len(counted)} accepted by diff-ignore)"
    return text + (f"; {approvals} need the customer's re-approval." if approvals else ".")


def _cell(text: str) -> str:
    """A value in a table cell: code, with the characters that would end the cell or the code escaped."""
    return "`" + visible(text).replace("`", "'").replace("|", "\\|") + "`"


def _plain(text: str) -> str:
    """Text from a configuration in a table cell, with nothing Markdown or HTML would read."""
    for char in "\\`*_[]<>|#!":
        text = text.replace(char, "\\" + char)
    return visible(text)


def as_markdown(changes: list[Change]) -> str:
    """A PR comment: a table per agreement, weakenings first, then a one-line verdict."""
    lines = ["## slalint diff", ""]
    agreements: dict[str, list[Change]] = {}
    for change in changes:
        agreements.setdefault(change.agreement, []).append(change)
    for agreement, entries in agreements.items():
        lines += [f"### {_cell(agreement)}", "", "| what | old | new | class |", "|---|---|---|---|"]
        for change in sorted(entries, key=lambda c: _MARKDOWN_ORDER[c.kind]):
            kind = f"**{change.kind}**" if change.kind in (WEAKENING, CHANGED) else change.kind
            if change.ignored is not None:
                kind = f"{change.kind}, accepted: {_plain(change.ignored)}"
            if change.needs_reapproval:
                kind += ", needs re-approval"
            lines.append(f"| {_cell(change.path)} | {_cell(change.old)} | {_cell(change.new)} | {kind} |")
        lines.append("")
    lines.append(verdict(changes))
    return "\n".join(lines)
