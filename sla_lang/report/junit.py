"""JUnit XML, for CI services that show test reports (GitLab, Jenkins, Azure).

One test case per finding, in the class named by the file's path, named
`CODE line:col`: a finding at or above `--fail-on` is a `<failure>` (its
`type` the severity); one below it passes, its text in `<system-out>`, which
Jenkins and Azure show with the case (GitLab shows only failures' texts). A
file without findings is one passing case, `no findings`, so a clean file
shows as passed. `tests` counts the cases and `failures` the failing ones.
Each finding's case also has `file` (GitLab links it) and `line`.

Written by hand, a line at a time, in the layout ElementTree would give:
paths and messages shown `visible` (XML cannot hold most control characters
at all), then escaped for XML.
"""

from __future__ import annotations

from itertools import groupby

from ..findings import SEVERITY_RANK
from .escape import visible

# Besides the controls that `visible` shows, XML 1.0 cannot hold these two at all.
_NOT_XML = {0xFFFE: "\\ufffe", 0xFFFF: "\\uffff"}
_IN_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"} | _NOT_XML
_IN_ATTRIBUTE = _IN_TEXT | {ord('"'): "&quot;"}
CLEAN_FILE_CASE = "no findings"


def _text(text: str) -> str:
    return visible(text).translate(_IN_TEXT)


def _attribute(text: str) -> str:
    return '"' + visible(text).translate(_IN_ATTRIBUTE) + '"'


def write(result, settings, out) -> None:
    threshold = SEVERITY_RANK.get(settings.fail_on, len(SEVERITY_RANK))  # "never": above every severity

    def fails(finding) -> bool:
        return SEVERITY_RANK[finding.severity] >= threshold

    with_findings = {finding.span.path for finding in result.findings}
    clean = set(result.sources) - with_findings
    tests = len(result.findings) + len(clean)
    counts = f'tests="{tests}" failures="{sum(map(fails, result.findings))}" errors="0"'
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="slalint" {counts}>\n')
    if not tests:
        out.write(f'  <testsuite name="slalint" {counts} skipped="0" />\n</testsuites>\n')
        return
    out.write(f'  <testsuite name="slalint" {counts} skipped="0">\n')
    by_path = dict.fromkeys(clean, ()) | {
        path: list(group) for path, group in groupby(result.findings, key=lambda finding: finding.span.path)
    }
    for path in sorted(by_path):
        classname = _attribute(path)
        if path in clean:
            out.write(f'    <testcase classname={classname} name="{CLEAN_FILE_CASE}" file={classname} />\n')
        for finding in by_path[path]:
            span = finding.span
            name = _attribute(f"{finding.code} {span.line}:{span.column}")
            out.write(f'    <testcase classname={classname} name={name} file={classname} line="{span.line}">\n')
            text = _text(f"{path}:{span.line}:{span.column}: {finding.code} [{finding.severity}] {finding.message}")
            if fails(finding):
                message = _attribute(f"{finding.code}: {finding.message}")
                out.write(f'      <failure message={message} type="{finding.severity}">{text}</failure>\n')
            else:
                out.write(f"      <system-out>{text}</system-out>\n")
            out.write("    </testcase>\n")
    out.write("  </testsuite>\n</testsuites>\n")
