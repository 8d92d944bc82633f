"""Static types of expressions: what can be seen to be wrong before any
agreement is read, a path that names no field, a comparison of a percent with
a duration, a function called with the wrong arguments.

Types are the short strings of model_view.py ("string", "node:service",
"list:node:objective", "quantity", "any", ...), plus "null" for the literal.
"""

from __future__ import annotations

from ..model_view import FIELD_TYPES, GLOBAL_TYPES, kind_of
from .functions import FUNCTIONS, QUANTIFIERS
from .parse import Expr, ExpressionError
from .runtime import ARITHMETIC


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
    entry = ARITHMETIC.get((op, a, b))
    return entry[0] if entry else None


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
        function = FUNCTIONS.get(name)
        if function is None:
            raise ExpressionError(f"unknown function '{name}'{_suggest(name, FUNCTIONS)}", node.column, node.line)
        if len(args) != len(function.params):
            raise ExpressionError(
                f"{name}() takes {len(function.params)} argument(s), not {len(args)}", node.column, node.line
            )
        types = []
        for arg, param in zip(args, function.params, strict=True):
            t = self.check(arg, variables)
            types.append(t)
            if param != "any" and t not in (param, "any", "null") and not (t == "quantity" and param in _QUANTITIES):
                raise ExpressionError(
                    f"{name}() needs {_describe_type(param)}, not {_describe_type(t)}", arg.column, arg.line
                )
        if function.check_arguments is not None:
            function.check_arguments(self, args, variables)
        return function.result_of(types) if function.result_of is not None else function.result

    def _quant(self, node, variables):
        kind, var, iterable, body = node.args
        quantifier = QUANTIFIERS[kind]
        t = self.check(iterable, variables)
        if not (_is_list(t) or t in ("any", "null")):
            raise ExpressionError(
                f"{kind}() ranges over a list, but this is {_describe_type(t)}", iterable.column, iterable.line
            )
        if var in FIELD_TYPES[self.scope] or var in GLOBAL_TYPES or var == "self":
            raise ExpressionError(
                f"'{var}' is already a name here; call the variable something else", node.column, node.line
            )
        body_type = self.check(body, {**variables, var: _element(t)})
        if quantifier.condition and body_type not in ("bool", "any", "null"):
            raise ExpressionError(f"the condition of {kind}() must be true or false", body.column, body.line)
        if quantifier.accepts is not None and body_type not in quantifier.accepts:
            mixed = " (give both branches of if() the same kind)" if body_type == "any" else ""
            raise ExpressionError(
                f"{kind}() {quantifier.what}, not {_describe_type(body_type)}{mixed}", body.column, body.line
            )
        return quantifier.result_type(_element(t), body_type)


def _article(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _suggest(word: str, choices) -> str:
    from ...hints import did_you_mean

    return did_you_mean(word, choices)
