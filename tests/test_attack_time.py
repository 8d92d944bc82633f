"""A pull request's attacks on time and memory (docs/security.md, "Time and
memory"), run for real: packs that bring thousands of rules, and agreement
files shaped to make the workspace's resolution quadratic.

Each attack must end with its exact outcome well within 5 s: what used to
take minutes now takes well under a second of the work it targets. The
command line runs under a memory limit, so that a regression fails the test
instead of swapping the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sla_lang.model.workspace import build_workspace
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser

SECONDS = 5.0
PARTIES = "party c { role: customer }\nparty p { role: provider }\nparty t { role: team  organization: p }\n"
HEADER = 'provider: p  customer: c  version: "1"  effective: 2026-01-01'
OLA_HEADER = 'provider: t  customer: p  version: "1"  effective: 2026-01-01'


@pytest.fixture(scope="module", autouse=True)
def _own_cache(fresh_cache):
    """Every test here reads and writes an empty cache of its own."""


def slalint(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    """`slalint check ...` in cwd, with at most 1 GiB of memory; returns (result, seconds)."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    environment = {k: v for k, v in os.environ.items() if k != "SLALINT_DEBUG"}
    environment["SLALINT_CACHE_DIR"] = str(cwd / ".cache")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sla_lang", "check", *args, "--today", "2026-06-01", "--format", "concise"],
            cwd=cwd,
            capture_output=True,
            env=environment,
            timeout=60,
            preexec_fn=limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the check ran for more than 60 s")
    return result, time.monotonic() - started


def resolved(files: dict[str, str]):
    """The workspace of `files` (name -> text), and the seconds its resolution took (parsing not counted)."""
    parser = AgreementParser()
    declarations = [d for name, text in files.items() for d in parser.parse(SourceFile(name, text)).declarations]
    started = time.monotonic()
    workspace = build_workspace(declarations)
    return workspace, time.monotonic() - started


def one_sla(directory: Path, body: str = "service s { hours: 24x7 }") -> None:
    (directory / "a.sla").write_text(PARTIES + f"sla x {{ {HEADER}\n  {body} }}\n", encoding="utf-8")


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


# -- a limit on rules ------------------------------------------------------------------------------------------


def tiny_rules(name: str, prefix: str, count: int) -> str:
    """A pack of `count` rules that hold, one line each."""
    rules = [
        f"  - {{code: {prefix}{i:04d}, name: {prefix.lower()}{i}, severity: info, scope: agreement, assert: 'true', "
        "message: x}"
        for i in range(count)
    ]
    return f"pack: {name}\ndescription: x\nrules:\n" + "\n".join(rules) + "\n"


def test_more_than_two_thousand_rules_in_a_run_is_a_policy_error(tmp_path):
    one_sla(tmp_path)
    (tmp_path / "first.yaml").write_text(tiny_rules("first", "F", 1000))
    (tmp_path / "second.yaml").write_text(tiny_rules("second", "S", 1000))
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "first.yaml", "--policy", "second.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "slalint: second.yaml:963:1: pack 'second' brings the rules of this run to 2,041, more than the 2,000 "
        "slalint runs at once (the packs before it hold 1,041); remove rules, or check them in separate runs\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_one_pack_of_more_than_two_thousand_rules_is_refused_before_it_is_compiled(tmp_path):
    one_sla(tmp_path)
    (tmp_path / "huge.yaml").write_text(tiny_rules("huge", "H", 2500))
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "huge.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "slalint: huge.yaml:2004:5: pack 'huge' has 2,500 rules, more than the 2,000 slalint runs at once; "
        "split it, and check the parts in separate runs\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"
