"""Typed nodes of the agreement model.

The builder (sla_lang/syntax/build.py) fills the fields written in the file;
the workspace (workspace.py) fills the resolved links: a `Reference` field
such as `provider_ref` is what was written, and `provider` is the party it
names once references are resolved. Policy expressions see the fields of
SPEC §5.2 (listed in sla_lang/policy/model_view.py) and nothing else.

Every node knows its file and where it was written: `span` is its keyword
(what a finding about the whole node points at), `id_span` its id, and
`spans[field]` each attribute (`key: value`) as written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..plain import Identity
from ..source import Span
from ..values import Comparison, Condition, Duration, Percent, Reference, Schedule


class Node(Identity):
    __slots__ = ("file", "span", "spans")

    def __init__(self, file: str, span: Span, spans: dict[str, Span]) -> None:
        self.file = file
        self.span = span
        self.spans = spans

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
            from ..policy.model_view import format_value

            ident = format_value(self)
        return f"{type(self).__name__.lower()} '{ident}'"


class Party(Node):
    __slots__ = ("id", "id_span", "name", "role", "organization_ref", "internal", "contact", "organization")

    def __init__(self, file: str, span: Span, spans: dict, id: str, id_span: Span, name: str | None = None) -> None:
        super().__init__(file, span, spans)
        self.id = id
        self.id_span = id_span
        self.name: str | None = name
        self.role: str | None = None
        self.organization_ref: Reference | None = None
        self.internal: bool | None = None
        self.contact: str | None = None
        self.organization: Party | None = None  # resolved by the workspace


class Metric(Node):
    __slots__ = ("id", "id_span", "name", "unit", "better", "kind", "description", "builtin")

    def __init__(
        self,
        file: str,
        span: Span,
        spans: dict,
        id: str,
        id_span: Span | None,
        name: str | None = None,
        unit: str | None = None,
        better: str | None = None,
        builtin: bool = False,
    ) -> None:
        super().__init__(file, span, spans)
        self.id = id
        self.id_span = id_span
        self.name = name
        self.unit = unit
        self.better = better
        self.kind = "technical"
        self.description: str | None = None
        self.builtin = builtin


class Objective(Node):
    __slots__ = (
        "id", "id_span", "metric_ref", "target", "window", "percentile", "priority", "measurement", "agreed",
        "contribution", "service", "agreement", "metric",
    )  # fmt: skip

    def __init__(
        self, file: str, span: Span, spans: dict, id: str, id_span: Span, service: Service, agreement: Agreement
    ) -> None:
        super().__init__(file, span, spans)
        self.id = id
        self.id_span = id_span
        self.metric_ref: Reference | None = None
        self.target: Comparison | None = None
        self.window: Duration | None = None
        self.percentile: Decimal | None = None
        self.priority: str | None = None
        self.measurement: str | None = None
        self.agreed: datetime.date | bool | None = None
        self.contribution: str | None = None
        self.service = service
        self.agreement = agreement
        self.metric: Metric | None = None  # resolved by the workspace


class Service(Node):
    __slots__ = (
        "id", "id_span", "name", "description", "hours", "timezone", "objectives", "agreement", "own_supporters",
    )  # fmt: skip

    def __init__(
        self, file: str, span: Span, spans: dict, id: str, id_span: Span, name: str | None, agreement: Agreement
    ) -> None:
        super().__init__(file, span, spans)
        self.id = id
        self.id_span = id_span
        self.name = name
        self.description: str | None = None
        self.hours: Schedule | None = None
        self.timezone: str | None = None
        self.objectives: list[Objective] = []
        self.agreement = agreement
        self.own_supporters: list[Agreement] = []  # whose `supports` names this service; filled by the workspace

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


class Responsibility(Node):
    """`responsibilities PARTY { "..." }`: what one party undertakes."""

    __slots__ = ("party_ref", "items", "party")

    def __init__(self, file: str, span: Span, spans: dict, party_ref: Reference, items: list[str]) -> None:
        super().__init__(file, span, spans)
        self.party_ref = party_ref
        self.items = items
        self.party: Party | None = None  # resolved by the workspace


class Credit(Node):
    __slots__ = ("condition", "amount", "agreement", "objective")

    def __init__(self, file: str, span: Span, spans: dict, agreement: Agreement) -> None:
        super().__init__(file, span, spans)
        self.condition: Condition | None = None
        self.amount: Percent | None = None
        self.agreement = agreement
        self.objective: Objective | None = None  # resolved by the workspace

    @property
    def op(self) -> str | None:
        return self.condition.op if self.condition else None

    @property
    def threshold(self) -> object:
        return self.condition.value if self.condition else None


class Signature(Node):
    __slots__ = ("party_ref", "by", "title", "date", "version", "agreement", "party")

    def __init__(self, file: str, span: Span, spans: dict, party_ref: Reference, agreement: Agreement) -> None:
        super().__init__(file, span, spans)
        self.party_ref = party_ref
        self.by: str | None = None
        self.title: str | None = None
        self.date: datetime.date | None = None
        self.version: str | None = None
        self.agreement = agreement
        self.party: Party | None = None  # resolved by the workspace


class Agreement(Node):
    __slots__ = (
        "kind", "id", "id_span", "title", "provider_ref", "customer_ref", "version", "status", "effective",
        "expires", "review", "reporting", "overview", "supports_refs", "services", "responsibilities",
        "exclusions", "credits", "credit_cap", "signatures", "provider", "customer", "supports", "supported_by",
        "whole_supporters",
    )  # fmt: skip

    def __init__(
        self, file: str, span: Span, spans: dict, kind: str, id: str, id_span: Span, title: str | None = None
    ) -> None:
        super().__init__(file, span, spans)
        self.kind = kind  # sla | ola | contract
        self.id = id
        self.id_span = id_span
        self.title = title
        self.provider_ref: Reference | None = None
        self.customer_ref: Reference | None = None
        self.version: str | None = None
        self.status = "active"
        self.effective: datetime.date | None = None
        self.expires: datetime.date | None = None
        self.review: datetime.date | None = None
        self.reporting: Duration | None = None
        self.overview: str | None = None
        self.supports_refs: list[Reference] = []
        self.services: list[Service] = []
        self.responsibilities: list[Responsibility] = []
        self.exclusions: list[str] | None = None
        self.credits: list[Credit] = []
        self.credit_cap: Percent | None = None
        self.signatures: list[Signature] = []
        # Links filled by the workspace:
        self.provider: Party | None = None
        self.customer: Party | None = None
        self.supports: list[Agreement | Service] = []  # each once, in the order written
        self.supported_by: list[Agreement] = []  # whose `supports` names it or one of its services
        self.whole_supporters: list[Agreement] = []  # whose `supports` names it as a whole

    @property
    def label(self) -> str:
        """How messages name it: `SLA 'payments_gold'`, `contract 'cloud_uc'`."""
        kind = "contract" if self.kind == "contract" else self.kind.upper()
        return f"{kind} '{self.id}'"


Declaration = Party | Metric | Agreement


def anchor_of(node, field: str | None = None) -> str:
    """A line-independent name for a node (and one of its fields): the dotted
    path of ids from its declaration down, e.g. `payments_gold.payments_api.
    availability.target`. Ids of declarations share one namespace, so the path
    names one node; a node without an id is named by its parent and a key."""
    if isinstance(node, Agreement | Party | Metric):
        anchor = node.id
    elif isinstance(node, Service):
        anchor = f"{node.agreement.id}.{node.id}"
    elif isinstance(node, Objective):
        anchor = f"{node.agreement.id}.{node.service.id}.{node.id}"
    elif isinstance(node, Signature):
        anchor = f"{node.agreement.id}.approval.signature {node.party_ref}"
    elif isinstance(node, Credit):
        anchor = f"{node.agreement.id}.credits.credit {node.condition}"
    else:
        return ""
    return f"{anchor}.{field}" if field else anchor
