"""Files as they are at a git ref, read from git's objects (never checked out):
for `--base` (SL205), `--config-from`, and later `--new-since`.

A pull request can name the ref (the `base` key of its config), so only ref
names and object ids are accepted, never revision expressions: git runs
`HEAD^{/regex}` over every commit message, in exponential time for some
regexes. Every git command gets an argument list (no shell) and a timeout;
a blob's size is asked (`git ls-tree -l`) before it is read, and all the
blobs wanted are read through one `git cat-file --batch`.
"""

from __future__ import annotations

import os
import posixpath
import re

from ..source import UnreadableFile

GIT_TIMEOUT = 60  # seconds, per git command

# What `git check-ref-format --allow-onelevel` refuses, and `{` besides: ASCII
# control characters, space, ~ ^ : ? * [ \, "..", "@{", a component that
# starts with "." or ends with ".lock", "//", a leading or trailing "/", a
# trailing ".", and "@" alone. A leading "-" would read as an option.
_NOT_IN_A_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\{]|\.\.|@\{|//|^[-/]|[/.]$|^@$|(^|/)\.|\.lock(/|$)")

# A ref of a few kilobytes is no ref; this also bounds what a message quotes.
MAX_REF_LENGTH = 1024


class GitError(Exception):
    """A ref cannot be read: no git, not a repository, no such ref, not a ref name (exit 2)."""


def check_ref(ref: str) -> str:
    """`ref`, if it is a ref name (as `git check-ref-format --allow-onelevel`
    allows it) or an object id (4 to 64 hex digits, which are ref names too)."""
    if not isinstance(ref, str) or not ref or len(ref) > MAX_REF_LENGTH or _NOT_IN_A_REF.search(ref):
        raise GitError(
            f"'{_visible(str(ref))}' is not a git ref name or object id; slalint does not accept revision "
            "expressions (name a branch, a tag or a commit: origin/main, v1.2, 3f2a9c1)"
        )
    return ref


def _visible(text: str, most: int | None = 40) -> str:
    """At most `most` characters of `text`, with control and format characters escaped."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:most])
    return shown + ("..." if most is not None and len(text) > most else "")


def _git(arguments: list[str], cwd: str, option: str, stdin: bytes | None = None):
    import subprocess  # only with a ref: kept off the usual start-up path

    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", *arguments],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env={**os.environ, "LC_ALL": "C"},  # git's messages in English, for _complaint
        )
    except FileNotFoundError:
        raise GitError(f"{option} needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {arguments[0]} did not answer within {GIT_TIMEOUT} seconds") from None


def _complaint(completed) -> str:
    """git's own first line of complaint, for a message."""
    lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
    return _visible(lines[0].removeprefix("fatal: "), 200) if lines else f"exit status {completed.returncode}"


class Blob:
    """An entry of a tree at the ref, as `git ls-tree -l` lists it."""

    __slots__ = ("path", "mode", "oid", "size", "data")

    def __init__(self, path: str, mode: str, oid: str, size: int) -> None:
        self.path = path  # relative to the top of the work tree, "/" separators
        self.mode = mode  # git's: 100644 or 100755 a file, 120000 a link, 040000 a directory, 160000 a submodule
        self.oid = oid
        self.size = size  # 0 for a directory or a submodule
        self.data: bytes | None = None  # filled by RefTree.read when within the size limit

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


class RefTree:
    """The commit that a ref names, in the repository whose work tree holds `directory`."""

    def __init__(self, ref: str, directory: str, option: str, unborn_head: bool = False) -> None:
        """With `unborn_head`, HEAD of a repository without a commit yet is an
        empty tree (`commit` None) rather than an error: the first commit of a
        repository checked with --new-since HEAD has everything new."""
        self.ref = check_ref(ref)
        self.option = option  # the option that named the ref, for messages
        top = _git(["rev-parse", "--show-toplevel"], directory, option)
        if top.returncode != 0:
            if b"not a git repository" not in top.stderr:
                raise GitError(f"{option}: git cannot read the repository: {_complaint(top)}")
            where = "the current directory" if os.path.abspath(directory) == os.getcwd() else f"'{directory}'"
            raise GitError(f"{option} needs a git repository, and {where} is not inside one")
        self.toplevel = os.path.realpath(os.fsdecode(top.stdout.rstrip(b"\n")))
        # "^{commit}" is appended here, to a checked name: it peels a tag, it searches nothing.
        commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.toplevel, option)
        if commit.returncode != 0 and unborn_head and ref == "HEAD":
            self.commit = None
            return
        if commit.returncode != 0:
            raise GitError(f"git ref '{_visible(ref)}' does not exist (fetch it first, e.g. git fetch origin main)")
        self.commit = commit.stdout.decode("ascii").strip()

    def shown(self, path: str) -> str:
        """How messages name a file of the tree: as git does, REF:path."""
        return f"{self.ref}:{_visible(path, None)}"

    def relative(self, directory: str) -> str:
        """A directory of the work tree as a path of the tree ("." for the top)."""
        relative = os.path.relpath(os.path.realpath(directory), self.toplevel).replace(os.sep, "/")
        return "." if relative.startswith("../") or relative == ".." else relative

    def list(self, path: str = ".", *, recursive: bool = False, inside: bool = True) -> list[Blob]:
        """The entries in the directory `path` (every file below it when `recursive`),
        or with `inside=False` the entry `path` itself (none when it does not exist)."""
        if path.startswith("/") or path == ".." or path.startswith("../") or "\0" in path:
            return []  # outside the repository (or no path at all): nothing of it is at the ref
        if self.commit is None:
            return []  # an unborn HEAD: nothing is committed yet
        arguments = ["ls-tree", "-l", "-z", *(["-r"] if recursive else []), self.commit]
        if path != ".":
            arguments += ["--", path + "/" if inside else path]
        elif not inside:
            return [Blob(".", "040000", self.commit, 0)]  # the top itself: a directory
        listed = _git(arguments, self.toplevel, self.option)
        if listed.returncode != 0:
            raise GitError(f"{self.option}: git cannot list {self.shown(path)}: {_complaint(listed)}")
        entries = []
        for record in listed.stdout.split(b"\0"):
            if record:
                meta, _, name = record.partition(b"\t")
                mode, _, oid, size = meta.decode("ascii").split()
                entries.append(Blob(os.fsdecode(name), mode, oid, int(size) if size.isdigit() else 0))
        return entries

    def files_under(self, directory: str, suffix: str, max_size: int) -> list[Blob]:
        """Every file under the work tree's `directory` whose name ends with
        `suffix`, as it is at the ref, in path order. A file of at most
        `max_size` bytes is read (`data`); a larger one is listed, never read."""
        blobs = [
            blob
            for blob in self.list(self.relative(directory), recursive=True)
            if blob.is_file and blob.path.endswith(suffix)
        ]
        self.read([blob for blob in blobs if blob.size <= max_size])
        return sorted(blobs, key=lambda blob: blob.path)

    def read(self, blobs: list[Blob]) -> None:
        """Fill in the `data` of `blobs`, all through one `git cat-file --batch`."""
        wanted = list(dict.fromkeys(blob.oid for blob in blobs))  # identical files are one object
        if not wanted:
            return
        request = "".join(oid + "\n" for oid in wanted).encode("ascii")
        answer = _git(["cat-file", "--batch"], self.toplevel, self.option, request)
        if answer.returncode != 0:
            raise GitError(f"{self.option}: git cannot read the objects of {self.ref}: {_complaint(answer)}")
        contents: dict[str, bytes] = {}
        output, at = answer.stdout, 0
        try:
            for oid in wanted:  # each: "<oid> blob <size>\n<content>\n", or "<oid> missing\n"
                end = output.index(b"\n", at)
                header = output[at:end].split()
                at = end + 1
                if len(header) == 3 and header[0] == oid.encode("ascii"):
                    size = int(header[2])
                    contents[oid] = output[at : at + size]
                    at += size + 1
        except ValueError:
            raise GitError(f"{self.option}: git cat-file gave an answer slalint cannot read") from None
        for blob in blobs:
            blob.data = contents.get(blob.oid)


class RefFile:
    """A file named by a configuration read from a ref (`--config-from`): read
    from the ref, never from the working tree. Not a str nor path-like, so
    that no `open` or `os.stat` can take it for a file of the working tree."""

    def __init__(self, tree: RefTree, path: str) -> None:
        self.tree = tree
        self.path = posixpath.normpath(path)  # relative to the top of the work tree
        self._listed: list[Blob] | None = None  # what `git ls-tree` says of the path, once asked

    def __str__(self) -> str:
        return self.tree.shown(self.path)

    def __repr__(self) -> str:
        return f"RefFile({str(self)!r})"

    def beside(self, relative: str) -> RefFile:
        """The file that `relative` names from this file's directory."""
        return RefFile(self.tree, posixpath.join(posixpath.dirname(self.path), relative))

    @property
    def work_tree_directory(self) -> str:
        """The directory of the work tree that holds this file."""
        return os.path.join(self.tree.toplevel, *posixpath.dirname(self.path).split("/"))

    def entry(self) -> Blob | None:
        """The tree's entry at this path, or None."""
        if self._listed is None:
            self._listed = self.tree.list(self.path, inside=False)
        return next((blob for blob in self._listed if blob.path == self.path), None)

    def exists(self) -> bool:
        return self.entry() is not None

    def is_dir(self) -> bool:
        entry = self.entry()
        return entry is not None and entry.mode == "040000"

    def stat(self) -> os.stat_result:
        """Like os.stat (git's modes are Unix modes): what read_yaml_bytes checks."""
        entry = self.entry()
        if entry is None:
            import errno

            raise FileNotFoundError(errno.ENOENT, self._missing)
        return os.stat_result((int(entry.mode, 8), 0, 0, 0, 0, 0, entry.size, 0, 0, 0))

    def members(self, suffixes: tuple[str, ...]) -> list[RefFile]:
        """The files directly in this directory whose names end with `suffixes`;
        [self] when this is not a directory. A link among them stays a link (git
        stores its target as text): reading it is refused, never followed."""
        if not self.is_dir():
            return [self]
        return [
            RefFile(self.tree, blob.path)
            for blob in sorted(self.tree.list(self.path), key=lambda blob: blob.path)
            if blob.path.endswith(suffixes)
        ]

    @property
    def _missing(self) -> str:
        return f"no such file at {_visible(self.tree.ref)}"

    def read(self, max_size: int) -> bytes:
        """The file's bytes, if it is a file of at most `max_size` bytes (UnreadableFile else),
        as read_regular_file says it of a file of the working tree."""
        entry = self.entry()
        if entry is None:
            raise UnreadableFile(f"cannot open: {self._missing}")
        if not entry.is_file:
            raise UnreadableFile("not a regular file")
        if entry.size > max_size:
            raise UnreadableFile(f"file is {entry.size:,} bytes, over the {max_size:,}-byte limit")
        if entry.data is None:  # not read yet (a pyproject.toml is read twice: is there a table, then the table)
            self.tree.read([entry])
        if entry.data is None:
            raise UnreadableFile(f"git has no object {entry.oid}")
        return entry.data
