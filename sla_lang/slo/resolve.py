"""Resolving the `slo` of every objective: the file read once per run (from
the parse cache when its bytes were read before), the SLO found by name.

An objective ends with `slo` set to the SLO it names (model/nodes.Slo), or
with `slo_problem` set to (code, message, the file or None): SL702 when the SLO cannot be had,
SL705 when it is there but says nothing about one objective.
"""

from __future__ import annotations

import os
import posixpath

from ..model.nodes import Slo
from ..reading.yamlfile import YamlError
from ..source import Span
from ..values import Duration, Percent
from .files import Unreadable
from .formats import SloEntry, entries_of

MAX_LISTED = 5  # SLO names a message lists before "and N more"


def objectives_with_slo(workspace) -> list:
    return [
        objective
        for agreement in workspace.agreements.values()
        for service in agreement.services
        for objective in service.objectives
        if objective.slo_link is not None
    ]


def resolve_slos(workspace, files, cache=None, jobs: int | None = None) -> list[str]:
    """Fill in the SLO of every objective that names one; the SLO files read."""
    objectives = objectives_with_slo(workspace)
    if not objectives:
        return []
    wanted: dict = {}
    for objective in objectives:
        wanted[objective] = _split(objective)
    paths = sorted({path for path, _, problem in wanted.values() if problem is None})
    read = files.read_all(paths)
    parsed = _parse_all([data for data in read.values() if not isinstance(data, Unreadable)], cache, jobs)
    entries = {path: _entries(path, read[path], parsed) for path in paths}
    for objective, (path, name, problem) in wanted.items():
        if problem is None:
            found = entries[path]
            problem = found if isinstance(found, str) else None
            if problem is None:
                objective.slo, problem = _find(path, name, found)
        if problem is not None:
            code, message = problem if isinstance(problem, tuple) else ("SL702", problem)
            objective.slo_problem = (code, message, path)
    return paths


def _split(objective) -> tuple[str | None, str | None, str | None]:
    """(the file's path as reports show it, the name after `#` or None, a problem)."""
    link = objective.slo_link
    path, hashed, name = link.partition("#")
    if not path:
        return None, None, f"slo '{link[:80]}' names no file: write a path relative to this file, then '#' and the name"
    if "\\" in path or "\0" in path or "://" in path or path.startswith("/") or os.path.isabs(path):
        why = "is not a relative path with '/' separators: name the SLO file from this file's folder"
        return None, None, f"slo '{link[:80]}' {why}"
    directory = posixpath.dirname(objective.file)
    joined = posixpath.normpath(posixpath.join(directory, path)) if directory else posixpath.normpath(path)
    return joined, (name if hashed else None), None


def _entries(path: str, data, parsed: dict) -> list[SloEntry] | str:
    """The SLOs of one file, or why it has none to give (a problem is kept without
    the path, by content, and the message adds it)."""
    if isinstance(data, Unreadable):
        return f"cannot read the SLO file {path}: {data}"
    found = parsed[data]
    if isinstance(found, tuple):
        line, column, message = found
        return f"{path}:{line}:{column}: {message}"
    return found


def _parse_all(contents: list[bytes], cache, jobs: int | None) -> dict:
    """bytes -> what _parse gives for them: from the cache, else parsed (each
    content once), shared with child processes when there are many."""
    from ..many_files.processes import ChildProcesses, worker_count

    done: dict = {}
    misses = []
    for data in dict.fromkeys(contents):
        hit = cache.get_by_content("slo", data, (list, tuple)) if cache is not None else None
        if hit is None:
            misses.append(data)
        else:
            done[data] = hit
    processes = worker_count(jobs, len(misses))
    parts = [misses[index::processes] for index in range(processes)]
    with ChildProcesses(_parse_part, parts[1:]) as children:
        for data in parts[0]:
            done[data] = _parse(data)
        for child, part in enumerate(parts[1:]):
            for index, value in children.sent(child):
                done[part[index]] = value
    for data in misses:
        if data not in done:  # a child that failed: parsed here, where an error shows
            done[data] = _parse(data)
        if cache is not None:
            cache.put_by_content("slo", data, done[data])
    return done


def _parse_part(part: list[bytes]):
    """In a child process: what _parse gives for each file of its part, with its index."""
    for index, data in enumerate(part):
        yield index, _parse(data)


def _parse(data: bytes) -> list[SloEntry] | tuple[int, int, str]:
    from ..reading.yamldocs import load_documents

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return 1, 1, f"the SLO file is not valid UTF-8 (offset {error.start})"
    try:
        return entries_of(load_documents(text.removeprefix("\ufeff"), ""))
    except YamlError as error:
        return error.line, error.column, error.message
    except RecursionError:  # beyond what the event checks allow: never expected
        return 1, 1, "the SLO file nests too deeply"


def _find(path: str, name: str | None, entries: list[SloEntry]):
    """(the Slo, None) or (None, the problem)."""
    if not entries:
        return None, f"{path} holds no OpenSLO, Sloth or Pyrra SLO"
    if name is None:
        if len(entries) > 1:
            return None, f"{path} holds {len(entries)} SLOs ({_names(entries)}): name one after '#'"
        return _chosen(path, entries[0], None)
    same = [entry for entry in entries if entry.name == name]
    objective = None
    if not same and "/" in name:
        whole, _, objective = name.rpartition("/")
        same = [entry for entry in entries if entry.name == whole and entry.format == "openslo"]
    if not same:
        from ..hints import NameHints  # only on the error path

        hint = NameHints([entry.name for entry in entries]).closest(name[:200])
        return None, f"{path} holds no SLO named '{name[:80]}'{hint} (it holds {_names(entries)})"
    if len(same) > 1:
        lines = ", ".join(str(entry.line) for entry in same)
        return None, f"{path} holds several SLOs named '{name[:80]}' (lines {lines}): keep one of the names"
    return _chosen(path, same[0], objective)


def _names(entries: list[SloEntry]) -> str:
    names = [f"'{entry.name[:60]}'" for entry in entries[:MAX_LISTED]]
    more = f" and {len(entries) - MAX_LISTED} more" if len(entries) > MAX_LISTED else ""
    return ", ".join(names) + more


def _chosen(path: str, entry: SloEntry, wanted: str | None):
    if entry.problem is not None:
        message, line, column = entry.problem
        return None, f"{path}:{line}:{column}: SLO '{entry.name[:80]}': {message}"
    objectives = entry.objectives
    label = None
    if wanted is not None:
        matches = [(i, o) for i, o in enumerate(objectives, 1) if o.label == wanted or str(i) == wanted]
        if not matches:
            labels = ", ".join(f"'{o.label}'" if o.label else str(i) for i, o in enumerate(objectives, 1))
            found = f"(its objectives: {labels})"
            return None, f"SLO '{entry.name[:80]}' in {path} has no objective '{wanted[:80]}' {found}"
        position, chosen = matches[0]
        label = chosen.label or str(position)
    elif len(objectives) > 1:
        return None, (
            "SL705",
            f"SLO '{entry.name[:80]}' in {path} has {len(objectives)} objectives: name the one that watches this "
            f"objective as '#{entry.name[:80]}/DISPLAYNAME' or '#{entry.name[:80]}/POSITION'",
        )
    else:
        chosen = objectives[0]
        label = chosen.label
    span = Span(path, entry.line, entry.column, entry.line, entry.column + len(entry.name))
    threshold = None if chosen.threshold is None else Duration(chosen.threshold, "s")
    slo = Slo(
        path,
        span,
        {},
        format=entry.format,
        name=entry.name,
        objective=label,
        target=Percent(chosen.target),
        window=entry.window,
        threshold=threshold,
    )
    return slo, None
