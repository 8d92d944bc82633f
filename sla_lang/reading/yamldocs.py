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


class YamlScalar:
    __slots__ = ("text", "plain", "line", "column")

    def __init__(self, text: str, plain: bool, line: int, column: int) -> None:
        self.text = text
        self.plain = plain  # written without quotes: `99.9`, not `"99.9"`
        self.line = line
        self.column = column


class YamlList:
    __slots__ = ("items", "line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.items: list = []
        self.line = line
        self.column = column


class YamlMap:
    """A mapping with scalar keys, in the order written; `keys` holds where each key is."""

    __slots__ = ("values", "keys", "line", "column")

    def __init__(self, line: int, column: int) -> None:
        self.values: dict[str, object] = {}
        self.keys: dict[str, YamlScalar] = {}
        self.line = line
        self.column = column

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def _events(text: str):
    try:
        import yaml

        parser = yaml.CSafeLoader  # only when PyYAML was built with libyaml
    except (ImportError, AttributeError):
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).parse(text)
    return yaml.parse(text, Loader=parser)


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
    tree = _Tree(path, max_nodes)
    document_start = 0
    for event in events:
        name = type(event).__name__
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if name == "ScalarEvent":
            node = YamlScalar(event.value, not event.style, line, column)
            tree.add(node, 1, line, column)
            if event.anchor:
                tree.anchors[event.anchor] = (node, 1)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            node = YamlMap(line, column) if name == "MappingStartEvent" else YamlList(line, column)
            tree.stack.append([node, None, event.anchor, 1])
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            node, _, anchor, size = tree.stack.pop()
            tree.count -= size - 1  # its contents are counted: counted again as a whole just below
            tree.add(node, size, line, column)
            if anchor:
                tree.anchors[anchor] = (node, size)
        elif name == "AliasEvent":
            if event.anchor not in tree.anchors:
                raise YamlError(f"the alias *{event.anchor[:40]} names no anchor before it", path, line, column)
            node, size = tree.anchors[event.anchor]
            tree.add(node, size, line, column)
        elif name == "DocumentStartEvent":
            document_start = len(tree.documents)
        elif name == "DocumentEndEvent" and len(tree.documents) == document_start:
            tree.documents.append(None)  # `---` with nothing after it
    return tree.documents


class _Tree:
    """The documents built so far, the lists and mappings still open (each with
    the key waiting for its value, its anchor and the nodes inside it), the
    anchors seen, and the nodes counted, aliases as what they repeat."""

    def __init__(self, path: str, max_nodes: int) -> None:
        self.path = path
        self.max_nodes = max_nodes
        self.documents: list = []
        self.stack: list = []
        self.anchors: dict[str, tuple[object, int]] = {}
        self.count = 0

    def add(self, node, size: int, line: int, column: int) -> None:
        path = self.path
        self.count += size
        if self.count > self.max_nodes:
            raise YamlError(
                f"more than {self.max_nodes:,} values, lists and mappings, aliases counted as what they repeat: "
                + _TOO_MANY,
                path,
                line,
                column,
            )
        if not self.stack:
            self.documents.append(node)
            return
        parent = self.stack[-1]
        parent[3] += size
        if isinstance(parent[0], YamlList):
            parent[0].items.append(node)
        elif parent[1] is None:
            if not isinstance(node, YamlScalar):
                raise YamlError("a mapping key must be a plain value, not a list or mapping", path, line, column)
            if node.text in parent[0].values:
                raise YamlError(f"duplicate key: {node.text[:40]}", path, line, column)
            parent[1] = node
        else:
            key = parent[1]
            parent[0].values[key.text] = node
            parent[0].keys[key.text] = key
            parent[1] = None
