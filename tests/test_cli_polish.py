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

from sla_lang.lint import LintRequest, lint
from sla_lang.report import ReportSettings, render

pytestmark = pytest.mark.usefixtures("fresh_cache")

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


# -- 4. --output: the summary on stderr; what the baseline hid ---------------------------------


@pytest.mark.parametrize("format_name", ["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
def test_output_to_a_file_prints_the_summary_on_stderr(format_name, workspace):
    code, out, err = check(workspace, *SELECT, "--format", format_name, "--output", "report")
    assert (code, out, err) == (1, "", SUMMARY)
    assert check(workspace, *SELECT, "--format", format_name, "--output", "report", "--quiet") == (1, "", "")
    assert check(workspace, "clean.sla", "--format", format_name, "--output", "report") == (
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
    assert check(workspace, *SELECT, "--baseline", "baseline.json", "--format", "sarif", "--output", "out.sarif") == (
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
    assert check(workspace, *SELECT, "--baseline", "baseline.json", "bad.sla", "--output", "out.txt") == (0, "", one)
    assert (workspace / "out.txt").read_text(encoding="utf-8") == one


def test_lint_counts_what_the_baseline_hid(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    assert check(workspace, *SELECT, "bad.sla", "--write-baseline", "baseline.json")[0] == 0
    result = lint(LintRequest(paths=["."]))
    assert result.hidden_by_baseline == 0
    from sla_lang.config import Settings

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
    from sla_lang.config import Settings

    settings = Settings(select=["SL007"])
    result = lint(LintRequest(paths=["bad.sla"], settings=settings))
    coloured = render("text", result, ReportSettings(color=True))
    assert coloured.splitlines()[0] == (
        f"\x1b[1mbad.sla\x1b[0m\x1b[2m:1:47:\x1b[0m \x1b[1;31merror\x1b[0m \x1b[1mSL007\x1b[0m {SL007}"
    )
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == render("text", result)
