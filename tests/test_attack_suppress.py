"""What a pull request can do with globs, inline suppressions and invisible
characters (issue 13, items 3, 5, 10 and 11), tried for real.

- Globs of `exclude` and `per-file-ignores` are matched without backtracking,
  compiled once per run, and at most 1,000 per configuration (what they
  mean is tests/test_globs.py's).
- Suppressions are applied in time linear in findings plus suppressions.
- A suppression must name at least a group (`SL2`), never SL0xx or SL9xx;
  `--no-inline-suppressions` and `inline-suppressions: false` ignore them all.
- SL009 reports every Unicode bidi control (Trojan Source), and nothing
  inline hides it.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from conftest import PARTIES, lint_files, run_cli

from sla_lang.config.settings import Settings
from sla_lang.filtering.globs import MAX_GLOBS
from sla_lang.filtering.suppress import SuppressionCodes, apply_suppressions, parse_suppressions
from sla_lang.findings import Finding
from sla_lang.language_rules import LANGUAGE_RULES
from sla_lang.lint import LintRequest, lint
from sla_lang.source import Span
from sla_lang.syntax.build import Comment

# An active SLA (line 1) whose objective (line 7) has no measurement: SL201 at 1:1
# (no customer signature), SL301 at 7:5, and SL5 findings at 1:1.
GOLD = """\
sla gold "Gold" {
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  service api {
    objective availability { target: >= 99.9%  window: 30d }
  }
}
"""


def found(result) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.span.path, f.span.line, f.span.column) for f in result.findings]


def write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lint_in(root, paths: list[str], **settings):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return lint(LintRequest(paths=paths, settings=Settings(root=str(root), **settings)))
    finally:
        os.chdir(cwd)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


# ---------------------------------------------------------------- globs: ReDoS


REDOS_GLOB = "*a" * 12 + "!"  # 168 s against one 40-letter name, with the regular expression
REDOS_NAME = "a" * 40 + ".sla"


@pytest.mark.parametrize("key", ["exclude", "per_file_ignores"])
def test_a_backtracking_glob_costs_nothing(tmp_path, key):
    write(tmp_path, {REDOS_NAME: "party acme { role: partner }\n", "deep/" + REDOS_NAME: "party b { role: team }\n"})
    setting = [REDOS_GLOB] if key == "exclude" else {REDOS_GLOB: ["SL1"]}
    result, seconds = timed(lint_in, tmp_path, [REDOS_NAME, "deep"], select=["SL"], **{key: setting})
    assert found(result) == [("SL003", REDOS_NAME, 1, 20)]
    assert result.files_checked == 2
    assert seconds < 5


def test_the_same_glob_without_the_bang_excludes_the_file(tmp_path):
    write(tmp_path, {REDOS_NAME: "party acme { role: partner }\n", "b.sla": "party b { role: partnr }\n"})
    result, seconds = timed(lint_in, tmp_path, [REDOS_NAME, "b.sla"], exclude=["*a" * 12 + "*"])
    assert found(result) == [("SL003", "b.sla", 1, 17)]
    assert seconds < 5


# ---------------------------------------------------------------- globs: how many


def many_files(root, count: int) -> list[str]:
    """`count` files of one SLA each (SL201 at 1:1), and the parties they name."""
    names = [f"agreements/f{k:02}.sla" for k in range(count)]
    write(root, {name: GOLD.replace("gold", f"gold{k}") for k, name in enumerate(names)} | {"parties.sla": PARTIES})
    return names


def test_a_thousand_globs_over_fifty_files(tmp_path):
    """At the cap, every glob alive to the end of every path (a bare name may
    start after any '/'), in both keys: one compiled automaton, not 1,000
    regular expressions per path (37,302 of them took 112 s for 50 files)."""
    names = many_files(tmp_path, 50)
    exclude = [f"*x{i}" for i in range(MAX_GLOBS // 2 - 1)] + ["f07.sla"]
    per_file = {f"**/*y{i}": ["SL2"] for i in range(MAX_GLOBS // 2 - 1)} | {"agreements/f1?.sla": ["SL6", "SL2"]}
    result, seconds = timed(
        lint_in, tmp_path, ["agreements"], select=["SL2"], exclude=exclude, per_file_ignores=per_file
    )
    reported = [name for name in names if name != "agreements/f07.sla" and not name.startswith("agreements/f1")]
    assert found(result) == [("SL201", name, 1, 1) for name in reported]
    assert result.files_checked == 49
    assert seconds < 5


def three_letters(count: int) -> list[str]:
    """`count` distinct globs of three letters or digits: 37,302 fit in 256 KiB of TOML."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return [a + b + c for a in alphabet for b in alphabet for c in alphabet][:count]


TOO_MANY = (
    "too many globs: 'exclude' and 'per-file-ignores' may hold 1,000 together; "
    "name directories, or use '**', to cover many files with one glob"
)


def test_37302_globs_are_a_config_error(tmp_path):
    globs = three_letters(37_302)
    write(tmp_path, {"pyproject.toml": "[tool.slalint]\nexclude = [" + ",".join(f'"{g}"' for g in globs) + "]\n"})
    many_files(tmp_path, 50)
    start = time.perf_counter()
    run = run_cli("check", "--no-cache", cwd=tmp_path, timeout=60)
    assert time.perf_counter() - start < 5
    column = len("exclude = [") + len('"aaa",') * 1_000 + 1
    assert (run.returncode, run.stderr.decode()) == (2, f"slalint: pyproject.toml:2:{column}: {TOO_MANY}\n")


@pytest.mark.parametrize(
    ("exclude", "per_file", "where"),
    [
        (1_000, 0, None),
        (0, 1_000, None),
        (600, 400, None),
        (1_001, 0, "exclude: [g0 ... g1000] at g1000"),
        (600, 401, "per-file-ignores at p400"),
        (0, 1_001, "per-file-ignores at p1000"),
    ],
)
def test_the_glob_cap_counts_both_keys(tmp_path, exclude, per_file, where):
    excluded = [f"g{i}" for i in range(exclude)]
    lines = ["exclude: [" + ", ".join(excluded) + "]"] if exclude else []
    if per_file:
        lines += ["per-file-ignores:"] + [f"  p{i}: [SL5]" for i in range(per_file)]
    write(tmp_path, {".slalint.yaml": "\n".join(lines) + "\n", "a.sla": "party a { role: team }\n"})
    run = run_cli("check", "--no-cache", cwd=tmp_path)
    if where is None:
        assert (run.returncode, run.stderr) == (0, b"")
    elif where.startswith("exclude"):
        column = len("exclude: [") + sum(len(f"g{i}, ") for i in range(1000)) + 1
        assert run.stderr.decode() == f"slalint: .slalint.yaml:1:{column}: {TOO_MANY}\n"
    else:
        line = 2 + (exclude > 0) + int(where.rsplit("p", 1)[1])
        assert run.stderr.decode() == f"slalint: .slalint.yaml:{line}:3: {TOO_MANY}\n"
    assert run.returncode == (0 if where is None else 2)


# What globs mean (gitignore's patterns, compared with `git check-ignore`) is
# tests/test_globs.py's; here, what they cost.


# ---------------------------------------------------------------- suppressions: linear


def test_thirty_thousand_suppressions_end_to_end(tmp_path):
    """1,000 objectives under 30,000 `# slalint: ignore[SL3]` lines (30 each: the
    last covers the objective, the other 29 are unused). Matched pairwise,
    20,000 objectives under 60,000 took 326 s (the next test has that shape)."""
    body = "".join(
        "    # slalint: ignore[SL3]\n" * 30 + f"    objective o{k} {{ metric: availability  target: >= 99.9% }}\n"
        for k in range(1_000)
    )
    text = PARTIES + GOLD.replace("    objective availability { target: >= 99.9%  window: 30d }\n", body)
    lint_files({"small.sla": PARTIES}, tmp_path / "warm")  # the built-in packs compiled, not timed
    result, seconds = timed(lint_files, {"big.sla": text}, tmp_path, settings=Settings(select=["SL3", "SL9"]))
    # the first unused comment is on line 9 (the service is line 8), and every objective takes 31 lines
    unused_lines = [9 + 31 * k + i for k in range(1_000) for i in range(29)]
    assert found(result) == [("SL901", "big.sla", line, 5) for line in unused_lines[:1_000]]
    assert result.warnings == ["big.sla: more than 1,000 findings; only the first are shown"]
    assert seconds < 5


def test_the_shape_of_the_issue_is_linear():
    """20,000 findings and 60,000 suppressions (three above each finding's line,
    only the last covering it), parsed and applied."""
    comments, findings, lines = [], [], []
    for k in range(20_000):
        for _ in range(3):
            lines.append("    # slalint: ignore[SL1]")
            comments.append(Comment(lines[-1].strip(), Span("big.sla", len(lines), 5, len(lines), 27)))
        lines.append(f"    objective o{k} {{ }}")
        findings.append(Finding("SL101", "x", "error", "m", Span("big.sla", len(lines), 5, len(lines), 9)))
    start = time.perf_counter()
    suppressions, problems = parse_suppressions(comments, lines, SuppressionCodes(["SL101", *LANGUAGE_RULES]))
    kept = apply_suppressions(findings, suppressions, lambda code: True)
    assert time.perf_counter() - start < 5
    assert problems == []
    assert [(f.code, f.span.line) for f in kept] == [("SL901", 4 * k + i + 1) for k in range(20_000) for i in range(2)]


def test_file_level_suppressions_are_indexed_too():
    """60,000 `ignore-file` comments: the first that names a code takes each
    finding, the rest of them are unused."""
    comments = [Comment("# slalint: ignore-file[SL1]", Span("f.sla", n, 1, n, 28)) for n in range(1, 60_001)]
    findings = [Finding("SL101", "x", "error", "m", Span("f.sla", 60_001 + k, 1, 60_001 + k, 2)) for k in range(20_000)]
    start = time.perf_counter()
    suppressions, _ = parse_suppressions(
        comments, ["# slalint: ignore-file[SL1]"] * 60_000, SuppressionCodes(["SL101"])
    )
    kept = apply_suppressions(findings, suppressions, lambda code: True)
    assert time.perf_counter() - start < 5
    assert [f.span.line for f in kept] == list(range(2, 60_001))
    assert kept[0].message == "unused suppression: no SL1 finding on this file; remove it"


def test_the_first_code_written_is_the_one_used():
    """As before the index: with ignore[SL3, SL301] the SL301 finding uses SL3,
    so SL301 is unused; the earlier comment of two on one line takes it."""
    comments = [Comment("# slalint: ignore[SL3, SL301]", Span("f.sla", 1, 5, 1, 30))]
    comments.append(Comment("# slalint: ignore[SL30]", Span("f.sla", 2, 20, 2, 40)))
    suppressions, _ = parse_suppressions(comments, ["    #", "x" * 19 + "#"], SuppressionCodes(["SL301"]))
    kept = apply_suppressions(
        [Finding("SL301", "x", "warning", "m", Span("f.sla", 2, 5, 2, 6))], suppressions, lambda code: True
    )
    assert [f.message for f in kept] == [
        "unused suppression: no SL301 finding on line 2; remove it",
        "unused suppression: no SL30 finding on line 2; remove it",
    ]


# ---------------------------------------------------------------- suppressions: what they may name


def suppressed(tmp_path, comment: str, **settings):
    """GOLD with `comment` at the end of its first line, linted for SL0, SL2, SL3 and SL9."""
    settings.setdefault("select", ["SL2", "SL3", "SL9"])
    text = PARTIES + GOLD.replace('sla gold "Gold" {', 'sla gold "Gold" {  ' + comment, 1)
    result = lint_files({"t.sla": text}, tmp_path, settings=Settings(**settings))
    return found(result), [f.message for f in result.findings if f.code == "SL902"]


UNSUPPRESSED = [("SL201", "t.sla", 3, 1), ("SL301", "t.sla", 9, 5)]


@pytest.mark.parametrize("code", ["S", "SL", "sl", "SLA", "ACME"])
@pytest.mark.parametrize("kind", ["ignore", "ignore-file"])
def test_a_code_without_a_group_hides_nothing(tmp_path, kind, code):
    """`ignore-file[S]` once hid every rule, SL201 errors and the SL901 about itself."""
    findings, messages = suppressed(tmp_path, f"# slalint: {kind}[{code}] -- everything")
    assert findings == [UNSUPPRESSED[0], ("SL902", "t.sla", 3, 20), UNSUPPRESSED[1]]
    assert messages == [
        f"suppression code '{code.upper()}' is not a rule or a group of rules: "
        "name one with its digits, e.g. ignore[SL502] or ignore[SL5]"
    ]


@pytest.mark.parametrize("code", ["SL0", "SL00", "SL001", "SL008", "SL9", "SL90", "SL901", "SL902"])
def test_language_and_suppression_rules_cannot_be_suppressed(tmp_path, code):
    findings, messages = suppressed(tmp_path, f"# slalint: ignore-file[{code}, SL2]")
    assert findings == [("SL902", "t.sla", 3, 20), ("SL301", "t.sla", 9, 5)]  # SL2 still works
    what = "fix what the language rule reports" if code < "SL9" else "fix or remove the suppression it reports"
    assert messages == [f"suppression names {code}, but SL0xx and SL9xx cannot be suppressed inline: {what}"]


def test_a_language_finding_stays_whatever_the_comment_says(tmp_path):
    text = "party acme { role: partner }  # slalint: ignore[SL003, SL0, SL00]\n# slalint: ignore-file[SL0]\n"
    result = lint_files({"t.sla": text}, tmp_path)
    assert found(result) == [("SL003", "t.sla", 1, 20)] + [("SL902", "t.sla", 1, 31)] * 3 + [("SL902", "t.sla", 2, 1)]


def test_a_group_is_enough(tmp_path):
    findings, messages = suppressed(tmp_path, "# slalint: ignore-file[SL2, sl30] -- migrating")
    assert (findings, messages) == ([], [])


def test_an_unknown_code_gets_a_near_miss_suggestion(tmp_path):
    _, messages = suppressed(tmp_path, "# slalint: ignore[SL2O1, SL2011, SL21, SL777]")
    assert messages == [  # findings at one position are sorted by message
        "suppression names an unknown rule 'SL2011'; did you mean 'SL201'?",
        "suppression names an unknown rule 'SL21'; did you mean 'SL201'?",
        "suppression names an unknown rule 'SL2O1'; did you mean 'SL201'?",
        "suppression names an unknown rule 'SL777'",
    ]


def test_sixty_thousand_unknown_codes_cost_little():
    """Each unknown code looks for a near miss: a few lookups, not difflib over
    every known code (60,000 of them would take a minute)."""
    comment = "# slalint: ignore[" + ", ".join(f"ZZ{i}" for i in range(60_000)) + "]"
    start = time.perf_counter()
    suppressions, problems = parse_suppressions(
        [Comment(comment, Span("f.sla", 1, 1, 1, 2))], [comment], SuppressionCodes(LANGUAGE_RULES)
    )
    assert time.perf_counter() - start < 5
    assert (suppressions, len(problems)) == ([], 60_000)


def test_codes_thousands_of_characters_long(tmp_path):
    """A pack may declare a code of 100,000 characters, and a comment may name
    one of 200,000: each costs a few lookups, and messages quote 40 characters."""
    code = "A" + "1" * 100_000
    pack = tmp_path / "long.yaml"
    pack.write_text(
        f"pack: long\nrules:\n  - code: {code}\n    name: every-party\n    severity: warning\n"
        '    scope: party\n    assert: "false"\n    message: "party {id}"\n',
        encoding="utf-8",
    )
    parties = "".join(f"party p{i} {{ role: team }}  # slalint: ignore[A11]\n" for i in range(2_000))
    text = parties + "# slalint: ignore[SL" + "1" * 200_000 + ", " + code[:5_000] + "2]\n"
    settings = Settings(policies=[str(pack)], select=["A", "SL9"])
    result, seconds = timed(lint_files, {"t.sla": text}, tmp_path, settings=settings)
    assert seconds < 5
    assert found(result) == [("SL902", "t.sla", 2_001, 1)] * 2
    assert [f.message for f in result.findings] == [
        "suppression names an unknown rule 'A1111111111111111111...1111111112 (5,001 characters)'",
        "suppression names an unknown rule 'SL111111111111111111...1111111111 (200,002 characters)'",
    ]


# ---------------------------------------------------------------- switching suppressions off


COMMENTED = (
    PARTIES
    + GOLD.replace('sla gold "Gold" {', 'sla gold "Gold" {  # slalint: ignore[SL2, SL999] -- signed on paper', 1)
    + "# slalint: ignore-file[SL3]\n# slalint: nonsense\n"
)
AUDITED = ["t.sla:3:1: SL201 [error]", "t.sla:9:5: SL301 [warning]"]
SUPPRESSED = ["t.sla:3:20: SL902 [warning]", "t.sla:13:1: SL902 [warning]"]


def concise(run) -> list[str]:
    """`path:line:col: CODE [severity]` of each finding, without the message."""
    return [" ".join(line.split(" ")[:3]) for line in run.stdout.decode().splitlines()]


@pytest.mark.parametrize(
    ("config", "arguments", "expected"),
    [
        ("", [], SUPPRESSED),
        ("", ["--no-inline-suppressions"], AUDITED),
        ("inline-suppressions: false\n", [], AUDITED),
        ("inline-suppressions: true\n", ["--no-inline-suppressions"], AUDITED),
        ("inline-suppressions: true\n", [], SUPPRESSED),
    ],
)
def test_no_inline_suppressions_ignores_every_comment(tmp_path, config, arguments, expected):
    write(tmp_path, {".slalint.yaml": "select: [SL2, SL3, SL9]\n" + config, "t.sla": COMMENTED})
    run = run_cli("check", "--format", "concise", *arguments, cwd=tmp_path)
    assert concise(run) == expected
    assert run.returncode == (1 if expected == AUDITED else 0)


def test_the_result_cache_knows_the_switch(tmp_path):
    """The same files and config, with and without the switch: not one cached answer."""
    write(tmp_path, {".slalint.yaml": "select: [SL2, SL3, SL9]\n", "t.sla": COMMENTED})
    for arguments, expected in [([], SUPPRESSED), (["--no-inline-suppressions"], AUDITED), ([], SUPPRESSED)]:
        assert concise(run_cli("check", "--format", "concise", *arguments, cwd=tmp_path)) == expected


def test_inline_suppressions_must_be_a_boolean(tmp_path):
    write(tmp_path, {".slalint.yaml": "inline-suppressions: no-thanks\n", "t.sla": "party a { role: team }\n"})
    run = run_cli("check", "--no-cache", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr == b"slalint: .slalint.yaml:1:22: 'inline-suppressions' must be true or false\n"


# ---------------------------------------------------------------- SL009: bidi controls


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def test_every_bidi_control_is_sl009_at_its_position(tmp_path):
    """The file still parses: the SL003 and the party after the controls are found."""
    text = (
        'party acme "Acme' + "".join(BIDI[:5]) + '" { role: partner }\r\n'
        "# " + "".join(BIDI[5:]) + " checked\r\n"
        "party b { role: team  organization: acme }\r\n"
    )
    result = lint_files({"t.sla": text}, tmp_path)
    assert found(result) == (
        [("SL009", "t.sla", 1, column) for column in range(17, 22)]
        + [("SL003", "t.sla", 1, 32)]
        + [("SL009", "t.sla", 2, column) for column in range(3, 7)]
    )
    messages = [f.message for f in result.findings if f.code == "SL009"]
    assert messages[4] == (
        "bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE): it makes the text display in "
        "another order than the one slalint reads (Trojan Source); delete it"
    )
    assert [m.split(" ")[3] for m in messages] == [f"U+{ord(c):04X}" for c in BIDI]


def test_marks_that_are_not_controls_are_fine(tmp_path):
    """Arabic and Hebrew text, and the implicit marks U+200E, U+200F and U+061C."""
    text = 'party acme "\u05d0\u05e7\u05de\u05d4 \u0623\u0643\u0645\u0647\u200e\u200f\u061c" { role: customer }\n'
    assert found(lint_files({"t.sla": text}, tmp_path)) == []


@pytest.mark.parametrize(
    "comment",
    ["# slalint: ignore[SL009]", "# slalint: ignore[SL0]", "# slalint: ignore-file[SL00]", "# slalint: ignore[SL]"],
)
def test_sl009_cannot_be_suppressed(tmp_path, comment):
    text = f'party acme "Acme\u202e" {{ role: customer }}  {comment}\n'
    result = lint_files({"t.sla": text}, tmp_path)
    assert found(result) == [("SL009", "t.sla", 1, 17), ("SL902", "t.sla", 1, 40)]


def test_sl009_on_the_command_line_names_the_character_without_printing_it(tmp_path):
    write(tmp_path, {"t.sla": "party acme { role: customer }  # \u2067hidden\u2069\n"})
    run = run_cli("check", "--format", "concise", "--no-cache", "t.sla", cwd=tmp_path)
    assert run.returncode == 1
    lines = run.stdout.decode().splitlines()
    assert [" ".join(line.split(" ")[:2]) for line in lines] == ["t.sla:1:34: SL009", "t.sla:1:41: SL009"]
    assert "\u2067" not in run.stdout.decode(), "the message names the character, it does not print it"


def test_a_file_full_of_bidi_controls_stops_at_the_per_file_cap(tmp_path):
    """Over a million controls in 5 MiB: the first 1,001 are looked at, found in one scan."""
    text = "party acme { role: customer }\n# " + "\u202e" * 1_700_000 + "\n"
    result, seconds = timed(lint_files, {"t.sla": text}, tmp_path)
    assert found(result) == [("SL009", "t.sla", 2, column) for column in range(3, 1_003)]
    assert result.warnings == ["t.sla: more than 1,000 findings; only the first are shown"]
    assert seconds < 5


def test_lines_and_columns_are_counted_once(tmp_path):
    """Controls far apart in a large file: each at its own line and column."""
    lines = ["# " + "x" * 100] * 40_000
    for number in (0, 19_999, 39_999):
        lines[number] = "# " + "x" * 50 + "\u2066" + "x" * 49
    result, seconds = timed(lint_files, {"t.sla": "\n".join(lines) + "\n"}, tmp_path)
    assert found(result) == [("SL009", "t.sla", line, 53) for line in (1, 20_000, 40_000)]
    assert seconds < 5


def test_explain_sl009():
    run = run_cli("explain", "SL009")
    assert run.returncode == 0
    out = run.stdout.decode()
    assert "SL009 bidi-control-character" in out
    assert "CVE-2021-42574" in out
    rules = run_cli("rules", env={"COLUMNS": "200"}).stdout.decode()
    assert re.search(r"SL009\W+bidi-control-character\W+error\W+language\W", rules)  # a table, or plain columns
