"""The workspace of a language server, kept in memory between edits.

Every `.sla` file under the root is read and parsed once; an edit parses
again only the file edited (the editor's text wins over the disk's). Each
analysis resolves the whole workspace from the parsed declarations, runs the
rules for the open files and filters the findings as `check` does (lint.py's
stages: parse_sources, build_workspace, run_rules_in_parallel,
filter_findings), so the editor shows what `check` reports.

Paths are relative to the root, where the server runs: findings, messages
and per-file settings name files as `slalint check` run at the root does.
"""

from __future__ import annotations

import datetime
import os

from ..findings import Finding, sort_findings
from ..lint import read_workspace_file
from ..source import SourceFile, UnreadableFile, decode

# The editor sends whatever is in its buffer: past this, a document is
# reported as too large (SL008) instead of being parsed on every key press.
MAX_DOCUMENT_SIZE = 5 * 1024 * 1024


class ParsedSloFiles:
    """The SLO files of the last resolution, parsed, by their bytes (slo/resolve.py
    asks this as it asks the parse cache): every analysis reads the SLO files that
    objectives name again, from disk, but parses only those whose bytes changed."""

    def __init__(self) -> None:
        self._last: dict[bytes, object] = {}
        self._now: dict[bytes, object] = {}

    def get_by_content(self, kind: str, data: bytes, types: tuple):
        found = self._last.get(data)
        if found is not None:
            self._now[data] = found
        return found

    def put_by_content(self, kind: str, data: bytes, value) -> None:
        self._now[data] = value

    def next_resolution(self) -> None:
        """Keep only what the resolution just done read: memory stays that of the SLO files named now."""
        self._last, self._now = self._now, {}


class LiveWorkspace:
    """The files of one root, parsed, and the last resolved workspace."""

    def __init__(self, root: str, settings=None) -> None:
        from ..catalogue import rule_catalogue
        from ..config.settings import Settings
        from ..filtering.selection import RuleSelection
        from ..policy.loader import load_packs

        self.root = os.path.abspath(root)
        self.settings = settings or Settings(root=self.root)
        packs = load_packs(self.settings.policies, use_cache=self.settings.cache)
        self.catalogue = rule_catalogue(packs)
        self.selection = RuleSelection(self.settings, self.catalogue)
        self.rules = [rule for pack in packs for rule in pack.rules if self.selection.enabled(rule.code)]
        self.max_size = min(self.settings.max_file_size, MAX_DOCUMENT_SIZE)
        self.parsed: dict[str, object] = {}  # path -> ParsedFile
        self.unreadable: dict[str, Finding] = {}  # path -> its SL008
        self.open: set[str] = set()  # paths whose text is the editor's
        self.workspace = None  # the model/workspace.Workspace of the last analysis
        self._stale: set[str] = set()  # files whose nodes the last resolution changed beyond its links
        self._resolved: tuple[list[Finding], dict[str, list]] = ([], {})  # language findings, comments by path
        self._slo_parses = ParsedSloFiles()

    # Paths and membership.

    def path_of(self, absolute: str) -> str | None:
        """The workspace path of a file (relative to the root, '/' separators), or
        None when it lies outside the root or is excluded by the configuration."""
        from ..filtering.selection import excluded

        absolute = os.path.abspath(absolute)
        if os.path.commonpath([absolute, self.root]) != self.root or absolute == self.root:
            return None
        path = os.path.relpath(absolute, self.root).replace(os.sep, "/")
        if excluded(path, self.settings.exclude, self.root):
            return None
        return path

    def absolute(self, path: str) -> str:
        return os.path.join(self.root, path)

    # Loading and editing.

    def load(self) -> None:
        """Read and parse every file under the root (from the parse cache where it can)."""
        from ..filtering.selection import excluded
        from ..many_files.cache import ParseCache
        from ..reading.discover import discover

        found, _ = discover(["."])
        sources = []
        for path in found:
            if path in self.open or excluded(path, self.settings.exclude, self.root):
                continue
            try:
                sources.append(read_workspace_file(path, self.root, self.max_size))
            except UnreadableFile as problem:
                self._unreadable(path, str(problem))
        self._parse(sources, ParseCache(enabled=self.settings.cache))

    def edit(self, path: str, text: str) -> None:
        """The editor's text of `path`: parsed now, in place of the disk's."""
        self.open.add(path)
        self._take(path, text)

    def close(self, path: str) -> None:
        """The editor closed `path`: the file on disk counts again (none: the file is gone)."""
        self.open.discard(path)
        self.parsed.pop(path, None)
        self.unreadable.pop(path, None)
        if os.path.lexists(path):
            try:
                self._parse([read_workspace_file(path, self.root, self.max_size)])
            except UnreadableFile as problem:
                self._unreadable(path, str(problem))

    def saved_on_disk(self, path: str) -> None:
        """A file changed on disk (created, changed or deleted by another program):
        read again, unless the editor holds it open."""
        if path not in self.open:
            self.close(path)

    def text(self, path: str) -> str | None:
        parsed = self.parsed.get(path)
        return parsed.source.text if parsed is not None else None

    def _take(self, path: str, text: str) -> None:
        self.parsed.pop(path, None)
        self.unreadable.pop(path, None)
        try:
            source = decode(path, text.encode("utf-8", "surrogatepass"), self.max_size)
        except (UnreadableFile, UnicodeEncodeError) as problem:
            self._unreadable(path, str(problem))
            return
        self._parse([source])

    def _parse(self, sources: list[SourceFile], cache=None) -> None:
        from ..many_files.cache import ParseCache
        from ..many_files.parse import parse_sources

        for parsed in parse_sources(sources, cache or ParseCache(enabled=False), jobs=1 if len(sources) < 50 else None):
            self.parsed[parsed.source.path] = parsed

    def _unreadable(self, path: str, problem: str) -> None:
        from ..language_rules import language_finding
        from ..source import file_start

        self.unreadable[path] = language_finding("SL008", problem, file_start(path))

    # Analysis.

    def analyse(self, report: set[str]) -> dict[str, list[Finding]]:
        """The findings of each file in `report`, as `check` would report them
        for those files with the workspace around them."""
        self.resolve()
        return self.findings_for(report)

    def resolve(self) -> None:
        """Resolve the workspace from the parsed files (links of earlier resolutions cleared)."""
        from ..lint import resolve_slo_links
        from ..model.workspace import build_workspace
        from ..syntax.parser import unparsed_names

        declarations: list = []
        findings: list[Finding] = list(self.unreadable.values())
        comments: dict[str, list] = {}
        unparsed: dict[str, str] = {}
        for path in sorted(self.parsed):
            if path in self._stale:
                self._take(path, self.parsed[path].source.text)
            parsed = self.parsed[path]
            unresolve(parsed.declarations)
            declarations.extend(parsed.declarations)
            findings.extend(parsed.findings)
            comments[path] = parsed.comments
            for name in unparsed_names(parsed):
                unparsed.setdefault(name, path)
        workspace = build_workspace(declarations, unparsed)
        resolve_slo_links(workspace, cache=self._slo_parses)  # the server runs in the workspace root
        self._slo_parses.next_resolution()
        # SL003 from the resolution means it cleared a value that the file's
        # text gives (a `per` its metric cannot count): parse it again next time.
        self._stale = {finding.span.path for finding in workspace.findings if finding.code == "SL003"}
        self.workspace = workspace
        self._resolved = (findings + workspace.findings, comments)

    def findings_for(self, report: set[str]) -> dict[str, list[Finding]]:
        """The findings of each file in `report` in the workspace last resolved."""
        from ..filtering.stage import at_most_per_file, filter_findings
        from ..policy.engine import run_rules

        language, comments = self._resolved
        today = self.settings.today or datetime.date.today()
        linked = supports_component(self.workspace, report)
        findings = language + run_rules(self.rules, self.workspace, today, report, check_paths=linked)
        texts = {path: self.parsed[path].source.text for path in report if path in self.parsed}
        kept = filter_findings(
            findings, comments, texts, report, self.selection, self.catalogue, self.settings.inline_suppressions
        )
        kept, _ = at_most_per_file(sort_findings(kept))
        by_path: dict[str, list[Finding]] = {path: [] for path in report}
        for finding in kept:
            if finding.span.path in by_path:
                by_path[finding.span.path].append(finding)
        return by_path

    def linked_files(self, path: str) -> set[str]:
        """The files whose findings an edit of `path` is likely to change: those
        linked to it by `supports`, those it names, and those that name it (the
        server checks them at once, and every open file a moment later)."""
        workspace = self.workspace
        if workspace is None:
            return {path}
        linked = supports_component(workspace, {path})
        for node in (*workspace.parties.values(), *workspace.agreements.values()):
            named = {target.file for target in named_nodes(node) if not getattr(target, "builtin", False)}
            if node.file == path:
                linked |= named
            elif path in named:
                linked.add(node.file)
        return linked


def supports_component(workspace, paths: set[str]) -> set[str]:
    """`paths` and the files of every agreement linked to theirs by `supports`,
    in either direction and through any number of links: the built-in checks
    compare an agreement only with those, so findings about `paths` come from
    their nodes."""
    from ..model.nodes import Service

    seen: set = set()
    pending = [agreement for agreement in workspace.agreements.values() if agreement.file in paths]
    while pending:
        agreement = pending.pop()
        if agreement in seen:
            continue
        seen.add(agreement)
        for target in agreement.supports:
            pending.append(target.agreement if isinstance(target, Service) else target)
        pending.extend(agreement.supported_by)
    return set(paths) | {agreement.file for agreement in seen}


def named_nodes(node) -> list:
    """The nodes a party's or an agreement's references name (as resolved)."""
    from ..model.nodes import Party

    if isinstance(node, Party):
        return [node.organization] if node.organization is not None else []
    named = [node.provider, node.customer]
    named += [record.party for record in (*node.responsibilities, *node.signatures, *node.acceptances)]
    named += [objective.metric for service in node.services for objective in service.objectives]
    return [target for target in named if target is not None]


def unresolve(declarations: list) -> None:
    """Clear the links that model/workspace.build_workspace fills in, so that a
    file's parsed nodes can be resolved again in a changed workspace (as
    freshly parsed ones would be). The values it clears on an error are not
    restored here: the file is parsed again instead (LiveWorkspace._stale)."""
    from ..model.nodes import Agreement, Party

    for node in declarations:
        if isinstance(node, Party):
            node.organization = None
        elif isinstance(node, Agreement):
            node.provider = node.customer = node.consent = None
            node.supports = []
            node.supported_by = []
            node.whole_supporters = []
            for record in (*node.responsibilities, *node.signatures, *node.acceptances):
                record.party = None
            for service in node.services:
                service.own_supporters = []
                for objective in service.objectives:
                    objective.metric = objective.slo = objective.slo_problem = None
            for credit in node.all_credits:
                credit.objective = None
