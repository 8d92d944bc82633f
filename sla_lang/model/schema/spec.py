"""The shapes the schema is written in: a block of the language (BlockSpec)
with its attributes (FieldSpec) and nested blocks (Nested), and a node of the
model (NodeSpec) with the fields that are not written as attributes (Link).
"""

from __future__ import annotations

from ...slotted import Plain
from .kinds import TARGETS, VALUE_KINDS

REQUIRED = "required"  # SL004 when absent
OPTIONAL = "optional"


def recommended(rule: str) -> str:
    """A field the language does not require and `rule` asks for: `recommended (SL507)`."""
    return f"recommended ({rule})"


class FieldSpec(Plain):
    """One attribute, `key: value`: its value kind, how present it must be, an
    example (SL004 says `add {example}`), and what it means.

    The builder stores the value in the node attribute `attr` (`provider_ref`
    for a reference; the workspace resolves it into `resolved`, `provider`);
    `seen` is what packs see of it: name -> type (model_view.py)."""

    __slots__ = (
        "key", "kind", "example", "meaning", "presence", "choices", "target", "attr", "resolved", "default", "seen",
        "unless", "home",
    )  # fmt: skip

    def __init__(
        self,
        key: str,
        kind: str,
        example: str,
        meaning: str = "",
        presence: str = OPTIONAL,
        *,
        choices: tuple[str, ...] = (),
        target: str = "",
        attr: str | None = None,
        resolved: str | None = None,
        default: object = None,
        seen: dict[str, str] | None = None,
        unless: tuple[str, str] | None = None,
        home: str | None = None,
    ) -> None:
        if kind not in VALUE_KINDS:
            raise ValueError(f"field '{key}': unknown value kind '{kind}'")
        self.key = key
        self.kind = kind
        self.example = example
        self.meaning = meaning
        self.choices = choices
        self.target = target  # what a reference names: a key of kinds.TARGETS
        reference = kind in ("reference", "references")
        self.attr = attr or (f"{key}_refs" if kind == "references" else f"{key}_ref" if reference else key)
        self.resolved = resolved or (key if reference else None)
        listed = kind in ("references", "strings", "holidays")
        self.default = list if listed and default is None else default  # `list`: a new empty list for each node
        if seen is None:
            seen = {self.resolved or self.attr: VALUE_KINDS[kind].seen_as.format(target=target)}
        self.seen = seen
        self.unless = unless  # (key, value): required unless that field has that value
        if unless and presence == OPTIONAL:
            presence = f"required unless `{unless[0]}: {unless[1]}`"
        self.presence = presence
        self.home = home  # where the key belongs, for a hint, when it is valid in many blocks

    @property
    def required(self) -> bool:
        return self.presence == REQUIRED

    def expected(self, kind: str | None = None) -> str:
        """What a valid value (of `kind`: for an element of a list) is, in an SL003 message's words."""
        return VALUE_KINDS[kind or self.kind].expected.format(
            choices=", ".join(self.choices), target=TARGETS.get(self.target, "a declaration")
        )


class Nested(Plain):
    """A nested block that a block may hold: `service ... { }` in an agreement.
    `attr` is the node attribute its contents go to, `seen` their type for
    packs; `written` makes written(attr) ask whether the block is there."""

    __slots__ = ("name", "presence", "meaning", "once", "required", "attr", "default", "seen", "written", "example")

    def __init__(
        self,
        name: str,
        presence: str,
        meaning: str,
        *,
        once: bool = False,
        required: bool = False,
        attr: str | None = None,
        default: object = list,
        seen: str | None = None,
        written: bool = False,
        example: str = "",
    ) -> None:
        self.name = name
        self.presence = presence
        self.meaning = meaning
        self.once = once  # a second one is SL005
        self.required = required  # none is SL004
        self.attr = attr
        self.default = default
        self.seen = seen
        self.written = written
        self.example = example  # what SL002 shows when the block is written as an attribute


_LABEL_SHAPES = {"id+name": ' ID "Name"?', "id": " ID", "party": " PARTY", "label": " LABEL?", "": ""}


class BlockSpec(Plain):
    """A block of the language: its labels, the attributes and nested blocks it
    may hold, and where it may appear.

    `labels`: "id+name" (`service ID "Name"?`), "id", "party" (an id naming a
    party), "label" (an optional id) or "" (none). `shape` is how a message shows it (`write ...`),
    `home` where it belongs ("X belongs in Y"), `section` its heading in
    docs/language.md."""

    __slots__ = ("name", "noun", "labels", "shape", "home", "section", "fields", "nested", "items")

    def __init__(
        self,
        name: str,
        noun: str,
        *,
        labels: str = "",
        shape: str = "",
        home: str | None = None,
        section: str = "",
        fields: tuple[FieldSpec, ...] = (),
        nested: tuple[Nested, ...] = (),
        items: bool = False,
    ) -> None:
        self.name = name
        self.noun = noun  # how messages name it: "objective", "credits block"
        self.labels = labels
        self.shape = shape
        self.home = home
        self.section = section or name
        self.fields = {field.key: field for field in fields}
        self.nested = {block.name: block for block in nested}
        self.items = items  # bare strings allowed (list blocks)

    @property
    def blocks(self) -> tuple[str, ...]:
        return tuple(self.nested)

    @property
    def doc_shape(self) -> str:
        """How the docs write it: `service ID "Name"? { ... }`."""
        return f"{self.name}{_LABEL_SHAPES[self.labels]} {{ ... }}"


class Link(Plain):
    """A field of a node that is not written as an attribute: its id or a label,
    its parent, a link the workspace fills in. `seen` is its type for packs
    (None: packs do not see it); `slot=False` for one a property computes;
    `label=True` for one written as a label (written() is true when it is set);
    `written` for one that stands for what the file writes under that key."""

    __slots__ = ("name", "seen", "meaning", "default", "slot", "label", "written")

    def __init__(
        self,
        name: str,
        seen: str | None = None,
        meaning: str = "",
        *,
        default=None,
        slot=True,
        label=False,
        written: str | None = None,
    ) -> None:
        self.name = name
        self.seen = seen
        self.meaning = meaning
        self.default = default
        self.slot = slot
        self.label = label
        self.written = written


class NodeSpec(Plain):
    """A node of the model: the links it starts with (`head`: id, labels), the
    blocks whose attributes it holds, the links after them (`tail`), and its
    anchor, the line-independent name of a finding about it (a str.format
    template over the node's fields: `{agreement.id}.{id}`)."""

    __slots__ = ("kind", "blocks", "head", "tail", "anchor")

    def __init__(
        self,
        kind: str,
        blocks: tuple[BlockSpec, ...] = (),
        head: tuple[Link, ...] = (),
        tail: tuple[Link, ...] = (),
        anchor: str = "",
    ) -> None:
        self.kind = kind
        self.blocks = blocks
        self.head = head
        self.tail = tail
        self.anchor = anchor

    def _parts(self):
        """(attribute or None, its default, what packs see of it) for each part of
        the node, in order: head links, the blocks' fields (a reference's resolved
        link after it) and nested blocks, tail links."""
        for link in self.head:
            yield link.name if link.slot else None, link.default, {link.name: link.seen} if link.seen else {}
        for block in self.blocks:
            for field in block.fields.values():
                yield field.attr, field.default, field.seen
                if field.resolved:
                    yield field.resolved, list if field.kind == "references" else None, {}
            for nested in block.nested.values():
                yield nested.attr, nested.default, {nested.attr: nested.seen} if nested.seen else {}
        for link in self.tail:
            yield link.name if link.slot else None, link.default, {link.name: link.seen} if link.seen else {}

    def defaults(self) -> dict[str, object]:
        """Every attribute of the node, in order, and its value until the builder
        or the workspace sets it (`list` stands for a new empty list)."""
        found: dict[str, object] = {}
        for attribute, default, _ in self._parts():
            if attribute:
                found.setdefault(attribute, default)
        return found

    def seen(self) -> dict[str, str]:
        """What packs see of the node: field name -> type."""
        seen: dict[str, str] = {}
        for _, _, shown in self._parts():
            for name, type_ in shown.items():
                seen.setdefault(name, type_)
        return seen

    def written_as(self) -> dict[str, str]:
        """The fields written() asks for: field name -> the key written in the file."""
        written = {link.name: link.name for link in self.head if link.label and link.seen}
        for block in self.blocks:
            for field in block.fields.values():
                written.update(dict.fromkeys(field.seen, field.key))
            written.update({nested.attr: nested.name for nested in block.nested.values() if nested.written})
        written.update({link.name: link.written for link in self.tail if link.written})
        return written

    def labelled(self) -> tuple[str, ...]:
        """The fields written as a label, which count as written when they have a value."""
        return tuple(link.name for link in self.head if link.label and link.seen)
