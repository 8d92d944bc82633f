"""Policy packs as a user writes them (SPEC §5): every mistake in a pack is a
policy error with the exact file, line and column, printed on stderr as
`slalint: path:line:col: message` with exit code 2; hostile packs are refused
quickly and run nothing; compiled packs are cached and a broken cache is
ignored.

Every case runs the real command line, `python -m sla_lang check
examples/payments.sla --policy PACK`, in a fresh process.
"""

from __future__ import annotations

import os
import pickle
import re
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, SPEC_EXAMPLE, run_cli

GOOD = """\
pack: acme-house-rules
description: House rules
rules:
  - code: ACME001
    name: gold-needs-four-nines
    severity: error
    scope: objective
    where: metric.id == "availability"
    assert: target.value >= 99.99%
    message: "{label_of(agreement)} promises {target.value} availability; gold needs 99.99%"
    at: target
"""


def locate(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `text`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def replace(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def check(tmp_path: Path, cache_dir: Path, *policies: str, paths=(str(SPEC_EXAMPLE),), extra=()):
    """`slalint check PATHS --policy P...` run in tmp_path; returns (result, seconds)."""
    arguments = ["check", *paths, "--today", "2026-06-01", "--format", "concise", *extra]
    for policy in policies:
        arguments += ["--policy", policy]
    started = time.monotonic()
    result = run_cli(*arguments, cwd=tmp_path, env={"SLALINT_CACHE_DIR": str(cache_dir)})
    return result, time.monotonic() - started


def test_the_good_pack_loads_and_fires(tmp_path, cache_dir):
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    result, _ = check(tmp_path, cache_dir, "good.yaml")
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    lines = result.stdout.decode().splitlines()
    assert any(
        re.search(r"payments\.sla:28:7: ACME001 \[error\] SLA 'payments_gold' promises 99\.95% availability", line)
        for line in lines
    ), lines


# (id, pack text, (line, column) or a needle whose first character is the place, message)
BAD_PACKS = [
    (
        "unknown-top-level-key",
        replace("description:", "descripton:"),
        (2, 1),
        "unknown key 'descripton' in the pack; did you mean 'description'?",
    ),
    ("unknown-top-level-key-no-suggestion", GOOD + "version: 2\n", (12, 1), "unknown key 'version' in the pack"),
    (
        "unknown-rule-key",
        replace("    where:", "    wher:"),
        (8, 5),
        "unknown key 'wher' in rule ACME001; did you mean 'where'?",
    ),
    (
        "unknown-rule-key-2",
        replace("    at: target", "    at: target\n    serverity: info"),
        (12, 5),
        "unknown key 'serverity' in rule ACME001; did you mean 'severity'?",
    ),
    ("missing-pack", replace("pack: acme-house-rules\n", ""), (1, 1), "missing key 'pack'"),
    ("missing-name", replace("    name: gold-needs-four-nines\n", ""), (4, 5), "missing key 'name'"),
    ("missing-code", replace("  - code: ACME001\n    name:", "  - name:"), (4, 5), "missing key 'code'"),
    ("missing-severity", replace("    severity: error\n", ""), (4, 5), "missing key 'severity'"),
    ("missing-scope", replace("    scope: objective\n", ""), (4, 5), "missing key 'scope'"),
    ("missing-rules", replace("rules:\n", "rule:\n"), (3, 1), "unknown key 'rule' in the pack; did you mean 'rules'?"),
    ("rules-not-a-list", "pack: x\ndescription: y\nrules: 3\n", (3, 8), "'rules' must be a list of rules"),
    (
        "pack-not-a-mapping",
        "- pack: x\n",
        (1, 1),
        "a policy pack is a mapping with the keys pack, description and rules",
    ),
    (
        "rule-not-a-mapping",
        "pack: x\nrules:\n  - ACME001\n",
        (3, 5),
        "each rule is a mapping with code, name, severity, scope, ...",
    ),
    (
        "code-format",
        replace("code: ACME001", "code: acme1"),
        (4, 11),
        "code 'acme1' must be capital letters followed by digits, e.g. ACME001",
    ),
    (
        "code-without-digits",
        replace("code: ACME001", "code: ACME"),
        (4, 11),
        "code 'ACME' must be capital letters followed by digits, e.g. ACME001",
    ),
    ("code-not-a-string", replace("code: ACME001", "code: 1001"), (4, 11), "'code' must be a string, not '1001'"),
    (
        "name-format",
        replace("name: gold-needs-four-nines", "name: Gold_Needs"),
        (5, 11),
        "name 'Gold_Needs' must be kebab-case, e.g. gold-needs-four-nines",
    ),
    (
        "unknown-severity",
        replace("severity: error", "severity: fatal"),
        (6, 15),
        "severity must be error, warning or info, not 'fatal'",
    ),
    (
        "unknown-scope",
        replace("scope: objective", "scope: objectiv"),
        (7, 12),
        "unknown scope 'objectiv': expected one of agreement, service, objective, party, metric, signature, consent, "
        "credit; did you mean 'objective'?",
    ),
    (
        "unknown-scope-no-suggestion",
        replace("scope: objective", "scope: contract"),
        (7, 12),
        "unknown scope 'contract': expected one of agreement, service, objective, party, metric, signature, "
        "consent, credit",
    ),
    (
        "neither-assert-nor-check",
        replace("    assert: target.value >= 99.99%\n", ""),
        (4, 5),
        "rule ACME001 needs exactly one of 'assert' (an expression) or 'check' (a named check)",
    ),
    (
        "both-assert-and-check",
        replace("    at: target", "    at: target\n    check: support-cycle"),
        (4, 5),
        "rule ACME001 needs exactly one of 'assert' (an expression) or 'check' (a named check)",
    ),
    (
        "missing-message",
        replace('    message: "{label_of(agreement)} promises {target.value} availability; gold needs 99.99%"\n', ""),
        (4, 5),
        "rule ACME001 needs a 'message'",
    ),
    (
        "unknown-check",
        replace("    assert: target.value >= 99.99%", "    check: support-cycles"),
        (9, 12),
        "unknown check 'support-cycles'; did you mean 'support-cycle'?; known checks: ",
    ),
    (
        "check-of-another-scope",
        replace("    assert: target.value >= 99.99%", "    check: support-cycle"),
        (7, 12),
        "check 'support-cycle' visits agreement nodes, so the rule's scope must be agreement, not objective",
    ),
    # expressions that do not parse: the column is inside the expression
    (
        "syntax-plain",
        replace("assert: target.value >= 99.99%", "assert: target.value >= >= 99.99%"),
        (9, 29),
        "in 'assert': unexpected '>='",
    ),
    (
        "syntax-single-quoted",
        replace("assert: target.value >= 99.99%", "assert: 'target.value >= >= 99.99%'"),
        (9, 30),
        "in 'assert': unexpected '>='",
    ),
    (
        "syntax-double-quoted",
        replace("assert: target.value >= 99.99%", 'assert: "target.value >= >= 99.99%"'),
        (9, 30),
        "in 'assert': unexpected '>='",
    ),
    (
        "syntax-literal-block",
        replace(
            "    assert: target.value >= 99.99%",
            "    assert: |\n      exists(target)\n        and target.value >= >= 99.99%",
        ),
        (11, 29),
        "in 'assert': unexpected '>='",
    ),
    (
        "syntax-folded-block",
        replace(
            "    assert: target.value >= 99.99%",
            "    assert: >-\n      exists(target) and\n\n      target.value >= >= 99.99%",
        ),
        (12, 23),
        "in 'assert': unexpected '>='",
    ),
    (
        "syntax-single-quoted-with-escaped-quote",
        replace("assert: target.value >= 99.99%", "assert: 'metric.id == ''availability'' and >= 99.99%'"),
        (9, 48),
        "in 'assert': unexpected '>='",
    ),
    (
        "syntax-double-quoted-with-escapes",
        replace("assert: target.value >= 99.99%", 'assert: "metric.id == \\"availability\\" and \\x41 > 1"'),
        (9, 48),  # the escape \\x41 is the name A: four characters in the file, one in the expression
        "in 'assert': 'A' names no field of objective",
    ),
    (
        "syntax-end-of-expression",
        replace('where: metric.id == "availability"', "where: metric.id =="),
        (8, 24),
        "in 'where': unexpected end of the expression",
    ),
    (
        "syntax-bad-character",
        replace('where: metric.id == "availability"', 'where: metric.id == "a" ; 1'),
        (8, 29),
        "in 'where': unexpected character ';'",
    ),
    # paths that name no field
    (
        "path-no-field",
        replace('where: metric.id == "availability"', 'where: metric.idd == "availability"'),
        (8, 12),
        "in 'where': 'metric.idd' names no field: a metric has no field 'idd'; did you mean 'id'?",
    ),
    (
        "path-no-field-in-block",
        replace(
            "    assert: target.value >= 99.99%",
            "    assert: |\n      exists(target) and\n      (targt.value >= 99.99%)",
        ),
        (11, 8),
        "in 'assert': 'targt' names no field of objective; did you mean 'target'?",
    ),
    (
        "path-through-list",
        replace('where: metric.id == "availability"', 'where: service.objectives.id == "x"'),
        (8, 12),
        "in 'where': 'service.objectives' is a list: reach into it with any(x in service.objectives: x.id ...)"
        " or all(...)",
    ),
    (
        "cross-kind-comparison",
        replace("assert: target.value >= 99.99%", "assert: window >= 99.99%"),
        (9, 20),
        "in 'assert': '>=' compares a duration with a percent: values compare with their own kind only",
    ),
    (
        "unknown-function",
        replace("assert: target.value >= 99.99%", "assert: lenght(service.objectives) > 1"),
        (9, 13),
        "in 'assert': unknown function 'lenght'; did you mean 'len'?",
    ),
    (
        "assert-not-a-condition",
        replace("assert: target.value >= 99.99%", "assert: target.value"),
        (9, 13),
        "'assert' must be a condition (true or false), but it gives a quantity",
    ),
    (
        "where-not-a-condition",
        replace('where: metric.id == "availability"', "where: window"),
        (8, 12),
        "'where' must be a condition (true or false), but it gives a duration",
    ),
    # message templates
    (
        "placeholder-no-field",
        replace("{target.value} availability", "{target.valu} availability"),
        "target.valu}",
        "in 'message', placeholder {target.valu}: 'target.valu' names no field: a target has no field "
        "'valu'; did you mean 'value'?",
    ),
    (
        "placeholder-padded",
        replace("{target.value} availability", "{  agreement.idd } availability"),
        "agreement.idd",
        "in 'message', placeholder {  agreement.idd }: 'agreement.idd' names no field: an agreement "
        "has no field 'idd'; did you mean 'id'?",
    ),
    (
        "placeholder-syntax",
        replace("{target.value} availability", "{target.value +} availability"),
        "} availability",
        "in 'message', placeholder {target.value +}: unexpected end of the expression",
    ),
    (
        "placeholder-in-block",
        replace(
            '    message: "{label_of(agreement)} promises {target.value} availability; gold needs 99.99%"',
            "    message: |\n      {label_of(agreement)} promises\n      {target.value} of {metric.nam}",
        ),
        "metric.nam",
        "in 'message', placeholder {metric.nam}: 'metric.nam' names no field: a metric has no field "
        "'nam'; did you mean 'name'?",
    ),
    (
        "placeholder-in-folded-block",
        replace(
            '    message: "{label_of(agreement)} promises {target.value} availability; gold needs 99.99%"',
            "    message: >-\n      {label_of(agreement)} promises\n      {target.value} of\n      {metric.nam}",
        ),
        "metric.nam",
        "in 'message', placeholder {metric.nam}: 'metric.nam' names no field: a metric has no field "
        "'nam'; did you mean 'name'?",
    ),
    (
        "unclosed-brace",
        replace("gold needs 99.99%", "gold needs {99.99%"),
        "{99.99%",
        "in 'message': a '{' in the message is never closed (write {{ for a literal brace)",
    ),
    (
        "stray-closing-brace",
        replace("gold needs 99.99%", "gold needs 99.99%}"),
        '}"',
        "in 'message': a '}' in the message has no '{' (write }} for a literal brace)",
    ),
    # `at`
    (
        "at-no-field",
        replace("at: target", "at: targt"),
        (11, 9),
        "'at' must name a field of objective, and 'targt' is none; did you mean 'target'?",
    ),
    (
        "at-field-of-another-scope",
        replace("at: target", "at: expires"),
        (11, 9),
        "'at' must name a field of objective, and 'expires' is none",
    ),
    # severity-when
    (
        "severity-when-unknown-level",
        replace("    at: target", "    at: target\n    severity-when: {fatal: 'true'}"),
        (12, 21),
        "severity must be error, warning or info, not 'fatal'",
    ),
    (
        "severity-when-bad-expression",
        replace(
            "    at: target", "    at: target\n    severity-when:\n      warning: 'agreement.kind == \"ola\" and and'"
        ),
        "and'",
        "in 'warning': 'and' names no field of objective",
    ),
    (
        "severity-when-not-a-mapping",
        replace("    at: target", "    at: target\n    severity-when: warning"),
        (12, 20),
        "'severity-when' maps a severity to a condition, e.g. warning: 'metric.unit != \"percent\"'",
    ),
    # examples
    (
        "example-with-two-kinds",
        GOOD + "    examples:\n      - fail: 'x'\n        pass: 'y'\n",
        (13, 9),
        "each example has one key, fail or pass, with an agreement text (and optionally today: DATE)",
    ),
    (
        "example-unknown-key",
        GOOD + "    examples:\n      - fails: 'x'\n",
        (13, 9),
        "each example has one key, fail or pass, with an agreement text (and optionally today: DATE)",
    ),
    (
        "example-bad-today",
        GOOD + "    examples:\n      - fail: 'x'\n        today: June\n",
        (14, 16),
        "'today' must be a date as YYYY-MM-DD",
    ),
    (
        "examples-not-a-list",
        GOOD + "    examples: 3\n",
        (12, 15),
        "'examples' must be a list of {fail: ...} or {pass: ...}",
    ),
    # YAML
    (
        "duplicate-yaml-key",
        replace("    severity: error\n", "    severity: error\n    severity: warning\n"),
        (7, 5),
        'duplicate key: "severity"',
    ),
    (
        "unquoted-quantifier",
        replace("assert: target.value >= 99.99%", "assert: any(o in service.objectives: o.window == 30d)"),
        (9, 40),
        "mapping values are not allowed here (a plain YAML value cannot contain ': ', as in any(x in xs: ...): "
        "quote the value, or write it as a block after '|')",
    ),
    (
        "not-utf8",
        GOOD.replace("House rules", "House r\xe9gles").encode("latin-1"),
        (1, 1),
        "policy pack is not valid UTF-8 (offset 43)",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), [c[1:] for c in BAD_PACKS], ids=[c[0] for c in BAD_PACKS])
def test_policy_error_is_located(tmp_path, cache_dir, text, where, message):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (tmp_path / "bad.yaml").write_bytes(data)
    line, column = where if isinstance(where, tuple) else locate(data.decode("utf-8"), where)
    result, _ = check(tmp_path, cache_dir, "bad.yaml")
    assert result.returncode == 2, result.stdout
    assert result.stdout == b""
    stderr = result.stderr.decode()
    assert stderr.startswith(f"slalint: bad.yaml:{line}:{column}: {message}"), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr


def test_a_missing_pack_is_a_policy_error(tmp_path, cache_dir):
    result, _ = check(tmp_path, cache_dir, "nowhere.yaml")
    assert result.returncode == 2
    assert result.stderr.decode() == "slalint: nowhere.yaml:1:1: cannot read policy pack: No such file or directory\n"


def test_duplicate_codes_across_two_packs(tmp_path, cache_dir):
    (tmp_path / "first.yaml").write_text(GOOD, encoding="utf-8")
    second = replace("pack: acme-house-rules", "pack: other\n# a comment line", replace("gold-needs", "gold-wants"))
    (tmp_path / "second.yaml").write_text(second, encoding="utf-8")
    result, _ = check(tmp_path, cache_dir, "first.yaml", "second.yaml")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "slalint: second.yaml:5:1: code ACME001 is already used by rule 'gold-needs-four-nines' in first.yaml:4; "
        "codes are unique across all packs\n"
    )


def test_duplicate_codes_within_one_pack(tmp_path, cache_dir):
    rule = GOOD[GOOD.index("  - code:") :]
    (tmp_path / "twice.yaml").write_text(GOOD + rule.replace("gold-needs-four-nines", "again"), encoding="utf-8")
    result, _ = check(tmp_path, cache_dir, "twice.yaml")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "slalint: twice.yaml:12:1: code ACME001 is already used by rule 'gold-needs-four-nines' in twice.yaml:4; "
        "codes are unique across all packs\n"
    )


def test_a_code_of_a_built_in_pack_is_taken(tmp_path, cache_dir):
    (tmp_path / "clash.yaml").write_text(replace("code: ACME001", "code: SL402"), encoding="utf-8")
    result, _ = check(tmp_path, cache_dir, "clash.yaml")
    assert result.returncode == 2
    assert re.fullmatch(
        r"slalint: clash\.yaml:4:1: code SL402 is already used by rule 'underpinning-weaker-target' in "
        r"\S+sl4-underpinning\.yaml:\d+; codes are unique across all packs\n",
        result.stderr.decode(),
    ), result.stderr


def test_a_code_of_a_language_rule_is_taken(tmp_path, cache_dir):
    (tmp_path / "clash.yaml").write_text(replace("code: ACME001", "code: SL007"), encoding="utf-8")
    result, _ = check(tmp_path, cache_dir, "clash.yaml")
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        == "slalint: clash.yaml:4:1: code SL007 belongs to slalint's language rules; pick another\n"
    )


BAD_PACK_FILES = sorted((FIXTURES / "packs" / "bad").glob("*.yaml"))


@pytest.mark.parametrize("pack", BAD_PACK_FILES, ids=lambda p: p.stem)
def test_bad_pack_fixture(pack, cache_dir):
    """Each file in tests/fixtures/packs/bad/ says on its first line where the error is:
    `# expect: LINE:COLUMN: message`."""
    expected = pack.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    relative = pack.relative_to(PROJECT).as_posix()
    result = run_cli(
        "check", str(SPEC_EXAMPLE), "--policy", relative, cwd=PROJECT, env={"SLALINT_CACHE_DIR": str(cache_dir)}
    )
    assert result.returncode == 2, result.stdout
    assert result.stderr.decode() == f"slalint: {relative}:{expected}\n"
    assert not (PROJECT / "PWNED").exists()


# -- hostile packs ------------------------------------------------------------------

LAUGHS = "\n".join(
    [
        "pack: lol",
        'description: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)),
        "rules: []",
    ]
)


def _deep_expression_pack(expression: str) -> str:
    return replace("assert: target.value >= 99.99%", f"assert: '{expression}'")


HOSTILE = [
    ("billion-laughs", LAUGHS, "2:14: YAML anchors (&name) are not allowed here: write the value out"),
    ("alias-only", "pack: x\ndescription: x\nrules: *r\n", "3:8: YAML aliases (*name) are not allowed here"),
    ("anchor-only", "pack: &p x\ndescription: x\nrules: []\n", "1:7: YAML anchors (&name) are not allowed here"),
    ("merge-key", "pack: x\ndescription: x\nbase: &b {a: 1}\nrules: [{<<: *b}]\n", "3:7: YAML anchors"),
    (
        "python-object-apply",
        'pack: !!python/object/apply:os.system ["touch MARKER"]\nrules: []\n',
        "1:7: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed here",
    ),
    (
        "python-object-new",
        'pack: !!python/object/new:os.system ["touch MARKER"]\nrules: []\n',
        "1:7: YAML tags (tag:yaml.org,2002:python/object/new:os.system) are not allowed here",
    ),
    ("python-name", "pack: x\nrules: !!python/name:os.system\n", "2:8: YAML tags"),
    ("python-module", "pack: !!python/module:os\nrules: []\n", "1:7: YAML tags"),
    (
        "local-tag",
        "pack: x\ndescription: !include /etc/passwd\nrules: []\n",
        "2:14: YAML tags (!include) are not allowed",
    ),
    ("standard-tag", "pack: !!str x\nrules: []\n", "1:7: YAML tags (tag:yaml.org,2002:str) are not allowed here"),
    ("binary-tag", "pack: x\ndescription: !!binary aGVsbG8=\nrules: []\n", "2:14: YAML tags"),
    (
        "nested-flow-10000",
        "pack: x\ndescription: " + "[" * 10000 + "]" * 10000 + "\nrules: []\n",
        "nesting is deeper than 40 levels",
    ),
    (
        "nested-block-10000",
        "pack: x\ndescription:\n" + "- " * 10000 + "x\nrules: []\n",
        "nesting is deeper than 40 levels",
    ),
    (
        "nested-mappings-10000",
        "pack: x\ndescription: " + "{a: " * 10000 + "1" + "}" * 10000 + "\nrules: []\n",
        "nesting is deeper than 40 levels",
    ),
    (
        "three-megabytes",
        "pack: x\ndescription: |\n" + ("  " + "x" * 98 + "\n") * 31000 + "rules: []\n",
        "1:1: policy pack is larger than 256 KiB",
    ),
    (
        "expression-1000-deep",
        _deep_expression_pack("-" * 1000 + "1 == 1"),
        "in 'assert': expression is nested more than 40 levels deep; split the rule",
    ),
    (
        "expression-1000-lists",
        _deep_expression_pack("[" * 1000 + "]" * 1000 + " == []"),
        "in 'assert': expression is nested more than 40 levels deep; split the rule",
    ),
    (
        "expression-too-long",
        _deep_expression_pack("exists(window) " + "and true " * 500),
        "in 'assert': expression is longer than 4000 characters; split the rule",
    ),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_pack_is_refused_quickly_and_runs_nothing(tmp_path, cache_dir, text, message):
    (tmp_path / "hostile.yaml").write_text(text, encoding="utf-8")
    result, seconds = check(tmp_path, cache_dir, "hostile.yaml")
    assert result.returncode == 2, result.stdout
    stderr = result.stderr.decode()
    assert stderr.startswith("slalint: hostile.yaml:") and message in stderr, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert seconds < 5, f"took {seconds:.1f} s"
    assert not (tmp_path / "MARKER").exists()


def _big_workspace(directory: Path, objectives: int) -> Path:
    """One SLA with `objectives` objectives spread over services of ten each."""
    lines = ["party c { role: customer }", "party p { role: provider }"]
    lines.append('sla big { provider: p  customer: c  version: "1"  effective: 2026-01-01')
    for service in range(objectives // 10):
        lines.append(f"  service s{service} {{ hours: 24x7")
        lines += [f"    objective o{i} {{ metric: availability  target: >= 99.9%  window: 30d }}" for i in range(10)]
        lines.append("  }")
    lines.append("}")
    path = directory / "big.sla"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "assertion",
    [
        "product(a in workspace.objectives: product(b in workspace.objectives: product(c in workspace.objectives: "
        "product(d in workspace.objectives: 1)))) > 0",
        "any(a in workspace.objectives: any(b in workspace.objectives: any(c in workspace.objectives: "
        "any(d in workspace.objectives: false))))",
    ],
    ids=["product", "any"],
)
def test_a_runaway_quantifier_stops_at_the_step_budget(tmp_path, cache_dir, assertion):
    big = _big_workspace(tmp_path, 300)
    pack = f"""\
pack: runaway
description: Quantifiers nested four deep over 300 objectives would take 8.1e9 steps
rules:
  - code: RUN001
    name: runaway
    severity: error
    scope: agreement
    assert: |
      {assertion}
    message: never
"""
    (tmp_path / "runaway.yaml").write_text(pack, encoding="utf-8")
    result, seconds = check(tmp_path, cache_dir, "runaway.yaml", paths=(str(big),))
    assert result.returncode == 2, result.stdout
    assert result.stderr.decode() == (
        "slalint: rule RUN001 (runaway.yaml:4) ran out of steps (at SLA 'big'): the rules of a run share 2,033,300 "
        "steps for this workspace (100 per node, plus 2,000,000), and it took 2,033,212 of them: its quantifiers "
        "grow too fast with the size of the workspace; compare within a service or agreement rather than the "
        "whole workspace\n"
    )
    assert seconds < 5, f"took {seconds:.1f} s"


# -- the pack cache -------------------------------------------------------------------


def _user_cache(cache: Path):
    """The cache at `cache`, as slalint reads and writes it (with the key it made there)."""
    from sla_lang.reading.paths import user_cache

    return user_cache(str(cache))


def _pack_cache_files(cache: Path) -> set[Path]:
    return set((cache / "packs").glob("*.pickle")) if (cache / "packs").is_dir() else set()


def test_a_second_load_comes_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "acme.yaml").write_text(GOOD, encoding="utf-8")
    env = {"SLALINT_CACHE_DIR": str(cache)}
    run_cli("rules", cwd=tmp_path, env=env)  # the built-in packs
    builtin = _pack_cache_files(cache)
    first = run_cli("rules", "--format", "json", "--policy", "acme.yaml", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    (cached,) = _pack_cache_files(cache) - builtin
    assert cached.stat().st_mode & 0o077 == 0  # only the user reads and writes it
    second = run_cli("rules", "--format", "json", "--policy", "acme.yaml", cwd=tmp_path, env=env)
    assert second.stdout == first.stdout
    assert '"code": "ACME001"' in second.stdout.decode()

    # The proof that the second load read the cache: change the cached rule, and the change shows.
    store = _user_cache(cache)
    pack = pickle.loads(store.read(str(cached)))
    pack.rules[0].summary = "Read from the cache"
    store.write(str(cached), pickle.dumps(pack))
    third = run_cli("rules", "--format", "json", "--policy", "acme.yaml", cwd=tmp_path, env=env)
    assert '"summary": "Read from the cache"' in third.stdout.decode()


@pytest.mark.parametrize(
    "corruption",
    [b"", b"garbage", b"\x80\x05K*.", b"\x80\x05\x95\x10\x00\x00", pickle.dumps({"not": "a pack"}), pickle.dumps(42)],
    ids=["empty", "text", "an-int", "truncated", "a-dict", "a-number"],
)
def test_a_corrupt_cache_file_is_ignored(tmp_path, corruption):
    cache = tmp_path / "cache"
    (tmp_path / "acme.yaml").write_text(GOOD, encoding="utf-8")
    env = {"SLALINT_CACHE_DIR": str(cache)}
    arguments = ("check", str(SPEC_EXAMPLE), "--format", "concise", "--today", "2026-06-01", "--policy", "acme.yaml")
    good = run_cli(*arguments, cwd=tmp_path, env=env)
    assert good.returncode == 1 and b"ACME001" in good.stdout
    files = _pack_cache_files(cache)
    for path in files:
        path.write_bytes(corruption)
    again = run_cli(*arguments, cwd=tmp_path, env=env)
    assert (again.returncode, again.stdout, again.stderr) == (good.returncode, good.stdout, good.stderr)
    for path in files:  # written again, whole, and authenticated
        assert pickle.loads(_user_cache(cache).read(str(path))).rules


def test_a_cache_directory_others_can_write_is_not_read(tmp_path):
    """Cache files are unpickled: a directory another user could write to would
    let them run code as us, so slalint does not use it."""
    from sla_lang.policy.loader import _cache_key

    cache = tmp_path / "cache"
    (cache / "packs").mkdir(parents=True)
    (tmp_path / "acme.yaml").write_text(GOOD, encoding="utf-8")
    marker = tmp_path / "MARKER"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    (cache / "packs" / (_cache_key(GOOD.encode()) + ".pickle")).write_bytes(pickle.dumps(Payload()))
    os.chmod(cache, 0o777)
    result = run_cli(
        "check",
        str(SPEC_EXAMPLE),
        "--format",
        "concise",
        "--today",
        "2026-06-01",
        "--policy",
        "acme.yaml",
        cwd=tmp_path,
        env={"SLALINT_CACHE_DIR": str(cache)},
    )
    assert result.returncode == 1 and b"ACME001" in result.stdout, result.stderr
    assert not marker.exists()


def test_the_pack_in_the_guide_loads_and_its_examples_pass(tmp_path):
    """The first pack of docs/policies.md is a real pack."""
    import datetime

    from sla_lang.policy.loader import load_pack
    from sla_lang.policy.testing import run_examples

    guide = (PROJECT / "docs" / "policies.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in guide.split("```yaml\n")[1:]]
    packs = [b for b in blocks if b.startswith("pack:")]
    assert packs
    for index, text in enumerate(packs):
        path = tmp_path / f"guide-{index}.yaml"
        path.write_text(text, encoding="utf-8")
        pack = load_pack(str(path), use_cache=False)
        outcomes = run_examples([pack], datetime.date(2026, 6, 1))
        assert outcomes and all(o.passed for o in outcomes), [o.problem for o in outcomes]
