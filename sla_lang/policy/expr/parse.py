"""Parsing an expression: text -> a tree of Expr nodes, with positions.

The grammar is its own LALR grammar (grammar/expression.lark). Length and
nesting are bounded here, so that nothing later walks an unbounded tree.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ...values import Duration, Percent

MAX_LENGTH = 4000  # characters of one expression
MAX_DEPTH = 40  # nesting of the expression tree


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
        from ...syntax.parser import load_lark

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
