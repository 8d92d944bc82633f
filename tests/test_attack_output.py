"""Attacks on what slalint prints: a pull request chooses the content and the
names of the files, and through them tries to drive the terminal (ESC, CR),
forge CI log commands (`::error`, `##[error]`), inject Markdown into the step
summary, crash a report with a name that is not UTF-8 or a tree 1,100
directories deep, leave a child process running after the check is killed,
or make a report take gigabytes. Each is run for real, through the command
line where it can be, and the exact output asserted."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = pytest.mark.usefixtures("fresh_cache")

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


# -- item 13: deep trees ---------------------------------------------------------------------


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
