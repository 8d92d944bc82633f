"""Issue 14: what findings say, and when they are not said at all.

- A field written with an invalid value is SL003 alone (SPEC §6.11): no
  missing-field rule reports it again. Packs ask `written(field)`. The
  near misses of every changed rule, with their positions, are in
  tests/fixtures/rules/completeness/present_but_invalid.sla.
- SL405 names the supporters in series and their targets.
"""

from __future__ import annotations

import datetime

import pytest
from conftest import lint_files

from sla_lang.config import Settings
from sla_lang.model import schema
from sla_lang.model.workspace import build_workspace
from sla_lang.policy.engine import context_for
from sla_lang.policy.expr import compile_text
from sla_lang.policy.model_view import WRITTEN_AS
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser

TODAY = datetime.date(2026, 6, 1)

# An SLA with nothing to report: each test below changes one line of it.
COMPLETE = """\
party acme "Acme Retail" { role: customer }
party it_org "Example IT" { role: provider }
sla gold "Gold SLA" {
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  expires: 2026-12-31
  review: 2026-09-30
  reporting: 1mo
  overview: "Payments for the web shop."
  service api "Payments API" {
    hours: 24x7
    objective availability { target: >= 99.9%  window: 30d  measurement: "probe" }
    objective latency { target: <= 300ms  percentile: 99  window: 30d  measurement: "load balancer" }
  }
  service desk "Help desk" {
    hours: mon-fri 08:00-18:00
    timezone: "Europe/Berlin"
    objective p1 { metric: response_time  target: <= 1h  window: 30d  measurement: "tickets" }
  }
  responsibilities customer { "Report incidents through the portal" }
  exclusions { "Announced maintenance" }
  approval { signature acme { by: "Jane Doe"; date: 2025-12-15; version: "1" } }
}
"""


def findings_of(tmp_path, text: str, select: list[str] | None = None) -> list[tuple]:
    result = lint_files({"gold.sla": text}, tmp_path, settings=Settings(select=select), today=TODAY)
    return [(f.code, f.span.line, f.span.column, f.message) for f in result.findings]


def test_the_complete_agreement_has_nothing_to_report(tmp_path):
    assert findings_of(tmp_path, COMPLETE) == []


# -- present but invalid -------------------------------------------------------------------------


def test_a_percentile_written_p95_is_an_invalid_value_and_not_a_missing_percentile(tmp_path):
    """The issue: SL003, then SL308 "latency objective without a percentile"."""
    text = COMPLETE.replace("percentile: 99", "percentile: p95")
    assert findings_of(tmp_path, text) == [
        (
            "SL003",
            15,
            55,
            "'percentile' in objective 'latency' of service 'api' of SLA 'gold' must be a percentile: a number "
            "above 0 and up to 100, e.g. 99, not the name 'p95'",
        )
    ]


def test_a_misspelt_timezone_is_an_invalid_value_and_not_a_missing_timezone(tmp_path):
    """The issue: SL003, then SL506 "no timezone"."""
    text = COMPLETE.replace('"Europe/Berlin"', '"Europe/Berln"')
    assert findings_of(tmp_path, text) == [
        (
            "SL003",
            19,
            15,
            "unknown timezone \"Europe/Berln\" in service 'desk' of SLA 'gold': expected an IANA timezone name in "
            'quotes, e.g. "Europe/Berlin"',
        )
    ]


def test_a_metric_written_with_an_invalid_value_is_not_missing(tmp_path):
    """Not also SL004 "has no 'metric', and 'uptime' is not a metric"."""
    text = COMPLETE.replace("objective availability { target", "objective uptime { metric: 42  target")
    assert findings_of(tmp_path, text) == [
        (
            "SL003",
            14,
            32,
            "'metric' in objective 'uptime' of service 'api' of SLA 'gold' must be a reference to a metric, "
            "not the number 42",
        )
    ]


def test_the_id_of_an_objective_does_not_stand_in_for_a_metric_written_wrong():
    """`objective availability { metric: 42 ... }`: the metric meant is unknown, so
    no rule compares the objective as an availability objective."""
    text = COMPLETE.replace("objective availability { target", "objective availability { metric: 42  target")
    workspace = build_workspace(AgreementParser().parse(SourceFile("gold.sla", text)).declarations)
    assert workspace.agreements["gold"].services[0].objectives[0].metric is None


@pytest.fixture(scope="module")
def mistyped():
    """The complete SLA with a percentile and a timezone written wrong, and the review left out."""
    text = (
        COMPLETE.replace("percentile: 99", "percentile: p95")
        .replace('"Europe/Berlin"', '"Europe/Berln"')
        .replace("  review: 2026-09-30\n", "")
    )
    parsed = AgreementParser().parse(SourceFile("gold.sla", text))
    workspace = build_workspace(parsed.declarations)
    gold = workspace.agreements["gold"]
    return workspace, {"gold": gold, "latency": gold.services[0].objectives[1], "desk": gold.services[1]}


@pytest.mark.parametrize(
    ("node", "text", "expected"),
    [
        ("latency", "written(percentile)", True),
        ("latency", "exists(percentile)", False),  # a rule that uses the value sees none
        ("latency", "written(service.hours) and not written(service.timezone)", True),
        ("desk", "written(timezone) and timezone == null", True),
        ("gold", "written(expires) and not written(review)", True),
        ("gold", "any(s in services: written(s.timezone) and not exists(s.timezone))", True),
    ],
)
def test_written_sees_a_field_whose_value_was_invalid(mistyped, node, text, expected):
    workspace, nodes = mistyped
    scope = {"gold": "agreement", "latency": "objective", "desk": "service"}[node]
    assert compile_text(text, scope)(context_for(nodes[node], workspace, TODAY)) is expected


def test_written_knows_every_field_of_the_language():
    """Every attribute of the schema is a field written() can ask for, under the
    name packs see (`cap` is `credit_cap`, `when` gives `op`, `threshold` and `objective`)."""
    blocks = {
        "agreement": [schema.AGREEMENT, schema.CREDITS],
        "service": [schema.SERVICE],
        "objective": [schema.OBJECTIVE],
        "party": [schema.PARTY],
        "metric": [schema.METRIC],
        "signature": [schema.SIGNATURE],
        "credit": [schema.CREDIT],
    }
    for kind, specs in blocks.items():
        keys = {key for spec in specs for key in spec.fields}
        assert keys <= set(WRITTEN_AS[kind].values()), kind


# -- SL405: the supporters in series ----------------------------------------------------------------

PARTIES = """\
party acme { role: customer }
party it_org { role: provider }
party dba { role: team  organization: it_org }
party cloudco { role: supplier }
"""


def supporter(kind: str, ident: str, supports: str, target: str, extra: str = "") -> str:
    provider = "cloudco" if kind == "contract" else "dba"
    return (
        f'{kind} {ident} {{ provider: {provider}  customer: it_org  version: "1"  effective: 2026-01-01  '
        f"supports: {supports}  {extra}\n"
        f"  service s {{ hours: 24x7  objective availability {{ target: >= {target}  window: 30d }} }} }}\n"
    )


def gold_with(target: str, services: str = "api") -> str:
    return (
        PARTIES
        + 'sla gold { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01\n'
        + "".join(
            f"  service {name} {{ hours: 24x7  objective availability {{ target: >= {target}  window: 30d }} }}\n"
            for name in services.split()
        )
        + "}\n"
    )


def series_messages(tmp_path, text: str) -> list[tuple]:
    return [(line, message) for _, line, _, message in findings_of(tmp_path, text, ["SL405"])]


def test_sl405_names_each_supporter_with_its_target_and_the_product(tmp_path):
    text = (
        gold_with("99.95%")
        + supporter("ola", "db", "gold.api", "99.9%")
        + supporter("contract", "cloud", "gold.api", "99.9%")
    )
    assert series_messages(tmp_path, text) == [
        (
            6,
            "supporters of service 'api' of SLA 'gold' in series give only 99.8001% availability: OLA 'db' (99.9%) × "
            "contract 'cloud' (99.9%) = 99.8001%, below the 99.95% promised",
        )
    ]


def test_sl405_shows_targets_as_written_and_cuts_the_product_to_four_decimals(tmp_path):
    """99.995% × 99.95% = 99.94500250%: the targets exact, the product cut (not rounded)."""
    text = (
        gold_with("99.99%")
        + supporter("ola", "db", "gold.api", "99.995%")
        + supporter("ola", "net", "gold.api", "99.95%")
    )
    assert series_messages(tmp_path, text) == [
        (
            6,
            "supporters of service 'api' of SLA 'gold' in series give only 99.945% availability: OLA 'db' (99.995%) × "
            "OLA 'net' (99.95%) = 99.945%, below the 99.99% promised",
        )
    ]


def test_sl405_names_the_service_s_own_supporters_first_and_leaves_out_those_not_counted(tmp_path):
    """A supporter of the whole agreement comes after the service's own; a retired
    supporter and one without an availability objective are not in the product."""
    text = (
        gold_with("99.95%", "web api")
        + supporter("contract", "cloud", "gold", "99.9%")
        + supporter("ola", "db", "gold.api", "99.9%")
        + supporter("ola", "old", "gold.api", "90%", "status: retired")
        + 'ola backup { provider: dba  customer: it_org  version: "1"  effective: 2026-01-01  supports: gold.api\n'
        + "  service s { hours: 24x7  objective rpo { target: <= 24h  window: 30d } } }\n"
    )
    assert series_messages(tmp_path, text) == [
        (
            7,
            "supporters of service 'api' of SLA 'gold' in series give only 99.8001% availability: OLA 'db' (99.9%) × "
            "contract 'cloud' (99.9%) = 99.8001%, below the 99.95% promised",
        )
    ]


def test_sl405_names_five_supporters_and_counts_the_others(tmp_path):
    text = gold_with("99.95%") + "".join(supporter("ola", f"o{i}", "gold", "99.99%") for i in range(8))
    assert series_messages(tmp_path, text) == [
        (
            6,
            "supporters of service 'api' of SLA 'gold' in series give only 99.92% availability: OLA 'o0' (99.99%) × "
            "OLA 'o1' (99.99%) × OLA 'o2' (99.99%) × OLA 'o3' (99.99%) × OLA 'o4' (99.99%) × 3 more = 99.92%, below "
            "the 99.95% promised",
        )
    ]
