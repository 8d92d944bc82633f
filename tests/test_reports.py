"""The CI report formats (sarif, github, gitlab, junit), read back the way CI
services read them: SARIF validated against the official schema, workflow
commands parsed and unescaped, Code Quality JSON and JUnit XML parsed. The
findings come from real lint runs; a few hand-made ones add the characters
real messages rarely hold (newlines, '|', control characters)."""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import PROJECT, SPEC_EXAMPLE, lint_files, run_cli

from sla_lang.config.settings import Settings
from sla_lang.findings import Finding
from sla_lang.lint import LintResult
from sla_lang.report import FORMATS, ReportSettings, render
from sla_lang.source import Span

SARIF_SCHEMA = PROJECT.parent / "shared" / "vendor" / "sarif-schema-2.1.0.json"
TODAY = datetime.date(2026, 6, 1)

# Every kind of finding the reports must carry: anchored ones, two identical
# file-level ones (the invalid dates: same code, path, anchor and message),
# and an info one (SL002 lowered by the configuration).
BROKEN = """\
party vendor_x "Vendor X" { role: partner }

sla storage_sla "Storage SLA" {
  provider: it_org
  customer: acme
  version: "1.0"
  effective: 2026-02-30
  review: 2026-02-30

  service block_storage "Block storage" {
    hours: 24x7
    objective availability {
      target: >= 250ms
      window: 30d
      mesurement: "Volume health checks"
    }
  }
}
"""
# Language and underpinning rules only: the reports, not other packs, are under test.
SETTINGS = dict(select=["SL0", "SL4"], severity={"SL002": "info"})


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch):
    """Tests run under GitHub Actions too: never append to the real job summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def lint_broken(tmp_path: Path, shift: int = 0):
    """Lint BROKEN (with `shift` lines inserted above everything) next to the SPEC example."""
    text = "# an edit above the agreements\n\n" * (shift // 2) + "\n" * (shift % 2) + BROKEN
    files = {"agreements/broken.sla": text, "agreements/payments.sla": SPEC_EXAMPLE.read_text(encoding="utf-8")}
    return lint_files(files, tmp_path, settings=Settings(**SETTINGS), today=TODAY)


@pytest.fixture
def result(tmp_path):
    result = lint_broken(tmp_path / "v1")
    assert {f.severity for f in result.findings} == {"error", "info"}
    return result


def with_findings(result, findings):
    """The real result with other findings (sorted as lint sorts them)."""
    return LintResult(sorted(findings, key=Finding.sort_key), result.files_checked, result.sources, result.rules)


def odd_finding(message: str, path: str = "agreements/broken.sla", line: int = 3, **span) -> Finding:
    end = dict(end_line=line, end_column=8) | span
    return Finding("SL003", "invalid-value", "warning", message, Span(path, line, 2, **end), "sla:storage_sla")


def test_formats_are_registered():
    assert {"sarif", "github", "gitlab", "junit"} <= set(FORMATS)


# --- SARIF ----------------------------------------------------------------------------------


def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the vendored SARIF schema is not at {SARIF_SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


def assert_valid_sarif(log: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_sarif_is_valid_and_carries_every_finding(result):
    log = json.loads(render("sarif", result))
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0" and log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "slalint" and driver["version"] and driver["informationUri"].startswith("https://")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == sorted({f.code for f in result.findings})
    for rule in rules:
        info = result.rules[rule["id"]]
        assert rule["name"] == info.name
        assert rule["shortDescription"]["text"] == info.summary
        assert rule["fullDescription"]["text"] and rule["fullDescription"]["text"] in " ".join(info.docs.split())
        assert rule["help"]["markdown"] == info.docs.strip() and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning"}[info.severity]
        assert info.pack in rule["properties"]["tags"]
    assert len(run["results"]) == len(result.findings)
    for sarif, finding in zip(run["results"], result.findings, strict=True):
        assert sarif["ruleId"] == finding.code == rules[sarif["ruleIndex"]]["id"]
        assert sarif["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert sarif["message"]["text"] == finding.message
        (location,) = sarif["locations"]
        artifact, region = location["physicalLocation"]["artifactLocation"], location["physicalLocation"]["region"]
        assert artifact == {"uri": finding.span.path, "uriBaseId": "%SRCROOT%"}
        span = finding.span
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            span.line,
            span.column,
            span.end_line,
            span.end_column,
        )
        assert re.fullmatch(r"[0-9a-f]{32}", sarif["partialFingerprints"]["slalint/v1"])


def test_sarif_of_a_clean_run_is_valid(tmp_path):
    clean = lint_files({"payments.sla": SPEC_EXAMPLE.read_text(encoding="utf-8")}, tmp_path, today=TODAY)
    log = json.loads(render("sarif", clean))
    assert_valid_sarif(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_uris_are_encoded_and_multiline_regions_kept(result):
    odd = [
        odd_finding("spans lines", line=3, end_line=5, end_column=2),
        odd_finding("a path with a space", path="my agreements/a#1.sla"),
    ]
    log = json.loads(render("sarif", with_findings(result, odd)))
    assert_valid_sarif(log)
    by_message = {r["message"]["text"]: r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]}
    assert by_message["a path with a space"]["artifactLocation"]["uri"] == "my%20agreements/a%231.sla"
    assert by_message["spans lines"]["region"] == {"startLine": 3, "startColumn": 2, "endLine": 5, "endColumn": 2}


def sarif_fingerprints(result) -> list[str]:
    return [r["partialFingerprints"]["slalint/v1"] for r in json.loads(render("sarif", result))["runs"][0]["results"]]


def test_fingerprints_survive_lines_inserted_above(tmp_path):
    before, after = lint_broken(tmp_path / "v1"), lint_broken(tmp_path / "v2", shift=5)
    assert [f.span.line + 5 for f in before.findings] == [f.span.line for f in after.findings]
    assert sarif_fingerprints(before) == sarif_fingerprints(after)
    gitlab = [[issue["fingerprint"] for issue in json.loads(render("gitlab", r))] for r in (before, after)]
    assert gitlab[0] == gitlab[1]
    assert sarif_fingerprints(before) == gitlab[0]  # one notion of identity for every CI service


def test_fingerprints_do_not_change_with_the_wording(result):
    reworded = [Finding(f.code, f.name, f.severity, f.message + "!", f.span, f.anchor) for f in result.findings]
    assert sarif_fingerprints(with_findings(result, reworded)) == sarif_fingerprints(result)


def test_fingerprints_change_with_what_the_finding_is_about(result):
    elsewhere = [Finding(f.code, f.name, f.severity, f.message, f.span, f.anchor + "x") for f in result.findings]
    assert set(sarif_fingerprints(result)).isdisjoint(sarif_fingerprints(with_findings(result, elsewhere)))


# --- GitHub workflow commands --------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<properties>[^:]*)::(?P<data>.*)$")


def unescape(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse_commands(output: str) -> list[dict]:
    commands = []
    for line in output.splitlines():
        match = COMMAND.match(line)
        if match:
            properties = dict(item.split("=", 1) for item in match["properties"].split(","))
            commands.append(
                {
                    "kind": match["kind"],
                    **{key: unescape(value) for key, value in properties.items()},
                    "data": unescape(match["data"]),
                }
            )
    return commands


def test_github_commands_read_back_as_the_findings(result):
    output = render("github", result)
    commands = parse_commands(output)
    assert len(commands) == len(result.findings)
    for command, finding in zip(commands, result.findings, strict=True):
        span = finding.span
        assert command["kind"] == {"error": "error", "warning": "warning", "info": "notice"}[finding.severity]
        assert command["file"] == span.path
        assert (command["line"], command["col"], command["endLine"], command["endColumn"]) == tuple(
            map(str, (span.line, span.column, span.end_line, span.end_column))
        )
        assert command["title"].startswith(finding.code)
        # The plain log keeps where and what even past GitHub's cap on annotations.
        assert command["data"] == f"{span.path}:{span.line}:{span.column}: {finding.code} {finding.message}"
    # One command a line; the last line is the summary, which is not a command.
    lines = output.splitlines()
    assert len(lines) == len(result.findings) + 1 and not lines[-1].startswith("::")
    assert lines[-1].startswith("Found 4 errors and 1 info in 1 of 2 files checked")
    assert render("github", result, ReportSettings(quiet=True)).splitlines() == lines[:-1]


def test_github_escapes_messages_and_properties(result):
    message = "100% sure: a, b\nsecond line\r"
    odd = [
        odd_finding(message, path="odd,dir/x:y.sla"),
        odd_finding("over lines", line=3, end_line=4, end_column=1),
    ]
    output = render("github", with_findings(result, odd))
    lines = [line for line in output.splitlines() if "odd,dir" in line or "x%3Ay" in line]
    # Line breaks are shown as escapes, as in every format, before the workflow-command escaping.
    assert len(lines) == 1 and lines[0].endswith("::odd,dir/x:y.sla:3:2: SL003 100%25 sure: a, b\\nsecond line\\r")
    assert "file=odd%2Cdir/x%3Ay.sla," in lines[0]
    commands = {c["data"].split(": SL003 ", 1)[1]: c for c in parse_commands(output) if "SL003 " in c["data"]}
    shown = "100% sure: a, b\\nsecond line\\r"
    assert commands[shown]["file"] == "odd,dir/x:y.sla"
    assert commands[shown]["kind"] == "warning"
    # GitHub rejects columns on a region of several lines.
    spanning = commands["over lines"]
    assert (
        (spanning["line"], spanning["endLine"]) == ("3", "4") and "col" not in spanning and "endColumn" not in spanning
    )


def test_github_step_summary_is_appended(result, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    piped = odd_finding("a | b <script>")
    report = with_findings(result, [*result.findings, piped])
    output = render("github", report)
    assert len(parse_commands(output)) == len(report.findings)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## slalint\n")
    assert "| error | 4 |" in text and "| warning | 1 |" in text and "| info | 1 |" in text
    rows = [line for line in text.splitlines() if re.match(r"\| (error|warning|info) \| SL", line)]
    assert len(rows) == len(report.findings)
    for row, finding in zip(rows, report.findings, strict=True):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert cells[:3] == [
            finding.severity,
            finding.code,
            f"`{finding.span.path}:{finding.span.line}:{finding.span.column}`",
        ]
    assert "| `a \\| b <script>` |" in text  # a code span: shown as written, never read as HTML
    render("github", report)  # a second step appends again
    assert summary.read_text(encoding="utf-8").count("## slalint") == 2


def test_github_without_step_summary_writes_no_file(result, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    render("github", result)
    assert not any(empty.iterdir())


# --- GitLab Code Quality ---------------------------------------------------------------------


def test_gitlab_code_quality_reads_back(result):
    issues = json.loads(render("gitlab", result))
    assert len(issues) == len(result.findings)
    for issue, finding in zip(issues, result.findings, strict=True):
        assert issue["check_name"] == finding.code
        assert issue["description"] == f"{finding.code}: {finding.message}"
        assert issue["severity"] == {"error": "major", "warning": "minor", "info": "info"}[finding.severity]
        assert issue["location"]["path"] == finding.span.path
        assert issue["location"]["lines"]["begin"] == finding.span.line
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_identical_findings_get_distinct_stable_fingerprints(tmp_path):
    before, after = lint_broken(tmp_path / "v1"), lint_broken(tmp_path / "v2", shift=3)
    dates = [f for f in before.findings if f.message.startswith("2026-02-30 is not a date")]
    assert len(dates) == 2 and dates[0].fingerprint == dates[1].fingerprint  # they would collide
    issues = [json.loads(render("gitlab", r)) for r in (before, after)]
    date_prints = [[i["fingerprint"] for i in report if "is not a date" in i["description"]] for report in issues]
    assert len(set(date_prints[0])) == 2 and date_prints[0] == date_prints[1]
    # The first keeps the base fingerprint: a duplicate added later does not renumber it.
    assert date_prints[0][0] == dates[0].fingerprint


def test_gitlab_report_of_a_clean_run_is_an_empty_array(tmp_path):
    clean = lint_files({"payments.sla": SPEC_EXAMPLE.read_text(encoding="utf-8")}, tmp_path, today=TODAY)
    assert json.loads(render("gitlab", clean)) == []


# --- JUnit -------------------------------------------------------------------------------------


def test_junit_has_a_case_per_finding_and_one_per_clean_file(result):
    root = ET.fromstring(render("junit", result))
    suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
    (suite,) = suites
    assert suite.get("name") == "slalint"
    cases = suite.findall("testcase")
    assert [(case.get("classname"), case.get("name")) for case in cases] == [
        *((f.span.path, f"{f.code} {f.span.line}:{f.span.column}") for f in result.findings),
        ("agreements/payments.sla", "no findings"),
    ]
    assert cases[-1].findall("*") == []  # a clean file passes
    for case, finding in zip(cases[:-1], result.findings, strict=True):
        span = finding.span
        text = f"{span.path}:{span.line}:{span.column}: {finding.code} [{finding.severity}] {finding.message}"
        if finding.severity == "error":  # at or above --fail-on (default error): a failure
            (failure,) = case.findall("*")
            assert failure.tag == "failure" and failure.text == text
            assert failure.get("message") == f"{finding.code}: {finding.message}"
            assert failure.get("type") == finding.severity
        else:  # below it: a passing case that says what was found
            (output,) = case.findall("*")
            assert (output.tag, output.text) == ("system-out", text)
        assert (case.get("file"), case.get("line")) == (span.path, str(span.line))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "4", "0")


def test_junit_escapes_markup_and_control_characters(result):
    nasty = 'a <b> & "c"\x01 ]]> end'
    missing = Finding("SL008", "unreadable-file", "error", "cannot open", Span("gone.sla", 1, 1, 1, 1))
    report = with_findings(result, [*result.findings, odd_finding(nasty), missing])
    root = ET.fromstring(render("junit", report, ReportSettings(fail_on="warning")))  # well-formed despite it all
    messages = [failure.get("message") for failure in root.iter("failure")]
    assert 'SL003: a <b> & "c"\\x01 ]]> end' in messages
    assert "gone.sla" in [case.get("classname") for case in root.iter("testcase")]  # unreadable, still a case
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("8", "6")


# --- Through the command line ----------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["sarif", "github", "gitlab", "junit"])
def test_check_command_writes_each_format(format_name, tmp_path):
    (tmp_path / "broken.sla").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "payments.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    args = ("check", "broken.sla", "payments.sla", "--select", "SL0,SL4", "--today", "2026-06-01")
    done = run_cli(*args, "--format", format_name, cwd=tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1, done.stderr.decode()
    output = done.stdout.decode("utf-8")
    if format_name == "sarif":
        log = json.loads(output)
        assert_valid_sarif(log)
        assert len(log["runs"][0]["results"]) == 5
    elif format_name == "github":
        assert len(parse_commands(output)) == 5
        assert summary.read_text(encoding="utf-8").count("| SL00") == 5
    elif format_name == "gitlab":
        assert len({issue["fingerprint"] for issue in json.loads(output)}) == 5
    else:
        assert len(ET.fromstring(output).findall("./testsuite/testcase/failure")) == 5
    if format_name != "github":
        assert not summary.exists()
