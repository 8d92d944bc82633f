"""JUnit XML, for CI services that show test reports (GitLab, Jenkins, Azure).

One test case per file checked, named by its path: a file without findings
is a passing case, a file with findings fails with one <failure> per finding.
`tests` counts the files and `failures` the files that fail, as in any JUnit
report; each failure's `type` is the finding's severity.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

# Characters XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def render(result, settings) -> str:
    by_path = {path: list(group) for path, group in groupby(result.findings, key=lambda f: f.span.path)}
    paths = sorted(set(result.sources) | set(by_path))
    failing = sum(1 for path in paths if by_path.get(path))
    suites = ET.Element("testsuites", name="slalint", tests=str(len(paths)), failures=str(failing), errors="0")
    suite = ET.SubElement(
        suites, "testsuite", name="slalint", tests=str(len(paths)), failures=str(failing), errors="0", skipped="0"
    )
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname=_xml_text(path), name=_xml_text(path))
        for finding in by_path.get(path, ()):
            span = finding.span
            failure = ET.SubElement(
                case, "failure", message=_xml_text(f"{finding.code}: {finding.message}"), type=finding.severity
            )
            failure.text = _xml_text(
                f"{span.path}:{span.line}:{span.column}: {finding.code} [{finding.severity}] {finding.message}"
            )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
