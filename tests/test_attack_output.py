"""Attacks on what slalint prints: a pull request chooses the content and the
names of the files, and through them tries to drive the terminal (ESC, CR),
forge CI log commands (`::error`, `##[error]`), inject Markdown into the step
summary, crash a report with a name that is not UTF-8 or a tree 1,100
directories deep, leave a child process running after the check is killed,
or make a report take gigabytes. Each is run for real, through the command
line where it can be, and the exact output asserted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import run_cli
from test_parallel import _children_of, _running

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
from sla_lang import parallel

parallel._kill_when_parent_dies = lambda: False  # as on a system without prctl


def spin(part):
    while True:
        pass
    yield


with parallel.Children(spin, [1]) as children:
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
