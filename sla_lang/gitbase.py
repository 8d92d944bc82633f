"""The agreements as they were at a git ref, for `--base REF` (SL205).

Only `git rev-parse` and `git show REF:PATH` are run, with argument lists (no
shell), and the ref is refused when it could be read as an option.
"""

from __future__ import annotations

import os

from .model.nodes import Agreement
from .source import SourceFile


class GitError(Exception):
    """--base cannot be honoured: not a repository, or no such ref (exit 2)."""


def _git(arguments: list[str], cwd: str):
    import subprocess  # only with --base: kept off the usual start-up path

    try:
        return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, timeout=60, check=False)
    except FileNotFoundError:
        raise GitError("--base needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError("git did not answer within 60 seconds") from None


def agreements_at(ref: str, paths: list[str]) -> dict[str, Agreement]:
    """Every agreement declared at `ref` in the files at `paths` (which may not exist there)."""
    if not ref or ref.startswith("-") or any(c.isspace() or c == "\0" for c in ref):
        raise GitError(f"'{ref}' is not a valid git ref")
    cwd = os.getcwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise GitError("--base needs a git repository, and the current directory is not inside one")
    toplevel = top.stdout.decode().strip()
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], toplevel).returncode != 0:
        raise GitError(f"git ref '{ref}' does not exist (fetch it first, e.g. git fetch origin main)")

    from .syntax.parser import AgreementParser

    parser = AgreementParser()
    agreements: dict[str, Agreement] = {}
    for path in paths:
        relative = os.path.relpath(os.path.abspath(path), toplevel).replace(os.sep, "/")
        if relative.startswith("../"):
            continue
        shown = _git(["show", f"{ref}:{relative}"], toplevel)
        if shown.returncode != 0:
            continue  # the file is new since the ref
        try:
            text = shown.stdout.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for node in parser.parse(SourceFile(f"{ref}:{relative}", text)).declarations:
            if isinstance(node, Agreement):
                agreements.setdefault(node.id, node)
    return agreements
