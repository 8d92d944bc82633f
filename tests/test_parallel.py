"""Parsing and rule evaluation spread over processes give exactly the
findings of one process (children start at 64 files; --jobs forces them),
and a child that fails, or a Ctrl-C, loses nothing and leaves nothing behind."""

from __future__ import annotations

import datetime
import os
import select
import signal
import subprocess
import sys
import time

import pytest
from conftest import PROJECT, report_of, run_cli

from sla_lang.many_files import parse, processes
from sla_lang.many_files.cache import ParseCache
from sla_lang.model.workspace import build_workspace
from sla_lang.policy import engine
from sla_lang.policy.engine import PolicyRuntimeError, run_rules_in_parallel
from sla_lang.policy.loader import load_packs
from sla_lang.source import SourceFile

sys.path.insert(0, str(PROJECT / "bench"))
from corpus import write_corpus  # noqa: E402

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux only")


def findings(workspace, *extra):
    run = run_cli("check", ".", "--format", "json", "--today", "2026-06-01", "--no-cache", *extra, cwd=workspace)
    return report_of(run)["findings"]


def test_two_processes_find_what_one_finds(tmp_path):
    write_corpus(str(tmp_path), 90, seed=7)
    alone = findings(tmp_path, "--jobs", "1")
    assert len({f["code"] for f in alone}) >= 4  # the corpus has several kinds of defect
    assert findings(tmp_path, "--jobs", "2") == alone
    assert findings(tmp_path) == alone  # the default: children, since there are over 64 files


# -- in one process: the children's results as this process would have made them ----------


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[SourceFile]:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(str(root), 40, seed=11)
    files = sorted(p for p in root.iterdir() if p.suffix == ".sla")
    broken = [SourceFile("broken.sla", 'sla x "X" {\n  provider: p1\n  service s { objective o { target: >= } }\n')]
    return [SourceFile(p.name, p.read_text(encoding="utf-8")) for p in files] + broken


def summary(parsed) -> list:
    """What a parse gave, comparable across processes (nodes compare by identity)."""
    return [
        (
            p.source.path,
            [(type(d).__name__, d.id, d.span) for d in p.declarations],
            [(c.text, c.span) for c in p.comments],
            p.findings,
        )
        for p in parsed
    ]


def test_children_parse_what_this_process_parses(sources):
    alone = summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=1))
    assert any(f.code == "SL001" for f in alone[-1][3])  # the broken file's syntax error comes back too
    assert summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=2)) == alone
    assert summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=3)) == alone


@linux_only
@pytest.mark.parametrize("failure", ["exception", "killed"])
def test_what_a_failed_child_did_not_send_is_parsed_here(sources, monkeypatch, failure):
    alone = summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=1))
    real = parse._parse_chunks

    def one_batch_then_fail(work):  # runs in the forked child, which inherits this patch
        parts = real(work)
        yield next(parts)
        if failure == "killed":
            os._exit(1)
        raise RuntimeError("a bug in the child")

    monkeypatch.setattr(parse, "_parse_chunks", one_batch_then_fail)
    assert summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=2)) == alone


@linux_only
def test_a_chunk_a_child_took_but_never_sent_is_parsed_here(sources, monkeypatch, tmp_path):
    alone = summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=1))
    took = tmp_path / "took"

    def take_one_and_die(work):  # runs in the forked child
        _, taken, _ = work
        for number in taken:
            took.write_text(str(number))
            os._exit(1)
        yield  # a generator, like the real one

    monkeypatch.setattr(parse, "_parse_chunks", take_one_and_die)
    assert summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=2)) == alone
    assert took.read_text().isdigit()  # the child did take a chunk from this process


def test_when_no_child_can_start_this_process_parses_everything(sources, monkeypatch):
    import multiprocessing.process

    alone = summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=1))

    def refused(self):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    assert summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=2)) == alone


def test_spawned_children_parse_what_this_process_parses(sources, monkeypatch):
    # The start method of macOS and Windows: the child imports slalint and receives its part pickled.
    alone = summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=1))
    monkeypatch.setattr(processes, "start_method", lambda: "spawn")
    assert summary(parse.parse_sources(sources, ParseCache(enabled=False), jobs=2)) == alone


# -- queue: who parses which chunk ------------------------------------------------------------


@linux_only
def test_each_turn_goes_to_exactly_one_process():
    queue = processes.WorkQueue(500, 3)
    assert queue.shared
    readers = []
    for process in (1, 2):
        reading, writing = os.pipe()
        if os.fork() == 0:  # a child: report the numbers it took
            os.close(reading)
            os.write(writing, b"".join(n.to_bytes(4, "little") for n in queue.numbers_for(process)))
            os._exit(0)
        os.close(writing)
        readers.append(reading)
    mine = list(queue.numbers_for(0))
    theirs = []
    for reading in readers:
        with os.fdopen(reading, "rb") as stream:
            data = stream.read()
        theirs += [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]
        os.wait()
    queue.close()
    assert sorted(mine + theirs) == list(range(500))
    assert mine == sorted(mine)  # each process takes them in order


def test_turns_that_do_not_fit_in_a_pipe_are_shared_by_stride():
    opened = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    queue = processes.WorkQueue(100_000, 2)  # 400 KB of records: more than a pipe holds
    assert not queue.shared
    assert (queue.numbers_for(0), queue.numbers_for(1)) == (range(0, 100_000, 2), range(1, 100_000, 2))
    queue.close()
    if opened is not None:
        assert len(os.listdir("/proc/self/fd")) == opened  # neither end of the pipe is left open


def test_one_process_takes_every_turn_without_a_pipe():
    queue = processes.WorkQueue(10, 1)
    assert list(queue.numbers_for(0)) == list(range(10))
    queue.close()


@pytest.fixture(scope="module")
def rules_run(sources):
    parsed = parse.parse_sources(sources, ParseCache(enabled=False), jobs=1)
    workspace = build_workspace([d for p in parsed for d in p.declarations])
    rules = [rule for pack in load_packs([]) for rule in pack.rules]
    return rules, workspace, datetime.date(2026, 6, 1)


def finding_rows(found) -> list:
    return sorted((f.code, f.span.path, f.span.line, f.span.column, f.message) for f in found)


@linux_only
def test_a_failed_rules_child_has_its_part_run_here(rules_run, monkeypatch):
    alone = finding_rows(run_rules_in_parallel(1, *rules_run))
    assert len(alone) > 10
    assert finding_rows(run_rules_in_parallel(2, *rules_run)) == alone
    monkeypatch.setattr(engine, "_run_part", lambda part: os._exit(1))
    assert finding_rows(run_rules_in_parallel(2, *rules_run)) == alone


@linux_only
def test_an_error_in_a_rules_child_is_raised_here(rules_run, monkeypatch):
    real = engine.run_rules

    def failing_in_part_one(*arguments, part=(0, 1), **options):
        if part == (1, 2):
            raise PolicyRuntimeError("rule SL999 ran out of steps")
        return real(*arguments, part=part, **options)

    monkeypatch.setattr(engine, "run_rules", failing_in_part_one)
    with pytest.raises(PolicyRuntimeError, match="SL999"):
        run_rules_in_parallel(2, *rules_run)


# -- Ctrl-C ----------------------------------------------------------------------------------


def _children_of(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
        return [int(child) for child in listing.read().split()]


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# The check as a user runs it, with one function (MODULE:NAME) made to wait: in
# the check's own process it first says so on the pipe FD, then waits for
# Ctrl-C; in a child it waits to be stopped. So the signal lands, whatever the
# machine's load, while the check and its children are at work, where a
# sleep-and-hope test once sent it after the check had ended (exit 1).
_CHECK_THAT_WAITS = """
import importlib, os, sys, time

module, _, name = sys.argv.pop(1).partition(":")
told = int(sys.argv.pop(1))
owner = importlib.import_module(module)
*path, attribute = name.split(".")
for step in path:
    owner = getattr(owner, step)
real = getattr(owner, attribute)
check = os.getpid()

def waiting(*arguments, **options):
    if os.getpid() == check:
        os.write(told, b"at work\\n")
    until = time.monotonic() + 60
    while time.monotonic() < until:  # short sleeps: a signal that comes just before a long one would wait for its end
        time.sleep(0.01)
    return real(*arguments, **options)

setattr(owner, attribute, waiting)
from sla_lang.__main__ import main
sys.exit(main())
"""


def _children_started(pid: int, timeout: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout
    while not (children := _children_of(pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    return children


@linux_only
@pytest.mark.skipif(
    not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"), reason="the kernel lists no children"
)
@pytest.mark.parametrize(
    "working",
    ["sla_lang.syntax.parser:AgreementParser.parse", "sla_lang.policy.engine:run_rules"],
    ids=["parsing", "rules"],
)
def test_ctrl_c_stops_the_check_and_its_children(tmp_path, working):
    write_corpus(str(tmp_path), 20, seed=5)  # 3 chunks to parse, nodes for two parts: work for both processes
    reading, told = os.pipe()
    command = [sys.executable, "-c", _CHECK_THAT_WAITS, working, str(told), "check", ".", "--no-cache", "--jobs", "2"]
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        pass_fds=(told,),
    )
    os.close(told)
    try:
        assert select.select([reading], [], [], 60)[0], "the check never reached the work"
        assert os.read(reading, 100) == b"at work\n", process.communicate(timeout=60)[1].decode()
        children = _children_started(process.pid)
        assert len(children) == 1 and _running(children[0])  # --jobs 2: this process and one child
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
        _, stderr = process.communicate(timeout=60)
    finally:
        os.close(reading)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert (process.returncode, stderr.decode()) == (130, "slalint: interrupted\n")
    deadline = time.monotonic() + 10
    while _running(children[0]) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _running(children[0])
