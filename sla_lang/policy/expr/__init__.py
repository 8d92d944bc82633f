"""The policy expression language: parse, type-check, compile, run.

An expression is data. It is parsed by its own LALR grammar (parse.py) into a
small tree, checked against the model's field types (typecheck.py: a path
that names no field, or a comparison of a percent with a duration, is an
error at load time), and compiled into nested closures that can only read
the fields model_view.py shows (compiler.py). There is no eval, no attribute
access by user-given name beyond that table, nesting is bounded when the pack
is loaded, and every quantifier step and every value built is paid for from a
budget (cost.py), so a hostile pack can neither run code nor hang the gate.

Its functions and quantifiers are declared once, in functions.py; the values
they compute with, in runtime.py; messages with placeholders, in template.py.
"""

from __future__ import annotations

from ..cost import BudgetExceeded
from .compiler import Compiled, compile_text
from .functions import FUNCTIONS, QUANTIFIERS
from .parse import MAX_DEPTH, MAX_LENGTH, Expr, ExpressionError, parse
from .runtime import DEFAULT_BUDGET, Context, arithmetic, compare, human, values_equal
from .template import Template, parse_template, render_template
from .typecheck import TypeChecker

__all__ = [
    "DEFAULT_BUDGET",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "QUANTIFIERS",
    "BudgetExceeded",  # what an evaluation raises when the run's steps are spent
    "Compiled",
    "Context",
    "Expr",
    "ExpressionError",
    "Template",
    "TypeChecker",
    "arithmetic",
    "compare",
    "compile_text",
    "human",
    "parse",
    "parse_template",
    "render_template",
    "values_equal",
]
