"""The `slalint` console script.

`check` and `--version` take a fast path that imports neither typer nor rich;
every other command goes to the typer app in command/app.py.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    whole_process = argv is None  # the console script, not a caller in Python
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] in (["--version"], ["-V"]):
            from . import __version__

            sys.stdout.write(f"slalint {__version__}\n")
            return 0
        if argv[:1] == ["check"]:
            import gc

            # A check builds a large graph of small objects and exits: the cyclic
            # collector would only re-scan them, slowing down loading the parse cache
            # and parsing. Memory use is bounded by the workspace, which is kept to
            # the end anyway.
            gc.disable()
            from .command.check import run

            code = run(argv[1:])
            if whole_process:
                _exit_without_teardown(code)
            return code
        from .command.app import run_app

        return run_app(argv)
    except KeyboardInterrupt:
        sys.stderr.write("slalint: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # the promise: never a traceback, whatever the input
        sys.stderr.write(
            f"slalint: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in slalint. Please report it with the command you ran and, if you can, the input, "
            "at https://github.com/slalint/slalint/issues (set SLALINT_DEBUG=1 to see the traceback).\n"
        )
        if _debug():
            raise
        return 2


def _exit_without_teardown(code: int) -> None:
    """End the process without freeing the workspace object by object, which
    takes a noticeable part of a large check. Nothing is
    pending by then: the report is written, the caches are written (each
    atomically), the child processes are joined; only the standard streams
    need a flush."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _debug() -> bool:
    import os

    return bool(os.environ.get("SLALINT_DEBUG"))


if __name__ == "__main__":
    sys.exit(main())
