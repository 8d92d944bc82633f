"""Changes that mean nothing to the customer (`--all` lists them): an
agreement moved to another file, or its text changed in comments or layout
only. An agreement with a semantic change has no editorial entry: the
semantic one says more."""

from __future__ import annotations

from .compare import EDITORIAL, Change


def editorial_changes(old_side, new_side, semantic: list[Change], candidates: set[str]) -> list[Change]:
    """One entry per agreement among `candidates` (those of changed files) found
    on both sides, without semantic change, that now lies in another file or
    whose own text differs."""
    changed = {change.agreement for change in semantic}
    old_agreements, new_agreements = old_side.workspace.agreements, new_side.workspace.agreements
    idents = sorted(old_agreements.keys() & new_agreements.keys() & candidates - changed)
    old_extents = _extents(old_side, {old_agreements[ident].file for ident in idents})
    new_extents = _extents(new_side, {new_agreements[ident].file for ident in idents})
    entries = []
    for ident in idents:
        old, new = old_agreements[ident], new_agreements[ident]
        old_file, new_file = old_side.names[old.file], new_side.names[new.file]
        if old_file != new_file:
            entries.append(Change(ident, f"{ident}.file", old_file, new_file, EDITORIAL))
        old_text, old_lines = old_extents[ident]
        new_text, new_lines = new_extents[ident]
        if old_text != new_text:
            old_where, new_where = f"{old_file}:{old_lines}", f"{new_file}:{new_lines}"
            entries.append(Change(ident, f"{ident}.text", old_where, new_where, EDITORIAL))
    return entries


def _extents(side, files: set[str]) -> dict[str, tuple[str, str]]:
    """Each agreement's own text in `files` (from its keyword to the next
    declaration of its file, trailing blank lines left out) and its lines ("3-20")."""
    starts: dict[str, list[tuple[int, str]]] = {}
    for declaration in side.declarations:
        if declaration.file in files:
            starts.setdefault(declaration.file, []).append((declaration.span.line, declaration.id))
    agreements = side.workspace.agreements
    extents = {}
    for path, found in starts.items():
        lines = side.texts[path].splitlines()
        found.sort()
        ends = [line - 1 for line, _ in found[1:]] + [len(lines)]
        for (first, ident), last in zip(found, ends, strict=True):
            if ident not in agreements or agreements[ident].file != path:
                continue
            while last > first and not lines[last - 1].strip():
                last -= 1
            extents[ident] = ("\n".join(lines[first - 1 : last]), f"{first}-{last}")
    return extents
