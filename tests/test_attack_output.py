"""Attacks on what slalint prints: a pull request chooses the content and the
names of the files, and through them tries to drive the terminal (ESC, CR),
forge CI log commands (`::error`, `##[error]`), inject Markdown into the step
summary, crash a report with a name that is not UTF-8 or a tree 1,100
directories deep, leave a child process running after the check is killed,
or make a report take gigabytes. Each is run for real, through the command
line where it can be, and the exact output asserted."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli
from test_parallel import _children_of, _running

from sla_lang.findings import Finding
from sla_lang.lint import LintResult
from sla_lang.report import FORMATS, ReportSettings, render, write_report
from sla_lang.report.escape import line_start, visible
from sla_lang.source import Span

posix_names = pytest.mark.skipif(sys.platform == "win32", reason="Windows file names cannot hold these characters")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux only")
lists_children = pytest.mark.skipif(
    not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"), reason="the kernel lists no children"
)

ESC = "\x1b"
# An agreement with nothing wrong but what a test adds at line 8 (or as its customer).
AGREEMENT = """\
party {id}_acme "Acme" {{ role: customer }}
sla {id} "X" {{
  provider: {id}_acme
  customer: {customer}
  version: "1"
  effective: 2026-01-01
  service s "S" {{ hours: 24x7 }}
  {line}
}}
"""


def agreement(line: str = "", customer: str = "", id: str = "x") -> str:
    return AGREEMENT.format(line=line, customer=customer or f"{id}_acme", id=id)


def no_party(id: str = "x") -> str:
    """The message of the SL007 that `agreement(customer="nobody", id=id)` gives."""
    return (
        f"the customer of SLA '{id}' names 'nobody', but no party 'nobody' is declared "
        "(is the file that declares it in the workspace?)"
    )


NO_PARTY = no_party()


def check(directory: Path, *args: str, env: dict | None = None):
    """`slalint check` in `directory` with the findings of SL003 and SL007 only; (exit code, stdout, stderr)."""
    done = run_cli("check", *args, "--select", "SL003,SL007", cwd=directory, env=env)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def write(directory: Path, name: str | bytes, text: str) -> None:
    path = os.path.join(os.fsencode(directory), os.fsencode(name))
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))


# -- item 7: control characters, on a terminal and in a CI log ----------------------------------


def test_escape_sequences_in_a_comment_are_shown_in_the_code_frame(tmp_path):
    # Erase the line, go up one, erase that too: the message above the code frame vanished.
    write(tmp_path, "a.sla", agreement(customer=f"nobody  # {ESC}[2K{ESC}[1A{ESC}[2K"))
    code, out, _ = check(tmp_path, "a.sla", "--no-color")
    assert code == 1
    assert out == (
        f"a.sla:4:13: error SL007 {NO_PARTY}\n"
        "    4 |   customer: nobody  # \\x1b[2K\\x1b[1A\\x1b[2K\n"
        "      |             ^^^^^^\n"
        "\n"
        "Found 1 error in 1 of 1 file checked.\n"
    )


def test_carets_stay_under_a_value_whose_escapes_lengthen_the_line(tmp_path):
    # U+200F, a direction mark: escaped like a bidi control, but not one of SL009's.
    write(tmp_path, "a.sla", agreement(f'expires: "{ESC}[2K\u200f"  # {ESC}'))
    _, out, _ = check(tmp_path, "a.sla", "--no-color", "--quiet")
    assert out.splitlines()[1:] == [
        '    8 |   expires: "\\x1b[2K\\u200f"  # \\x1b',
        "      |            ^^^^^^^^^^^^^^^",
    ]


def test_a_carriage_return_in_a_string_is_shown_not_sent(tmp_path):
    write(tmp_path, "a.sla", agreement('expires: "2026\r-01-01"'))
    message = "'expires' in SLA 'x' must be a date, e.g. 2026-01-01, not the string \"2026\\r-01-01\""
    _, text, _ = check(tmp_path, "a.sla", "--no-color", "--quiet")
    assert text.split("\n") == [
        f"a.sla:8:12: error SL003 {message}",
        '    8 |   expires: "2026\\r-01-01"',
        "      |            ^^^^^^^^^^^^^^",
        "",
    ]
    _, concise, _ = check(tmp_path, "a.sla", "--format", "concise")
    assert concise == f"a.sla:8:12: SL003 [error] {message}\n"


@posix_names
def test_a_file_name_cannot_start_a_workflow_command(tmp_path):
    write(tmp_path, "b\n::error title=Injected::x.sla", agreement(customer="nobody", id="x"))
    write(tmp_path, "::warning title=Forged::y.sla", agreement(customer="nobody", id="y"))
    _, text, _ = check(tmp_path, ".", "--no-color", "--quiet")
    assert [line for line in text.splitlines() if not line.startswith(" ")] == [
        f"./::warning title=Forged::y.sla:4:13: error SL007 {no_party('y')}",
        "",
        f"b\\n::error title=Injected::x.sla:4:13: error SL007 {no_party('x')}",
    ]
    _, concise, _ = check(tmp_path, ".", "--format", "concise")
    assert concise == (
        f"./::warning title=Forged::y.sla:4:13: SL007 [error] {no_party('y')}\n"
        f"b\\n::error title=Injected::x.sla:4:13: SL007 [error] {no_party('x')}\n"
    )


def test_log_commands_anywhere_in_a_line_are_broken(tmp_path):
    # GitHub reads `##[command]` anywhere in a line, Azure `##vso[`, TeamCity `##teamcity[`.
    write(tmp_path, "a.sla", agreement('expires: "##[add-mask]##vso[task.complete]"'))
    _, concise, _ = check(tmp_path, "a.sla", "--format", "concise")
    assert concise == (
        "a.sla:8:12: SL003 [error] 'expires' in SLA 'x' must be a date, e.g. 2026-01-01, "
        'not the string "\\x23#[add-mask]\\x23#vso[task.complete]"\n'
    )


def test_github_commands_carry_no_escape_character(tmp_path):
    # A hyperlink (OSC 8) that a terminal or a log viewer would make of the text.
    write(tmp_path, "a.sla", agreement(f'expires: "{ESC}]8;;http://e.vil\x07x"'))
    _, out, _ = check(tmp_path, "a.sla", "--format", "github", "--quiet")
    assert out == (
        "::error file=a.sla,line=8,col=12,endLine=8,endColumn=33,title=SL003 (invalid-value)::"
        "a.sla:8:12: SL003 'expires' in SLA 'x' must be a date, e.g. 2026-01-01, "
        'not the string "\\x1b]8;;http://e.vil\\x07x"\n'
    )


@posix_names
def test_github_escapes_a_file_name_for_the_command_and_the_log(tmp_path):
    write(tmp_path, f"c,d:%{ESC}[8m\r.sla", agreement(customer="nobody"))
    _, out, _ = check(tmp_path, ".", "--format", "github", "--quiet")
    assert out == (
        "::error file=c%2Cd%3A%25\\x1b[8m\\r.sla,line=4,col=13,endLine=4,endColumn=19,title=SL007 "
        f"(unresolved-reference)::c,d:%25\\x1b[8m\\r.sla:4:13: SL007 {NO_PARTY}\n"
    )


@posix_names
def test_the_step_summary_shows_links_images_and_html_as_typed(tmp_path):
    write(tmp_path, "<img src=x onerror=alert(1)>.sla", agreement(customer="nobody", id="i"))
    write(tmp_path, "a.sla", agreement('expires: "![x](http://e.vil/t.png) `|` @all"'))
    summary = tmp_path / "summary.md"
    code, _, _ = check(tmp_path, ".", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    rows = [line for line in summary.read_text(encoding="utf-8").splitlines() if line.startswith("| error | SL")]
    assert rows == [
        "| error | SL007 | `<img src=x onerror=alert(1)>.sla:4:13` | `" + no_party("i") + "` |",
        "| error | SL003 | `a.sla:8:12` | `` 'expires' in SLA 'x' must be a date, e.g. 2026-01-01, "
        'not the string "![x](http://e.vil/t.png) `\\|` @all" `` |',
    ]


def test_structured_formats_carry_the_escaped_text(tmp_path):
    write(tmp_path, "a.sla", agreement(f'expires: "{ESC}[2K\u200e\x7f\x85"'))
    message = "'expires' in SLA 'x' must be a date, e.g. 2026-01-01, not the string \"\\x1b[2K\\u200e\\x7f\\x85\""
    _, out, _ = check(tmp_path, "a.sla", "--format", "json")
    assert [f["message"] for f in json.loads(out)["findings"]] == [message]
    _, out, _ = check(tmp_path, "a.sla", "--format", "sarif")
    assert [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]] == [message]
    _, out, _ = check(tmp_path, "a.sla", "--format", "gitlab")
    assert [issue["description"] for issue in json.loads(out)] == [f"SL003: {message}"]
    _, out, _ = check(tmp_path, "a.sla", "--format", "junit")
    assert [failure.get("message") for failure in ET.fromstring(out).iter("failure")] == [f"SL003: {message}"]
    for format_name in FORMATS:
        _, out, _ = check(tmp_path, "a.sla", "--format", format_name)
        assert not set(out) & {ESC, "\u200e", "\x7f", "\x85", "\r"}, format_name


@posix_names
def test_junit_stays_valid_xml_with_control_characters_in_a_file_name(tmp_path):
    write(tmp_path, "\x01\x0c&<\x7f.sla", agreement(customer="nobody"))
    write(tmp_path, "ok\x02.sla", agreement(id="ok"))
    _, out, _ = check(tmp_path, ".", "--format", "junit")
    root = ET.fromstring(out)
    cases = [(case.get("classname"), case.get("name")) for case in root.iter("testcase")]
    assert cases == [("\\x01\\x0c&<\\x7f.sla", "SL007 4:13"), ("ok\\x02.sla", "no findings")]
    assert [failure.text for failure in root.iter("failure")] == [
        f"\\x01\\x0c&<\\x7f.sla:4:13: SL007 [error] {NO_PARTY}"
    ]


@posix_names
def test_warnings_on_stderr_show_the_file_name_escaped(tmp_path):
    fields = "\n  ".join(f"bogus_{i}: 1" for i in range(1001))  # more findings than a file may show
    write(tmp_path, f"e{ESC}[2K.sla", agreement(fields))
    done = run_cli("check", ".", "--select", "SL002", "--format", "concise", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        done.stderr.decode() == "slalint: warning: e\\x1b[2K.sla: more than 1,000 findings; only the first are shown\n"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("tab\tnewline\ncarriage return\r", "tab\\tnewline\\ncarriage return\\r"),
        ("\x00\x07\x08\x0b\x0c\x1b\x1f\x7f", "\\x00\\x07\\x08\\x0b\\x0c\\x1b\\x1f\\x7f"),
        ("C1 \x80 \x85 \x9b \x9f", "C1 \\x80 \\x85 \\x9b \\x9f"),
        ("bidi \u202a\u202b\u202c\u202d\u202e", "bidi \\u202a\\u202b\\u202c\\u202d\\u202e"),
        ("isolates \u2066\u2067\u2068\u2069", "isolates \\u2066\\u2067\\u2068\\u2069"),
        ("marks \u200e\u200f\u061c", "marks \\u200e\\u200f\\u061c"),
        ("separators \u2028\u2029", "separators \\u2028\\u2029"),
        ("not UTF-8 \udcff\udc80", "not UTF-8 \\xff\\x80"),  # os.fsdecode's stand-ins for bytes
        ("lone surrogate \ud800", "lone surrogate \\ud800"),
        ("##[error]x ##vso[a] ##teamcity[b] ### [c]", "\\x23#[error]x \\x23#vso[a] \\x23#teamcity[b] ### [c]"),
        ("é 中文 ✓ 99.9% <ok> 'quotes' \\x1b", "é 中文 ✓ 99.9% <ok> 'quotes' \\x1b"),  # left as they are
    ],
)
def test_visible_shows_each_control_character(text, shown):
    assert visible(text) == shown


def test_a_path_at_the_start_of_a_line_never_starts_with_two_colons():
    assert [line_start(p) for p in ("::error x.sla", " ::x.sla", "a::b.sla", ":a.sla")] == [
        "./::error x.sla",
        "./ ::x.sla",
        "a::b.sla",
        ":a.sla",
    ]


# -- item 13: file names that are not UTF-8, and deep trees -------------------------------------


@pytest.fixture
def not_utf8(tmp_path) -> Path:
    try:
        write(tmp_path, b"z\xff.sla", agreement(customer="nobody"))
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    return tmp_path


@posix_names
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(not_utf8):
    code, out, err = check(not_utf8, ".", "--format", "sarif")
    assert (code, err) == (1, "")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "z%FF.sla",  # the name's bytes, percent-encoded (RFC 3986)
        "uriBaseId": "%SRCROOT%",
    }
    code, out, err = check(not_utf8, ".", "--format", "gitlab")
    assert (code, err, [issue["location"]["path"] for issue in json.loads(out)]) == (1, "", ["z\\xff.sla"])
    code, out, err = check(not_utf8, ".", "--format", "concise")
    assert (code, out, err) == (1, f"z\\xff.sla:4:13: SL007 [error] {NO_PARTY}\n", "")
    for format_name in FORMATS:
        report = not_utf8.parent / f"report.{format_name}"
        code, out, err = check(not_utf8, ".", "--format", format_name, "--output", str(report))
        assert (code, out, err) == (1, "", "Found 1 error in 1 of 1 file checked.\n"), format_name
        _, stdout, _ = check(not_utf8, ".", "--format", format_name)
        assert report.read_text(encoding="utf-8") == stdout


@pytest.fixture
def deep_tree(tmp_path):
    """tmp_path with directories nested 1,100 deep, removed afterwards
    without recursion (shutil.rmtree, as pytest would use, recurses too)."""
    directory = str(tmp_path / "tree")
    os.mkdir(directory)
    for _ in range(1100):  # not os.makedirs: it recurses once per level too
        directory = os.path.join(directory, "d")
        os.mkdir(directory)
    yield Path(directory)
    while directory != str(tmp_path):
        for name in os.listdir(directory):
            os.unlink(os.path.join(directory, name))
        os.rmdir(directory)
        directory = os.path.dirname(directory)


def test_a_tree_1100_directories_deep_is_walked(deep_tree, tmp_path):
    write(deep_tree, "deep.sla", agreement(customer="nobody"))
    started = time.monotonic()
    code, out, err = check(tmp_path, "tree", "--format", "concise")
    seconds = time.monotonic() - started
    assert (code, out, err) == (1, "tree/" + "d/" * 1100 + f"deep.sla:4:13: SL007 [error] {NO_PARTY}\n", "")
    assert seconds < 5, f"took {seconds:.1f} s"


# -- item 14: children die with the check -------------------------------------------------------

HEAVY_RULES = 60  # about 15 s of rules per process on one core: long enough to see a child outlive its parent


def write_heavy_workspace(directory: Path) -> None:
    """20 agreements of 500 objectives, and a pack whose rules each look at
    every objective of the service of every objective (100 steps a node:
    within any budget of steps, but seconds of work)."""
    write(directory, "parties.sla", "party c { role: customer }\nparty p { role: provider }\n")
    objectives = "\n".join(
        f"    objective o{i} {{ metric: availability  target: >= 99.9%  window: 30d }}" for i in range(100)
    )
    for number in range(20):
        services = "\n".join(f'  service s{s} "S" {{ hours: 24x7\n{objectives}\n  }}' for s in range(5))
        write(
            directory,
            f"a{number:02}.sla",
            f'sla a{number} "A" {{ provider: p  customer: c  version: "1"  effective: 2026-01-01\n{services}\n}}\n',
        )
    rules = "".join(
        textwrap.dedent(f"""
          - code: HEAVY{number:03}
            name: heavy-{number}
            severity: info
            scope: objective
            assert: "all(o in service.objectives: o.window != null)"
            message: never
        """)
        for number in range(HEAVY_RULES)
    )
    write(directory, "heavy.yaml", f"pack: heavy\ndescription: slow on purpose\nrules:{rules}")


def wait_until_gone(pids: list[int], seconds: float) -> float:
    started = time.monotonic()
    while any(_running(pid) for pid in pids) and time.monotonic() - started < seconds:
        time.sleep(0.01)
    return time.monotonic() - started


@linux_only
@lists_children
def test_a_killed_check_takes_its_rules_child_with_it(tmp_path):
    write_heavy_workspace(tmp_path)
    # Parse once, so that the next check goes straight to its rules, shared with a child.
    assert run_cli("check", ".", "--select", "SL0", cwd=tmp_path).returncode == 0
    command = [sys.executable, "-m", "sla_lang", "check", ".", "--policy", "heavy.yaml", "--select", "HEAVY"]
    process = subprocess.Popen(
        [*command, "--jobs", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        children: list[int] = []
        while not children and process.poll() is None:
            time.sleep(0.002)
            children = _children_of(process.pid)
        assert children, f"the check ended before it started a child: {process.stderr.read().decode()}"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        seconds = wait_until_gone(children, 5)
        assert not any(_running(child) for child in children), "the child outlived the check by 5 s"
        assert seconds < 5
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the check's process group
        except ProcessLookupError:
            pass
        process.stderr.close()


LIFELINE_ONLY = """\
import sys, time
from sla_lang.many_files import processes

processes._kill_when_parent_dies = lambda: False  # as on a system without prctl


def spin(part):
    while True:
        pass
    yield


with processes.ChildProcesses(spin, [1]) as children:
    print(children.children[0].process.pid, flush=True)
    time.sleep(60)
"""


@linux_only
def test_without_prctl_the_lifeline_ends_the_child(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", LIFELINE_ONLY], stdout=subprocess.PIPE, cwd=tmp_path, start_new_session=True
    )
    try:
        child = int(process.stdout.readline())
        assert _running(child)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        seconds = wait_until_gone([child], 5)
        assert not _running(child), "the child outlived its parent by 5 s"
        assert seconds < 5
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.stdout.close()


# -- item 15: reports are streamed ----------------------------------------------------------------


def many_findings(count: int) -> LintResult:
    findings = [
        Finding(
            "SL002",
            "unknown-field",
            "error",
            f"unknown field 'bogus_{i}'",
            Span(f"f{i // 1000:03}.sla", i % 1000 + 1, 3, i % 1000 + 1, 8),
            f"sla:s/bogus_{i}",
        )
        for i in range(count)
    ]
    return LintResult(findings, count // 1000 + 1, {}, {})


class Recorder:
    """A text stream that remembers how much each write wrote."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("format_name", FORMATS)
def test_each_format_writes_its_report_as_it_goes(format_name, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    out = Recorder()
    write_report(format_name, many_findings(20_000), ReportSettings(), out)
    # 20,000 findings take megabytes; no write holds more than a few of them.
    assert sum(out.sizes) > 1_000_000 and max(out.sizes) < 10_000, (sum(out.sizes), max(out.sizes))


@pytest.mark.parametrize("format_name", ["json", "sarif", "gitlab"])
def test_json_reports_leave_no_cyclic_garbage(format_name):
    # A check runs with the cyclic collector off (__main__.py): garbage in cycles is never freed.
    result = many_findings(5_000)
    gc.collect()
    gc.disable()
    try:
        render(format_name, result)
        left = gc.collect()
    finally:
        gc.enable()
    assert left < 1_000, f"{left} objects in cycles after writing 5,000 findings"


def test_a_report_that_fails_halfway_leaves_the_old_output_whole(tmp_path, monkeypatch):
    from sla_lang.command import check as check_command
    from sla_lang.report import concise

    write(tmp_path, "a.sla", agreement(customer="nobody"))
    report = tmp_path / "report.txt"
    report.write_text("the previous report\n", encoding="utf-8")
    real = concise.write

    def fail_halfway(result, settings, out):
        real(result, settings, out)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(concise, "write", fail_halfway)
    monkeypatch.chdir(tmp_path)
    arguments = ["a.sla", "--select", "SL007", "--format", "concise", "--output", str(report)]
    assert check_command.run(arguments) == 2
    assert report.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sla", "report.txt"]  # no temporary file left
    monkeypatch.setattr(concise, "write", real)
    assert check_command.run(arguments) == 1
    assert report.read_text(encoding="utf-8") == f"a.sla:4:13: SL007 [error] {NO_PARTY}\n"
