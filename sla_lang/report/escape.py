"""What a report prints from files and file names, made harmless for a
terminal and a CI log: every format passes such text through `visible`.

A pull request chooses the content and the names of the files, so their
text could move the cursor and erase a message (ESC), overwrite a line (CR),
start a new line that a CI service reads as a command (LF, then
`::error ...`), or reorder what a reader sees (the Unicode bidi controls).
Each such character is shown as an escape instead, as Python writes it:
`\\x1b`, `\\r`, `\\n`, `\\u202e`. A byte of a file name that is not UTF-8
(which Python keeps as a lone surrogate) is shown as `\\xff`, so that every
report can be encoded.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, the bidi controls (Arabic letter mark,
# LRM/RLM, LRE..RLO, LRI..PDI), the Unicode line and paragraph separators,
# and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# A CI service reads a command anywhere in a line: GitHub `##[error]`,
# Azure `##vso[...]`, TeamCity `##teamcity[...]`. Its first `#` is escaped.
_LOG_COMMAND = re.compile(r"#(?=#[A-Za-z]*\[)")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for a byte that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` on one line, with every control character shown as an escape."""
    text = _UNSAFE.sub(_escape, text)
    if "##" in text:
        text = _LOG_COMMAND.sub(r"\\x23", text)
    return text


def visible_lines(text: str) -> str:
    """`visible` for text of several lines (a rule's documentation): the line breaks stay."""
    return "\n".join(visible(line) for line in text.split("\n"))


def line_start(path: str) -> str:
    """A visible path for the start of a line: GitHub reads a line that starts
    with `::` as a workflow command, so such a path is shown as `./::...`."""
    shown = visible(path)
    return f"./{shown}" if shown.lstrip().startswith("::") else shown
