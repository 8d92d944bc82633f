"""`slalint render`: agreements as the documents people read and sign.

document.py turns an agreement of the resolved workspace into plain values
with every figure in words (words.py phrases what model/strength.py and
model/clock/ compute); engine.py lays them out with sandboxed Jinja2
templates (templates/, or a directory named with --templates); this module
picks the agreements and writes the documents.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
import tempfile

EXTENSIONS = {"markdown": ".md", "html": ".html"}
_SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


class RenderError(Exception):
    """Bad input: the message says what and where (exit 2)."""


def load_workspace(paths: list[str], max_size: int, problems: list | None = None):
    """The resolved workspace of the `.sla` files under `paths`, by the pipeline's
    stages; `problems` receives its language errors other than syntax errors."""
    from ..many_files.workspace import LoadError, sources_in, workspace_of

    try:
        return workspace_of(sources_in(paths, max_size), problems)
    except LoadError as error:
        raise RenderError(str(error)) from None


def split_arguments(arguments: list[str]) -> tuple[list[str], list[str]]:
    """(paths, ids): an argument that names an existing file or directory is a path, else an id."""
    paths = [argument for argument in arguments if os.path.exists(argument)]
    ids = [argument for argument in arguments if not os.path.exists(argument)]
    return paths, ids


def chosen_agreements(workspace, paths: list[str], ids: list[str]) -> list:
    """The agreements named by id, else every agreement of the files under `paths`."""
    if ids:
        unknown = [ident for ident in ids if ident not in workspace.agreements]
        if unknown:
            from ..report.escape import visible

            raise RenderError(
                f"'{visible(unknown[0])}' is neither a file nor the id of an agreement in {', '.join(paths) or '.'}"
            )
        return [workspace.agreements[ident] for ident in ids]
    return list(workspace.agreements.values())


def render(
    arguments: list[str],
    format: str,
    output: str | None,
    internal: bool,
    templates: str | None,
    today: datetime.date,
    max_size: int,
) -> int:
    """Render the agreements `arguments` name; returns the exit code."""
    from ..report.problems import warn_about
    from .document import document
    from .engine import Renderer

    paths, ids = split_arguments(arguments)
    problems: list = []
    workspace = load_workspace(paths or ["."], max_size, problems)
    agreements = chosen_agreements(workspace, paths, ids)
    warn_about(problems, {agreement.file for agreement in agreements})
    if not agreements:
        raise RenderError(f"no agreement in {', '.join(paths) or '.'}")
    if internal or any(agreement.kind != "sla" for agreement in agreements):
        from ..lint import resolve_slo_links

        resolve_slo_links(workspace)  # an internal copy names the SLO that watches each objective
    to_stdout = output in (None, "-")
    if to_stdout and format == "html" and len(agreements) > 1:
        raise RenderError(
            f"{len(agreements)} agreements to render as HTML: name one, or give --output DIR for one file each"
        )
    renderer = Renderer(format, templates)
    shown = [(agreement.id, renderer.render(document(agreement, today, internal))) for agreement in agreements]
    if to_stdout:
        sys.stdout.write("\n".join(text.rstrip("\n") + "\n" for _, text in shown))
        return 0
    os.makedirs(output, exist_ok=True)
    for ident, text in shown:
        if not _SAFE_NAME.fullmatch(ident):  # ids are identifiers; a name is never a path
            raise RenderError(f"the id {ident!r} cannot name a file")
        _write_atomically(os.path.join(output, ident + EXTENSIONS[format]), text)
    sys.stderr.write(f"{len(shown)} document(s) written to {output}\n")
    return 0


def _write_atomically(path: str, text: str) -> None:
    """A reader sees the old document or the new one, never half of it."""
    directory = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".slalint-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
