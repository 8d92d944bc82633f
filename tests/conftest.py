"""Shared helpers: an empty cache for every test module, the parties most
agreements name, lint text in memory, run the real command line (in a fresh
process, or in this one), and read annotated fixtures whose expected findings
sit under the lines that cause them."""

from __future__ import annotations

import gc
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

import pytest

from sla_lang.lint import LintRequest, lint

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC_EXAMPLE = PROJECT / "examples" / "payments.sla"

# The two parties most tests' agreements name.
PARTIES = """\
party acme "Acme Retail Ltd" { role: customer }
party it_org "Example Corp IT" { role: provider }
"""


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
    *args: str,
    cwd: Path | str | None = None,
    stdin: bytes | None = None,
    env: dict | None = None,
    timeout: float = 120,
    memory: int | None = None,
) -> subprocess.CompletedProcess:
    """Run slalint as a user would, in a fresh process; `.seconds` is how long
    it took. Standard input is empty unless `stdin` is given, a run longer
    than `timeout` fails the test (not the suite), and `memory` caps the
    process's address space in bytes."""
    environment = dict(os.environ)
    environment.pop("SLALINT_DEBUG", None)
    environment.update(env or {})

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    standard_input = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    started = time.monotonic()
    try:
        process = subprocess.run(
            [sys.executable, "-m", "sla_lang", *args],
            cwd=cwd,
            capture_output=True,
            env=environment,
            timeout=timeout,
            preexec_fn=limit_memory if memory else None,
            **standard_input,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"slalint {' '.join(args)} ran for more than {timeout} s")
    process.seconds = time.monotonic() - started
    return process


def report_of(process: subprocess.CompletedProcess, fail_on: str = "error") -> dict:
    """The JSON report of a `check --format json` run, whose exit code must be
    the one its findings make: 1 when one is at or above `fail_on`, else 0."""
    from sla_lang.findings import SEVERITY_RANK

    stderr = process.stderr.decode("utf-8", "replace")
    assert process.stdout and "Traceback" not in stderr and "internal error" not in stderr, stderr
    report = json.loads(process.stdout)
    failing = any(SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[fail_on] for f in report["findings"])
    assert process.returncode == int(failing), (process.returncode, stderr)
    return report


class Run(NamedTuple):
    code: int
    out: str
    err: str


def check_in_process(cwd: Path | str, *args: str, stdin: bytes | None = None) -> Run:
    """`slalint check ARGS` from `cwd` in this process (see in_process)."""
    return in_process(cwd, "check", *args, stdin=stdin)


def in_process(cwd: Path | str, *argv: str, stdin: bytes | None = None, env: dict | None = None) -> Run:
    """`slalint ARGV` from `cwd` in this process, as the console script runs it,
    with `env` set meanwhile: quicker than run_cli where no fresh process is
    needed (every run reads the caches and files afresh)."""
    from sla_lang.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    collecting = gc.isenabled()  # `check` switches the collector off, for a process that ends with it
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        patch.chdir(cwd)
        if stdin is not None:
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = main(list(argv))
        finally:
            if collecting:
                gc.enable()
    assert "internal error" not in err.getvalue(), err.getvalue()
    return Run(code, out.getvalue(), err.getvalue())
