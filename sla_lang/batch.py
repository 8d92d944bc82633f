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

# A child parses a file (about 1.4 ms) and pickles it (0.18 ms); this process
# unpickles it (0.12 ms) besides parsing its own. An equal split measured
# best (0.96 and 1.04 of it were slower).
OWN_SHARE = 1.0
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
    own, parts = _split(misses, worker_count(jobs, len(misses)))
    parser = _shared_parser()
    done = [0] * len(parts)  # files of each part received from its child

    def take(index: int, batch: list[bytes]) -> None:
        part = parts[index]
        for source, data in zip(part[done[index] : done[index] + len(batch)], batch, strict=True):
            declarations, comments, findings = pickle.loads(data)
            parsed[source.path] = ParsedFile(source, declarations, comments, findings)
        done[index] += len(batch)

    with Children(_parse_part, [(part, cache) for part in parts]) as children:
        for number, source in enumerate(own):
            result = parser.parse(source)
            cache.put(result)
            parsed[source.path] = result
            if number % 4 == 0:
                for index in range(len(parts)):
                    for batch in children.ready(index):
                        take(index, batch)
        for index, part in enumerate(parts):
            for batch in children.sent(index):
                take(index, batch)
            for source in part[done[index] :]:  # what a failed child left: parsed here, where an error shows
                parsed[source.path] = result = parser.parse(source)
                cache.put(result)
    return [parsed[source.path] for source in sources]


def _split(files: list, processes: int) -> tuple[list, list[list]]:
    """This process's share of `files`, and a part for each child."""
    if processes < 2:
        return files, []
    own = round(len(files) / processes * OWN_SHARE)
    rest = files[own:]
    children = processes - 1
    return files[:own], [rest[i * len(rest) // children : (i + 1) * len(rest) // children] for i in range(children)]


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
