"""Every function and quantifier of the expression language, declared once.

Each declaration names the function, its parameter and result types and its
implementation. The type checker, the compiler, the "did you mean" for an
unknown name and the test of docs/policies.md all read these two tables, so a
function added here exists everywhere at once.

A function's implementation takes the evaluation context first, then the
values of its arguments. Unless it is declared to take null itself, it is not
called when an argument is null: the call gives `null_gives` instead. What it
builds or scans (a list of nodes, a string) it pays for from the step budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from ...model.nodes import Agreement, Objective, Service
from ...values import Duration
from ..cost import pay_for
from ..model_view import FIELD_TYPES, WRITTEN_AS, format_value, is_written
from .parse import Expr, ExpressionError
from .runtime import human, max_of, min_of, product_of, sum_of, values_equal

TAKES_NULL = object()  # a Function's null_gives: its implementation is called with null arguments too


class Function:
    """`name(params...)`: the static types of its parameters ("any" for any
    value) and of its result, and how it is computed.

    Two functions are more than a computation: `if` evaluates one branch only
    and its type is that of its branches, `written` reads a field of a node
    rather than a value. `result_of` (the types of the arguments -> the type
    of the result), `check_arguments` (more static checks) and `compile` (the
    whole compiled call) let them say so here."""

    __slots__ = ("name", "params", "result", "run", "null_gives", "result_of", "check_arguments", "compile")

    def __init__(
        self,
        name: str,
        params: tuple[str, ...],
        result: str,
        run: Callable | None = None,
        *,
        null_gives=TAKES_NULL,
        result_of: Callable[[list[str]], str] | None = None,
        check_arguments: Callable | None = None,
        compile: Callable | None = None,
    ) -> None:
        self.name = name
        self.params = params
        self.result = result
        self.run = run
        self.null_gives = null_gives
        self.result_of = result_of
        self.check_arguments = check_arguments
        self.compile = compile

    def apply(self, ctx, args: list):
        if self.null_gives is not TAKES_NULL and any(arg is None for arg in args):
            return self.null_gives
        return self.run(ctx, *args)


class Quantifier:
    """`name(v in xs: body)`. A condition quantifier's body must be true or
    false; a value quantifier's body may be of the kinds it `accepts` (None:
    any). Its result type is a type, or ITEM (the list's item type) or BODY
    (the body's type). `reduce` takes the (item, body value) pairs as the
    items are visited, and may stop early."""

    __slots__ = ("name", "result", "reduce", "condition", "accepts", "what")

    def __init__(
        self,
        name: str,
        result: str,
        reduce: Callable,
        *,
        condition: bool = False,
        accepts: tuple[str, ...] | None = None,
        what: str = "",
    ) -> None:
        self.name = name
        self.result = result
        self.reduce = reduce
        self.condition = condition
        self.accepts = accepts
        self.what = what  # what it does with the values, for the error when the body's kind is wrong

    def result_type(self, item: str, body: str) -> str:
        return {ITEM: item, BODY: body}.get(self.result, self.result)


ITEM, BODY = "the item type", "the body type"


# -- what the model functions read; the checks use them too --------------------------------


def agreement_of(value):
    return value if isinstance(value, Agreement) else getattr(value, "agreement", None)


def services_of(value) -> list:
    if isinstance(value, Agreement):
        return list(value.services)
    if isinstance(value, Service):
        return [value]
    service = getattr(value, "service", None)
    return [service] if service is not None else []


def objectives_of(value) -> list:
    if isinstance(value, Objective):
        return [value]
    return [objective for service in services_of(value) for objective in service.objectives]


def label_of(value) -> str | None:
    """How messages name a node: `SLA 'gold'`, `service 'api'`, `party 'acme'`."""
    if value is None:
        return None
    if isinstance(value, list | tuple):  # `supports`: each of them
        return ", ".join(label_of(item) or "none" for item in value)
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    return format_value(value)  # a plain value names itself


def _paid(read: Callable) -> Callable:
    """A model function as the language calls it: any node, null gives nothing, what it builds is paid for."""
    return lambda ctx, value: pay_for(ctx, read(value))


# -- the computations -----------------------------------------------------------------------


def _length(ctx, value):
    return Decimal(len(value)) if isinstance(value, str | list | tuple) else None


def _startswith(ctx, text, prefix) -> bool:
    return isinstance(text, str) and isinstance(prefix, str) and text.startswith(prefix)


def _endswith(ctx, text, suffix) -> bool:
    return isinstance(text, str) and isinstance(suffix, str) and text.endswith(suffix)


def _contains(ctx, container, item) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in pay_for(ctx, container)
    if isinstance(container, list | tuple):
        return any(values_equal(x, item, ctx) for x in pay_for(ctx, container))
    return False


def _lower(ctx, text):
    return pay_for(ctx, text).lower() if isinstance(text, str) else None


def _days_between(ctx, first, second):
    if isinstance(first, datetime.date) and isinstance(second, datetime.date):
        return Decimal((second - first).days)
    return None


def _seconds_in(ctx, duration):
    return duration.seconds if isinstance(duration, Duration) and not duration.business else None


def _before(ctx, first, second) -> bool:
    return _source_order(first) < _source_order(second)


def _source_order(node) -> tuple:
    span = getattr(node, "span", None)
    return (span.path, span.line, span.column) if span is not None else ("", 0, 0)


# -- if(): one branch evaluated, typed by its branches ------------------------------------------


def _common_type(types: list[str]) -> str:
    branches = {t for t in types[1:] if t != "null"}
    return branches.pop() if len(branches) == 1 else "any" if branches else "null"


def _compile_if(args, compile_arg, scope, variables):
    condition, then, otherwise = (compile_arg(arg) for arg in args)
    return lambda ctx: then(ctx) if condition(ctx) is True else otherwise(ctx)


# -- written(): a field of a node, not its value ---------------------------------------------------


def split_field(arg: Expr, variables, scope: str) -> tuple[Expr | str | None, str]:
    """The node part and the field name of written()'s argument: (Expr of the node,
    name), ("self", name) for a field of the visited node, or (None, "") when the
    argument is not a field."""
    if arg.op == "field":
        return arg.args[0], arg.args[1]
    if arg.op != "path":
        return None, ""
    first, *rest = arg.args
    if rest:
        return Expr("path", (first, *rest[:-1]), arg.line, arg.column, arg.depth), rest[-1]
    if first in variables or first == "self" or first not in FIELD_TYPES[scope]:
        return None, ""
    return "self", first


def _check_written(checker, args, variables) -> None:
    """written() takes a field the file writes: `window`, `agreement.review`, `o.target`."""
    (arg,) = args
    base, name = split_field(arg, variables, checker.scope)
    if base is None:
        raise ExpressionError(
            "written() takes a field, such as written(window) or written(agreement.review)", arg.column, arg.line
        )
    kind = checker.check(base, variables) if isinstance(base, Expr) else "node:" + checker.scope
    if kind == "any":
        return
    written = WRITTEN_AS.get(kind[5:], {}) if kind.startswith("node:") else {}
    if name not in written:
        path = ".".join(arg.args) if arg.op == "path" else name
        raise ExpressionError(
            f"'{path}' is not a field written in the file, so written() cannot ask for it; "
            f"use exists({path}) to test for a value",
            arg.column,
            arg.line,
        )


def _compile_written(args, compile_arg, scope, variables):
    base, field_name = split_field(args[0], variables, scope)
    node_of = (lambda ctx: ctx.node) if base == "self" else compile_arg(base)
    return lambda ctx: is_written(node_of(ctx), field_name)


# -- the tables ----------------------------------------------------------------------------------------


def _by_name(*declarations) -> dict:
    return {declaration.name: declaration for declaration in declarations}


FUNCTIONS: dict[str, Function] = _by_name(
    Function("len", ("any",), "number", _length),
    Function("exists", ("any",), "bool", lambda ctx, value: value is not None),
    Function("written", ("any",), "bool", check_arguments=_check_written, compile=_compile_written),
    Function("startswith", ("string", "string"), "bool", _startswith, null_gives=False),
    Function("endswith", ("string", "string"), "bool", _endswith, null_gives=False),
    Function("contains", ("any", "any"), "bool", _contains, null_gives=False),
    Function("lower", ("string",), "string", _lower, null_gives=None),
    Function("days_between", ("date", "date"), "number", _days_between, null_gives=None),
    Function("seconds", ("duration",), "number", _seconds_in, null_gives=None),
    Function("human", ("any",), "string", _paid(human)),
    Function("if", ("bool", "any", "any"), "any", result_of=_common_type, compile=_compile_if),
    Function("services_of", ("any",), "list:node:service", _paid(services_of)),
    Function("objectives_of", ("any",), "list:node:objective", _paid(objectives_of)),
    Function("agreement_of", ("any",), "node:agreement", _paid(agreement_of)),
    Function("before", ("any", "any"), "bool", _before, null_gives=None),
    Function("label_of", ("any",), "string", _paid(label_of)),
)


def _of_values(aggregate: Callable) -> Callable:
    return lambda pairs: aggregate([value for _, value in pairs])


_QUANTITY = ("number", "percent", "duration", "quantity", "null")

# Their names are also terminals of grammar/expression.lark (QUANTIFIER): a
# quantifier's body is not an argument list, so the parser must know them.
QUANTIFIERS: dict[str, Quantifier] = _by_name(
    Quantifier("any", "bool", lambda pairs: any(value is True for _, value in pairs), condition=True),
    Quantifier("all", "bool", lambda pairs: all(value is True for _, value in pairs), condition=True),
    Quantifier("count", "number", lambda pairs: Decimal(sum(1 for _, value in pairs if value is True)), condition=True),
    Quantifier(
        "first", ITEM, lambda pairs: next((item for item, value in pairs if value is True), None), condition=True
    ),
    Quantifier("sum", BODY, _of_values(sum_of), accepts=_QUANTITY, what="adds numbers, percents or durations"),
    Quantifier("min", BODY, _of_values(min_of)),
    Quantifier("max", BODY, _of_values(max_of)),
    Quantifier(
        "product",
        BODY,
        _of_values(product_of),
        accepts=("number", "percent", "quantity", "null"),
        what="multiplies numbers or percents",
    ),
)
