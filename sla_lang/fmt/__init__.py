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
    from .layout import print_file
    from .tree import parse_lossless

    if text.startswith("\ufeff"):
        text = text[1:]
    error = syntax_error(text, path)
    if error is not None:
        raise error
    return print_file(parse_lossless(text), text)


__all__ = ["Unformattable", "format_text"]
