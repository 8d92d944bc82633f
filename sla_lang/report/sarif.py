"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).

One run whose `tool.driver.rules` describes the rules that have findings, with
their documentation as help. Locations are relative to `%SRCROOT%`, the
current directory, as every slalint path is. Each result carries a
line-independent `partialFingerprints["slalint/v1"]`, so an alert keeps its
identity when lines are inserted above it.

Messages and rule texts are shown `visible`, as in every format; a file's
URI is its name's bytes percent-encoded (RFC 3986), so it names the file
exactly, even when the name is not UTF-8.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..findings import RuleInfo
from .escape import visible, visible_lines
from .fingerprint import unique_fingerprints
from .jsonstream import STREAMED, write_json

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# Used unless the installed package declares a homepage ([project.urls]).
DEFAULT_INFORMATION_URI = "https://pypi.org/project/slalint/"
FINGERPRINT_KEY = "slalint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def write(result, settings, out) -> None:
    findings = result.findings
    rule_ids = sorted({f.code for f in findings})
    rule_index = {code: index for index, code in enumerate(rule_ids)}
    rules = [_rule(result.rules.get(code) or _rule_from_finding(code, findings)) for code in rule_ids]
    run = {
        "tool": {
            "driver": {
                "name": "slalint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": _information_uri(),
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        # slalint counts columns in characters, not in UTF-16 code units (SARIF's default).
        "columnKind": "unicodeCodePoints",
        "results": STREAMED,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    artifacts: dict[str, dict] = {}  # by path: a file has many findings
    results = (
        {
            "ruleId": finding.code,
            "ruleIndex": rule_index[finding.code],
            "level": LEVELS[finding.severity],
            "message": {"text": visible(finding.message)},
            "locations": [{"physicalLocation": _physical_location(finding.span, artifacts)}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        for finding, fingerprint in zip(findings, unique_fingerprints(findings), strict=True)
    )
    write_json(out, log, results)


def _rule(info: RuleInfo) -> dict:
    docs = visible_lines(info.docs.strip())
    summary = visible(info.summary.strip()) or info.name
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _what_it_checks(docs) or summary},
        "help": {"text": docs or summary, "markdown": docs or summary},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"tags": [info.pack], "pack": info.pack},
    }


def _rule_from_finding(code: str, findings) -> RuleInfo:
    """A rule no pack describes (it cannot normally happen): what the finding says of it."""
    finding = next(f for f in findings if f.code == code)
    return RuleInfo(code, finding.name, finding.severity, finding.name, pack="unknown")


def _what_it_checks(docs: str) -> str:
    """The text of the docs' "## What it checks" section, as one paragraph."""
    match = re.search(r"^## What it checks[ \t]*\n(.*?)(?=^## |\Z)", docs, re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def _artifact(path: str) -> dict:
    if os.path.isabs(path):  # outside the current directory, on another drive
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(os.fsencode(path), safe="/"), "uriBaseId": "%SRCROOT%"}


def _physical_location(span, artifacts: dict) -> dict:
    artifact = artifacts.get(span.path)
    if artifact is None:
        artifact = artifacts[span.path] = _artifact(span.path)
    # Both slalint and SARIF end a region at the column after its last character.
    end_line = max(span.end_line, span.line)
    end_column = span.end_column if end_line > span.line else max(span.end_column, span.column)
    region = {"startLine": span.line, "startColumn": span.column, "endLine": end_line, "endColumn": end_column}
    return {"artifactLocation": artifact, "region": region}


def _information_uri() -> str:
    from importlib import metadata

    try:
        meta = metadata.metadata("slalint")
    except metadata.PackageNotFoundError:
        return DEFAULT_INFORMATION_URI
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "repository", "source") and url.strip():
            return url.strip()
    return meta.get("Home-page") or DEFAULT_INFORMATION_URI
