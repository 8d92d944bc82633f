"""Baselines: record today's findings, then report only new ones.

A finding is recognised by its fingerprint (code, path, logical location and
message, never the line), so unrelated edits that shift lines do not make old
findings look new. The path is taken relative to the workspace root, so a
baseline matches whichever directory slalint runs from. The file is written
atomically; a missing or corrupt baseline is ignored with a warning rather
than failing the gate.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter

from .. import __version__
from ..findings import Finding
from ..reading.paths import write_atomically
from ..source import Span

# Fingerprints are of what a finding is about (code and anchor); a baseline of
# another format version must be written again.
FORMAT_VERSION = 2
# Tens of thousands of findings. Reading one costs its size twice (the bytes
# and the text) and the fingerprints kept, which json.loads would multiply.
MAX_BASELINE_SIZE = 16 * 1024 * 1024


def _rooted(finding: Finding, root: str | None) -> Finding:
    """The finding with its path relative to `root` (reports show it relative to the
    current directory, which may be a subdirectory of the root)."""
    if root is None or finding.span.path == "-":
        return finding
    path = os.path.relpath(os.path.abspath(finding.span.path), root).replace(os.sep, "/")
    if path == finding.span.path:
        return finding
    span = finding.span
    return Finding(
        finding.code,
        finding.name,
        finding.severity,
        finding.message,
        Span(path, span.line, span.column, span.end_line, span.end_column),
        finding.anchor,
    )


def write_baseline(path: str, findings: list[Finding], root: str | None = None) -> None:
    findings = [_rooted(finding, root) for finding in findings]
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "slalint", "version": __version__},
        "findings": [
            {
                "fingerprint": finding.fingerprint,
                "code": finding.code,
                "path": finding.span.path,
                "anchor": finding.anchor,
                "message": finding.message,
            }
            for finding in findings
        ],
    }
    write_atomically(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def read_baseline(path) -> tuple[Counter | None, str | None]:
    """The fingerprints recorded in `path` (with multiplicity), or None and a warning.
    `path` is a file of the working tree, or a RefFile (--config-from)."""
    from ..source import UnreadableFile, read_regular_file

    in_work_tree = isinstance(path, str)
    try:
        # A regular file of bounded size: a baseline path committed as a link
        # to /dev/zero must not be read until memory runs out.
        data = read_regular_file(path, MAX_BASELINE_SIZE) if in_work_tree else path.read(MAX_BASELINE_SIZE)
        return _fingerprints(data.decode("utf-8")), None
    except UnreadableFile as problem:
        if not (os.path.lexists(path) if in_work_tree else path.exists()):
            return None, f"baseline {path} does not exist; reporting every finding (create it with --write-baseline)"
        return None, f"baseline {path} cannot be read ({problem}); ignoring it and reporting every finding"
    except (OSError, ValueError) as error:
        return None, f"baseline {path} cannot be read ({error}); ignoring it and reporting every finding"


_SPACE = r"[ \t\n\r]*"
_STRING = r'"(?:[^"\\\x00-\x1f]|\\.)*+"'
_SCALAR = rf"(?:{_STRING}|-?[0-9]+|null|true|false)"
_MEMBER = rf"{_STRING}{_SPACE}:{_SPACE}{_SCALAR}"
_FLAT = rf"\{{{_SPACE}(?:{_MEMBER}(?:{_SPACE},{_SPACE}{_MEMBER}){{0,63}}{_SPACE})?\}}"  # an object of scalars
# A token of the document (after white space), and a finding with what follows it.
_TOKEN = re.compile(rf"{_SPACE}(?:(?P<flat>{_FLAT})|(?P<scalar>{_SCALAR})|(?P<mark>[\[\]{{}}:,]))")
_FINDING = re.compile(rf"{_SPACE}({_FLAT}){_SPACE}([,\]])")
# The same, as slalint writes it: the fingerprint first, which needs no decoding then.
_WRITTEN = re.compile(
    rf'{_SPACE}\{{{_SPACE}"fingerprint"{_SPACE}:{_SPACE}"([0-9a-f]*)"(?:{_SPACE},{_SPACE}{_MEMBER}){{0,63}}'
    rf"{_SPACE}\}}{_SPACE}([,\]])"
)


def _fingerprints(text: str) -> Counter:
    """The fingerprints of a baseline, with multiplicity, read one finding at a time.

    A baseline is an object whose `findings` are objects of scalars. Reading
    only that shape, a token at a time, keeps memory to the text and the
    fingerprints, whatever the file holds (json.loads would hold every value
    of a hostile file at once).
    """
    tokens = _Tokens(text)
    fields: dict = {}
    tokens.mark("{")
    while True:
        key = json.loads(tokens.take("scalar")[0])
        tokens.mark(":")
        value = tokens.take("scalar", "flat", "mark")
        if not value["mark"]:
            fields[key] = json.loads(value[0])
        elif key == "findings" and value[0].strip() == "[":
            fields[key] = _findings(tokens)
        else:
            raise ValueError(f"not a slalint baseline: unexpected '{value[0].strip()}' at offset {value.end() - 1}")
        if tokens.mark(",", "}") == "}":
            break
    if fields.get("version") == 1:
        raise ValueError(
            "written by an older slalint, whose fingerprints changed: write it again with --write-baseline"
        )
    if text[tokens.position :].strip() or fields.get("version") != FORMAT_VERSION or "findings" not in fields:
        raise ValueError("unknown baseline format")
    return fields["findings"]


class _Tokens:
    """The JSON tokens of a baseline, taken one at a time from `position` on."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def take(self, *kinds: str) -> re.Match:
        match = _TOKEN.match(self.text, self.position)
        if match is None or match.lastgroup not in kinds:
            raise ValueError(f"not a slalint baseline: unexpected content at offset {self.position}")
        self.position = match.end()
        return match

    def mark(self, *marks: str) -> str:
        found = self.take("mark", "flat", "scalar")[0].strip()
        if found not in marks:
            offset = self.position - len(found)
            raise ValueError(f"not a slalint baseline: expected {' or '.join(marks)} at offset {offset}")
        return found


def _findings(tokens: _Tokens) -> Counter:
    """The fingerprints of the `findings` array, its `[` taken, up to its `]`."""
    text = tokens.text
    found: Counter = Counter()
    finding = _WRITTEN.match(text, tokens.position) or _FINDING.match(text, tokens.position)
    if finding is None:
        tokens.mark("]")
    while finding:
        if finding.re is _WRITTEN:
            fingerprint = finding[1]
        elif not isinstance(fingerprint := json.loads(finding[1]).get("fingerprint"), str):
            raise ValueError(f"not a slalint baseline: a finding without a fingerprint at offset {tokens.position}")
        found[fingerprint] += 1
        tokens.position = finding.end()
        if finding[2] == "]":
            break
        finding = _WRITTEN.match(text, tokens.position) or _FINDING.match(text, tokens.position)
        if finding is None:
            raise ValueError(f"not a slalint baseline: expected a finding at offset {tokens.position}")
    return found


def without_baseline(findings: list[Finding], recorded: Counter, root: str | None = None) -> list[Finding]:
    """The findings not in the baseline. Each recorded fingerprint hides one finding,
    so a second identical problem still shows."""
    remaining = Counter(recorded)
    fresh = []
    for finding in findings:
        fingerprint = _rooted(finding, root).fingerprint
        if remaining[fingerprint] > 0:
            remaining[fingerprint] -= 1
        else:
            fresh.append(finding)
    return fresh
