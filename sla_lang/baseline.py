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
from collections import Counter

from . import __version__
from .findings import Finding
from .paths import write_atomically
from .source import Span

FORMAT_VERSION = 1
MAX_BASELINE_SIZE = 64 * 1024 * 1024


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
    from .source import UnreadableFile, read_regular_file

    in_work_tree = isinstance(path, str)
    try:
        # A regular file of bounded size: a baseline path committed as a link
        # to /dev/zero must not be read until memory runs out.
        data = read_regular_file(path, MAX_BASELINE_SIZE) if in_work_tree else path.read(MAX_BASELINE_SIZE)
        document = json.loads(data.decode("utf-8"))
        entries = document["findings"]
        if document.get("version") != FORMAT_VERSION or not isinstance(entries, list):
            raise ValueError("unknown baseline format")
        return Counter(str(entry["fingerprint"]) for entry in entries), None
    except UnreadableFile as problem:
        if not (os.path.lexists(path) if in_work_tree else path.exists()):
            return None, f"baseline {path} does not exist; reporting every finding (create it with --write-baseline)"
        return None, f"baseline {path} cannot be read ({problem}); ignoring it and reporting every finding"
    except RecursionError:
        return None, f"baseline {path} is nested too deeply to be a baseline; ignoring it and reporting every finding"
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f"baseline {path} cannot be read ({error}); ignoring it and reporting every finding"


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
