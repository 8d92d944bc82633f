"""The fixes the builder attaches to its findings (SL002, SL005): edits
computed from the positions of the statements, no text needed."""

from __future__ import annotations

from bisect import bisect_left

from ..findings import Edit, Fix
from ..hints import only_close_match
from ..source import Span
from ..values import Condition, Reference
from .records import Attribute, NestedBlock


def renaming(span: Span, written: str, choices, renamed_to) -> Fix | None:
    """Rename `written` to the one close name among `choices`, when that name
    is one of `renamed_to` (a key becomes a key, a block a block): safe, the
    misspelt name meant nothing."""
    only = only_close_match(written, choices)
    if only is None or only not in renamed_to:
        return None
    return Fix(f"rename '{written}' to '{only}'", True, (Edit.replacing(span, only),))


def statement_end(statement) -> Span:
    if isinstance(statement, NestedBlock):
        return statement.body.close_span
    if isinstance(statement, Attribute):
        return statement.value_span
    return statement.span


def removal(previous_end: Span, duplicate: Attribute, comments) -> Fix | None:
    """Remove a repeated attribute with the space (and `;`) before it: from
    the end of the statement before it to the end of its value. None when a
    comment stands in that stretch (it would go too)."""
    start = (previous_end.end_line, previous_end.end_column)
    end = (duplicate.value_span.end_line, duplicate.value_span.end_column)
    index = bisect_left(comments, start, key=lambda comment: (comment.span.line, comment.span.column))
    if index < len(comments) and (comments[index].span.line, comments[index].span.column) < end:
        return None
    edit = Edit(*start, *end, "")
    return Fix(f"remove the repeated '{duplicate.key}'", True, (edit,))


def same_value(first, second) -> bool:
    """Whether two written values are the same, wherever they were written."""
    return _plain(first) == _plain(second)


def _plain(value):
    if isinstance(value, Reference):
        return ("reference", value.parts)
    if isinstance(value, Condition):
        return ("condition", value.subject.parts, value.op, value.value)
    if isinstance(value, list):
        return ("list", tuple(_plain(item) for item in value))
    return (type(value).__name__, value)
