"""The workspace root and its configuration file.

The root is `--root`, else the nearest directory from the current one upwards
that holds `.slalint.yaml` or a `pyproject.toml` with a `[tool.slalint]`
table. Both files take the same keys; every value is checked (keys.py), and a
mistake is an error with file, line and column (exit 2). Codes are checked
later, once the policy packs (which define codes) are loaded:
`Settings.code_positions` remembers where each code was written.
"""

from __future__ import annotations

import os
import re

from ..reading.yamlfile import YamlError, quote
from .keys import KeyReader
from .settings import CONFIG_FILE, ConfigError, Settings


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
    from ..source import UnreadableFile

    try:
        if isinstance(path, str):
            from ..reading.paths import leads_outside

            if leads_outside(path, os.path.dirname(os.path.abspath(path))):
                return False
            with open(path, "rb") as handle:
                head = handle.read(4 * 1024 * 1024)
        else:
            from ..reading.yamlfile import MAX_YAML_SIZE

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
    from ..reading.paths import leads_outside

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
            from ..reading.gitrefs import RefFile

            candidate = RefFile(tree, f"{tree.relative(directory)}/{name}")
            exists = candidate.exists()
        if exists and (name == CONFIG_FILE or _has_slalint_table(candidate)):
            return candidate
    return None


def _settings_at_ref(ref: str, root: str | None, cwd: str) -> Settings:
    """--config-from REF: the root is `root`, else the top of the git
    work tree; the configuration is the root's at REF (the defaults when REF
    has none there), and the packs and baseline it names are read at REF, so
    that a pull request cannot change the rules it is judged by."""
    from ..reading.gitrefs import RefTree

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
    from ..reading.paths import leads_outside

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
        from ..reading.yamlfile import MAX_CONFIG_EVENTS, key_position, load_yaml, value_position

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
                from ..reading.yamlfile import item_position

                return item_position(node, last)
            return value_position(node, last) if value else key_position(node, last)

    if not isinstance(table, dict):
        raise ConfigError("the configuration must be a mapping of keys to values", shown)
    if in_work_tree:
        return KeyReader(shown, os.path.dirname(os.path.abspath(path)), locate).read(table)
    return KeyReader(shown, path.work_tree_directory, locate, at_ref=path).read(table)


def _read_toml(path, shown: str):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    from ..reading.yamlfile import read_yaml_bytes

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
