"""Parsing many files: from the cache where possible, the rest shared
between this process and child processes (sla_lang/parallel.py) when there
are enough of them to pay for it.

Measured (../shared/research/perf-facts.md §1.3): two processes parse 2,000
files 1.98x faster than one, but gain nothing below about 50-100 files;
hence the threshold (docs/performance.md has slalint's own figures).
"""

from __future__ import annotations

import pickle

from .cache import ParseCache
from .parallel import Children, worker_count
from .source import SourceFile

# Files are split equally: a child also pickles what it parses (0.18 ms a
# file, against 1.4 ms to parse one) and this process unpickles it (0.12 ms),
# and giving this process 0.96 or 1.04 of an equal share measured slower.
BATCH = 8  # files a child sends at a time (about 40 KB)

_parser = None  # built once per process; a forked child inherits it


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
    processes = worker_count(jobs, len(misses))
    own, *parts = [misses[i * len(misses) // processes : (i + 1) * len(misses) // processes] for i in range(processes)]
    parser = _shared_parser()
    done = [0] * len(parts)  # files of each part received from its child

    def parse_here(source: SourceFile) -> None:
        parsed[source.path] = result = parser.parse(source)
        cache.put(result)

    def take(index: int, batch: list[bytes]) -> None:
        part = parts[index]
        for source, data in zip(part[done[index] : done[index] + len(batch)], batch, strict=True):
            declarations, comments, findings = pickle.loads(data)
            parsed[source.path] = ParsedFile(source, declarations, comments, findings)
        done[index] += len(batch)

    with Children(_parse_part, [(part, cache) for part in parts]) as children:
        for number, source in enumerate(own):
            parse_here(source)
            if number % 4 == 0:
                for index in range(len(parts)):
                    for batch in children.ready(index):
                        take(index, batch)
        for index, part in enumerate(parts):
            for batch in children.sent(index):
                take(index, batch)
            for source in part[done[index] :]:  # what a failed child left: parsed here, where an error shows
                parse_here(source)
    return [parsed[source.path] for source in sources]


def _shared_parser():
    global _parser
    if _parser is None:
        from .syntax.parser import AgreementParser

        _parser = AgreementParser()
    return _parser


def _parse_part(work: tuple[list[SourceFile], ParseCache]):
    """In a child: parse, store in the cache, and yield the results pickled, a batch at a time."""
    sources, cache = work
    parser = _shared_parser()
    batch: list[bytes] = []
    for source in sources:
        result = parser.parse(source)
        data = pickle.dumps((result.declarations, result.comments, result.findings), pickle.HIGHEST_PROTOCOL)
        cache.store(source, data)
        batch.append(data)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
