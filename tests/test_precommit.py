"""The pre-commit hook, run for real with `pre-commit try-repo`.

pre-commit passes only the staged files, so the hook relies on slalint loading
the whole workspace (every .sla file under the directory holding
.slalint.yaml): references into files that were not staged resolve, and
findings are reported for the staged files only.

try-repo clones the hook repository at a commit, builds a virtualenv and
pip-installs slalint into it (from the package registry), so this test is
slow, and it needs git and pre-commit. It never commits in this checkout: it
copies the project's files (tracked and untracked, as the working tree holds
them) into a temporary repository and points try-repo at that."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT


def _pre_commit_command() -> list[str] | None:
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    found = shutil.which("pre-commit")
    return [found] if found else None


PRE_COMMIT = _pre_commit_command()
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install -e '.[test]')"),
]

CONFIG = """\
select: [SL0, SL4]
today: 2026-06-01
format: concise
"""
PARTIES = """\
party acme "Acme Retail Ltd" { role: customer }
party it_org "Example Corp IT" { role: provider }
party dba "Database Team" { role: team  organization: it_org }
party cloudco "CloudCo Inc." { role: supplier }
"""
SLA = """\
sla payments_gold "Payments Gold SLA" {
  provider: it_org
  customer: acme
  version: "2.1"
  effective: 2026-01-01
  expires: 2026-12-31
  service payments_api "Payments API" {
    hours: 24x7
    objective availability { target: >= 99.95%  window: 30d  measurement: "Synthetic probe" }
  }
  approval {
    signature acme { by: "Jane Doe"; date: 2025-12-15; version: "2.1" }
  }
}
"""
OLA = """\
ola db_ola "Database operations OLA" {
  provider: dba
  customer: it_org
  version: "1.0"
  effective: 2026-01-01
  expires: 2027-01-01
  supports: payments_gold.payments_api
  service db "Payments database" {
    hours: 24x7
    objective availability { target: >= 99.99%  window: 30d  measurement: "Replica health checks" }
  }
}
"""
# Already committed with a finding: SL404, it expires (2026-06-30) before the SLA does.
CONTRACT = """\
contract cloud_uc "CloudCo enterprise hosting" {
  provider: cloudco
  customer: it_org
  version: "2026"
  effective: 2025-11-01
  expires: 2026-06-30
  supports: payments_gold.payments_api
  service hosting {
    hours: 24x7
    objective availability { target: >= 99.99%  window: 30d  measurement: "CloudCo status API" }
  }
}
"""


def run(command: list[str], cwd: Path, env: dict | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def git(repo: Path, *args: str) -> None:
    result = run(["git", *args], repo)
    assert result.returncode == 0, result.stderr


def new_repository(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    git(path, "config", "user.name", "Test User")
    git(path, "config", "user.email", "test@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


def copy_of_the_project(destination: Path) -> Path:
    """The project as the working tree holds it, committed in a repository of its own."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], PROJECT)
    if listed.returncode != 0:
        pytest.skip(f"{PROJECT} is not a git checkout: cannot list the project's files")
    new_repository(destination)
    for name in filter(None, listed.stdout.split("\0")):
        source = PROJECT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "add", ".")
    git(destination, "commit", "-q", "-m", "slalint under test")
    return destination


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_hook_checks_staged_files_against_the_whole_workspace(tmp_path):
    hook_repo = copy_of_the_project(tmp_path / "slalint")

    agreements = new_repository(tmp_path / "agreements")
    write(agreements / ".slalint.yaml", CONFIG)
    write(agreements / "parties.sla", PARTIES)
    write(agreements / "slas" / "payments.sla", SLA)
    write(agreements / "olas" / "database.sla", OLA)
    write(agreements / "contracts" / "cloud.sla", CONTRACT)
    git(agreements, "add", ".")
    git(agreements, "commit", "-q", "-m", "agreements")

    # The change under review: the OLA's target drops below the SLA's (SL402).
    write(agreements / "olas" / "database.sla", OLA.replace(">= 99.99%", ">= 99.9%"))
    git(agreements, "add", "olas/database.sla")

    environment = dict(os.environ)
    environment["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")  # a fresh hook environment
    environment.pop("SLALINT_DEBUG", None)
    command = [*PRE_COMMIT, "try-repo", str(hook_repo), "slalint", "--color", "never", "--files"]

    failing = run([*command, "olas/database.sla"], agreements, environment, timeout=900)
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "slalint" in output and "Failed" in output, output
    findings = [line for line in output.splitlines() if ": SL" in line and line.split(":")[0].endswith(".sla")]
    assert [line.split(" [")[0] for line in findings] == ["olas/database.sla:10:5: SL402"], output
    assert "SL007" not in output, "references into files that were not staged must resolve"
    assert "contracts/cloud.sla" not in output, "a finding in a file that was not staged is not reported"
    assert "slas/payments.sla" not in output  # SL405 (the weaker OLA in series) belongs to the SLA's file

    # Fixed and staged again: the hook passes (the hook environment is reused).
    write(agreements / "olas" / "database.sla", OLA)
    git(agreements, "add", "olas/database.sla")
    passing = run([*command, "olas/database.sla"], agreements, environment, timeout=900)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
