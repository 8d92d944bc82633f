"""A resolved workspace for a command other than `check` (diff, evaluate,
render): the files read, parsed (or taken from the parse cache that `check`
writes) and resolved by the pipeline's own stages."""

from __future__ import annotations

from ..source import SourceFile, UnreadableFile, read_source


class LoadError(Exception):
    """A workspace that cannot be loaded: a path missing, a file that cannot be read or does not parse."""


def workspace_of(sources: list[SourceFile], problems: list | None = None):
    """The resolved workspace of `sources`; LoadError at the first syntax error.
    `problems`, when given, receives the other language errors (a value that
    was dropped, a reference that does not resolve)."""
    from ..model.workspace import build_workspace

    workspace = build_workspace(declarations_of(sources, problems))
    if problems is not None:
        problems.extend(finding for finding in workspace.findings if finding.severity == "error")
    return workspace


def declarations_of(sources: list[SourceFile], problems: list | None = None) -> list:
    """The declarations of `sources`, parsed or read from the cache that `check`
    writes (these commands store nothing: storing costs more than it saves a
    one-off run); LoadError at the first syntax error (a half-parsed workspace
    would show its missing declarations as removed)."""
    from ..many_files.cache import ParseCache
    from ..many_files.parse import parse_sources

    declarations = []
    for parsed in parse_sources(sources, ParseCache(enabled=True, writes=False)):
        for finding in parsed.findings:
            if finding.code == "SL001":
                span = finding.span
                raise LoadError(f"{span.path}:{span.line}:{span.column}: {finding.message}")
            if problems is not None and finding.severity == "error":
                problems.append(finding)
        declarations.extend(parsed.declarations)
    return declarations


def sources_in(paths: list[str], max_size: int, is_excluded=None) -> list[SourceFile]:
    """The `.sla` files under `paths`, read; LoadError for a missing path or an unreadable file."""
    from ..reading.discover import discover

    found, missing = discover(paths)
    if missing:
        raise LoadError(f"{missing[0]}: no such file or directory")
    sources = []
    for path in found:
        if is_excluded is not None and is_excluded(path):
            continue
        try:
            sources.append(read_source(path, max_size))
        except UnreadableFile as problem:
            raise LoadError(f"{path}: {problem}") from None
    return sources
