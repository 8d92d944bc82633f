"""Hostile trees: what a pull request can put in the file system.

A pull request controls the checked-out tree, symlinks included (git stores
them), so slalint must not follow a link out of the workspace (a link to
~/.ssh/id_rsa or /proc/self/environ would print it in the CI log through
SL001 messages), must not hang on a loop, a FIFO or a device, and must report
an unreadable file or a directory named like an agreement clearly, or skip
it, without a traceback. Each case runs in-process (every finding checked)
and, where a hang is the risk, through the real command line under a timeout.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import shutil
import stat
import sys
import time

import pytest
from conftest import check_in_process, report_of
from conftest import run_cli as slalint

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, lint

GOOD = "party acme { role: customer }\n"
BROKEN = "party odd { role: custmer }\n"  # SL003 at 1:19
SECRET = "SECRET_TOKEN_1234"
# What a link out of the workspace could show: if slalint read this file, the
# SL001 message would quote the token ("found 'SECRET_TOKEN_1234'").
SECRET_FILE = f"{SECRET} = hunter2\n"
OUTSIDE = "a symbolic link to a place outside the workspace"
ROOT_READS_EVERYTHING = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file, whatever its mode"
)
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX symlinks")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """tmp_path/work is the workspace (and the current directory); tmp_path/outside is not."""
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (outside / "secret.sla").write_text(SECRET_FILE, encoding="utf-8")
    (outside / "agreements").mkdir()
    (outside / "agreements" / "other.sla").write_text(SECRET_FILE, encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def check(paths, root=None, **options):
    """(code, path, line, column, message) of the language findings, timed."""
    settings = Settings(select=["SL0"], cache=False, root=str(root) if root else None)
    started = time.perf_counter()
    result = lint(LintRequest(paths=[str(p) for p in paths], settings=settings, **options))
    seconds = time.perf_counter() - started
    assert seconds < 10, f"took {seconds:.1f} s"
    findings = [(f.code, f.span.path, f.span.line, f.span.column, f.message) for f in result.findings]
    assert all(SECRET not in f[4] for f in findings), findings
    return findings


def language_findings(*args, cwd, timeout=30):
    """The language findings of the real command line; a hang fails the test instead of the suite."""
    process = slalint("check", "--no-cache", "--format", "json", "--select", "SL0", *args, cwd=cwd, timeout=timeout)
    assert SECRET.encode() not in process.stdout + process.stderr
    return report_of(process)["findings"]


# -- symlinks ------------------------------------------------------------------------------


@needs_symlinks
def test_a_directory_symlink_to_its_parent_is_not_walked(tree):
    (tree / "agreements").mkdir()
    (tree / "agreements" / "broken.sla").write_text(BROKEN, encoding="utf-8")
    os.symlink("..", tree / "agreements" / "up")  # agreements/up/agreements/up/... forever
    os.symlink(".", tree / "here")
    assert [f[:4] for f in check(["."])] == [("SL003", "agreements/broken.sla", 1, 19)]
    [finding] = language_findings(".", cwd=tree)
    assert (finding["code"], finding["path"]) == ("SL003", "agreements/broken.sla")


@needs_symlinks
def test_directory_links_named_on_the_command_line_end(tree):
    """Named, a link to a directory is walked (once: links below it are not)."""
    (tree / "agreements").mkdir()
    (tree / "agreements" / "broken.sla").write_text(BROKEN, encoding="utf-8")
    os.symlink("..", tree / "agreements" / "up")
    os.symlink(".", tree / "here")
    findings = check(["here", "agreements/up"])
    assert ("SL003", "agreements/up/agreements/broken.sla", 1, 19) in [f[:4] for f in findings]
    assert {f[0] for f in findings} <= {"SL003", "SL006"}


@needs_symlinks
def test_a_file_reached_through_a_named_directory_link_is_loaded_once(tree):
    (tree / "agreements").mkdir()
    (tree / "agreements" / "broken.sla").write_text(BROKEN, encoding="utf-8")
    os.symlink("agreements", tree / "linked")
    assert [f[:2] for f in check(["agreements", "linked"])] == [("SL003", "agreements/broken.sla")]


@needs_symlinks
def test_a_cycle_of_file_symlinks(tree):
    os.symlink("b.sla", tree / "a.sla")
    os.symlink("a.sla", tree / "b.sla")
    findings = check(["."])
    assert [f[:4] for f in findings] == [("SL008", "a.sla", 1, 1), ("SL008", "b.sla", 1, 1)]
    assert all("cannot open" in f[4] for f in findings)


@needs_symlinks
@pytest.mark.parametrize("how", ["named", "walked"])
def test_a_symlink_to_a_file_outside_the_workspace_is_sl008_and_not_read(tree, how):
    os.symlink(tree.parent / "outside" / "secret.sla", tree / "secret.sla")
    os.symlink("../outside/secret.sla", tree / "relative.sla")
    findings = check(["secret.sla", "relative.sla"] if how == "named" else ["."])
    assert [f[:4] for f in findings] == [("SL008", "relative.sla", 1, 1), ("SL008", "secret.sla", 1, 1)]
    assert all(OUTSIDE in f[4] for f in findings)


@needs_symlinks
def test_a_symlink_to_a_directory_outside_the_workspace(tree):
    os.symlink(tree.parent / "outside" / "agreements", tree / "linked")
    (tree / "mine.sla").write_text(GOOD, encoding="utf-8")
    assert check(["."]) == []  # a symlinked directory is not walked
    findings = check(["linked"])  # named: its files are refused, not read
    assert [f[:4] for f in findings] == [("SL008", "linked/other.sla", 1, 1)]
    assert OUTSIDE in findings[0][4]
    [finding] = language_findings("linked", cwd=tree)
    assert (finding["code"], finding["path"]) == ("SL008", "linked/other.sla")


@needs_symlinks
def test_a_link_out_of_the_configured_root_from_a_subdirectory(tree):
    """With a config file the workspace is the root, wherever slalint runs from."""
    (tree / ".slalint.yaml").write_text("exclude: []\n", encoding="utf-8")
    (tree / "sub").mkdir()
    os.symlink(tree.parent / "outside" / "secret.sla", tree / "sub" / "secret.sla")
    [finding] = language_findings(".", cwd=tree / "sub")
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("SL008", "secret.sla", 1, 1)
    [finding] = language_findings(cwd=tree)  # no path: the whole root
    assert (finding["code"], finding["path"]) == ("SL008", "sub/secret.sla")


@needs_symlinks
def test_a_symlink_to_a_file_inside_the_workspace_is_one_file(tree):
    (tree / "real.sla").write_text(GOOD, encoding="utf-8")
    os.symlink("real.sla", tree / "alias.sla")
    assert check(["."]) == []  # not a duplicate id: the same agreement, loaded once


@needs_symlinks
@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/urandom"])
def test_a_symlink_to_a_device(tree, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    os.symlink(device, tree / "device.sla")
    [finding] = language_findings("device.sla", cwd=tree)
    assert (finding["code"], finding["line"], finding["column"]) == ("SL008", 1, 1)
    [walked] = language_findings(".", cwd=tree)
    assert walked == finding


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_a_device_named_on_the_command_line(tree, device):
    """Named explicitly, a device is inside no workspace rule, and is still not read."""
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    findings = check([device])
    assert len(findings) == 1 and findings[0][0] == "SL008" and "not a regular file" in findings[0][4]


# -- things that are not regular files ---------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_an_agreement_does_not_hang_the_command_line(tree):
    os.mkfifo(tree / "pipe.sla")
    (tree / "dir").mkdir()
    os.mkfifo(tree / "dir" / "inner.sla")
    named = language_findings("pipe.sla", cwd=tree, timeout=30)
    assert [(f["code"], f["path"]) for f in named] == [("SL008", "pipe.sla")]
    assert "not a regular file" in named[0]["message"]
    walked = language_findings(".", cwd=tree, timeout=30)
    assert [(f["code"], f["path"]) for f in walked] == [("SL008", "dir/inner.sla"), ("SL008", "pipe.sla")]


def test_a_directory_named_like_an_agreement(tree):
    (tree / "x.sla").mkdir()
    (tree / "x.sla" / "inside.sla").write_text(BROKEN, encoding="utf-8")
    (tree / "empty.sla").mkdir()
    for paths in (["x.sla", "empty.sla"], ["."]):
        assert [f[:4] for f in check(paths)] == [("SL003", "x.sla/inside.sla", 1, 19)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no sockets or FIFOs here")
def test_a_unix_socket_named_like_an_agreement(tmp_path, monkeypatch):
    import socket

    # A short path: socket paths are limited to about 100 bytes.
    monkeypatch.chdir(tmp_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind("s.sla")
    except OSError as error:
        pytest.skip(f"cannot bind a unix socket here: {error}")
    try:
        findings = check(["s.sla"])
        assert [f[:4] for f in findings] == [("SL008", "s.sla", 1, 1)]
        assert "cannot open" in findings[0][4] or "not a regular file" in findings[0][4]
    finally:
        server.close()


# -- unreadable files and directories -------------------------------------------------------------


@ROOT_READS_EVERYTHING
def test_an_unreadable_file(tree):
    (tree / "locked.sla").write_text(GOOD, encoding="utf-8")
    (tree / "broken.sla").write_text(BROKEN, encoding="utf-8")
    os.chmod(tree / "locked.sla", 0)
    try:
        findings = check(["."])
        assert [f[:4] for f in findings] == [("SL003", "broken.sla", 1, 19), ("SL008", "locked.sla", 1, 1)]
        assert "cannot open: Permission denied" in findings[1][4]
        assert [f["code"] for f in language_findings(".", cwd=tree)] == ["SL003", "SL008"]
    finally:
        os.chmod(tree / "locked.sla", stat.S_IRUSR | stat.S_IWUSR)


@ROOT_READS_EVERYTHING
def test_an_unreadable_directory_is_skipped(tree):
    (tree / "locked").mkdir()
    (tree / "locked" / "inside.sla").write_text(BROKEN, encoding="utf-8")
    (tree / "broken.sla").write_text(BROKEN, encoding="utf-8")
    os.chmod(tree / "locked", 0)
    try:
        assert [f[:2] for f in check(["."])] == [("SL003", "broken.sla")]
        assert [f["path"] for f in language_findings(".", cwd=tree)] == ["broken.sla"]
    finally:
        os.chmod(tree / "locked", stat.S_IRWXU)


def test_a_file_that_cannot_be_opened(tree, monkeypatch):
    """The unreadable-file path without relying on file modes (root reads
    anything): the open fails with EACCES."""
    import sla_lang.source

    (tree / "locked.sla").write_text(GOOD, encoding="utf-8")
    (tree / "broken.sla").write_text(BROKEN, encoding="utf-8")
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if os.path.basename(str(path)) == "locked.sla":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sla_lang.source.os, "open", refusing_open)
    findings = check(["."])
    assert [f[:4] for f in findings] == [("SL003", "broken.sla", 1, 19), ("SL008", "locked.sla", 1, 1)]
    assert findings[1][4] == "cannot open: Permission denied"


def test_a_read_error_after_opening(tree, monkeypatch):
    """A file that opens but fails to read (EIO from a failing disk, EISDIR
    on some systems) is SL008 too, and the descriptor is closed."""
    import sla_lang.source

    (tree / "bad.sla").write_text(GOOD, encoding="utf-8")
    real_read, real_close = os.read, os.close
    closed = []

    bad_inode = (tree / "bad.sla").stat().st_ino

    def failing_read(fd, size):
        if os.fstat(fd).st_ino != bad_inode:  # packs and config are read the same way: only this file fails
            return real_read(fd, size)
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    def tracking_close(fd):
        closed.append(fd)
        return real_close(fd)

    monkeypatch.setattr(sla_lang.source.os, "read", failing_read)
    monkeypatch.setattr(sla_lang.source.os, "close", tracking_close)
    findings = check(["bad.sla"])
    monkeypatch.setattr(sla_lang.source.os, "read", real_read)
    assert [f[:4] for f in findings] == [("SL008", "bad.sla", 1, 1)]
    assert findings[0][4] == f"cannot read: {os.strerror(errno.EIO)}"
    assert closed, "the file descriptor was not closed"


def test_an_unreadable_directory_without_relying_on_modes(tree, monkeypatch):
    (tree / "locked").mkdir()
    (tree / "locked" / "inside.sla").write_text(BROKEN, encoding="utf-8")
    (tree / "broken.sla").write_text(BROKEN, encoding="utf-8")
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    assert [f[:2] for f in check(["."])] == [("SL003", "broken.sla")]


# -- a tree that changes under slalint -------------------------------------------------------------


@pytest.mark.parametrize("change", ["deleted", "replaced-by-a-directory", "replaced-by-a-fifo"])
def test_a_file_that_changes_between_discovery_and_reading(tree, monkeypatch, change):
    """The file list is made first and the files read after: a file deleted
    (or replaced) in between, by a concurrent checkout say, is SL008."""
    import sla_lang.lint

    if change == "replaced-by-a-fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    (tree / "going.sla").write_text(GOOD, encoding="utf-8")
    (tree / "broken.sla").write_text(BROKEN, encoding="utf-8")
    real_discover = sla_lang.lint.discover

    def discover_then_change(paths):
        found = real_discover(paths)
        os.unlink(tree / "going.sla")
        if change == "replaced-by-a-directory":
            os.mkdir(tree / "going.sla")
        elif change == "replaced-by-a-fifo":
            os.mkfifo(tree / "going.sla")
        return found

    monkeypatch.setattr(sla_lang.lint, "discover", discover_then_change)
    findings = check(["."])
    assert [f[:4] for f in findings] == [("SL003", "broken.sla", 1, 19), ("SL008", "going.sla", 1, 1)]
    expected = {"deleted": "cannot open: No such file or directory", "replaced-by-a-fifo": "not a regular file"}
    if change in expected:
        assert findings[1][4] == expected[change]


def test_a_file_that_grows_past_the_limit_while_it_is_read(tree, monkeypatch):
    """The size is checked before reading and again on what was read: a file
    that grows in between (a log someone named .sla) stops at the limit."""
    import sla_lang.source

    (tree / "growing.sla").write_bytes(b"# " + b"x" * 100 + b"\n")
    real_fstat = os.fstat

    class Small:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(sla_lang.source.os, "fstat", lambda fd: Small(real_fstat(fd)))
    findings = check(["growing.sla"], max_file_size=50)
    assert [f[:4] for f in findings] == [("SL008", "growing.sla", 1, 1)]
    assert "over the 50-byte limit" in findings[0][4]


# -- no data loss: `check` writes nothing in the user's tree ------------------------------------------


SLA = """\
party c { role: customer }
party p { role: provider }
sla gold "Gold" {   # slalint: ignore[SL503]
  provider: p
  customer: c
  version: "1"
  effective: 2026-01-01
  service s { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
}
"""


def snapshot(directory) -> dict:
    """Every entry under `directory`: its kind, bytes (or link target), mode and mtime."""
    entries = {}
    for path in sorted(directory.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            content = os.readlink(path)
        elif path.is_file():
            content = path.read_bytes()
        else:
            content = None
        entries[str(path.relative_to(directory))] = (stat.S_IFMT(info.st_mode), content, info.st_mode, info.st_mtime_ns)
    return entries


@pytest.fixture
def user_tree(tmp_path):
    """A workspace as a user has it: config, agreements, a baseline, a symlinked alias."""
    work = tmp_path / "work"
    (work / "agreements").mkdir(parents=True)
    (work / "agreements" / "gold.sla").write_text(SLA, encoding="utf-8")
    (work / "agreements" / "broken.sla").write_text(BROKEN, encoding="utf-8")
    (work / ".slalint.yaml").write_text("fail-on: warning\nbaseline: known.json\n", encoding="utf-8")
    (work / "known.json").write_text('{"version": 2, "findings": []}\n', encoding="utf-8")
    if hasattr(os, "symlink"):
        os.symlink("gold.sla", work / "agreements" / "alias.sla")
    old = time.time() - 3600  # an hour ago: a write within the test would show in the mtime
    for path in work.rglob("*"):
        os.utime(path, (old, old), follow_symlinks=False)
    return work


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--format", "sarif"],
        ["--format", "github"],
        ["--format", "junit", "--statistics"],
        ["--no-cache"],
        ["--write-baseline", "{elsewhere}/new-baseline.json"],
        ["--output", "{elsewhere}/report.json", "--format", "json"],
    ],
    ids=["text", "sarif", "github", "junit", "no-cache", "write-baseline", "output"],
)
def test_check_writes_nothing_in_the_users_tree(user_tree, tmp_path, extra):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "cache"
    before = snapshot(user_tree)
    environment = {"SLALINT_CACHE_DIR": str(cache), "GITHUB_STEP_SUMMARY": str(elsewhere / "summary.md")}
    arguments = [a.replace("{elsewhere}", str(elsewhere)) for a in extra]
    for _ in range(2):  # cold, then from the caches
        process = slalint("check", "--today", "2026-06-01", *arguments, cwd=user_tree, env=environment)
        # Findings at or above `fail-on: warning` (broken.sla's SL003): 1, unless a baseline is written.
        assert process.returncode == (0 if "--write-baseline" in extra else 1), process.stderr.decode()
        assert b"Traceback" not in process.stderr
    assert snapshot(user_tree) == before
    if "--write-baseline" in extra:
        assert json.loads((elsewhere / "new-baseline.json").read_text(encoding="utf-8"))["findings"]
    if "--output" in extra:
        assert json.loads((elsewhere / "report.json").read_text(encoding="utf-8"))["findings"]


@needs_symlinks
def test_a_report_path_that_is_a_symlink_does_not_overwrite_its_target(user_tree):
    """The CI job names the report file; the pull request can commit a symlink
    of that name pointing at any file the job can write."""
    precious = user_tree / "agreements" / "gold.sla"
    os.symlink("agreements/gold.sla", user_tree / "slalint.sarif")
    before = precious.read_bytes()
    process = slalint("check", "--no-cache", "--format", "sarif", "--output", "slalint.sarif", cwd=user_tree)
    assert process.returncode == 1, process.stderr.decode()  # broken.sla's SL003, reported
    assert precious.read_bytes() == before
    assert not (user_tree / "slalint.sarif").is_symlink()  # the report replaced the link
    assert json.loads((user_tree / "slalint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


@needs_symlinks
def test_write_baseline_replaces_a_symlink_rather_than_writing_through_it(user_tree):
    precious = user_tree / "agreements" / "gold.sla"
    os.symlink("agreements/gold.sla", user_tree / "base.json")
    before = precious.read_bytes()
    process = slalint("check", "--no-cache", "--write-baseline", "base.json", cwd=user_tree, timeout=60)
    assert process.returncode == 0, process.stderr.decode()
    assert precious.read_bytes() == before
    assert not (user_tree / "base.json").is_symlink()
    assert json.loads((user_tree / "base.json").read_text(encoding="utf-8"))["version"] == 2


# -- corrupt caches and baselines are ignored -------------------------------------------------------

_GOOD_PICKLE = pickle.dumps({"a": [1, 2, (3, "x")], "b": 2.5}, protocol=5)
CORRUPTIONS = {
    "empty": b"",
    "text": b"not a pickle at all\n",
    "truncated": _GOOD_PICKLE[: len(_GOOD_PICKLE) // 2],
    "a-number": pickle.dumps(42),
    "a-wrong-tuple": pickle.dumps((1, 2, 3)),
    "a-string": pickle.dumps("findings"),
    # Found by flipping bytes of a pickle: unpickling these raises OverflowError,
    # MemoryError and IndexError (not UnpicklingError).
    "overflow": b"\x80\x05\x95&\x00\x00\x00\x00\x00\x00\xd7}\x94(\x8c\x01a\x94]\x94(K\x01K\x02K\x03\x8c\x01x"
    b"\x94\x86\x94e\x8c\x01b\x94G@\x04\x00\x00\x00\x00\x00\x00u.",
    "memory": b"\x80\x05\x95&\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94]\x94(K\x01\x8e\x02K\x03\x8c\x01x"
    b"\x94f\x94e\x8c\x01b\x94G@\x04\x00\x00\x00\x00\x00\x00u.",
    "index": b"\x80\x05\x95&\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94]\x94(K\x01K\x02K\x03\x8c\x01xu"
    b"\x86\x94e\x8c\x01b\x94S@\x04\x00\x00\x00\x00\x00\x00u.",
}


def _cache_files(cache, kind: str) -> list:
    return [p for p in (cache / kind).rglob("*.pickle")] if (cache / kind).is_dir() else []


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
@pytest.mark.parametrize("kind", ["parsed", "packs", "results"])
def test_a_corrupt_cache_entry_is_ignored(user_tree, tmp_path, monkeypatch, kind, corruption):
    """SLALINT_CACHE_DIR=<cache>: <cache>/parsed/... holds parse results,
    <cache>/packs/... compiled policy packs, <cache>/results/... whole checks.
    Whatever an entry holds, the check answers as without it. (In this
    process: each check reads every entry afresh, as a new process would.)"""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SLALINT_CACHE_DIR", str(cache))

    def run():
        return check_in_process(user_tree, "--today", "2026-06-01", "--format", "concise")

    clean = run()
    assert clean.code == 1 and "SL003" in clean.out, clean  # broken.sla's, at or above fail-on: warning
    entries = _cache_files(cache, kind)
    assert entries, f"no {kind} cache entries were written"
    for entry in entries:
        entry.write_bytes(CORRUPTIONS[corruption])
    if kind != "results":  # else the check would answer from the results, never reading the entries
        shutil.rmtree(cache / "results", ignore_errors=True)
    assert run() == clean
    if kind != "results":
        shutil.rmtree(cache / "results", ignore_errors=True)
    assert run() == clean  # the entries were written again, whole
    for entry in entries:
        assert entry.read_bytes() != CORRUPTIONS[corruption]


def _check_with_baseline(user_tree):
    return slalint("check", "--no-cache", "--today", "2026-06-01", "--format", "concise", cwd=user_tree, timeout=60)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "cannot be read"),
        (b"\xff\xfe\x00garbage", "cannot be read"),
        (b"[]", "cannot be read"),
        (b'{"version": 2, "findings": [42, null]}', "cannot be read"),
        (b'{"version": 2, "findings": "all"}', "cannot be read"),
        (b'{"version": 99, "findings": []}', "cannot be read"),
        (b'{"version": 2, "findings": [{"fingerprint": ' + b"[" * 100 + b"]" * 100 + b"}]}", None),
    ],
    ids=["empty", "binary", "a-list", "wrong-entries", "a-string", "unknown-version", "nested"],
)
def test_a_corrupt_baseline_is_a_warning(user_tree, content, words):
    (user_tree / "known.json").write_bytes(content)
    process = _check_with_baseline(user_tree)
    stderr = process.stderr.decode()
    assert process.returncode == 1, stderr  # every finding reported, SL003 of broken.sla among them
    assert b"SL003" in process.stdout
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if words:
        assert stderr.startswith("slalint: warning: baseline ") and "known.json " + words in stderr, stderr


def test_a_deeply_nested_baseline_is_a_warning(user_tree):
    (user_tree / "known.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    process = _check_with_baseline(user_tree)
    stderr = process.stderr.decode()
    assert process.returncode == 1 and stderr.startswith("slalint: warning: baseline ") and "known.json" in stderr
    assert "not a slalint baseline" in stderr and "internal error" not in stderr


@needs_symlinks
def test_a_baseline_linked_to_an_endless_device_does_not_hang(user_tree):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    (user_tree / "known.json").unlink()
    os.symlink("/dev/zero", user_tree / "known.json")
    # Named by the configuration, a link out of the workspace is refused unread (tests/test_attack_config.py);
    # the command line may name it, and then it is the size limit that stops the read.
    (user_tree / ".slalint.yaml").write_text("fail-on: warning\n", encoding="utf-8")

    # At most a gigabyte: reading /dev/zero whole would take all the memory there is.
    process = slalint(
        "check", "--no-cache", "--today", "2026-06-01", "--baseline", "known.json",
        cwd=user_tree, timeout=8, memory=1 << 30,
    )  # fmt: skip
    stderr = process.stderr.decode()
    assert process.returncode == 1 and stderr.startswith("slalint: warning: baseline ") and "known.json" in stderr
    assert "not a regular file" in stderr, stderr
