"""Checks written in Python, for what an expression cannot say.

A rule names one with `check: NAME` instead of `assert:`; user packs may do
the same. A check is a function of the visited node and the evaluation
context that yields `Violation`s (a message and the span to point at). It
registers itself here with the scope it visits:

    @register("my-check", scope="agreement", summary="What it finds")
    def my_check(agreement, ctx):
        if ...:
            yield Violation("message naming the objects and numbers", agreement.span)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..plain import Plain
from ..source import Span


class Violation(Plain):
    __slots__ = ("message", "span")

    def __init__(self, message: str, span: Span) -> None:
        self.message = message
        self.span = span


class CheckSpec(Plain):
    __slots__ = ("name", "scope", "summary", "function")

    def __init__(self, name: str, scope: str, summary: str, function: Callable[..., Iterator[Violation]]) -> None:
        self.name = name
        self.scope = scope
        self.summary = summary
        self.function = function


CHECKS: dict[str, CheckSpec] = {}


def register(name: str, *, scope: str, summary: str):
    def decorate(function):
        CHECKS[name] = CheckSpec(name, scope, summary, function)
        return function

    return decorate


# The built-in checks register themselves on import.
from . import builtin_checks  # noqa: E402,F401
