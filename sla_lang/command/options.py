"""The command line's options, declared once in OPTIONS: `slalint check`
parses them with parse_arguments (without typer: a pre-commit hook must start
at once), the typer commands declare the ones they share from the same table
(app.py), and settings_from_options turns the values of either into Settings,
each kind of value validated one way (dates, numbers, codes; paths by
config.load_settings)."""

from __future__ import annotations

from ..report import FORMATS


class Option:
    def __init__(
        self,
        flag: str,
        metavar: str | None,
        help: str,
        choices: tuple[str, ...] = (),
        repeatable: bool = False,
        short: str | None = None,
    ) -> None:
        self.flag = flag
        self.metavar = metavar  # None: a switch without a value
        self.help = help
        self.choices = choices
        self.repeatable = repeatable
        self.short = short  # "-o": the one-letter alias, as ruff has them

    @property
    def key(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


SEVERITY_THRESHOLDS = ("error", "warning", "info", "never")

OPTIONS = (
    Option("--format", "FORMAT", "Report format: " + ", ".join(FORMATS) + " (default: text).", FORMATS),
    Option("--output", "FILE", "Write the report to FILE instead of standard output.", short="-o"),
    Option("--select", "CODES", "Comma-separated codes or prefixes (SL1, SL301) of the rules to run.", repeatable=True),
    Option("--ignore", "CODES", "Comma-separated codes or prefixes of rules not to run.", repeatable=True),
    Option(
        "--fail-on",
        "SEVERITY",
        "Lowest severity that makes the exit code 1: error, warning, info or never (default: error).",
        SEVERITY_THRESHOLDS,
    ),
    Option("--exit-zero", None, "Exit 0 even when there are findings at or above --fail-on."),
    Option("--policy", "PATH", "An extra policy pack, or a directory of them (repeatable).", repeatable=True),
    Option("--config", "FILE", "Use this configuration file (.slalint.yaml or pyproject.toml)."),
    Option("--root", "DIR", "The workspace root: every .sla file under it is loaded to resolve references."),
    Option(
        "--config-from",
        "REF",
        "Read the config, and the packs and baseline it names, at git ref REF (e.g. origin/main).",
    ),
    Option("--today", "YYYY-MM-DD", "The date that date rules compare with (default: the system date)."),
    Option("--base", "REF", "A git ref to compare active SLAs with, for SL205 (e.g. origin/main)."),
    Option(
        "--new-since",
        "REF",
        "Report only the findings of the whole workspace that are not found at the git ref REF (e.g. HEAD).",
    ),
    Option("--baseline", "FILE", "Hide the findings recorded in FILE; report only new ones."),
    Option("--write-baseline", "FILE", "Record the current findings in FILE and exit 0."),
    Option("--statistics", None, "Print the number of findings per rule instead of the findings.", short="-s"),
    Option("--stdin-filename", "NAME", "Read the file from standard input (path '-') and report it as NAME."),
    Option("--max-file-size", "BYTES", "Skip agreements larger than this (SL008; default 5 MiB, 5242880)."),
    Option("--no-cache", None, "Do not read or write slalint's cache."),
    Option(
        "--no-inline-suppressions",
        None,
        "Ignore every '# slalint:' comment, for audits: nothing is suppressed, no SL901 or SL902.",
    ),
    Option("--jobs", "N", "Parser processes (default: one per core for 64 files or more, else one)."),
    Option("--no-color", None, "Plain output, even on a terminal."),
    Option("--quiet", None, "Print the findings only, without the summary line.", short="-q"),
    Option("--fix", None, "Apply the safe fixes of the findings to the files, then check again."),
    Option("--unsafe-fixes", None, "With --fix, apply the unsafe fixes too (they change meaning on purpose)."),
    Option("--help", None, "Show this message and exit.", short="-h"),
)
_BY_FLAG = {option.flag: option for option in OPTIONS}
_BY_SHORT = {option.short: option for option in OPTIONS if option.short}


def option(flag: str) -> Option:
    """The declaration of `flag` (a typer command that shares it reads it here)."""
    return _BY_FLAG[flag]


class UsageError(Exception):
    """A command line that cannot be run: exit 2, with the usage."""


def parse_arguments(argv: list[str]) -> tuple[dict, list[str]]:
    """Options as ruff takes them: `--output FILE`, `--output=FILE`, `-o FILE`,
    `-oFILE`, switches bundled (`-qs`); `-` alone is standard input and every
    argument after `--` a path."""
    values: dict = {}
    paths: list[str] = []
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--":
            paths.extend(arguments)
            break
        if argument == "-" or not argument.startswith("-"):
            paths.append(argument)
        elif argument.startswith("--"):
            flag, has_value, value = argument.partition("=")
            option = _BY_FLAG.get(flag)
            if option is None:
                from ..hints import close_match

                match = close_match(flag, _BY_FLAG)
                raise UsageError(f"no such option: {flag}" + (f" (did you mean {match}?)" if match else ""))
            _take(option, flag, value if has_value else None, arguments, values)
        else:
            for option, flag, value in _short_options(argument):
                _take(option, flag, value, arguments, values)
    return values, paths


def _short_options(argument: str):
    """(option, flag, attached value or None) for each letter of `-qs` or `-oFILE`."""
    letters = argument[1:]
    while letters:
        flag, letters = "-" + letters[0], letters[1:]
        option = _BY_SHORT.get(flag)
        if option is None:
            long_form = "-" + argument.partition("=")[0]
            if long_form in _BY_FLAG:  # -quiet
                raise UsageError(f"no such option: {argument} (did you mean {long_form}?)")
            raise UsageError(
                f"no such option: {flag} (a path that starts with '-' goes after '--', or as ./{argument})"
            )
        if option.metavar is None and letters.startswith("="):
            raise UsageError(f"{flag} takes no value")
        if option.metavar is None:
            yield option, flag, None
        else:  # the rest of the argument is the value: -oFILE, -o=FILE
            yield option, flag, letters.removeprefix("=") if letters else None
            return


def _take(option: Option, flag: str, value: str | None, arguments, values: dict) -> None:
    """Record `option`; `value` is the one attached to the flag, else None (then
    a value, if the option takes one, is the next argument)."""
    if option.metavar is None:
        if value is not None:
            raise UsageError(f"{flag} takes no value")
        values[option.key] = True
        return
    if value is None:
        value = next(arguments, None)
        if value is None:
            raise UsageError(f"{flag} needs a value: {flag} {option.metavar}")
    if option.choices and value not in option.choices:
        raise UsageError(f"{flag} must be one of {', '.join(option.choices)}, not '{value}'")
    if option.repeatable:
        values.setdefault(option.key, []).append(value)
    else:
        values[option.key] = value


def settings_from_options(options: dict, paths: list[str] | None = None):
    """The configuration file's settings with the command line's on top (the
    values parse_arguments gives, or a typer command's under the same keys);
    the root is searched from the named `paths`."""
    from ..config.load import load_settings

    if "config" in options and "config_from" in options:
        raise UsageError(
            "--config and --config-from cannot be used together (--config-from reads the root's config at REF)"
        )
    settings = load_settings(
        root=options.get("root"), config=options.get("config"), config_from=options.get("config_from"), paths=paths
    )
    # What the command line sets is no longer the configuration's doing (see config/gate_warnings.py).
    settings.from_config -= {key.replace("_", "-") for key in options}
    if "select" in options:
        settings.select = codes(options["select"])
    if "ignore" in options:
        settings.ignore = codes(options["ignore"])
    settings.code_positions += [
        (code, "--select" if flag == "select" else "--ignore", 0, 0)
        for flag in ("select", "ignore")
        for code in codes(options.get(flag, []))
    ]
    settings.policies = settings.policies + options.get("policy", [])
    if "new_since" in options:
        from ..reading.gitrefs import GitError, check_ref

        try:
            settings.new_since = check_ref(options["new_since"])
        except GitError as error:
            raise UsageError(f"--new-since: {error}") from None
    for key in ("fail_on", "format", "output", "base", "baseline"):
        if key in options:
            setattr(settings, key, options[key])
    for key in ("exit_zero", "quiet", "no_color", "statistics"):
        if options.get(key):
            setattr(settings, key, True)
    if options.get("no_cache"):
        settings.cache = False
    if options.get("no_inline_suppressions"):
        settings.inline_suppressions = False
    if "today" in options:
        settings.today = date(options["today"], "--today")
    if "max_file_size" in options:
        settings.max_file_size = positive(options["max_file_size"], "--max-file-size")
    return settings


def positive(text: str, flag: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"{flag} must be a positive number, not '{text}'")
    return int(text)


def codes(values: list[str]) -> list[str]:
    """`--select SL1,SL301 --select sl5`: every code, upper-cased."""
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def date(text: str, flag: str):
    """The value of a date option, or a UsageError that says what to write."""
    from ..config.settings import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise UsageError(f"{flag} must be a date as YYYY-MM-DD, not '{text}'") from None
