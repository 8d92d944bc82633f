"""The pipeline in one function that reads top to bottom: load the policy
packs, discover and read the files, parse them, resolve the workspace,
evaluate the rules, filter the findings (selection, suppressions, baseline).
Printing is the reporters' business."""

from __future__ import annotations

import datetime
import os

from .catalogue import rule_catalogue
from .config import gate_warnings
from .config.settings import Settings
from .filtering.stage import at_most_per_file, filter_findings, only_new
from .findings import Finding, RuleInfo, sort_findings
from .language_rules import language_finding
from .reading.discover import discover, display_path
from .source import SourceFile, UnreadableFile, decode, file_start, read_source


class LintRequest:
    def __init__(
        self,
        paths: list[str],
        settings: Settings | None = None,
        today: datetime.date | None = None,
        stdin: tuple[str, bytes] | None = None,
        max_file_size: int | None = None,
        jobs: int | None = None,
    ) -> None:
        self.paths = paths
        self.settings = settings or Settings()
        self.today = today  # --today, else settings.today, else the system date
        self.stdin = stdin  # (the name to report it under, its bytes)
        self.max_file_size = max_file_size
        self.jobs = jobs  # parser processes; None: decide by the number of files


class LintResult:
    def __init__(
        self,
        findings: list[Finding],
        files_checked: int,
        sources: dict[str, SourceFile],
        rules: dict[str, RuleInfo] | None = None,
        warnings: list[str] | None = None,
        new_since: str | None = None,
        hidden_by_baseline: int = 0,
    ) -> None:
        self.findings = findings
        self.files_checked = files_checked
        self.sources = sources  # for code frames
        self.rules = rules or {}  # every known rule, for reporters
        self.warnings = warnings or []  # for stderr: an unreadable baseline, ...
        self.new_since = new_since  # --new-since REF: the findings are those not found at REF
        self.hidden_by_baseline = hidden_by_baseline  # findings the baseline hid (for the summary)


class Analysis:
    def __init__(self, findings: list[Finding], comments: dict[str, list]) -> None:
        self.findings = findings
        self.comments = comments  # path -> the file's comments (for suppressions)


def analyse(
    sources: list[SourceFile],
    rules: list,
    today: datetime.date,
    report_paths: set[str] | None = None,
    extra_globals: dict | None = None,
    cache=None,
    jobs: int | None = None,
) -> Analysis:
    """Language and policy findings for `sources`, taken as one workspace."""
    from .many_files.cache import ParseCache
    from .many_files.parse import parse_sources
    from .many_files.processes import worker_count
    from .model.workspace import build_workspace
    from .policy.engine import run_rules_in_parallel
    from .syntax.parser import unparsed_names

    findings: list[Finding] = []
    comments: dict[str, list] = {}
    declarations = []
    unparsed: dict[str, str] = {}  # ids that broken files seem to declare -> the file
    for parsed in parse_sources(sources, cache or ParseCache(enabled=False), jobs):
        source = parsed.source
        declarations.extend(parsed.declarations)
        findings.extend(parsed.findings)
        comments[source.path] = parsed.comments
        for name in unparsed_names(parsed):
            unparsed.setdefault(name, source.path)
    workspace = build_workspace(declarations, unparsed)
    findings.extend(workspace.findings)
    visited = len(report_paths) if report_paths is not None else len(sources)
    processes = worker_count(jobs, visited)
    findings.extend(run_rules_in_parallel(processes, rules, workspace, today, report_paths, extra_globals))
    return Analysis(findings, comments)


def lint(request: LintRequest) -> LintResult:
    from .filtering.selection import RuleSelection, excluded
    from .policy.loader import load_packs

    settings = request.settings
    today = request.today or settings.today or datetime.date.today()
    max_size = request.max_file_size or settings.max_file_size
    base = settings.root or os.getcwd()
    warnings: list[str] = []

    # 1. Rules: the built-in packs and the user's, and which of them run.
    packs = load_packs(settings.policies)  # compiled packs are cached by content, always
    rules = [rule for pack in packs for rule in pack.rules]
    catalogue = rule_catalogue(packs)
    selection = RuleSelection(settings, catalogue)

    # 2. Files: those to report on, and the whole workspace under the root.
    reported, missing = discover(request.paths)
    found = len(reported)
    reported = [p for p in reported if not excluded(p, settings.exclude, base)]
    stdin_name = display_path(request.stdin[0]) if request.stdin else None
    if stdin_name:
        reported = [p for p in reported if p != stdin_name] + [stdin_name]
    workspace_paths = list(reported)
    if settings.root:
        everything, _ = discover([settings.root])
        known = set(reported)
        workspace_paths += [p for p in everything if p not in known and not excluded(p, settings.exclude, base)]
    report_set = set(reported) | set(missing)
    if settings.new_since:
        report_set |= set(workspace_paths)  # every new finding counts, wherever it is
    warnings += gate_warnings.nothing_runs(settings, selection, catalogue, found, reported)

    findings: list[Finding] = [
        language_finding("SL008", "cannot open: no such file or directory", file_start(path)) for path in missing
    ]
    sources: dict[str, SourceFile] = {}
    for path in workspace_paths:
        try:
            if path != stdin_name and _links_outside(path, base):
                raise UnreadableFile(
                    "the file is a symbolic link to a place outside the workspace; slalint does not follow it "
                    "(a pull request could otherwise make it print any file the CI job can read)"
                )
            if path == stdin_name:
                sources[path] = decode(path, request.stdin[1], max_size)
            else:
                sources[path] = read_source(path, max_size)
        except UnreadableFile as problem:
            findings.append(language_finding("SL008", str(problem), file_start(path)))

    # 3-5. The findings, or those of the same check from the cache when no file,
    #      pack, setting or date has changed since (not with --base: git moves).
    from .many_files.cache import ParseCache, ResultCache

    results = ResultCache(enabled=settings.cache and not settings.base)
    parse_cache = ParseCache(enabled=settings.cache)

    def checked(sources: dict[str, SourceFile], findings: list[Finding], report_set: set[str]) -> list[Finding]:
        key = results.key(sources, findings, packs, settings, today, report_set, request.stdin is not None)
        kept = results.get(key)
        if kept is None:
            kept = _check_workspace(
                request, sources, findings, rules, selection, catalogue, today, report_set, parse_cache
            )
            results.put(key, kept)
        return kept

    kept = checked(sources, findings, report_set)

    # 5b. With --new-since REF, only what is not found in the workspace as it is
    #     at REF (read from git's objects, checked with the same rules).
    if settings.new_since:
        from .reading.gitbase import sources_at

        then_sources, then_findings = sources_at(
            settings.new_since, base, max_size, lambda path: excluded(path, settings.exclude, base)
        )
        then_report = set(then_sources) | {finding.span.path for finding in then_findings}
        kept = only_new(kept, checked(then_sources, then_findings, then_report))

    # 6. The baseline hides what was already known.
    hidden_by_baseline = 0
    if settings.baseline:
        from .filtering.baseline import read_baseline, without_baseline

        recorded, warning = read_baseline(settings.baseline)
        if warning:
            warnings.append(warning)
        if recorded is not None:
            fresh = without_baseline(kept, recorded, base)
            if warning := gate_warnings.baseline_hides_all(settings, kept, fresh):
                warnings.append(warning)
            hidden_by_baseline = len(kept) - len(fresh)
            kept = fresh

    kept, too_many = at_most_per_file(sort_findings(kept))
    warnings += too_many
    files_checked = len(report_set)
    shown = report_set | {finding.span.path for finding in kept}
    shown_sources = {p: s for p, s in sources.items() if p in shown}
    return LintResult(
        sort_findings(kept),
        files_checked,
        shown_sources,
        catalogue,
        warnings,
        new_since=settings.new_since,
        hidden_by_baseline=hidden_by_baseline,
    )


def _check_workspace(
    request: LintRequest,
    sources: dict[str, SourceFile],
    findings: list[Finding],
    rules: list,
    selection,
    catalogue: dict[str, RuleInfo],
    today: datetime.date,
    report_set: set[str],
    cache,
) -> list[Finding]:
    """Steps 3 to 5 of lint(): the findings of the files to report on."""
    # 3. Parse, resolve every reference across files, run the rules (with the
    #    agreements as they were at --base, for SL205).
    settings = request.settings
    extra_globals = None
    if settings.base:
        from .reading.gitbase import agreements_at

        max_size = request.max_file_size or settings.max_file_size
        base = agreements_at(settings.base, settings.root, max_size, cache, request.jobs)
        extra_globals = {"base": base, "base_ref": settings.base}
    active = [rule for rule in rules if selection.enabled(rule.code)]
    analysis = analyse(list(sources.values()), active, today, report_set, extra_globals, cache, request.jobs)
    findings = findings + analysis.findings

    # 4-5. Keep what is asked for, at the severity asked for, less what inline
    #      suppressions hide.
    return filter_findings(
        findings,
        analysis.comments,
        {path: source.text for path, source in sources.items()},
        report_set,
        selection,
        catalogue,
        settings.inline_suppressions,
    )


def _links_outside(path: str, base: str) -> bool:
    """Whether `path` is a symlink (or lies under one) that leads out of `base`."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return False
    root = os.path.realpath(base)
    return os.path.commonpath([real, root]) != root
