"""Typed nodes of the agreement model.

Each node's attributes and their defaults come from the schema
(model/schema/model.py): the builder (syntax/build.py) fills the fields
written in the file; the workspace (workspace.py) fills the resolved links: a
`Reference` field such as `provider_ref` is what was written, and `provider`
is the party it names once references are resolved. Policy expressions see
the fields the schema shows them (policy/model_view.py) and nothing else.

Every node knows its file and where it was written: `span` is its keyword
(what a finding about the whole node points at), `id_span` its id, and
`spans[field]` each attribute (`key: value`) as written.
"""

from __future__ import annotations

from ..slotted import Identity
from ..source import Span
from ..values import format_value
from .schema import NODES


def attributes(kind: str) -> tuple[str, ...]:
    """The attributes of a node of `kind`, as the schema lists them."""
    return tuple(NODES[kind].defaults())


class Node(Identity):
    __slots__ = ("file", "span", "spans")
    node_kind = ""
    anchor_template = ""  # see anchor_of()
    _constants: tuple[tuple[str, object], ...] = ()  # attribute -> its value until one is set
    _lists: tuple[str, ...] = ()  # attributes that start as a new empty list

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.node_kind:  # a base shared by several kinds
            return
        spec = NODES[cls.node_kind]
        defaults = spec.defaults()
        cls._constants = tuple((name, value) for name, value in defaults.items() if value is not list)
        cls._lists = tuple(name for name, value in defaults.items() if value is list)
        cls.anchor_template = spec.anchor

    def __init__(self, file: str, span: Span, spans: dict[str, Span], **values) -> None:
        self.file = file
        self.span = span
        self.spans = spans
        for name, value in self._constants:
            setattr(self, name, value)
        for name in self._lists:
            setattr(self, name, [])
        for name, value in values.items():
            setattr(self, name, value)

    def position(self, field_name: str | None = None) -> Span:
        """Where a finding about `field_name` (or about the node itself) points."""
        if field_name:
            return self.spans.get(field_name, self.span)
        return self.span

    @property
    def label(self) -> str:
        """How messages name the node: `party 'acme'`, `service 'api'` (agreements: `SLA 'gold'`)."""
        ident = getattr(self, "id", None)
        if ident is None:  # signatures, credits, responsibilities: named by what they are about
            ident = format_value(self)
        return f"{type(self).__name__.lower()} '{ident}'"


class Party(Node):
    node_kind = "party"
    __slots__ = attributes(node_kind)


class Metric(Node):
    node_kind = "metric"
    __slots__ = attributes(node_kind)


class Objective(Node):
    node_kind = "objective"
    __slots__ = attributes(node_kind)

    @property
    def attainment(self):
        """`attainment: 90%` is `percentile: 90`: packs may read either name."""
        return self.percentile


class Service(Node):
    node_kind = "service"
    __slots__ = attributes(node_kind)

    @property
    def supported_by(self) -> list[Agreement]:
        """The agreements whose `supports` names this service, then those that
        name its whole agreement. The latter are kept once, on the agreement:
        a copy in each service made a thousand one-line OLAs supporting an
        agreement of a thousand services a million links."""
        own, whole = self.own_supporters, self.agreement.whole_supporters
        if not own or not whole:
            return own or whole
        named = set(own)
        return own + [agreement for agreement in whole if agreement not in named]


class Maintenance(Node):
    """A service's `maintenance { window: ... }` block."""

    node_kind = "maintenance"
    __slots__ = attributes(node_kind)

    @property
    def shown_as(self) -> str:
        return f"maintenance {self.window}" if self.window is not None else "maintenance"


class Responsibility(Node):
    """`responsibilities PARTY { "..." }`: what one party undertakes."""

    node_kind = "responsibility"
    __slots__ = attributes(node_kind)

    @property
    def shown_as(self) -> str:
        return self.party_ref.parts[0]


class CreditBlock(Node):
    """`credits LABEL? { ... }`: a cap, a currency, a claim period and credits of one kind."""

    node_kind = "credit_block"
    __slots__ = attributes(node_kind)

    @property
    def key(self) -> str:
        """Its name in anchors: `credits`, or `credits power` for a labelled block."""
        return f"credits {self.label}" if self.label else "credits"

    @property
    def shown_as(self) -> str:
        return self.key


class Credit(Node):
    node_kind = "credit"
    __slots__ = attributes(node_kind)

    @property
    def key(self) -> str:
        """Its name in anchors: its block, objective, comparator and threshold,
        and its `consecutive` and `per` when written (two tiers differ in one of them)."""
        key = f"{self.block.key if self.block else 'credits'}.credit {self.condition}"
        if self.consecutive != 1:
            key += f" consecutive {format_value(self.consecutive)}"
        if self.per is not None:
            key += f" per {'started ' if self.per_started else ''}{self.per}"
        return key

    @property
    def op(self) -> str | None:
        return self.condition.op if self.condition else None

    @property
    def threshold(self) -> object:
        return self.condition.value if self.condition else None

    @property
    def shown_as(self) -> str:
        return str(self.condition) if self.condition else "credit"

    @property
    def shown_amount(self) -> str:
        """Its amount as written: `10%`, `2% per 1h`, `1% per started 0.1%`."""
        if self.per is None:
            return format_value(self.amount)
        return f"{format_value(self.amount)} per {'started ' if self.per_started else ''}{self.per}"


class _ConsentRecord(Node):
    """A signature or an acceptance: a party's consent to its agreement."""

    __slots__ = ()

    @property
    def kind(self) -> str:
        return self.node_kind

    @property
    def key(self) -> str:
        """Its name in anchors: kind and party, and its position among that
        party's records when it is not the first."""
        key = f"{self.node_kind} {self.party_ref}"
        return key if self.position == 1 else f"{key} {self.position}"

    @property
    def shown_as(self) -> str:
        return self.party_ref.parts[0]


class Signature(_ConsentRecord):
    node_kind = "signature"
    __slots__ = attributes(node_kind)


class Acceptance(_ConsentRecord):
    node_kind = "acceptance"
    __slots__ = attributes(node_kind)


class Slo(Node):
    """A service level objective that an objective's `slo` names, as read from
    its OpenSLO, Sloth or Pyrra file: `span` is where it is in that file."""

    node_kind = "slo"
    __slots__ = attributes(node_kind)

    @property
    def label(self) -> str:
        return f"SLO '{self.name}'"


class Agreement(Node):
    node_kind = "agreement"
    __slots__ = attributes(node_kind)

    @property
    def all_credits(self) -> list[Credit]:
        """The credits of all its credits blocks, block by block."""
        if len(self.credit_blocks) == 1:
            return self.credit_blocks[0].credits
        return [credit for block in self.credit_blocks for credit in block.credits]

    @property
    def label(self) -> str:
        """How messages name it: `SLA 'payments_gold'`, `contract 'cloud_uc'`."""
        kind = "contract" if self.kind == "contract" else self.kind.upper()
        return f"{kind} '{self.id}'"


Declaration = Party | Metric | Agreement


class _Fields:
    """A node's fields by name, for str.format_map."""

    __slots__ = ("node",)

    def __init__(self, node) -> None:
        self.node = node

    def __getitem__(self, name: str):
        return getattr(self.node, name)


def anchor_of(node, field: str | None = None) -> str:
    """A line-independent name for a node (and one of its fields): the dotted
    path of ids from its declaration down, e.g. `payments_gold.payments_api.
    availability.target`. Ids of declarations share one namespace, so the path
    names one node; a node without an id is named by its parent and a key."""
    template = getattr(node, "anchor_template", "")
    if not template:
        return ""
    anchor = template.format_map(_Fields(node))
    return f"{anchor}.{field}" if field else anchor
