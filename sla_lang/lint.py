"""The pipeline in one function: discover, read, parse, resolve, evaluate,
filter. It returns findings; printing them is the reporters' business."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .discover import discover, display_path
from .findings import Finding, sort_findings
from .language_rules import language_finding
from .source import DEFAULT_MAX_FILE_SIZE, SourceFile, UnreadableFile, decode, file_start, read_source


@dataclass
class LintRequest:
    paths: list[str]
    today: datetime.date = field(default_factory=datetime.date.today)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stdin: tuple[str, bytes] | None = None  # (the name to report it under, its bytes)


@dataclass
class LintResult:
    findings: list[Finding]
    files_checked: int
    sources: dict[str, SourceFile]  # for code frames


def lint(request: LintRequest) -> LintResult:
    from .model.workspace import build_workspace
    from .syntax.parser import AgreementParser

    paths, missing = discover(request.paths)
    findings: list[Finding] = [
        language_finding("SL008", "cannot open: no such file or directory", file_start(path)) for path in missing
    ]
    sources: dict[str, SourceFile] = {}
    for path in paths:
        try:
            sources[path] = read_source(path, request.max_file_size)
        except UnreadableFile as problem:
            findings.append(language_finding("SL008", str(problem), file_start(path)))
    if request.stdin is not None:
        name, data = request.stdin
        name = display_path(name)
        try:
            sources[name] = decode(name, data, request.max_file_size)
        except UnreadableFile as problem:
            findings.append(language_finding("SL008", str(problem), file_start(name)))

    parser = AgreementParser()
    declarations = []
    for source in sources.values():
        parsed = parser.parse(source)
        declarations.extend(parsed.declarations)
        findings.extend(parsed.findings)
    workspace = build_workspace(declarations)
    findings.extend(workspace.findings)
    files_checked = len(paths) + len(missing) + (request.stdin is not None)
    return LintResult(sort_findings(findings), files_checked, sources)
