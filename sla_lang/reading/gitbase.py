"""The workspace as it was at a git ref, read from git's objects (never by
checking out): its agreements for `--base REF` (SL205), its files for
`--new-since REF`.

SL205 matches an agreement with its earlier version by id, so every `.sla`
file under the workspace root at REF is read, whatever its path: renaming
the file must not hide a change from the rule.
"""

from __future__ import annotations

import os

from ..findings import Finding
from ..model.nodes import Agreement
from ..source import SourceFile, UnreadableFile, decode, file_start
from .discover import SKIPPED_DIRS


def agreements_at(ref: str, root: str | None, max_size: int, cache, jobs: int | None = None) -> dict[str, Agreement]:
    """Every agreement declared at `ref` under `root` (the top of the work tree
    without a root), by id. A file over `max_size` there is not read, so its
    agreements count as new; so do those of a file that is not UTF-8."""
    from ..many_files.parse import parse_sources
    from .gitrefs import RefTree

    tree = RefTree(ref, root or os.getcwd(), "--base")
    sources = []
    for blob in tree.files_under(root or tree.toplevel, ".sla", max_size):
        if blob.data is not None:
            try:
                sources.append(decode(tree.shown(blob.path), blob.data, max_size))
            except UnreadableFile:
                continue
    agreements: dict[str, Agreement] = {}
    for parsed in parse_sources(sources, cache, jobs):
        for node in parsed.declarations:
            if isinstance(node, Agreement):
                agreements.setdefault(node.id, node)
    return agreements


def sources_at(ref: str, root: str, max_size: int, excluded) -> tuple[dict[str, SourceFile], list[Finding]]:
    """The `.sla` files under `root` as they are at `ref`, shown under the paths
    they have in the working tree (relative to the current directory), and an
    SL008 for each that cannot be read, as the working tree's would get. The
    walk skips what discover() skips, and `excluded(path)` says what the
    configuration excludes. HEAD without a commit yet is an empty workspace."""
    from ..language_rules import language_finding
    from .gitrefs import RefTree

    tree = RefTree(ref, root, "--new-since", unborn_head=True)
    here = os.path.realpath(os.getcwd())
    sources: dict[str, SourceFile] = {}
    unreadable: list[Finding] = []
    for blob in tree.files_under(root, ".sla", max_size):
        parts = blob.path.split("/")
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        path = os.path.relpath(os.path.join(tree.toplevel, *parts), here).replace(os.sep, "/")
        if excluded(path):
            continue
        try:
            if blob.data is None:
                raise UnreadableFile(f"the file is larger than the size limit ({blob.size:,} bytes)")
            sources[path] = decode(path, blob.data, max_size)
        except UnreadableFile as problem:
            unreadable.append(language_finding("SL008", str(problem), file_start(path)))
    return sources, unreadable
