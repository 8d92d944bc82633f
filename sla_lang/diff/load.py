"""The two sides of a diff as resolved workspaces: from directories in the
working tree, or from git's objects at a ref (never by checking out)."""

from __future__ import annotations

import os

from ..source import SourceFile, UnreadableFile, decode, read_source


class DiffError(Exception):
    """A side that cannot be compared: a file that cannot be read or does not parse."""


class Side:
    """One side of a diff: its resolved workspace, and each file's text under
    the name both sides share (the path from the compared directory, or from
    the top of the git work tree), so that a moved file can be told from a new one."""

    __slots__ = ("workspace", "declarations", "texts", "names")

    def __init__(self, sources: list[SourceFile], name_of) -> None:
        from ..model.workspace import build_workspace

        self.declarations = declarations_of(sources)
        self.workspace = build_workspace(self.declarations)
        self.texts = {source.path: source.text for source in sources}
        self.names = {source.path: name_of(source.path) for source in sources}


def workspace_of(sources: list[SourceFile]):
    """The resolved workspace of `sources`; DiffError at the first syntax error."""
    from ..model.workspace import build_workspace

    return build_workspace(declarations_of(sources))


def declarations_of(sources: list[SourceFile]) -> list:
    """The declarations of `sources`, parsed with the cache; DiffError at the first
    syntax error (a half-parsed side would show its missing declarations as removals)."""
    from ..many_files.cache import ParseCache
    from ..many_files.parse import parse_sources

    declarations = []
    for parsed in parse_sources(sources, ParseCache(enabled=True)):
        for finding in parsed.findings:
            if finding.code == "SL001":
                span = finding.span
                raise DiffError(f"{span.path}:{span.line}:{span.column}: {finding.message}")
        declarations.extend(parsed.declarations)
    return declarations


def directory_side(path: str, max_size: int, is_excluded=None) -> Side:
    """The `.sla` files under the directory (or file) `path`, named from it."""
    top = path if os.path.isdir(path) else os.path.dirname(path) or "."
    return Side(sources_in([path], max_size, is_excluded), lambda shown: _below(shown, top))


def work_tree_side(paths: list[str], toplevel: str, max_size: int, is_excluded=None) -> Side:
    """The `.sla` files under `paths` in the working tree, named from the top of the git work tree."""
    return Side(sources_in(paths, max_size, is_excluded), lambda shown: _below(shown, toplevel))


def ref_side(tree, paths: list[str], max_size: int, is_excluded=None) -> Side:
    """The `.sla` files under `paths` as they are at the RefTree's commit."""
    prefix = tree.shown("")
    return Side(sources_at_ref(tree, paths, max_size, is_excluded), lambda shown: shown.removeprefix(prefix))


def _below(path: str, top: str) -> str:
    return os.path.relpath(os.path.realpath(path), os.path.realpath(top)).replace(os.sep, "/")


def sources_in(paths: list[str], max_size: int, is_excluded=None) -> list[SourceFile]:
    """The `.sla` files under `paths`, read; DiffError for a missing path or an unreadable file."""
    from ..reading.discover import discover

    found, missing = discover(paths)
    if missing:
        raise DiffError(f"{missing[0]}: no such file or directory")
    sources = []
    for path in found:
        if is_excluded is not None and is_excluded(path):
            continue
        try:
            sources.append(read_source(path, max_size))
        except UnreadableFile as problem:
            raise DiffError(f"{path}: {problem}") from None
    return sources


def sources_at_ref(tree, paths: list[str], max_size: int, is_excluded=None) -> list[SourceFile]:
    """The `.sla` files under `paths` as they are at the RefTree's commit, named
    `REF:path`, all read through one `git cat-file --batch`. A path that does
    not exist at the ref holds nothing there (its agreements are new)."""
    blobs = {}
    for path in paths:
        if os.path.isdir(path):
            listed = tree.list(tree.relative(path), recursive=True)
        else:
            listed = tree.list(tree.relative(path), inside=False)
        for blob in listed:
            if blob.is_file and (blob.path.endswith(".sla") or not os.path.isdir(path)):
                blobs.setdefault(blob.path, blob)
    kept = [
        blob
        for name, blob in sorted(blobs.items())
        if is_excluded is None or not is_excluded(os.path.join(tree.toplevel, name))
    ]
    tree.read([blob for blob in kept if blob.size <= max_size])
    sources = []
    for blob in kept:
        if blob.data is None:
            raise DiffError(f"{tree.shown(blob.path)}: the file is larger than the size limit ({blob.size:,} bytes)")
        try:
            sources.append(decode(tree.shown(blob.path), blob.data, max_size))
        except UnreadableFile as problem:
            raise DiffError(f"{tree.shown(blob.path)}: {problem}") from None
    return sources
