"""examples/webshop.sla, the realistic workspace of language 2: it uses every
construct the language gained, it is clean for as long as its terms run, and
the rules about those constructs answer on it when one promise is weakened."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal

import pytest
from conftest import PROJECT, check_in_process

from sla_lang.many_files.cache import ParseCache
from sla_lang.many_files.parse import parse_sources
from sla_lang.model.workspace import build_workspace
from sla_lang.source import SourceFile

EXAMPLES = PROJECT / "examples"


def _workspace():
    sources = [SourceFile(path.name, path.read_text(encoding="utf-8")) for path in sorted(EXAMPLES.glob("*.sla"))]
    parsed = parse_sources(sources, ParseCache(enabled=False), 1)
    return build_workspace([node for each in parsed for node in each.declarations])


@pytest.mark.parametrize("today", ["2026-03-01", "2028-01-15", "2030-06-30"])
def test_the_example_is_clean_while_its_terms_run(today):
    run = check_in_process(PROJECT, "examples/webshop.sla", "--today", today, "--format", "concise")
    assert (run.code, run.out) == (0, ""), run.out


def test_the_example_uses_every_construct_of_language_2():
    workspace = _workspace()
    agreements = workspace.agreements
    shop, desk, hosting = agreements["acme_webshop"], agreements["shop_desk_ola"], agreements["hostco_hosting"]
    web = shop.services[0]
    assert str(web.business_hours) == "mon-fri 08:00-18:00" and web.hours.always
    assert web.holidays == ["DE-BY", datetime.date(2026, 12, 24), datetime.date(2026, 12, 31)]
    assert (str(web.maintenance.window), str(web.maintenance.notice), str(web.maintenance.limit)) == (
        "sun 02:00-06:00",
        "5bd",
        "8h",
    )
    response = web.objectives[1]
    assert (str(response.target), response.percentile) == ("<= 4bh", Decimal(90))
    assert (str(shop.credits[2].amount), str(shop.credits[2].per)) == ("2%", "1h")
    assert str(shop.credit_blocks[0].claim) == "30d"
    consent = shop.consent
    assert (type(consent).__name__, consent.method, consent.evidence) == ("Acceptance", "order", "PO 4711")
    penalties, service_days = hosting.credit_blocks
    assert (penalties.label, penalties.currency, penalties.kind) == ("penalties", "EUR", "money")
    assert penalties.credits[0].per_started is True
    assert (service_days.kind, service_days.credits[0].consecutive) == ("days", 2)
    assert [agreements[name].redundancy for name in ("dns_one_uc", "dns_two_uc")] == ["dns", "dns"]
    assert str(desk.services[0].objectives[0].target) == "<= 2bh"
    assert (shop.owner, shop.tags, shop.links) == (
        "Web shop service manager",
        ["retail", "tier-1"],
        ["https://wiki.example/webshop/sla"],
    )


def _weakened(tmp_path, *replacements: tuple[str, str]):
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    text = (copy / "webshop.sla").read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (copy / "webshop.sla").write_text(text, encoding="utf-8")
    run = check_in_process(copy, "webshop.sla", "--today", "2026-06-01", "--format", "concise", "--no-cache")
    return run.out.splitlines()


def test_a_desk_on_wall_clock_hours_is_judged_minute_by_minute(tmp_path):
    # 4bh on mon-fri 08:00-18:00 from mon 04:01 counts from mon 08:00: due mon 12:00.
    # 8h on the desk's clock is wall time: mon 04:01 + 8h = mon 12:01, one minute late.
    assert _weakened(tmp_path, ("target: <= 2bh", "target: <= 8h")) == [
        "webshop.sla:91:5: SL402 [error] SLA 'acme_webshop' promises P1 p90 response_time <= 4bh for service 'web' "
        "but OLA 'shop_desk_ola' guarantees only P1 p95 response_time <= 8h: an incident at mon 04:01 is due by "
        "mon 12:00 under SLA 'acme_webshop' (4bh) but OLA 'shop_desk_ola' may answer as late as mon 12:01 (8h)"
    ]


def test_the_redundant_dns_pair_is_in_parallel_and_hosting_in_series(tmp_path):
    # DNS pair: 1 - (0.001 x 0.001) = 99.9999%; with hosting at 99.85% in series:
    # 0.9985 x 0.999999 = 0.998499..., 99.8499%, below the 99.9% promised.
    lines = _weakened(
        tmp_path,
        (
            'target: >= 99.95%  window: 30d  measurement: "HostCo',
            'target: >= 99.85%  window: 30d  measurement: "HostCo',
        ),
    )
    assert lines[0] == (
        "webshop.sla:43:5: SL405 [error] supporters of service 'web' of SLA 'acme_webshop' in series and in parallel "
        "give only 99.8499% availability: contract 'hostco_hosting' (99.85%) × [contract 'dns_one_uc' (99.9%) ∥ "
        "contract 'dns_two_uc' (99.9%) = 99.9999%] = 99.8499%, below the 99.9% promised"
    )
    assert [line.split(" ")[1] for line in lines] == ["SL405", "SL402", "SL509"]


def test_a_desk_closed_on_a_day_the_shop_is_open_is_a_holiday_gap(tmp_path):
    lines = _weakened(tmp_path, ('holidays: ["DE-BY"]', 'holidays: ["DE-BY", 2026-07-01]'))
    assert lines == [
        "webshop.sla:90:5: SL408 [warning] OLA 'shop_desk_ola' is closed for holidays on 2026-07-01, when "
        "service 'web' of SLA 'acme_webshop', which it supports, runs 24x7 (Europe/Berlin): cover those dates, or "
        "close the supported service on them too"
    ]


def test_a_hosting_window_outside_the_shops_own_is_a_maintenance_gap(tmp_path):
    lines = _weakened(tmp_path, ("window: sun 02:00-05:00", "window: sat 02:00-05:00"))
    assert lines == [
        "webshop.sla:113:7: SL409 [warning] the maintenance window of service 'hosting' in contract 'hostco_hosting' "
        "(sat 02:00-05:00) falls in the hours of service 'web' of SLA 'acme_webshop', which it supports, outside that "
        "service's own maintenance: sat 02:00-05:00 (Europe/Berlin); move the window, or make it part of the "
        "supported service's maintenance"
    ]
