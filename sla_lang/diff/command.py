"""`slalint diff`: load both sides through the pipeline's parse and resolve
stages, compare them, accept what `diff-ignore` names, print, and give the
exit code `--fail-on` asks for."""

from __future__ import annotations

import os
import sys


class DiffRequest:
    def __init__(
        self,
        paths: list[str],
        base: str | None = None,
        format: str = "text",
        fail_on: str = "weakening",
        show_all: bool = False,
        root: str | None = None,
        config: str | None = None,
        config_from: str | None = None,
        max_file_size: int | None = None,
        no_color: bool = False,
    ) -> None:
        self.paths = paths
        self.base = base
        self.format = format
        self.fail_on = fail_on
        self.show_all = show_all
        self.root = root
        self.config = config
        self.config_from = config_from
        self.max_file_size = max_file_size
        self.no_color = no_color


def run_diff(request: DiffRequest) -> int:
    from ..config.settings import ConfigError
    from ..many_files.workspace import LoadError
    from ..reading.gitrefs import GitError
    from ..report.escape import visible
    from .report import exit_code, shown

    try:
        changes = _changes(request)
    except ConfigError as error:
        message = str(error) if error.line else f"{error.path}: {error.message}"
        sys.stderr.write(f"slalint: {visible(message)}\n")
        return 2
    except (LoadError, GitError) as error:
        sys.stderr.write(f"slalint: {visible(str(error))}\n")
        return 2
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ and not request.no_color
    text = shown(changes, request.format, color)
    if request.format == "markdown":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as step_summary:
                step_summary.write(text + "\n")
    sys.stdout.write(text + "\n")
    return exit_code(changes, request.fail_on)


def _changes(request: DiffRequest) -> list:
    from ..config.load import load_settings
    from ..filtering.selection import excluded
    from .compare import compare
    from .editorial import editorial_changes
    from .ignore import apply_ignores
    from .load import directory_pair, ref_pair

    paths = request.paths
    in_new = paths[1:] if request.base is None else paths or ["."]
    settings = load_settings(request.root, request.config, config_from=request.config_from, paths=in_new)
    max_size = request.max_file_size or settings.max_file_size

    def excluded_below(base: str):
        return lambda path: excluded(path, settings.exclude, base)

    if request.base is None:  # `exclude` globs read from each compared directory
        pair = directory_pair(paths[0], paths[1], max_size, excluded_below)
    else:
        from ..reading.gitrefs import RefTree

        tree = RefTree(request.base, in_new[0] if os.path.isdir(in_new[0]) else ".", "--base")
        pair = ref_pair(tree, in_new, max_size, excluded_below(settings.root or os.getcwd()))
    changes = compare(pair.old.workspace, pair.new.workspace, pair.candidates)
    if request.show_all:
        changes += editorial_changes(pair.old, pair.new, changes, pair.candidates)
        changes.sort(key=lambda change: change.agreement)  # stable: model order within an agreement
    apply_ignores(changes, settings.diff_ignore)
    return changes
