"""Shared helpers: lint text in memory, run the real command line, and read
annotated fixtures whose expected findings sit under the lines that cause them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sla_lang.lint import LintRequest, lint

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC_EXAMPLE = PROJECT / "examples" / "payments.sla"


def pytest_configure(config):
    """A cache of the session's own, set before anything is collected (some
    modules compile packs as they are imported); fresh_cache then gives each
    test module an empty one."""
    config.slalint_cache = (os.environ.get("SLALINT_CACHE_DIR"), tempfile.mkdtemp(prefix="slalint-cache-"))
    os.environ["SLALINT_CACHE_DIR"] = config.slalint_cache[1]


def pytest_unconfigure(config):
    before, directory = config.slalint_cache
    shutil.rmtree(directory, ignore_errors=True)
    if before is None:
        os.environ.pop("SLALINT_CACHE_DIR", None)
    else:
        os.environ["SLALINT_CACHE_DIR"] = before


@pytest.fixture(scope="module", autouse=True)
def fresh_cache(tmp_path_factory):
    """An empty slalint cache for each test module, in this process and in the
    commands it runs: no test reads an entry that another checkout wrote, and
    none touches the developer's own cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SLALINT_CACHE_DIR", str(tmp_path_factory.mktemp("slalint-cache")))
        yield


# `#   ^ SL002` under a line: a finding of that code at that line, at the caret's column.
# `# expect: SL004@1` under a line: the same with the column written out (for columns the
# '#' itself would cover).
_CARET = re.compile(r"^(?P<lead>.*?#.*?)(?P<caret>\^+)\s+(?P<code>[A-Z]+[0-9]+)\s*$")
_EXPLICIT = re.compile(r"#\s*expect:\s*(?P<code>[A-Z]+[0-9]+)@(?P<column>[0-9]+)\s*$")


def expected_findings(text: str) -> list[tuple[str, int, int]]:
    """(code, line, column) for every annotation in an annotated fixture."""
    expected = []
    subject_line = 0
    for number, line in enumerate(text.split("\n"), 1):
        caret, explicit = _CARET.match(line), _EXPLICIT.search(line)
        if caret:
            expected.append((caret["code"], subject_line, caret.start("caret") + 1))
        elif explicit:
            expected.append((explicit["code"], subject_line, int(explicit["column"])))
        else:
            subject_line = number
    return sorted(expected, key=lambda e: (e[1], e[2], e[0]))


def lint_files(files: dict[str, str], tmp_path: Path, **options):
    """Write `files` under tmp_path and lint them all; paths in findings are relative names."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return lint(LintRequest(paths=sorted(files), **options))
    finally:
        os.chdir(cwd)


@pytest.fixture
def lint_text(tmp_path):
    """Lint one agreement text; returns [(code, line, column), ...] and keeps the result."""

    def run(text: str, name: str = "t.sla", **options):
        result = lint_files({name: text}, tmp_path, **options)
        run.result = result
        return [(f.code, f.span.line, f.span.column) for f in result.findings]

    return run


def run_cli(
    *args: str, cwd: Path | str | None = None, stdin: bytes | None = None, env: dict | None = None, timeout: float = 120
):
    """Run the installed console entry as a user would, in a fresh process."""
    environment = dict(os.environ)
    environment.pop("SLALINT_DEBUG", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "sla_lang", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=timeout,
    )
