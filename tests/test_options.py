"""The command line's options, declared once (sla_lang/command/options.py): `check` and
the typer commands share their flags, help and validation, every date option
refuses what is not a date with exit 2, and `slalint test` runs exactly the
packs it is named."""

from __future__ import annotations

import re

import pytest
import typer.main
from conftest import FIXTURES

from sla_lang.__main__ import main
from sla_lang.command.app import app
from sla_lang.command.options import OPTIONS

GOOD_PACK = FIXTURES / "packs" / "good.yaml"
WRONG_PACK = FIXTURES / "packs" / "wrong-example.yaml"


def slalint(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- one declaration ---------------------------------------------------------------------


def _typer_options() -> dict[tuple[str, str], tuple[tuple[str, ...], str | None, str | None]]:
    """(command, flag): (flags, metavar, help) of every option of every typer command."""
    group = typer.main.get_command(app)
    return {
        (name, param.opts[0]): (tuple(param.opts), param.metavar, param.help)
        for name, command in group.commands.items()
        for param in command.params
        if param.param_type_name == "option"
    }


def test_the_typer_commands_declare_checks_options_from_the_same_table():
    declared = {option.flag: option for option in OPTIONS}
    typer_options = _typer_options()
    # `rules --format` is another option of the same name: text or json, a list of rules; so are
    # `diff --format` (text or json, a list of changes), `diff --base` (the side to compare with) and
    # `diff --fail-on` (a class of change, not a severity).
    # `evaluate --format` (text, markdown, json or csv of the evaluation) is another one too.
    others = {("rules", "--format"), ("diff", "--format"), ("diff", "--base"), ("diff", "--fail-on")}
    others.add(("evaluate", "--format"))
    # `render --format` (markdown or html), `render --output` (a directory of documents) and
    # `graph --format` (text, mermaid or dot) are theirs too.
    others |= {("render", "--format"), ("render", "--output"), ("graph", "--format")}
    shared = {key: value for key, value in typer_options.items() if key[1] in declared and key not in others}
    assert sorted(shared) == [
        ("diff", "--config"),
        ("diff", "--config-from"),
        ("diff", "--max-file-size"),
        ("diff", "--no-color"),
        ("diff", "--root"),
        ("explain", "--config"),
        ("explain", "--policy"),
        ("explain", "--root"),
        ("fmt", "--config"),
        ("fmt", "--root"),
        ("graph", "--config"),
        ("graph", "--today"),
        ("render", "--today"),
        ("rules", "--config"),
        ("rules", "--policy"),
        ("rules", "--root"),
        ("test", "--today"),
    ]
    for (_, flag), declaration in shared.items():
        option = declared[flag]
        assert declaration == ((option.flag,), option.metavar, option.help)


# -- dates ---------------------------------------------------------------------------------

NOT_DATES = ["2026-13-01", "2026-02-30", "2026-6-1", "tomorrow", "", "2026-06-01T00:00"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_check_refuses_a_today_that_is_not_a_date(capsys, tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    assert slalint(capsys, "check", "--today", text) == (
        2,
        "",
        "Usage: slalint check [OPTIONS] [PATHS]...\n"
        f"Error: --today must be a date as YYYY-MM-DD, not '{text}'\n"
        "Run 'slalint check --help' for the options.\n",
    )


@pytest.mark.parametrize("text", NOT_DATES)
def test_test_refuses_a_today_that_is_not_a_date(capsys, text):
    assert slalint(capsys, "test", "--today", text) == (
        2,
        "",
        "Usage: slalint test [OPTIONS] [packs]...\n"
        "Try 'slalint test -h' for help.\n\n"
        f"Error: --today must be a date as YYYY-MM-DD, not '{text}'\n",
    )


def test_test_takes_the_date_it_is_given(capsys):
    code, out, err = slalint(capsys, "test", "--today", "2026-06-01", str(GOOD_PACK))
    assert (code, err) == (0, "")
    assert re.fullmatch(r"(\d+) examples in 1 pack\(s\): \1 passed\n", out), out


# -- slalint test runs exactly the packs it is named ----------------------------------------


@pytest.fixture
def configured(tmp_path, monkeypatch):
    """A workspace whose configuration names a pack with a failing example."""
    (tmp_path / "wrong.yaml").write_bytes(WRONG_PACK.read_bytes())
    (tmp_path / ".slalint.yaml").write_text("policies: [wrong.yaml]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_test_runs_the_named_pack_only_not_the_configurations(capsys, configured):
    code, out, err = slalint(capsys, "test", str(GOOD_PACK))
    assert (code, err) == (0, "")
    assert re.fullmatch(r"(\d+) examples in 1 pack\(s\): \1 passed\n", out), out


def test_test_without_packs_runs_the_built_in_ones_only(capsys, configured):
    code, out, err = slalint(capsys, "test")
    assert (code, err) == (0, "")
    assert re.fullmatch(r"(\d+) examples in 8 pack\(s\): \1 passed\n", out), out


def test_the_configurations_pack_fails_when_it_is_named(capsys, configured):
    code, out, err = slalint(capsys, "test", "wrong.yaml")
    assert (code, err) == (1, "")
    assert out.endswith("\n4 examples in 1 pack(s): 1 passed, 3 failed\n"), out
