"""The agreement language, block by block: every attribute with its
value kind, presence, example and meaning, every nested block, and where each
block may appear. The builder validates files against it, the nodes take
their attributes from it, packs see the model it describes, and the field
tables of docs/language.md are generated from it.
"""

from __future__ import annotations

from .spec import OPTIONAL, REQUIRED, BlockSpec, FieldSpec, Nested, recommended

ROLES = ("customer", "provider", "team", "supplier")
STATUSES = ("draft", "active", "retired")
METRIC_UNITS = ("percent", "duration", "number")
DIRECTIONS = ("higher", "lower")
METRIC_KINDS = ("technical", "business")
CONSENT_METHODS = ("order", "terms", "governance", "email")
# The metrics every workspace has without a declaration: id, unit, better.
BUILTIN_METRICS = (
    ("availability", "percent", "higher"),
    ("durability", "percent", "higher"),
    ("error_rate", "percent", "lower"),
    ("latency", "duration", "lower"),
    ("response_time", "duration", "lower"),
    ("resolution_time", "duration", "lower"),
    ("rpo", "duration", "lower"),
    ("rto", "duration", "lower"),
    ("throughput", "number", "higher"),
)

# Every declaration, service and objective may carry these: they
# mean nothing to the built-in rules, and packs see them.
_METADATA_HOME = "a declaration, a service or an objective"
METADATA = (
    FieldSpec("owner", "string", 'owner: "Service desk"', "who looks after it", home=_METADATA_HOME),
    FieldSpec("tags", "strings", 'tags: ["payments", "tier-1"]', "words to find and select it by", home=_METADATA_HOME),
    FieldSpec(
        "links",
        "strings",
        'links: ["https://wiki.example/payments"]',
        "where to read more, e.g. a ticket or document URL",
        home=_METADATA_HOME,
    ),
)

PARTY = BlockSpec(
    "party",
    "party",
    labels="id+name",
    fields=(
        FieldSpec(
            "role",
            "enum",
            "role: customer",
            "`provider`: the organisation that provides the services; `team`: an internal group of the provider; "
            "`customer`: receives services (may be an internal business unit); `supplier`: a third party that "
            "supplies the provider",
            REQUIRED,
            choices=ROLES,
        ),
        FieldSpec(
            "name",
            "string",
            'name: "Acme Retail Ltd"',
            "the display name; defaults to the declaration's display name, and overrides it when both are given",
        ),
        FieldSpec(
            "organization",
            "reference",
            "organization: it_org",
            "for a `team`: the provider it belongs to",
            target="party",
        ),
        FieldSpec(
            "internal", "boolean", "internal: yes", "for a `customer`: `yes` when it is an internal business unit"
        ),
        FieldSpec("contact", "string", 'contact: "sla-desk@example.com"', "how to reach the party"),
        *METADATA,
    ),
)

METRIC = BlockSpec(
    "metric",
    "metric",
    labels="id+name",
    fields=(
        FieldSpec(
            "unit",
            "enum",
            "unit: percent",
            "what a target on this metric is written as",
            REQUIRED,
            choices=METRIC_UNITS,
        ),
        FieldSpec("better", "enum", "better: higher", "which direction is good", REQUIRED, choices=DIRECTIONS),
        FieldSpec(
            "kind",
            "enum",
            "kind: business",
            "default `technical`; `business` marks a business KPI",
            choices=METRIC_KINDS,
            default="technical",
        ),
        FieldSpec("description", "string", 'description: "..."', "what the metric measures"),
        *METADATA,
    ),
)

AGREEMENT = BlockSpec(
    "agreement",
    "agreement",
    labels="id+name",
    section="sla-ola-contract",
    fields=(
        FieldSpec("provider", "reference", "provider: it_org", "who delivers", REQUIRED, target="party"),
        FieldSpec("customer", "reference", "customer: acme", "who receives", REQUIRED, target="party"),
        FieldSpec("version", "string", 'version: "1.0"', 'the version of the text, e.g. `"2.1"`', REQUIRED),
        FieldSpec("status", "enum", "status: active", "default `active`", choices=STATUSES, default="active"),
        FieldSpec("effective", "date", "effective: 2026-01-01", "start of the term", unless=("status", "draft")),
        FieldSpec("expires", "date", "expires: 2026-12-31", "end of the term", recommended("SL507")),
        FieldSpec("review", "date", "review: 2026-06-30", "next scheduled review", recommended("SL502, active `sla`")),
        FieldSpec(
            "reporting",
            "duration",
            "reporting: 1mo",
            "how often service reports are delivered",
            recommended("SL508, active `sla`"),
        ),
        FieldSpec("overview", "string", 'overview: "..."', "what the agreement is about", recommended("SL503, `sla`")),
        FieldSpec(
            "supports",
            "references",
            "supports: payments_gold.payments_api",
            "for an `ola` or `contract`: the agreements or services it underpins. The language accepts it on every "
            "kind; on an `sla` it is reported by SL401",
            target="supported",
        ),
        FieldSpec(
            "redundancy",
            "identifier",
            "redundancy: dns",
            "for an `ola` or `contract` with `supports`: a redundancy group, scoped to each service it supports. "
            "Supporters of one service that name the same group are redundant: they work in parallel (SL405), and "
            "a group of one is SL410; on an `sla`, or without `supports`, it is SL401",
        ),
        *METADATA,
    ),
    nested=(
        Nested(
            "service",
            "required, one or more",
            "SL004 when there is none",
            required=True,
            attr="services",
            seen="list:node:service",
        ),
        Nested(
            "responsibilities",
            "recommended (SL501, for the customer of an `sla`)",
            "what a party undertakes; any number of blocks",
            attr="responsibilities",
            seen="list:node:responsibility",
        ),
        Nested(
            "exclusions",
            "recommended (SL504, `sla`)",
            "what the agreement does not cover; at most one",
            once=True,
            attr="exclusions",
            default=None,
            seen="list:string",
            written=True,
        ),
        Nested(
            "credits",
            OPTIONAL,
            "service credits for missed objectives; any number of blocks with distinct labels, at most one "
            "without a label",
            attr="credit_blocks",
            seen="list:node:credit_block",
        ),
        Nested(
            "approval",
            "SL201, for an active `sla` without the customer's signature or acceptance",
            "the signatures and acceptances; at most one",
            once=True,
            attr="signatures",
            seen="list:node:signature",
        ),
    ),
)

SERVICE = BlockSpec(
    "service",
    "service",
    labels="id+name",
    shape='service ID "Name" { ... }',
    home="an agreement (sla, ola or contract)",
    fields=(
        FieldSpec("description", "string", 'description: "..."', "what the service is"),
        FieldSpec(
            "hours",
            "schedule",
            "hours: 24x7",
            "when the service is provided: `24x7`, or day windows",
            recommended("SL505"),
        ),
        FieldSpec(
            "timezone",
            "timezone",
            'timezone: "Europe/Berlin"',
            "the IANA zone the hours are in; an unknown zone is SL003",
            "SL506 when `hours` or `business_hours` is present and not `24x7`, or with `holidays` or `maintenance`",
        ),
        FieldSpec(
            "business_hours",
            "schedule",
            "business_hours: mon-fri 08:00-18:00",
            "the clock of the service's business durations (`bh`, `bd`) and of its maintenance `notice`, e.g. the "
            "hours of the people behind a `24x7` service; without it, `hours` is that clock",
        ),
        FieldSpec(
            "holidays",
            "holidays",
            'holidays: ["DE-BY", 2026-12-24]',
            "the dates on which the service is closed: dates, and ISO 3166 codes of public-holiday calendars "
            '(`"DE"`, `"DE-BY"`); an unknown code or a date that does not exist is SL003',
        ),
        *METADATA,
    ),
    nested=(
        Nested(
            "maintenance",
            OPTIONAL,
            "planned maintenance, which does not count against the objectives; at most one",
            once=True,
            attr="maintenance",
            default=None,
            seen="node:maintenance",
            written=True,
            example="maintenance { window: sun 02:00-06:00 }",
        ),
        Nested(
            "objective",
            "SL306",
            "one or more aspects of the service with targets",
            attr="objectives",
            seen="list:node:objective",
        ),
    ),
)

OBJECTIVE = BlockSpec(
    "objective",
    "objective",
    labels="id",
    shape="objective ID { ... }",
    home="a service block",
    fields=(
        FieldSpec(
            "metric",
            "reference",
            "metric: availability",
            "the metric the target is on; defaults to the objective's own id when that names a metric (built-in or "
            "declared), so `objective availability { ... }` needs no `metric`",
            "required when the objective's id is not a metric",
            target="metric",
        ),
        FieldSpec(
            "target",
            "comparison",
            "target: >= 99.9%",
            "`>= 99.95%`, `<= 300ms`; its value must fit the metric's unit (a percent for a percent metric, a "
            "duration for a duration metric, a plain number for a number metric), else SL003",
            REQUIRED,
        ),
        FieldSpec(
            "window",
            "duration",
            "window: 30d",
            "the period the target is measured over",
            "SL302 (an error for percent metrics, a warning for others)",
        ),
        FieldSpec(
            "percentile", "percentile", "percentile: 99", "e.g. `99` or `99.9`", "recommended for `latency` (SL308)"
        ),
        FieldSpec(
            "attainment",
            "attainment",
            "attainment: 90%",
            "for incident metrics: the share of events the target holds for; `attainment: 90%` is `percentile: 90` "
            "(packs see both). Valid on duration and number metrics; not together with `percentile` (SL005)",
            attr="percentile",
            seen={"attainment": "number"},
        ),
        FieldSpec("priority", "identifier", "priority: P1", "qualifies the objective, e.g. incident priority `P1`"),
        FieldSpec(
            "measurement",
            "string",
            'measurement: "Synthetic probe every 60 s"',
            "how the value is measured",
            recommended("SL301"),
        ),
        FieldSpec(
            "agreed",
            "date_or_boolean",
            "agreed: 2026-01-01",
            "when (or whether) the customer agreed to this aspect; `agreed: no` marks an aspect that was not agreed "
            "(SL202 on an active `sla`)",
        ),
        FieldSpec(
            "contribution",
            "string",
            'contribution: "..."',
            "how the provider's contribution to a business KPI is calculated",
            "recommended for business metrics (SL305)",
        ),
        FieldSpec(
            "slo",
            "string",
            'slo: "slo/payments.yaml#payments-availability"',
            "the service level objective that watches this one: a path relative to the file (inside the workspace), "
            "`#` and the SLO's name in an OpenSLO, Sloth or Pyrra file (`#NAME/OBJECTIVE` for one objective of an "
            "OpenSLO SLO); see docs/operations.md",
            "SL701, when other objectives of the provider have one",
            attr="slo_link",
            resolved="slo",
            seen={"slo": "node:slo", "slo_link": "string"},
        ),
        *METADATA,
    ),
)

MAINTENANCE = BlockSpec(
    "maintenance",
    "maintenance block",
    shape="maintenance { window: sun 02:00-06:00 }",
    home="a service block",
    fields=(
        FieldSpec(
            "window",
            "schedule",
            "window: sun 02:00-06:00",
            "when planned maintenance may happen, written like `hours` and read in the service's `timezone`",
            REQUIRED,
        ),
        FieldSpec(
            "notice",
            "notice",
            "notice: 5bd",
            "how long before maintenance it is announced; business units count on the service's clock",
            recommended("SL511, `sla`"),
        ),
        FieldSpec("limit", "duration", "limit: 8h", "at most this much maintenance per calendar month"),
    ),
)

RESPONSIBILITIES = BlockSpec(
    "responsibilities",
    "responsibilities block",
    labels="party",
    shape='responsibilities PARTY { "..." }',
    home="an agreement",
    section="responsibilities-and-exclusions",
    items=True,
)
EXCLUSIONS = BlockSpec(
    "exclusions",
    "exclusions block",
    shape='exclusions { "..." }',
    home="an agreement",
    section="responsibilities-and-exclusions",
    items=True,
)

CREDITS = BlockSpec(
    "credits",
    "credits block",
    labels="label",
    shape="credits LABEL? { credit { ... } }",
    home="an agreement",
    section="credits-and-credit",
    fields=(
        FieldSpec(
            "currency",
            "currency",
            "currency: EUR",
            "the ISO 4217 code of the block's money amounts",
            "required when an amount is money (SL004)",
        ),
        FieldSpec(
            "cap",
            "credit_value",
            "cap: 50%",
            "the maximum total credit of the block, of the same kind as its amounts",
            recommended("SL512, when a credit is per unit"),
        ),
        FieldSpec("claim", "duration", "claim: 30d", "the period within which the customer must claim a credit"),
    ),
    nested=(Nested("credit", "optional, any number", "one credit tier", attr="credits", seen="list:node:credit"),),
)

CREDIT = BlockSpec(
    "credit",
    "credit",
    shape="credit { when: ...; amount: 10% }",
    home="a credits block",
    section="credits-and-credit",
    fields=(
        FieldSpec(
            "when",
            "condition",
            "when: payments_api.availability < 99.9%",
            "the objective and the threshold: `payments_api.availability < 99.95%`",
            REQUIRED,
            attr="condition",
            resolved="objective",
            seen={"objective": "node:objective", "op": "string", "threshold": "quantity"},
        ),
        FieldSpec(
            "amount",
            "amount",
            "amount: 10%",
            "the credit: a percent of the fee, days of free service or money, alone or `per` unit of shortfall",
            REQUIRED,
            seen={"amount": "quantity", "per": "quantity", "per_started": "bool"},
        ),
        FieldSpec(
            "consecutive",
            "count",
            "consecutive: 2",
            "the credit applies only when its condition holds in this many consecutive windows",
            default=1,
        ),
    ),
)

APPROVAL = BlockSpec(
    "approval",
    "approval block",
    shape="approval { signature PARTY { ... } }",
    home="an agreement",
    section="approval-and-signature",
    nested=(
        Nested("signature", "optional, one per party", "a party's signature"),
        Nested("acceptance", "optional, one per party", "a party's acceptance without a signature"),
    ),
)

SIGNATURE = BlockSpec(
    "signature",
    "signature",
    labels="party",
    shape='signature PARTY { by: "..."; date: 2026-01-01 }',
    home="an approval block",
    section="approval-and-signature",
    fields=(
        FieldSpec("by", "string", 'by: "Jane Doe"', "the person who signed", REQUIRED),
        FieldSpec("title", "string", 'title: "CIO"', "the signer's title"),
        FieldSpec("date", "date", "date: 2026-01-01", "the day of the signature", REQUIRED),
        FieldSpec("version", "string", 'version: "1.0"', "the version of the agreement that was signed"),
    ),
)

ACCEPTANCE = BlockSpec(
    "acceptance",
    "acceptance",
    labels="party",
    shape="acceptance PARTY { method: order; date: 2026-01-01 }",
    home="an approval block",
    section="approval-and-signature",
    fields=(
        FieldSpec(
            "method",
            "enum",
            "method: order",
            "`order`: accepted with a purchase order or contract; `terms`: standard terms accepted online; "
            "`governance`: approved by a body that represents the party; `email`: accepted by e-mail",
            REQUIRED,
            choices=CONSENT_METHODS,
        ),
        FieldSpec("date", "date", "date: 2026-01-01", "the day of the acceptance", REQUIRED),
        FieldSpec("version", "string", 'version: "1.0"', "the version of the agreement that was accepted"),
        FieldSpec("by", "string", 'by: "Purchasing"', "who accepted on the party's behalf"),
        FieldSpec(
            "evidence",
            "string",
            'evidence: "PO 4711"',
            "where the record of the acceptance is: an order number, a ticket, a minute",
            recommended("SL207"),
        ),
    ),
)
