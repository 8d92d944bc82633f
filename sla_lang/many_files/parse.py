"""Parsing many files: from the cache where possible, the rest shared
between this process and child processes (processes.py) when there are
enough of them to pay for starting the children (worker_count's threshold;
docs/performance.md has the figures).
"""

from __future__ import annotations

import pickle

from ..source import SourceFile
from .cache import ParseCache
from .processes import ChildProcesses, WorkQueue, worker_count

# Files are parsed in chunks that each process takes in turn (processes.WorkQueue):
# small enough that no process waits long for another at the end, large
# enough that a child sends a few dozen KB at a time.
CHUNK = 8

_parser = None  # built once per process; a forked child inherits it


def parse_sources(sources: list[SourceFile], cache: ParseCache, jobs: int | None = None) -> list:
    """A ParsedFile for each source, in order."""
    from ..syntax.parser import ParsedFile

    parsed: dict[str, object] = {}
    misses: list[SourceFile] = []
    for source in sources:
        hit = cache.get(source)
        if hit is None:
            misses.append(source)
        else:
            parsed[source.path] = hit
    processes = worker_count(jobs, len(misses))
    size = max(CHUNK, -(-len(misses) // WorkQueue.MOST_SHARED))
    chunks = [misses[start : start + size] for start in range(0, len(misses), size)]
    parser = _shared_parser()
    done: set[int] = set()  # chunks parsed, here or in a child

    def parse_here(number: int) -> None:
        for source in chunks[number]:
            parsed[source.path] = result = parser.parse(source)
            cache.put(result)
        done.add(number)

    def take(sent: tuple[int, list[bytes]]) -> None:
        number, results = sent
        for source, data in zip(chunks[number], results, strict=True):
            declarations, comments, findings = pickle.loads(data)
            parsed[source.path] = ParsedFile(source, declarations, comments, findings)
        done.add(number)

    queue = WorkQueue(len(chunks), processes)
    work = []
    for taken in map(queue.numbers_for, range(1, processes)):
        # A forked child inherits every chunk without a copy; a spawned one receives only its own.
        work.append((chunks if queue.shared else {number: chunks[number] for number in taken}, taken, cache))
    try:
        with ChildProcesses(_parse_chunks, work) as children:
            for number in queue.numbers_for(0):
                parse_here(number)
                for child in range(processes - 1):
                    for sent in children.ready(child):
                        take(sent)
            for child in range(processes - 1):
                for sent in children.sent(child):
                    take(sent)
    finally:
        queue.close()
    for number in range(len(chunks)):
        if number not in done:  # taken by a child that failed: parsed here, where an error shows
            parse_here(number)
    return [parsed[source.path] for source in sources]


def _shared_parser():
    global _parser
    if _parser is None:
        from ..syntax.parser import AgreementParser

        _parser = AgreementParser()
    return _parser


def _parse_chunks(work: tuple):
    """In a child: parse each chunk it takes, store the results in the cache,
    and yield them pickled with the chunk's number."""
    chunks, taken, cache = work
    parser = _shared_parser()
    for number in taken:
        results = []
        for source in chunks[number]:
            result = parser.parse(source)
            data = pickle.dumps((result.declarations, result.comments, result.findings), pickle.HIGHEST_PROTOCOL)
            cache.store(source, data)
            results.append(data)
        yield number, results
