"""The workspace root and its configuration (SPEC §4.2).

The root is `--root`, else the nearest directory from the current one upwards
that holds `.slalint.yaml` or a `pyproject.toml` with a `[tool.slalint]`
table. Both files take the same keys; every value is checked, and a mistake is
an error with file, line and column (exit 2). Codes are checked later, once
the policy packs (which define codes) are loaded: `Settings.code_positions`
remembers where each code was written.
"""

from __future__ import annotations

import datetime
import os
import re

from .globs import MAX_GLOBS
from .source import DEFAULT_MAX_FILE_SIZE
from .yamlfile import YamlError

CONFIG_FILE = ".slalint.yaml"
FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")

# key: (type, description for messages)
KEYS: dict[str, str] = {
    "exclude": "list of globs",
    "select": "list of codes",
    "ignore": "list of codes",
    "severity": "mapping of code to severity",
    "fail-on": "severity",
    "policies": "list of paths",
    "per-file-ignores": "mapping of glob to list of codes",
    "today": "date",
    "max-file-size": "size",
    "format": "format",
    "output": "path",
    "baseline": "path",
    "base": "string",
    "exit-zero": "boolean",
    "quiet": "boolean",
    "statistics": "boolean",
    "no-color": "boolean",
    "cache": "boolean",
    "inline-suppressions": "boolean",
}


class ConfigError(YamlError):
    """A located problem in a configuration file (exit 2)."""


class Settings:
    """The configuration file's values, then the command line's on top."""

    def __init__(self, **values) -> None:
        self.root: str | None = None
        self.config_path: str | None = None
        self.exclude: list[str] = []
        self.select: list[str] | None = None  # None: every rule
        self.ignore: list[str] = []
        self.severity: dict[str, str] = {}
        self.fail_on = "error"
        self.policies: list[str] = []
        self.per_file_ignores: dict[str, list[str]] = {}
        self.today: datetime.date | None = None
        self.max_file_size = DEFAULT_MAX_FILE_SIZE
        self.format: str | None = None
        self.output: str | None = None
        self.baseline: str | None = None
        self.base: str | None = None
        self.exit_zero = False
        self.quiet = False
        self.statistics = False
        self.no_color = False
        self.cache = True
        self.inline_suppressions = True  # False: every `# slalint:` comment is ignored (audits)
        # Where each code in select/ignore/severity/per-file-ignores was written,
        # for the check that it names a known rule: [(code, path, line, column)].
        self.code_positions: list[tuple[str, str, int, int]] = []
        for key, value in values.items():
            if key not in self.__dict__:
                raise TypeError(f"Settings has no '{key}'")
            setattr(self, key, value)


def parse_date(text) -> datetime.date:
    """A YYYY-MM-DD date (and only that form, whatever this Python's fromisoformat accepts)."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return datetime.date.fromisoformat(text)


def find_root(start: str) -> tuple[str, str] | None:
    """(root directory, config file) of the nearest configured directory."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, CONFIG_FILE)
        if os.path.isfile(candidate):
            return directory, candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_slalint_table(pyproject):
            return directory, pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_slalint_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return re.search(r"^\s*\[\s*tool\s*\.\s*slalint\s*[\].]", handle.read(), re.M) is not None
    except OSError:
        return False


def load_settings(root: str | None = None, config: str | None = None, cwd: str = ".") -> Settings:
    """Settings from `config`, else from the root's config file, else defaults."""
    if config is not None:
        if not os.path.isfile(config):
            raise ConfigError("configuration file not found", config)
        settings = read_config_file(config)
        settings.root = os.path.abspath(root) if root else os.path.dirname(os.path.abspath(config))
        return settings
    if root is not None:
        if not os.path.isdir(root):
            raise ConfigError("--root must be a directory", root)
        found = None
        for name in (CONFIG_FILE, "pyproject.toml"):
            candidate = os.path.join(root, name)
            if os.path.isfile(candidate) and (name == CONFIG_FILE or _has_slalint_table(candidate)):
                found = candidate
                break
        settings = read_config_file(found) if found else Settings()
        settings.root = os.path.abspath(root)
        return settings
    located = find_root(cwd)
    if located is None:
        return Settings()
    directory, path = located
    settings = read_config_file(path)
    settings.root = directory
    return settings


def read_config_file(path: str) -> Settings:
    shown = os.path.relpath(path).replace(os.sep, "/")
    if path.endswith(".toml"):
        table, locate = _read_toml(path, shown)
    else:
        from .yamlfile import key_position, load_yaml, value_position

        try:
            table = load_yaml(shown)
        except YamlError as error:
            raise ConfigError(error.message, error.path, error.line, error.column) from None
        if table is None:
            table = {}

        def locate(keys: tuple, value: bool = True) -> tuple[int, int]:
            node = table
            for key in keys[:-1]:
                node = node[key]
            last = keys[-1]
            if isinstance(node, list):
                from .yamlfile import item_position

                return item_position(node, last)
            return value_position(node, last) if value else key_position(node, last)

    if not isinstance(table, dict):
        raise ConfigError("the configuration must be a mapping of keys to values", shown)
    return _Reader(shown, os.path.dirname(os.path.abspath(path)), locate).read(table)


def _read_toml(path: str, shown: str):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    from .yamlfile import read_yaml_bytes

    try:
        raw = read_yaml_bytes(path, "pyproject.toml")  # the limits of .slalint.yaml: a regular file, 256 KiB
        text = raw.decode("utf-8")
        document = tomllib.loads(text)
    except YamlError as error:
        raise ConfigError(error.message, shown) from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"cannot read: {error}", shown) from None
    except RecursionError:
        raise ConfigError("arrays or tables are nested too deeply", shown) from None
    except tomllib.TOMLDecodeError as error:
        # Python < 3.14 gives the position only in the message: "... (at line 5, column 9)".
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        if where is None and "at end of document" in str(error):
            last = text.rstrip().split("\n")
            where = (None, len(last), len(last[-1]) + 1)
        line = getattr(error, "lineno", None) or (int(where[1]) if where else 1)
        column = getattr(error, "colno", None) or (int(where[2]) if where else 1)
        raise ConfigError(f"invalid TOML: {str(error).split(' (at ')[0]}", shown, line, column) from None
    table = document.get("tool", {}).get("slalint", {})
    positions = _toml_positions(text)

    def locate(keys: tuple, value: bool = True) -> tuple[int, int]:
        for end in range(len(keys), 0, -1):  # the nearest position known
            found = positions.get(keys[:end])
            if found:
                return found[1] if value and end == len(keys) else found[0]
        return 1, 1

    return table, locate


def _toml_positions(text: str) -> dict[tuple, tuple[tuple[int, int], tuple[int, int]]]:
    """tomllib keeps no positions, so scan the (already valid) document for them:
    (key position, value position) of every key, inline-table key and array item
    under [tool.slalint], by its path below that table, e.g. ("ignore", 1)."""
    import bisect

    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    positions: dict[tuple, tuple[tuple[int, int], tuple[int, int]]] = {}
    i = 0

    def at(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    def skip(newlines: bool) -> None:
        nonlocal i
        while i < len(text):
            if text[i] == "#":
                while i < len(text) and text[i] != "\n":
                    i += 1
            elif text[i] in " \t\r" or (newlines and text[i] == "\n"):
                i += 1
            else:
                return

    def string() -> str:
        nonlocal i
        quote = text[i]
        if text.startswith(quote * 3, i):
            end = text.index(quote * 3, i + 3)
            while text.startswith(quote, end + 3):  # up to two quotes may close the content
                end += 1
            value, i = text[i + 3 : end], end + 3
            return value
        j = i + 1
        while text[j] != quote:
            j += 2 if quote == '"' and text[j] == "\\" else 1
        value, i = text[i + 1 : j], j + 1
        if quote == "'" or "\\" not in value:
            return value
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), value)

    def key() -> list[str]:
        nonlocal i
        parts = []
        while True:
            skip(False)
            if text[i] in "\"'":
                parts.append(string())
            else:
                j = i
                while j < len(text) and (text[j].isalnum() or text[j] in "_-"):
                    j += 1
                parts.append(text[i:j])
                i = j
            skip(False)
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return parts

    def value(path: tuple, key_at: tuple[int, int] | None, record: bool) -> None:
        nonlocal i
        if record:
            positions[path] = (key_at or at(i), at(i))
        if text[i] == "[":
            i += 1
            index = 0
            while True:
                skip(True)
                if text[i] == "]":
                    i += 1
                    return
                value((*path, index), None, record)
                index += 1
                skip(True)
                if text[i] == ",":
                    i += 1
        elif text[i] == "{":
            i += 1
            while True:
                skip(False)
                if text[i] == "}":
                    i += 1
                    return
                inner_at = at(i)
                names = key()
                i += 1  # "="
                skip(False)
                value((*path, *names), inner_at, record)
                skip(False)
                if text[i] == ",":
                    i += 1
        elif text[i] in "\"'":
            string()
        else:
            while i < len(text) and text[i] not in ",]}\n#":
                i += 1

    table: list[str] = []
    try:
        while True:
            skip(True)
            if i >= len(text):
                break
            if text[i] == "[":
                i += 2 if text.startswith("[[", i) else 1
                table = key()
                i += 2 if text.startswith("]]", i) else 1
                continue
            key_at = at(i)
            names = key()
            i += 1  # "="
            skip(False)
            full = [*table, *names]
            inside = full[:2] == ["tool", "slalint"]
            value(tuple(full[2:]), key_at, inside)
    except (IndexError, ValueError):
        pass  # never let the position scan fail a valid file: fewer positions, that is all
    return positions


class _Reader:
    def __init__(self, path: str, directory: str, locate) -> None:
        self.path = path
        self.directory = directory
        self.locate = locate

    def error(self, message: str, keys: tuple, value: bool = True) -> ConfigError:
        line, column = self.locate(keys, value)
        return ConfigError(message, self.path, line, column)

    def read(self, table: dict) -> Settings:
        settings = Settings(config_path=self.path)
        for key, value in table.items():
            if key not in KEYS:
                import difflib

                match = difflib.get_close_matches(str(key), list(KEYS), n=1)
                hint = f"; did you mean '{match[0]}'?" if match else f"; valid keys: {', '.join(KEYS)}"
                raise self.error(f"unknown key '{key}'{hint}", (key,), value=False)
            getattr(self, "_" + key.replace("-", "_"))(settings, key, value)
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
                raise self.error(f"'{key}' must be a list of {what}; {item!r} is not a string", (*keys, index))
        return [str(v) for v in value]

    def _path(self, key: str, value) -> str:
        """One path, relative to the configuration file's directory."""
        if not isinstance(value, str) or not value:
            raise self.error(f"'{key}' must be a path (a string)", (key,))
        return os.path.join(self.directory, value)

    def _codes(self, settings: Settings, keys: tuple, values: list[str]) -> list[str]:
        codes = []
        for index, code in enumerate(values):
            code = code.strip().upper()
            line, column = self.locate((*keys, index))
            settings.code_positions.append((code, self.path, line, column))
            codes.append(code)
        return codes

    def _boolean(self, key: str, value) -> bool:
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false", (key,))
        return value

    def _exclude(self, settings, key, value):
        settings.exclude = self._strings(key, value, "glob patterns")
        room = MAX_GLOBS - len(settings.per_file_ignores)
        if len(settings.exclude) > room:
            raise self._too_many_globs((key, max(room, 0)))

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
        settings.ignore = self._codes(settings, (key,), self._strings(key, value, "rule codes or prefixes"))

    def _severity(self, settings, key, value):
        if not isinstance(value, dict):
            raise self.error("'severity' must map codes to error, warning or info, e.g. {SL301: error}", (key,))
        for code, level in value.items():
            if level not in ("error", "warning", "info"):
                raise self.error(f"severity of {code} must be error, warning or info, not '{level}'", (key, code))
            line, column = self.locate((key, code), value=False)
            settings.code_positions.append((str(code).upper(), self.path, line, column))
            settings.severity[str(code).upper()] = level

    def _fail_on(self, settings, key, value):
        if value not in FAIL_ON:
            raise self.error(f"'fail-on' must be one of {', '.join(FAIL_ON)}, not {value!r}", (key,))
        settings.fail_on = value

    def _policies(self, settings, key, value):
        # Paths in a config file are relative to the file's own directory.
        settings.policies = [os.path.join(self.directory, p) for p in self._strings(key, value, "policy pack paths")]

    def _per_file_ignores(self, settings, key, value):
        if not isinstance(value, dict):
            raise self.error("'per-file-ignores' must map globs to lists of codes", (key,))
        for glob, codes in value.items():
            if len(settings.per_file_ignores) + len(settings.exclude) >= MAX_GLOBS:
                raise self._too_many_globs((key, glob))
            listed = self._strings(f"per-file-ignores: {glob}", codes, "rule codes or prefixes", (key, glob))
            settings.per_file_ignores[str(glob)] = self._codes(settings, (key, glob), listed)

    def _today(self, settings, key, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            settings.today = value
            return
        try:
            settings.today = parse_date(value)
        except ValueError:
            raise self.error(f"'today' must be a date as YYYY-MM-DD, not {value!r}", (key,)) from None

    def _max_file_size(self, settings, key, value):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error("'max-file-size' must be a positive number of bytes", (key,))
        settings.max_file_size = value

    def _format(self, settings, key, value):
        if value not in FORMATS:
            raise self.error(f"'format' must be one of {', '.join(FORMATS)}, not {value!r}", (key,))
        settings.format = value

    def _output(self, settings, key, value):
        settings.output = self._path(key, value)

    def _baseline(self, settings, key, value):
        settings.baseline = self._path(key, value)

    def _base(self, settings, key, value):
        if not isinstance(value, str):
            raise self.error("'base' must be a git ref, e.g. origin/main", (key,))
        settings.base = value

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
