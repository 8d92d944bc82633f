"""Checking each key of a configuration file and its value, with the
position of any mistake."""

from __future__ import annotations

import datetime
import os

from ..filtering.globs import MAX_GLOBS, GlobError, parse_glob
from ..hints import did_you_mean
from ..reading.yamlfile import excerpt, quote
from ..source import DEFAULT_MAX_FILE_SIZE
from .settings import COMMAND_LINE_ONLY, FAIL_ON, FORMATS, KEYS, ConfigError, IgnoreEntry, Settings, as_glob, parse_date


class KeyReader:
    """Reads a configuration's table into Settings, one key at a time."""

    def __init__(self, path: str, directory: str, locate, at_ref=None) -> None:
        self.path = path
        self.directory = directory
        self.locate = locate
        self.at_ref = at_ref  # the RefFile read (--config-from): the files it names are read there too

    def error(self, message: str, keys: tuple, value: bool = True) -> ConfigError:
        line, column = self.locate(keys, value)
        return ConfigError(message, self.path, line, column)

    def read(self, table: dict) -> Settings:
        settings = Settings(config_path=self.path)
        for key, value in table.items():
            if key in COMMAND_LINE_ONLY:
                raise self.error(
                    f"'{key}' cannot be set in a configuration file: only the command line chooses where "
                    f"slalint writes (use {COMMAND_LINE_ONLY[key]})",
                    (key,),
                    value=False,
                )
            if key not in KEYS:
                hint = did_you_mean(str(key), KEYS) or f"; valid keys: {', '.join(KEYS)}"
                raise self.error(f"unknown key {quote(key)}{hint}", (key,), value=False)
            getattr(self, "_" + key.replace("-", "_"))(settings, key, value)
            settings.from_config.add(key)
        return settings

    def _strings(self, key: str, value, what: str, keys: tuple | None = None) -> list[str]:
        """A list of strings (a single string is a list of one); `keys` locates it."""
        if isinstance(value, str):
            value = [value]
        keys = keys or (key,)
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list of {what}", keys)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.error(f"'{key}' must be a list of {what}; {quote(item)} is not a string", (*keys, index))
        return [str(v) for v in value]

    def _path(self, settings: Settings, keys: tuple, value: str):
        """A file the configuration names, relative to its own directory (a
        RefFile when the configuration was read at a git ref); where it was
        written is kept for the check that it lies inside the workspace."""
        if "\0" in value:
            raise self.error(f"{quote(value)} is not a path: it holds a NUL byte", keys)
        path = os.path.join(self.directory, value)
        settings.named_paths.append((keys[0], value, path, self.path, *self.locate(keys)))
        return self._file_to_read(value)

    def _file_to_read(self, path: str):
        """A file the configuration names to be read (`path` relative to its directory):
        of the working tree, or a RefFile beside the configuration read at a ref."""
        return os.path.join(self.directory, path) if self.at_ref is None else self.at_ref.beside(path)

    def _codes(self, settings: Settings, keys: tuple, values: list[str], lowers: str | None = None) -> list[str]:
        """Codes or prefixes, upper-cased. `lowers` says what the key does to a
        code, when it is something no configuration may do to a language rule."""
        codes = []
        for index, code in enumerate(values):
            code = code.strip().upper()
            line, column = self.locate((*keys, index))
            if lowers:
                self._not_a_language_code(code, lowers, line, column)
            settings.code_positions.append((code, self.path, line, column))
            codes.append(code)
        return codes

    def _not_a_language_code(self, code: str, lowers: str, line: int, column: int) -> None:
        """No configuration can lower, deselect or hide an SL0xx finding
        (a pull request could otherwise hide that an agreement cannot be read)."""
        if code.startswith("SL0"):
            raise ConfigError(
                f"{quote(code)} names language rules (SL0xx), which a configuration cannot {lowers}: they say "
                "that an agreement cannot be read as written; fix the agreement instead",
                self.path,
                line,
                column,
            )

    def _boolean(self, key: str, value) -> bool:
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false", (key,))
        return value

    def _exclude(self, settings, key, value):
        settings.exclude = self._strings(key, value, "glob patterns")
        room = MAX_GLOBS - len(settings.per_file_ignores)
        if len(settings.exclude) > room:
            raise self._too_many_globs((key, max(room, 0)))
        for index, glob in enumerate(settings.exclude):
            self._glob(glob, (key, index))

    def _diff_ignore(self, settings, key, value):
        if not isinstance(value, list):
            raise self.error("'diff-ignore' must be a list of {agreement, path, reason} entries", (key,))
        if len(value) > MAX_GLOBS:
            raise self.error(f"too many entries: 'diff-ignore' may hold {MAX_GLOBS:,}", (key, MAX_GLOBS))
        for index, entry in enumerate(value):
            keys = (key, index)
            if not isinstance(entry, dict):
                raise self.error("each 'diff-ignore' entry must be a mapping with agreement, path and reason", keys)
            fields = ("agreement", "path", "reason")
            for name in entry:
                if name not in fields:
                    hint = did_you_mean(str(name), fields) or "; valid: agreement, path, reason"
                    raise self.error(f"unknown key {quote(name)} in a 'diff-ignore' entry{hint}", (*keys, name), False)
            globs = {}
            for name in ("agreement", "path"):
                if name in entry:
                    glob = entry[name]
                    if not isinstance(glob, str):
                        raise self.error(f"'{name}' of a 'diff-ignore' entry must be a glob", (*keys, name))
                    self._glob(as_glob(glob) if name == "path" else glob, (*keys, name))
                    globs[name] = glob
            if not globs:
                raise self.error("a 'diff-ignore' entry must name an agreement glob, a path glob or both", keys)
            reason = entry.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise self.error(
                    "a 'diff-ignore' entry needs a 'reason': say why the change was accepted (a ticket, a decision)",
                    (*keys, "reason") if "reason" in entry else keys,
                )
            line, _ = self.locate(keys)
            settings.diff_ignore.append(
                IgnoreEntry(globs.get("agreement"), globs.get("path"), reason.strip(), f"{self.path}:{line}")
            )

    def _glob(self, glob: str, keys: tuple, value: bool = True) -> None:
        """A ConfigError at the glob when gitignore would read it otherwise, or not at all (filtering/globs.py)."""
        try:
            parse_glob(glob)
        except GlobError as problem:
            raise self.error(f"glob {quote(glob)}: {problem}", keys, value) from None

    def _too_many_globs(self, keys: tuple) -> ConfigError:
        return self.error(
            f"too many globs: 'exclude' and 'per-file-ignores' may hold {MAX_GLOBS:,} together; "
            "name directories, or use '**', to cover many files with one glob",
            keys,
            value=keys[0] == "exclude",
        )

    def _select(self, settings, key, value):
        settings.select = self._codes(settings, (key,), self._strings(key, value, "rule codes or prefixes"))

    def _ignore(self, settings, key, value):
        settings.ignore = self._codes(settings, (key,), self._strings(key, value, "rule codes or prefixes"), "ignore")

    def _severity(self, settings, key, value):
        if not isinstance(value, dict):
            raise self.error("'severity' must map codes to error, warning or info, e.g. {SL301: error}", (key,))
        for code, level in value.items():
            if level not in ("error", "warning", "info"):
                raise self.error(
                    f"severity of {excerpt(str(code))} must be error, warning or info, not {quote(level)}",
                    (key, code),
                )
            line, column = self.locate((key, code), value=False)
            self._not_a_language_code(str(code).upper(), "re-grade", line, column)
            settings.code_positions.append((str(code).upper(), self.path, line, column))
            settings.severity[str(code).upper()] = level

    def _fail_on(self, settings, key, value):
        if value not in FAIL_ON:
            raise self.error(f"'fail-on' must be one of {', '.join(FAIL_ON)}, not {quote(value)}", (key,))
        settings.fail_on = value

    def _policies(self, settings, key, value):
        paths = self._strings(key, value, "policy pack paths")
        settings.policies = [self._path(settings, (key, index), path) for index, path in enumerate(paths)]

    def _per_file_ignores(self, settings, key, value):
        if not isinstance(value, dict):
            raise self.error("'per-file-ignores' must map globs to lists of codes", (key,))
        for glob, codes in value.items():
            if len(settings.per_file_ignores) + len(settings.exclude) >= MAX_GLOBS:
                raise self._too_many_globs((key, glob))
            self._glob(str(glob), (key, glob), value=False)
            label = f"per-file-ignores: {excerpt(str(glob))}"
            listed = self._strings(label, codes, "rule codes or prefixes", (key, glob))
            settings.per_file_ignores[str(glob)] = self._codes(settings, (key, glob), listed, "ignore")

    def _today(self, settings, key, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            settings.today = value
            return
        try:
            settings.today = parse_date(value)
        except ValueError:
            raise self.error(f"'today' must be a date as YYYY-MM-DD, not {quote(value)}", (key,)) from None

    def _max_file_size(self, settings, key, value):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error("'max-file-size' must be a positive number of bytes", (key,))
        if value > DEFAULT_MAX_FILE_SIZE:
            # A pull request must not lift the limit that bounds the gate's time and memory.
            raise self.error(
                f"'max-file-size' can only lower the limit of {DEFAULT_MAX_FILE_SIZE:,} bytes in a configuration "
                "file; to raise it, pass --max-file-size on the command line",
                (key,),
            )
        settings.max_file_size = value

    def _format(self, settings, key, value):
        if value not in FORMATS:
            raise self.error(f"'format' must be one of {', '.join(FORMATS)}, not {quote(value)}", (key,))
        settings.format = value

    def _baseline(self, settings, key, value):
        if not isinstance(value, str) or not value:
            raise self.error(f"'{key}' must be a path (a string)", (key,))
        settings.baseline = self._path(settings, (key,), value)

    def _base(self, settings, key, value):
        if not isinstance(value, str):
            raise self.error("'base' must be a git ref, e.g. origin/main", (key,))
        from ..reading.gitrefs import GitError, check_ref

        try:
            settings.base = check_ref(value)
        except GitError as error:
            raise self.error(str(error), (key,)) from None

    def _exit_zero(self, settings, key, value):
        settings.exit_zero = self._boolean(key, value)

    def _quiet(self, settings, key, value):
        settings.quiet = self._boolean(key, value)

    def _statistics(self, settings, key, value):
        settings.statistics = self._boolean(key, value)

    def _no_color(self, settings, key, value):
        settings.no_color = self._boolean(key, value)

    def _cache(self, settings, key, value):
        settings.cache = self._boolean(key, value)

    def _inline_suppressions(self, settings, key, value):
        settings.inline_suppressions = self._boolean(key, value)
