"""Caches: of parsed files (a file whose content, path, slalint version and
grammar are unchanged is not parsed again), and of whole results (a check of
the same files, packs, settings and date answers from the cache).

Entries are pickles of the parse result (declarations before resolution,
comments, language findings) in slalint's own 0700 cache directory, each
authenticated by a MAC under the user's own key (paths.UserCache): an entry
without a valid MAC, whoever wrote it, is parsed again and overwritten, never
unpickled. Each version of slalint and of the grammar gets its own
sub-directory, so a change to either starts from a clean cache.

The parse cache is bounded: entries are spread over 256 shards by their hash,
and a run that writes into a shard first trims it to its share of
MAX_GENERATION_BYTES (oldest entries first), so the cost of keeping the bound
is one small directory listing per shard written, never a walk of the cache.
A new generation deletes all but the one generation used before it.
"""

from __future__ import annotations

import os
import pickle

from .. import __version__
from ..reading.paths import PACKAGE_DIR, cache_hash, data_dir, user_cache

# 256 MiB in all: 128 MiB for the generation in use and as much for the one
# before (another version of slalint may be in use beside this one). About
# 5 KB an agreement file: some 25,000 files per generation.
MAX_GENERATION_BYTES = 128 * 1024 * 1024
SHARDS = 256
MAX_SHARD_BYTES = MAX_GENERATION_BYTES // SHARDS
MAX_SHARD_ENTRIES = 512  # and so many entries, which bounds the listing too


def _generation() -> str:
    """Names the parse cache's generation: slalint's version and its code and
    grammar (a parse result holds findings, nodes and messages that several
    modules make; a source checkout changes them without changing the version)."""
    digest = cache_hash(__version__.encode())
    digest.update(code_state().encode())
    return digest.hexdigest()[:20]


class ParseCache:
    def __init__(self, enabled: bool = True, writes: bool = True) -> None:
        """`writes=False` reads what other runs stored and stores nothing: storing
        costs about half as much again as parsing, which a one-off run (a diff in
        CI) never gets back."""
        self.directory = None
        self.writes = writes
        self.user_cache = user_cache() if enabled else None
        if self.user_cache is not None:
            self.directory = self.user_cache.path("parsed", _generation())
        self._trimmed: set[str] = set()  # the shards this process has written to

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
        from ..findings import Finding
        from ..model.nodes import Agreement, Metric, Party
        from ..syntax.build import Comment
        from ..syntax.parser import ParsedFile

        data = self.user_cache.read(self._entry(source.path, source.text))
        if data is None:
            return None
        try:
            declarations, comments, findings = pickle.loads(data)
            if not (
                _list_of(declarations, (Party, Metric, Agreement))
                and _list_of(comments, Comment)
                and _list_of(findings, Finding)
            ):
                return None
        except Exception:  # of another shape (yet authenticated): parse again and overwrite it
            return None

        return ParsedFile(source, declarations, comments, findings)

    def put(self, parsed) -> None:
        if self.directory is not None and self.writes:
            data = pickle.dumps((parsed.declarations, parsed.comments, parsed.findings), pickle.HIGHEST_PROTOCOL)
            self.store(parsed.source, data)

    def store(self, source, data: bytes) -> None:
        """Store an already pickled (declarations, comments, findings) for `source`."""
        if self.directory is None or not self.writes:
            return
        entry = self._entry(source.path, source.text)
        first = not self._trimmed
        if first and not os.path.isdir(self.directory):
            _remove_old_generations(self.directory)
        if self.user_cache.write(entry, data):
            if first:  # the generation is in use: the last one _remove_old_generations keeps
                _touch(self.directory)
            shard = os.path.dirname(entry)
            if shard not in self._trimmed:
                self._trimmed.add(shard)
                _trim(shard, MAX_SHARD_ENTRIES, MAX_SHARD_BYTES)


def _trim(directory: str, max_entries: int, max_bytes: int | None = None) -> None:
    """Delete the oldest entries of `directory` until it holds at most
    `max_entries` entries and `max_bytes` bytes (a file of another process may
    vanish meanwhile: that is fine)."""
    entries = []
    try:
        with os.scandir(directory) as listing:
            for entry in listing:
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                entries.append((info.st_mtime_ns, info.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    entries.sort()
    for count, (_, size, path) in enumerate(entries):
        if (max_bytes is None or total <= max_bytes) and len(entries) - count <= max_entries:
            break
        try:
            os.unlink(path)
        except OSError:
            pass
        total -= size


def _touch(path: str) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def _remove_old_generations(current: str) -> None:
    """On starting a generation: delete the others but the last one used."""
    import shutil

    parent = os.path.dirname(current)
    try:
        with os.scandir(parent) as listing:
            others = sorted((e.stat().st_mtime_ns, e.path) for e in listing if e.is_dir(follow_symlinks=False))
    except OSError:
        return
    for _, path in others[:-1]:
        shutil.rmtree(path, ignore_errors=True)


def _list_of(value, types) -> bool:
    """Whether a cache entry holds what it should: a corrupt or foreign one is ignored."""
    return type(value) is list and all(isinstance(item, types) for item in value)


_CODE_STATE: list[str] = []


def code_state() -> str:
    """A digest of the content of every file of slalint: its modules, grammars
    and built-in packs (worked out once per process).
    Cached results depend on all of them, and only the content tells: a rule's
    severity edited in place can leave a module's size as it was, and builds
    that are reproducible give every file the same modification time."""
    if not _CODE_STATE:
        # Each file is named by its place within its root, so a source checkout
        # (grammar/ beside the package) and a wheel (grammar/ inside it) with the
        # same files agree.
        data = {name: data_dir(name) for name in ("grammar", "policies")}
        digest = cache_hash()
        for label, root in (("sla_lang", PACKAGE_DIR), *data.items()):
            for directory, subdirectories, names in os.walk(root):
                subdirectories[:] = sorted(
                    name
                    for name in subdirectories
                    if name != "__pycache__" and os.path.join(directory, name) not in data.values()
                )
                for name in sorted(names):
                    path = os.path.join(directory, name)
                    digest.update(f"{label}/{os.path.relpath(path, root)}".encode("utf-8", "surrogatepass") + b"\0")
                    digest.update(_content_digest(path))
        _CODE_STATE.append(digest.hexdigest())
    return _CODE_STATE[0]


def _content_digest(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return cache_hash(handle.read()).digest()
    except OSError:
        return b"unreadable"


class ResultCache:
    """The findings of a whole check, keyed by everything they depend on.

    Rules look across files, so a per-file result cache would be wrong; the
    key covers every file of the workspace. Only the most recent results are
    kept (one per combination of files checked, in practice).
    """

    KEEP = 16

    def __init__(self, enabled: bool = True) -> None:
        self.user_cache = user_cache() if enabled else None
        self.directory = self.user_cache.path("results") if self.user_cache else None

    def key(self, sources: dict, unreadable: list, packs: list, settings, today, report_set, stdin: bool) -> str:
        if self.directory is None:
            return ""  # no cache to look in: hashing every file would be wasted
        digest = cache_hash(f"{__version__}\0{_generation()}\0{today}\0{stdin}".encode())
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
        from ..findings import Finding

        data = self.user_cache.read(os.path.join(self.directory, key + ".pickle"))
        if data is None:
            return None
        try:
            findings = pickle.loads(data)
        except Exception:  # of another shape (yet authenticated): check again
            return None
        return findings if _list_of(findings, Finding) else None

    def put(self, key: str, findings: list) -> None:
        if self.directory is None:
            return
        try:
            data = pickle.dumps(findings, pickle.HIGHEST_PROTOCOL)
        except RecursionError:
            return
        if self.user_cache.write(os.path.join(self.directory, key + ".pickle"), data):
            _trim(self.directory, self.KEEP)
