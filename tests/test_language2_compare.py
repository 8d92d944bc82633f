"""The sharper comparisons across agreements of language 2: model/strength.py
(is this promise at least as strong as that one: percentiles, priorities,
windows, business-time deadlines), SL402 and SL405 sharpened, SL410, SL411
and `redundancy` (SL401).

The annotated fixtures under tests/fixtures/language2/compare/ give exactly
the findings their annotations name, with the messages below; their comments
work the arithmetic out.
"""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal

import pytest
from conftest import FIXTURES, expected_findings, lint_files

from sla_lang.config.settings import Settings
from sla_lang.model import strength
from sla_lang.model.workspace import build_workspace
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser
from sla_lang.values import Comparison, Duration, Percent

TODAY = datetime.date(2026, 6, 1)
COMPARE = FIXTURES / "language2" / "compare"

MESSAGES = {
    "percentiles.sla": [
        (
            38,
            "SL402",
            "SLA 'pct_web_sla' promises p90 latency <= 300ms for service 'web' but OLA 'pct_lan_ola' "
            "guarantees only p95 "
            "latency <= 400ms",
        ),
        (
            38,
            "SL411",
            "SLA 'pct_web_sla' promises p99 latency <= 800ms for service 'web' but OLA 'pct_lan_ola' "
            "guarantees latency only "
            "up to p95 (p95 latency <= 400ms), which says nothing at p99: add an objective at that "
            "percentile or above",
        ),
        (
            73,
            "SL402",
            "SLA 'pct_web_sla' promises P1 response_time <= 15min for service 'web' but OLA "
            "'pct_desk_ola' guarantees only "
            "P1 response_time <= 20min",
        ),
        (
            75,
            "SL402",
            "SLA 'pct_web_sla' promises P2 response_time <= 1h for service 'web' but OLA "
            "'pct_desk_ola' guarantees only "
            "response_time <= 2h",
        ),
    ],
    "windows.sla": [
        (
            39,
            "SL402",
            "SLA 'win_web_sla' promises 99.9% availability for service 'web' but OLA 'win_year_ola' "
            "guarantees only 99.99% "
            "availability over 1y: that allows 52 min 33.6 s of downtime, all of which may fall into "
            "one 30d window, "
            "where 43 min 12 s is allowed (99.878% in the worst 30d)",
        ),
        (
            43,
            "SL402",
            "SLA 'win_web_sla' promises error_rate <= 1% for service 'web' but OLA 'win_year_ola' "
            "guarantees only error_rate "
            "<= 0.1% over 1y: that allows 8 h 45 min 36 s of shortfall, all of which may fall into one "
            "30d window, "
            "where 7 h 12 min is allowed (1.217% in the worst 30d)",
        ),
        (
            93,
            "SL402",
            "SLA 'win_web_sla' promises 99.9% availability for service 'web' but OLA 'win_lab_ola' "
            "guarantees only 99.8% "
            "availability",
        ),
    ],
    "redundancy.sla": [
        (
            24,
            "SL405",
            "supporters of service 'web' of SLA 'red_web_sla' in series and in parallel give only "
            "99.8999% availability: "
            "contract 'red_cdn' (99.9%) × [contract 'red_dns_a' (99.9%) ∥ contract 'red_dns_b' (99.9%) "
            "= 99.9999%] = 99.8999%, "
            "below the 99.95% promised",
        ),
        (
            28,
            "SL401",
            "SLA 'red_web_sla' has 'redundancy', but an SLA is what others support: only an OLA or a "
            "contract is one of "
            "several redundant supporters; remove 'redundancy'",
        ),
        (
            39,
            "SL402",
            "SLA 'red_web_sla' promises 99.95% availability for service 'web' but contract 'red_cdn' "
            "guarantees only 99.9% "
            "availability",
        ),
        (
            108,
            "SL402",
            "SLA 'red_api_sla' promises 99.99% availability for service 'api' but contract "
            "'red_api_dns_old' guarantees only "
            "99% availability",
        ),
        (
            128,
            "SL410",
            "OLA 'red_report_db' is the only member of redundancy group 'storage' for service 'reports' of SLA "
            "'red_report_sla': a group of one is in series like any supporter; give the redundant "
            "supporter of 'reports' "
            "the same 'redundancy', or remove it",
        ),
        (
            139,
            "SL401",
            "OLA 'red_spare_db' has 'redundancy' but supports nothing: a redundancy group is of the "
            "supporters of one "
            "service; add 'supports' or remove 'redundancy'",
        ),
    ],
}


def _select(text: str) -> list[str]:
    return [code.strip() for code in re.search(r"^# select: (.*)$", text, re.M).group(1).split(",")]


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_annotated_fixture_findings_and_messages(name, tmp_path):
    text = (COMPARE / name).read_text(encoding="utf-8")
    result = lint_files({name: text}, tmp_path, settings=Settings(select=_select(text)), today=TODAY)
    found = sorted(((f.code, f.span.line, f.span.column) for f in result.findings), key=lambda e: (e[1], e[2], e[0]))
    assert found == expected_findings(text)
    messages = sorted((f.span.line, f.code, f.message) for f in result.findings)
    assert messages == sorted(MESSAGES[name])


def test_every_fixture_here_is_checked():
    assert {path.name for path in COMPARE.glob("*.sla")} == set(MESSAGES)


# -- model/strength.py on objectives of a parsed workspace ------------------------------------------

PARTIES = """\
party c { role: customer }
party p { role: provider }
party t { role: team  organization: p }
"""


def workspace(text: str):
    return build_workspace(AgreementParser().parse(SourceFile("a.sla", PARTIES + text)).declarations)


def objectives(text: str) -> dict[str, object]:
    """`agreement.objective` -> objective."""
    found = {}
    for agreement in workspace(text).agreements.values():
        for service in agreement.services:
            for objective in service.objectives:
                found[f"{agreement.id}.{objective.id}"] = objective
    return found


def agreement(kind: str, name: str, services: str, extra: str = "") -> str:
    return (
        f"{kind} {name} {{ provider: {'p' if kind == 'sla' else 't'}  customer: {'c' if kind == 'sla' else 'p'}  "
        f'version: "1"  effective: 2026-01-01 {extra}\n{services}\n}}\n'
    )


def test_a_missing_percentile_is_the_hundredth():
    found = objectives(
        agreement(
            "sla",
            "s",
            "service a { objective x { metric: latency  target: <= 1s  window: 30d }\n"
            "  objective y { metric: latency  target: <= 1s  percentile: 99.5  window: 30d } }",
        )
    )
    assert strength.percentile_of(found["s.x"]) == Decimal(100)
    assert strength.percentile_of(found["s.y"]) == Decimal("99.5")


def test_the_priority_rule_and_the_percentile_rule_choose_what_counts():
    found = objectives(
        agreement(
            "sla",
            "s",
            "service a {\n"
            "  objective p1 { metric: response_time  priority: P1  target: <= 15min  percentile: 90  "
            "window: 30d }\n"
            "  objective p2 { metric: response_time  priority: P2  target: <= 1h  window: 30d } }",
        )
        + agreement(
            "ola",
            "o",
            "service b {\n"
            "  objective own { metric: response_time  priority: P1  target: <= 10min  percentile: 95  "
            "window: 30d }\n"
            "  objective low { metric: response_time  priority: P1  target: <= 1min  percentile: 80  "
            "window: 30d }\n"
            "  objective any { metric: response_time  target: <= 2h  window: 30d }\n"
            "  objective other { metric: latency  target: <= 1s  window: 30d } }",
        )
    )
    supporter = [found[f"o.{name}"] for name in ("own", "low", "any", "other")]
    # P1 has objectives of its own: the unprioritised one does not stand for it.
    assert strength.applicable(supporter, found["s.p1"]) == [found["o.own"], found["o.low"]]
    assert strength.counted(supporter, found["s.p1"]) == [found["o.own"]]  # 80 < 90
    # P2 has none: the unprioritised one stands for it.
    assert strength.applicable(supporter, found["s.p2"]) == [found["o.any"]]
    assert strength.gap([found["o.own"]], found["s.p1"]) is None  # 10min backs 15min
    weaker = strength.gap([found["o.any"]], found["s.p2"])
    assert (weaker.objective, weaker.kind) == (found["o.any"], "target")


def test_allowed_shortfall_and_the_worst_window():
    year, month = Duration(Decimal(1), "y"), Duration(Decimal(30), "d")
    # 0.01% of 31,536,000 s; 0.1% of 2,592,000 s.
    assert strength.allowed_shortfall(Percent(Decimal("99.99")), "higher", year) == Decimal("3153.6")
    assert strength.allowed_shortfall(Percent(Decimal("99.9")), "higher", month) == Decimal("2592")
    assert strength.spell_seconds(Decimal("3153.6")) == "52 min 33.6 s"
    assert strength.spell_seconds(Decimal("2592")) == "43 min 12 s"
    assert strength.spell_seconds(Decimal("93784")) == "1 d 2 h 3 min 4 s"
    # 100 - 0.01 x 365 / 30 = 99.878333...
    worst = strength.worst_window_percent(Percent(Decimal("99.99")), "higher", year, month)
    assert str(worst).startswith("99.87833333")
    assert strength.shown_percent(worst, "higher") == "99.878%"
    # Mirrored: 0.1 x 365 / 30 = 1.21666..., shown rounded up.
    mirrored = strength.worst_window_percent(Percent(Decimal("0.1")), "lower", year, month)
    assert strength.shown_percent(mirrored, "lower") == "1.217%"
    # Not below 0%: 90% over a year is 100 - 10 x 365 / 30 < 0 in the worst month.
    assert strength.worst_window_percent(Percent(Decimal(90)), "higher", year, month) == Percent(Decimal(0))
    # A window that is not longer, or missing: the target as written.
    assert strength.worst_window_percent(Percent(Decimal("99.9")), "higher", month, year) == Percent(Decimal("99.9"))
    assert strength.worst_window_percent(Percent(Decimal("99.9")), "higher", None, month) == Percent(Decimal("99.9"))


@pytest.mark.parametrize(
    ("target", "window", "kind"),
    [
        (">= 99.99%", "1y", "window"),  # 52 min 33.6 s > 43 min 12 s
        (">= 99.999%", "1y", None),  # 5 min 15.36 s: still strong enough
        (">= 99.9%", "7d", None),  # shorter: as written, equal
        (">= 99.89%", "7d", "target"),
        (">= 99.9%", "", None),  # no window: as written
        (">= 99.9%", "2592001s", "window"),  # one second longer than 30 days: 2592.001 s > 2592 s
    ],
)
def test_the_window_rule(target, window, kind):
    window_text = f"window: {window}" if window else ""
    found = objectives(
        agreement("sla", "s", "service a { objective availability { target: >= 99.9%  window: 30d } }")
        + agreement("ola", "o", f"service b {{ objective availability {{ target: {target}  {window_text} }} }}")
    )
    gap = strength.gap([found["o.availability"]], found["s.availability"])
    assert (gap.kind if gap else None) == kind


def test_one_counted_objective_backing_the_promise_is_enough():
    found = objectives(
        agreement("sla", "s", "service a { objective availability { target: >= 99.9%  window: 30d } }")
        + agreement(
            "ola",
            "o",
            "service b { objective y { metric: availability  target: >= 99.99%  window: 1y }\n"
            "  objective m { metric: availability  target: >= 99.9%  window: 30d } }",
        )
    )
    assert strength.gap([found["o.y"], found["o.m"]], found["s.availability"]) is None
    gap = strength.gap([found["o.y"]], found["s.availability"])
    assert (gap.kind, gap.allowed, gap.needed) == ("window", Decimal("3153.6"), Decimal("2592"))


# -- deadlines in business time (built directly: `bh` in files comes with the service branch) ------


def business(objective, amount: str, unit: str):
    objective.target = Comparison("<=", Duration(Decimal(amount), unit))
    return objective


DESK = agreement(
    "sla",
    "crm",
    'service crm { hours: mon-fri 08:00-18:00  timezone: "Europe/Berlin"\n'
    "  objective p1 { metric: response_time  target: <= 4h  window: 30d } }",
) + agreement(
    "ola",
    "desk",
    'service desk { hours: 24x7  timezone: "Europe/Berlin"\n'
    "  objective p1 { metric: response_time  target: <= 8h  window: 30d } }\n"
    'service office { hours: mon-fri 08:00-18:00  timezone: "Europe/London"\n'
    "  objective p1 { metric: response_time  target: <= 4h  window: 30d } }\n"
    'service nights { hours: mon-fri 00:00-08:00, mon-fri 18:00-24:00, sat-sun 00:00-24:00  timezone: "Europe/Berlin"\n'
    "  objective p1 { metric: response_time  target: <= 4h  window: 30d } }",
)


def desk_objectives():
    ws = workspace(DESK)
    crm, desk = ws.agreements["crm"], ws.agreements["desk"]
    return crm.services[0].objectives[0], {s.id: s.objectives[0] for s in desk.services}


def test_the_deadline_example_of_the_spec():
    """SLA 4bh on mon-fri 08:00-18:00 against OLA 8h on 24x7: at mon 04:00 both are due
    at 12:00; from mon 04:01 the SLA's deadline is still 12:00 (08:00 + 4 h), the OLA's 12:01."""
    supported, desk = desk_objectives()
    business(supported, "4", "bh")
    gap = strength.gap([desk["desk"]], supported, datetime.date(2026, 1, 1))
    assert (gap.objective, gap.kind, gap.minute) == (desk["desk"], "deadline", 4 * 60 + 1)
    assert (gap.due, gap.late) == ((12 * 60 - 241) * 60, 8 * 3600)
    assert strength.week_instant(gap.minute, 0) == "mon 04:01"
    assert strength.week_instant(gap.minute, gap.due) == "mon 12:00"
    assert strength.week_instant(gap.minute, gap.late) == "mon 12:01"


def test_a_supporter_in_another_zone_is_moved_by_the_offsets_on_the_effective_date():
    """The OLA's office hours are London's: 09:00-19:00 in Berlin in January (one hour
    later), so from mon 00:00 Berlin the SLA is due at 12:00 and the OLA at 13:00. In
    July both zones are one hour later: the same."""
    supported, desk = desk_objectives()
    business(supported, "4", "bh")
    business(desk["office"], "4", "bh")
    for day in (datetime.date(2026, 1, 1), datetime.date(2026, 7, 1)):
        gap = strength.gap([desk["office"]], supported, day)
        assert (gap.minute, gap.due, gap.late) == (0, 12 * 3600, 13 * 3600)
    # Without a date nothing moves: the same hours, the same deadlines.
    assert strength.gap([desk["office"]], supported, None) is None


def test_the_earliest_of_several_counted_deadlines_is_the_supporters():
    """Against a wall-clock 10h promise: 2bh on office hours is late from mon 16:01
    (1 h 59 min that day, 1 min the next: tue 08:01); 4bh on nights and weekends is late
    from mon 04:01 (3 h 59 min to 08:00, 1 min from 18:00: mon 18:01). The earlier of the
    two is never later than 10 hours."""
    supported, desk = desk_objectives()
    supported.target = Comparison("<=", Duration(Decimal(10), "h"))
    office = business(desk["office"], "2", "bh")
    office.service.timezone = "Europe/Berlin"
    nights = business(desk["nights"], "4", "bh")
    day = datetime.date(2026, 1, 1)
    alone = strength.gap([office], supported, day)
    assert [strength.week_instant(alone.minute, s) for s in (0, alone.due, alone.late)] == [
        "mon 16:01",
        "tue 02:01",
        "tue 08:01",
    ]
    alone = strength.gap([nights], supported, day)
    assert [strength.week_instant(alone.minute, s) for s in (0, alone.due, alone.late)] == [
        "mon 04:01",
        "mon 14:01",
        "mon 18:01",
    ]
    assert strength.gap([office, nights], supported, day) is None


def test_deadline_comparisons_are_computed_once_per_pair_of_clocks():
    supported, desk = desk_objectives()
    business(supported, "4", "bh")
    strength.first_later.cache_clear()
    started = time.monotonic()
    for _ in range(1000):
        strength.gap([desk["desk"]], supported, datetime.date(2026, 1, 1))
    assert strength.first_later.cache_info().misses == 1
    assert time.monotonic() - started < 5


def test_week_instants_past_the_week():
    assert strength.week_instant(6 * 1440 + 23 * 60, 3600) == "mon 00:00"
    assert strength.week_instant(0, 7 * 86400 + 30) == "mon 00:00:30 a week later"
    assert strength.week_instant(0, Decimal("1e20")) == "1157407407407407 d 9 h 46 min 40 s later"


# -- findings across files -----------------------------------------------------------------------

SHOP = agreement(
    "sla",
    "shop",
    "service web { objective availability { target: >= 99.95%  window: 30d } }\n"
    "service api { objective availability { target: >= 99.95%  window: 30d } }",
)


def supporter(name: str, target: str, extra: str) -> str:
    return agreement(
        "contract", name, f"service s {{ objective availability {{ target: >= {target}  window: 30d }} }}", extra
    ).replace("provider: t", "provider: sup")


SUPPLIER = "party sup { role: supplier }\n"


def test_sl405_involves_the_files_of_every_supporter_it_counts(tmp_path):
    files = {
        "shop.sla": PARTIES + SUPPLIER + SHOP,
        "cdn.sla": supporter("cdn", "99.9%", "supports: shop.web"),
        "dns_a.sla": supporter("dns_a", "99.9%", "supports: shop.web  redundancy: dns"),
        "dns_b.sla": supporter("dns_b", "99.9%", "supports: shop.web  redundancy: dns"),
    }
    result = lint_files(files, tmp_path, settings=Settings(select=["SL405"]), today=TODAY)
    [finding] = result.findings
    assert (finding.span.path, finding.span.line) == ("shop.sla", 6)
    assert finding.related == ("cdn.sla", "dns_a.sla", "dns_b.sla")


def test_sl410_once_per_supported_service_involving_the_agreement_and_the_other_supporters(tmp_path):
    files = {
        "shop.sla": PARTIES + SUPPLIER + SHOP,
        "cdn.sla": supporter("cdn", "99.99%", "supports: shop"),
        "dns_a.sla": supporter("dns_a", "99.99%", "supports: shop  redundancy: dns"),
    }
    result = lint_files(files, tmp_path, settings=Settings(select=["SL410"]), today=TODAY)
    assert [(f.span.path, f.span.line, f.span.column, f.related) for f in result.findings] == [
        ("dns_a.sla", 1, 98, ("shop.sla", "cdn.sla")),
        ("dns_a.sla", 1, 98, ("shop.sla", "cdn.sla")),
    ]
    # The supported service is part of what identifies each.
    assert sorted(f.anchor for f in result.findings) == ["dns_a.redundancy @ shop.api", "dns_a.redundancy @ shop.web"]


def test_sl402_leaves_a_member_of_a_group_of_two_to_sl405_for_availability_only(tmp_path):
    files = {
        "shop.sla": PARTIES
        + SUPPLIER
        + agreement(
            "sla",
            "shop",
            "service web { objective availability { target: >= 99.95%  window: 30d }\n"
            "  objective latency { target: <= 100ms  window: 30d } }",
        ),
        "dns.sla": agreement(
            "contract",
            "dns_a",
            "service s { objective availability { target: >= 99.9%  window: 30d }\n"
            "  objective latency { target: <= 200ms  window: 30d } }",
            "supports: shop.web  redundancy: dns",
        ).replace("provider: t", "provider: sup")
        + supporter("dns_b", "99.9%", "supports: shop.web  redundancy: dns"),
    }
    result = lint_files(files, tmp_path, settings=Settings(select=["SL402"]), today=TODAY)
    assert [f.message for f in result.findings] == [
        "SLA 'shop' promises latency <= 100ms for service 'web' but contract 'dns_a' guarantees only latency <= 200ms"
    ]


def test_sl411_identifies_the_supported_objective():
    """Two supported services, one supporter objective: two findings that differ in identity."""
    text = agreement(
        "sla",
        "s",
        "service a { objective latency { target: <= 1s  percentile: 99  window: 30d } }\n"
        "service b { objective latency { target: <= 1s  percentile: 99  window: 30d } }",
    ) + agreement(
        "ola", "o", "service x { objective latency { target: <= 1s  percentile: 90  window: 30d } }", "supports: s"
    )
    from sla_lang.policy.engine import run_rules
    from sla_lang.policy.loader import load_packs

    rules = [rule for pack in load_packs([]) for rule in pack.rules if rule.code == "SL411"]
    findings = run_rules(rules, workspace(text), TODAY)
    assert [f.anchor for f in findings] == ["o.x.latency @ s.a.latency", "o.x.latency @ s.b.latency"]


def test_ten_thousand_percentiles_against_a_thousand_services_stay_quick(tmp_path):
    """Each of the supporter's percentiles has a stricter target than every higher one,
    so none hides another: they are a front, searched in log time per supported objective."""
    objectives_text = "\n".join(
        f"  objective o{i} {{ metric: latency  target: <= {1 + i}ms  percentile: {Decimal(50) + Decimal(i) / 250}  "
        "window: 30d }"
        for i in range(10_000)
    )
    services = "\n".join(
        f"service s{i} {{ objective latency {{ target: <= {1000 + i}ms  percentile: {Decimal(6000 + i) / 100}  "
        "window: 30d } }"
        for i in range(1000)
    )
    files = {
        "a.sla": PARTIES + agreement("sla", "gold", services),
        "b.sla": agreement("ola", "team", f"service db {{\n{objectives_text}\n}}", "supports: gold"),
    }
    started = time.monotonic()
    result = lint_files(files, tmp_path, settings=Settings(select=["SL402", "SL411"]), today=TODAY)
    assert time.monotonic() - started < 5
    assert [f.code for f in result.findings] == ["SL402"] * 1000
    # s0 (p60): the lowest percentile at or above 60 is o2500's (p60, 2501ms); s999 (p69.99):
    # o4998's (p69.992, 4999ms).
    by_message = sorted(f.message for f in result.findings)
    assert by_message[0] == (
        "SLA 'gold' promises p60 latency <= 1000ms for service 's0' but OLA 'team' guarantees only p60 latency "
        "<= 2501ms"
    )
    assert (
        "SLA 'gold' promises p69.99 latency <= 1999ms for service 's999' but OLA 'team' guarantees only p69.992 "
        "latency <= 4999ms"
    ) in by_message


def builtin(code: str) -> list:
    from sla_lang.policy.loader import load_packs

    return [rule for pack in load_packs([]) for rule in pack.rules if rule.code == code]


def test_sl402_names_the_first_minute_and_both_deadlines():
    from sla_lang.policy.engine import run_rules

    ws = workspace(
        DESK.split("ola desk")[0]
        + agreement(
            "ola",
            "desk",
            "service desk { hours: 24x7  objective p1 { metric: response_time  target: <= 8h  window: 30d } }",
            "supports: crm.crm",
        )
    )
    crm = ws.agreements["crm"]
    crm.services[0].objectives[0].target = Comparison("<=", Duration(Decimal(4), "bh"))
    findings = run_rules(builtin("SL402"), ws, TODAY)
    assert [(f.span.line, f.message) for f in findings] == [
        (
            9,
            "SLA 'crm' promises response_time <= 4bh for service 'crm' but OLA 'desk' guarantees only "
            "response_time "
            "<= 8h: an incident at mon 04:01 is due by mon 12:00 under SLA 'crm' (4bh) but OLA 'desk' "
            "may answer as "
            "late as mon 12:01 (8h)",
        )
    ]


def test_sl405_counts_a_longer_supporter_window_at_its_worst(tmp_path):
    """99.99% over a year is at worst 100% - 0.01% x 365 / 30 = 99.8783% in 30 days;
    x 99.99% = 99.8683...%, below 99.95%. Over 30 days the same OLAs give 99.98%."""
    files = {
        "shop.sla": PARTIES + SUPPLIER + SHOP,
        "a.sla": agreement(
            "contract",
            "a",
            "service s { objective availability { target: >= 99.99%  window: 1y } }",
            "supports: shop.web",
        ).replace("provider: t", "provider: sup"),
        "b.sla": supporter("b", "99.99%", "supports: shop"),
    }
    result = lint_files(files, tmp_path, settings=Settings(select=["SL405"]), today=TODAY)
    assert [(f.span.line, f.message) for f in result.findings] == [
        (
            6,
            "supporters of service 'web' of SLA 'shop' in series give only 99.8683% availability: contract 'a' "
            "(99.99% over 1y, at worst 99.8783% in 30d) × contract 'b' (99.99%) = 99.8683%, below the "
            "99.95% promised",
        )
    ]
