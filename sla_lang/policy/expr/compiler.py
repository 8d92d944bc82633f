"""Compiling a checked expression tree into nested closures, one per node, each
a function of the evaluation context. A closure reads only the fields
model_view.py shows, and every quantifier step is paid for from the budget.
"""

from __future__ import annotations

from ..cost import BudgetExceeded
from ..model_view import FIELD_TYPES, get_field
from .functions import FUNCTIONS, QUANTIFIERS
from .parse import Expr, parse
from .runtime import Context, arithmetic, compare, negate, plus
from .typecheck import TypeChecker


def compile_expr(node: Expr, scope: str, variables: frozenset = frozenset()):
    """Turn a checked tree, of a rule of `scope`, into a function of a Context."""
    return _COMPILERS[node.op](node, scope, variables)


def _compile_all(nodes, scope: str, variables: frozenset) -> list:
    return [compile_expr(node, scope, variables) for node in nodes]


def _literal(node, scope, variables):
    value = node.args[0]
    return lambda ctx: value


def _path(node, scope, variables):
    first, *rest = node.args
    if first in variables:
        start = _read_variable(first)
    elif first == "self":
        start = _read_self
    elif first in FIELD_TYPES[scope]:
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


def _read_variable(name: str):
    return lambda ctx: ctx.variables.get(name)


def _read_self(ctx):
    return ctx.node


def _read_field(name: str):
    return lambda ctx: get_field(ctx.node, name)


def _read_global(name: str):
    return lambda ctx: ctx.globals.get(name)


def _field(node, scope, variables):
    base_node, name = node.args
    base = compile_expr(base_node, scope, variables)
    return lambda ctx: get_field(base(ctx), name)


def _list(node, scope, variables):
    items = _compile_all(node.args, scope, variables)
    return lambda ctx: [item(ctx) for item in items]


def _or(node, scope, variables):
    operands = _compile_all(node.args, scope, variables)
    if len(operands) == 2:  # the common case, without a loop
        left, right = operands
        return lambda ctx: left(ctx) is True or right(ctx) is True
    return lambda ctx: any(operand(ctx) is True for operand in operands)


def _and(node, scope, variables):
    operands = _compile_all(node.args, scope, variables)
    if len(operands) == 2:
        left, right = operands
        return lambda ctx: left(ctx) is True and right(ctx) is True
    return lambda ctx: all(operand(ctx) is True for operand in operands)


def _not(node, scope, variables):
    inner = compile_expr(node.args[0], scope, variables)
    return lambda ctx: inner(ctx) is not True


def _negative(node, scope, variables):
    inner = compile_expr(node.args[0], scope, variables)
    return lambda ctx: negate(inner(ctx))


def _comparison(node, scope, variables):
    op, left_node, right_node = node.args
    left = compile_expr(left_node, scope, variables)
    literal = right_node.args[0] if right_node.op == "lit" else None
    if type(literal) is str and op in ("==", "!="):
        # `kind == "sla"`: a string equals only that string, so Python's == is the language's.
        if op == "==":
            return lambda ctx: left(ctx) == literal
        return lambda ctx: left(ctx) != literal
    right = compile_expr(right_node, scope, variables)
    return lambda ctx: compare(op, left(ctx), right(ctx), ctx)


def _membership(node, scope, variables):
    item, container = _compile_all(node.args[:2], scope, variables)
    negated = node.args[2]
    contains = FUNCTIONS["contains"]

    def member(ctx):
        found = contains.apply(ctx, [container(ctx), item(ctx)])
        return not found if negated else found

    return member


def _arithmetic(node, scope, variables):
    op, left_node, right_node = node.args
    left, right = _compile_all((left_node, right_node), scope, variables)
    if op == "+":
        return lambda ctx: plus(left(ctx), right(ctx), ctx)
    return lambda ctx: arithmetic(op, left(ctx), right(ctx))


def _call(node, scope, variables):
    name, arg_nodes = node.args
    function = FUNCTIONS[name]
    if function.compile is not None:
        return function.compile(arg_nodes, lambda arg: compile_expr(arg, scope, variables), scope, variables)
    args = _compile_all(arg_nodes, scope, variables)
    apply = function.apply
    return lambda ctx: apply(ctx, [arg(ctx) for arg in args])


def _quantified(node, scope, variables):
    kind, var, iterable_node, body_node = node.args
    iterable = compile_expr(iterable_node, scope, variables)
    body = compile_expr(body_node, scope, variables | {var})
    reduce = QUANTIFIERS[kind].reduce

    def run(ctx):
        items = iterable(ctx)
        if not isinstance(items, list | tuple):
            items = []
        bound = ctx.variables
        saved = bound.get(var, _MISSING)
        try:
            return reduce(_visit(items, var, body, ctx))
        finally:
            if saved is _MISSING:
                bound.pop(var, None)
            else:
                bound[var] = saved

    return run


def _visit(items, var: str, body, ctx):
    """(item, the body's value for it) for each item, a step each, `var` bound to the item."""
    bound = ctx.variables
    for item in items:
        ctx.budget -= 1
        if ctx.budget < 0:
            raise BudgetExceeded()
        bound[var] = item
        yield item, body(ctx)


_MISSING = object()

_COMPILERS = {
    "lit": _literal,
    "path": _path,
    "field": _field,
    "list": _list,
    "or": _or,
    "and": _and,
    "not": _not,
    "neg": _negative,
    "cmp": _comparison,
    "in": _membership,
    "arith": _arithmetic,
    "call": _call,
    "quant": _quantified,
}


class Compiled:
    """A checked, compiled expression. Pickled as its tree (closures cannot
    be pickled) and compiled again when loaded from the cache."""

    __slots__ = ("text", "tree", "scope", "type", "function")

    def __init__(self, text: str, tree: Expr, scope: str, checked_type: str | None = None) -> None:
        self.text = text
        self.tree = tree
        self.scope = scope
        # From the cache the tree was checked when the pack was first loaded.
        self.type = checked_type if checked_type is not None else TypeChecker(scope).check(tree)
        self.function = compile_expr(tree, scope)

    def __call__(self, ctx: Context):
        return self.function(ctx)

    def __getstate__(self):
        return (self.text, self.tree, self.scope, self.type)

    def __setstate__(self, state) -> None:
        self.__init__(*state)


def compile_text(text: str, scope: str) -> Compiled:
    return Compiled(text, parse(text), scope)
