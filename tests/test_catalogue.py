"""The built-in rule catalogue as a whole (SPEC §3): every rule of the spec
exists with its code, name and severity; every rule has examples both ways
and they hold; docs/rules.md is generated from the packs and not stale; every
rule fires somewhere under examples/; the SPEC §2.4 example gives nothing."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from conftest import PROJECT, SPEC_EXAMPLE, run_cli

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, lint
from sla_lang.policy.loader import load_packs
from sla_lang.policy.testing import run_examples
from sla_lang.rule_docs import rules_page

SPEC_TEXT = (
    (PROJECT.parent / "shared" / "SPEC.md").read_text(encoding="utf-8")
    if (PROJECT.parent / "shared" / "SPEC.md").exists()
    else None
)
PACKS = load_packs([])
RULES = {rule.code: rule for pack in PACKS for rule in pack.rules}
TODAY = datetime.date(2026, 6, 1)


def spec_rules() -> list[tuple[str, str, str]]:
    """(code, name, severity) of every rule row in SPEC §3 from SL1 to SL6."""
    rows = re.findall(r"^\| (SL[1-6]\d\d) \| ([a-z0-9-]+) \| (error|warning|info) \|", SPEC_TEXT, re.M)
    return sorted(set(rows))


@pytest.mark.skipif(SPEC_TEXT is None, reason="the specification is not beside the project")
def test_every_rule_of_the_spec_is_in_a_pack_with_its_name_and_severity():
    expected = spec_rules()
    assert len(expected) >= 40
    assert [
        (c, RULES[c].name, RULES[c].severity) if c in RULES else (c, "MISSING", "") for c, _, _ in expected
    ] == expected


def test_every_built_in_rule_has_docs_and_examples_both_ways():
    for rule in RULES.values():
        kinds = {example.expect for example in rule.examples}
        if rule.code == "SL205":  # needs git history: only a pass example can be self-contained
            assert "pass" in kinds
            continue
        assert kinds == {"fail", "pass"}, rule.code
        for section in ("## What it checks", "## Why it matters", "## How to fix"):
            assert section in rule.docs, (rule.code, section)


def test_the_examples_of_the_built_in_packs_hold():
    outcomes = run_examples(PACKS, TODAY)
    assert len(outcomes) >= 80
    failed = [
        f"{o.rule.code} {o.example.expect} (line {o.example.line}): {o.problem}" for o in outcomes if not o.passed
    ]
    assert not failed, "\n".join(failed)


def test_slalint_test_runs_the_built_in_examples():
    run = run_cli("test", "--today", "2026-06-01")
    assert run.returncode == 0, run.stdout.decode() + run.stderr.decode()
    assert re.search(rb"\d+ examples in \d+ pack\(s\): \d+ passed", run.stdout)


def test_docs_rules_md_is_generated_from_the_packs():
    committed = (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_page(), "docs/rules.md is stale: python -m sla_lang.rule_docs > docs/rules.md"


def _lint(paths, cwd):
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        return lint(LintRequest(paths=paths, settings=Settings(), today=TODAY))
    finally:
        os.chdir(previous)


def test_every_rule_fires_somewhere_under_examples():
    fired = {finding.code for finding in _lint(["examples"], PROJECT).findings}
    silent = sorted(code for code in RULES if code not in fired and code != "SL205")
    assert not silent, f"rules that never fire under examples/: {silent}"


def test_the_spec_example_gives_no_finding_at_all():
    result = _lint([os.path.relpath(SPEC_EXAMPLE, PROJECT)], PROJECT)
    assert [f"{f.code} {f.message}" for f in result.findings] == []
