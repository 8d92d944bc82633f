"""`slalint rules`, `slalint explain` and `slalint test` (SPEC §4, §5), and the
example user pack examples/policies/acme-house-rules.yaml, run as a user
runs them: the real command line in a fresh process."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES, PROJECT, run_cli

GOOD_PACK = "tests/fixtures/packs/good.yaml"
WRONG_PACK = "tests/fixtures/packs/wrong-example.yaml"
ACME_PACK = "examples/policies/acme-house-rules.yaml"
LANGUAGE_CODES = [f"SL00{n}" for n in range(1, 9)]


def cli(*arguments: str):
    return run_cli(*arguments, cwd=PROJECT)


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    result = cli("rules", "--format", "json", "--policy", GOOD_PACK)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- rules ------------------------------------------------------------------------


def test_rules_json_lists_every_rule_once_sorted_by_code(catalogue):
    codes = [row["code"] for row in catalogue]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    assert set(LANGUAGE_CODES) <= set(codes)
    for row in catalogue:
        assert set(row) == {"code", "name", "severity", "pack", "summary"}
        assert row["severity"] in ("error", "warning", "info")
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["name"]), row
        assert row["summary"], row


def test_rules_json_shows_built_in_and_user_rules(catalogue):
    by_code = {row["code"]: row for row in catalogue}
    assert by_code["SL002"] == {
        "code": "SL002",
        "name": "unknown-field",
        "severity": "error",
        "pack": "language",
        "summary": by_code["SL002"]["summary"],
    }
    assert by_code["SL402"]["name"] == "underpinning-weaker-target"
    assert by_code["SL402"]["pack"] == "underpinning"
    assert by_code["TEST001"] == {
        "code": "TEST001",
        "name": "house-window-missing",
        "severity": "warning",
        "pack": "test-house-rules",
        "summary": "An objective names no measurement window.",
    }
    assert by_code["TEST002"]["severity"] == "error"


def test_rules_json_without_policy_has_no_user_rules(catalogue):
    result = cli("rules", "--format", "json")
    rows = json.loads(result.stdout)
    assert [row["code"] for row in rows] == [row["code"] for row in catalogue if not row["code"].startswith("TEST")]


def test_every_built_in_pack_is_listed():
    rows = json.loads(cli("rules", "--format", "json").stdout)
    packs = {row["pack"] for row in rows}
    assert "language" in packs
    assert len(packs) - 1 == len(list((PROJECT / "policies").glob("*.yaml")))


def test_rules_table(catalogue):
    # Piped, the table is one rule a line (test_new_user.py checks the columns).
    result = cli("rules", "--policy", GOOD_PACK)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(catalogue)
    for code in ("SL001", "SL402", "TEST001", "TEST002"):
        assert any(line.startswith(code + " ") for line in lines), code
    assert "\x1b[" not in result.stdout.decode()  # no colour codes when the output is not a terminal


def test_rules_unknown_format():
    result = cli("rules", "--format", "xml")
    assert result.returncode == 2
    assert result.stderr.decode() == "slalint: --format must be text or json\n"


def test_rules_with_a_broken_pack_is_a_policy_error():
    result = cli("rules", "--policy", "tests/fixtures/packs/bad/unknown-scope.yaml")
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        "slalint: tests/fixtures/packs/bad/unknown-scope.yaml:8:12: unknown scope 'objectives'"
    )


# -- explain ------------------------------------------------------------------------


def test_explain_a_language_rule():
    result = cli("explain", "SL002")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "SL002 unknown-field" in text
    assert "Severity: error" in text and "Pack: language" in text


def test_explain_a_pack_rule_shows_its_docs_and_examples():
    result = cli("explain", "SL402")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "SL402 underpinning-weaker-target" in text
    for heading in ("What it checks", "Why it matters", "How to fix", "Example: fails", "Example: passes"):
        assert heading in text, heading


@pytest.mark.parametrize("name", ["underpinning-weaker-target", "sl402", " SL402 ", "Underpinning-Weaker-Target"])
def test_explain_by_name_or_code_in_any_case(name):
    result = cli("explain", name)
    assert result.returncode == 0, result.stderr
    assert "SL402 underpinning-weaker-target" in result.stdout.decode()


def test_explain_a_user_rule():
    result = cli("explain", "house-window-missing", "--policy", GOOD_PACK)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "TEST001 house-window-missing" in text
    assert "Pack: test-house-rules" in text
    assert "sla a { provider: p" in text  # the examples, as written


def test_explain_unknown_code_suggests_the_closest():
    result = cli("explain", "SL42")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == "slalint: no rule 'SL42'. Did you mean SL402?\n"


def test_explain_unknown_word_points_at_the_list():
    result = cli("explain", "nothing-like-it")
    assert result.returncode == 2
    assert result.stderr.decode() == "slalint: no rule 'nothing-like-it'. Run 'slalint rules' for the list.\n"


# -- test ---------------------------------------------------------------------------


def test_test_a_good_user_pack():
    result = cli("test", GOOD_PACK)
    assert result.returncode == 0, result.stdout
    assert result.stdout.decode() == "4 examples in 1 pack(s): 4 passed\n"


def test_test_a_pack_with_wrong_examples():
    result = cli("test", WRONG_PACK)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines == [
        f"{WRONG_PACK}:15: WRONG001 fail example: expected a WRONG001 finding, got none",
        f"{WRONG_PACK}:21: WRONG001 pass example: expected no WRONG001 finding, got 1 (line 4 column 15): "
        "SLA 'shop_gold' promises 99.9%",
        f"{WRONG_PACK}:33: WRONG001 pass example: the example is not a valid agreement: SL007 at line 2, column 27: "
        "the provider of SLA 'shop_gold' names 'p', but no party 'p' is declared "
        "(is the file that declares it in the workspace?)",
        "4 examples in 1 pack(s): 1 passed, 3 failed",
    ]
    text = (FIXTURES / "packs" / "wrong-example.yaml").read_text(encoding="utf-8").splitlines()
    assert [text[n - 1].strip() for n in (15, 21, 33)] == ["- fail: |", "- pass: |", "- pass: |"]


def test_test_several_packs_and_a_directory():
    result = cli("test", GOOD_PACK, ACME_PACK)
    assert result.returncode == 0, result.stdout
    assert re.fullmatch(r"(\d+) examples in 2 pack\(s\): \1 passed\n", result.stdout.decode())
    directory = cli("test", "examples/policies")
    assert directory.returncode == 0, directory.stdout
    assert b"in 1 pack(s)" in directory.stdout


def test_test_a_broken_pack_is_a_policy_error():
    result = cli("test", "tests/fixtures/packs/bad/duplicate-key.yaml")
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        == 'slalint: tests/fixtures/packs/bad/duplicate-key.yaml:8:5: duplicate key: "severity"\n'
    )


def test_test_without_arguments_runs_the_built_in_packs():
    result = cli("test", "--today", "2026-06-01")
    assert result.returncode == 0, result.stdout
    summary = result.stdout.decode().splitlines()[-1]
    match = re.fullmatch(r"(\d+) examples in (\d+) pack\(s\): (\d+) passed", summary)
    assert match, summary
    assert match[1] == match[3] and int(match[1]) > 0
    assert int(match[2]) == len(list((PROJECT / "policies").glob("*.yaml")))


# -- the example user pack -------------------------------------------------------------


def test_the_example_user_pack_passes_its_own_examples():
    result = cli("test", ACME_PACK)
    assert result.returncode == 0, result.stdout
    assert re.fullmatch(r"(\d+) examples in 1 pack\(s\): \1 passed\n", result.stdout.decode())


def test_the_example_user_pack_reports_findings_on_the_examples():
    """The command that docs/policies.md and the pack's header show. Other files under
    examples/ come and go; payments.sla and service-desk.sla are stable."""
    result = cli("check", "examples/", "--policy", ACME_PACK, "--today", "2026-06-01")
    assert result.returncode == 1
    text = result.stdout.decode()
    for code in ("ACME001", "ACME003", "ACME004"):
        assert code in text, code
    concise = cli("check", "examples/", "--policy", ACME_PACK, "--today", "2026-06-01", "--format", "concise")
    lines = concise.stdout.decode().splitlines()
    for expected in (
        "examples/payments.sla:28:7: ACME001 [error] SLA 'payments_gold' is a gold SLA but promises only 99.95% "
        "availability for service 'payments_api': the gold tier is sold as 99.99%",
        "examples/payments.sla:63:24: ACME004 [info] John Roe signed SLA 'payments_gold' for 'it_org' without a "
        "title: record in what capacity they signed, so that their authority can be checked",
        "examples/service-desk.sla:55:7: ACME003 [warning] objective 'first_contact_resolution' of service 'desk' "
        "is measured over 1q (91 days), but SLA 'hr_desk' reports every 1mo: most reports cannot say whether it "
        "was met",
    ):
        assert expected in lines, "\n".join(lines)
    # payments_gold owes credits on its availability objective: ACME002 stays quiet there.
    assert not any(
        line.startswith(("examples/payments.sla", "examples/service-desk.sla")) and "ACME002" in line for line in lines
    )


def test_the_example_user_pack_leaves_the_clean_example_alone_without_its_rules():
    result = cli("check", "examples/payments.sla", "--today", "2026-06-01")
    assert result.returncode == 0, result.stdout
