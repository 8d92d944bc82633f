"""What cost a new user time: short options (`-h`, `-q`, `-o`, `-s`) in every
command, `--statistics` with the severity the findings carry, JUnit that
fails only at `--fail-on`, a summary on stderr when the report goes to a
file (and what the baseline hid), and text findings that start with
`path:line:col` so that terminals and editors link them. Each through the
command line, with the exact output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli

from sla_lang.command.check import help_text
from sla_lang.lint import LintRequest, lint
from sla_lang.report import ReportSettings, render

GOLD = """\
party acme "Acme" { role: customer }
party it "IT" { role: provider }
sla gold "Gold" {
  provider: it
  customer: acme
  version: "1"
  effective: 2026-01-01
  service s "S" { hours: 24x7 }
}
"""
BAD = 'party team "Team" { role: team  organization: nobody }\n'
CLEAN = 'party ok "OK" { role: customer }\n'
# One error in bad.sla; in gold.sla an error, a warning and an info.
SELECT = ("--select", "SL007,SL306,SL501,SL503", "--today", "2026-06-01")

SL007 = (
    "the organization of party 'team' names 'nobody', but no party 'nobody' is declared "
    "(is the file that declares it in the workspace?)"
)
SL306 = (
    "service 's' in SLA 'gold' has no objective: nothing about it is promised or measured; add at least one 'objective'"
)
SL501 = (
    "SLA 'gold' lists no responsibilities of its customer 'acme': add 'responsibilities customer { ... }' "
    "with what the customer must do for the targets to hold"
)
SL503 = "SLA 'gold' has no 'overview': say in a few sentences what the service is for and who relies on it"

TEXT_REPORT = f"""\
bad.sla:1:47: error SL007 {SL007}
    1 | party team "Team" {{ role: team  organization: nobody }}
      |                                               ^^^^^^

gold.sla:3:1: warning SL501 {SL501}
    3 | sla gold "Gold" {{
      | ^^^
gold.sla:3:1: info SL503 {SL503}
    3 | sla gold "Gold" {{
      | ^^^
gold.sla:8:3: error SL306 {SL306}
    8 |   service s "S" {{ hours: 24x7 }}
      |   ^^^^^^^
"""
SUMMARY = "Found 2 errors, 1 warning and 1 info in 2 of 3 files checked.\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for name, text in (("gold.sla", GOLD), ("bad.sla", BAD), ("clean.sla", CLEAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def check(directory: Path, *args: str, stdin: bytes | None = None):
    """`slalint check` in `directory`: (exit code, stdout, stderr)."""
    done = run_cli("check", *args, cwd=directory, stdin=stdin)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


# -- 1. short options, in every command -----------------------------------------------------


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_check_help_with_h(flag, workspace):
    assert check(workspace, flag) == (0, help_text(), "")
    lines = help_text().splitlines()
    for line in (
        "  -h, --help                       Show this message and exit.",
        "  -o, --output FILE                Write the report to FILE instead of standard output.",
        "  -q, --quiet                      Print the findings only, without the summary line.",
        "  -s, --statistics                 Print the number of findings per rule instead of the findings.",
        "      --fail-on SEVERITY           Lowest severity that makes the exit code 1: error, warning, info or never "
        "(default: error).",
    ):
        assert line in lines


@pytest.mark.parametrize("quiet", [["-q"], ["--quiet"], ["--no-color", "-q"]])
def test_check_quiet_with_q(quiet, workspace):
    assert check(workspace, *SELECT, "--no-color", *quiet) == (1, TEXT_REPORT, "")


@pytest.mark.parametrize(
    "output",
    [["-o", "report.txt"], ["-oreport.txt"], ["-o=report.txt"], ["--output", "report.txt"], ["--output=report.txt"]],
)
def test_check_output_with_o(output, workspace):
    assert check(workspace, *SELECT, *output) == (1, "", SUMMARY)
    assert (workspace / "report.txt").read_text(encoding="utf-8") == TEXT_REPORT + "\n" + SUMMARY


STATISTICS = """\
    1  SL007    unresolved-reference                     [error]
    1  SL306    service-without-objectives               [error]
    1  SL501    missing-customer-responsibilities        [warning]
    1  SL503    missing-overview                         [info]
"""


@pytest.mark.parametrize("statistics", [["-s"], ["--statistics"], ["-qs"], ["-sq"]])
def test_check_statistics_with_s(statistics, workspace):
    assert check(workspace, *SELECT, *statistics) == (1, STATISTICS, "")


def test_options_take_their_values_in_every_spelling(workspace):
    concise = f"bad.sla:1:47: SL007 [error] {SL007}\n"
    for spelling in (["--format", "concise"], ["--format=concise"]):
        for select in (["--select", "SL007"], ["--select=SL007"]):
            assert check(workspace, *spelling, *select, "bad.sla") == (1, concise, "")


def test_a_dash_alone_is_still_standard_input(workspace):
    code, out, err = check(workspace, "-q", "--format", "concise", "--select", "SL007", "-", stdin=BAD.encode())
    assert (code, out, err) == (1, f"-:1:47: SL007 [error] {SL007}\n", "")
    named = check(
        workspace, "-q", "--stdin-filename", "piped.sla", "--select=SL007", "--format=concise", "-", stdin=b""
    )
    assert named == (0, "", "")


USAGE = "Usage: slalint check [OPTIONS] [PATHS]...\nError: {}\nRun 'slalint check --help' for the options.\n"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (["-x"], "no such option: -x (a path that starts with '-' goes after '--', or as ./-x)"),
        (["-qx.sla"], "no such option: -x (a path that starts with '-' goes after '--', or as ./-qx.sla)"),
        (["-quiet"], "no such option: -quiet (did you mean --quiet?)"),
        (["-o"], "-o needs a value: -o FILE"),
        (["-q=yes"], "-q takes no value"),
        (["--quiet=yes"], "--quiet takes no value"),
    ],
)
def test_a_wrong_short_option_is_a_usage_error(arguments, error, workspace):
    assert check(workspace, *arguments) == (2, "", USAGE.format(error))


def test_a_path_that_starts_with_a_dash_after_double_dash(workspace):
    (workspace / "-q.sla").write_text(BAD, encoding="utf-8")
    expected = f"-q.sla:1:47: SL007 [error] {SL007}\n"
    assert check(workspace, "--format", "concise", "--select", "SL007", "--", "-q.sla") == (1, expected, "")
    assert check(workspace, "--format", "concise", "--select", "SL007", "./-q.sla") == (1, expected, "")


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ([], "Usage: slalint [OPTIONS] COMMAND [ARGS]..."),
        (["rules"], "Usage: slalint rules [OPTIONS]"),
        (["explain"], "Usage: slalint explain [OPTIONS] {code}"),
        (["test"], "Usage: slalint test [OPTIONS] [packs]..."),
    ],
)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_takes_h(command, usage, flag, tmp_path):
    done = run_cli(*command, flag, cwd=tmp_path)
    out = done.stdout.decode()
    assert (done.returncode, done.stderr) == (0, b"")
    assert out.splitlines()[0] == usage
    assert re.search(r"^  -h, --help +Show this message and exit\.$", out, re.MULTILINE)
    assert out == run_cli(*command, "--help", cwd=tmp_path).stdout.decode()


# -- 2. --statistics shows the severity the findings carry -----------------------------------


def test_statistics_show_the_configured_severity(workspace):
    (workspace / ".slalint.yaml").write_text("severity: {SL501: info, SL503: warning}\n", encoding="utf-8")
    assert check(workspace, *SELECT, "-s") == (
        1,
        "    1  SL007    unresolved-reference                     [error]\n"
        "    1  SL306    service-without-objectives               [error]\n"
        "    1  SL501    missing-customer-responsibilities        [info]\n"
        "    1  SL503    missing-overview                         [warning]\n",
        "",
    )


# -- 3. JUnit: a case per finding, failures only at --fail-on ---------------------------------


def junit(failing: set[str]) -> str:
    """The JUnit report of the workspace when the findings of the codes in `failing` fail."""
    cases = [
        ("bad.sla", "SL007", 1, 47, "error", SL007),
        ("gold.sla", "SL501", 3, 1, "warning", SL501),
        ("gold.sla", "SL503", 3, 1, "info", SL503),
        ("gold.sla", "SL306", 8, 3, "error", SL306),
    ]
    lines = []
    for path, code, line, column, severity, message in cases:
        if path == "gold.sla" and code == "SL501":
            lines.append('    <testcase classname="clean.sla" name="no findings" file="clean.sla" />')
        lines.append(f'    <testcase classname="{path}" name="{code} {line}:{column}" file="{path}" line="{line}">')
        text = f"{path}:{line}:{column}: {code} [{severity}] {message}"
        if code in failing:
            lines.append(f'      <failure message="{code}: {message}" type="{severity}">{text}</failure>')
        else:
            lines.append(f"      <system-out>{text}</system-out>")
        lines.append("    </testcase>")
    counts = f'tests="5" failures="{len(failing)}" errors="0"'
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="slalint" {counts}>',
            f'  <testsuite name="slalint" {counts} skipped="0">',
            *lines,
            "  </testsuite>",
            "</testsuites>",
            "",
        ]
    )


@pytest.mark.parametrize(
    ("fail_on", "code", "failing"),
    [
        ([], 1, {"SL007", "SL306"}),
        (["--fail-on", "error"], 1, {"SL007", "SL306"}),
        (["--fail-on", "warning"], 1, {"SL007", "SL306", "SL501"}),
        (["--fail-on", "info"], 1, {"SL007", "SL306", "SL501", "SL503"}),
        (["--fail-on", "never"], 0, set()),
    ],
)
def test_junit_fails_only_at_fail_on(fail_on, code, failing, workspace):
    assert check(workspace, *SELECT, "--format", "junit", *fail_on) == (code, junit(failing), "")


def test_junit_fail_on_from_the_config(workspace):
    (workspace / ".slalint.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    assert check(workspace, *SELECT, "--format", "junit") == (1, junit({"SL007", "SL306", "SL501"}), "")


def test_junit_of_clean_files_is_all_passed(workspace):
    assert check(workspace, "--format", "junit", "clean.sla") == (
        0,
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="slalint" tests="1" failures="0" errors="0">\n'
        '  <testsuite name="slalint" tests="1" failures="0" errors="0" skipped="0">\n'
        '    <testcase classname="clean.sla" name="no findings" file="clean.sla" />\n'
        "  </testsuite>\n"
        "</testsuites>\n",
        "",
    )


# -- 4. --output: the summary on stderr; what the baseline hid ---------------------------------


@pytest.mark.parametrize("format_name", ["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
def test_output_to_a_file_prints_the_summary_on_stderr(format_name, workspace):
    code, out, err = check(workspace, *SELECT, "--format", format_name, "-o", "report")
    assert (code, out, err) == (1, "", SUMMARY)
    assert check(workspace, *SELECT, "--format", format_name, "--output", "report", "-q") == (1, "", "")
    assert check(workspace, "clean.sla", "--format", format_name, "-o", "report") == (
        0,
        "",
        "All checks passed (1 file checked).\n",
    )


def test_the_summary_says_how_many_findings_the_baseline_hid(workspace):
    assert check(workspace, *SELECT, "--write-baseline", "baseline.json") == (
        0,
        "",
        "slalint: recorded 4 findings in baseline.json\n",
    )
    hidden = "All checks passed (3 files checked, 4 findings hidden by the baseline).\n"
    assert check(workspace, *SELECT, "--baseline", "baseline.json") == (0, hidden, "")
    assert check(workspace, *SELECT, "--baseline", "baseline.json", "--format", "sarif", "-o", "out.sarif") == (
        0,
        "",
        hidden,
    )
    # A new finding shows; the old ones are counted as hidden.
    (workspace / "more.sla").write_text(BAD.replace("party team", "party crew"), encoding="utf-8")
    code, out, err = check(workspace, *SELECT, "--baseline", "baseline.json", "--no-color")
    assert (code, err) == (1, "")
    assert out.endswith("\n\nFound 1 error in 1 of 4 files checked (4 findings hidden by the baseline).\n")
    one = "All checks passed (1 file checked, 1 finding hidden by the baseline).\n"
    assert check(workspace, *SELECT, "--baseline", "baseline.json", "bad.sla", "-o", "out.txt") == (0, "", one)
    assert (workspace / "out.txt").read_text(encoding="utf-8") == one


def test_lint_counts_what_the_baseline_hid(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    assert check(workspace, *SELECT, "bad.sla", "--write-baseline", "baseline.json")[0] == 0
    result = lint(LintRequest(paths=["."]))
    assert result.hidden_by_baseline == 0
    from sla_lang.config.settings import Settings

    settings = Settings(baseline="baseline.json", select=["SL007"])
    result = lint(LintRequest(paths=["."], settings=settings))
    assert (result.hidden_by_baseline, result.findings) == (1, [])


# -- 5. text: every finding starts with path:line:col ------------------------------------------


def test_text_findings_start_with_path_line_col(workspace):
    assert check(workspace, *SELECT, "--no-color") == (1, TEXT_REPORT + "\n" + SUMMARY, "")
    # Piped (not a terminal), the report is plain without --no-color too.
    assert check(workspace, *SELECT) == (1, TEXT_REPORT + "\n" + SUMMARY, "")


def test_text_on_a_terminal_is_coloured_around_the_same_text(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    from sla_lang.config.settings import Settings

    settings = Settings(select=["SL007"])
    result = lint(LintRequest(paths=["bad.sla"], settings=settings))
    coloured = render("text", result, ReportSettings(color=True))
    assert coloured.splitlines()[0] == (
        f"\x1b[1mbad.sla\x1b[0m\x1b[2m:1:47:\x1b[0m \x1b[1;31merror\x1b[0m \x1b[1mSL007\x1b[0m {SL007}"
    )
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == render("text", result)
