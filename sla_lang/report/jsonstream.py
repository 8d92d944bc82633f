"""JSON reports written as they are made: the document around a long list
(SARIF's results, the JSON report's findings, GitLab's issues) is encoded
once, and the list item by item."""

from __future__ import annotations

import json
import os
from json.encoder import encode_basestring


def write_json(out, document, items) -> None:
    """Write `document` as json.dumps(document, indent=2, ensure_ascii=False)
    would, where the value STREAMED stands for the list `items`: each item is
    encoded and written in turn, so the list is never one string (nor one
    list of dicts)."""
    marker = f"slalint-streamed-{os.urandom(16).hex()}"  # nothing in the document can equal it

    def streamed(value):
        if value is not STREAMED:
            raise TypeError(f"{type(value).__name__} is not JSON serialisable")
        return marker

    text = json.dumps(document, indent=2, ensure_ascii=False, default=streamed)
    head, _, tail = text.partition(json.dumps(marker))
    last_line = head.rpartition("\n")[2]
    outer = " " * (len(last_line) - len(last_line.lstrip(" ")))
    inner = outer + "  "
    out.write(head)
    separator = "["
    for item in items:
        out.write(f"{separator}\n{inner}{_indented(item, inner)}")
        separator = ","
    out.write("[]" if separator == "[" else f"\n{outer}]")
    out.write(tail + "\n")


def _indented(value, indent: str) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) for a value written at
    `indent`. Not json.dumps itself: with an indent it makes new closures that
    refer to each other on every call, garbage only the cyclic collector
    frees, and a check runs without it (see __main__.py), so memory would grow
    with every finding."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if kind is dict and value:
        inner = indent + "  "
        members = [f"{inner}{encode_basestring(key)}: {_indented(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(members) + f"\n{indent}}}"
    if kind is list and value:
        inner = indent + "  "
        return "[\n" + ",\n".join([inner + _indented(item, inner) for item in value]) + f"\n{indent}]"
    return json.dumps(value)  # None, booleans, floats, {} and []


class _Streamed:
    """The place of the streamed list in a document given to write_json."""


STREAMED = _Streamed()
