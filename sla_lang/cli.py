"""The typer app: every command except the fast path of `check` (see __main__.py).

Heavy imports happen inside the commands, so `slalint --help` stays quick.
"""

from __future__ import annotations

import typer

from . import __version__

app = typer.Typer(
    name="slalint",
    help="A policy-as-code validator for service agreements (SLAs, OLAs and underpinning contracts).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


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
    from .check_command import run

    raise typer.Exit(run(list(ctx.args)))


def run_app(argv: list[str]) -> int:
    try:
        app(args=argv, prog_name="slalint", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    return 0
