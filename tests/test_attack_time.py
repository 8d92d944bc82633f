"""A pull request's attacks on time and memory (docs/security.md, "Time and
memory"), run for real: packs that build huge values, burn the step budget
rule after rule or bring thousands of rules, and agreement files shaped to
make the workspace's resolution quadratic.

Each attack must end with its exact outcome well within 5 s: what used to
take minutes (or gigabytes) now takes well under a second of the work it
targets. The command line runs under a memory limit, so that a regression
fails the test instead of swapping the machine.
"""

from __future__ import annotations

import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sla_lang.model.workspace import build_workspace
from sla_lang.policy.engine import (
    PolicyRuntimeError,
    run_budget,
    run_rules_in_parallel,
)
from sla_lang.policy.expr import ExpressionError, compile_text
from sla_lang.policy.loader import load_packs
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser

SECONDS = 5.0
TODAY = datetime.date(2026, 6, 1)
PARTIES = "party c { role: customer }\nparty p { role: provider }\nparty t { role: team  organization: p }\n"
HEADER = 'provider: p  customer: c  version: "1"  effective: 2026-01-01'
OLA_HEADER = 'provider: t  customer: p  version: "1"  effective: 2026-01-01'
MEASURED = 'measurement: "m"'


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


def pack(name: str, *rules: tuple[str, str, str]) -> str:
    """A pack of agreement-scope rules (code, assertion, message)."""
    lines = [f"pack: {name}", "description: an attack", "rules:"]
    for code, assertion, message in rules:
        lines += [
            f"  - code: {code}",
            f"    name: {code.lower()}",
            "    severity: error",
            "    scope: agreement",
            f"    assert: '{assertion}'",
            f"    message: '{message}'",
        ]
    return "\n".join(lines) + "\n"


def one_sla(directory: Path, body: str = "service s { hours: 24x7 }") -> None:
    (directory / "a.sla").write_text(PARTIES + f"sla x {{ {HEADER}\n  {body} }}\n", encoding="utf-8")


# -- expressions: memory -------------------------------------------------------------------------


def test_a_sum_of_long_strings_is_refused_when_the_pack_is_loaded(tmp_path):
    """sum() over if(true, "<2,000 characters>", 0), three deep: 78 s and 5.9 GB
    before, because if() of a string and a number passed as a number."""
    lines = [f"objective o{i} {{ metric: availability  target: >= 99%  window: 30d }}" for i in range(100)]
    one_sla(tmp_path, "service s { hours: 24x7\n" + "\n".join(lines) + " }")
    long = '"' + "A" * 2000 + '"'
    quantifiers = "sum(x in workspace.objectives: sum(y in workspace.objectives: sum(z in workspace.objectives: "
    (tmp_path / "memory.yaml").write_text(pack("memory", ("MEM001", f"{quantifiers}if(true, {long}, 0)))) == 0", "x")))
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "memory.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    column = len("    assert: '") + len(quantifiers) + 1
    assert result.stderr.decode() == (
        f"slalint: memory.yaml:8:{column}: in 'assert': sum() adds numbers, percents or durations, not any value "
        "(give both branches of if() the same kind)\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


@pytest.mark.parametrize(
    ("expression", "column", "message"),
    [
        (
            'if(true, "a", 0) + if(true, "a", 0) == ""',
            18,
            "cannot compute any value + any value; arithmetic needs values of one known kind (give both branches "
            "of if() the same kind)",
        ),
        (
            'id + if(true, "a", 0) == ""',
            4,
            "cannot compute a string + any value; arithmetic needs values of one "
            "known kind (give both branches of if() the same kind)",
        ),
        (
            'product(s in services: if(true, "a", 1%)) > 0%',
            24,
            "product() multiplies numbers or percents, not any value (give both branches of if() the same kind)",
        ),
        ('sum(s in services: s.id) == ""', 20, "sum() adds numbers, percents or durations, not a string"),
    ],
    ids=["any-plus-any", "string-plus-any", "product-of-any", "sum-of-strings"],
)
def test_arithmetic_on_values_of_no_known_kind_is_refused(expression, column, message):
    with pytest.raises(ExpressionError) as raised:
        compile_text(expression, "agreement")
    assert (raised.value.message, raised.value.line, raised.value.column) == (message, 1, column)


@pytest.mark.parametrize(
    "expression",
    [
        'label_of(self) + " supports " + id != ""',
        "sum(s in services: count(o in s.objectives: true)) >= 0",
        "sum(s in services: sum(o in s.objectives: if(exists(o.target), o.target.value, null))) >= 0%",
        "product(s in services: 99.9%) * 2 >= 1%",
    ],
)
def test_arithmetic_on_known_kinds_still_compiles(expression):
    assert compile_text(expression, "agreement").type == "bool"


def test_a_string_longer_than_the_limit_is_an_error_naming_the_rule_and_the_node(tmp_path):
    one_sla(tmp_path, 'overview: "' + "o" * 40_000 + '"\n  service s { hours: 24x7 }')
    (tmp_path / "long.yaml").write_text(pack("long", ("LONG001", "false", "{overview + overview}")))
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "long.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "slalint: rule LONG001 (long.yaml:4) built a string of more than 65,536 characters (at sla:x); a message "
        "or expression must not join that much text\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_scanning_a_list_is_paid_for(tmp_path):
    """`self in workspace.objectives` for each of 3,000 objectives compares 9
    million pairs, and took no step at all."""
    lines = [f"objective o{i} {{ metric: availability  target: >= 99%  window: 30d }}" for i in range(3000)]
    one_sla(tmp_path, "service s { hours: 24x7\n" + "\n".join(lines) + " }")
    (tmp_path / "scan.yaml").write_text(
        "pack: scan\ndescription: x\nrules:\n  - code: SCAN001\n    name: scan\n    severity: info\n"
        "    scope: objective\n    assert: self in workspace.objectives\n    message: never\n"
    )
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "scan.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "slalint: rule SCAN001 (scan.yaml:4) ran out of steps (at sla:x/service:s/objective:o756): the rules of a "
        "run share 2,300,500 steps for this workspace (100 per node, plus 2,000,000), and it took 2,270,190 of "
        "them: its quantifiers grow too fast with the size of the workspace; compare within a service or "
        "agreement rather than the whole workspace\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


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


# -- one step budget for the run, and a limit on rules --------------------------------------------------------

# 125 x 125 x 125: 1,968,875 steps, just within what one evaluation could take before.
BURN = "count(a in {0}: count(b in {0}: count(c in {0}: true) > 0) > 0) > 0".format("[" + ",".join(["1"] * 125) + "]")


def test_rules_that_each_take_nearly_the_whole_budget_end_at_the_second(tmp_path):
    """281 such rules in one 256 KiB pack took 137 s, three packs 682 s: the
    budget was each rule's. Now the run has one."""
    one_sla(tmp_path)
    (tmp_path / "burn.yaml").write_text(pack("burn", *[(f"BURN{i:03d}", BURN, "never") for i in range(40)]))
    (tmp_path / "more.yaml").write_text(pack("more", ("MORE001", BURN, "never")))
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "burn.yaml", "--policy", "more.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "slalint: rule BURN001 (burn.yaml:10) ran out of steps (at sla:x): the rules of a run share 2,000,500 "
        "steps for this workspace (100 per node, plus 2,000,000), and rule BURN000 (burn.yaml:4) took 1,968,875 "
        "of them: its quantifiers grow too fast with the size of the workspace; compare within a service or "
        "agreement rather than the whole workspace\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_the_budget_is_shared_across_packs(tmp_path):
    one_sla(tmp_path)
    (tmp_path / "burn.yaml").write_text(pack("burn", ("BURN001", BURN, "never")))
    half = "count(a in {0}: count(b in {0}: true) > 0) > 0".format("[" + ",".join(["1"] * 200) + "]")
    (tmp_path / "late.yaml").write_text(pack("late", ("LATE001", half, "never")))
    result, seconds = slalint(tmp_path, "a.sla", "--policy", "burn.yaml", "--policy", "late.yaml")
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "slalint: rule LATE001 (late.yaml:4) ran out of steps (at sla:x): the rules of a run share 2,000,500 "
        "steps for this workspace (100 per node, plus 2,000,000), and rule BURN001 (burn.yaml:4) took 1,968,875 "
        "of them: its quantifiers grow too fast with the size of the workspace; compare within a service or "
        "agreement rather than the whole workspace\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_parts_in_parallel_share_the_budget_as_one_process_would(tmp_path):
    """One part may use more than its equal share when the others leave it the steps."""
    objectives = "\n".join(f"    objective o{i} {{ metric: availability }}" for i in range(1100))
    text = PARTIES + f"sla big {{ {HEADER}\n  service s {{\n{objectives}\n  }} }}\n"
    text += "".join(f"sla x{i} {{ {HEADER}  service s {{ }} }}\n" for i in range(3))
    workspace, _ = resolved({"a.sla": text})
    total = run_budget(workspace)
    for share, outcome in ((0.6, "findings"), (1.01, "error")):
        size = round((total * share) ** (1 / 3))  # size**3 + size**2 + size steps
        items = "[" + ",".join(["1"] * size) + "]"
        condition = f'id != "big" or count(a in {items}: count(b in {items}: count(c in {items}: true) > 0) > 0) < 0'
        (tmp_path / "heavy.yaml").write_text(pack("heavy", ("HEAVY001", condition, "{id}")))
        rules = [rule for p in load_packs([str(tmp_path / "heavy.yaml")], builtin=False) for rule in p.rules]
        outcomes = []
        for processes in (1, 2):
            try:
                outcomes.append(sorted(f.message for f in run_rules_in_parallel(processes, rules, workspace, TODAY)))
            except PolicyRuntimeError as error:
                outcomes.append(str(error))
        assert outcomes[0] == outcomes[1]
        assert isinstance(outcomes[0], list if outcome == "findings" else str), outcomes[0]
    assert outcomes[0].startswith("rule HEAVY001 (")


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
