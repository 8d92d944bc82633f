"""editors/vscode: the TextMate grammar (`source.sla`) tested with
vscode-tmgrammar-test from npm: the scope assertions of
editors/vscode/tests/*.syntax-test (not `.sla`: they would join the
repository's workspace), and every example file tokenized with nothing
but white space left unscoped. The tool is installed once into
editors/vscode/.tools/ (git-ignored); without node and npm the tests skip."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "sla.tmLanguage.json"
TOOL = "vscode-tmgrammar-test@0.1.3"


@pytest.fixture(scope="module")
def tools() -> Path:
    """The directory of the tool's commands, installed on first use."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the grammar is tested with vscode-tmgrammar-test from npm")
    prefix = VSCODE / ".tools"
    commands = prefix / "node_modules" / ".bin"
    if not (commands / "vscode-tmgrammar-test").exists():
        install = subprocess.run(
            ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent", TOOL],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if install.returncode != 0:
            pytest.skip(f"npm could not install {TOOL}: {install.stderr.strip()[-500:]}")
    return commands


def test_the_grammar_files_are_valid_json_and_name_their_scope():
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.sla"
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    assert package["contributes"]["grammars"][0]["path"] == "./syntaxes/sla.tmLanguage.json"
    configuration = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"}
    assert ["{", "}"] in configuration["brackets"]


def test_the_scope_assertions_hold(tools: Path):
    run = subprocess.run(
        [str(tools / "vscode-tmgrammar-test"), "-g", str(GRAMMAR), "tests/*.syntax-test"],
        cwd=VSCODE,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]
    assert run.stdout.count("run successfuly") == len(list((VSCODE / "tests").glob("*.syntax-test"))) == 2


def test_every_token_of_the_examples_has_a_scope(tools: Path, tmp_path: Path):
    """Keywords, ids, strings, numbers with units, dates, comparators and
    comments of every example: no token but white space is left as plain `source.sla`."""
    examples = sorted((ROOT / "examples").glob("*.sla"))
    for example in examples:
        shutil.copy(example, tmp_path / example.name)
    run = subprocess.run(
        [str(tools / "vscode-tmgrammar-snap"), "-s", "source.sla", "-g", str(GRAMMAR), "--updateSnapshot", "*.sla"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]
    unscoped = []
    for example in examples:
        line, number = "", 0
        for row in (tmp_path / f"{example.name}.snap").read_text(encoding="utf-8").split("\n"):
            if row.startswith(">"):
                line, number = row[1:], number + 1
            elif row.startswith("#") and "^" in row:
                start = row.index("^") - 1
                carets, scopes = row[start + 1 :].split(" ", 1)
                text = line[start : start + len(carets)]
                if scopes.strip() == "source.sla" and text.strip():
                    unscoped.append(f"{example.name}:{number}:{start + 1}: {text!r}")
    assert len(examples) == 14
    assert unscoped == []


def test_the_language_server_without_its_extra_says_how_to_install_it():
    """`slalint lsp` where pygls is not installed: exit 2 and the pip command, no traceback."""
    import sys

    code = "import sys; sys.modules['pygls'] = None\nfrom sla_lang.__main__ import main\nsys.exit(main(['lsp']))\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 2
    assert "install it with: pip install 'slalint[lsp]'" in run.stderr
    assert "Traceback" not in run.stderr
