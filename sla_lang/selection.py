"""Which rules run, how severe their findings are, and which files ignore
which codes: select, ignore, severity and per-file-ignores decided in one place.

A code matches a selector when it starts with it (`SL5` matches SL501). When
both select and ignore match, the longer selector wins, and ignore wins a tie,
as in ruff. The language rules (SL0xx) are always on, at their own severity
whatever a broader prefix (`SL`, `S`) says: a configuration that names them is
an error (config.py), so that none can hide that an agreement is unreadable.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from .config import ConfigError, Settings
from .yamlfile import quote


def is_language_code(code: str) -> bool:
    return code.startswith("SL0")


def _longest(code: str, selectors) -> int:
    return max((len(s) for s in selectors if code.startswith(s)), default=-1)


class RuleSelection:
    def __init__(self, settings: Settings, known_codes) -> None:
        self.known = sorted(known_codes)
        for code, path, line, column in settings.code_positions:
            if not any(known.startswith(code) for known in self.known):
                import difflib

                match = difflib.get_close_matches(code, self.known, n=1)
                hint = f"; did you mean '{match[0]}'?" if match else ""
                raise ConfigError(f"unknown rule code {quote(code)}{hint}", path, line, column)
        self.select = settings.select if settings.select is not None else [""]
        self.ignore = settings.ignore
        self.severity = settings.severity
        self.per_file = [(_glob_regex(glob), codes) for glob, codes in settings.per_file_ignores.items()]
        self.base = settings.root or os.getcwd()

    def enabled(self, code: str) -> bool:
        if is_language_code(code):
            return True
        selected, ignored = _longest(code, self.select), _longest(code, self.ignore)
        return selected >= 0 and selected > ignored

    def severity_of(self, code: str, default: str) -> str:
        # A broader prefix (`S`, `SL`) leaves the language rules alone: only a
        # selector naming them re-grades them, which no configuration may hold.
        language = is_language_code(code)
        best = max(
            (k for k in self.severity if code.startswith(k) and (not language or k.startswith("SL0"))),
            key=len,
            default=None,
        )
        return self.severity[best] if best is not None else default

    def ignored_in(self, code: str, path: str) -> bool:
        if is_language_code(code) or not self.per_file:
            return False
        relative = _relative(path, self.base)
        return any(pattern.match(relative) and _longest(code, codes) >= 0 for pattern, codes in self.per_file)


def _relative(path: str, base: str) -> str:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


@lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern:
    """A gitignore-like glob: `**` crosses directories, `*` and `?` do not, and
    a pattern also matches everything under a directory it names."""
    glob = glob.replace(os.sep, "/").strip("/")
    if glob.startswith("./"):
        glob = glob[2:]
    parts, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            parts.append(".*")
            i += 2
        elif glob[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(glob[i]))
            i += 1
    prefix = "" if "/" in glob else "(?:.*/)?"  # a bare name matches at any depth, as in .gitignore
    return re.compile(f"^{prefix}{''.join(parts)}(?:/.*)?$")


def excluded(path: str, globs: list[str], base: str) -> bool:
    if not globs:
        return False
    relative = _relative(path, base)
    return any(_glob_regex(glob).match(relative) for glob in globs)
