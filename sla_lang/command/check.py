"""`slalint check`: the command pre-commit and CI run, so it starts without
typer or rich (a pre-commit hook must feel instant). Its options are declared
once, in options.OPTIONS, which the argument parser and `--help` read."""

from __future__ import annotations

import os
import sys

from .options import OPTIONS, UsageError, parse_arguments, positive, settings_from_options

USAGE = "Usage: slalint check [OPTIONS] [PATHS]..."


def help_text() -> str:
    lines = [USAGE, "", "  Check agreement files and directories (default: the current directory).", "", "Options:"]
    for option in OPTIONS:
        head = f"{option.short or '  '}{',' if option.short else ' '} {option.flag}"
        head += f" {option.metavar}" if option.metavar else ""
        lines.append(f"  {head:<32} {option.help}")
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> int:
    try:
        options, paths = parse_arguments(argv)
        if options.get("help"):
            sys.stdout.write(help_text())
            return 0
        _refuse_fix_misuse(options, paths)
        return _check(options, paths)
    except UsageError as problem:
        sys.stderr.write(f"{USAGE}\nError: {problem}\nRun 'slalint check --help' for the options.\n")
        return 2


def _refuse_fix_misuse(options: dict, paths: list[str]) -> None:
    if options.get("unsafe_fixes") and not options.get("fix"):
        raise UsageError("--unsafe-fixes applies unsafe fixes only together with --fix: add --fix")
    if options.get("fix") and ("-" in paths or options.get("stdin_filename")):
        raise UsageError("--fix rewrites files: it cannot fix standard input")
    if options.get("fix") and options.get("write_baseline"):
        raise UsageError("--fix and --write-baseline cannot be used together: fix first, then record the rest")


def _check(options: dict, paths: list[str]) -> int:
    from ..config.gate_warnings import exit_code_warnings
    from ..findings import SEVERITY_RANK
    from ..report.escape import visible

    checked = _lint(options, paths)
    if isinstance(checked, int):
        return checked
    if options.get("fix"):
        checked = _fix(options, paths, checked)
        if isinstance(checked, int):
            return checked
    settings, result = checked
    for warning in result.warnings + ([] if options.get("write_baseline") else exit_code_warnings(settings)):
        sys.stderr.write(f"slalint: warning: {visible(warning)}\n")
    if options.get("write_baseline"):
        return _record_baseline(options["write_baseline"], result, settings)

    format_name = settings.format or "text"
    if not _write_report(format_name, result, _report_settings(format_name, settings), settings):
        return 2
    if settings.output and not settings.quiet:  # the CI log still says how the check went
        from ..report.text import summary_line

        sys.stderr.write(summary_line(result) + "\n")

    if settings.exit_zero or settings.fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[settings.fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= threshold for f in result.findings) else 0


def _fix(options: dict, paths: list[str], checked):
    """--fix: apply the fixes, check again, until none is left to apply;
    says on stderr how many each file took. The last check is what is reported."""
    from ..fixes import MAX_ROUNDS, fix_files
    from ..report.escape import visible

    unsafe = bool(options.get("unsafe_fixes"))
    applied: dict[str, int] = {}
    for _ in range(MAX_ROUNDS):
        _, result = checked
        done = fix_files(result.findings, result.sources, unsafe)
        if not done:
            break
        for path, count in done.items():
            applied[path] = applied.get(path, 0) + count
        checked = _lint(options, paths)
        if isinstance(checked, int):
            return checked
    for path, count in sorted(applied.items()):
        sys.stderr.write(f"slalint: {visible(path)}: applied {count} fix{'es' if count != 1 else ''}\n")
    total = sum(applied.values())
    left = [f for f in checked[1].findings if f.fix is not None and not f.fix.safe]
    hint = f"; {len(left)} more with --unsafe-fixes" if left and not unsafe else ""
    sys.stderr.write(f"slalint: {total} fix{'es' if total != 1 else ''} applied{hint}\n")
    return checked


def _lint(options: dict, paths: list[str]):
    """(settings, the LintResult) of the check the options ask for, or the
    exit code 2 when a setting, a pack, git or Lark refuses."""
    from ..config.settings import ConfigError
    from ..lint import LintRequest, lint
    from ..policy.engine import PolicyRuntimeError
    from ..policy.loader import PolicyError
    from ..reading.gitrefs import GitError
    from ..report.escape import visible
    from ..syntax.lalr import UnsupportedLark

    try:
        settings = settings_from_options(options, paths)
        if options.get("write_baseline"):
            settings.baseline = None  # record everything, hide nothing
        reads_stdin = "-" in paths or bool(options.get("stdin_filename"))
        default_paths = [] if reads_stdin else [settings.root] if settings.root else ["."]
        request = LintRequest(paths=[p for p in paths if p != "-"] or default_paths, settings=settings)
        if "jobs" in options:
            request.jobs = positive(options["jobs"], "--jobs")
        if reads_stdin:
            request.stdin = (options.get("stdin_filename") or "-", sys.stdin.buffer.read())
        return settings, lint(request)
    except (ConfigError, PolicyError) as error:
        if error.line:
            sys.stderr.write(f"slalint: {visible(str(error))}\n")
        else:  # a code given on the command line
            sys.stderr.write(f"slalint: {visible(error.path)}: {visible(error.message)}\n")
        return 2
    except (PolicyRuntimeError, GitError, UnsupportedLark) as error:
        sys.stderr.write(f"slalint: {visible(str(error))}\n")
        return 2


def _record_baseline(path: str, result, settings) -> int:
    """--write-baseline FILE: every finding recorded, nothing reported."""
    from ..filtering.baseline import write_baseline

    try:
        write_baseline(path, result.findings, settings.root or os.getcwd())
    except OSError as error:
        sys.stderr.write(f"slalint: cannot write the baseline {path}: {error.strerror}\n")
        return 2
    count = len(result.findings)
    sys.stderr.write(f"slalint: recorded {count} finding{'s' if count != 1 else ''} in {path}\n")
    return 0


def _report_settings(format_name: str, settings):
    """Colour only in the text format, on a terminal, unless switched off."""
    from ..report import ReportSettings

    color = (
        format_name == "text"
        and not settings.output
        and not settings.no_color
        and "NO_COLOR" not in os.environ
        and sys.stdout.isatty()
    )
    return ReportSettings(color=color, quiet=settings.quiet, fail_on=settings.fail_on)


def _write_report(format_name: str, result, report_settings, settings) -> bool:
    """Write the report to --output or stdout as it is made; False if --output cannot be written."""
    from ..report import write_report

    def write(out) -> None:
        if settings.statistics and format_name in ("text", "concise"):
            out.write(statistics(result))
        else:
            write_report(format_name, result, report_settings, out)

    if not settings.output:
        write(sys.stdout)
        return True
    import io

    from ..reading.paths import open_atomically

    try:
        # A temporary file renamed over the path: a symlink committed under
        # that name is replaced, never followed to overwrite what it points at.
        with open_atomically(settings.output) as handle:
            with io.TextIOWrapper(handle, encoding="utf-8", errors="backslashreplace", newline="") as stream:
                write(stream)
    except OSError as error:
        sys.stderr.write(f"slalint: cannot write the report to {settings.output}: {error.strerror}\n")
        return False
    return True


def statistics(result) -> str:
    """`--statistics`: how many findings of each rule, most frequent first, with
    the severity they carry (the configuration's `severity`, not the rule's default)."""
    from ..findings import SEVERITY_RANK

    counts: dict[str, int] = {}
    severities: dict[str, set[str]] = {}
    for finding in result.findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
        severities.setdefault(finding.code, set()).add(finding.severity)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        info = result.rules.get(code)
        severity = "/".join(sorted(severities[code], key=SEVERITY_RANK.__getitem__, reverse=True))
        lines.append(f"{count:>5}  {code:<8} {info.name if info else '':<40} [{severity}]")
    return "\n".join(lines) + ("\n" if lines else "")
