"""The fine points of language 2 that finish it: SL409 for redundant
supporters (only the spans in which every member of a group is in planned
maintenance, once per group), and SL307, SL509 and SL510 comparing a business
duration with another unit by its length on the service's clock
(business_hours when present).

The annotated fixtures under tests/fixtures/language2/finish/ give exactly the
findings their annotations name, with the messages below.
"""

from __future__ import annotations

import datetime
import re

import pytest
from conftest import FIXTURES, expected_findings, lint_files

from sla_lang.config.settings import Settings

TODAY = datetime.date(2026, 6, 1)
FINISH = FIXTURES / "language2" / "finish"

_SL307 = (
    "objective '{0}' of service 'desk' in SLA 'fin_desk_sla' has the same metric (response_time), priority, "
    "percentile and window as objective '{1}' before it, with target {2}: keep one, or tell them apart by "
    "priority, percentile or window"
)

MESSAGES = {
    "maintenance.sla": [
        (
            95,
            "SL409",
            "every member of redundancy group 'dns' (contract 'fin_api_dns_a', contract 'fin_api_dns_b') is in "
            "planned maintenance at once in the hours of service 'api' of SLA 'fin_api_sla', which they support, "
            "outside that service's own maintenance: sun 03:00-05:00 (UTC), starting with the window of service "
            "'dns' in contract 'fin_api_dns_a' (sun 02:00-05:00); move one member's window, or make the span part "
            "of the supported service's maintenance",
        ),
    ],
    "objectives.sla": [
        (
            22,
            "SL307",
            _SL307.format(
                "respond_fast",
                "respond",
                "<= 2h against <= 4bh (4bh takes up to 2 d 18 h on the service's clock, so <= 2h is the stricter)",
            ),
        ),
        (
            26,
            "SL307",
            _SL307.format(
                "respond_p2_office",
                "respond_p2",
                "<= 4bh against <= 3d (4bh takes up to 2 d 18 h on the service's clock, so <= 4bh is the stricter)",
            ),
        ),
        (
            30,
            "SL307",
            _SL307.format(
                "respond_p3_office",
                "respond_p3",
                "<= 4bh against <= 1bd (4bh takes up to 2 d 18 h, 1bd takes up to 3 d 14 h on the service's "
                "clock, so <= 4bh is the stricter)",
            ),
        ),
        (34, "SL307", _SL307.format("respond_p4_again", "respond_p4", "<= 3bd against <= 2bd")),
        (
            38,
            "SL307",
            _SL307.format(
                "respond_p7_fast",
                "respond_p7",
                "<= 5h against <= 4bh (4bh takes up to 2 d 18 h on the service's clock, so <= 5h is the stricter)",
            ),
        ),
    ],
    "credits.sla": [
        (
            24,
            "SL509",
            "the 5% credit in SLA 'fin_credit_sla' applies when desk.respond > 5h, but the objective's target is "
            "<= 4bh: a measured value between 5h and 4bh meets the target and still earns the credit; move the "
            "threshold to the target or beyond it",
        ),
        (
            28,
            "SL510",
            "the credit in SLA 'fin_credit_sla' for desk.respond > 3d gives 2%, less than the 5% given at the "
            "milder desk.respond > 5h: a worse breach should never earn a smaller credit",
        ),
    ],
}


def _select(text: str) -> list[str]:
    return [code.strip() for code in re.search(r"^# select: (.*)$", text, re.M).group(1).split(",")]


def _lint(text: str, tmp_path, name: str = "t.sla"):
    return lint_files({name: text}, tmp_path, settings=Settings(select=_select(text)), today=TODAY).findings


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_annotated_fixture_findings_and_messages(name, tmp_path):
    text = (FINISH / name).read_text(encoding="utf-8")
    findings = _lint(text, tmp_path, name)
    found = sorted(((f.code, f.span.line, f.span.column) for f in findings), key=lambda e: (e[1], e[2], e[0]))
    assert found == expected_findings(text)
    assert sorted((f.span.line, f.code, f.message) for f in findings) == sorted(MESSAGES[name])


def test_every_fixture_here_is_checked():
    assert {path.name for path in FINISH.glob("*.sla")} == set(MESSAGES)


def _between(text: str, start: str, end: str | None = None) -> str:
    first = text.index(start)
    return text[first : text.index(end, first) if end else len(text)]


def test_a_group_in_maintenance_is_reported_once_in_the_first_members_file(tmp_path):
    """Each member in its own file: one finding, in the file of the member whose id
    sorts first, with the supported agreement's and the other member's files related."""
    text = (FINISH / "maintenance.sla").read_text(encoding="utf-8")
    files = {
        "sla.sla": _between(text, "party fin_shop", "# Near miss") + _between(text, "sla fin_api_sla", "contract"),
        "dns_b.sla": _between(text, "contract fin_api_dns_b", "contract fin_api_dns_a"),
        "dns_a.sla": _between(text, "contract fin_api_dns_a"),
    }
    result = lint_files(files, tmp_path, settings=Settings(select=["SL409"]), today=TODAY)
    assert [(f.code, f.span.path, f.span.line, f.span.column, f.related) for f in result.findings] == [
        ("SL409", "dns_a.sla", 11, 19, ("sla.sla", "dns_b.sla"))
    ]


def test_a_member_without_an_availability_objective_is_judged_on_its_own(tmp_path):
    """Not a member (SL410's rule of membership): its window alone is a gap."""
    text = (FINISH / "maintenance.sla").read_text(encoding="utf-8")
    dns_b = text.index('contract fin_api_dns_b "API DNS B"')
    changed = text[:dns_b] + text[dns_b:].replace(
        "    objective availability { target: >= 99.9%  window: 30d }\n", "", 1
    )
    findings = _lint(changed, tmp_path)
    assert [(f.code, f.span.line, f.span.column) for f in findings] == [("SL409", 80, 19), ("SL409", 94, 19)]
