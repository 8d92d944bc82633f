"""The settings of a run (Settings) and the keys a configuration file may
set. Where the file is found and how it is read is load.py; how each key's
value is checked is keys.py."""

from __future__ import annotations

import datetime
import re

from ..reading.yamlfile import YamlError
from ..source import DEFAULT_MAX_FILE_SIZE

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
    "diff-ignore": "list of accepted diff changes",
}


# Keys a configuration may not set, and the option to use instead: a pull request
# controls the configuration, and must not choose where slalint writes.
COMMAND_LINE_ONLY = {"output": "--output FILE", "write-baseline": "--write-baseline FILE"}


class IgnoreEntry:
    """A `diff-ignore` entry: changes accepted by an agreement glob, a dotted-path
    glob or both (diff/ignore.py matches them), the reason, and where it was written."""

    __slots__ = ("agreement", "path", "reason", "where")

    def __init__(self, agreement: str | None, path: str | None, reason: str, where: str) -> None:
        self.agreement = agreement
        self.path = path
        self.reason = reason
        self.where = where  # "config:line"


def as_glob(dotted: str) -> str:
    """A dotted-path glob as a slash-separated one, for filtering/globs.py."""
    return dotted.replace(".", "/")


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
        self.diff_ignore: list = []  # IgnoreEntry: changes `slalint diff` lists as accepted
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
