"""Caches: of parsed files (a file whose content, path, slalint version and
grammar are unchanged is not parsed again), and of whole results (a check of
the same files, packs, settings and date answers from the cache).

Entries are pickles of the parse result (declarations before resolution,
comments, language findings) in slalint's own 0700 cache directory (see
paths.user_cache_dir: a pickle from a directory others can write to would run
their code). Each version of slalint and of the grammar gets its own
sub-directory, so a change to either starts from a clean cache. Entries are
written atomically; an unreadable or corrupt entry is parsed again and
overwritten, never trusted.
"""

from __future__ import annotations

import os
import pickle

from . import __version__
from .paths import cache_hash, grammar_path, user_cache_dir, write_atomically

# What a parse result depends on besides the file: the grammar and the code
# that builds the model from it. A change to any of them starts a new generation
# (a released version changes __version__ too, but a checkout may not).
_PARSER_SOURCES = (
    "syntax/build.py",
    "syntax/parser.py",
    "syntax/lalr.py",
    "model/nodes.py",
    "model/schema.py",
    "values.py",
    "source.py",
    "language_rules.py",  # the name and severity of SL0xx findings, SL009's message
)


def _generation() -> str:
    """Names the cache generation: slalint's version, the grammar and the parser's code."""
    digest = cache_hash(__version__.encode())
    package = os.path.dirname(os.path.abspath(__file__))
    for path in (grammar_path("agreement.lark"), *(os.path.join(package, name) for name in _PARSER_SOURCES)):
        try:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(path.encode())
    return digest.hexdigest()[:20]


class ParseCache:
    def __init__(self, enabled: bool = True) -> None:
        self.directory = None
        base = user_cache_dir() if enabled else None
        if base is not None:
            self.directory = os.path.join(base, "parsed", _generation())

    def _entry(self, path: str, text: str) -> str:
        digest = cache_hash(path.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        name = digest.hexdigest()
        return os.path.join(self.directory, name[:2], name[2:] + ".pickle")

    def get(self, source):
        """The cached ParsedFile for `source`, or None."""
        if self.directory is None:
            return None
        from .findings import Finding
        from .model.nodes import Agreement, Metric, Party
        from .syntax.build import Comment
        from .syntax.parser import ParsedFile

        try:
            with open(self._entry(source.path, source.text), "rb") as handle:
                declarations, comments, findings = pickle.load(handle)
            if not (
                _list_of(declarations, (Party, Metric, Agreement))
                and _list_of(comments, Comment)
                and _list_of(findings, Finding)
            ):
                return None
        except Exception:  # missing or corrupt: parse again and overwrite it
            return None

        return ParsedFile(source, declarations, comments, findings)

    def put(self, parsed) -> None:
        if self.directory is not None:
            data = pickle.dumps((parsed.declarations, parsed.comments, parsed.findings), pickle.HIGHEST_PROTOCOL)
            self.store(parsed.source, data)

    def store(self, source, data: bytes) -> None:
        """Store an already pickled (declarations, comments, findings) for `source`."""
        if self.directory is None:
            return
        entry = self._entry(source.path, source.text)
        try:
            os.makedirs(os.path.dirname(entry), mode=0o700, exist_ok=True)
            write_atomically(entry, data)
        except (OSError, RecursionError):
            pass  # a cache that cannot be written only costs time


def _list_of(value, types) -> bool:
    """Whether a cache entry holds what it should: a corrupt or foreign one is ignored."""
    return type(value) is list and all(isinstance(item, types) for item in value)


def _code_state() -> str:
    """Size and modification time of every module of slalint: results depend on
    the rules engine and checks too, and a source checkout changes them without
    changing the version."""
    package = os.path.dirname(os.path.abspath(__file__))
    state = []
    for directory, _, names in os.walk(package):
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(directory, name))
                state.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return cache_hash("\n".join(sorted(state)).encode()).hexdigest()


class ResultCache:
    """The findings of a whole check, keyed by everything they depend on.

    Rules look across files, so a per-file result cache would be wrong; the
    key covers every file of the workspace. Only the most recent results are
    kept (one per combination of files checked, in practice).
    """

    KEEP = 16

    def __init__(self, enabled: bool = True) -> None:
        base = user_cache_dir() if enabled else None
        self.directory = os.path.join(base, "results") if base else None

    def key(self, sources: dict, unreadable: list, packs: list, settings, today, report_set, stdin: bool) -> str:
        if self.directory is None:
            return ""  # no cache to look in: hashing every file would be wasted (10 ms for 2,000 files)
        digest = cache_hash(f"{__version__}\0{_generation()}\0{_code_state()}\0{today}\0{stdin}".encode())
        for path in sorted(sources):
            digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
            digest.update(cache_hash(sources[path].text.encode("utf-8", "surrogatepass")).digest())
        for finding in unreadable:
            digest.update(f"{finding.span.path}\0{finding.message}".encode("utf-8", "surrogatepass"))
        for pack in packs:
            digest.update(pack.digest.encode())
        chosen = (
            settings.select, settings.ignore, sorted(settings.severity.items()),
            sorted(settings.per_file_ignores.items()), settings.exclude, settings.root, settings.max_file_size,
            settings.inline_suppressions,
        )  # fmt: skip
        digest.update(repr((chosen, sorted(report_set))).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str):
        if self.directory is None:
            return None
        from .findings import Finding

        try:
            with open(os.path.join(self.directory, key + ".pickle"), "rb") as handle:
                findings = pickle.load(handle)
        except Exception:  # missing or corrupt: check again
            return None
        return findings if _list_of(findings, Finding) else None

    def put(self, key: str, findings: list) -> None:
        if self.directory is None:
            return
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            write_atomically(
                os.path.join(self.directory, key + ".pickle"), pickle.dumps(findings, pickle.HIGHEST_PROTOCOL)
            )
            entries = sorted(os.scandir(self.directory), key=lambda e: e.stat().st_mtime, reverse=True)
            for stale in entries[self.KEEP :]:
                os.unlink(stale.path)
        except (OSError, RecursionError):
            pass
