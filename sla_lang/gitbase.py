"""The agreements as they were at a git ref, for `--base REF` (SL205).

SL205 matches an agreement with its earlier version by id, so every `.sla`
file under the workspace root at REF is read, whatever its path: renaming
the file must not hide a change from the rule.
"""

from __future__ import annotations

import os

from .model.nodes import Agreement
from .source import UnreadableFile, decode


def agreements_at(ref: str, root: str | None, max_size: int, cache, jobs: int | None = None) -> dict[str, Agreement]:
    """Every agreement declared at `ref` under `root` (the top of the work tree
    without a root), by id. A file over `max_size` there is not read, so its
    agreements count as new; so do those of a file that is not UTF-8."""
    from .batch import parse_sources
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
