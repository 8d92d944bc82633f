"""The typer app: every command except the fast path of `check` (see __main__.py).

Heavy imports happen inside the commands, so `slalint --help` stays quick.
"""

from __future__ import annotations

import contextlib
import sys

import typer

from .. import __version__

app = typer.Typer(
    name="slalint",
    help="A policy-as-code validator for service agreements (SLAs, OLAs and underpinning contracts).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},  # every command's, as in ruff
)


def shared_option(flag: str):
    """`check`'s option `flag` as a typer option: the flag, value and help that
    options.OPTIONS declares; its value is validated by settings_from_options."""
    from .options import option

    declared = option(flag)
    names = [declared.flag] + ([declared.short] if declared.short else [])
    return typer.Option(None, *names, metavar=declared.metavar, help=declared.help, show_default=False)


def declared_help(flag: str) -> str:
    """The help of `check`'s option `flag`, for a flag another command shares."""
    from .options import option

    return option(flag).help


POLICY_OPTION = shared_option("--policy")
CONFIG_OPTION = shared_option("--config")
ROOT_OPTION = shared_option("--root")
TODAY_OPTION = shared_option("--today")


class _UsageError(typer.BadParameter):
    """A value of a shared option that settings_from_options refuses, shown as
    typer shows its own usage errors: the usage, then the message (exit 2)."""

    def format_message(self) -> str:
        return self.message


@contextlib.contextmanager
def _usage_errors():
    from .options import UsageError

    try:
        yield
    except UsageError as problem:
        raise _UsageError(str(problem)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slalint {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Check service agreements written in the slalint language."""


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def check(ctx: typer.Context) -> None:
    """Check agreement files and directories (run 'slalint check --help' for the options)."""
    from .check import run

    raise typer.Exit(run(list(ctx.args)))


def _load(policy: list[str] | None, config: str | None, root: str | None):
    """The settings and packs (built-in, the configuration's, --policy's), or
    exit 2 with the located error."""
    from ..config.settings import ConfigError
    from ..policy.loader import PolicyError, load_packs
    from .options import settings_from_options

    given = {"policy": policy, "config": config, "root": root}
    try:
        with _usage_errors():
            settings = settings_from_options({key: value for key, value in given.items() if value})
        return settings, load_packs(settings.policies, use_cache=settings.cache)
    except (ConfigError, PolicyError) as error:
        typer.echo(f"slalint: {error}", err=True)
        raise typer.Exit(2) from None


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@app.command()
def rules(
    policy: list[str] | None = POLICY_OPTION,
    config: str | None = CONFIG_OPTION,
    root: str | None = ROOT_OPTION,
    format: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """List every rule: code, name, severity, pack and summary."""
    from ..catalogue import rules_by_code

    _, packs = _load(policy, config, root)
    infos = rules_by_code(packs)
    if format == "json":
        import json

        rows = [
            {"code": i.code, "name": i.name, "severity": i.severity, "pack": i.pack, "summary": i.summary}
            for i in infos
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if format != "text":
        typer.echo("slalint: --format must be text or json", err=True)
        raise typer.Exit(2)
    if not sys.stdout.isatty():
        # Piped (grep, less, a file): one rule a line, nothing cut to a terminal's width.
        name_width = max((len(info.name) for info in infos), default=0)
        pack_width = max((len(info.pack) for info in infos), default=0)
        for info in infos:
            columns = (f"{info.name:<{name_width}}", f"{info.severity:<7}", f"{info.pack:<{pack_width}}")
            typer.echo(f"{info.code:<7} {'  '.join(columns)}  {info.summary}")
        return
    from rich.table import Table

    table = Table(title=f"{len(infos)} rules", title_justify="left")
    for column in ("Code", "Name", "Severity", "Pack", "Summary"):
        table.add_column(column, overflow="fold")
    styles = {"error": "red", "warning": "yellow", "info": "cyan"}
    for info in infos:
        table.add_row(info.code, info.name, f"[{styles[info.severity]}]{info.severity}[/]", info.pack, info.summary)
    _console().print(table)


@app.command()
def explain(
    code: str = typer.Argument(..., help="A rule code (SL101) or name (contract-labelled-as-sla)."),
    policy: list[str] | None = POLICY_OPTION,
    config: str | None = CONFIG_OPTION,
    root: str | None = ROOT_OPTION,
) -> None:
    """Show a rule's documentation and examples."""
    from ..catalogue import find_rule, rule_catalogue

    _, packs = _load(policy, config, root)
    info = find_rule(code, packs)
    if info is None:
        from ..hints import close_match

        infos = rule_catalogue(packs).values()
        match = close_match(code, [info.code for info in infos]) or close_match(code, [info.name for info in infos])
        hint = f" Did you mean {match}?" if match else " Run 'slalint rules' for the list."
        typer.echo(f"slalint: no rule '{code}'.{hint}", err=True)
        raise typer.Exit(2)
    from rich.markdown import Markdown

    from ..rule_docs import explanation

    console = _console()
    console.print(Markdown(explanation(info)))


@app.command("test")
def test_packs(
    packs: list[str] | None = typer.Argument(None, help="Policy packs (files or directories); default: built-in."),
    today: str | None = TODAY_OPTION,
) -> None:
    """Run the examples embedded in policy packs: each 'fail' must fire its rule, each 'pass' must not.

    Exactly the packs named are run (the built-in ones when none is), whatever
    a configuration file names: their codes may clash only among themselves."""
    import datetime

    from ..policy.loader import PolicyError, load_packs
    from ..policy.testing import run_examples
    from .options import date

    with _usage_errors():
        day = date(today, "--today") if today is not None else datetime.date.today()
    try:
        loaded = load_packs(packs or [], builtin=not packs)
    except PolicyError as error:
        typer.echo(f"slalint: {error}", err=True)
        raise typer.Exit(2) from None
    outcomes = run_examples(loaded, day)
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        typer.echo(
            f"{outcome.pack.path}:{outcome.example.line}: {outcome.rule.code} {outcome.example.expect} example: "
            f"{outcome.problem}"
        )
    rules_without = [r.code for p in loaded for r in p.rules if not r.examples]
    summary = f"{len(outcomes)} examples in {len(loaded)} pack(s): {len(outcomes) - len(failed)} passed"
    summary += f", {len(failed)} failed" if failed else ""
    if rules_without:
        summary += f"; rules without examples: {', '.join(rules_without)}"
    typer.echo(summary)
    raise typer.Exit(1 if failed else 0)


@app.command()
def diff(
    paths: list[str] | None = typer.Argument(None, help="OLD_DIR NEW_DIR, or with --base the paths to compare."),
    base: str | None = typer.Option(None, "--base", metavar="REF", help="Compare the paths as they are at REF."),
    format: str = typer.Option("text", "--format", help="text, markdown or json."),
    fail_on: str = typer.Option("weakening", "--fail-on", help="weakening (default), any or never."),
    show_all: bool = typer.Option(False, "--all", help="Also list editorial changes (moved, comments, layout)."),
    root: str | None = ROOT_OPTION,
    config: str | None = CONFIG_OPTION,
    config_from: str | None = shared_option("--config-from"),
    max_file_size: str | None = shared_option("--max-file-size"),
    no_color: bool = typer.Option(False, "--no-color", help=declared_help("--no-color")),
) -> None:
    """Show what a change to agreements means for their customers: each semantic change, classed."""
    from ..diff.command import DiffRequest, run_diff
    from ..diff.report import FAIL_ON
    from .options import positive

    paths = paths or []
    if format not in ("text", "markdown", "json"):
        raise _UsageError("--format must be text, markdown or json")
    if fail_on not in FAIL_ON:
        raise _UsageError("--fail-on must be weakening, any or never")
    if base is None and len(paths) != 2:
        raise _UsageError("give two directories (slalint diff OLD_DIR NEW_DIR) or --base REF [PATHS]")
    with _usage_errors():
        largest = None if max_file_size is None else positive(max_file_size, "--max-file-size")
    request = DiffRequest(paths, base, format, fail_on, show_all, root, config, config_from, largest, no_color)
    raise typer.Exit(run_diff(request))


@app.command()
def fmt(
    paths: list[str] | None = typer.Argument(None, help="Files and directories (default: the current directory)."),
    check: bool = typer.Option(False, "--check", help="Change nothing; exit 1 when a file would be reformatted."),
    diff: bool = typer.Option(False, "--diff", help="Change nothing; print a unified diff of each change."),
    config: str | None = CONFIG_OPTION,
    root: str | None = ROOT_OPTION,
) -> None:
    """Rewrite agreement files in the canonical layout (comments kept, meaning unchanged)."""
    from ..config.settings import ConfigError
    from ..fmt.command import run_fmt
    from .options import settings_from_options

    given = {"config": config, "root": root}
    try:
        with _usage_errors():
            settings = settings_from_options({key: value for key, value in given.items() if value}, paths)
    except ConfigError as error:
        typer.echo(f"slalint: {error}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(run_fmt(list(paths or []), settings, check, diff))


@app.command()
def lsp() -> None:
    """Run the language server over standard input and output (for editors; needs the extra slalint[lsp])."""
    try:
        from ..lsp.server import serve
    except ImportError as error:
        typer.echo(
            f"slalint: the language server needs pygls ({error}); install it with: pip install 'slalint[lsp]'",
            err=True,
        )
        raise typer.Exit(2) from None
    raise typer.Exit(serve())


@app.command()
def evaluate(
    paths: list[str] | None = typer.Argument(None, help="Agreement files and directories (default: the current one)."),
    measurements: str | None = typer.Option(
        None, "--measurements", metavar="FILE.csv", help="One row per objective and window."
    ),
    events: str | None = typer.Option(None, "--events", metavar="FILE.csv", help="One row per outage or incident."),
    period: str | None = typer.Option(
        None, "--period", metavar="PERIOD", help="2026-05, 2026-Q2, 2026 or FROM..TO: the windows that end in it."
    ),
    format: str = typer.Option("text", "--format", help="text, markdown, json or csv."),
) -> None:
    """Say which promises were kept in a period, what the credits owe, and which supporter breached too."""
    from ..config.settings import DEFAULT_MAX_FILE_SIZE
    from ..evaluate import EvaluateError, evaluate_files
    from ..evaluate.inputs import InputErrors
    from ..evaluate.report import FORMATS, render

    if format not in FORMATS:
        raise _UsageError("--format must be text, markdown, json or csv")
    try:
        evaluation = evaluate_files(paths or ["."], measurements, events, period, DEFAULT_MAX_FILE_SIZE)
    except (EvaluateError, InputErrors) as error:
        typer.echo(f"slalint: {error}".replace("\n", "\nslalint: "), err=True)
        raise typer.Exit(2) from None
    typer.echo(render(evaluation, format, terminal=format == "text" and sys.stdout.isatty()))
    raise typer.Exit(1 if evaluation.breached else 0)


@app.command()
def render(
    targets: list[str] | None = typer.Argument(None, help="Files, directories or agreement ids; default: '.'."),
    format: str = typer.Option("markdown", "--format", help="markdown (default) or html."),
    output: str | None = typer.Option(None, "--output", metavar="DIR", help="Write DIR/<id>.md or .html; '-': stdout."),
    internal: bool = typer.Option(False, "--internal", help="Show an SLA's underpinning OLAs and contracts."),
    templates: str | None = typer.Option(
        None, "--templates", metavar="DIR", help="Templates that replace the shipped ones."
    ),
    today: str | None = TODAY_OPTION,
) -> None:
    """Render agreements as the documents people read and sign (Markdown, or one self-contained HTML file each)."""
    import datetime

    from ..config.settings import DEFAULT_MAX_FILE_SIZE
    from ..render import RenderError, render
    from ..render.engine import TemplateProblem
    from .options import date

    if format not in ("markdown", "html"):
        raise _UsageError("--format must be markdown or html")
    with _usage_errors():
        day = date(today, "--today") if today is not None else datetime.date.today()
    try:
        code = render(targets or [], format, output, internal, templates, day, DEFAULT_MAX_FILE_SIZE)
    except (RenderError, TemplateProblem) as error:
        typer.echo(f"slalint: {error}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


@app.command()
def graph(
    paths: list[str] | None = typer.Argument(None, help="Files and directories; default: '.'."),
    format: str = typer.Option("text", "--format", help="text (default), mermaid or dot."),
    focus: str | None = typer.Option(None, "--focus", metavar="ID", help="Only what ID supports and what supports it."),
    config: str | None = CONFIG_OPTION,
    today: str | None = TODAY_OPTION,
) -> None:
    """Draw who supports whom: agreements, supports links with their targets, and underpinning findings."""
    import datetime

    from ..config.settings import DEFAULT_MAX_FILE_SIZE, ConfigError
    from ..graph import FORMATS, GraphError, graph
    from .options import date, settings_from_options

    if format not in FORMATS:
        raise _UsageError("--format must be text, mermaid or dot")
    paths = paths or ["."]
    with _usage_errors():
        day = date(today, "--today") if today is not None else datetime.date.today()
        try:
            settings = settings_from_options({"config": config} if config else {}, paths)
        except ConfigError as error:
            typer.echo(f"slalint: {error}", err=True)
            raise typer.Exit(2) from None
    try:
        code = graph(paths, format, focus, day, settings, DEFAULT_MAX_FILE_SIZE)
    except GraphError as error:
        typer.echo(f"slalint: {error}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


def run_app(argv: list[str]) -> int:
    from ..syntax.lalr import UnsupportedLark

    try:
        app(args=argv, prog_name="slalint", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except UnsupportedLark as error:
        sys.stderr.write(f"slalint: {error}\n")
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_app(sys.argv[1:]))
