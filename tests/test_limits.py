"""Limits that keep a pull-request gate bounded, seen from outside: long `or`
chains are fine, policy directories do not lead elsewhere through links, and a
file with thousands of problems shows the first 1,000 and says so."""

from __future__ import annotations

import os

import pytest
from conftest import run_cli

from sla_lang.policy.expr import MAX_DEPTH, ExpressionError, compile_text
from sla_lang.policy.loader import PolicyError, expand_policy_paths


def test_a_long_or_chain_is_wide_not_deep():
    chain = " or ".join(f'id == "s{i}"' for i in range(3 * MAX_DEPTH))
    assert compile_text(chain, "service").type == "bool"
    with pytest.raises(ExpressionError, match="nested more than"):
        compile_text("not " * (MAX_DEPTH + 1) + "exists(id)", "service")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_policy_directory_does_not_lead_out_through_a_link(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("pack: x\nrules: []\n", encoding="utf-8")
    packs = tmp_path / "policies"
    packs.mkdir()
    (packs / "mine.yaml").write_text("pack: mine\nrules: []\n", encoding="utf-8")
    os.symlink(outside, packs / "linked.yaml")
    with pytest.raises(PolicyError, match="symbolic link to a file outside its directory"):
        expand_policy_paths([str(packs)])
    os.unlink(packs / "linked.yaml")
    assert expand_policy_paths([str(packs)]) == [str(packs / "mine.yaml")]


def test_a_file_with_thousands_of_findings_shows_the_first_thousand(tmp_path):
    (tmp_path / "many.sla").write_text(
        "".join(f"party p{i} {{ role: custmer }}\n" for i in range(1_500)), encoding="utf-8"
    )
    run = run_cli("check", "many.sla", "--format", "concise", "--no-cache", cwd=tmp_path)
    assert run.returncode == 1
    assert len(run.stdout.splitlines()) == 1_000
    assert b"many.sla: more than 1,000 findings; only the first are shown" in run.stderr


NESTED_33_DEEP = "sla deep {\n" + "  x {\n" * 32 + "  }\n" * 32 + "}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NESTED_33_DEEP.replace("  x {\n", "", 1).replace("  }\n", "", 1), []),  # 32 levels: at the limit
        (NESTED_33_DEEP, [("SL001", 33, 5, "blocks are nested more than 32 levels deep")]),
        ("party a { role: team  x: " + "[" * 32 + "]" * 32 + " }\n", []),
        ("party a { role: team  x: " + "[" * 33 + "]" * 33 + " }\n", [("SL001", 1, 58, "lists are nested more")]),
    ],
    ids=["32-blocks", "33-blocks", "32-lists", "33-lists"],
)
def test_nesting_is_limited_to_32_levels(tmp_path, text, expected):
    from sla_lang.source import SourceFile
    from sla_lang.syntax.parser import AgreementParser

    parsed = AgreementParser().parse(SourceFile("t.sla", text))
    syntax = [f for f in parsed.findings if f.code == "SL001"]
    assert [(f.code, f.span.line, f.span.column) for f in syntax] == [e[:3] for e in expected]
    for finding, (*_, message) in zip(syntax, expected, strict=True):
        assert message in finding.message


def test_a_file_of_millions_of_nested_blocks_stops_at_the_limit(tmp_path):
    """5 MiB of `a {` once took 17 s and 1.1 GB; the parser now stops at the
    33rd level and goes on with the next declaration."""
    (tmp_path / "deep.sla").write_text(
        "sla deep {" + " a {" * 1_300_000 + "\nparty later { role: custmer }\n", encoding="utf-8"
    )
    run = run_cli("check", "deep.sla", "--format", "concise", "--no-cache", "--select", "SL0", cwd=tmp_path, timeout=10)
    assert run.returncode == 1
    assert run.stdout.decode().splitlines() == [
        "deep.sla:1:138: SL001 [error] blocks are nested more than 32 levels deep; no agreement needs that many",
        "deep.sla:2:21: SL003 [error] unknown role 'custmer' in party 'later': expected one of customer, provider, "
        "team, supplier; did you mean 'customer'?",
    ]
