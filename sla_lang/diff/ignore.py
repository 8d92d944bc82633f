"""`diff-ignore`: changes a team has accepted, so that they stop failing the
gate. An accepted change is still listed, with its reason, never hidden.

Each entry names an agreement glob, a path glob, or both, and a reason. The
path glob is matched against the dotted path of the change with `.` as the
separator, by the gitignore globs of `exclude` (filtering/globs.py, linear
time): `*` stays within one id, `**` crosses them, and a glob also matches
everything below what it names (`payments_gold.payments_api` covers all of
that service's changes).
"""

from __future__ import annotations

from ..config.settings import IgnoreEntry, as_glob


def apply_ignores(changes, entries: list[IgnoreEntry]) -> None:
    """Mark each change the first matching entry accepts with that entry's reason."""
    from ..filtering.globs import compile_globs

    if not entries:
        return
    matchers = [
        (
            None if entry.agreement is None else compile_globs((entry.agreement,)),
            None if entry.path is None else compile_globs((as_glob(entry.path),)),
            entry,
        )
        for entry in entries
    ]
    for change in changes:
        path = as_glob(change.path)
        for agreement, dotted, entry in matchers:
            if (agreement is None or agreement.matches(change.agreement)) and (dotted is None or dotted.matches(path)):
                change.ignored = entry.reason
                break
