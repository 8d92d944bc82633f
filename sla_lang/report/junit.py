"""JUnit XML, for CI services that show test reports (GitLab, Jenkins, Azure).

One test case per file checked, named by its path: a file without findings
is a passing case, a file with findings fails with one <failure> per finding.
`tests` counts the files and `failures` the files that fail, as in any JUnit
report; each failure's `type` is the finding's severity. Written by hand, a
line at a time, in the layout ElementTree would give: paths and messages
shown `visible` (XML cannot hold most control characters at all), then
escaped for XML.
"""

from __future__ import annotations

from itertools import groupby

from .escape import visible

# Besides the controls that `visible` shows, XML 1.0 cannot hold these two at all.
_NOT_XML = {0xFFFE: "\\ufffe", 0xFFFF: "\\uffff"}
_IN_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"} | _NOT_XML
_IN_ATTRIBUTE = _IN_TEXT | {ord('"'): "&quot;"}


def _text(text: str) -> str:
    return visible(text).translate(_IN_TEXT)


def _attribute(text: str) -> str:
    return '"' + visible(text).translate(_IN_ATTRIBUTE) + '"'


def write(result, settings, out) -> None:
    by_path = {path: list(group) for path, group in groupby(result.findings, key=lambda f: f.span.path)}
    paths = sorted(set(result.sources) | set(by_path))
    counts = f'tests="{len(paths)}" failures="{sum(1 for path in paths if by_path.get(path))}" errors="0"'
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="slalint" {counts}>\n')
    if not paths:
        out.write(f'  <testsuite name="slalint" {counts} skipped="0" />\n</testsuites>\n')
        return
    out.write(f'  <testsuite name="slalint" {counts} skipped="0">\n')
    for path in paths:
        name = _attribute(path)
        findings = by_path.get(path)
        if not findings:
            out.write(f"    <testcase classname={name} name={name} />\n")
            continue
        out.write(f"    <testcase classname={name} name={name}>\n")
        for finding in findings:
            span = finding.span
            message = _attribute(f"{finding.code}: {finding.message}")
            text = _text(
                f"{span.path}:{span.line}:{span.column}: {finding.code} [{finding.severity}] {finding.message}"
            )
            out.write(f'      <failure message={message} type="{finding.severity}">{text}</failure>\n')
        out.write("    </testcase>\n")
    out.write("  </testsuite>\n</testsuites>\n")
