"""The configuration: .slalint.yaml and pyproject.toml [tool.slalint].

Every mistake is reported as `slalint: PATH:LINE:COL: message` on stderr with
exit code 2, at the key or value that is wrong, in both file formats; the
workspace root is found upwards from the current directory (or given with
--root / --config); and every key changes what a run does."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from conftest import PARTIES, Run, run_cli
from conftest import check_in_process as slalint

from sla_lang.__main__ import main

# Clean for the language rules; SL502 (no review), SL507 (no expires) and SL301
# (no measurement, line 7) come from the built-in packs, as do SL602/SL604 once
# `today` is past 2026-12-31 / 2026-03-01.
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
# A rule of the user's own, to see `policies` load.
HOUSE_PACK = """\
pack: house
rules:
  - code: HR101
    name: every-agreement
    severity: warning
    scope: agreement
    assert: "false"
    message: "HR101 on {id}"
"""


def concise_codes(run: Run) -> list[tuple[str, str]]:
    """(path, code) of every `path:line:col: CODE [severity] message` line."""
    found = []
    for line in run.out.splitlines():
        head, _, rest = line.partition(": ")
        if rest[:2] in ("SL", "HR") and head.count(":") == 2:
            found.append((head.split(":")[0], rest.split()[0]))
    return found


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "ws"
    (root / "agreements").mkdir(parents=True)
    (root / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (root / "agreements" / "gold.sla").write_text(GOLD, encoding="utf-8")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- located errors, .slalint.yaml

YAML_ERRORS = [
    # unknown key, with a suggestion when one is close
    ("selct: [SL1]\n", "1:1: unknown key 'selct'; did you mean 'select'?"),
    ("select: [SL1]\nfail_on: warning\n", "2:1: unknown key 'fail_on'; did you mean 'fail-on'?"),
    ("strict: true\n", "1:1: unknown key 'strict'; valid keys: exclude, select, ignore, severity, fail-on,"),
    # wrong types, one of each kind
    ("exclude: 5\n", "1:10: 'exclude' must be a list of glob patterns"),
    ("exclude: [a, [b]]\n", "1:14: 'exclude' must be a list of glob patterns; ['b'] is not a string"),
    ("select: {SL1: yes}\n", "1:9: 'select' must be a list of rule codes or prefixes"),
    ("ignore:\n  - SL1\n  - 301\n", "3:5: 'ignore' must be a list of rule codes or prefixes; 301 is not a string"),
    ("severity: [SL301]\n", "1:11: 'severity' must map codes to error, warning or info, e.g. {SL301: error}"),
    ("fail-on: 3\n", "1:10: 'fail-on' must be one of error, warning, info, never, not 3"),
    ("fail-on: fatal\n", "1:10: 'fail-on' must be one of error, warning, info, never, not 'fatal'"),
    ("policies: 3\n", "1:11: 'policies' must be a list of policy pack paths"),
    ("per-file-ignores: [a]\n", "1:19: 'per-file-ignores' must map globs to lists of codes"),
    (
        "per-file-ignores:\n  'a/*.sla': 3\n",
        "2:14: 'per-file-ignores: a/*.sla' must be a list of rule codes or prefixes",
    ),
    ("today: tomorrow\n", "1:8: 'today' must be a date as YYYY-MM-DD, not 'tomorrow'"),
    ("today: 20260601\n", "1:8: 'today' must be a date as YYYY-MM-DD, not 20260601"),
    ("max-file-size: big\n", "1:16: 'max-file-size' must be a positive number of bytes"),
    ("max-file-size: 0\n", "1:16: 'max-file-size' must be a positive number of bytes"),
    ("max-file-size: true\n", "1:16: 'max-file-size' must be a positive number of bytes"),
    ("format: xml\n", "1:9: 'format' must be one of text, concise, json, sarif, github, gitlab, junit, not 'xml'"),
    ("output: [a, b]\n", "1:1: 'output' cannot be set in a configuration file: only the command line chooses"),
    ("baseline: 3\n", "1:11: 'baseline' must be a path (a string)"),
    ("base: [main]\n", "1:7: 'base' must be a git ref, e.g. origin/main"),
    ("exit-zero: 'yes'\n", "1:12: 'exit-zero' must be true or false"),
    ("quiet: 1\n", "1:8: 'quiet' must be true or false"),
    ("statistics: maybe\n", "1:13: 'statistics' must be true or false"),
    ("no-color: 0\n", "1:11: 'no-color' must be true or false"),
    ("cache: off\n", "1:8: 'cache' must be true or false"),
    # unknown codes, wherever codes are written
    ("select: [SL1, SL999]\n", "1:15: unknown rule code 'SL999'"),
    ("ignore:\n  - SL3\n  - XX1\n", "3:5: unknown rule code 'XX1'"),
    ("severity:\n  SL301: error\n  SL3O1: info\n", "3:3: unknown rule code 'SL3O1'; did you mean 'SL301'?"),
    ("per-file-ignores:\n  'legacy/**': [SL2, SL1234]\n", "2:22: unknown rule code 'SL1234'"),
    # a bad severity word
    ("severity:\n  SL301: fatal\n", "2:10: severity of SL301 must be error, warning or info, not 'fatal'"),
    # a date that does not exist
    ("today: 2026-02-30\n", "1:8: '2026-02-30' is not a real date (YYYY-MM-DD)"),
    ("today: '2026-02-30'\n", "1:8: 'today' must be a date as YYYY-MM-DD, not '2026-02-30'"),
    # not YAML, or not a mapping
    ("select: [SL1\n", "2:1: "),
    ("select: [SL1]\nselect: [SL2]\n", '2:1: duplicate key: "select"'),
    ("- select\n", "1:1: the configuration must be a mapping of keys to values"),
    ("ignore: &codes [SL1]\n", "1:9: YAML anchors (&name) are not allowed here: write the value out"),
]


@pytest.mark.parametrize("text, expected", YAML_ERRORS, ids=[t for t, _ in YAML_ERRORS])
def test_yaml_config_errors_are_located(ws, text, expected):
    write(ws / ".slalint.yaml", text)
    run = slalint(ws)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"slalint: .slalint.yaml:{expected}"), run.err
    assert run.err.count("\n") == 1, "one line, no traceback"


# ---------------------------------------------------------------- located errors, pyproject.toml

TOML_HEAD = '[project]\nname = "agreements"\n\n[tool.slalint]\n'  # the slalint table starts on line 4

TOML_ERRORS = [
    ('selct = ["SL1"]\n', "5:1: unknown key 'selct'; did you mean 'select'?"),
    ('today = 2026-06-01\n"fail_on" = "warning"\n', "6:1: unknown key 'fail_on'; did you mean 'fail-on'?"),
    ("exclude = 5\n", "5:11: 'exclude' must be a list of glob patterns"),
    ('select = ["SL1", 5]\n', "5:18: 'select' must be a list of rule codes or prefixes; 5 is not a string"),
    ('severity = ["SL301"]\n', "5:12: 'severity' must map codes to error, warning or info, e.g. {SL301: error}"),
    ("fail-on = 3\n", "5:11: 'fail-on' must be one of error, warning, info, never, not 3"),
    ('policies = { a = "b" }\n', "5:12: 'policies' must be a list of policy pack paths"),
    ('per-file-ignores = ["a"]\n', "5:20: 'per-file-ignores' must map globs to lists of codes"),
    ('per-file-ignores = { "a/*.sla" = 3 }\n', "5:34: 'per-file-ignores: a/*.sla' must be a list of rule codes"),
    ('today = "tomorrow"\n', "5:9: 'today' must be a date as YYYY-MM-DD, not 'tomorrow'"),
    ('max-file-size = "5 MiB"\n', "5:17: 'max-file-size' must be a positive number of bytes"),
    ('format = "xml"\n', "5:10: 'format' must be one of text, concise, json, sarif, github, gitlab, junit, not 'xml'"),
    ('output = ["a"]\n', "5:1: 'output' cannot be set in a configuration file: only the command line chooses"),
    ("base = 1\n", "5:8: 'base' must be a git ref, e.g. origin/main"),
    ('quiet = "yes"\n', "5:9: 'quiet' must be true or false"),
    # unknown codes: in a list, a multi-line list, an inline table, a sub-table
    ('ignore = ["SL1", "SL999"]\n', "5:18: unknown rule code 'SL999'"),
    ('ignore = [\n  "SL1",  # ok\n  "SLX9",\n]\n', "7:3: unknown rule code 'SLX9'"),
    ('severity = { SL3 = "info", SL777 = "error" }\n', "5:28: unknown rule code 'SL777'"),
    ('[tool.slalint.severity]\nSL301 = "error"\nSL777 = "error"\n', "7:1: unknown rule code 'SL777'"),
    ('per-file-ignores = { "a/*.sla" = ["SL2", "SL1234"] }\n', "5:42: unknown rule code 'SL1234'"),
    ('[tool.slalint.per-file-ignores]\n"a/*.sla" = ["SL2", "SL1234"]\n', "6:21: unknown rule code 'SL1234'"),
    # a bad severity word
    ('severity = { SL301 = "fatal" }\n', "5:22: severity of SL301 must be error, warning or info, not 'fatal'"),
    (
        '[tool.slalint.severity]\nSL301 = "fatal"\n',
        "6:9: severity of SL301 must be error, warning or info, not 'fatal'",
    ),
    # dates: TOML has its own date type, and rejects a date that does not exist itself
    ("today = 2026-02-30\n", "5:9: invalid TOML: Invalid date or datetime"),
    ('today = "2026-02-30"\n', "5:9: 'today' must be a date as YYYY-MM-DD, not '2026-02-30'"),
    # not TOML
    ('select = ["SL1"\n', "5:16: invalid TOML: Unclosed array"),
    ("select = \n", "5:10: invalid TOML: Invalid value"),
]


@pytest.mark.parametrize("text, expected", TOML_ERRORS, ids=[t for t, _ in TOML_ERRORS])
def test_pyproject_config_errors_are_located(ws, text, expected):
    write(ws / "pyproject.toml", TOML_HEAD + text)
    run = slalint(ws)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"slalint: pyproject.toml:{expected}"), run.err
    assert run.err.count("\n") == 1


def test_a_config_error_through_the_real_command_line(ws):
    write(ws / ".slalint.yaml", "select: [SL3]\nignore: [SL30X]\n")
    process = run_cli("check", cwd=ws)
    assert process.returncode == 2
    assert process.stdout == b""
    assert process.stderr.decode().startswith("slalint: .slalint.yaml:2:10: unknown rule code 'SL30X'; did you mean")
    assert process.stderr.count(b"\n") == 1


def test_the_config_path_is_shown_relative_to_the_current_directory(ws):
    write(ws / ".slalint.yaml", "selct: [SL1]\n")
    run = slalint(ws / "agreements", "gold.sla")
    assert run.code == 2
    assert run.err.startswith("slalint: ../.slalint.yaml:1:1: unknown key 'selct'")


@pytest.mark.parametrize(
    "args, message",
    [
        (("--select", "SL1,SL999"), "slalint: --select: unknown rule code 'SL999'"),
        (("--ignore", "ZZ1"), "slalint: --ignore: unknown rule code 'ZZ1'"),
        (("--today", "2026-02-30"), "Error: --today must be a date as YYYY-MM-DD, not '2026-02-30'"),
        (("--fail-on", "fatal"), "Error: --fail-on must be one of error, warning, info, never, not 'fatal'"),
        (("--config", "missing.yaml"), "slalint: missing.yaml:1:1: configuration file not found"),
        (("--root", "nowhere"), "slalint: nowhere:1:1: --root must be a directory"),
    ],
)
def test_command_line_errors_exit_2(ws, args, message):
    run = slalint(ws, *args)
    assert run.code == 2
    assert message in run.err


def test_pyproject_without_a_slalint_table_is_not_a_config(ws):
    write(ws / "pyproject.toml", '[project]\nname = "x"\n[tool.other]\nselct = 1\n')
    run = slalint(ws, "--today", "2026-06-01")
    assert "error" not in run.err


def test_yaml_wins_over_pyproject_in_the_same_directory(ws):
    write(ws / ".slalint.yaml", "select: [SL5]\n")
    write(ws / "pyproject.toml", TOML_HEAD + "selct = 1\n")
    assert slalint(ws, "--today", "2026-06-01").code != 2


# ---------------------------------------------------------------- the workspace root


def test_the_root_is_the_nearest_configured_directory_upwards(ws):
    """From a subdirectory, the workspace is everything under the root: parties resolve."""
    write(ws / ".slalint.yaml", "select: [SL0]\n")
    run = slalint(ws / "agreements", "gold.sla", "--format", "concise")
    assert run.out == "" and run.code == 0


def test_without_a_root_the_workspace_is_the_files_given(ws):
    run = slalint(ws / "agreements", "gold.sla", "--format", "concise", "--select", "SL0")
    assert run.out.count("SL007") == 2  # it_org and acme live in ../parties.sla
    assert run.code == 1


def test_a_nearer_config_shadows_a_farther_one(ws):
    write(ws / ".slalint.yaml", "select: [SL0]\n")
    write(ws / "agreements" / ".slalint.yaml", "select: [SL0]\nfail-on: info\n")
    # The nearer file is the root: ../parties.sla is outside it and does not resolve.
    run = slalint(ws / "agreements", "gold.sla", "--format", "concise")
    assert run.out.count("SL007") == 2


def test_a_pyproject_table_marks_the_root(ws):
    write(ws / "pyproject.toml", TOML_HEAD + 'select = ["SL0"]\n')
    run = slalint(ws / "agreements", "gold.sla", "--format", "concise")
    assert run.out == "" and run.code == 0


def test_root_option(ws, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    gold = str(ws / "agreements" / "gold.sla")
    run = slalint(elsewhere, gold, "--root", str(ws), "--select", "SL0", "--format", "concise")
    assert run.out == "" and run.code == 0
    # --root reads the config file in that directory
    write(ws / ".slalint.yaml", "ignore: [SL5]\nselct: 1\n")
    run = slalint(elsewhere, gold, "--root", str(ws))
    assert run.code == 2 and "unknown key 'selct'" in run.err


def test_config_option_sets_the_root_to_its_directory(ws, tmp_path):
    config = write(tmp_path / "settings" / "slalint.yaml", "select: [SL0]\nfail-on: info\n")
    run = slalint(ws / "agreements", "gold.sla", "--config", str(config), "--format", "concise")
    assert run.out.count("SL007") == 2, "the root is the config file's directory, which has no parties"
    run = slalint(ws, "agreements/gold.sla", "--config", str(config), "--root", str(ws), "--format", "concise")
    assert run.out == "" and run.code == 0


def test_config_option_reads_pyproject_too(ws, tmp_path):
    config = write(tmp_path / "pyproject.toml", TOML_HEAD + 'select = ["SL0"]\nfail-on = "info"\nqute = 1\n')
    run = slalint(ws, "--config", str(config))
    assert run.code == 2 and "pyproject.toml:7:1: unknown key 'qute'; did you mean 'quiet'?" in run.err


# ---------------------------------------------------------------- every key has an effect


def yaml_config(ws: Path, **values) -> None:
    write(ws / ".slalint.yaml", json.dumps({k.replace("_", "-"): v for k, v in values.items()}) + "\n")


def test_select_ignore_and_severity_keys(ws):
    yaml_config(ws, select=["SL5"], ignore=["SL502"], severity={"SL507": "error"}, today="2026-06-01")
    run = slalint(ws, "--format", "json")
    found = {(f["code"], f["severity"]) for f in json.loads(run.out)["findings"]}
    assert ("SL507", "error") in found
    assert not any(code == "SL502" or not code.startswith("SL5") for code, _ in found)


def test_exclude_key(ws):
    yaml_config(ws, select=["SL5"], exclude=["agreements/**"])
    run = slalint(ws, "--format", "concise")
    assert run.out == "" and run.code == 0


def test_today_key(ws):
    """SL602 (expired but active) depends on the date: the key moves it."""
    (ws / "agreements" / "gold.sla").write_text(GOLD.replace('version: "1"', 'version: "1"\n  expires: 2026-12-31'))
    yaml_config(ws, select=["SL602"], today="2026-06-01")
    assert "SL602" not in slalint(ws, "--format", "concise").out
    yaml_config(ws, select=["SL602"], today="2027-01-15")
    assert "SL602" in slalint(ws, "--format", "concise").out
    # --today beats the key
    assert "SL602" not in slalint(ws, "--format", "concise", "--today", "2026-06-01").out


def test_max_file_size_key(ws):
    yaml_config(ws, select=["SL0"], max_file_size=100)
    run = slalint(ws, "--format", "concise")
    assert "agreements/gold.sla:1:1: SL008" in run.out
    assert "parties.sla" not in run.out  # 97 bytes


def test_fail_on_key(ws):
    yaml_config(ws, select=["SL507"])  # a warning
    assert slalint(ws).code == 0
    yaml_config(ws, select=["SL507"], fail_on="warning")
    assert slalint(ws).code == 1
    yaml_config(ws, select=["SL507"], fail_on="never", severity={"SL507": "error"})
    assert slalint(ws).code == 0


def test_exit_zero_key(ws):
    yaml_config(ws, select=["SL507"], severity={"SL507": "error"}, exit_zero=True)
    run = slalint(ws, "--format", "concise")
    assert "SL507 [error]" in run.out and run.code == 0


def test_policies_are_relative_to_the_config_file(ws):
    write(ws / "rules" / "house.yaml", HOUSE_PACK)
    yaml_config(ws, select=["HR"], policies=["rules/house.yaml"])
    # run from a subdirectory: the path is still found next to the config file
    run = slalint(ws / "agreements", "--format", "concise")
    assert run.out == "gold.sla:1:1: HR101 [warning] HR101 on gold\n"
    # and --policy adds to them (relative to the current directory)
    write(ws / "agreements" / "more.yaml", HOUSE_PACK.replace("HR101", "HR102").replace("every-", "each-"))
    run = slalint(ws / "agreements", "--format", "concise", "--policy", "more.yaml", "--select", "HR")
    assert [line.split()[1] for line in run.out.splitlines()] == ["HR101", "HR102"]


def test_format_key(ws):
    yaml_config(ws, select=["SL507"], format="json")
    report = json.loads(slalint(ws).out)
    assert [f["code"] for f in report["findings"]] == ["SL507"]
    # --format beats the key
    assert slalint(ws, "--format", "concise").out.startswith("agreements/gold.sla:1:1: SL507 [warning]")


def test_quiet_key(ws):
    yaml_config(ws, select=["SL507"])
    assert "Found 1 warning" in slalint(ws, "--no-color").out
    yaml_config(ws, select=["SL507"], quiet=True)
    run = slalint(ws, "--no-color")
    assert "SL507" in run.out and "Found" not in run.out


def test_statistics_key(ws):
    yaml_config(ws, select=["SL5"], statistics=True, today="2026-06-01")
    lines = slalint(ws).out.splitlines()
    assert any(line.split()[:2] == ["1", "SL507"] and "missing-expiry" in line for line in lines)
    assert not any("gold.sla" in line for line in lines)


def test_baseline_key_is_relative_to_the_config_file(ws):
    yaml_config(ws, select=["SL507"])
    assert slalint(ws, "--write-baseline", "known.json").code == 0
    yaml_config(ws, select=["SL507"], baseline="known.json", fail_on="warning")
    run = slalint(ws / "agreements", "--format", "concise")
    assert run.out == "" and run.code == 0


def test_cache_key(ws, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SLALINT_CACHE_DIR", str(cache))
    parsed = cache / "parsed"  # compiled policy packs are cached whatever the key says
    yaml_config(ws, select=["SL0"], cache=False)
    slalint(ws)
    assert not parsed.exists() or not any(p.is_file() for p in parsed.rglob("*"))
    yaml_config(ws, select=["SL0"])
    slalint(ws)
    assert len([p for p in parsed.rglob("*.pickle")]) == 2  # the two .sla files


def test_no_color_key(ws, monkeypatch):
    """Colour is for terminals only; `no-color` turns it off there too."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def run_on_terminal() -> str:
        previous = os.getcwd()
        os.chdir(ws)
        try:
            out = Terminal()
            monkeypatch.setattr(sys, "stdout", out)
            main(["check"])
        finally:
            monkeypatch.undo()
            os.chdir(previous)
        return out.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    yaml_config(ws, select=["SL507"])
    assert "\x1b[" in run_on_terminal()
    yaml_config(ws, select=["SL507"], no_color=True)
    assert "\x1b[" not in run_on_terminal()


def test_the_same_keys_in_pyproject(ws):
    write(ws / "rules" / "house.yaml", HOUSE_PACK)
    write(
        ws / "pyproject.toml",
        TOML_HEAD
        + 'select = ["SL5", "HR"]\nignore = ["SL502"]\npolicies = ["rules/house.yaml"]\n'
        + 'today = 2026-06-01\nformat = "concise"\nfail-on = "warning"\n\n'
        + '[tool.slalint.severity]\nSL507 = "info"\n\n'
        + '[tool.slalint.per-file-ignores]\n"agreements/**" = ["HR1"]\n',
    )
    run = slalint(ws / "agreements")  # the root, and so the config, are found upwards
    found = concise_codes(run)
    assert ("gold.sla", "SL507") in found and "SL507 [info]" in run.out  # severity, format
    assert all(path == "gold.sla" and code.startswith("SL5") for path, code in found)  # select, per-file-ignores
    assert ("gold.sla", "SL502") not in found  # ignore
    assert run.code == 1  # fail-on: warning (SL501 and SL505 are warnings)
    write(ws / "pyproject.toml", (ws / "pyproject.toml").read_text().replace('"agreements/**" = ["HR1"]', ""))
    assert ("gold.sla", "HR101") in concise_codes(slalint(ws / "agreements"))  # policies
