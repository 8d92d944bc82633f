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
from dataclasses import dataclass, field
from decimal import Decimal

from ..source import Span
from ..values import Comparison, Condition, Duration, Percent, Reference, Schedule


@dataclass(eq=False, slots=True)
class Node:
    file: str
    span: Span
    spans: dict[str, Span]

    def position(self, field_name: str | None = None) -> Span:
        """Where a finding about `field_name` (or about the node itself) points."""
        if field_name:
            return self.spans.get(field_name, self.span)
        return self.span


@dataclass(eq=False, slots=True)
class Party(Node):
    id: str
    id_span: Span
    name: str | None = None
    role: str | None = None
    organization_ref: Reference | None = None
    internal: bool | None = None
    contact: str | None = None
    organization: Party | None = None


@dataclass(eq=False, slots=True)
class Metric(Node):
    id: str
    id_span: Span | None
    name: str | None = None
    unit: str | None = None
    better: str | None = None
    kind: str = "technical"
    description: str | None = None
    builtin: bool = False


@dataclass(eq=False, slots=True)
class Objective(Node):
    id: str
    id_span: Span
    metric_ref: Reference | None = None
    target: Comparison | None = None
    window: Duration | None = None
    percentile: Decimal | None = None
    priority: str | None = None
    measurement: str | None = None
    agreed: datetime.date | bool | None = None
    contribution: str | None = None
    # Links filled by the builder and the workspace:
    service: Service | None = None
    agreement: Agreement | None = None
    metric: Metric | None = None


@dataclass(eq=False, slots=True)
class Service(Node):
    id: str
    id_span: Span
    name: str | None = None
    description: str | None = None
    hours: Schedule | None = None
    timezone: str | None = None
    objectives: list[Objective] = field(default_factory=list)
    agreement: Agreement | None = None
    supported_by: list[Agreement] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Responsibility(Node):
    """`responsibilities PARTY { "..." }`: what one party undertakes."""

    party_ref: Reference
    items: list[str] = field(default_factory=list)
    party: Party | None = None


@dataclass(eq=False, slots=True)
class Credit(Node):
    condition: Condition | None = None
    amount: Percent | None = None
    agreement: Agreement | None = None
    objective: Objective | None = None

    @property
    def op(self) -> str | None:
        return self.condition.op if self.condition else None

    @property
    def threshold(self) -> object:
        return self.condition.value if self.condition else None


@dataclass(eq=False, slots=True)
class Signature(Node):
    party_ref: Reference
    by: str | None = None
    title: str | None = None
    date: datetime.date | None = None
    version: str | None = None
    agreement: Agreement | None = None
    party: Party | None = None


@dataclass(eq=False, slots=True)
class Agreement(Node):
    kind: str  # sla | ola | contract
    id: str
    id_span: Span
    title: str | None = None
    provider_ref: Reference | None = None
    customer_ref: Reference | None = None
    version: str | None = None
    status: str = "active"
    effective: datetime.date | None = None
    expires: datetime.date | None = None
    review: datetime.date | None = None
    reporting: Duration | None = None
    overview: str | None = None
    supports_refs: list[Reference] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    exclusions: list[str] | None = None
    credits: list[Credit] = field(default_factory=list)
    credit_cap: Percent | None = None
    signatures: list[Signature] = field(default_factory=list)
    # Links filled by the workspace:
    provider: Party | None = None
    customer: Party | None = None
    supports: list[Agreement | Service] = field(default_factory=list)
    supported_by: list[Agreement] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How messages name it: `SLA 'payments_gold'`, `contract 'cloud_uc'`."""
        kind = "contract" if self.kind == "contract" else self.kind.upper()
        return f"{kind} '{self.id}'"


Declaration = Party | Metric | Agreement


def anchor_of(node) -> str:
    """A line-independent name for where a node is (baselines, fingerprints)."""
    if isinstance(node, Agreement):
        return f"{node.kind}:{node.id}"
    if isinstance(node, Service):
        return f"{anchor_of(node.agreement)}/service:{node.id}"
    if isinstance(node, Objective):
        return f"{anchor_of(node.service)}/objective:{node.id}"
    if isinstance(node, Party):
        return f"party:{node.id}"
    if isinstance(node, Metric):
        return f"metric:{node.id}"
    if isinstance(node, Signature):
        return f"{anchor_of(node.agreement)}/signature:{node.party_ref}"
    if isinstance(node, Credit):
        return f"{anchor_of(node.agreement)}/credit:{node.condition}"
    return ""
