"""Where slalint's own files live: the grammars shipped with the package, and
a per-user cache directory that slalint owns, whose entries it authenticates."""

from __future__ import annotations

import os
import stat
import sys
from contextlib import contextmanager

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data_dir(name: str) -> str:
    """`grammar/` or `policies/`: inside the installed package (the wheel puts
    them there), else at the top of a source checkout."""
    installed = os.path.join(PACKAGE_DIR, name)
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(PACKAGE_DIR), name)


def grammar_path(name: str) -> str:
    return os.path.join(data_dir("grammar"), name)


KEY_FILE = "key"
_KEY_SIZE = 32
_MAC_SIZE = 32


class UserCache:
    """slalint's per-user cache directory, and the key that authenticates its entries.

    Entries are pickles, and unpickling runs code. So an entry is unpickled only
    when it carries the MAC, under this user's random key, of its name and bytes:
    a file that anything else put there (a report a configuration once sent into
    the cache, another program's file) is a cache miss, never loaded. The MAC is
    keyed BLAKE2b, which Python's documentation offers as a faster and simpler
    replacement for HMAC, from the interpreter's own module: HMAC-SHA256 would
    load OpenSSL on every run, or hash slowly without it.
    """

    def __init__(self, directory: str, key: bytes) -> None:
        self.directory = directory
        self._key = key

    def path(self, *parts: str) -> str:
        return os.path.join(self.directory, *parts)

    def _mac(self, path: str, data: bytes) -> bytes:
        name = os.path.relpath(path, self.directory).replace(os.sep, "/")
        mac = _blake2b(key=self._key, digest_size=_MAC_SIZE, person=b"slalint-cache")
        mac.update(name.encode("utf-8", "surrogatepass") + b"\0")
        mac.update(data)
        return mac.digest()

    def read(self, path: str) -> bytes | None:
        """What write() stored at `path`, or None: missing, unreadable, or not
        authenticated (then the caller computes it again and overwrites it)."""
        try:
            with open(path, "rb") as handle:
                stored = handle.read()
        except OSError:
            return None
        mac, data = stored[:_MAC_SIZE], stored[_MAC_SIZE:]
        return data if _same_mac(mac, self._mac(path, data)) else None

    def write(self, path: str, data: bytes) -> bool:
        """Store `data` at `path`, atomically; False when it cannot (which only costs time)."""
        try:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            write_atomically(path, self._mac(path, data) + data)
        except OSError:
            return False
        return True


def user_cache(directory: str | None = None) -> UserCache | None:
    """This user's cache (in `directory`, else the usual place), or None when
    there is no directory or key that slalint can trust."""
    directory = user_cache_dir(directory)
    key = _cache_key(directory) if directory else None
    return UserCache(directory, key) if key else None


def _cache_key(directory: str) -> bytes | None:
    """The cache's key: made once, at random, in a file only this user can read.
    A key file that is a link, readable or writable by others, or someone else's
    means the cache is not used: whoever could read it could forge entries."""
    path = os.path.join(directory, KEY_FILE)
    key = _read_key(path)
    if key is None and not os.path.lexists(path):
        _create_key(directory, path)
        key = _read_key(path)
    return key


def _read_key(path: str) -> bytes | None:
    if os.path.islink(path):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size != _KEY_SIZE:
            return None
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) != 0o600):
            return None
        key = os.read(descriptor, _KEY_SIZE)
        return key if len(key) == _KEY_SIZE else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


def _create_key(directory: str, path: str) -> None:
    """Write a new key beside `path` (mkstemp: O_EXCL, mode 0600), then link it
    into place: the link fails if another process made the key first, and no
    reader ever sees a key half written."""
    import tempfile

    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".key-")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(_KEY_SIZE))
        os.link(temporary, path)
    except OSError:
        pass  # made by another process meanwhile, or no links here: no cache this time
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _default_cache_dir() -> str:
    if sys.platform == "win32":
        return os.path.join(os.environ.get("LOCALAPPDATA") or os.path.expanduser("~"), "slalint", "Cache")
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "slalint")


def user_cache_dir(base: str | None = None) -> str | None:
    """A cache directory only this user can write to, or None.

    Cache files are unpickled, so a directory another user could write to would
    let them run code as us (the hole in Lark's `cache=True`, which uses the
    shared temp directory). We create it with mode 0700 and refuse it when it is
    a symlink, belongs to someone else, or is writable by others.
    """
    base = base or os.environ.get("SLALINT_CACHE_DIR") or _default_cache_dir()
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


def leads_outside(path: str, root: str) -> bool:
    """Whether `path`, once every symbolic link is followed, lies outside `root`."""
    real, boundary = os.path.realpath(path), os.path.realpath(root)
    try:
        return os.path.commonpath([real, boundary]) != boundary
    except ValueError:  # another drive
        return True


def write_atomically(path: str, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`:
    a reader (or a crash) never sees half a file."""
    with open_atomically(path) as handle:
        handle.write(data)


def rewrite_agreement(path: str, text: str) -> None:
    """Replace an agreement file's text atomically (fmt, check --fix),
    keeping its permissions (a temporary file is created private)."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    with open_atomically(path) as handle:
        if hasattr(os, "fchmod"):
            os.fchmod(handle.fileno(), mode)
        handle.write(text.encode("utf-8"))


@contextmanager
def open_atomically(path: str):
    """A binary file to write `path` with, as `write_atomically` does: it
    replaces `path` when the block ends, and is removed if the block fails.
    A device or a pipe named on the command line (`--output /dev/stdout`) is
    written to, never renamed over: as root, that would replace /dev/null
    itself with a file."""
    import tempfile

    try:
        kind = os.lstat(path).st_mode
    except OSError:
        kind = 0
    if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind):
        with open(path, "wb") as handle:
            yield handle
        return
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
    loads at once, where `import hashlib` loads OpenSSL (a noticeable part of a
    pre-commit run)."""
    return _blake2b(data, digest_size=32)


def _blake2b(*args, **kwargs):
    try:
        from _blake2 import blake2b
    except ImportError:  # another Python implementation
        from hashlib import blake2b
    return blake2b(*args, **kwargs)


def _same_mac(first: bytes, second: bytes) -> bool:
    """hmac.compare_digest (in constant time), without loading OpenSSL as `import hmac` does."""
    try:
        from _operator import _compare_digest
    except ImportError:  # another Python implementation
        from hmac import compare_digest as _compare_digest
    return _compare_digest(first, second)
