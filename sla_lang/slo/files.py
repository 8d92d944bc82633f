"""Where SLO files are read from: the working tree (inside the workspace
root, links followed only when they stay inside it), a git ref (from git's
objects, for `--new-since`), or memory (a pack's examples).

Each source answers `read_all(paths)`: path -> the file's bytes, or the
reason it cannot be had, in the user's words. Paths are as reports show
them: relative to the current directory, `/` separators.
"""

from __future__ import annotations

import os


class Unreadable(str):
    """Why a file cannot be read (a str, so that it stays apart from bytes)."""


class WorkTreeFiles:
    def __init__(self, root: str, max_size: int) -> None:
        self.root = os.path.realpath(root)
        self.max_size = max_size
        self.origin = ""  # what the result cache keys on: the working tree

    def read_all(self, paths) -> dict[str, bytes | Unreadable]:
        return {path: self._read(path) for path in paths}

    def _read(self, path: str) -> bytes | Unreadable:
        from ..source import UnreadableFile, read_regular_file

        real = os.path.realpath(path)
        if os.path.commonpath([real, self.root]) != self.root:
            linked = real != os.path.abspath(path)
            return Unreadable(
                "it is a symbolic link to a place outside the workspace root; slalint does not follow it"
                if linked
                else "it is outside the workspace root"
            )
        try:
            return read_regular_file(path, self.max_size, "(pass --max-file-size if it is really that large)")
        except UnreadableFile as problem:
            return Unreadable(str(problem).replace("cannot open: No such file or directory", "no such file"))


class RefFiles:
    """The files as they are at a git ref: every `.yaml`/`.yml` under the root
    is listed once, and those asked for are read through one git call."""

    def __init__(self, tree, root: str, max_size: int) -> None:
        self.tree = tree
        self.root = root
        self.max_size = max_size
        self.origin = f"{tree.ref}:{tree.commit}"
        self._blobs: dict[str, object] | None = None

    def read_all(self, paths) -> dict[str, bytes | Unreadable]:
        here = os.path.realpath(os.getcwd())
        if self._blobs is None:
            listed = self.tree.list(self.tree.relative(self.root), recursive=True)
            self._blobs = {blob.path: blob for blob in listed}
        wanted, found = {}, {}
        root = self.tree.relative(self.root)
        for path in paths:
            inside = os.path.relpath(os.path.normpath(os.path.join(here, path)), self.tree.toplevel)
            inside = inside.replace(os.sep, "/")
            blob = self._blobs.get(inside)
            if inside.startswith("../") or (root != "." and not (inside + "/").startswith(root + "/")):
                found[path] = Unreadable("it is outside the workspace root")
            elif blob is None:
                found[path] = Unreadable(f"no such file at {self.tree.ref}")
            elif blob.mode == "120000":
                found[path] = Unreadable(f"it is a symbolic link at {self.tree.ref}; slalint does not follow it")
            elif not blob.is_file:
                found[path] = Unreadable("not a regular file")
            elif blob.size > self.max_size:
                found[path] = Unreadable(f"file is {blob.size:,} bytes, over the {self.max_size:,}-byte limit")
            else:
                wanted[path] = blob
        self.tree.read(list(wanted.values()))
        for path, blob in wanted.items():
            found[path] = blob.data if blob.data is not None else Unreadable(f"git has no object {blob.oid}")
        return found


class MemoryFiles:
    """Files given as text: the `files` of a pack's example."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {os.path.normpath(path).replace(os.sep, "/"): text for path, text in files.items()}
        self.origin = "memory"

    def read_all(self, paths) -> dict[str, bytes | Unreadable]:
        return {
            path: self.files[path].encode("utf-8") if path in self.files else Unreadable("no such file")
            for path in paths
        }
