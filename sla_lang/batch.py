"""Parsing many files: from the cache where possible, the rest in a process
pool when there are enough of them to pay for it.

Measured (../shared/research/perf-facts.md §1.3): two processes parse 2,000
files 1.98x faster than one, but a pool gains nothing below about 50-100
files; hence the threshold (docs/performance.md has slalint's own figures).
"""

from __future__ import annotations

import os
import pickle

from .cache import ParseCache
from .source import SourceFile

PARALLEL_THRESHOLD = 64
# The share of the files this process parses, relative to an equal split: a
# little more, because what a worker parses must also be pickled there (0.19 ms
# a file) and unpickled here (0.12 ms), against about 1.4 ms to parse one.
OWN_SHARE = 1.05

# Each pool worker builds its own parser (and cache handle) once, in _start_worker.
_worker_parser = None
_worker_cache: ParseCache | None = None


def parse_sources(sources: list[SourceFile], cache: ParseCache, jobs: int | None = None) -> list:
    """A ParsedFile for each source, in order."""
    from .syntax.parser import ParsedFile

    parsed: dict[str, object] = {}
    misses: list[SourceFile] = []
    for source in sources:
        hit = cache.get(source)
        if hit is None:
            misses.append(source)
        else:
            parsed[source.path] = hit
    workers = worker_count(jobs, len(misses))
    # With a pool, this process parses a share too instead of waiting.
    own = len(misses) if workers == 1 else round(len(misses) / workers * OWN_SHARE)
    from .syntax.parser import AgreementParser

    with _pool(workers - 1, cache) as pool, _quick_thread_switches(pool is not None):
        pending = pool.imap(_parse_one, misses[own:], _chunk(len(misses) - own, workers)) if pool else iter(())
        parser = AgreementParser()
        for source in misses[:own]:
            result = parser.parse(source)
            cache.put(result)
            parsed[source.path] = result
        for source, data in zip(misses[own:], pending, strict=True):
            declarations, comments, findings = pickle.loads(data)
            parsed[source.path] = ParsedFile(source, declarations, comments, findings)
    return [parsed[source.path] for source in sources]


class _quick_thread_switches:
    """While this process parses, the pool's threads here feed the workers
    and drain their results from the pipes, a few KB per turn. At Python's
    default of one thread switch per 5 ms, a worker waited for its pipe to be
    drained for about 0.3 s of a 2,000-file run; at 1 ms it does not."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self.previous = 0.0

    def __enter__(self) -> None:
        if self.active:
            import sys

            self.previous = sys.getswitchinterval()
            sys.setswitchinterval(0.001)

    def __exit__(self, *exc) -> None:
        if self.active:
            import sys

            sys.setswitchinterval(self.previous)


def worker_count(jobs: int | None, files: int) -> int:
    """Processes to use for `files` files: --jobs, else one per core from PARALLEL_THRESHOLD files on."""
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < PARALLEL_THRESHOLD:
        return 1
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(available, files // (PARALLEL_THRESHOLD // 2)))


def start_method() -> str:
    """fork where it is safe and cheapest; elsewhere (and from Python 3.14 on,
    where the default changes) the method is named explicitly."""
    import sys

    return "fork" if sys.platform.startswith("linux") else "spawn"


def _chunk(files: int, workers: int) -> int:
    return max(1, files // (workers * 8))


class _pool:
    """A process pool of `size` parser workers, or None when size is 0."""

    def __init__(self, size: int, cache: ParseCache) -> None:
        self.size = size
        self.cache = cache
        self.pool = None

    def __enter__(self):
        if self.size < 1:
            return None
        import multiprocessing

        context = multiprocessing.get_context(start_method())
        self.pool = context.Pool(self.size, initializer=_start_worker, initargs=(self.cache.directory is not None,))
        return self.pool

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate() if exc[0] else self.pool.close()
            self.pool.join()


def _start_worker(use_cache: bool) -> None:
    global _worker_parser, _worker_cache
    from .syntax.parser import AgreementParser

    _worker_parser = AgreementParser()
    _worker_cache = ParseCache(use_cache)


def _parse_one(source: SourceFile) -> bytes:
    """In a worker: parse, store in the cache, and hand the result back pickled once."""
    result = _worker_parser.parse(source)
    data = pickle.dumps((result.declarations, result.comments, result.findings), pickle.HIGHEST_PROTOCOL)
    _worker_cache.store(source, data)
    return data
