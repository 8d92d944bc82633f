"""Reading agreement files safely, and the positions every finding points at.

Nothing here parses: it turns a path (or a buffer from standard input) into
text, or into the reason the text cannot be had (SL008).
"""

from __future__ import annotations

import os
import re
import stat

from .slotted import Plain

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024  # 5 MiB

# Unicode's explicit bidirectional embeddings, overrides and isolates: they make
# text display in another order than the one it is read in (Trojan Source,
# CVE-2021-42574), so a reviewer can approve what the checks never saw.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class Span(Plain):
    """A region of a file: 1-based lines and columns, end column exclusive."""

    __slots__ = ("path", "line", "column", "end_line", "end_column")

    def __init__(self, path: str, line: int, column: int, end_line: int, end_column: int) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.path, self.line, self.column, other.end_line, other.end_column)


def file_start(path: str) -> Span:
    return Span(path, 1, 1, 1, 1)


class SourceFile(Plain):
    __slots__ = ("path", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path  # as the user named it (or --stdin-filename), '/' separators
        self.text = text


def shortened(literal: str) -> str:
    """Text of a file as a message quotes it: a hostile one may be a megabyte long."""
    return literal if len(literal) <= 40 else f"{literal[:20]}...{literal[-10:]} ({len(literal):,} characters)"


def bidi_controls(text: str, limit: int) -> list[tuple[int, int, str]]:
    """(line, column, character) of the first `limit` bidi controls in `text`,
    found in one pass (the lines are counted between one control and the next)."""
    found: list[tuple[int, int, str]] = []
    line, line_start, counted_to = 1, 0, 0
    for match in BIDI_CONTROLS.finditer(text):
        if len(found) == limit:
            break
        offset = match.start()
        newlines = text.count("\n", counted_to, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, offset) + 1
        counted_to = offset
        found.append((line, offset - line_start + 1, match.group()))
    return found


class UnreadableFile(Exception):
    """The file cannot be linted; the message says why in the user's terms."""


def decode(path: str, data: bytes, max_size: int = DEFAULT_MAX_FILE_SIZE) -> SourceFile:
    if len(data) > max_size:
        raise UnreadableFile(
            f"file is {len(data):,} bytes, over the {max_size:,}-byte limit "
            "(pass --max-file-size if this agreement is really that large)"
        )
    if b"\0" in data:
        offset = data.index(b"\0")
        raise UnreadableFile(f"file holds a NUL byte at offset {offset}: it looks binary, not an agreement")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableFile(
            f"file is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); save it as UTF-8"
        ) from None
    if text.startswith("\ufeff"):  # a byte-order mark is valid UTF-8 but not part of the agreement
        text = text[1:]
    return SourceFile(path, text)


def read_source(path: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> SourceFile:
    """Read `path` as an agreement file, refusing what is not a regular text file."""
    return decode(
        path,
        read_regular_file(path, max_size, "(pass --max-file-size if this agreement is really that large)"),
        max_size,
    )


def read_regular_file(path: str, max_size: int, advice: str = "") -> bytes:
    """The bytes of `path`, if it is a regular file of at most `max_size` bytes.

    Every file slalint reads (agreements, packs, config, baseline) may come from
    a pull request: a FIFO, a device such as /dev/zero, or a huge file must give
    a clear refusal, not a hang or a full memory.
    """
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise UnreadableFile(f"cannot open: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        if info.st_size > max_size:
            raise UnreadableFile(f"file is {info.st_size:,} bytes, over the {max_size:,}-byte limit {advice}".rstrip())
        chunks = []
        remaining = max_size + 1  # read one byte past the limit to notice a file that grew
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as err:
        raise UnreadableFile(f"cannot read: {err.strerror}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)
