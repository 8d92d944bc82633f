"""How the policy code is put together: one registry of expression functions
and quantifiers that the type checker, the compiler, the suggestions, the
grammar and the docs agree with; one rule catalogue for every command and
report; no import cycles; modules and functions of a readable size."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from sla_lang.catalogue import find_rule, rule_catalogue, rules_by_code
from sla_lang.language_rules import LANGUAGE_RULES
from sla_lang.policy.expr import FUNCTIONS, QUANTIFIERS, Context, ExpressionError, compile_text
from sla_lang.policy.expr.functions import Function

PROJECT = Path(__file__).resolve().parent.parent
POLICY = PROJECT / "sla_lang" / "policy"
POLICIES_DOC = (PROJECT / "docs" / "policies.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = POLICIES_DOC.index(f"\n### {heading}\n")
    end = POLICIES_DOC.index("\n### ", start + 1)
    return POLICIES_DOC[start:end]


def _first_cells(section: str) -> list[str]:
    return [row.split("|")[1] for row in section.splitlines() if row.startswith("| `")]


# -- one registry of functions and quantifiers ---------------------------------------------


def test_the_docs_list_every_function_of_the_registry_with_its_arguments():
    documented = {}
    for cell in _first_cells(_section("Functions")):
        for name, params in re.findall(r"`([a-z_]+)\(([^)]*)\)`", cell):
            documented[name] = len([p for p in params.split(",") if p.strip()])
    assert documented == {name: len(function.params) for name, function in FUNCTIONS.items()}


def test_the_docs_list_every_quantifier_of_the_registry():
    documented = [
        name for cell in _first_cells(_section("Quantifiers")) for name in re.findall(r"`([a-z_]+)\(v in xs", cell)
    ]
    assert sorted(documented) == sorted(QUANTIFIERS)


def test_the_grammar_knows_the_quantifiers_of_the_registry():
    grammar = (PROJECT / "grammar" / "expression.lark").read_text(encoding="utf-8")
    names = re.search(r"^QUANTIFIER\.\d+: /\(([a-z|]+)\)", grammar, re.MULTILINE)[1]
    assert names.split("|") == list(QUANTIFIERS)


def test_a_function_declared_in_the_registry_is_typed_compiled_and_suggested(monkeypatch):
    double = Function("double", ("number",), "number", lambda ctx, value: value * 2, null_gives=None)
    monkeypatch.setitem(FUNCTIONS, "double", double)
    assert compile_text("double(21)", "agreement")(Context(None, {})) == Decimal(42)
    assert compile_text("double(null)", "agreement")(Context(None, {})) is None
    assert compile_text("double(2) + 1", "agreement").type == "number"
    with pytest.raises(ExpressionError) as wrong_type:
        compile_text('double("two")', "agreement")
    assert (wrong_type.value.message, wrong_type.value.column) == ("double() needs a number, not a string", 8)
    with pytest.raises(ExpressionError) as misspelt:
        compile_text("doubel(2)", "agreement")
    assert misspelt.value.message == "unknown function 'doubel'; did you mean 'double'?"
    with pytest.raises(ExpressionError) as too_many:
        compile_text("double(1, 2)", "agreement")
    assert too_many.value.message == "double() takes 1 argument(s), not 2"


def test_a_function_taken_out_of_the_registry_is_unknown(monkeypatch):
    monkeypatch.delitem(FUNCTIONS, "lower")
    with pytest.raises(ExpressionError) as error:
        compile_text('lower("A") == "a"', "agreement")
    assert error.value.message == "unknown function 'lower'"


def test_a_quantifier_is_typed_by_its_declaration():
    with pytest.raises(ExpressionError) as error:
        compile_text('sum(x in ["a", "b"]: x) == "ab"', "agreement")
    assert error.value.message == "sum() adds numbers, percents or durations, not a string"
    with pytest.raises(ExpressionError) as condition:
        compile_text("count(x in [1, 2]: x) == 1", "agreement")
    assert condition.value.message == "the condition of count() must be true or false"
    assert compile_text("first(x in [1%, 2%]: x > 1%)", "agreement").type == "percent"
    assert compile_text("first(x in [1%, 2%]: x > 1%)", "agreement")(Context(None, {})) is not None


# -- one rule catalogue ------------------------------------------------------------------------


class _Rule:
    def __init__(self, code: str, name: str) -> None:
        from sla_lang.findings import RuleInfo

        self.code = code
        self.info = RuleInfo(code, name, "warning", f"summary of {name}", pack="house")


class _Pack:
    def __init__(self, *rules: _Rule) -> None:
        self.rules = list(rules)


PACKS = [_Pack(_Rule("ACME002", "second-rule"), _Rule("ACME001", "first-rule")), _Pack(_Rule("AB1", "ac1"))]


def test_the_catalogue_holds_the_language_rules_then_each_packs_in_order():
    catalogue = rule_catalogue(PACKS)
    assert list(catalogue) == [*LANGUAGE_RULES, "ACME002", "ACME001", "AB1"]
    assert catalogue["ACME001"].name == "first-rule"
    assert [info.code for info in rules_by_code(PACKS)] == sorted(catalogue)


def test_a_rule_is_found_by_code_in_any_case_or_by_name_the_first_in_the_catalogue():
    assert find_rule(" acme001 ", PACKS).name == "first-rule"
    assert find_rule("second-rule", PACKS).code == "ACME002"
    assert find_rule("SL001", PACKS) is LANGUAGE_RULES["SL001"]
    # `ac1` is AB1's name and, upper-cased, no code: the name decides.
    assert find_rule("ac1", PACKS).code == "AB1"
    assert find_rule("ACME003", PACKS) is None


def test_only_the_catalogue_joins_the_language_rules_with_the_packs():
    """Every command and report asks catalogue.py: no other module builds the list."""
    joining = []
    for path in sorted((PROJECT / "sla_lang").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\brule\.info\b", text) and "LANGUAGE_RULES" in text:
            joining.append(path.relative_to(PROJECT).as_posix())
    assert joining == ["sla_lang/catalogue.py"]


# -- the shape of sla_lang/policy ---------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that `path` imports when it is imported (not inside functions)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{node.module}" if node.module else anchor
            else:
                base = node.module
            found |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
    return found & known


def test_the_policy_modules_import_each_other_without_a_cycle():
    paths = sorted(POLICY.rglob("*.py"))
    known = {_module_name(path) for path in paths}
    graph = {_module_name(path): _top_level_imports(path, known) for path in paths}
    assert "sla_lang.policy.hours_coverage" in graph["sla_lang.policy.builtin_checks"]  # the walk sees imports
    assert "sla_lang.policy.expr.parse" in graph["sla_lang.policy.expr.typecheck"]
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail("import cycle: " + " -> ".join(error.args[1]))


def test_no_policy_module_is_over_500_lines_nor_any_function_over_60():
    too_long = []
    for path in sorted(POLICY.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(POLICY).as_posix()
        if len(text.splitlines()) > 500:
            too_long.append((name, len(text.splitlines())))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 60:
                too_long.append((f"{name}:{node.lineno} {node.name}()", node.end_lineno - node.lineno + 1))
    assert too_long == []
