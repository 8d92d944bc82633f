"""The policy expression language (SPEC §5.1): parse, type-check, compile, run.

An expression is data. It is parsed by its own LALR grammar
(grammar/expression.lark) into a small tree, checked against the model's
field types (a path that names no field, or a comparison of a percent with a
duration, is an error at load time), and compiled into nested closures that
can only read the fields model_view.py shows. There is no eval, no attribute
access by user-given name beyond that table, nesting is bounded when the pack
is loaded, and every quantifier step and every value built is paid for from a
budget (cost.py), so a hostile pack can neither run code nor hang the gate.
"""

from __future__ import annotations

import datetime
import operator
from decimal import Decimal, InvalidOperation

from ..model.nodes import Agreement, Objective, Service
from ..values import Duration, Percent, describe_seconds
from .cost import BudgetExceeded, pay, pay_for  # noqa: F401 - BudgetExceeded: what an evaluation raises
from .model_view import FIELD_TYPES, GLOBAL_TYPES, WRITTEN_AS, format_value, get_field, is_written, kind_of

MAX_LENGTH = 4000  # characters of one expression
MAX_DEPTH = 40  # nesting of the expression tree
DEFAULT_BUDGET = 2_000_000  # steps of an evaluation outside a run (a run has one budget: engine.py)


class ExpressionError(Exception):
    """A problem in an expression; `column` is 1-based within its text."""

    def __init__(self, message: str, column: int = 1, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.line = line


class Expr:
    """One node of an expression tree: `op` names it, `args` are its parts."""

    __slots__ = ("op", "args", "line", "column", "depth")

    def __init__(self, op: str, args: tuple, line: int, column: int, depth: int) -> None:
        self.op = op
        self.args = args
        self.line = line
        self.column = column
        self.depth = depth

    def __getstate__(self):
        return (self.op, self.args, self.line, self.column, self.depth)

    def __setstate__(self, state):
        self.op, self.args, self.line, self.column, self.depth = state

    def __repr__(self) -> str:
        return f"Expr({self.op}, {self.args!r})"


# -- parsing -----------------------------------------------------------------


def _node(op: str, args: tuple, token_or_node, children=()) -> Expr:
    depth = 1 + max((child.depth for child in children if isinstance(child, Expr)), default=0)
    if depth > MAX_DEPTH:
        raise ExpressionError(
            f"expression is nested more than {MAX_DEPTH} levels deep; split the rule",
            getattr(token_or_node, "column", 1) or 1,
            getattr(token_or_node, "line", 1) or 1,
        )
    return Expr(op, args, getattr(token_or_node, "line", 1) or 1, getattr(token_or_node, "column", 1) or 1, depth)


class _TreeBuilder:
    """Inline transformer for grammar/expression.lark."""

    def string(self, c):
        token = c[0]
        return _node("lit", (_unquote(str(token)),), token)

    def number(self, c):
        return _node("lit", (Decimal(str(c[0])),), c[0])

    def percent(self, c):
        value = Decimal(str(c[0])[:-1])
        if value > 100:
            raise ExpressionError(
                f"{c[0]} is not a valid percent: a percent lies between 0% and 100%", c[0].column, c[0].line
            )
        return _node("lit", (Percent(value),), c[0])

    def duration(self, c):
        text = str(c[0])
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        return _node("lit", (Duration(Decimal(digits), text[len(digits) :]),), c[0])

    def date(self, c):
        try:
            return _node("lit", (datetime.date.fromisoformat(str(c[0])),), c[0])
        except ValueError:
            raise ExpressionError(f"{c[0]} is not a date", c[0].column, c[0].line) from None

    def boolean(self, c):
        return _node("lit", (str(c[0]) in ("true", "yes"),), c[0])

    def null(self, c):
        return _node("lit", (None,), c[0])

    def path(self, c):
        return _node("path", (str(c[0]),), c[0])

    def field(self, c):
        base, name = c
        if base.op == "path":  # a.b.c stays one path: read field by field from its start
            return Expr("path", (*base.args, str(name)), base.line, base.column, base.depth)
        return _node("field", (base, str(name)), base, (base,))

    def list_(self, c):
        items = tuple(item for item in c if item is not None)
        return _node("list", items, items[0] if items else None, items)

    # `a or b or c` is one node with three operands, not nested pairs: a long
    # chain of alternatives is wide, not deep, and must not hit MAX_DEPTH.
    def or_(self, c):
        return _chain("or", c)

    def and_(self, c):
        return _chain("and", c)

    def not_(self, c):
        return _node("not", (c[0],), c[0], c)

    def neg(self, c):
        return _node("neg", (c[0],), c[0], c)

    def compare(self, c):
        left, op, right = c
        return _node("cmp", (str(op), left, right), op, (left, right))

    def in_(self, c):
        return _node("in", (c[0], c[1], False), c[0], c)

    def not_in(self, c):
        return _node("in", (c[0], c[1], True), c[0], c)

    def arith(self, c):
        left, op, right = c
        return _node("arith", (str(op), left, right), op, (left, right))

    def call(self, c):
        name, *args = c
        args = tuple(a for a in args if a is not None)
        return _node("call", (str(name), args), name, args)

    def quantifier(self, c):
        kind, var, iterable, body = c
        return _node("quant", (str(kind), str(var), iterable, body), kind, (iterable, body))


def _chain(op: str, children) -> Expr:
    left, right = children
    operands = (*left.args, right) if left.op == op else (left, right)
    depth = 1 + max(operand.depth for operand in operands)
    if depth > MAX_DEPTH:
        raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep; split the rule", left.column)
    return Expr(op, operands, left.line, left.column, depth)


def _unquote(text: str) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append({"n": "\n", "t": "\t"}.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


_PARSER = None


def parse(text: str) -> Expr:
    """Parse one expression, or raise ExpressionError with a column."""
    global _PARSER
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters; split the rule")
    if _PARSER is None:
        from ..syntax.parser import load_lark

        _PARSER = load_lark(_TreeBuilder(), "expression.lark")
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    try:
        return _PARSER.parse(text)
    except UnexpectedToken as error:
        found = "end of the expression" if error.token.type == "$END" else f"'{error.token}'"
        raise ExpressionError(
            f"unexpected {found}",
            error.column if error.token.type != "$END" else len(text) + 1,
            error.line if error.token.type != "$END" else 1,
        ) from None
    except UnexpectedCharacters as error:
        raise ExpressionError(f"unexpected character '{text[error.pos_in_stream]}'", error.column, error.line) from None
    except UnexpectedInput as error:  # pragma: no cover - other Lark input errors
        raise ExpressionError("cannot parse the expression", getattr(error, "column", 1)) from None


# -- static types ----------------------------------------------------------------

_KINDS = ("string", "number", "percent", "duration", "date", "bool")


def _is_list(t: str) -> bool:
    return t.startswith("list:")


def _element(t: str) -> str:
    return t[5:] if _is_list(t) else "any"


def _describe_type(t: str) -> str:
    if t.startswith("node:"):
        return f"a {t[5:]}"
    if _is_list(t):
        element = _describe_type(_element(t))
        return f"a list of {element.split(' ', 1)[1] if element.startswith(('a ', 'an ')) else element}s"
    return {"quantity": "a number, percent or duration", "any": "any value", "bool": "a boolean"}.get(t, f"a {t}")


_QUANTITIES = ("number", "percent", "duration")  # what a value of static type "quantity" may be


def _comparable(a: str, b: str, op: str) -> bool:
    if "any" in (a, b) or "null" in (a, b) or a == b:
        return True
    quantities = {"quantity", "number", "percent", "duration"}
    if a in quantities and b in quantities and "quantity" in (a, b):
        return True
    if a.startswith("node:") and b.startswith("node:") and op in ("==", "!="):
        return True
    if _is_list(a) and _is_list(b) and op in ("==", "!="):  # `services == []`
        return _comparable(_element(a), _element(b), op)
    return False


# Result kinds of arithmetic, and the functions that compute it at run time.
def _seconds(value: Decimal) -> Duration:
    return Duration(value, "s")


_ARITH = {
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


def _arith_type(op: str, a: str, b: str) -> str | None:
    """The type of `a op b`, or None if it cannot be computed. Both kinds must
    be known: a string could otherwise be added to itself over and over."""
    if "any" in (a, b):
        return None
    if "null" in (a, b):
        return "null"
    if "quantity" in (a, b):
        other = b if a == "quantity" else a
        if other in ("quantity", *_QUANTITIES):
            return "quantity"
        return "date" if a == "date" and op in "+-" else None
    entry = _ARITH.get((op, a, b))
    return entry[0] if entry else None


# name: (parameter types or None for any, result type)
_FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "len": (("any",), "number"),
    "exists": (("any",), "bool"),
    "written": (("any",), "bool"),  # its argument is a field, not a value: typed and compiled below
    "startswith": (("string", "string"), "bool"),
    "endswith": (("string", "string"), "bool"),
    "contains": (("any", "any"), "bool"),
    "lower": (("string",), "string"),
    "days_between": (("date", "date"), "number"),
    "seconds": (("duration",), "number"),
    "human": (("any",), "string"),
    "if": (("bool", "any", "any"), "any"),  # typed below: the branches' common type
    "services_of": (("any",), "list:node:service"),
    "objectives_of": (("any",), "list:node:objective"),
    "agreement_of": (("any",), "node:agreement"),
    "before": (("any", "any"), "bool"),
    "label_of": (("any",), "string"),
}


class TypeChecker:
    """Infers the type of every node, raising ExpressionError for what can
    be seen to be wrong before any agreement is read."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def check(self, node: Expr, variables: dict[str, str] | None = None) -> str:
        return getattr(self, "_" + node.op)(node, variables or {})

    def expect_bool(self, node: Expr, what: str) -> None:
        t = self.check(node)
        if t not in ("bool", "any"):
            raise ExpressionError(
                f"{what} must be a condition (true or false), but it is {_describe_type(t)}"
                + ("; use exists(...) to test for a value" if t != "null" else ""),
                node.column,
                node.line,
            )

    def _lit(self, node, variables):
        return kind_of(node.args[0]) if node.args[0] is not None else "null"

    def _path(self, node, variables):
        first, *rest = node.args
        if first in variables:
            t = variables[first]
        elif first == "self":
            t = "node:" + self.scope
        elif first in FIELD_TYPES[self.scope]:
            t = FIELD_TYPES[self.scope][first]
        elif first in GLOBAL_TYPES:
            t = GLOBAL_TYPES[first]
        else:
            known = [*variables, *FIELD_TYPES[self.scope], *GLOBAL_TYPES, "self"]
            raise ExpressionError(
                f"'{first}' names no field of {self.scope}{_suggest(first, known)}", node.column, node.line
            )
        return self._walk(t, first, rest, node)

    def _field(self, node, variables):
        base, name = node.args
        return self._walk(self.check(base, variables), "(...)", [name], node)

    def _walk(self, t: str, walked: str, names, node) -> str:
        for name in names:
            if t == "any":
                return "any"
            if _is_list(t):
                raise ExpressionError(
                    f"'{walked}' is a list: reach into it with any(x in {walked}: x.{name} ...) or all(...)",
                    node.column,
                    node.line,
                )
            if not t.startswith("node:"):
                raise ExpressionError(
                    f"'{walked}' is {_describe_type(t)} and has no field '{name}'", node.column, node.line
                )
            fields = FIELD_TYPES[t[5:]]
            if name not in fields:
                raise ExpressionError(
                    f"'{walked}.{name}' names no field: {_article(t[5:])} has no field '{name}'"
                    + _suggest(name, fields),
                    node.column,
                    node.line,
                )
            t = fields[name]
            walked += "." + name
        return t

    def _list(self, node, variables):
        types = {self.check(item, variables) for item in node.args}
        return "list:" + (types.pop() if len(types) == 1 else "any" if types else "null")

    def _or(self, node, variables):
        for item in node.args:
            self._boolean(item, variables, "each side of 'or'")
        return "bool"

    def _and(self, node, variables):
        for item in node.args:
            self._boolean(item, variables, "each side of 'and'")
        return "bool"

    def _not(self, node, variables):
        self._boolean(node.args[0], variables, "the operand of 'not'")
        return "bool"

    def _boolean(self, node, variables, what):
        t = self.check(node, variables)
        if t not in ("bool", "any", "null"):
            raise ExpressionError(f"{what} must be true or false, not {_describe_type(t)}", node.column, node.line)

    def _neg(self, node, variables):
        t = self.check(node.args[0], variables)
        if t not in ("number", "percent", "duration", "quantity", "any"):
            raise ExpressionError(f"cannot negate {_describe_type(t)}", node.column, node.line)
        return t

    def _cmp(self, node, variables):
        op, left, right = node.args
        a, b = self.check(left, variables), self.check(right, variables)
        if not _comparable(a, b, op):
            raise ExpressionError(
                f"'{op}' compares {_describe_type(a)} with {_describe_type(b)}: "
                "values compare with their own kind only",
                node.column,
                node.line,
            )
        return "bool"

    def _in(self, node, variables):
        item, container, _ = node.args
        self.check(item, variables)
        t = self.check(container, variables)
        if not (_is_list(t) or t in ("string", "any", "null")):
            raise ExpressionError(
                f"'in' needs a list or a string on its right, not {_describe_type(t)}", node.column, node.line
            )
        return "bool"

    def _arith(self, node, variables):
        op, left, right = node.args
        a, b = self.check(left, variables), self.check(right, variables)
        result = _arith_type(op, a, b)
        if result is None:
            unknown = "; arithmetic needs values of one known kind (give both branches of if() the same kind)"
            raise ExpressionError(
                f"cannot compute {_describe_type(a)} {op} {_describe_type(b)}" + (unknown if "any" in (a, b) else ""),
                node.column,
                node.line,
            )
        return result

    def _call(self, node, variables):
        name, args = node.args
        if name not in _FUNCTIONS:
            raise ExpressionError(f"unknown function '{name}'{_suggest(name, _FUNCTIONS)}", node.column, node.line)
        params, result = _FUNCTIONS[name]
        if len(args) != len(params):
            raise ExpressionError(f"{name}() takes {len(params)} argument(s), not {len(args)}", node.column, node.line)
        types = []
        for arg, param in zip(args, params, strict=True):
            t = self.check(arg, variables)
            types.append(t)
            if param != "any" and t not in (param, "any", "null") and not (t == "quantity" and param in _QUANTITIES):
                raise ExpressionError(
                    f"{name}() needs {_describe_type(param)}, not {_describe_type(t)}", arg.column, arg.line
                )
        if name == "written":
            self._written_field(args[0], variables)
        if name == "if":
            branches = {t for t in types[1:] if t != "null"}
            return branches.pop() if len(branches) == 1 else "any" if branches else "null"
        return result

    def _written_field(self, arg: Expr, variables) -> None:
        """written() takes a field the file writes: `window`, `agreement.review`, `o.target`."""
        base, name = _split_field(arg, variables, self.scope)
        if base is None:
            raise ExpressionError(
                "written() takes a field, such as written(window) or written(agreement.review)", arg.column, arg.line
            )
        kind = self.check(base, variables) if isinstance(base, Expr) else "node:" + self.scope
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

    def _quant(self, node, variables):
        kind, var, iterable, body = node.args
        t = self.check(iterable, variables)
        if not (_is_list(t) or t in ("any", "null")):
            raise ExpressionError(
                f"{kind}() ranges over a list, but this is {_describe_type(t)}", iterable.column, iterable.line
            )
        if var in FIELD_TYPES[self.scope] or var in GLOBAL_TYPES or var == "self":
            raise ExpressionError(
                f"'{var}' is already a name here; call the variable something else", node.column, node.line
            )
        inner = {**variables, var: _element(t)}
        body_type = self.check(body, inner)
        if kind in ("any", "all", "count", "first"):
            if body_type not in ("bool", "any", "null"):
                raise ExpressionError(f"the condition of {kind}() must be true or false", body.column, body.line)
            return {"count": "number", "first": _element(t)}.get(kind, "bool")
        allowed = {
            "sum": ("number", "percent", "duration", "quantity", "null"),
            "product": ("number", "percent", "quantity", "null"),
        }
        if kind in allowed and body_type not in allowed[kind]:
            what = "adds numbers, percents or durations" if kind == "sum" else "multiplies numbers or percents"
            mixed = " (give both branches of if() the same kind)" if body_type == "any" else ""
            raise ExpressionError(f"{kind}() {what}, not {_describe_type(body_type)}{mixed}", body.column, body.line)
        return body_type


def _split_field(arg: Expr, variables, scope: str) -> tuple[Expr | str | None, str]:
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


def _article(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _suggest(word: str, choices) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


# -- evaluation ------------------------------------------------------------------


class Context:
    """What one evaluation reads: the visited node, the global names, the
    quantifier variables, and what is left of the step budget."""

    __slots__ = ("node", "globals", "variables", "budget")

    def __init__(self, node, globals_: dict, budget: int = DEFAULT_BUDGET) -> None:
        self.node = node
        self.globals = globals_
        self.variables: dict = {}
        self.budget = budget


# Types whose own == and < already are the language's (same kind on both sides).
_PLAIN_TYPES = frozenset({str, Decimal, Percent, Duration, datetime.date})


def _same_kind(a, b) -> bool:
    ka, kb = kind_of(a), kind_of(b)
    return ka == kb


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
    if a is None or b is None or not _same_kind(a, b) or kind_of(a) in ("node", "list", "bool"):
        return False
    return _ORDER[op](a, b)


def arithmetic(op: str, a, b):
    if a is None or b is None:
        return None
    entry = _ARITH.get((op, kind_of(a), kind_of(b)))
    if entry is None:
        return None
    try:
        return entry[1](a, b)
    except (InvalidOperation, ArithmeticError, OverflowError, ValueError):
        return None


def _call_function(name: str, args: list, ctx):
    """`name(*args)`; what it builds (a list of nodes, a label) or scans is paid for."""
    if name in _NODE_FUNCTIONS:
        return pay_for(ctx, _NODE_FUNCTIONS[name](args[0]))
    if name == "exists":
        return args[0] is not None
    if name == "len":
        value = args[0]
        return Decimal(len(value)) if isinstance(value, str | list | tuple) else None
    if name == "human":
        return pay_for(ctx, _human(args[0]))
    if any(arg is None for arg in args):
        return False if name in ("startswith", "endswith", "contains") else None
    if name == "startswith":
        return isinstance(args[0], str) and isinstance(args[1], str) and args[0].startswith(args[1])
    if name == "endswith":
        return isinstance(args[0], str) and isinstance(args[1], str) and args[0].endswith(args[1])
    if name == "contains":
        container, item = args
        if isinstance(container, str):
            return isinstance(item, str) and item in pay_for(ctx, container)
        if isinstance(container, list | tuple):
            return any(values_equal(x, item, ctx) for x in pay_for(ctx, container))
        return False
    if name == "lower":
        return pay_for(ctx, args[0]).lower() if isinstance(args[0], str) else None
    if name == "days_between":
        first, second = args
        if isinstance(first, datetime.date) and isinstance(second, datetime.date):
            return Decimal((second - first).days)
        return None
    if name == "seconds":
        return args[0].seconds if isinstance(args[0], Duration) else None
    if name == "before":
        first, second = args
        return _source_order(first) < _source_order(second)
    raise AssertionError(name)


def _source_order(node) -> tuple:
    span = getattr(node, "span", None)
    return (span.path, span.line, span.column) if span is not None else ("", 0, 0)


def _label_of(value) -> str | None:
    """How messages name a node: `SLA 'gold'`, `service 'api'`, `party 'acme'`."""
    if value is None:
        return None
    if isinstance(value, list | tuple):  # `supports`: each of them
        return ", ".join(_label_of(item) or "none" for item in value)
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    return format_value(value)  # a plain value names itself


def _agreement_of(value):
    return value if isinstance(value, Agreement) else getattr(value, "agreement", None)


def _services_of(value) -> list:
    if isinstance(value, Agreement):
        return list(value.services)
    if isinstance(value, Service):
        return [value]
    service = getattr(value, "service", None)
    return [service] if service is not None else []


def _objectives_of(value) -> list:
    if isinstance(value, Objective):
        return [value]
    return [objective for service in _services_of(value) for objective in service.objectives]


# Functions that read the model take any node and never fail: null gives nothing.
_NODE_FUNCTIONS = {
    "agreement_of": _agreement_of,
    "services_of": _services_of,
    "objectives_of": _objectives_of,
    "label_of": _label_of,
}  # the type checker admits known names only


def _aggregate(kind: str, values: list):
    values = [v for v in values if v is not None]
    if not values:
        return None
    kinds = {kind_of(v) for v in values}
    if len(kinds) != 1:
        return None
    if kind == "min":
        return min(values) if kinds != {"node"} else None
    if kind == "max":
        return max(values) if kinds != {"node"} else None
    if kind == "sum":
        if kinds - {"number", "percent", "duration"}:
            return None  # strings are never summed: the type checker refuses it, this is the run's guard
        total = values[0]
        for v in values[1:]:
            total = arithmetic("+", total, v)
        return total
    # product: percents multiply as fractions (availability in series)
    try:
        if kinds == {"percent"}:
            fraction = Decimal(1)
            for v in values:
                fraction *= v.fraction
            return Percent(fraction * 100)
        if kinds == {"number"}:
            result = Decimal(1)
            for v in values:
                result *= v
            return result
    except (InvalidOperation, ArithmeticError):  # decimal overflow: no answer, like arithmetic()
        return None
    return None


def compile_expr(node: Expr, checker: TypeChecker, variables: frozenset = frozenset()):
    """Turn a checked tree into a function of a Context."""
    op, args = node.op, node.args
    if op == "lit":
        value = args[0]
        return lambda ctx: value
    if op == "path":
        first, *rest = args
        if first in variables:
            start = _read_variable(first)
        elif first == "self":
            start = _read_self
        elif first in FIELD_TYPES[checker.scope]:
            start = _read_field(first)
        else:
            start = _read_global(first)
        if not rest:
            return start

        def walk(ctx, start=start, rest=tuple(rest)):
            value = start(ctx)
            for name in rest:
                value = get_field(value, name)
            return value

        return walk
    sub = [compile_expr(a, checker, variables) if isinstance(a, Expr) else a for a in args]
    if op == "field":
        base, name = sub
        return lambda ctx: get_field(base(ctx), name)
    if op == "list":
        return lambda ctx: [item(ctx) for item in sub]
    if op in ("or", "and") and len(sub) == 2:  # the common case, without a loop
        left, right = sub
        if op == "or":
            return lambda ctx: left(ctx) is True or right(ctx) is True
        return lambda ctx: left(ctx) is True and right(ctx) is True
    if op == "or":
        return lambda ctx: any(item(ctx) is True for item in sub)
    if op == "and":
        return lambda ctx: all(item(ctx) is True for item in sub)
    if op == "not":
        inner = sub[0]
        return lambda ctx: inner(ctx) is not True
    if op == "neg":
        inner = sub[0]
        return lambda ctx: arithmetic("-", _zero_like(v := inner(ctx)), v)
    if op == "cmp":
        operator_, left, right = sub
        literal = args[2].args[0] if args[2].op == "lit" else None
        if type(literal) is str and operator_ in ("==", "!="):
            # `kind == "sla"`: a string equals only that string, so Python's == is the language's.
            if operator_ == "==":
                return lambda ctx: left(ctx) == literal
            return lambda ctx: left(ctx) != literal
        return lambda ctx: compare(operator_, left(ctx), right(ctx), ctx)
    if op == "in":
        item, container, negate = sub

        def member(ctx):
            found = _call_function("contains", [container(ctx), item(ctx)], ctx)
            return not found if negate else found

        return member
    if op == "arith":
        operator_, left, right = sub
        if operator_ == "+":  # the one operator that can build a longer string
            return lambda ctx: _plus(left(ctx), right(ctx), ctx)
        return lambda ctx: arithmetic(operator_, left(ctx), right(ctx))
    if op == "call":
        name = args[0]
        if name == "written":
            base, field_name = _split_field(args[1][0], variables, checker.scope)
            node_of = _read_self if base == "self" else compile_expr(base, checker, variables)
            return lambda ctx: is_written(node_of(ctx), field_name)
        params = [compile_expr(a, checker, variables) for a in args[1]]
        if name == "if":  # only the chosen branch is evaluated
            condition, then, otherwise = params
            return lambda ctx: then(ctx) if condition(ctx) is True else otherwise(ctx)
        return lambda ctx: _call_function(name, [p(ctx) for p in params], ctx)
    if op == "quant":
        kind, var, iterable_node, body_node = args
        iterable = compile_expr(iterable_node, checker, variables)
        body = compile_expr(body_node, checker, variables | {var})
        return _quantifier(kind, var, iterable, body)
    raise AssertionError(op)


def _plus(a, b, ctx):
    result = arithmetic("+", a, b)
    return pay_for(ctx, result) if type(result) is str else result


def _read_variable(name: str):
    return lambda ctx: ctx.variables.get(name)


def _read_self(ctx):
    return ctx.node


def _read_field(name: str):
    return lambda ctx: get_field(ctx.node, name)


def _read_global(name: str):
    return lambda ctx: ctx.globals.get(name)


def _zero_like(value):
    if isinstance(value, Percent):
        return Percent(Decimal(0))
    if isinstance(value, Duration):
        return Duration(Decimal(0), "s")
    return Decimal(0)


def _quantifier(kind: str, var: str, iterable, body):
    def run(ctx):
        items = iterable(ctx)
        if not isinstance(items, list | tuple):
            items = []
        variables = ctx.variables
        saved = variables.get(var, _MISSING)
        results = []
        try:
            for item in items:
                ctx.budget -= 1
                if ctx.budget < 0:
                    raise BudgetExceeded()
                variables[var] = item
                result = body(ctx)
                if kind == "any" and result is True:
                    return True
                if kind == "all" and result is not True:
                    return False
                if kind == "first" and result is True:
                    return item
                results.append(result)
        finally:
            if saved is _MISSING:
                variables.pop(var, None)
            else:
                variables[var] = saved
        if kind in ("any", "first"):
            return False if kind == "any" else None
        if kind == "all":
            return True
        if kind == "count":
            return Decimal(sum(1 for r in results if r is True))
        return _aggregate(kind, results)

    return run


_MISSING = object()


class Compiled:
    """A checked, compiled expression. Pickled as its tree (closures cannot
    be pickled) and compiled again when loaded from the cache."""

    __slots__ = ("text", "tree", "scope", "type", "function")

    def __init__(self, text: str, tree: Expr, scope: str, checked_type: str | None = None) -> None:
        checker = TypeChecker(scope)
        self.text = text
        self.tree = tree
        self.scope = scope
        # From the cache the tree was checked when the pack was first loaded.
        self.type = checked_type if checked_type is not None else checker.check(tree)
        self.function = compile_expr(tree, checker)

    def __call__(self, ctx: Context):
        return self.function(ctx)

    def __getstate__(self):
        return (self.text, self.tree, self.scope, self.type)

    def __setstate__(self, state) -> None:
        self.__init__(*state)


def compile_text(text: str, scope: str) -> Compiled:
    return Compiled(text, parse(text), scope)


# -- message templates -----------------------------------------------------------------


def parse_template(template: str) -> list:
    """Split "Gold SLA '{agreement.id}' ..." into literal text and expression
    texts, with `{{` and `}}` for literal braces. Returns [(is_expr, text, offset)]."""
    parts: list = []
    literal: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if char == "{" and template.startswith("{{", i):
            literal.append("{")
            i += 2
        elif char == "}" and template.startswith("}}", i):
            literal.append("}")
            i += 2
        elif char == "{":
            end = template.find("}", i)
            if end == -1:
                raise ExpressionError("a '{' in the message is never closed (write {{ for a literal brace)", i + 1)
            if literal:
                parts.append((False, "".join(literal), 0))
                literal = []
            parts.append((True, template[i + 1 : end], i + 1))
            i = end + 1
        elif char == "}":
            raise ExpressionError("a '}' in the message has no '{' (write }} for a literal brace)", i + 1)
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append((False, "".join(literal), 0))
    return parts


def _human(value) -> str:
    """Durations in words; numbers and percents cut to four decimals, toward
    zero, so that a computed product reads `99.96%` and not
    `99.96000599960001%` (cutting, not rounding, keeps `at most` true)."""
    if isinstance(value, Duration):
        return describe_seconds(value.seconds)
    if isinstance(value, Percent):
        return _four_decimals(format_value(value.value)) + "%"
    text = format_value(value)
    return _four_decimals(text) if isinstance(value, Decimal) else text


def _four_decimals(number: str) -> str:
    whole, dot, decimals = number.partition(".")
    decimals = decimals[:4].rstrip("0")
    return f"{whole}.{decimals}" if decimals else whole


def render_template(parts: list, ctx: Context) -> str:
    return pay_for(ctx, "".join(format_value(part(ctx)) if callable(part) else part for part in parts))
