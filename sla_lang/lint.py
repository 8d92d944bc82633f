"""The pipeline in one function that reads top to bottom: load the policy
packs, discover and read the files, parse them, resolve the workspace,
evaluate the rules, filter the findings (selection, suppressions, baseline).
Printing is the reporters' business."""

from __future__ import annotations

import datetime
import os
import re

from .catalogue import rule_catalogue
from .config import gate_warnings
from .config.settings import Settings
from .filtering.selection import RuleSelection, excluded
from .filtering.stage import at_most_per_file, filter_findings, only_new
from .findings import Finding, RuleInfo, sort_findings
from .language_rules import language_finding
from .reading.discover import discover, display_path
from .source import DEFAULT_MAX_FILE_SIZE, SourceFile, UnreadableFile, decode, file_start, read_source

# An `slo` attribute in an agreement's text: its findings then depend on SLO files as well.
_SLO_ATTRIBUTE = re.compile(r"\bslo\s*:")


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
    slo_files=None,
) -> Analysis:
    """Language and policy findings for `sources`, taken as one workspace.
    `slo_files()` gives where the SLO files that objectives name are read from
    (slo/files.py; by default the working tree under the current directory),
    asked only when one is named."""
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
    resolve_slo_links(workspace, slo_files, cache, jobs)
    visited = len(report_paths) if report_paths is not None else len(sources)
    processes = worker_count(jobs, visited)
    findings.extend(run_rules_in_parallel(processes, rules, workspace, today, report_paths, extra_globals))
    return Analysis(findings, comments)


def resolve_slo_links(workspace, slo_files=None, cache=None, jobs: int | None = None) -> None:
    """The resolve stage's last step: the SLO each objective names, read only when
    one is named (slo/resolve.py), from `slo_files()` or the working tree under
    the current directory."""
    if _names_an_slo(workspace):
        from .slo.files import WorkTreeFiles
        from .slo.resolve import resolve_slos

        files = slo_files() if slo_files else WorkTreeFiles(os.getcwd(), DEFAULT_MAX_FILE_SIZE)
        resolve_slos(workspace, files, cache, jobs)


def _names_an_slo(workspace) -> bool:
    """Whether an objective names an SLO: only then are SLO files read (and their reader imported)."""
    return any(
        objective.slo_link is not None
        for agreement in workspace.agreements.values()
        for service in agreement.services
        for objective in service.objectives
    )


def lint(request: LintRequest) -> LintResult:
    """The findings of a check, as the settings select and filter them, with
    what the reporters need beside them (sources, the rule catalogue, warnings)."""
    from .policy.loader import load_packs

    settings = request.settings
    today = request.today or settings.today or datetime.date.today()
    base = settings.root or os.getcwd()
    warnings: list[str] = []

    # 1. Rules: the built-in packs and the user's, and which of them run.
    packs = load_packs(settings.policies)  # compiled packs are cached by content, always
    catalogue = rule_catalogue(packs)
    selection = RuleSelection(settings, catalogue)

    # 2. Files: those to report on, and the whole workspace under the root, read.
    files = _FilesToCheck(request, base)
    warnings += gate_warnings.nothing_runs(settings, selection, catalogue, files.found, files.reported)
    sources, findings = _read_sources(request, files, base)

    # 3-5. The findings, or those of the same check from the cache.
    check = _CachedCheck(request, packs, selection, catalogue, today)
    kept = check(sources, findings, files.report_set, _work_tree_slo_files(request, base))

    # 5b. With --new-since REF, only what is not found in the workspace as it is
    #     at REF (read from git's objects, checked with the same rules).
    if settings.new_since:
        kept = only_new(kept, _findings_at_ref(request, check, base))

    # 6. The baseline hides what was already known.
    hidden_by_baseline = 0
    if settings.baseline:
        kept, hidden_by_baseline = _without_baseline(settings, kept, base, warnings)

    kept, too_many = at_most_per_file(sort_findings(kept))
    warnings += too_many
    shown = files.report_set | {finding.span.path for finding in kept}
    return LintResult(
        sort_findings(kept),
        len(files.report_set),
        {path: source for path, source in sources.items() if path in shown},
        catalogue,
        warnings,
        new_since=settings.new_since,
        hidden_by_baseline=hidden_by_baseline,
    )


class _FilesToCheck:
    """The files named (less those excluded), the files missing, and the
    whole workspace: the named ones, then the rest under the root."""

    def __init__(self, request: LintRequest, base: str) -> None:
        settings = request.settings
        reported, self.missing = discover(request.paths)
        self.found = len(reported)
        # A named YAML file is an SLO file (a staged one, for the hooks): not read as an
        # agreement, but the findings that involve it are reported.
        slo_files = [p for p in reported if p.endswith((".yaml", ".yml"))]
        reported = [p for p in reported if not excluded(p, settings.exclude, base) and p not in slo_files]
        self.stdin_name = display_path(request.stdin[0]) if request.stdin else None
        if self.stdin_name:
            reported = [p for p in reported if p != self.stdin_name] + [self.stdin_name]
        self.reported = reported
        self.workspace = list(reported)
        if settings.root:
            everything, _ = discover([settings.root])
            known = set(reported)
            self.workspace += [p for p in everything if p not in known and not excluded(p, settings.exclude, base)]
        self.report_set = set(reported) | set(self.missing) | set(slo_files)
        if settings.new_since:
            self.report_set |= set(self.workspace)  # every new finding counts, wherever it is


def _read_sources(request: LintRequest, files: _FilesToCheck, base: str):
    """(path -> SourceFile of each file that can be read, an SL008 for each that cannot)."""
    max_size = request.max_file_size or request.settings.max_file_size
    findings = [
        language_finding("SL008", "cannot open: no such file or directory", file_start(path)) for path in files.missing
    ]
    sources: dict[str, SourceFile] = {}
    for path in files.workspace:
        try:
            if path == files.stdin_name:
                sources[path] = decode(path, request.stdin[1], max_size)
            else:
                sources[path] = read_workspace_file(path, base, max_size)
        except UnreadableFile as problem:
            findings.append(language_finding("SL008", str(problem), file_start(path)))
    return sources, findings


class _CachedCheck:
    """Steps 3 to 5 for a set of sources, answered from the result cache when
    no file, pack, setting or date has changed since (not with --base: git moves)."""

    def __init__(self, request: LintRequest, packs: list, selection, catalogue, today: datetime.date) -> None:
        from .many_files.cache import ParseCache, ResultCache

        self.request = request
        self.packs = packs
        self.rules = [rule for pack in packs for rule in pack.rules]
        self.selection = selection
        self.catalogue = catalogue
        self.today = today
        settings = request.settings
        self.results = ResultCache(enabled=settings.cache and not settings.base)
        self.parse_cache = ParseCache(enabled=settings.cache)

    def __call__(self, sources: dict[str, SourceFile], findings: list[Finding], report_set: set[str], slo_files):
        request = self.request
        if any(_SLO_ATTRIBUTE.search(source.text) for source in sources.values()):
            # The findings depend on SLO files too, which the key does not cover.
            return self.check(sources, findings, report_set, slo_files)
        key = self.results.key(
            sources, findings, self.packs, request.settings, self.today, report_set, request.stdin is not None
        )
        kept = self.results.get(key)
        if kept is None:
            kept = self.check(sources, findings, report_set, slo_files)
            self.results.put(key, kept)
        return kept

    def check(
        self, sources: dict[str, SourceFile], findings: list[Finding], report_set: set[str], slo_files=None
    ) -> list[Finding]:
        """Steps 3 to 5 of lint(): the findings of the files to report on."""
        # 3. Parse, resolve every reference across files, run the rules (with the
        #    agreements as they were at --base, for SL205).
        request, settings, cache = self.request, self.request.settings, self.parse_cache
        extra_globals = None
        if settings.base:
            from .reading.gitbase import agreements_at

            max_size = request.max_file_size or settings.max_file_size
            base = agreements_at(settings.base, settings.root, max_size, cache, request.jobs)
            extra_globals = {"base": base, "base_ref": settings.base}
        active = [rule for rule in self.rules if self.selection.enabled(rule.code)]
        analysis = analyse(
            list(sources.values()), active, self.today, report_set, extra_globals, cache, request.jobs, slo_files
        )

        # 4-5. Keep what is asked for, at the severity asked for, less what inline
        #      suppressions hide.
        return filter_findings(
            findings + analysis.findings,
            analysis.comments,
            {path: source.text for path, source in sources.items()},
            report_set,
            self.selection,
            self.catalogue,
            settings.inline_suppressions,
        )


def _findings_at_ref(request: LintRequest, check: _CachedCheck, base: str) -> list[Finding]:
    """The findings of the workspace as it is at --new-since REF."""
    from .reading.gitbase import sources_at

    settings = request.settings
    max_size = request.max_file_size or settings.max_file_size
    then_sources, then_findings = sources_at(
        settings.new_since, base, max_size, lambda path: excluded(path, settings.exclude, base)
    )
    then_report = set(then_sources) | {finding.span.path for finding in then_findings}

    def slo_files():
        from .reading.gitrefs import RefTree
        from .slo.files import RefFiles

        return RefFiles(RefTree(settings.new_since, base, "--new-since", unborn_head=True), base, max_size)

    return check(then_sources, then_findings, then_report, slo_files)


def _work_tree_slo_files(request: LintRequest, base: str):
    """SLO files as the working tree has them, inside the workspace root (read only when named)."""

    def files():
        from .slo.files import WorkTreeFiles

        return WorkTreeFiles(base, request.max_file_size or request.settings.max_file_size)

    return files


def _without_baseline(settings: Settings, kept: list[Finding], base: str, warnings: list[str]):
    """(the findings the baseline does not record, how many it hid); a baseline
    that cannot be read hides nothing and says why in `warnings`."""
    from .filtering.baseline import read_baseline, without_baseline

    recorded, warning = read_baseline(settings.baseline)
    if warning:
        warnings.append(warning)
    if recorded is None:
        return kept, 0
    fresh = without_baseline(kept, recorded, base)
    if warning := gate_warnings.baseline_hides_all(settings, kept, fresh):
        warnings.append(warning)
    return fresh, len(kept) - len(fresh)


def read_workspace_file(path: str, base: str, max_size: int) -> SourceFile:
    """A file of the workspace under `base`, read; UnreadableFile for one that
    cannot be read or is a symbolic link leading out of the workspace."""
    if _links_outside(path, base):
        raise UnreadableFile(
            "the file is a symbolic link to a place outside the workspace; slalint does not follow it "
            "(a pull request could otherwise make it print any file the CI job can read)"
        )
    return read_source(path, max_size)


def _links_outside(path: str, base: str) -> bool:
    """Whether `path` is a symlink (or lies under one) that leads out of `base`."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return False
    root = os.path.realpath(base)
    return os.path.commonpath([real, root]) != root
