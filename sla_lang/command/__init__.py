"""The command line: options declared once (options.py), the fast `check`
that pre-commit and CI run (check.py), and the typer app for every other
command (app.py)."""
