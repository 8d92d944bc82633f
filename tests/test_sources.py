"""SL008 unreadable-file, and how files and standard input become text.

SPEC §3 SL008: the file cannot be read, is not UTF-8, holds NUL bytes, or is
larger than the size limit (§3.1 "Limits": 5 MiB, the `max-file-size` key).
The finding is at line 1, column 1, and the other files are still checked.
"""

from __future__ import annotations

import os
import threading

import pytest
from conftest import run_cli

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, lint
from sla_lang.source import DEFAULT_MAX_FILE_SIZE, UnreadableFile, decode, read_source

GOOD = b"party acme { role: customer }\n"
BROKEN = b"party odd { role: custmer }\n"  # SL003 at 1:19


def lint_in(tmp_path, paths, **options):
    """(code, path, line, column, message) of the language findings, linted from inside tmp_path."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = lint(LintRequest(paths=paths, settings=Settings(select=["SL0"]), **options))
    finally:
        os.chdir(cwd)
    return [(f.code, f.span.path, f.span.line, f.span.column, f.message) for f in result.findings]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"party a { role: team }\x00", "NUL byte at offset 22"),
        (b"\x00", "NUL byte at offset 0"),
        (b'party a { contact: "caf\xe9" }', "not valid UTF-8 (byte 0xe9 at offset 23)"),
        (b"\xff\xfeparty", "not valid UTF-8"),
        (b'party a { contact: "\xed\xa0\x80" }', "not valid UTF-8"),  # an encoded surrogate
        (b'party a { contact: "\xe2\x82" }', "not valid UTF-8"),  # a cut multi-byte sequence
    ],
    ids=["nul-at-end", "only-nul", "latin-1", "utf-16-bom", "surrogate", "truncated-sequence"],
)
def test_binary_and_non_utf8_files_are_sl008_at_the_start(tmp_path, data, words):
    (tmp_path / "bad.sla").write_bytes(data)
    (tmp_path / "other.sla").write_bytes(BROKEN)
    [unreadable, other] = lint_in(tmp_path, ["bad.sla", "other.sla"])
    assert unreadable[:4] == ("SL008", "bad.sla", 1, 1)
    assert words in unreadable[4]
    assert other[:4] == ("SL003", "other.sla", 1, 19)  # the other file is still checked


def test_size_limit(tmp_path):
    limit = len(GOOD)
    (tmp_path / "at.sla").write_bytes(GOOD)
    (tmp_path / "over.sla").write_bytes(GOOD + b" ")
    assert lint_in(tmp_path, ["at.sla"], max_file_size=limit) == []
    [(code, path, line, column, message)] = lint_in(tmp_path, ["over.sla"], max_file_size=limit)
    assert (code, path, line, column) == ("SL008", "over.sla", 1, 1)
    assert f"over the {limit:,}-byte limit" in message


def test_the_default_size_limit_is_5_mib(tmp_path):
    assert DEFAULT_MAX_FILE_SIZE == 5 * 1024 * 1024
    comment = b"#" + b"x" * 1022 + b"\n"  # 1 KiB
    (tmp_path / "big.sla").write_bytes(comment * (5 * 1024) + b"\n")  # 5 MiB and one byte
    [(code, _, line, column, _)] = lint_in(tmp_path, ["big.sla"])
    assert (code, line, column) == ("SL008", 1, 1)
    (tmp_path / "big.sla").write_bytes(comment * (5 * 1024))  # exactly 5 MiB, all comments
    assert lint_in(tmp_path, ["big.sla"]) == []


def test_the_size_limit_applies_to_standard_input(tmp_path):
    findings = lint_in(tmp_path, [], stdin=("piped.sla", GOOD * 2), max_file_size=len(GOOD))
    assert [f[:4] for f in findings] == [("SL008", "piped.sla", 1, 1)]


def test_standard_input_is_decoded_like_a_file(tmp_path):
    findings = lint_in(tmp_path, [], stdin=("piped.sla", b"\xef\xbb\xbf" + BROKEN))
    assert [f[:4] for f in findings] == [("SL003", "piped.sla", 1, 19)]  # the BOM is not a column
    findings = lint_in(tmp_path, [], stdin=("piped.sla", b"\x00"))
    assert [f[:4] for f in findings] == [("SL008", "piped.sla", 1, 1)]


def test_a_missing_path(tmp_path):
    [(code, path, line, column, message)] = lint_in(tmp_path, ["nowhere.sla"])
    assert (code, path, line, column) == ("SL008", "nowhere.sla", 1, 1)
    assert "no such file" in message


def test_a_broken_symlink_and_a_symlink_loop(tmp_path):
    os.symlink("gone.sla", tmp_path / "dangling.sla")
    os.symlink("loop.sla", tmp_path / "loop.sla")
    findings = lint_in(tmp_path, ["dangling.sla", "loop.sla"])
    assert [f[:4] for f in findings] == [("SL008", "dangling.sla", 1, 1), ("SL008", "loop.sla", 1, 1)]
    assert all(f[4].startswith("cannot open") for f in findings)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_read_and_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.sla")
    os.mkdir(tmp_path / "dir")
    os.mkfifo(tmp_path / "dir" / "inner.sla")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(lint_in(tmp_path, ["pipe.sla", "dir"])), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "linting a FIFO blocked"
    [findings] = result
    assert [f[:4] for f in findings] == [("SL008", "dir/inner.sla", 1, 1), ("SL008", "pipe.sla", 1, 1)]
    assert all("not a regular file" in f[4] for f in findings)


def test_a_directory_is_searched_not_read(tmp_path):
    (tmp_path / "agreements" / "nested.sla").mkdir(parents=True)  # a directory named like a file
    (tmp_path / "agreements" / "nested.sla" / "inner.sla").write_bytes(BROKEN)
    (tmp_path / "agreements" / "notes.txt").write_bytes(b"\x00 not an agreement")
    findings = lint_in(tmp_path, ["agreements"])
    assert [f[:4] for f in findings] == [("SL003", "agreements/nested.sla/inner.sla", 1, 19)]


def test_read_source_refuses_a_directory(tmp_path):
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_source(str(tmp_path))


def test_decode_drops_a_byte_order_mark_only_at_the_start():
    assert decode("a.sla", b"\xef\xbb\xbfparty").text == "party"
    assert decode("a.sla", b"party\xef\xbb\xbf").text == "party\ufeff"


def test_sl008_through_the_command_line(tmp_path):
    (tmp_path / "bad.sla").write_bytes(b"\x00\x01\x02")
    process = run_cli("check", "bad.sla", "missing.sla", "--select", "SL0", "--format", "concise", cwd=tmp_path)
    assert process.returncode == 1, process.stderr
    lines = process.stdout.decode().splitlines()
    assert lines == [
        "bad.sla:1:1: SL008 [error] file holds a NUL byte at offset 0: it looks binary, not an agreement",
        "missing.sla:1:1: SL008 [error] cannot open: no such file or directory",
    ]
