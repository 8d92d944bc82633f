"""Checks written in Python, for what an expression cannot say.

A rule names one with `check: NAME` instead of `assert:`; user packs may do
the same. A check is a function of the visited node and the evaluation
context that yields `Violation`s (a message and the span to point at, in the
node's own file). It pays for its work from the run's step budget
(`cost.pay(ctx, steps)`), and registers itself here with the scope it visits:

    @register("my-check", scope="agreement", summary="What it finds")
    def my_check(agreement, ctx):
        if ...:
            yield Violation("message naming the objects and numbers", agreement.span)

This module is the registry and nothing else: the checks import it, and the
packs loader imports them all (builtin_checks.py), so they are registered
before any rule names one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..slotted import Plain
from ..source import Span

# A rule stops producing findings in a file one past the number lint.py shows
# (it then warns that there were more), like the parser; a check may stop
# looking for more of them there too.
FINDINGS_PER_RULE_AND_FILE = 1_001


class Violation(Plain):
    __slots__ = ("message", "span", "about", "related")

    def __init__(self, message: str, span: Span, about: str = "", related: tuple[str, ...] = ()) -> None:
        self.message = message
        self.span = span
        # For a check that can fire more than once at one node: what else the
        # violation is about (the supported objective's anchor, a cycle), part
        # of the finding's identity.
        self.about = about
        self.related = related  # the other files it involves (the supported agreement's)


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


WORKED_OUT = "worked out"  # the global of a run's contexts that `once` keeps its values in; no expression names it


def once(ctx, key, compute: Callable[[], object]):
    """compute(), once per run for `key`: what a check needs of a whole agreement
    or service is worked out (and paid for) on the first of its nodes and shared
    by the others, so that a check stays linear in the size of the workspace."""
    worked_out = ctx.globals.setdefault(WORKED_OUT, {})
    if key not in worked_out:
        worked_out[key] = compute()
    return worked_out[key]
