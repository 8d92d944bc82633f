"""A pull request's attacks on time and memory (docs/security.md, "Time and
memory"), run for real: packs that build huge values, burn the step budget
rule after rule or bring thousands of rules, and agreement files shaped to
make the built-in checks and the workspace's resolution quadratic.

Each attack must end with its exact outcome well within 5 s: what used to
take minutes (or gigabytes) now takes well under a second of the work it
targets. The command line runs under a memory limit, so that a regression
fails the test instead of swapping the machine.
"""

from __future__ import annotations

import datetime
import subprocess
import time
from pathlib import Path

import pytest
from conftest import run_cli

from sla_lang.model.workspace import build_workspace
from sla_lang.policy.engine import (
    PolicyRuntimeError,
    StepBudget,
    run_budget,
    run_rules,
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


@pytest.fixture(scope="module")
def builtin_rules():
    return [rule for pack in load_packs([]) for rule in pack.rules]


def slalint(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    """`slalint check ...` in cwd, with at most 1 GiB of memory; returns (result, seconds)."""
    result = run_cli(
        "check", *args, "--today", "2026-06-01", "--format", "concise",
        cwd=cwd, env={"SLALINT_CACHE_DIR": str(cwd / ".cache")}, timeout=60, memory=1 << 30,
    )  # fmt: skip
    return result, result.seconds


def resolved(files: dict[str, str]):
    """The workspace of `files` (name -> text), and the seconds its resolution took (parsing not counted)."""
    parser = AgreementParser()
    declarations = [d for name, text in files.items() for d in parser.parse(SourceFile(name, text)).declarations]
    started = time.monotonic()
    workspace = build_workspace(declarations)
    return workspace, time.monotonic() - started


def checked(rules, workspace) -> tuple[list, float]:
    """The findings of `rules` over `workspace` in one process, and the seconds they took."""
    started = time.monotonic()
    findings = run_rules_in_parallel(1, rules, workspace, TODAY)
    return findings, time.monotonic() - started


def of_code(findings, code: str) -> list:
    return [f for f in findings if f.code == code]


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
        "slalint: rule LONG001 (long.yaml:4) built a string of more than 65,536 characters (at SLA 'x'); a message "
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
        "slalint: rule SCAN001 (scan.yaml:4) ran out of steps (at objective x.s.o757): the rules of a "
        "run share 2,300,500 steps for this workspace (100 per node, plus 2,000,000), and it took 2,272,421 of "
        "them: its quantifiers grow too fast with the size of the workspace; compare within a service or "
        "agreement rather than the whole workspace\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


# -- built-in checks: the shapes of the issue, at its sizes -----------------------------------------


def test_supports_naming_one_agreement_a_thousand_times_is_one_link(builtin_rules):
    """69 s and 967 MB before: a million SL403 findings built, then cut to 1,000."""
    services = "\n".join(f"  service s{i} {{ hours: 24x7 }}" for i in range(1000))
    text = (
        PARTIES
        + f"sla gold {{ {HEADER}\n{services}\n}}\n"
        + f"ola team {{ {OLA_HEADER}\n  supports: [{', '.join(['gold'] * 1000)}]\n"
        + "  service db { hours: mon-fri 09:00-17:00 } }\n"
    )
    workspace, _ = resolved({"a.sla": text})
    assert workspace.agreements["team"].supports == [workspace.agreements["gold"]]
    findings, seconds = checked(builtin_rules, workspace)
    gaps = of_code(findings, "SL403")
    assert len(gaps) == 1000  # one for each service of gold
    assert (gaps[0].span.line, gaps[0].span.column, gaps[0].message) == (
        1008,
        16,
        "OLA 'team' covers mon-fri 09:00-17:00 but supports service 's0' of SLA 'gold', which runs 24x7: not "
        "covered mon-fri 00:00-09:00 and 17:00-24:00, sat-sun 00:00-24:00",
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_one_ola_with_ten_thousand_objectives_on_one_metric(builtin_rules):
    """SL402 took 41 s: each objective looked for the strictest of all 10,000."""
    objectives = "\n".join(
        f'    objective o{i} {{ metric: availability  target: >= 99.{i % 9}%  window: 30d  measurement: "m" }}'
        for i in range(10_000)
    )
    text = (
        PARTIES
        + f"sla gold {{ {HEADER}\n  service api {{ hours: 24x7\n"
        + '    objective availability { target: >= 99.99%  window: 30d  measurement: "m" } } }\n'
        + f"ola team {{ {OLA_HEADER}  supports: gold\n  service db {{ hours: 24x7\n{objectives}\n  }} }}\n"
    )
    workspace, _ = resolved({"a.sla": text})
    findings, seconds = checked(builtin_rules, workspace)
    weaker = of_code(findings, "SL402")
    assert [(f.span.line, f.span.column, f.message) for f in weaker] == [
        (
            17,
            5,
            "SLA 'gold' promises 99.99% availability for service 'api' but OLA 'team' guarantees only 99.8% "
            "availability",
        )
    ]
    # All 9,999 repeat the first (SL307): one past the 1,000 shown, then the rule stops in that file.
    assert len(of_code(findings, "SL307")) == 1001
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_twenty_thousand_objectives_in_one_service_are_linear(builtin_rules):
    """SL307 compared every objective with each one before it: 200 million
    steps, and the run ended with an error after 21 s."""
    objectives = "\n".join(
        f"    objective o{i} {{ metric: availability  priority: P{i % 19_999}  target: >= 99.9%  window: 30d  "
        f"{MEASURED} }}"
        for i in range(20_000)
    )
    workspace, seconds = resolved(
        {"a.sla": PARTIES + f"sla big {{ {HEADER}\n  service s {{ hours: 24x7\n{objectives}\n  }} }}\n"}
    )
    assert seconds < SECONDS, f"resolving took {seconds:.1f} s"
    findings, seconds = checked(builtin_rules, workspace)
    assert [(f.span.line, f.message) for f in of_code(findings, "SL307")] == [
        (
            20_005,
            "objective 'o19999' of service 's' in SLA 'big' has the same metric (availability), priority, "
            "percentile and window as objective 'o0' before it, with target >= 99.9% against >= 99.9%: keep one, "
            "or tell them apart by priority, percentile or window",
        )
    ]
    assert seconds < SECONDS, f"took {seconds:.1f} s"


# -- built-in checks: the other quadratic shapes ----------------------------------------------------------


def test_a_thousand_olas_supporting_an_agreement_of_a_thousand_services(builtin_rules):
    """Each service kept a copy of every supporter (a million links), and
    SL405 multiplied a thousand supporters for each of its thousand objectives."""
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
    findings, seconds = checked(builtin_rules, workspace)
    assert of_code(findings, "SL403") == []  # the OLAs cover the hours of every service
    series = of_code(findings, "SL405")
    assert len(series) == 1000
    assert (series[0].span.line, series[0].message) == (
        5,
        "supporters of service 's0' of SLA 'gold' in series give only 60.6454% availability: OLA 'o0' (99.95%) × "
        "OLA 'o1' (99.95%) × OLA 'o2' (99.95%) × OLA 'o3' (99.95%) × OLA 'o4' (99.95%) × 995 more = 60.6454%, below "
        "the 99.9% promised",
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_five_thousand_credit_tiers_of_one_objective(builtin_rules):
    """SL510 compared every credit with every other one of its objective: 25
    million pairs, and the run ended with an error."""
    amounts = [f"{10 + i / 1000:.4f}" for i in range(4999)] + ["14.9975"]  # the last is smaller than the one before
    credits = "\n".join(
        f"    credit {{ when: api.availability < {99 - i / 1000:.3f}%; amount: {amount}% }}"
        for i, amount in enumerate(amounts)
    )
    text = (
        PARTIES
        + f"sla gold {{ {HEADER}\n  service api {{ hours: 24x7\n"
        + f"    objective availability {{ target: >= 99.9%  window: 30d  {MEASURED} }} }}\n"
        + f"  credits {{\n{credits}\n  }} }}\n"
    )
    workspace, seconds = resolved({"a.sla": text})
    assert seconds < SECONDS, f"resolving took {seconds:.1f} s"
    findings, seconds = checked(builtin_rules, workspace)
    assert [(f.span.line, f.message) for f in of_code(findings, "SL510")] == [
        (
            5007,
            "the credit in SLA 'gold' for api.availability < 94.001% gives 14.9975%, less than the 14.998% given at "
            "the milder api.availability < 94.002%: a worse breach should never earn a smaller credit",
        )
    ]
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_five_thousand_objectives_agreed_against_five_thousand_signatures(builtin_rules):
    """SL204 looked through every signature for every objective."""
    parties = "".join(f"party s{i} {{ role: team  organization: p }}\n" for i in range(5000))
    objectives = "\n".join(
        f"    objective o{i} {{ metric: availability  target: >= 99.9%  window: 30d  {MEASURED}  agreed: 2026-03-01 }}"
        for i in range(5000)
    )
    signatures = "\n".join(f'    signature s{i} {{ by: "Sam {i}"; date: 2026-01-15 }}' for i in range(5000))
    text = (
        PARTIES
        + parties
        + f"sla gold {{ {HEADER}\n  service api {{ hours: 24x7\n{objectives}\n  }}\n"
        + f'  approval {{\n{signatures}\n    signature c {{ by: "Chris"; date: 2026-02-01 }}\n  }} }}\n'
    )
    workspace, _ = resolved({"a.sla": text})
    assert len(workspace.agreements["gold"].signatures) == 5001
    findings, seconds = checked(builtin_rules, workspace)
    late = of_code(findings, "SL204")
    assert len(late) == 1001  # all 5,000: one past the 1,000 shown, then the rule stops in that file
    assert (late[0].span.line, late[0].span.column, late[0].message) == (
        5006,
        91,
        "objective 'o0' of service 'api' in SLA 'gold' was agreed on 2026-03-01, after the customer 'c' signed on "
        "2026-02-01: the signature does not cover it",
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_a_support_cycle_through_ten_thousand_agreements(builtin_rules):
    """The walk round the cycle checked each step against the whole path so far."""
    olas = "\n".join(
        f"ola a{i:05d} {{ {OLA_HEADER}  supports: a{(i + 1) % 10_000:05d}  service s {{ hours: 24x7 }} }}"
        for i in range(10_000)
    )
    workspace, seconds = resolved({"a.sla": PARTIES + olas})
    assert seconds < SECONDS, f"resolving took {seconds:.1f} s"
    rules = [rule for rule in builtin_rules if rule.code == "SL406"]
    findings, seconds = checked(rules, workspace)
    path = " -> ".join(f"OLA 'a{i:05d}'" for i in range(10))
    assert [(f.span.line, f.message) for f in findings] == [
        (
            4,
            f"supports links form a cycle: {path} -> (9,990 more) -> OLA 'a00000'; an agreement cannot underpin "
            "itself, remove one of the links",
        )
    ]
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
        "slalint: rule BURN001 (burn.yaml:10) ran out of steps (at SLA 'x'): the rules of a run share 2,000,500 "
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
        "slalint: rule LATE001 (late.yaml:4) ran out of steps (at SLA 'x'): the rules of a run share 2,000,500 "
        "steps for this workspace (100 per node, plus 2,000,000), and rule BURN001 (burn.yaml:4) took 1,968,875 "
        "of them: its quantifiers grow too fast with the size of the workspace; compare within a service or "
        "agreement rather than the whole workspace\n"
    )
    assert seconds < SECONDS, f"took {seconds:.1f} s"


def test_the_builtin_checks_pay_from_the_same_budget(builtin_rules):
    objectives = "\n".join(
        f"    objective o{i} {{ metric: availability  target: >= 99.{i}%  window: 30d }}" for i in range(9)
    )
    text = (
        PARTIES
        + f"sla gold {{ {HEADER}\n  service api {{ hours: 24x7\n"
        + "    objective availability { target: >= 99.99%  window: 30d } } }\n"
        + f"ola team {{ {OLA_HEADER}  supports: gold\n  service db {{ hours: 24x7\n{objectives}\n  }} }}\n"
    )
    workspace, _ = resolved({"a.sla": text})
    weaker = [rule for rule in builtin_rules if rule.code == "SL402"]
    assert len(run_rules(weaker, workspace, TODAY, budget=StepBudget(1000))) == 1
    with pytest.raises(PolicyRuntimeError) as raised:
        run_rules(weaker, workspace, TODAY, budget=StepBudget(5))
    assert str(raised.value).startswith(
        f"rule SL402 ({weaker[0].path}:{weaker[0].line}) ran out of steps (at objective team.db.o0): "
        "the rules of a run share 5 steps for this workspace (100 per node, plus 2,000,000), and it took 5 of "
        "them: its check 'underpinning-targets' had more to compare"
    )


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
    from sla_lang.policy.loader import load_packs

    before = 1000 + sum(len(p.rules) for p in load_packs([]))  # the built-in rules come first
    assert result.stderr.decode() == (
        f"slalint: second.yaml:{4 + 2000 - before}:1: pack 'second' brings the rules of this run to "
        f"{before + 1000:,}, more than the 2,000 slalint runs at once (the packs before it hold {before:,}); "
        "remove rules, or check them in separate runs\n"
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


def test_thirty_thousand_responsibilities_blocks_are_linear(tmp_path):
    """Each `responsibilities` block was compared with every earlier one (for SL005)."""
    import time

    blocks = "".join(f'  responsibilities c{n % 30_000} {{ "x" }}\n' for n in range(30_001))
    text = (
        'party c { role: customer }\nparty p { role: provider }\nsla s { provider: p  customer: c  version: "1"\n'
        "  effective: 2026-01-01\n  service x { hours: 24x7  objective availability { target: >= 99%  window: 30d } }\n"
        + blocks
        + "}\n"
    )
    (tmp_path / "t.sla").write_text(text, encoding="utf-8")
    from sla_lang.source import SourceFile
    from sla_lang.syntax.parser import AgreementParser

    start = time.perf_counter()
    parsed = AgreementParser().parse(SourceFile("t.sla", text))
    assert time.perf_counter() - start < 5
    duplicates = [f for f in parsed.findings if f.code == "SL005"]
    # 30,000 parties, then c0 again: one duplicate, on the last block's line.
    assert [(f.span.line, f.span.column) for f in duplicates] == [(30_006, 20)]
