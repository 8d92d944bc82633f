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

from .config import ConfigError, Settings
from .globs import GlobSet, compile_globs
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
        self.per_file_globs = GlobSet(settings.per_file_ignores)  # compiled once per run
        self.per_file_codes = list(settings.per_file_ignores.values())
        self.base = settings.root or os.getcwd()
        self._ignored_by_path: dict[str, frozenset[str]] = {}

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
        if is_language_code(code) or not self.per_file_codes:
            return False
        ignored = self._ignored_codes(path)
        return any(code[:end] in ignored for end in range(len(code) + 1))

    def _ignored_codes(self, path: str) -> frozenset[str]:
        """The codes that per-file-ignores lists for `path`, worked out once per path."""
        found = self._ignored_by_path.get(path)
        if found is None:
            matching = self.per_file_globs.matching(_relative(path, self.base))
            found = frozenset(code for index in matching for code in self.per_file_codes[index])
            self._ignored_by_path[path] = found
        return found


def _relative(path: str, base: str) -> str:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


def excluded(path: str, globs: list[str], base: str) -> bool:
    if not globs:
        return False
    return compile_globs(tuple(globs)).matches(_relative(path, base))
