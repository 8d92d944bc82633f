"""Issue 14: what findings say, and when they are not said at all.

- A field written with an invalid value is SL003 alone (SPEC §6.11): no
  missing-field rule reports it again. Packs ask `written(field)`. The
  near misses of every changed rule, with their positions, are in
  tests/fixtures/rules/completeness/present_but_invalid.sla.
- SL405 names the supporters in series and their targets.
- SL403 groups the uncovered times by day, as `hours` are written.
"""

from __future__ import annotations

import datetime
import time

import pytest
from conftest import lint_files
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_lang.config.settings import Settings
from sla_lang.model import schema
from sla_lang.model.workspace import build_workspace
from sla_lang.policy.engine import context_for
from sla_lang.policy.expr import compile_text
from sla_lang.policy.model_view import WRITTEN_AS
from sla_lang.policy.week_text import describe_week
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser
from sla_lang.values import MINUTES_PER_WEEK

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
        "agreement": [schema.AGREEMENT],
        "credit_block": [schema.CREDITS],
        "acceptance": [schema.ACCEPTANCE],
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


# -- SL403: the uncovered times, grouped by day ---------------------------------------------------------


def hours_gap(tmp_path, needed: str, offered: str, zones: tuple[str, str] = ("", "")) -> list[tuple]:
    needed_zone, offered_zone = (f'  timezone: "{zone}"' if zone else "" for zone in zones)
    objective = "objective availability { target: >= 99%  window: 30d }"
    text = (
        PARTIES
        + 'sla gold { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01\n'
        + f"  service api {{ hours: {needed}{needed_zone}  {objective} }} }}\n"
        + 'ola db { provider: dba  customer: it_org  version: "1"  effective: 2026-01-01  supports: gold.api\n'
        + f"  service s {{ hours: {offered}{offered_zone}  {objective} }} }}\n"
    )
    return [(line, column, message) for _, line, column, message in findings_of(tmp_path, text, ["SL403"])]


@pytest.mark.parametrize(
    ("needed", "offered", "gaps"),
    [
        # weekday gaps: the days that share them as one day range
        ("mon-fri 07:00-20:00", "mon-fri 08:00-18:00", "mon-fri 07:00-08:00 and 18:00-20:00"),
        # the weekend, whole days
        ("24x7", "mon-fri 00:00-24:00", "sat-sun 00:00-24:00"),
        ("24x7", "mon-fri 09:00-17:00", "mon-fri 00:00-09:00 and 17:00-24:00, sat-sun 00:00-24:00"),
        # a gap on one day only
        ("mon-fri 08:00-18:00", "mon-thu 08:00-18:00, fri 08:00-12:00", "fri 12:00-18:00"),
        # gaps across midnight, written as the language writes night hours
        ("fri 20:00-04:00", "fri 18:00-23:00", "fri 23:00-04:00"),
        ("mon-sun 18:00-02:00", "mon-fri 18:00-02:00", "sat-sun 18:00-02:00"),
        ("24x7", "mon-sun 06:00-22:00", "mon-sun 22:00-06:00"),
        ("sun 20:00-04:00", "sun 20:00-24:00", "mon 00:00-04:00"),  # across the end of the week
        ("mon-fri 20:00-08:00", "mon-fri 20:00-24:00", "tue-sat 00:00-08:00"),
        # more than six ranges: the first six, and how many more
        (
            "24x7",
            "mon 01:00-02:00, tue 03:00-04:00, wed 05:00-06:00, thu 07:00-08:00",
            "mon 00:00-01:00 and 02:00-24:00, tue 00:00-03:00 and 04:00-24:00, wed 00:00-05:00 and 06:00-24:00, "
            "and 3 more",
        ),
    ],
)
def test_sl403_lists_the_uncovered_times_by_day(tmp_path, needed, offered, gaps):
    assert hours_gap(tmp_path, needed, offered) == [
        (
            8,
            15,
            f"OLA 'db' covers {offered} but supports service 'api' of SLA 'gold', which runs {needed}: not covered "
            f"{gaps}",
        )
    ]


def test_sl403_gives_the_gaps_in_the_supported_service_s_timezone(tmp_path):
    """08:00-18:00 UTC is 09:00-19:00 in Berlin in January."""
    found = hours_gap(tmp_path, "mon-fri 08:00-18:00", "mon-fri 08:00-18:00", ("Europe/Berlin", "UTC"))
    assert found == [
        (
            8,
            15,
            "OLA 'db' covers mon-fri 08:00-18:00 but supports service 'api' of SLA 'gold', which runs mon-fri "
            "08:00-18:00 (Europe/Berlin): not covered mon-fri 08:00-09:00",
        )
    ]


def _as_hours(description: str) -> str:
    """`mon-fri 07:00-08:00 and 18:00-20:00, sat ...` as `hours:` writes it."""
    windows = []
    for group in description.split(", "):
        days, ranges = group.split(" ", 1)
        windows += [f"{days} {time_range}" for time_range in ranges.split(" and ")]
    return ", ".join(windows)


def _minutes_of(hours: str) -> int:
    """The minutes of the week that `hours` cover, as the parser reads them."""
    text = (
        PARTIES + f'sla gold {{ provider: it_org  customer: acme  version: "1"\n  service api {{ hours: {hours} }} }}\n'
    )
    parsed = AgreementParser().parse(SourceFile("x.sla", text))
    assert not [f for f in parsed.findings if f.code in ("SL001", "SL003")], hours
    minutes = 0
    for start, end in parsed.declarations[-1].services[0].hours.week_intervals():
        minutes |= ((1 << (end - start)) - 1) << start
    return minutes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, MINUTES_PER_WEEK - 1), st.integers(1, 3 * 24 * 60)), min_size=1, max_size=5))
def test_the_description_of_a_set_of_minutes_is_hours_that_cover_exactly_them(runs):
    """Read back as `hours`, the description covers the same minutes of the week."""
    minutes = 0
    for start, length in runs:
        for minute in range(start, start + length):
            minutes |= 1 << (minute % MINUTES_PER_WEEK)
    described = describe_week(minutes, most=10_000)
    assert _minutes_of(_as_hours(described)) == minutes, described


def test_describing_a_week_of_scattered_minutes_is_quick():
    """Every other minute uncovered: 720 ranges a day, described by the first six."""
    minutes = int("01" * (MINUTES_PER_WEEK // 2), 2)
    started = time.perf_counter()
    for _ in range(1000):
        described = describe_week(minutes)
    assert described == (
        "mon-sun 00:00-00:01 and 00:02-00:03 and 00:04-00:05 and 00:06-00:07 and 00:08-00:09 and 00:10-00:11, "
        "and 714 more"
    )
    assert time.perf_counter() - started < 5
