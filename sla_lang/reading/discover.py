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


def walk(top: str):
    """os.walk(top), top-down, without following directory links: the
    directories under `top`, each with the names of its subdirectories (which
    the caller may prune) and of its other entries. Iterative, where Python
    3.11's os.walk recurses once per level and fails at about 1,000; an
    unreadable directory is skipped, as os.walk does."""
    pending = [top]
    while pending:
        directory = pending.pop()
        subdirs: list[str] = []
        others: list[str] = []
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (subdirs if is_dir else others).append(entry.name)
        except OSError:
            continue
        yield directory, subdirs, others
        for name in reversed(subdirs):
            below = os.path.join(directory, name)
            if not os.path.islink(below):
                pending.append(below)


def discover(paths: list[str]) -> tuple[list[str], list[str]]:
    """The `.sla` files under `paths` (sorted, each once) and the named paths that do not exist.

    A file named explicitly is taken whatever its extension; directories are
    walked for `*.sla`, skipping hidden and tool directories and not following
    symlinked directories (a symlink loop cannot hang the walk).
    """
    # Each file once: by the place it really is, so that a file also reached
    # through a linked directory or a file symlink is not loaded twice (its
    # declarations would be reported as duplicates of themselves). The walk does
    # not follow directory links, so a file's real place is that of the named
    # directory plus its path below it: realpath only for the named paths and
    # for files that are links themselves. Links to a place reached no other way
    # are all kept (and, when they lead out of the workspace, each reported).
    places: dict[str, list[tuple[bool, str]]] = {}  # real place -> [(through a link, display path)]
    missing: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            root = os.path.realpath(path)
            root_linked = root != os.path.abspath(path)
            for directory, subdirs, files in walk(path):
                subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS and not d.startswith("."))
                below = os.path.relpath(directory, path)
                shown_directory = display_path(directory)  # once per directory: relpath is slow
                for name in sorted(files):
                    if not name.endswith(".sla"):
                        continue
                    file_path = os.path.join(directory, name)
                    if os.path.islink(file_path):
                        real, linked = os.path.realpath(file_path), True
                    else:
                        real, linked = os.path.normpath(os.path.join(root, below, name)), root_linked
                    shown = name if shown_directory == "." else f"{shown_directory}/{name}"
                    places.setdefault(real, []).append((linked, shown))
        elif os.path.lexists(path):
            real = os.path.realpath(path)
            places.setdefault(real, []).append((real != os.path.abspath(path), display_path(path)))
        else:
            missing.append(display_path(path))
    found: set[str] = set()
    for entries in places.values():
        direct = sorted(shown for linked, shown in entries if not linked)
        found.update(direct[:1] if direct else (shown for _, shown in entries))
    return sorted(found), missing
