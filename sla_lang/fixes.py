"""Fixes as data: applying a finding's text edits to a file's text, and
choosing which fixes of one file can be applied together.

Positions are those of findings (1-based lines and columns, end column
exclusive, lines split at '\\n'), so an edit computed from a parse applies to
the text that was parsed.
"""

from __future__ import annotations

from .findings import Edit, Finding, Fix


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line < 1 or line > len(starts) or column < 1:
        raise ValueError(f"edit position {line}:{column} is outside the text")
    line_end = starts[line] - 1 if line < len(starts) else len(text)
    offset = starts[line - 1] + column - 1
    if offset > line_end:
        raise ValueError(f"edit position {line}:{column} is past the end of its line")
    return offset


def edit_offsets(text: str, edits) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of each edit, in the order of the text;
    ValueError when two edits overlap or one lies outside the text."""
    starts = _line_starts(text)
    placed = []
    for edit in edits:
        start = _offset(starts, text, edit.line, edit.column)
        end = _offset(starts, text, edit.end_line, edit.end_column)
        if end < start:
            raise ValueError(f"edit {edit.line}:{edit.column}-{edit.end_line}:{edit.end_column} ends before it starts")
        placed.append((start, end, edit.text))
    placed.sort(key=lambda item: (item[0], item[1]))
    for before, after in zip(placed, placed[1:]):  # noqa: B905 - consecutive pairs of one list
        if after[0] < before[1]:
            raise ValueError("edits overlap: apply them one fix at a time")
    return placed


def apply_edits(text: str, edits) -> str:
    """`text` with every edit applied (positions refer to `text` as given)."""
    parts = []
    position = 0
    for start, end, replacement in edit_offsets(text, edits):
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def applicable_fixes(text: str, findings: list[Finding], unsafe: bool) -> list[Fix]:
    """The fixes of one file's findings to apply in one pass: the safe ones
    (and the unsafe ones when `unsafe`), in the order of the text, leaving out
    any that overlaps a fix taken before it (the next pass, after a re-check,
    may still apply it)."""
    candidates = sorted(
        (finding.fix for finding in findings if finding.fix is not None and (finding.fix.safe or unsafe)),
        key=lambda fix: min(((e.line, e.column) for e in fix.edits), default=(0, 0)),
    )
    taken: list[Fix] = []
    edits: list[Edit] = []
    for fix in candidates:
        if fix in taken:  # two findings may carry one fix
            continue
        try:
            edit_offsets(text, [*edits, *fix.edits])
        except ValueError:
            continue
        taken.append(fix)
        edits.extend(fix.edits)
    return taken


MAX_ROUNDS = 10  # fixes that overlapped wait for the next check; a fix that keeps coming back stops here


def fix_files(findings: list[Finding], sources: dict, unsafe: bool) -> dict[str, int]:
    """Apply the fixes of a check's findings to their files, each file
    rewritten atomically; returns how many fixes each changed file took. A
    file that changed on disk since it was checked is left alone."""
    from .reading.paths import rewrite_agreement
    from .source import UnreadableFile, read_source

    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.fix is not None:
            by_path.setdefault(finding.span.path, []).append(finding)
    applied: dict[str, int] = {}
    for path, fixable in by_path.items():
        source = sources.get(path)
        if source is None:
            continue
        fixes = applicable_fixes(source.text, fixable, unsafe)
        if not fixes:
            continue
        try:
            if read_source(path).text != source.text:
                continue
        except UnreadableFile:
            continue
        rewrite_agreement(path, apply_edits(source.text, [edit for fix in fixes for edit in fix.edits]))
        applied[path] = len(fixes)
    return applied
