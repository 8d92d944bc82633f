"""A pull request's attacks on time and memory (docs/security.md, "Time and
memory"), run for real: agreement files shaped to make the workspace's
resolution quadratic.

Each attack must end with its exact outcome well within 5 s: what used to
take minutes now takes well under a second of the work it targets.
"""

from __future__ import annotations

import time

from sla_lang.model.workspace import build_workspace
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser

SECONDS = 5.0
PARTIES = "party c { role: customer }\nparty p { role: provider }\nparty t { role: team  organization: p }\n"
HEADER = 'provider: p  customer: c  version: "1"  effective: 2026-01-01'
OLA_HEADER = 'provider: t  customer: p  version: "1"  effective: 2026-01-01'


def resolved(files: dict[str, str]):
    """The workspace of `files` (name -> text), and the seconds its resolution took (parsing not counted)."""
    parser = AgreementParser()
    declarations = [d for name, text in files.items() for d in parser.parse(SourceFile(name, text)).declarations]
    started = time.monotonic()
    workspace = build_workspace(declarations)
    return workspace, time.monotonic() - started


# -- the workspace's resolution -----------------------------------------------------------------------------


def test_twenty_thousand_links_to_services_of_one_agreement():
    """Each `supports: gold.sN` and each credit `sN.availability` searched all twenty thousand services."""
    services = "\n".join(
        f"  service s{i} {{ objective availability {{ target: >= 99%  window: 30d }} }}" for i in range(20_000)
    )
    credits = "\n".join(f"    credit {{ when: s{i}.availability < 99%; amount: 1% }}" for i in range(20_000))
    links = ", ".join(f"gold.s{i}" for i in range(20_000))
    text = (
        PARTIES
        + f"sla gold {{ {HEADER}\n{services}\n  credits {{\n{credits}\n  }} }}\n"
        + f"ola team {{ {OLA_HEADER}\n  supports: [{links}]\n  service db {{ hours: 24x7 }} }}\n"
    )
    workspace, seconds = resolved({"a.sla": text})
    assert workspace.findings == []
    gold, team = workspace.agreements["gold"], workspace.agreements["team"]
    assert team.supports == gold.services and gold.services[19_999].supported_by == [team]
    assert [credit.objective for credit in gold.credits] == [service.objectives[0] for service in gold.services]
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_ten_thousand_distinct_missing_names_get_hints_for_the_first_only():
    """Each "did you mean" compared the name with all ten thousand parties."""
    parties = "\n".join(f"party member{i:05d} {{ role: customer }}" for i in range(10_000))
    agreements = "\n".join(
        f'sla s{i} {{ provider: p  customer: membr{i:05d}  version: "1"  effective: 2026-01-01  service a {{ }} }}'
        for i in range(10_000)
    )
    workspace, seconds = resolved({"a.sla": PARTIES + parties, "b.sla": agreements})
    missing = [f for f in workspace.findings if f.code == "SL007"]
    assert len(missing) == 10_000
    assert missing[0].message == (
        "the customer of SLA 's0' names 'membr00000', but no party 'membr00000' is declared; did you mean "
        "'member00000'?"
    )
    assert sum("did you mean" in f.message for f in missing) == 200
    assert missing[-1].message == (
        "the customer of SLA 's9999' names 'membr09999', but no party 'membr09999' is declared (is the file that "
        "declares it in the workspace?)"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_a_thousand_olas_supporting_an_agreement_of_a_thousand_services():
    """Each service kept a copy of every supporter: a million links."""
    services = "\n".join(
        f"  service s{i} {{ hours: mon-fri 09:00-17:00  objective availability {{ target: >= 99.9%  window: 30d }} }}"
        for i in range(1000)
    )
    olas = "\n".join(
        f"ola o{i} {{ {OLA_HEADER}  supports: gold\n  service db {{ hours: mon-fri 08:00-18:00\n"
        "    objective availability { target: >= 99.95%  window: 30d } } }"
        for i in range(1000)
    )
    workspace, seconds = resolved({"a.sla": PARTIES + f"sla gold {{ {HEADER}\n{services}\n}}\n", "b.sla": olas})
    assert seconds < SECONDS, f"resolving took {seconds:.1f} s"
    gold = workspace.agreements["gold"]
    assert len(gold.whole_supporters) == 1000 and all(not s.own_supporters for s in gold.services)
    assert gold.services[999].supported_by == [workspace.agreements[f"o{i}"] for i in range(1000)]
