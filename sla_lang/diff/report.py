"""The entries of a diff printed: text grouped by agreement, a markdown PR
comment, or versioned JSON (docs/diff.md documents it); and the exit code
`--fail-on` asks for."""

from __future__ import annotations

import json

from .compare import CHANGED, CLASSES, NEUTRAL, STRENGTHENING, WEAKENING, Change

JSON_VERSION = 1
FAIL_ON = ("weakening", "any", "never")


def exit_code(changes: list[Change], fail_on: str) -> int:
    """1 for a weakening or a `changed` entry (`weakening`), for any entry (`any`); else 0."""
    if fail_on == "any":
        return 1 if changes else 0
    if fail_on == "weakening":
        return 1 if any(change.kind in (WEAKENING, CHANGED) for change in changes) else 0
    return 0


def as_json(changes: list[Change]) -> str:
    counts = {kind: sum(1 for change in changes if change.kind == kind) for kind in CLASSES}
    entries = [
        {
            "agreement": change.agreement,
            "path": change.path,
            "old": change.old,
            "new": change.new,
            "class": change.kind,
            "needs_reapproval": change.needs_reapproval,
        }
        for change in changes
    ]
    return json.dumps({"version": JSON_VERSION, "summary": counts, "changes": entries}, indent=2)


def as_text(changes: list[Change]) -> str:
    if not changes:
        return "No semantic change."
    lines: list[str] = []
    agreement = None
    for change in changes:
        if change.agreement != agreement:
            agreement = change.agreement
            lines.append(("\n" if lines else "") + f"{agreement}:")
        mark = "  (needs re-approval)" if change.needs_reapproval else ""
        lines.append(f"  {change.kind:<13} {change.path}: {change.old} -> {change.new}{mark}")
    counts = [f"{sum(1 for c in changes if c.kind == kind)} {kind}" for kind in CLASSES]
    lines.append("\n" + ", ".join(counts))
    return "\n".join(lines)


_MARKDOWN_ORDER = {kind: rank for rank, kind in enumerate((WEAKENING, CHANGED, STRENGTHENING, NEUTRAL))}


def verdict(changes: list[Change]) -> str:
    weaker = sum(1 for change in changes if change.kind in (WEAKENING, CHANGED))
    approvals = sum(1 for change in changes if change.needs_reapproval)
    if not changes:
        return "No semantic change."
    text = f"{weaker} weakening or unordered change(s)" if weaker else "Nothing weakened"
    text += f" in {len(changes)} change(s)"
    return text + (f"; {approvals} need the customer's re-approval." if approvals else ".")


def _cell(text: str) -> str:
    """A value in a table cell: code, with the characters that would end the cell or the code escaped."""
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


def as_markdown(changes: list[Change]) -> str:
    """A PR comment: a table per agreement, weakenings first, then a one-line verdict."""
    lines = ["## slalint diff", ""]
    agreements: dict[str, list[Change]] = {}
    for change in changes:
        agreements.setdefault(change.agreement, []).append(change)
    for agreement, entries in agreements.items():
        lines += [f"### `{agreement}`", "", "| what | old | new | class |", "|---|---|---|---|"]
        for change in sorted(entries, key=lambda c: _MARKDOWN_ORDER[c.kind]):
            kind = f"**{change.kind}**" if change.kind in (WEAKENING, CHANGED) else change.kind
            if change.needs_reapproval:
                kind += ", needs re-approval"
            lines.append(f"| {_cell(change.path)} | {_cell(change.old)} | {_cell(change.new)} | {kind} |")
        lines.append("")
    lines.append(verdict(changes))
    return "\n".join(lines)
