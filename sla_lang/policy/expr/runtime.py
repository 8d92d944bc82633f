"""What expressions compute with at run time: the evaluation context, typed
equality and ordering, arithmetic, the aggregates of quantifiers and the text
of a value in a message.

The rules are the same everywhere: null only equals null, values of different
kinds never compare, and an operation that has no answer (division by zero, a
decimal overflow, kinds that do not combine) gives null instead of failing.
"""

from __future__ import annotations

import datetime
import operator
from decimal import Decimal, InvalidOperation

from ...values import Duration, Percent, describe_seconds
from ..cost import pay, pay_for
from ..model_view import format_value, kind_of

DEFAULT_BUDGET = 2_000_000  # steps of an evaluation outside a run (a run has one budget: engine.py)


class Context:
    """What one evaluation reads: the visited node, the global names, the
    quantifier variables, and what is left of the step budget."""

    __slots__ = ("node", "globals", "variables", "budget")

    def __init__(self, node, globals_: dict, budget: int = DEFAULT_BUDGET) -> None:
        self.node = node
        self.globals = globals_
        self.variables: dict = {}
        self.budget = budget


# -- equality and order ---------------------------------------------------------------

# Types whose own == and < already are the language's (same kind on both sides).
_PLAIN_TYPES = frozenset({str, Decimal, Percent, Duration, datetime.date})


def values_equal(a, b, ctx) -> bool:
    if a is None or b is None:
        return a is b
    if type(a) is type(b) and type(a) in _PLAIN_TYPES:  # the common case, without kind_of
        return a == b
    ka, kb = kind_of(a), kind_of(b)
    if ka != kb:
        return False
    if ka == "node":
        return a is b
    if ka == "list":
        if len(a) != len(b):
            return False
        pay(ctx, len(a))
        return all(values_equal(x, y, ctx) for x, y in zip(a, b, strict=True))
    return a == b


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def compare(op: str, a, b, ctx) -> bool:
    """Typed comparison: null only equals null, and kinds never mix."""
    if op == "==":
        return values_equal(a, b, ctx)
    if op == "!=":
        return not values_equal(a, b, ctx)
    if type(a) is type(b) and type(a) in _PLAIN_TYPES:
        return _ORDER[op](a, b)
    if a is None or b is None or kind_of(a) != kind_of(b) or kind_of(a) in ("node", "list", "bool"):
        return False
    return _ORDER[op](a, b)


# -- arithmetic -----------------------------------------------------------------------


def _seconds(value: Decimal) -> Duration:
    return Duration(value, "s")


# (operator, kind, kind): (the kind of the result, how it is computed). The
# type checker reads the first, the run the second: one table for both.
ARITHMETIC = {
    ("+", "string", "string"): ("string", operator.add),
    ("+", "number", "number"): ("number", operator.add),
    ("-", "number", "number"): ("number", operator.sub),
    ("*", "number", "number"): ("number", operator.mul),
    ("/", "number", "number"): ("number", lambda a, b: a / b if b else None),
    ("+", "percent", "percent"): ("percent", lambda a, b: Percent(a.value + b.value)),
    ("-", "percent", "percent"): ("percent", lambda a, b: Percent(a.value - b.value)),
    ("*", "percent", "number"): ("percent", lambda a, b: Percent(a.value * b)),
    ("*", "number", "percent"): ("percent", lambda a, b: Percent(a * b.value)),
    ("/", "percent", "number"): ("percent", lambda a, b: Percent(a.value / b) if b else None),
    ("/", "percent", "percent"): ("number", lambda a, b: a.value / b.value if b.value else None),
    ("*", "percent", "percent"): ("percent", lambda a, b: Percent(a.value * b.value / 100)),
    ("+", "duration", "duration"): ("duration", lambda a, b: _seconds(a.seconds + b.seconds)),
    ("-", "duration", "duration"): ("duration", lambda a, b: _seconds(a.seconds - b.seconds)),
    ("*", "duration", "number"): ("duration", lambda a, b: _seconds(a.seconds * b)),
    ("*", "number", "duration"): ("duration", lambda a, b: _seconds(a * b.seconds)),
    ("/", "duration", "number"): ("duration", lambda a, b: _seconds(a.seconds / b) if b else None),
    ("/", "duration", "duration"): ("number", lambda a, b: a.seconds / b.seconds if b.seconds else None),
    ("*", "percent", "duration"): ("duration", lambda a, b: _seconds(a.fraction * b.seconds)),
    ("*", "duration", "percent"): ("duration", lambda a, b: _seconds(a.seconds * b.fraction)),
    ("+", "date", "duration"): ("date", lambda a, b: a + datetime.timedelta(seconds=float(b.seconds))),
    ("-", "date", "duration"): ("date", lambda a, b: a - datetime.timedelta(seconds=float(b.seconds))),
}


def arithmetic(op: str, a, b):
    if a is None or b is None:
        return None
    entry = ARITHMETIC.get((op, kind_of(a), kind_of(b)))
    if entry is None:
        return None
    try:
        return entry[1](a, b)
    except (InvalidOperation, ArithmeticError, OverflowError, ValueError):
        return None


def plus(a, b, ctx):
    """`a + b`, the one operator that can build a longer string: that string is paid for."""
    result = arithmetic("+", a, b)
    return pay_for(ctx, result) if type(result) is str else result


def negate(value):
    return arithmetic("-", _zero_like(value), value)


def _zero_like(value):
    if isinstance(value, Percent):
        return Percent(Decimal(0))
    if isinstance(value, Duration):
        return Duration(Decimal(0), "s")
    return Decimal(0)


# -- aggregates: what sum(), min(), max() and product() make of their values ---------------------


def _of_one_kind(values: list) -> tuple[list, str | None]:
    """The values that are not null, and their one kind (None when there are none, or several)."""
    values = [v for v in values if v is not None]
    kinds = {kind_of(v) for v in values}
    return values, kinds.pop() if len(kinds) == 1 else None


def min_of(values: list):
    values, kind = _of_one_kind(values)
    return min(values) if kind is not None and kind != "node" else None


def max_of(values: list):
    values, kind = _of_one_kind(values)
    return max(values) if kind is not None and kind != "node" else None


def sum_of(values: list):
    values, kind = _of_one_kind(values)
    if kind not in ("number", "percent", "duration"):
        return None  # strings are never summed: the type checker refuses it, this is the run's guard
    total = values[0]
    for value in values[1:]:
        total = arithmetic("+", total, value)
    return total


def product_of(values: list):
    """Percents multiply as fractions: availability in series."""
    values, kind = _of_one_kind(values)
    try:
        if kind == "percent":
            fraction = Decimal(1)
            for value in values:
                fraction *= value.fraction
            return Percent(fraction * 100)
        if kind == "number":
            result = Decimal(1)
            for value in values:
                result *= value
            return result
    except (InvalidOperation, ArithmeticError):  # decimal overflow: no answer, like arithmetic()
        return None
    return None


# -- text for messages --------------------------------------------------------------------


def human(value) -> str:
    """Durations in words; numbers and percents cut to four decimals, toward
    zero, so that a computed product reads `99.96%` and not
    `99.96000599960001%` (cutting, not rounding, keeps `at most` true)."""
    if isinstance(value, Duration):
        return str(value) if value.business else describe_seconds(value.seconds)
    return format_value(value, decimals=4)
