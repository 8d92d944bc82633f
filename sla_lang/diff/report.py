"""The entries of a diff printed: text grouped by agreement, or versioned JSON
(docs/diff.md documents it); and the exit code `--fail-on` asks for."""

from __future__ import annotations

import json

from .compare import CHANGED, CLASSES, WEAKENING, Change

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
