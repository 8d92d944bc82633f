"""Which fields and nested blocks are valid where (SPEC §2.3).

The grammar is generic; this table is the one place that says what a party,
an agreement or an objective may contain, what type each field has and
whether it is required. The builder reads it to report unknown (SL002),
invalid (SL003), missing (SL004) and duplicated (SL005) fields.
"""

from __future__ import annotations

from ..plain import Plain

ROLES = ("customer", "provider", "team", "supplier")
STATUSES = ("draft", "active", "retired")
METRIC_UNITS = ("percent", "duration", "number")
DIRECTIONS = ("higher", "lower")
METRIC_KINDS = ("technical", "business")
AGREEMENT_KINDS = ("sla", "ola", "contract")
DECLARATION_KINDS = ("party", "metric", *AGREEMENT_KINDS)


class FieldSpec(Plain):
    """One attribute: its value type, whether it is required, and an example for messages."""

    __slots__ = ("type", "example", "required", "choices", "attr")

    def __init__(
        self, type: str, example: str, required: bool = False, choices: tuple[str, ...] = (), attr: str | None = None
    ) -> None:
        self.type = type
        self.example = example
        self.required = required
        self.choices = choices
        self.attr = attr  # the node attribute, when it differs from the key


class BlockSpec(Plain):
    __slots__ = ("noun", "fields", "blocks", "single_blocks", "items")

    def __init__(
        self,
        noun: str,
        fields: dict[str, FieldSpec] | None = None,
        blocks: tuple[str, ...] = (),
        single_blocks: tuple[str, ...] = (),
        items: bool = False,
    ) -> None:
        self.noun = noun  # how messages name the block: "objective", "credits block"
        self.fields = fields or {}
        self.blocks = blocks  # nested blocks allowed here
        self.single_blocks = single_blocks  # of those, the ones allowed at most once
        self.items = items  # bare strings allowed (list blocks)


# What each value type accepts, in the words an SL003 message uses.
TYPE_DESCRIPTIONS = {
    "string": 'a string in double quotes, e.g. "Jane Doe"',
    "number": "a number, e.g. 99",
    "percent": "a percent, e.g. 99.9%",
    "duration": "a duration, e.g. 30d or 1mo (units ms, s, min, h, d, w, mo, q, y)",
    "date": "a date, e.g. 2026-01-01",
    "boolean": "yes or no",
    "enum": "one of {choices}",
    "identifier": "a name, e.g. P1",
    "reference": "a reference to {target}",
    "references": "a reference or a list of references to {target}",
    "comparison": "a comparison, e.g. >= 99.95% or <= 300ms",
    "condition": "a condition on an objective, e.g. payments_api.availability < 99.9%",
    "schedule": "service hours: 24x7, or days and times such as mon-fri 08:00-18:00, sat 09:00-13:00",
    "date_or_boolean": "a date (when it was agreed) or yes/no",
    "timezone": 'an IANA timezone name in quotes, e.g. "Europe/Berlin"',
    "percentile": "a percentile: a number above 0 and up to 100, e.g. 99",
}

PARTY = BlockSpec(
    "party",
    fields={
        "role": FieldSpec("enum", "role: customer", required=True, choices=ROLES),
        "name": FieldSpec("string", 'name: "Acme Retail Ltd"'),
        "organization": FieldSpec("reference", "organization: it_org", attr="organization_ref"),
        "internal": FieldSpec("boolean", "internal: yes"),
        "contact": FieldSpec("string", 'contact: "sla-desk@example.com"'),
    },
)

METRIC = BlockSpec(
    "metric",
    fields={
        "unit": FieldSpec("enum", "unit: percent", required=True, choices=METRIC_UNITS),
        "better": FieldSpec("enum", "better: higher", required=True, choices=DIRECTIONS),
        "kind": FieldSpec("enum", "kind: business", choices=METRIC_KINDS),
        "description": FieldSpec("string", 'description: "..."'),
    },
)

AGREEMENT = BlockSpec(
    "agreement",
    fields={
        "provider": FieldSpec("reference", "provider: it_org", required=True, attr="provider_ref"),
        "customer": FieldSpec("reference", "customer: acme", required=True, attr="customer_ref"),
        "version": FieldSpec("string", 'version: "1.0"', required=True),
        "status": FieldSpec("enum", "status: active", choices=STATUSES),
        "effective": FieldSpec("date", "effective: 2026-01-01"),  # required unless draft: see build.py
        "expires": FieldSpec("date", "expires: 2026-12-31"),
        "review": FieldSpec("date", "review: 2026-06-30"),
        "reporting": FieldSpec("duration", "reporting: 1mo"),
        "overview": FieldSpec("string", 'overview: "..."'),
        "supports": FieldSpec("references", "supports: payments_gold.payments_api", attr="supports_refs"),
    },
    blocks=("service", "responsibilities", "exclusions", "credits", "approval"),
    single_blocks=("exclusions", "credits", "approval"),
)

SERVICE = BlockSpec(
    "service",
    fields={
        "description": FieldSpec("string", 'description: "..."'),
        "hours": FieldSpec("schedule", "hours: 24x7"),
        "timezone": FieldSpec("timezone", 'timezone: "Europe/Berlin"'),
    },
    blocks=("objective",),
)

OBJECTIVE = BlockSpec(
    "objective",
    fields={
        "metric": FieldSpec("reference", "metric: availability", attr="metric_ref"),
        "target": FieldSpec("comparison", "target: >= 99.9%", required=True),
        "window": FieldSpec("duration", "window: 30d"),
        "percentile": FieldSpec("percentile", "percentile: 99"),
        "priority": FieldSpec("identifier", "priority: P1"),
        "measurement": FieldSpec("string", 'measurement: "Synthetic probe every 60 s"'),
        "agreed": FieldSpec("date_or_boolean", "agreed: 2026-01-01"),
        "contribution": FieldSpec("string", 'contribution: "..."'),
    },
)

RESPONSIBILITIES = BlockSpec("responsibilities block", items=True)
EXCLUSIONS = BlockSpec("exclusions block", items=True)

CREDITS = BlockSpec(
    "credits block",
    fields={"cap": FieldSpec("percent", "cap: 50%", attr="credit_cap")},
    blocks=("credit",),
)

CREDIT = BlockSpec(
    "credit",
    fields={
        "when": FieldSpec("condition", "when: payments_api.availability < 99.9%", required=True, attr="condition"),
        "amount": FieldSpec("percent", "amount: 10%", required=True),
    },
)

APPROVAL = BlockSpec("approval block", blocks=("signature",))

SIGNATURE = BlockSpec(
    "signature",
    fields={
        "by": FieldSpec("string", 'by: "Jane Doe"', required=True),
        "title": FieldSpec("string", 'title: "CIO"'),
        "date": FieldSpec("date", "date: 2026-01-01", required=True),
        "version": FieldSpec("string", 'version: "1.0"'),
    },
)

NESTED_BLOCKS: dict[str, BlockSpec] = {
    "service": SERVICE,
    "objective": OBJECTIVE,
    "responsibilities": RESPONSIBILITIES,
    "exclusions": EXCLUSIONS,
    "credits": CREDITS,
    "credit": CREDIT,
    "approval": APPROVAL,
    "signature": SIGNATURE,
}
