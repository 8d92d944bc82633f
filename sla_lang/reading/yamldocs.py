"""Untrusted YAML data files of several documents (SLO files): every document
as a light tree whose scalars keep the text they were written with, so that
`0.999` stays the exact decimal it says, never a binary float.

The events pass through the same checks as packs and config
(yamlfile.checked_events: no tags, nesting bounded) before anything is
built, and the tree is built from them here without recursion. Unlike packs,
these files are written by other tools, which share blocks with anchors:
aliases are allowed, but what they expand to counts against MAX_NODES with
the rest, so an alias bomb stops at its first alias too many.

libyaml's parser (through PyYAML) is used when it is there: a workspace may
name thousands of SLO files, and it is twenty times quicker than ruamel's
pure-Python parser, which is used otherwise.
"""

from __future__ import annotations

from .yamlfile import YamlError, checked_events

# Values, lists and mappings in one file, aliases counted as what they expand to:
# a file of a hundred SLOs has a few thousand.
MAX_NODES = 100_000


class _Node:
    """Where a node was written: its mark is kept, and read only when a message needs it."""

    __slots__ = ("mark",)

    @property
    def line(self) -> int:
        return self.mark.line + 1

    @property
    def column(self) -> int:
        return self.mark.column + 1


class YamlScalar(_Node):
    __slots__ = ("text", "plain")

    def __init__(self, text: str, plain: bool, mark) -> None:
        self.text = text
        self.plain = plain  # written without quotes: `99.9`, not `"99.9"`
        self.mark = mark


class YamlList(_Node):
    __slots__ = ("items",)

    def __init__(self, mark) -> None:
        self.items: list = []
        self.mark = mark


class YamlMap(_Node):
    """A mapping with plain keys, in the order written."""

    __slots__ = ("values",)

    def __init__(self, mark) -> None:
        self.values: dict[str, object] = {}
        self.mark = mark

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def _events(text: str):
    try:
        import yaml

        parser = yaml.CSafeLoader  # only when PyYAML was built with libyaml
    except (ImportError, AttributeError):
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).parse(text)
    return iter(parser(text).get_event, None)  # libyaml's events, with no generator in between


def load_documents(text: str, path: str, max_nodes: int = MAX_NODES) -> list:
    """Every document of `text`, as YamlMap, YamlList or YamlScalar trees (None for an empty one)."""
    try:
        return _compose(checked_events(_events(text), path, max_nodes, _TOO_MANY, aliases=True), path, max_nodes)
    except YamlError:
        raise
    except Exception as error:  # ruamel's and PyYAML's errors, with their marks
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or getattr(error, "context", None) or "not valid"
        if mark is None and hasattr(error, "reason"):  # a character YAML does not allow
            problem = error.reason
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise YamlError(f"invalid YAML: {str(problem).strip()}", path, line, column) from None


_TOO_MANY = "far more than an SLO file holds"


def _compose(events, path: str, max_nodes: int) -> list:
    """The documents the events build. A value, list or mapping counts as one
    node, once it is complete; an alias as the nodes it repeats. The first
    event that takes the count past `max_nodes` is refused."""
    documents: list = []
    # The lists and mappings still open: [the node, the key waiting for its value,
    # its anchor, the nodes counted before it].
    open_nodes: list = []
    anchors: dict[str, tuple[object, int]] = {}
    count = 0
    document_start = 0
    for event in events:
        name = type(event).__name__
        if name == "ScalarEvent":
            count += 1
            top = open_nodes[-1] if open_nodes else None
            if top is not None and top[1] is None and type(top[0]) is YamlMap and not event.anchor:
                # A key: only its text is kept (half the values of a file are keys).
                if count > max_nodes:
                    raise _too_many(max_nodes, path, event)
                top[1] = _new_key(top[0], event.value, path, event)
                continue
            node = YamlScalar(event.value, not event.style, event.start_mark)
            if event.anchor:
                anchors[event.anchor] = (node, 1)
        elif name == "MappingStartEvent":
            open_nodes.append([YamlMap(event.start_mark), None, event.anchor, count])
            continue
        elif name == "SequenceStartEvent":
            open_nodes.append([YamlList(event.start_mark), None, event.anchor, count])
            continue
        elif name == "MappingEndEvent" or name == "SequenceEndEvent":
            node, _, anchor, before = open_nodes.pop()
            count += 1
            if anchor:
                anchors[anchor] = (node, count - before)
        elif name == "AliasEvent":
            if event.anchor not in anchors:
                raise _error(f"the alias *{event.anchor[:40]} names no anchor before it", path, event)
            node, size = anchors[event.anchor]
            count += size
        else:
            if name == "DocumentStartEvent":
                document_start = len(documents)
            elif name == "DocumentEndEvent" and len(documents) == document_start:
                documents.append(None)  # `---` with nothing after it
            continue
        if count > max_nodes:
            raise _too_many(max_nodes, path, event)
        if open_nodes:
            _place(node, open_nodes[-1], path, event)
        else:
            documents.append(node)
    return documents


def _place(node, parent: list, path: str, event) -> None:
    """`node` into the list or mapping still open in `parent` (as its value, or as the key that waits for one)."""
    container = parent[0]
    if type(container) is YamlList:
        container.items.append(node)
    elif parent[1] is None:
        if type(node) is not YamlScalar:
            raise _error("a mapping key must be a plain value, not a list or mapping", path, event)
        parent[1] = _new_key(container, node.text, path, event)
    else:
        container.values[parent[1]] = node
        parent[1] = None


def _new_key(mapping: YamlMap, key: str, path: str, event) -> str:
    if key in mapping.values:
        raise _error(f"duplicate key: {key[:40]}", path, event)
    return key


def _too_many(max_nodes: int, path: str, event) -> YamlError:
    what = "values, lists and mappings, aliases counted as what they repeat"
    return _error(f"more than {max_nodes:,} {what}: {_TOO_MANY}", path, event)


def _error(message: str, path: str, event) -> YamlError:
    return YamlError(message, path, event.start_mark.line + 1, event.start_mark.column + 1)
