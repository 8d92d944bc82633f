"""Parsing many files: from the cache where possible, the rest in a process
pool when there are enough of them to pay for it.

Measured (../shared/research/perf-facts.md §1.3): two processes parse 2,000
files 1.98x faster than one, but a pool gains nothing below about 50-100
files, and pre-commit already spreads small batches over processes; hence
the threshold.
"""

from __future__ import annotations

import os
import pickle

from .cache import ParseCache
from .source import SourceFile

PARALLEL_THRESHOLD = 64

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
    workers = _worker_count(jobs, len(misses))
    if workers > 1:
        for source, data in zip(misses, _parse_in_pool(misses, cache, workers), strict=True):
            declarations, comments, findings = pickle.loads(data)
            parsed[source.path] = ParsedFile(source, declarations, comments, findings)
    elif misses:
        from .syntax.parser import AgreementParser

        parser = AgreementParser()
        for source in misses:
            result = parser.parse(source)
            cache.put(result)
            parsed[source.path] = result
    return [parsed[source.path] for source in sources]


def _worker_count(jobs: int | None, files: int) -> int:
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < PARALLEL_THRESHOLD:
        return 1
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(available, files // (PARALLEL_THRESHOLD // 2)))


def _parse_in_pool(sources: list[SourceFile], cache: ParseCache, workers: int) -> list[bytes]:
    import multiprocessing
    import sys

    # fork is cheapest where it is safe; elsewhere (and from Python 3.14 on, where
    # the default changes) name the method explicitly.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    chunk = max(1, len(sources) // (workers * 8))
    with context.Pool(workers, initializer=_start_worker, initargs=(cache.directory is not None,)) as pool:
        return list(pool.imap(_parse_one, sources, chunksize=chunk))


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
