"""`slalint fmt`: agreement files in one canonical layout.

format_text works from a lossless view of the file (its tokens, comments
and positions), never from the model, so comments survive and the meaning
cannot change; a file with a syntax error is refused (Unformattable).
"""

from __future__ import annotations


class Unformattable(Exception):
    """The file has a syntax error: formatting it could only guess."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.message = message


_SYNTAX: list = []


def syntax_error(text: str, path: str) -> Unformattable | None:
    """The first syntax error of the file, as `check` reports it (SL001)."""
    from ..source import SourceFile
    from ..syntax.parser import AgreementParser

    if not _SYNTAX:
        _SYNTAX.append(AgreementParser())
    parsed = _SYNTAX[0].parse(SourceFile(path, text))
    errors = sorted((f for f in parsed.findings if f.code == "SL001"), key=lambda f: (f.span.line, f.span.column))
    if not errors:
        return None
    span = errors[0].span
    return Unformattable(path, span.line, span.column, f"syntax error, not formatted: {errors[0].message}")


def format_text(text: str, path: str) -> str:
    """`text` in the canonical layout; Unformattable for a file with a syntax error."""
    import gc

    from .layout import print_file
    from .tree import NotParsed, parse_lossless

    if text.startswith("\ufeff"):
        text = text[1:]
    collecting = gc.isenabled()
    gc.disable()  # the view is many small objects and no cycles: the collector would only rescan them
    try:
        try:
            view = parse_lossless(text)
        except NotParsed:
            view = None
        if view is None or view.escapes:
            error = syntax_error(text, path)
            if error is not None:
                raise error
            if view is None:  # the full parse takes what the quick one refused: never guess
                raise Unformattable(path, 1, 1, "the file could not be read for formatting")
        return print_file(view, text)
    finally:
        if collecting:
            gc.enable()


__all__ = ["Unformattable", "format_text"]
