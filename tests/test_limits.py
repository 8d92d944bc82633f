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
