"""A pack rule's fix, which is data: the text that replaces what the
finding points at (a keyword, an attribute), a title, and whether it is safe.
A pack never runs code, so its fixes cannot either."""

from __future__ import annotations

from ..reading.yamlfile import value_position
from .model_view import format_value

MAX_FIX_TEXT = 200  # characters a pack's fix may write


class RuleFix:
    def __init__(self, title: str, replace: str, safe: bool) -> None:
        self.title = title
        self.replace = replace
        self.safe = safe

    def at(self, span):
        """The fix of a finding at `span`."""
        from ..findings import Edit, Fix

        return Fix(self.title, self.safe, (Edit.replacing(span, self.replace),))


def read_fix(reader, entry) -> RuleFix:
    """The `fix` of a rule `entry`; `reader` is the pack loader (its
    located errors and key checks)."""
    fix = entry["fix"]
    if not isinstance(fix, dict):
        raise reader.error(
            "'fix' is a mapping: title, replace (the text that replaces what the finding points at) and safe",
            value_position(entry, "fix"),
        )
    reader.check_keys(fix, ("title", "replace", "safe"), "'fix'")
    title = reader.string(fix, "title", required=True)
    replace = reader.string(fix, "replace", required=True)
    if not replace or "\n" in replace or len(replace) > MAX_FIX_TEXT:
        raise reader.error(
            f"'replace' must be one line of 1 to {MAX_FIX_TEXT} characters", value_position(fix, "replace")
        )
    safe = fix.get("safe", False)
    if not isinstance(safe, bool):
        raise reader.error(f"'safe' must be true or false, not {format_value(safe)!r}", value_position(fix, "safe"))
    return RuleFix(title, replace, safe)
