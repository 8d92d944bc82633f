"""`slalint check` as a user runs it (SPEC §4, §4.1), on language findings:
the JSON report, exit codes, --fail-on / --exit-zero, --version, --quiet,
the plain text report with its code frame, and standard input.

Every run here is a real subprocess in a temporary directory without a
configuration file, unless the test writes one.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import PROJECT, SPEC_EXAMPLE, run_cli

from sla_lang import __version__

FINDING_KEYS = [
    "code",
    "name",
    "severity",
    "message",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "fix",
    "fingerprint",
]

# b.sla sorts before the files under sub/; inside a file, findings sort by line, column, code.
FILES = {
    "sub/two.sla": "party acme { role: customer }\nparty acme { }\n",  # 2:7 SL004 and SL006, same place
    "sub/one.sla": "party p {\n  role: custmer\n  contact: 1\n}\nparty q { role: team  organization: nobody }\n",
    "b.sla": "party b { role: team  colour: red }\n",
}
EXPECTED = [
    ("b.sla", 1, 23, "SL002", "unknown-field"),
    ("sub/one.sla", 2, 9, "SL003", "invalid-value"),
    ("sub/one.sla", 3, 12, "SL003", "invalid-value"),
    ("sub/one.sla", 5, 37, "SL007", "unresolved-reference"),
    ("sub/two.sla", 2, 7, "SL004", "missing-field"),
    ("sub/two.sla", 2, 7, "SL006", "duplicate-id"),
]


@pytest.fixture
def workspace(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def check(*args: str, cwd, stdin: bytes | None = None):
    return run_cli("check", "--select", "SL0", *args, cwd=cwd, stdin=stdin)


def json_report(process) -> dict:
    assert b"Traceback" not in process.stderr, process.stderr.decode()
    return json.loads(process.stdout)


# -- the JSON report ----------------------------------------------------------------------


def test_json_report_shape_and_order(workspace):
    process = check("--format", "json", "sub", "b.sla", cwd=workspace)
    assert process.returncode == 1
    report = json_report(process)
    assert list(report) == ["version", "tool", "files_checked", "findings", "summary"]
    assert report["version"] == 1
    assert report["tool"] == {"name": "slalint", "version": __version__}
    assert report["files_checked"] == 3
    assert report["summary"] == {"error": 6, "warning": 0, "info": 0}
    findings = report["findings"]
    for finding in findings:
        assert list(finding) == FINDING_KEYS
        assert finding["severity"] == "error"
        assert finding["fix"] is None
        assert isinstance(finding["message"], str) and finding["message"]
        assert (finding["end_line"], finding["end_column"]) > (finding["line"], finding["column"])
    assert [(f["path"], f["line"], f["column"], f["code"], f["name"]) for f in findings] == EXPECTED
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in findings]
    assert keys == sorted(keys)


def test_json_end_positions_cover_the_element(workspace):
    report = json_report(check("--format", "json", "sub/one.sla", cwd=workspace))
    spans = [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in report["findings"]]
    assert spans[:2] == [(2, 9, 2, 16), (3, 12, 3, 13)]  # `custmer` and `1`, end exclusive


@pytest.mark.parametrize(
    ("cwd", "argument", "shown"),
    [
        (".", "sub/one.sla", "sub/one.sla"),
        (".", "./sub//one.sla", "sub/one.sla"),
        (".", "{root}/sub/one.sla", "sub/one.sla"),
        (".", "sub", "sub/one.sla sub/two.sla"),
        ("sub", "one.sla", "one.sla"),
        ("sub", "../sub/one.sla", "one.sla"),
        ("sub", "../b.sla", "../b.sla"),
        ("sub", ".", "one.sla two.sla"),
        ("sub", "..", "../b.sla one.sla two.sla"),  # a walked directory's files, shown from here
        ("sub", "{root}", "../b.sla one.sla two.sla"),
    ],
)
def test_json_paths_are_relative_to_the_current_directory(workspace, cwd, argument, shown):
    report = json_report(check("--format", "json", argument.format(root=workspace), cwd=workspace / cwd))
    assert sorted({f["path"] for f in report["findings"]}) == shown.split()


def test_a_clean_run_is_an_empty_report(workspace):
    (workspace / "clean.sla").write_text("party ok { role: team }\n", encoding="utf-8")
    process = check("--format", "json", "clean.sla", cwd=workspace)
    assert process.returncode == 0
    report = json_report(process)
    assert (report["findings"], report["summary"], report["files_checked"]) == (
        [],
        {"error": 0, "warning": 0, "info": 0},
        1,
    )


# -- exit codes ----------------------------------------------------------------------------


def test_exit_codes(workspace):
    (workspace / "clean.sla").write_text("party ok { role: team }\n", encoding="utf-8")
    assert check("clean.sla", cwd=workspace).returncode == 0
    assert check("b.sla", cwd=workspace).returncode == 1
    assert check("--exit-zero", "b.sla", cwd=workspace).returncode == 0
    assert check("--fail-on", "never", "b.sla", cwd=workspace).returncode == 0
    assert check("--fail-on", "warning", "b.sla", cwd=workspace).returncode == 1  # an error is above a warning


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--formt", "json"], "did you mean --format"),
        (["--fail-on", "bogus"], "--fail-on"),
        (["--format", "yaml"], "--format"),
        (["--today", "2026-02-30"], "--today"),
        (["--format"], "--format"),
    ],
)
def test_usage_errors_exit_2_without_a_report(workspace, args, words):
    process = check(*args, "b.sla", cwd=workspace)
    assert process.returncode == 2
    assert process.stdout == b""
    stderr = process.stderr.decode()
    assert words in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("fail_on", "exit_zero", "code"),
    [
        (None, False, 1),  # the default threshold is error
        ("error", False, 1),
        ("warning", False, 1),
        ("info", False, 1),
        ("warning", True, 0),
        ("never", False, 0),
    ],
)
def test_fail_on_and_exit_zero_decide_the_exit_code(workspace, fail_on, exit_zero, code):
    """SL002 is an error, whatever a configuration says: none can re-grade a
    language rule (SPEC §12; tests/test_selection.py varies the severities)."""
    args = ["--format", "json", "b.sla"]
    if fail_on:
        args += ["--fail-on", fail_on]
    if exit_zero:
        args.append("--exit-zero")
    process = check(*args, cwd=workspace)
    report = json_report(process)
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("SL002", "error")]
    assert report["summary"]["error"] == 1
    assert process.returncode == code


# -- --version, --quiet, the text report -------------------------------------------------


def test_version(tmp_path):
    process = run_cli("--version", cwd=tmp_path)
    assert process.returncode == 0
    assert process.stdout.decode() == f"slalint {__version__}\n"
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+.*", __version__)


def test_text_report_with_a_code_frame(tmp_path):
    text = "# line\n" * 11 + "party a { role: custmer }\n"
    (tmp_path / "t.sla").write_text(text, encoding="utf-8")
    process = check("--no-color", "t.sla", cwd=tmp_path)
    assert process.returncode == 1
    out = process.stdout.decode()
    assert "\x1b" not in out
    lines = out.split("\n")
    assert re.fullmatch(r"t\.sla:12:17: error SL003 unknown role 'custmer' in party 'a'.*", lines[0])
    frame, carets = lines[1], lines[2]
    assert frame == "    12 | party a { role: custmer }"
    bar = frame.index("|")
    assert carets[: bar + 1].strip() == "|"
    assert carets[bar + 2 :] == " " * 16 + "^" * 7  # under column 17, as wide as `custmer`
    assert lines[3:] == ["", "Found 1 error in 1 of 1 file checked.", ""]


def test_quiet_prints_the_findings_only(workspace):
    out = check("--quiet", "--no-color", "b.sla", cwd=workspace).stdout.decode()
    assert "SL002" in out and "    1 | party b" in out
    assert "Found" not in out and "checked" not in out
    (workspace / "clean.sla").write_text("party ok { role: team }\n", encoding="utf-8")
    assert check("--quiet", "clean.sla", cwd=workspace).stdout == b""
    assert "All checks passed" in check("clean.sla", cwd=workspace).stdout.decode()


def test_concise_format(workspace):
    out = check("--format", "concise", "b.sla", cwd=workspace).stdout.decode()
    assert out == (
        "b.sla:1:23: SL002 [error] unknown field 'colour' in party 'b'; "
        "valid here: role, name, organization, internal, contact, owner, tags, links\n"
    )


# -- standard input ---------------------------------------------------------------------------


def test_stdin_is_reported_under_the_stdin_filename(tmp_path):
    stdin = b"# from a pipe\nparty a { role: custmer }\n"
    process = check("--stdin-filename", "agreements/x.sla", "--format", "json", "-", cwd=tmp_path, stdin=stdin)
    assert process.returncode == 1
    report = json_report(process)
    assert report["files_checked"] == 1
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]] == [
        ("agreements/x.sla", 2, 17, "SL003")
    ]


def test_stdin_in_the_text_report_shows_its_own_code_frame(tmp_path):
    stdin = b"party a { role: custmer }\n"
    process = check("--stdin-filename", "piped.sla", "--no-color", "-", cwd=tmp_path, stdin=stdin)
    out = process.stdout.decode()
    assert out.startswith("piped.sla:1:17: error SL003 ") and "    1 | party a { role: custmer }" in out


def test_stdin_without_a_name_is_dash(tmp_path):
    report = json_report(check("--format", "json", "-", cwd=tmp_path, stdin=b"party a { role: custmer }"))
    assert [(f["path"], f["line"], f["column"]) for f in report["findings"]] == [("-", 1, 17)]


def test_stdin_resolves_against_the_files_given(tmp_path):
    (tmp_path / "parties.sla").write_text("party acme { role: customer }\n", encoding="utf-8")
    stdin = b"party team { role: team  organization: acme }\nparty other { role: team  organization: ghost }\n"
    report = json_report(check("--format", "json", "parties.sla", "-", cwd=tmp_path, stdin=stdin))
    assert [(f["path"], f["line"], f["code"]) for f in report["findings"]] == [("-", 2, "SL007")]


# -- the SPEC example -------------------------------------------------------------------------


def test_the_spec_example_is_clean():
    # SPEC §2.4 "A complete example", with every rule on: no finding at all.
    process = run_cli("check", "examples/payments.sla", "--today", "2026-06-01", "--no-color", cwd=PROJECT)
    assert SPEC_EXAMPLE.is_file()
    assert process.returncode == 0, process.stdout.decode()
    assert process.stdout.decode() == "All checks passed (1 file checked).\n"
    report = json_report(
        run_cli("check", "examples/payments.sla", "--today", "2026-06-01", "--format", "json", cwd=PROJECT)
    )
    assert report["findings"] == []
