"""The pre-commit path stays lean: `slalint check FILE` with no config file and
output that is not a terminal must not import typer, rich, pydantic or
ruamel.yaml (perf-facts.md: together they cost more than the whole check),
nor Lark once its tables are cached (importing it is 40 ms; slalint runs the
tables itself). Measured with `python -X importtime`, which lists every
module imported."""

from __future__ import annotations

import re

from conftest import SPEC_EXAMPLE, run_cli

HEAVY = ("typer", "rich", "pydantic", "ruamel", "click")


def imported_modules(*args: str, cwd) -> set[str]:
    """Modules imported by a run with the caches warm (the first run compiles
    the built-in packs, with ruamel.yaml, into the cache). Each run passes: the
    SPEC's example is clean, so the measurement is of a whole check."""
    assert run_cli(*args, cwd=cwd).returncode == 0
    run = run_cli(*args, cwd=cwd, env={"PYTHONPROFILEIMPORTTIME": "1"})  # python -X importtime
    stderr = run.stderr.decode()
    assert run.returncode == 0, stderr[-2000:]
    return {m.group(1).strip() for m in re.finditer(r"^import time:\s*\d+ \|\s*\d+ \|\s*(\S+)", stderr, re.M)}


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_check_one_file_imports_no_cli_or_yaml_framework(tmp_path):
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = top_level(imported_modules("check", "one.sla", "--today", "2026-06-01", cwd=tmp_path))
    assert "sla_lang" in modules  # the measurement works
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_parsing_a_changed_file_imports_no_lark(tmp_path):
    """--no-cache: the file is parsed again (as a file changed in a commit is),
    by slalint's runtime from the tables the first run cached."""
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = top_level(imported_modules("check", "one.sla", "--today", "2026-06-01", "--no-cache", cwd=tmp_path))
    assert "sla_lang" in modules
    assert not modules & {*HEAVY, "lark"}, sorted(modules & {*HEAVY, "lark"})


def test_a_file_without_calendar_codes_imports_neither_holidays_nor_dataclasses(tmp_path):
    """The clock is on the check path (SL402, SL403); the holidays package only
    comes with a calendar code, and dataclasses (with inspect) cost the one-file
    check more than the clock's own code."""
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = top_level(imported_modules("check", "one.sla", "--today", "2026-06-01", "--no-cache", cwd=tmp_path))
    assert "sla_lang" in modules
    assert not modules & {"holidays", "dataclasses"}, sorted(modules & {"holidays", "dataclasses"})


def test_version_imports_almost_nothing(tmp_path):
    modules = top_level(imported_modules("--version", cwd=tmp_path))
    assert not modules & {*HEAVY, "lark", "decimal"}, sorted(modules)


def test_a_config_file_brings_ruamel_but_not_typer_or_rich(tmp_path):
    (tmp_path / ".slalint.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = top_level(imported_modules("check", "one.sla", "--today", "2026-06-01", cwd=tmp_path))
    assert "ruamel" in modules
    assert not modules & {"typer", "rich", "pydantic", "click"}


def test_check_one_file_imports_no_language_server(tmp_path):
    """`slalint lsp` lives in its own package with its own dependencies: the check never loads them."""
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = imported_modules("check", "one.sla", "--today", "2026-06-01", cwd=tmp_path)
    assert "sla_lang" in top_level(modules)
    language_server = {"pygls", "lsprotocol", "cattrs", "attrs"} & top_level(modules) | {
        name for name in modules if name.startswith("sla_lang.lsp")
    }
    assert not language_server, sorted(language_server)


def test_check_does_not_import_evaluate(tmp_path):
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = imported_modules("check", "one.sla", "--today", "2026-06-01", "--no-cache", cwd=tmp_path)
    assert "sla_lang" in top_level(modules)
    assert not {name for name in modules if name.startswith("sla_lang.evaluate")}


def test_check_without_fix_imports_neither_the_formatter_nor_the_fixer(tmp_path):
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = imported_modules("check", "one.sla", "--today", "2026-06-01", "--no-cache", cwd=tmp_path)
    assert "sla_lang.lint" in modules  # the measurement works
    assert not modules & {"sla_lang.fmt", "sla_lang.fixes", "difflib"}, sorted(modules)


def test_a_file_without_slo_imports_no_slo_reader(tmp_path):
    """The SLO readers (and PyYAML) come only with an objective's `slo`."""
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = imported_modules("check", "one.sla", "--today", "2026-06-01", "--no-cache", cwd=tmp_path)
    assert "sla_lang.lint" in modules
    loaded = {name for name in modules if name.startswith(("sla_lang.slo.", "sla_lang.reading.yamldocs", "yaml"))}
    assert not loaded, sorted(loaded)
    text = SPEC_EXAMPLE.read_text(encoding="utf-8").replace("window: 30d", 'window: 30d  slo: "none.yaml#x"', 1)
    (tmp_path / "one.sla").write_text(text, encoding="utf-8")
    run = run_cli(
        "check", "one.sla", "--today", "2026-06-01", "--no-cache", cwd=tmp_path, env={"PYTHONPROFILEIMPORTTIME": "1"}
    )
    assert "sla_lang.slo.resolve" in run.stderr.decode()  # the measurement sees them when they are used


def test_check_one_file_imports_no_template_engine(tmp_path):
    """render's Jinja2 (and its markupsafe) and graph's rich tree stay off the check path."""
    (tmp_path / "one.sla").write_text(SPEC_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    modules = top_level(imported_modules("check", "one.sla", "--today", "2026-06-01", cwd=tmp_path))
    assert "sla_lang" in modules
    assert not modules & {"jinja2", "markupsafe", "rich"}, sorted(modules & {"jinja2", "markupsafe", "rich"})
    assert not {"sla_lang.render", "sla_lang.graph"} & set(imported_modules("check", "one.sla", cwd=tmp_path))
