"""Malformed input: truncated files, stray tokens, broken literals, binary
bytes, pathological sizes and nesting. slalint must report them, never crash.

Each row is linted in-process (no exception; every finding points inside
the file) and through the real command line (exit 0 or 1, no traceback, JSON
that parses and agrees with the in-process run). Rows that expect a syntax
error name the position of the first SL001 and a few words of its message;
no message may leak the parser's internal terminal names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from conftest import report_of, run_cli

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, lint

PARTY = "party acme { role: customer }\n"


@dataclass(frozen=True)
class Case:
    id: str
    content: str | bytes
    code: str | None = None  # the code of the first finding expected, None for a clean file
    at: tuple[int, int] | None = None  # (line, column) of the first finding with that code
    words: str = ""  # part of that finding's message


def deep_blocks(depth: int, closed: bool = True) -> str:
    return "party a {\n  role: team\n" + "x {\n" * depth + ("}\n" * depth + "}\n" if closed else "")


CASES = [
    # -- nothing, or nothing but comments ------------------------------------------------
    Case("empty-file", ""),
    Case("only-whitespace", "  \n\t\n\n"),
    Case("only-comments", "# one\n   # two\n#"),
    Case("comment-without-newline-at-eof", PARTY + "# last line"),
    # -- truncated ---------------------------------------------------------------------------
    Case("truncated-after-kind", "party", "SL001", (1, 6), "expected a name, found end of file"),
    Case("truncated-after-id", "party acme", "SL001", (1, 11), "expected '{' or a string, found end of file"),
    Case("truncated-after-brace", "party acme {", "SL001", (1, 13), "opened on line 1 is never closed"),
    Case("truncated-after-key", "party acme { role", "SL001", (1, 18), "expected ':'"),
    Case("truncated-after-colon", "party acme { role:\n\n", "SL001", (1, 19), "expected a value"),
    Case(
        "truncated-in-objective",
        "sla a {\n  service s {\n    objective availability {\n      target: >= 99%\n",
        "SL001",
        (4, 21),
        "opened on line 3 is never closed",
    ),
    Case(
        "truncated-after-comment",
        "party a {\n  role: team\n  # more to come\n\n   \n",
        "SL001",
        (3, 17),
        "found end of file",
    ),
    Case("truncated-comparison", "sla a { service s { objective o { target: >=", "SL001", (1, 45), "a percent"),
    Case("truncated-list", "ola o { supports: [a, b", "SL001", (1, 24), "']'"),
    Case("truncated-reference", "party t { organization: a.", "SL001", (1, 27), "a name"),
    # -- stray and missing tokens ------------------------------------------------------------
    Case("stray-word-at-top", "hello\n" + PARTY, "SL001", (1, 1), "found 'hello'"),
    Case("lone-closing-brace", "}\n" + PARTY, "SL001", (1, 1), "found '}'"),
    Case("extra-closing-braces", "party a { role: team }}}\n", "SL001", (1, 23), "expected a declaration"),
    Case("missing-opening-brace", "party a role: team }\n", "SL001", (1, 9), "expected '{' or a string, found 'role'"),
    Case(
        "missing-closing-brace",
        "party a { role: team\n\nparty b { role: team }\n",
        "SL001",
        (3, 23),
        "opened on line 1 is never closed",
    ),
    Case("missing-colon", "party a { role customer }", "SL001", (1, 16), "expected ':' after 'role'"),
    Case("missing-colon-before-string", 'party a { contact "x" }', "SL001", (1, 19), "expected ':' after 'contact'"),
    Case("double-colon", "party a { role:: team }", "SL001", (1, 16), "found ':'"),
    Case("double-semicolon", "party a { role: team;; }", "SL001", (1, 22), "found ';'"),
    Case("keyword-typo", "pary a { role: team }", "SL001", (1, 1), "did you mean 'party'?"),
    Case("capitalised-day", "sla a { service s { hours: Mon-Fri 08:00-18:00 } }", "SL001", (1, 28), "lowercase"),
    Case("uppercase-keyword", "PARTY a { role: team }", "SL001", (1, 1), "expected a declaration"),
    Case("string-as-declaration", '"acme" { role: team }', "SL001", (1, 1), "found the string"),
    Case(
        "date-as-target",
        "sla a { service s { objective o { target: >= 2026-01-01 } } }",
        "SL001",
        (1, 46),
        "expected a duration, a number or a percent, found '2026-01-01'",
    ),
    Case("glued-numbers", "party a { contact: 1-2 }", "SL001", (1, 20), "'1-2' is not a valid number"),
    Case("string-in-condition", 'sla a { credits { credit { when: a < "x" } } }', "SL001", (1, 38), "a percent"),
    Case(
        "hours-without-days",
        "sla a { service s { hours: 08:00-18:00 } }",
        "SL001",
        (1, 28),
        "found '08:00-18:00'; service hours name the days before the times",
    ),
    Case("schedule-without-times", "sla a { service s { hours: mon-fri } }", "SL001", (1, 36), "a time range"),
    # -- broken literals -----------------------------------------------------------------------
    Case("unterminated-string", 'party a { contact: "abc\n  role: team }\n', "SL001", (1, 20), "must end on its line"),
    Case("unterminated-string-at-eof", 'party a { contact: "', "SL001", (1, 20), "unterminated string"),
    Case(
        "unterminated-triple-quoted",
        'party a { contact: """abc\n  role: team }\n',
        "SL001",
        (1, 20),
        'this """ has no closing """',
    ),
    Case("unterminated-triple-quoted-at-eof", 'party a {\n  contact: """', "SL001", (2, 12), 'no closing """'),
    Case("bad-escape", r'party a { contact: "a\qb" }', "SL001", (1, 22), r"unknown escape '\q'"),
    Case("bad-escape-after-backslash", r'party a { contact: "\\q \q" }', "SL001", (1, 25), r"unknown escape '\q'"),
    Case(
        "bad-escape-in-triple-quoted",
        'party a {\n  contact: """\n    line \\x\n  """\n}',
        "SL001",
        (3, 10),
        r"unknown escape '\x'",
    ),
    Case(
        "unit-days",
        "sla a { reporting: 30days }",
        "SL001",
        (1, 20),
        "'30days' is not a duration: write the number and the unit together, e.g. 30d",
    ),
    Case("unit-uppercase", "sla a { reporting: 30D }", "SL001", (1, 20), "e.g. 30d"),
    Case("unit-unknown", "sla a { reporting: 30x }", "SL001", (1, 20), "unknown unit 'x'"),
    Case("number-two-dots", "party a { contact: 99.9.9 }", "SL001", (1, 20), "'99.9.9' is not a valid number"),
    Case(
        "percent-after-space",
        "sla a { credits { cap: 50 % } }",
        "SL001",
        (1, 24),
        "write the sign right after the number, e.g. 50%",
    ),
    Case("leading-plus", "party a { contact: +5 }", "SL001", (1, 20), "'+'; expected a value"),
    # What a lexer error expects is what the parser accepts there, not every token of its state.
    Case(
        "stray-character-after-a-value",
        'party a { contact: "x" @ }',
        "SL001",
        (1, 24),
        "unexpected character '@'; expected ';', '}', a name or a string",
    ),
    Case("short-date", "sla a { effective: 2026-1-01 }", "SL001", (1, 20), "not a valid date"),
    Case("short-time", "sla a { service s { hours: mon 8:00-18:00 } }", "SL001", (1, 32), "not a valid time range"),
    Case("almost-24x7", "sla a { service s { hours: 24x7x } }", "SL001", (1, 28), "'24x7x'"),
    # The lexer checks shapes only (SPEC §2.1): these parse and are SL003.
    Case("impossible-date", "sla a { effective: 2026-02-30 }", "SL003", (1, 20), "February 2026 has 28 days"),
    Case("time-past-24", "sla a { service s { hours: mon 25:00-26:00 } }", "SL003", (1, 32), "25:00"),
    Case("percent-above-100", "sla a { credits { cap: 100.01% } }", "SL003", (1, 24), "between 0% and 100%"),
    # -- characters ----------------------------------------------------------------------------
    Case("unicode-identifier", "party café { role: team }", "SL001", (1, 10), "'é'; expected '{' or a string"),
    Case("non-breaking-space", "party\u00a0a { role: team }", "SL001", (1, 6), "U+00A0"),
    Case("control-character", "party a { role: team }\x01\n", "SL001", (1, 23), "U+0001'; expected a declaration"),
    Case("emoji-outside-string", "party a { role: team } \U0001f600", "SL001", (1, 24), "'\U0001f600'"),
    Case("byte-order-mark", "\ufeffparty a { role: custmer }", "SL003", (1, 17), "unknown role 'custmer'"),
    Case("byte-order-mark-mid-file", PARTY + "\ufeffparty b { role: team }", "SL001", (2, 1), "U+FEFF"),
    Case("crlf-line-ends", "party a {\r\n  role: custmer\r\n}\r\n", "SL003", (2, 9), "unknown role"),
    Case("lone-cr-line-ends", "party a { role: team }\rparty b { role: custmer }\r", "SL003", None, "unknown role"),
    # -- bytes that are not an agreement (SL008 at 1:1) -------------------------------------
    Case("nul-byte", b"party a { role: team }\x00\n", "SL008", (1, 1), "NUL byte"),
    Case("invalid-utf8", b'party a { contact: "caf\xe9" }\n', "SL008", (1, 1), "not valid UTF-8"),
    Case("utf16", "party a { role: team }\n".encode("utf-16"), "SL008", (1, 1), "NUL byte"),
    Case("random-binary", bytes(range(256)) * 4, "SL008", (1, 1), "NUL byte"),
    # -- size and depth --------------------------------------------------------------------------
    Case(
        "very-long-line",
        'party a { contact: "' + "x" * 60_000 + '"  role: custmer }',
        "SL003",
        (1, 60_030),
        "unknown role",
    ),
    Case(
        "string-over-the-length-limit",
        'party a { role: team  contact: "' + "x" * 200_000 + '" }',
        "SL003",
        (1, 32),
        "over the limit of 65,536",
    ),
    Case("many-declarations-on-one-line", "".join(f"party p{i} {{ role: team }} " for i in range(5000))),
    # The 33rd level is reported where it opens, and the parser stops there.
    Case("deeply-nested-blocks", deep_blocks(2000), "SL001", (34, 3), "blocks are nested more than 32 levels deep"),
    Case("deeply-nested-unclosed", deep_blocks(2000, closed=False), "SL001", (34, 3), "nested more than 32 levels"),
    Case(
        "deeply-nested-lists",
        "party a { role: team  x: " + "[" * 2000 + "]" * 2000 + " }",
        "SL001",
        (1, 58),
        "lists are nested more than 32 levels deep",
    ),
    Case("deeply-nested-unclosed-lists", "party a { role: team  x: " + "[" * 2000, "SL001", (1, 58), "more than 32"),
    Case("many-syntax-errors", "".join(f"party p{i} {{ role @ }}\n" for i in range(100)), "SL001", (1, 17), "'@'"),
]

# What an SL001 message says: what was found (and expected), or what is wrong with a literal.
SL001_FORMS = re.compile(
    r"found |unterminated string|is not a valid|unexpected character|unknown escape|nested more than"
    r"|is not a day name|is not a duration|is not a date|has a space before|uses single quotes|is written 24x7"
)
# Names of Lark terminals and internals that must never reach a user.
LARK_INTERNALS = re.compile(
    r"__ANON|\$END|\b(?:RBRACE|LBRACE|LSQB|RSQB|COLON|SEMICOLON|COMMA|DOT|KIND|ID|STRING|LONG_STRING|NUMBER|PERCENT|"
    r"DURATION|DATE|BOOL|COMPARATOR|ALWAYS|DAYSPEC|TIMERANGE|WS|COMMENT)\b|Token\(|Tree\("
)


def write(tmp_path, case: Case):
    path = tmp_path / "case.sla"
    data = case.content if isinstance(case.content, bytes) else case.content.encode("utf-8")
    path.write_bytes(data)
    return path, data


def lint_in(tmp_path, name: str):
    """The language findings (SL0xx) of one file, linted from inside tmp_path."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return lint(LintRequest(paths=[name], settings=Settings(select=["SL0"])))
    finally:
        os.chdir(cwd)


def assert_inside(findings, data: bytes) -> None:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = ""
    lines = text.split("\n")
    for finding in findings:
        span = finding.span
        assert 1 <= span.line <= len(lines), finding
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, finding
        assert (span.end_line, span.end_column) >= (span.line, span.column), finding


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_malformed_input_in_process(case, tmp_path):
    _, data = write(tmp_path, case)
    findings = lint_in(tmp_path, "case.sla").findings

    assert_inside(findings, data)
    for finding in findings:
        assert finding.message and "\n" not in finding.message
        if finding.code == "SL001":
            assert not LARK_INTERNALS.search(finding.message), finding.message
    if case.code is None:
        assert findings == [], [f.message for f in findings]
        return
    of_code = [f for f in findings if f.code == case.code]
    assert of_code, [f"{f.code} {f.message}" for f in findings]
    first = of_code[0]
    if case.at is not None:
        assert (first.span.line, first.span.column) == case.at, first.message
    assert case.words in first.message
    if case.code == "SL001":
        assert SL001_FORMS.search(first.message), first.message


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_malformed_input_through_the_command_line(case, tmp_path):
    write(tmp_path, case)
    process = run_cli("check", "case.sla", "--select", "SL0", "--format", "json", cwd=tmp_path)
    found = [(f["code"], f["line"], f["column"]) for f in report_of(process)["findings"]]
    expected = [(f.code, f.span.line, f.span.column) for f in lint_in(tmp_path, "case.sla").findings]
    assert found == expected


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.id in {"very-long-line", "deeply-nested-blocks", "control-character", "utf16"}],
    ids=lambda case: case.id,
)
def test_malformed_input_in_the_text_report(case, tmp_path):
    write(tmp_path, case)
    process = run_cli("check", "case.sla", "--select", "SL0", "--no-color", cwd=tmp_path)
    stderr = process.stderr.decode("utf-8", "replace")
    assert process.returncode == 1 and "Traceback" not in stderr, stderr
    out = process.stdout.decode("utf-8")
    assert out.startswith(f"case.sla:{case.at[0]}:{case.at[1]}: error {case.code} ")
    assert max(len(line) for line in out.splitlines()) < 1000  # a huge line is cut in the code frame


def test_the_number_of_syntax_errors_reported_is_bounded(tmp_path):
    case = next(case for case in CASES if case.id == "many-syntax-errors")
    write(tmp_path, case)
    findings = lint_in(tmp_path, "case.sla").findings
    assert 1 < len(findings) <= 20
    assert [f.span.line for f in findings] == list(range(1, len(findings) + 1))


def test_recovery_keeps_the_declarations_around_a_syntax_error(tmp_path):
    text = (
        "party acme { role: customer }\n"
        "party broken { role customer }\n"
        "party it_org { role: provider }\n"
        "sla s { provider: it_org  customer: acme  version: 1  effective: 2026-01-01  service x { hours: 24x7 } }\n"
    )
    (tmp_path / "t.sla").write_text(text, encoding="utf-8")
    findings = lint_in(tmp_path, "t.sla").findings
    # acme and it_org resolve although the file is broken between them (SPEC §3.1), and the
    # declaration after the error is still checked, at its own line.
    assert [(f.code, f.span.line, f.span.column) for f in findings] == [("SL001", 2, 21), ("SL003", 4, 52)]


def test_a_declaration_cut_off_by_the_error_does_not_count(tmp_path):
    text = "party acme { role: customer }\nparty it_org { role provider }\nsla s { provider: it_org }\n"
    (tmp_path / "t.sla").write_text(text, encoding="utf-8")
    findings = lint_in(tmp_path, "t.sla").findings
    # it_org did not parse, so the SLA has no provider; the SL001 says why, no SL007 repeats it.
    codes = [(f.code, f.span.line, f.span.column) for f in findings]
    assert ("SL001", 2, 21) in codes and not any(code == "SL007" for code, _, _ in codes)
