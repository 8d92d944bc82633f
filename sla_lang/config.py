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

from .globs import MAX_GLOBS, GlobError, parse_glob
from .source import DEFAULT_MAX_FILE_SIZE
from .yamlfile import YamlError, excerpt, quote

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
    "baseline": "path",
    "base": "string",
    "exit-zero": "boolean",
    "quiet": "boolean",
    "statistics": "boolean",
    "no-color": "boolean",
    "cache": "boolean",
    "inline-suppressions": "boolean",
}


# Keys a configuration may not set, and the option to use instead: a pull request
# controls the configuration, and must not choose where slalint writes (SPEC §4.6).
COMMAND_LINE_ONLY = {"output": "--output FILE", "write-baseline": "--write-baseline FILE"}


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
        self.policies: list = []  # paths; RefFiles (gitrefs) when the config was read with --config-from
        self.per_file_ignores: dict[str, list[str]] = {}
        self.today: datetime.date | None = None
        self.max_file_size = DEFAULT_MAX_FILE_SIZE
        self.format: str | None = None
        self.output: str | None = None
        self.baseline = None  # a path, or a RefFile as for policies
        self.base: str | None = None
        self.new_since: str | None = None  # --new-since REF: command line only (a PR must not choose its REF)
        self.exit_zero = False
        self.quiet = False
        self.statistics = False
        self.no_color = False
        self.cache = True
        self.inline_suppressions = True  # False: every `# slalint:` comment is ignored (audits)
        # Where each code in select/ignore/severity/per-file-ignores was written,
        # for the check that it names a known rule: [(code, path, line, column)].
        self.code_positions: list[tuple[str, str, int, int]] = []
        # The files the configuration names (packs, baseline), for the check that
        # they lie inside the workspace: [(key, as written, path, config, line, column)].
        self.named_paths: list[tuple[str, str, str, str, int, int]] = []
        self.from_config: set[str] = set()  # the keys the configuration file set
        for key, value in values.items():
            if key not in self.__dict__:
                raise TypeError(f"Settings has no '{key}'")
            setattr(self, key, value)


def parse_date(text) -> datetime.date:
    """A YYYY-MM-DD date (and only that form, whatever this Python's fromisoformat accepts)."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return datetime.date.fromisoformat(text)


def find_root(start: str) -> tuple[str, str | None] | None:
    """(root directory, config file) of the nearest configured directory from
    `start` upwards; else (the top of the git work tree holding `start`, None);
    else None. The work tree's top is the nearest directory with a `.git`,
    found without running git (a pre-commit hook must start at once)."""
    directory = os.path.abspath(start)
    git_top = None
    while True:
        candidate = os.path.join(directory, CONFIG_FILE)
        if os.path.isfile(candidate):
            return directory, candidate
        pyproject = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_slalint_table(pyproject):
            return directory, pyproject
        if git_top is None and os.path.exists(os.path.join(directory, ".git")):
            git_top = directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return (git_top, None) if git_top else None
        directory = parent


def search_start(paths: list[str], cwd: str = ".") -> str:
    """Where the root is searched from: the deepest directory that holds every
    named path (the current directory when none is named, or only `-`), so that
    a check of /elsewhere/agreements/a.sla finds that project's configuration."""
    named = [os.path.abspath(path) for path in paths if path != "-"]
    if not named:
        return os.path.abspath(cwd)
    directories = [path if os.path.isdir(path) else os.path.dirname(path) for path in named]
    try:
        return os.path.commonpath(directories)
    except ValueError:  # paths on different drives
        return os.path.abspath(cwd)


def _has_slalint_table(path) -> bool:
    """Whether a pyproject.toml (a regular file: the callers check), or a RefFile,
    has a [tool.slalint] table in its first megabytes. One that is a link
    leading out of its directory is not opened: it is no configuration then."""
    from .source import UnreadableFile

    try:
        if isinstance(path, str):
            from .paths import leads_outside

            if leads_outside(path, os.path.dirname(os.path.abspath(path))):
                return False
            with open(path, "rb") as handle:
                head = handle.read(4 * 1024 * 1024)
        else:
            from .yamlfile import MAX_YAML_SIZE

            head = path.read(MAX_YAML_SIZE)
    except OSError:
        return False
    except UnreadableFile:
        return True  # too large, or not a file: reading it as the configuration says why
    return re.search(rb"^\s*\[\s*tool\s*\.\s*slalint\s*[\].]", head, re.M) is not None


def load_settings(
    root: str | None = None,
    config: str | None = None,
    cwd: str = ".",
    config_from: str | None = None,
    paths: list[str] | None = None,
) -> Settings:
    """Settings from `config`, else from the root's config file, else defaults;
    with `config_from`, from the root's config file as it is at that git ref.
    Without `root`, the root is searched from the named `paths` (find_root).

    A configuration found in the workspace is the pull request's to write: it is
    refused when it is a link leading out of the workspace, and so is any file it
    names outside the workspace. `--config FILE` is the user's own choice: it is
    read wherever it is, and may name files beside it."""
    if config_from is not None:
        return _settings_at_ref(config_from, root, cwd)
    if config is not None:
        if not os.path.isfile(config):
            raise ConfigError("configuration file not found", config)
        settings = read_config_file(config)
        settings.root = os.path.abspath(root) if root else os.path.dirname(os.path.abspath(config))
        refuse_paths_outside(settings, settings.root, os.path.dirname(os.path.abspath(config)))
        return settings
    if root is not None:
        if not os.path.isdir(root):
            raise ConfigError("--root must be a directory", root)
        return _workspace_settings(os.path.abspath(root), _config_file_in(root))
    located = find_root(search_start(paths or [], cwd))
    if located is None:
        return Settings()
    return _workspace_settings(*located)


def _workspace_settings(root: str, path: str | None) -> Settings:
    """The settings of the configuration file found in the workspace `root`."""
    from .paths import leads_outside

    if path is None:
        settings = Settings()
    elif leads_outside(path, root):
        raise ConfigError(
            f"{CONFIG_FILE if path.endswith(CONFIG_FILE) else 'pyproject.toml'} is a symbolic link that leads "
            "outside the workspace; slalint does not read it (a pull request could otherwise make it quote any "
            "file the job can read): make it a file, or pass the configuration with --config",
            os.path.relpath(path).replace(os.sep, "/"),
        )
    else:
        settings = read_config_file(path)
    settings.root = root
    refuse_paths_outside(settings, root)
    return settings


def _config_file_in(directory: str, tree=None):
    """The configuration file of `directory`, or None; with `tree` (a RefTree),
    the one of that directory at the tree's ref, as a RefFile."""
    for name in (CONFIG_FILE, "pyproject.toml"):
        if tree is None:
            candidate = os.path.join(directory, name)
            exists = os.path.isfile(candidate)
        else:
            from .gitrefs import RefFile

            candidate = RefFile(tree, f"{tree.relative(directory)}/{name}")
            exists = candidate.exists()
        if exists and (name == CONFIG_FILE or _has_slalint_table(candidate)):
            return candidate
    return None


def _settings_at_ref(ref: str, root: str | None, cwd: str) -> Settings:
    """--config-from REF (SPEC §12): the root is `root`, else the top of the git
    work tree; the configuration is the root's at REF (the defaults when REF
    has none there), and the packs and baseline it names are read at REF, so
    that a pull request cannot change the rules it is judged by."""
    from .gitrefs import RefTree

    if root is not None and not os.path.isdir(root):
        raise ConfigError("--root must be a directory", root)
    tree = RefTree(ref, root or cwd, "--config-from")
    directory = os.path.abspath(root) if root else tree.toplevel
    found = _config_file_in(directory, tree)
    settings = read_config_file(found) if found else Settings()
    settings.root = directory
    return settings


def refuse_paths_outside(settings: Settings, *boundaries: str) -> None:
    """A ConfigError for the first file the configuration names (a pack, a
    baseline) that lies outside the `boundaries` or is reached through a link
    leading out of them, before anything reads it."""
    from .paths import leads_outside

    for key, written, path, config, line, column in settings.named_paths:
        if all(leads_outside(path, boundary) for boundary in boundaries):
            option = "--policy" if key == "policies" else "--baseline"
            raise ConfigError(
                f"{quote(written)} leads outside the workspace; a configuration may name only files inside "
                f"it (a pull request could otherwise make slalint read any file the job can read): move it "
                f"into the workspace, or name it with {option} on the command line",
                config,
                line,
                column,
            )


def read_config_file(path) -> Settings:
    """The settings of the file at `path`, or of a RefFile (--config-from)."""
    in_work_tree = isinstance(path, str)
    shown = os.path.relpath(path).replace(os.sep, "/") if in_work_tree else str(path)
    if shown.endswith(".toml"):
        table, locate = _read_toml(path, shown)
    else:
        from .yamlfile import MAX_CONFIG_EVENTS, key_position, load_yaml, value_position

        try:
            table = load_yaml(shown if in_work_tree else path, max_events=MAX_CONFIG_EVENTS)
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
    if in_work_tree:
        return _Reader(shown, os.path.dirname(os.path.abspath(path)), locate).read(table)
    return _Reader(shown, path.work_tree_directory, locate, at_ref=path).read(table)


def _read_toml(path, shown: str):
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
    from .toml_positions import toml_positions

    positions = toml_positions(text)

    def locate(keys: tuple, value: bool = True) -> tuple[int, int]:
        for end in range(len(keys), 0, -1):  # the nearest position known
            found = positions.get(keys[:end])
            if found:
                return found[1] if value and end == len(keys) else found[0]
        return 1, 1

    return table, locate


class _Reader:
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
                import difflib

                match = difflib.get_close_matches(str(key), list(KEYS), n=1)
                hint = f"; did you mean '{match[0]}'?" if match else f"; valid keys: {', '.join(KEYS)}"
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
        """SPEC §12: no configuration can lower, deselect or hide an SL0xx finding
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

    def _glob(self, glob: str, keys: tuple, value: bool = True) -> None:
        """A ConfigError at the glob when gitignore would read it otherwise, or not at all (globs.py)."""
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
        from .gitrefs import GitError, check_ref

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
