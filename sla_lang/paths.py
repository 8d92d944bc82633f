"""Where slalint's own files live: the grammars shipped with the package, and
a per-user cache directory that slalint owns."""

from __future__ import annotations

import os
import stat
import sys
from contextlib import contextmanager

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def data_dir(name: str) -> str:
    """`grammar/` or `policies/`: inside the installed package (the wheel puts
    them there), else at the top of a source checkout."""
    installed = os.path.join(PACKAGE_DIR, name)
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(PACKAGE_DIR), name)


def grammar_path(name: str) -> str:
    return os.path.join(data_dir("grammar"), name)


def user_cache_dir() -> str | None:
    """A cache directory only this user can write to, or None.

    Cache files are unpickled, so a directory another user could write to would
    let them run code as us (the hole in Lark's `cache=True`, which uses the
    shared temp directory). We create it with mode 0700 and refuse it when it is
    a symlink, belongs to someone else, or is writable by others.
    """
    override = os.environ.get("SLALINT_CACHE_DIR")
    if override:
        base = override
    elif sys.platform == "win32":
        base = os.path.join(os.environ.get("LOCALAPPDATA") or os.path.expanduser("~"), "slalint", "Cache")
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "slalint")
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        info = os.lstat(base)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None
    return base


def write_atomically(path: str, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`:
    a reader (or a crash) never sees half a file."""
    with open_atomically(path) as handle:
        handle.write(data)


@contextmanager
def open_atomically(path: str):
    """A binary file to write `path` with, as `write_atomically` does: it
    replaces `path` when the block ends, and is removed if the block fails."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".slalint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def cache_hash(data: bytes = b""):
    """A hash for cache keys: BLAKE2b from the interpreter's own module, which
    loads in microseconds, where `import hashlib` loads OpenSSL (3 ms of a
    pre-commit run)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # another Python implementation
        from hashlib import blake2b
    return blake2b(data, digest_size=32)
