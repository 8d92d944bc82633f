"""Baselines: record today's findings, then report only new ones.

A finding is recognised by its fingerprint (code, path, logical location and
message, never the line), so unrelated edits that shift lines do not make old
findings look new. The file is written atomically; a missing or corrupt
baseline is ignored with a warning rather than failing the gate.
"""

from __future__ import annotations

import json
from collections import Counter

from . import __version__
from .findings import Finding
from .paths import write_atomically

FORMAT_VERSION = 1


def write_baseline(path: str, findings: list[Finding]) -> None:
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


def read_baseline(path: str) -> tuple[Counter | None, str | None]:
    """The fingerprints recorded in `path` (with multiplicity), or None and a warning."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        entries = document["findings"]
        if document.get("version") != FORMAT_VERSION or not isinstance(entries, list):
            raise ValueError("unknown baseline format")
        return Counter(str(entry["fingerprint"]) for entry in entries), None
    except FileNotFoundError:
        return None, f"baseline {path} does not exist; reporting every finding (create it with --write-baseline)"
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f"baseline {path} cannot be read ({error}); ignoring it and reporting every finding"


def without_baseline(findings: list[Finding], recorded: Counter) -> list[Finding]:
    """The findings not in the baseline. Each recorded fingerprint hides one finding,
    so a second identical problem still shows."""
    remaining = Counter(recorded)
    fresh = []
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
        else:
            fresh.append(finding)
    return fresh
