"""Finding the `.sla` files under the paths a user names."""

from __future__ import annotations

import os

SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}


def display_path(path: str) -> str:
    """The path as reports show it: relative to the current directory, '/' separators."""
    if path == "-":
        return path
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        shown = os.path.abspath(path)
    return shown.replace(os.sep, "/")


def discover(paths: list[str]) -> tuple[list[str], list[str]]:
    """The `.sla` files under `paths` (sorted, each once) and the named paths that do not exist.

    A file named explicitly is taken whatever its extension; directories are
    walked for `*.sla`, skipping hidden and tool directories and not following
    symlinked directories (a symlink loop cannot hang the walk).
    """
    found: dict[str, None] = {}
    missing: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(".sla"):
                        found.setdefault(display_path(os.path.join(directory, name)), None)
        elif os.path.lexists(path):
            found.setdefault(display_path(path), None)
        else:
            missing.append(display_path(path))
    return _without_aliases(sorted(found)), missing


def _without_aliases(paths: list[str]) -> list[str]:
    """Drop symlinks to files that are in the list under their own name: the
    same agreement loaded twice would be reported as duplicate ids."""
    real_files = {os.path.realpath(p) for p in paths if not os.path.islink(p)}
    return [p for p in paths if not (os.path.islink(p) and os.path.realpath(p) in real_files)]
