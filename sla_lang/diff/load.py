"""The two sides of a diff as resolved workspaces: from directories in the
working tree, or from git's objects at a ref (never by checking out)."""

from __future__ import annotations

import os

from ..many_files.workspace import LoadError, declarations_of, sources_in
from ..source import SourceFile, UnreadableFile, decode


class Side:
    """One side of a diff: its resolved workspace, the declarations parsed for
    it, and each file's text under the name both sides share (the path from
    the compared directory, or from the top of the git work tree), so that a
    moved file can be told from a new one."""

    __slots__ = ("workspace", "declarations", "texts", "names")

    def __init__(self, sources: list[SourceFile], name_of) -> None:
        self.texts = {source.path: source.text for source in sources}
        self.names = {source.path: name_of(source.path) for source in sources}
        self.declarations: list = []
        self.workspace = None


class Pair:
    """Both sides, resolved, and the agreements the comparison must look at.

    A file with the same name and text on both sides is parsed once: its
    agreements cannot differ unless a metric they measure is declared in a
    changed file, and those few files are parsed again for the old side. The
    old side holds the changed files, those, and the parties and metrics of
    the unchanged files (shared with the new side, which is resolved last),
    so a diff of ten changed files in two thousand parses about two thousand."""

    __slots__ = ("old", "new", "candidates")

    def __init__(self, old: Side, new: Side, old_sources: list[SourceFile], new_sources: list[SourceFile]) -> None:
        from ..model.nodes import Agreement
        from ..model.workspace import build_workspace

        self.old, self.new = old, new
        old_by_name = {old.names[source.path]: source for source in old_sources}
        unchanged = {
            source.path: old_by_name[name]
            for source in new_sources
            if (name := new.names[source.path]) in old_by_name and old_by_name[name].text == source.text
        }
        unchanged_old = {source.path for source in unchanged.values()}
        new.declarations = declarations_of(new_sources)
        old_changed = declarations_of([source for source in old_sources if source.path not in unchanged_old])
        new_changed = [node for node in new.declarations if node.file not in unchanged]
        changed_metrics = {node.id for node in (*old_changed, *new_changed) if not isinstance(node, Agreement)}
        changed_ids = {node.id for node in (*old_changed, *new_changed)}
        # Unchanged files whose agreements measure a changed metric, or declare an id again
        # that a changed file declares (which of the two counts depends on both).
        affected = {
            node.file
            for node in new.declarations
            if node.file in unchanged
            and isinstance(node, Agreement)
            and (node.id in changed_ids or _measures(node) & changed_metrics)
        }
        again = declarations_of([unchanged[path] for path in sorted(affected)])
        shared = [
            node
            for node in new.declarations
            if node.file in unchanged and node.file not in affected and not isinstance(node, Agreement)
        ]
        old.declarations = [*old_changed, *again]
        old.workspace = build_workspace([*old.declarations, *shared])
        new.workspace = build_workspace(new.declarations)
        self.candidates = {node.id for node in (*old.declarations, *new_changed) if isinstance(node, Agreement)}
        self.candidates |= {node.id for node in new.declarations if node.file in affected}


def _measures(agreement) -> set[str]:
    """The ids an agreement's objectives may take their metric from: the metric named, else the objective's id."""
    return {
        str(objective.metric_ref) if objective.metric_ref is not None else objective.id
        for service in agreement.services or ()
        for objective in service.objectives or ()
    }


def load_pair(old_sources: list[SourceFile], old_name, new_sources: list[SourceFile], new_name) -> Pair:
    return Pair(Side(old_sources, old_name), Side(new_sources, new_name), old_sources, new_sources)


def directory_pair(old_path: str, new_path: str, max_size: int, excluded_below) -> Pair:
    """The `.sla` files under two directories (or files), each named from its directory."""
    old_top, new_top = (path if os.path.isdir(path) else os.path.dirname(path) or "." for path in (old_path, new_path))
    return load_pair(
        sources_in([old_path], max_size, excluded_below(old_path)),
        lambda shown: _below(shown, old_top),
        sources_in([new_path], max_size, excluded_below(new_path)),
        lambda shown: _below(shown, new_top),
    )


def ref_pair(tree, paths: list[str], max_size: int, is_excluded) -> Pair:
    """The `.sla` files under `paths` at the RefTree's commit and in the working
    tree, named from the top of the git work tree."""
    prefix = tree.shown("")
    return load_pair(
        sources_at_ref(tree, paths, max_size, is_excluded),
        lambda shown: shown.removeprefix(prefix),
        sources_in(paths, max_size, is_excluded),
        lambda shown: _below(shown, tree.toplevel),
    )


def _below(path: str, top: str) -> str:
    return os.path.relpath(os.path.realpath(path), os.path.realpath(top)).replace(os.sep, "/")


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
            raise LoadError(f"{tree.shown(blob.path)}: the file is larger than the size limit ({blob.size:,} bytes)")
        try:
            sources.append(decode(tree.shown(blob.path), blob.data, max_size))
        except UnreadableFile as problem:
            raise LoadError(f"{tree.shown(blob.path)}: {problem}") from None
    return sources
