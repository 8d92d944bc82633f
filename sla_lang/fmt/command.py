"""`slalint fmt [PATHS] [--check] [--diff]`: the files `check` would read
(the same discovery and excludes), each formatted and written back
atomically, or, with --check or --diff, only reported.

Exit codes: 0 when every file is (now) formatted; 1 with --check or --diff
when a file would change; 2 when a path is missing or a file cannot be read
or has a syntax error (each named with file, line and column).
"""

from __future__ import annotations

import difflib
import os
import sys

from ..reading.paths import rewrite_agreement
from ..source import UnreadableFile, read_source
from . import Unformattable, format_text


def unified_diff(path: str, before: str, after: str) -> str:
    # A line that only loses its CR looks unchanged on a terminal: the label says why it is listed.
    crlf = ", CRLF line ends" if "\r\n" in before else ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"{path} (before{crlf})",
        f"{path} (formatted)",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def files_to_format(paths: list[str], settings) -> tuple[list[str], list[str]]:
    """The `.sla` files under `paths` that `check` would read (excludes
    applied), and the paths that do not exist."""
    from ..filtering.selection import excluded
    from ..reading.discover import discover

    found, missing = discover(paths)
    base = settings.root or os.getcwd()
    return [path for path in found if not excluded(path, settings.exclude, base)], missing


def run_fmt(paths: list[str], settings, check: bool, diff: bool, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    files, missing = files_to_format(paths or [settings.root or "."], settings)
    failed = bool(missing)
    for path in missing:
        err.write(f"slalint: {path}: no such file or directory\n")
    changed = []
    formatted = 0
    for path in files:
        try:
            before = read_source(path, settings.max_file_size).text
            after = format_text(before, path)
        except UnreadableFile as problem:
            err.write(f"slalint: {path}:1:1: {problem}\n")
            failed = True
            continue
        except Unformattable as problem:
            err.write(f"slalint: {problem}\n")
            failed = True
            continue
        formatted += 1
        if after == before:
            continue
        changed.append(path)
        if diff:
            out.write(unified_diff(path, before, after))
        elif check:
            out.write(f"would reformat {path}\n")
        else:
            rewrite_agreement(path, after)
    _summary(err, formatted, changed, check or diff)
    if failed:
        return 2
    return 1 if changed and (check or diff) else 0


def _summary(err, count: int, changed: list[str], dry_run: bool) -> None:
    verb = "would be reformatted" if dry_run else "reformatted"
    unchanged = count - len(changed)
    parts = []
    if changed:
        parts.append(f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}")
    parts.append(f"{unchanged} file{'s' if unchanged != 1 else ''} already formatted")
    err.write(", ".join(parts) + "\n")
