"""Fixes as data: the edits each fixable finding carries (exact positions),
each fix applied and checked again (its finding gone, the rest unchanged),
`check --fix` and `--unsafe-fixes` on the command line, overlapping fixes,
and a fixed file that `fmt` then keeps stable."""

from __future__ import annotations

import datetime
import json

import pytest
from conftest import in_process, lint_files

from sla_lang.config.settings import Settings
from sla_lang.findings import Edit, Finding, Fix
from sla_lang.fixes import applicable_fixes, apply_edits
from sla_lang.fmt import format_text
from sla_lang.policy.loader import PolicyError, load_pack
from sla_lang.source import Span

PARTIES = """\
party acme { role: customer }
party it_org { role: provider }
party dba { role: team  organization: it_org }
party cloud { role: supplier }
"""

SERVICE = 'service api { hours: 24x7  objective availability { target: >= 99.9%  window: 30d  measurement: "m" } }'


def agreement(kind: str, ident: str, provider: str, customer: str, extra: str = "") -> str:
    return (
        f'{kind} {ident} {{\n  provider: {provider}\n  customer: {customer}\n  version: "1"\n'
        f"  effective: 2026-01-01\n{extra}  {SERVICE}\n}}\n"
    )


def check(text: str, tmp_path, select: str | None = None) -> list[Finding]:
    settings = Settings(select=[select]) if select else Settings()
    return lint_files({"a.sla": text}, tmp_path, settings=settings, today=datetime.date(2026, 6, 1)).findings


def identity(findings) -> list[tuple[str, str]]:
    return sorted((f.code, f.anchor) for f in findings)


def fixed(text: str, finding: Finding) -> str:
    return apply_edits(text, finding.fix.edits)


def only(findings, code: str) -> Finding:
    (found,) = [f for f in findings if f.code == code]
    return found


# The language fixes are checked with the language rules (SL0): a reference
# that resolves, or a key that now counts, rightly lets other rules see more.
def assert_fix_removes_only_its_finding(text: str, code: str, tmp_path, select: str | None = None) -> str:
    before = check(text, tmp_path / "before", select)
    finding = only(before, code)
    after_text = fixed(text, finding)
    after = check(after_text, tmp_path / "after", select)
    assert identity(after) == [key for key in identity(before) if key != (finding.code, finding.anchor)]
    return after_text


# -- each fix -----------------------------------------------------------------------------------


def test_sl101_sla_to_contract_unsafe(tmp_path):
    text = PARTIES + agreement("sla", "hosting", "cloud", "it_org")
    finding = only(check(text, tmp_path / "one", "SL1"), "SL101")
    line = PARTIES.count("\n") + 1
    assert finding.fix == Fix("declare it with `contract`", False, (Edit(line, 1, line, 4, "contract"),))
    assert fixed(text, finding) == PARTIES + agreement("contract", "hosting", "cloud", "it_org")
    assert_fix_removes_only_its_finding(text, "SL101", tmp_path, "SL1")


def test_sl102_sla_to_ola_unsafe(tmp_path):
    text = PARTIES + agreement("sla", "db", "it_org", "dba")
    finding = only(check(text, tmp_path / "one", "SL1"), "SL102")
    line = PARTIES.count("\n") + 1
    assert finding.fix == Fix("declare it with `ola`", False, (Edit(line, 1, line, 4, "ola"),))
    assert fixed(text, finding) == PARTIES + agreement("ola", "db", "it_org", "dba")
    assert_fix_removes_only_its_finding(text, "SL102", tmp_path, "SL1")


def test_sl007_the_one_close_name_unsafe(tmp_path):
    text = PARTIES + agreement("sla", "gold", "it_org", "acmee")
    finding = only(check(text, tmp_path / "one"), "SL007")
    line = PARTIES.count("\n") + 3  # customer: acmee
    assert finding.fix == Fix("replace 'acmee' with 'acme'", False, (Edit(line, 13, line, 18, "acme"),))
    assert "customer: acme\n" in assert_fix_removes_only_its_finding(text, "SL007", tmp_path, "SL0")


def test_sl007_supports_a_misspelt_service(tmp_path):
    gold = agreement("sla", "gold", "it_org", "acme")
    ola = agreement("ola", "db", "it_org", "dba", "  supports: gold.apii\n")
    finding = only(check(PARTIES + gold + ola, tmp_path / "one"), "SL007")
    assert [e.text for e in finding.fix.edits] == ["gold.api"]
    assert "supports: gold.api\n" in assert_fix_removes_only_its_finding(PARTIES + gold + ola, "SL007", tmp_path, "SL0")


def test_sl007_without_exactly_one_close_name_has_no_fix(tmp_path):
    parties = PARTIES + "party acne { role: customer }\n"
    text = parties + agreement("sla", "gold", "it_org", "acmf")  # acme and acne are both one edit away
    assert only(check(text, tmp_path / "two"), "SL007").fix is None
    text = PARTIES + agreement("sla", "gold", "it_org", "zzz")
    assert only(check(text, tmp_path / "none"), "SL007").fix is None


def test_sl005_removes_the_later_identical_duplicate_safe(tmp_path):
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", '  version: "1";\n')
    finding = only(check(text, tmp_path / "one"), "SL005")
    line = PARTIES.count("\n") + 5  # after `effective: 2026-01-01`
    assert finding.fix == Fix("remove the repeated 'version'", True, (Edit(line, 24, line + 1, 15, ""),))
    after = assert_fix_removes_only_its_finding(text, "SL005", tmp_path, "SL0")
    assert after == PARTIES + agreement("sla", "gold", "it_org", "acme", ";\n").replace("\n;\n", ";\n")


def test_sl005_with_another_value_or_a_comment_between_has_no_fix(tmp_path):
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", '  version: "2"\n')
    assert only(check(text, tmp_path / "other"), "SL005").fix is None
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", '  # the same again\n  version: "1"\n')
    assert only(check(text, tmp_path / "comment"), "SL005").fix is None


def test_sl002_renames_to_the_only_close_key_safe(tmp_path):
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", "  reveiw: 2026-09-01\n")
    finding = only(check(text, tmp_path / "one"), "SL002")
    line = PARTIES.count("\n") + 6
    assert finding.fix == Fix("rename 'reveiw' to 'review'", True, (Edit(line, 3, line, 9, "review"),))
    assert "  review: 2026-09-01\n" in assert_fix_removes_only_its_finding(text, "SL002", tmp_path, "SL0")


def test_sl002_block_name_and_no_fix_without_a_single_close_key(tmp_path):
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", "  exclusons { }\n")
    assert [e.text for e in only(check(text, tmp_path / "block"), "SL002").fix.edits] == ["exclusions"]
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", "  colour: 2\n")
    assert only(check(text, tmp_path / "none"), "SL002").fix is None


def test_sl506_has_no_fix(tmp_path):
    text = PARTIES + agreement("sla", "gold", "it_org", "acme").replace("hours: 24x7", "hours: mon-fri 08:00-18:00")
    assert only(check(text, tmp_path), "SL506").fix is None


# -- applying edits ------------------------------------------------------------------------------


def test_apply_edits_positions_and_overlaps():
    text = "sla x {\n  a: 1\n}\n"
    assert apply_edits(text, [Edit(2, 3, 2, 4, "b"), Edit(1, 1, 1, 4, "ola")]) == "ola x {\n  b: 1\n}\n"
    assert apply_edits(text, [Edit(3, 2, 3, 2, "  # end")]) == "sla x {\n  a: 1\n}  # end\n"
    with pytest.raises(ValueError, match="overlap"):
        apply_edits(text, [Edit(1, 1, 1, 4, "ola"), Edit(1, 3, 1, 6, "")])
    with pytest.raises(ValueError, match="outside the text"):
        apply_edits(text, [Edit(9, 1, 9, 1, "")])
    with pytest.raises(ValueError, match="past the end of its line"):
        apply_edits(text, [Edit(1, 30, 1, 31, "")])


def test_overlapping_fixes_in_one_file_are_applied_one_pass_at_a_time():
    text = "sla x {\n  a: 1\n}\n"
    span = Span("a.sla", 1, 1, 1, 4)
    first = Finding("SL101", "n", "error", "m", span, "x", Fix("one", True, (Edit(1, 1, 1, 4, "contract"),)))
    second = Finding("SL102", "n", "error", "m", span, "x", Fix("two", True, (Edit(1, 1, 1, 6, "ola y"),)))
    unsafe = Finding("SL007", "n", "error", "m", span, "y", Fix("three", False, (Edit(2, 6, 2, 7, "2"),)))
    assert applicable_fixes(text, [first, second, unsafe], unsafe=False) == [first.fix]
    assert applicable_fixes(text, [first, second, unsafe], unsafe=True) == [first.fix, unsafe.fix]


# -- the command line ----------------------------------------------------------------------------

MESSY = (
    PARTIES
    + agreement("sla", "hosting", "cloud", "it_org", '  version: "1"\n  reveiw: 2026-09-01\n  version: "1"\n')
    + agreement("sla", "gold", "it_org", "acmee", "  review: 2026-09-01\n")
)


def test_check_fix_applies_safe_fixes_then_reports_what_is_left(tmp_path):
    path = tmp_path / "a.sla"
    path.write_text(MESSY, encoding="utf-8")
    run = in_process(tmp_path, "check", "--fix", "--format", "json", "--today", "2026-06-01", "a.sla")
    assert run.err == "slalint: a.sla: applied 3 fixes\nslalint: 3 fixes applied; 2 more with --unsafe-fixes\n"
    text = path.read_text(encoding="utf-8")
    assert text.count('version: "1"') == 2 and "reveiw" not in text and "sla hosting" in text
    left = json.loads(run.out)["findings"]
    assert {f["code"] for f in left if f["fix"]} == {"SL101", "SL007"}
    assert not any(f["code"] in ("SL002", "SL005") for f in left)
    assert all(f["fix"]["safe"] is False for f in left if f["fix"])

    run = in_process(tmp_path, "check", "--fix", "--unsafe-fixes", "--format", "json", "--today", "2026-06-01", ".")
    assert run.err == "slalint: a.sla: applied 2 fixes\nslalint: 2 fixes applied\n"
    text = path.read_text(encoding="utf-8")
    assert "contract hosting" in text and "customer: acme\n" in text
    assert not [f for f in json.loads(run.out)["findings"] if f["fix"]]


def test_a_fixed_file_formatted_stays_stable(tmp_path):
    path = tmp_path / "a.sla"
    path.write_text(MESSY, encoding="utf-8")
    in_process(tmp_path, "check", "--fix", "--unsafe-fixes", "--today", "2026-06-01", "a.sla")
    fixed_findings = identity(check(path.read_text(encoding="utf-8"), tmp_path / "fixed"))
    assert in_process(tmp_path, "fmt", "a.sla").code == 0
    formatted = path.read_text(encoding="utf-8")
    assert format_text(formatted, "a.sla") == formatted
    assert identity(check(formatted, tmp_path / "formatted")) == fixed_findings
    run = in_process(tmp_path, "check", "--fix", "--unsafe-fixes", "--today", "2026-06-01", "a.sla")
    assert run.err.endswith("slalint: 0 fixes applied\n")
    assert path.read_text(encoding="utf-8") == formatted


def test_no_config_key_turns_fixing_on(tmp_path):
    (tmp_path / "a.sla").write_text(MESSY, encoding="utf-8")
    for key in ("fix", "unsafe-fixes", "unsafe_fixes"):
        (tmp_path / ".slalint.yaml").write_text(f"{key}: true\n", encoding="utf-8")
        run = in_process(tmp_path, "check", "a.sla")
        assert run.code == 2 and f"unknown key '{key}'" in run.err, run.err
    assert (tmp_path / "a.sla").read_text(encoding="utf-8") == MESSY


def test_fix_options_misused(tmp_path):
    run = in_process(tmp_path, "check", "--unsafe-fixes", ".")
    assert run.code == 2 and "--unsafe-fixes applies unsafe fixes only together with --fix" in run.err
    run = in_process(tmp_path, "check", "--fix", "-", stdin=b"party a { role: customer }\n")
    assert run.code == 2 and "--fix rewrites files: it cannot fix standard input" in run.err


# -- a pack's fix is data ------------------------------------------------------------------------

PACK = """\
pack: house
description: d
rules:
  - code: HOUSE001
    name: no-drafts
    severity: warning
    scope: agreement
    assert: status != "draft"
    message: "no drafts"
    at: status
    fix: {fix}
"""


def test_a_pack_rule_fix_replaces_what_the_finding_points_at(tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(PACK.format(fix="{title: make it active, replace: active, safe: true}"), encoding="utf-8")
    text = PARTIES + agreement("sla", "gold", "it_org", "acme", "  status: draft\n")
    settings = Settings(select=["HOUSE"], policies=[str(pack)])
    (finding,) = lint_files({"a.sla": text}, tmp_path, settings=settings, today=datetime.date(2026, 6, 1)).findings
    line = PARTIES.count("\n") + 6
    assert finding.fix == Fix("make it active", True, (Edit(line, 3, line, 16, "active"),))
    assert "  active\n" in fixed(text, finding)  # the whole attribute is what `at: status` points at


@pytest.mark.parametrize(
    ("fix", "message"),
    [
        ("contract", "'fix' is a mapping: title, replace"),
        ("{title: t}", "missing key 'replace'"),
        ("{title: t, replace: x, save: true}", "unknown key 'save' in 'fix'"),
        ('{title: t, replace: "a\\nb"}', "'replace' must be one line of 1 to 200 characters"),
        ("{title: t, replace: x, safe: maybe}", "'safe' must be true or false"),
    ],
)
def test_a_pack_fix_that_is_not_data_is_refused_with_its_position(tmp_path, fix, message):
    pack = tmp_path / "house.yaml"
    pack.write_text(PACK.format(fix=fix), encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        load_pack(str(pack), use_cache=False)
    assert message in str(raised.value)
    assert raised.value.line in (11, 12)
