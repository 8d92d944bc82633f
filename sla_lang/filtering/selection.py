"""Which rules run, how severe their findings are, and which files ignore
which codes: select, ignore, severity and per-file-ignores decided in one place.

A code matches a selector when it starts with it (`SL5` matches SL501). When
both select and ignore match, the longer selector wins, and ignore wins a tie,
as in ruff. The language rules (SL0xx) are always on, at their own severity
whatever a broader prefix (`SL`, `S`) says: a configuration that names them is
an error (config/keys.py), so that none can hide that an agreement is unreadable.
"""

from __future__ import annotations

import os

from ..config.settings import ConfigError, Settings
from ..reading.yamlfile import quote
from .globs import GlobSet, compile_globs


def is_language_code(code: str) -> bool:
    return code.startswith("SL0")


def _longest(code: str, selectors) -> int:
    return max((len(s) for s in selectors if code.startswith(s)), default=-1)


class RuleSelection:
    def __init__(self, settings: Settings, known_codes) -> None:
        self.known = sorted(known_codes)
        for code, path, line, column in settings.code_positions:
            if not any(known.startswith(code) for known in self.known):
                from ..hints import did_you_mean

                hint = did_you_mean(code, self.known, max_edits=1)
                raise ConfigError(f"unknown rule code {quote(code)}{hint}", path, line, column)
        # Sets: a configuration may repeat a code thousands of times.
        self.select = set(settings.select) if settings.select is not None else {""}
        self.ignore = set(settings.ignore)
        self.severity = settings.severity
        self._enabled: dict[str, bool] = {}  # by code: asked once per finding
        self.per_file_globs = GlobSet(settings.per_file_ignores)  # compiled once per run
        self.per_file_codes = list(settings.per_file_ignores.values())
        self.base = settings.root or os.getcwd()
        self._ignored_by_path: dict[str, frozenset[str]] = {}

    def enabled(self, code: str) -> bool:
        known = self._enabled.get(code)
        if known is None:
            if is_language_code(code):
                known = True
            else:
                selected, ignored = _longest(code, self.select), _longest(code, self.ignore)
                known = selected >= 0 and selected > ignored
            self._enabled[code] = known
        return known

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
