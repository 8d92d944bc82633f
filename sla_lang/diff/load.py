"""The two sides of a diff as resolved workspaces: from directories in the
working tree, or from git's objects at a ref (never by checking out)."""

from __future__ import annotations

import os

from ..source import SourceFile, UnreadableFile, decode, read_source


class DiffError(Exception):
    """A side that cannot be compared: a file that cannot be read or does not parse."""


def workspace_of(sources: list[SourceFile], problems: list | None = None):
    """The resolved workspace of `sources`; DiffError at the first syntax error
    (a half-parsed side would show its missing declarations as removals).
    `problems`, when given, receives the other language errors (a value that
    was dropped, a reference that does not resolve)."""
    from ..many_files.cache import ParseCache
    from ..many_files.parse import parse_sources
    from ..model.workspace import build_workspace

    declarations = []
    for parsed in parse_sources(sources, ParseCache(enabled=True)):
        for finding in parsed.findings:
            if finding.code == "SL001":
                span = finding.span
                raise DiffError(f"{span.path}:{span.line}:{span.column}: {finding.message}")
            if problems is not None and finding.severity == "error":
                problems.append(finding)
        declarations.extend(parsed.declarations)
    workspace = build_workspace(declarations)
    if problems is not None:
        problems.extend(finding for finding in workspace.findings if finding.severity == "error")
    return workspace


def sources_in(paths: list[str], max_size: int) -> list[SourceFile]:
    """The `.sla` files under `paths`, read; DiffError for a missing path or an unreadable file."""
    from ..reading.discover import discover

    found, missing = discover(paths)
    if missing:
        raise DiffError(f"{missing[0]}: no such file or directory")
    sources = []
    for path in found:
        try:
            sources.append(read_source(path, max_size))
        except UnreadableFile as problem:
            raise DiffError(f"{path}: {problem}") from None
    return sources


def sources_at_ref(ref: str, paths: list[str], max_size: int) -> list[SourceFile]:
    """The `.sla` files under `paths` as they are at `ref`, named `REF:path`.
    A path that does not exist at the ref holds nothing there (its agreements are new)."""
    from ..reading.gitrefs import RefTree

    tree = RefTree(ref, paths[0] if os.path.isdir(paths[0]) else os.path.dirname(paths[0]) or ".", "--base")
    sources, seen = [], set()
    for path in paths:
        directory = path if os.path.isdir(path) else os.path.dirname(path) or "."
        for blob in tree.files_under(directory, ".sla", max_size):
            if blob.path in seen or (not os.path.isdir(path) and tree.relative(path) != blob.path):
                continue
            seen.add(blob.path)
            if blob.data is None:
                raise DiffError(
                    f"{tree.shown(blob.path)}: the file is larger than the size limit ({blob.size:,} bytes)"
                )
            try:
                sources.append(decode(tree.shown(blob.path), blob.data, max_size))
            except UnreadableFile as problem:
                raise DiffError(f"{tree.shown(blob.path)}: {problem}") from None
    return sources
