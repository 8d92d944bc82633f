"""The layout shows the pipeline: the stages import one another one way only,
and comments say why, not where the contract says it."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise

import pytest
from conftest import PROJECT
from test_policy_structure import _module_name, _top_level_imports

PACKAGE = PROJECT / "sla_lang"

# What each stage must never import, even inside a function. model/ and syntax/
# are held by tests/test_schema.py. The command line is the outermost stage;
# reading, configuration, running many files and filtering come before the
# policy and the reports, and the reports only format findings.
FORBIDDEN = {
    "reading": ("command", "config", "filtering", "lint", "policy", "report"),
    "config": ("command", "lint", "many_files", "policy", "report"),
    "many_files": ("command", "config", "filtering", "lint", "policy", "report"),
    "filtering": ("command", "lint", "many_files", "report"),
    "report": ("command", "config", "filtering", "lint", "many_files", "model", "policy", "reading", "syntax"),
    "lint": ("command", "report"),
}


def _imports(path):
    """Every sla_lang module or name that `path` imports, at any depth of its code."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{node.module}" if node.module else anchor
            else:
                base = node.module
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _stage_modules(stage: str):
    single = PACKAGE / f"{stage}.py"
    return [single] if single.exists() else sorted((PACKAGE / stage).rglob("*.py"))


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_a_stage_imports_no_later_stage(stage):
    forbidden = tuple(f"sla_lang.{later}" for later in FORBIDDEN[stage])
    arrows = []
    for path in _stage_modules(stage):
        arrows += [
            f"{path.relative_to(PACKAGE)} -> {name}"
            for name in _imports(path)
            if name in forbidden or name.startswith(tuple(f"{f}." for f in forbidden))
        ]
    assert arrows == []


def test_the_walk_sees_imports_inside_functions():
    arrows = set(_imports(PACKAGE / "lint.py"))
    assert "sla_lang.policy.loader.load_packs" in arrows  # imported inside lint()
    assert "sla_lang.config.gate_warnings" in arrows


def test_no_import_cycle_at_module_level():
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {_module_name(path) for path in paths}
    graph = {_module_name(path): _top_level_imports(path, known) for path in paths}
    assert "sla_lang.config.keys" in graph["sla_lang.config.load"]  # the walk sees imports
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail("import cycle: " + " -> ".join(error.args[1]))


def test_no_code_or_docstring_refers_to_sections_of_the_spec():
    # The spec is not shipped with slalint: what users need is in docs/.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "SPEC §" in line:
                found.append(f"{path.relative_to(PROJECT)}:{number}")
    assert found == []


def test_every_did_you_mean_is_decided_in_hints():
    # One notion of a plausible typo: a module that suggests names asks hints.py.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "hints.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "get_close_matches" in text or "; did you mean" in text:
            found.append(path.relative_to(PACKAGE).as_posix())
    assert found == []


# Modules that echo the user's own characters back in a suggestion ("write
# 99.9%" for `99.9 %`): text, not a value turned into text.
_ECHOES_WHAT_WAS_WRITTEN = {"syntax/mistakes.py"}


def _hand_formatted_values(tree):
    """Where code turns a number into text itself or builds a percent or a
    duration from its parts: `format_decimal(...)`, `f"{x}%"`, `text + "%"`,
    `f"{amount}{unit}"`."""
    for node in ast.walk(tree):
        if _named(node) == "format_decimal" or (isinstance(node, ast.alias) and node.name == "format_decimal"):
            yield node.lineno, "format_decimal"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if any(isinstance(side, ast.Constant) and side.value == "%" for side in (node.left, node.right)):
                yield node.lineno, 'text + "%"'
        elif isinstance(node, ast.JoinedStr):
            for part, after in pairwise(node.values):
                if not isinstance(part, ast.FormattedValue):
                    continue
                if isinstance(after, ast.Constant) and str(after.value).startswith("%"):
                    yield node.lineno, 'f"{number}%"'
                elif isinstance(after, ast.FormattedValue) and _named(after.value) == "unit":
                    yield node.lineno, 'f"{amount}{unit}"'


def _named(expression) -> str | None:
    if isinstance(expression, ast.Name):
        return expression.id
    return expression.attr if isinstance(expression, ast.Attribute) else None


def test_values_are_turned_into_text_only_in_values_py():
    # One way to show a value: values.format_value (a percent, a duration, a number
    # as messages show it everywhere); a second, private way drifts from it.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "values.py" or relative in _ECHOES_WHAT_WAS_WRITTEN:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{relative}:{line} {what}" for line, what in _hand_formatted_values(tree)]
    assert found == []


def test_the_value_text_check_sees_hand_formatting():
    code = 'from x import format_decimal\na = f"{v}%"\nb = t + "%"\nc = f"{d.amount}{d.unit}"\nd = f"{n}{unit}"\n'
    assert [what for _, what in sorted(_hand_formatted_values(ast.parse(code)))] == [
        "format_decimal",
        'f"{number}%"',
        'text + "%"',
        'f"{amount}{unit}"',
        'f"{amount}{unit}"',
    ]


def test_descriptions_show_a_value_as_format_value_does():
    import datetime
    from decimal import Decimal

    from sla_lang.syntax.literals import describe_value
    from sla_lang.values import Duration, Percent, format_value

    values = [Decimal("30.0"), Percent(Decimal("99.950")), Duration(Decimal("1.50"), "h"), datetime.date(2026, 1, 31)]
    assert [describe_value(value) for value in values] == [
        "the number 30",
        "the percent 99.95%",
        "the duration 1.5h",
        "the date 2026-01-31",
    ]
    assert format_value(Percent(Decimal("99.96000599960001")), decimals=4) == "99.96%"
