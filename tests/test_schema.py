"""The schema (sla_lang/model/schema/) is the one description of the language
and its model: the builder, the nodes, what packs see, the grammars' words
and docs/language.md's tables follow it. Also: the size of functions and
modules, and what model/ and syntax/ may import.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import PROJECT

from sla_lang.model import schema
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser

HEAD = 'provider: p  customer: c  version: "1"  effective: 2026-01-01'


@pytest.fixture(scope="module")
def parser():
    return AgreementParser()


def parse(parser, text: str):
    parsed = parser.parse(SourceFile("t.sla", text))
    return parsed, [(f.code, f.span.line, f.span.column, f.message) for f in parsed.findings]


# -- lists: only an invalid element is dropped (SPEC §6.11) ----------------------------


def test_an_invalid_element_of_supports_is_dropped_alone(parser):
    text = f'ola o {{ {HEAD}\n  supports: [gold, 2, "x", silver.api]\n  service s {{ hours: 24x7 }} }}\n'
    parsed, findings = parse(parser, text)
    expected = "an agreement or a service of one"
    assert findings == [
        ("SL003", 2, 20, f"each item of 'supports' in OLA 'o' must be a reference to {expected}, not the number 2"),
        ("SL003", 2, 23, f"each item of 'supports' in OLA 'o' must be a reference to {expected}, not the string \"x\""),
    ]
    assert [str(reference) for reference in parsed.declarations[0].supports_refs] == ["gold", "silver.api"]
    # Each element is its own problem: the fingerprint names it by its value.
    assert [f.anchor for f in parsed.findings] == ["o.supports 2", "o.supports x"]


def test_a_list_of_invalid_elements_is_written_but_empty(parser):
    text = f"ola o {{ {HEAD}\n  supports: [1, [gold]]\n  service s {{ hours: 24x7 }} }}\n"
    parsed, findings = parse(parser, text)
    assert [(code, line, column) for code, line, column, _ in findings] == [("SL003", 2, 14), ("SL003", 2, 17)]
    assert findings[1][3].endswith("not a list")
    agreement = parsed.declarations[0]
    assert agreement.supports_refs == []
    assert "supports" in agreement.spans  # present but invalid: written() says so


def test_an_element_already_reported_is_not_reported_again(parser):
    text = f"ola o {{ {HEAD}\n  supports: [gold, 2026-02-30]\n  service s {{ hours: 24x7 }} }}\n"
    parsed, findings = parse(parser, text)
    assert findings == [("SL003", 2, 20, "2026-02-30 is not a date: February 2026 has 28 days")]
    assert [str(reference) for reference in parsed.declarations[0].supports_refs] == ["gold"]


def test_a_value_that_is_no_list_is_still_one_finding(parser):
    text = f'ola o {{ {HEAD}\n  supports: "gold"\n  service s {{ hours: 24x7 }} }}\n'
    _, findings = parse(parser, text)
    assert findings == [
        (
            "SL003",
            2,
            13,
            "'supports' in OLA 'o' must be a reference or a list of references to an agreement or a service of one, "
            'not the string "gold"',
        )
    ]


# -- the schema feeds the docs, the grammars, the builder and the model ----------------


def test_docs_language_md_tables_are_generated_from_the_schema():
    from sla_lang.language_docs import regenerate

    committed = (PROJECT / "docs" / "language.md").read_text(encoding="utf-8")
    assert regenerate(committed) == committed, (
        "docs/language.md is stale: python -m sla_lang.language_docs docs/language.md"
    )


def test_the_docs_generator_refuses_a_page_without_a_place_for_a_table():
    from sla_lang.language_docs import regenerate

    committed = (PROJECT / "docs" / "language.md").read_text(encoding="utf-8")
    without = committed.replace("<!-- generated from the schema: fields of credit -->", "", 1)
    with pytest.raises(ValueError, match="no place for the tables fields of credit"):
        regenerate(without)


def test_the_docs_generator_rewrites_the_page_in_place(tmp_path):
    from sla_lang.language_docs import main

    page = (PROJECT / "docs" / "language.md").read_text(encoding="utf-8")
    stale = page.replace("| `ms` | millisecond | 0.001 s |\n", "")
    path = tmp_path / "language.md"
    path.write_text(stale, encoding="utf-8")
    assert main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == page


def _terminal(grammar: str, name: str) -> str:
    """The pattern of terminal `name` in a .lark grammar."""
    match = re.search(rf"^{name}(?:\.\d+)?: (.*)$", grammar, re.M)
    assert match, name
    return match.group(1)


def _word_groups(pattern: str) -> list[list[str]]:
    """The groups of alternative words in a pattern: `(ms|min|s)` -> ['ms', 'min', 's']."""
    return [group.split("|") for group in re.findall(r"\(((?:[a-z]+\|)+[a-z]+)\)", pattern)]


def test_the_agreement_grammar_spells_the_words_of_the_registry():
    grammar = (PROJECT / "grammar" / "agreement.lark").read_text(encoding="utf-8")
    assert _word_groups(_terminal(grammar, "KIND")) == [list(schema.DECLARATION_KINDS)]
    units = [*schema.DURATION_UNITS, *schema.BUSINESS_UNITS]
    assert [sorted(g) for g in _word_groups(_terminal(grammar, "DURATION"))] == [sorted(units)]
    assert _word_groups(_terminal(grammar, "DAYSPEC")) == [list(schema.DAY_NAMES)] * 2
    assert _word_groups(_terminal(grammar, "BOOL")) == [list(schema.BOOLEAN_WORDS)]
    assert _terminal(grammar, "ALWAYS").startswith(f"/{schema.ALWAYS}(")
    assert set(_terminal(grammar, "COMPARATOR").strip("/").split("|")) == set(schema.COMPARATORS)


def test_the_expression_grammar_spells_the_words_of_the_registry():
    grammar = (PROJECT / "grammar" / "expression.lark").read_text(encoding="utf-8")
    assert [sorted(g) for g in _word_groups(_terminal(grammar, "DURATION"))] == [sorted(schema.DURATION_UNITS)]
    assert sorted(_word_groups(_terminal(grammar, "BOOL"))[0]) == sorted(schema.BOOLEAN_WORDS)


def test_every_value_kind_has_a_converter_and_a_type_packs_know():
    from sla_lang.syntax.validate import CONVERTERS

    assert set(CONVERTERS) == set(schema.VALUE_KINDS)
    for block in schema.BLOCKS:
        for field in block.fields.values():
            for name, seen in field.seen.items():
                assert seen and "{" not in seen, (block.name, name, seen)
            if field.kind in ("reference", "references"):
                assert field.target in schema.TARGETS, field.key


def test_every_field_packs_see_is_on_the_nodes(parser):
    """What the schema shows packs is what the nodes hold: each field of each
    node of a real workspace reads without error."""
    from sla_lang.model.workspace import build_workspace
    from sla_lang.policy.engine import nodes_of
    from sla_lang.policy.model_view import FIELD_TYPES, get_field

    text = (PROJECT / "examples" / "payments.sla").read_text(encoding="utf-8")
    parsed = parser.parse(SourceFile("payments.sla", text))
    workspace = build_workspace(parsed.declarations)
    seen = set()
    for scope in ("agreement", "service", "objective", "party", "metric", "signature", "credit"):
        for node in nodes_of(workspace, scope) or list(workspace.metrics.values()):
            for name in FIELD_TYPES[scope]:
                get_field(node, name)
                seen.add(scope)
    for agreement in workspace.agreements.values():
        for responsibility in agreement.responsibilities:
            assert [get_field(responsibility, name) is None for name in FIELD_TYPES["responsibility"]] == [False] * 2
    assert len(seen) == 7


# -- sizes and layers --------------------------------------------------------------------

PACKAGE = PROJECT / "sla_lang"
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 500
# Parser.parse is the LALR hot loop, kept in one piece for speed: the one
# function over the limit, and it may shrink, never grow.
LONG_FUNCTIONS = {"Parser.parse": 69}
LONG_MODULES: dict[str, int] = {}


def _functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield f"{prefix}{node.name}", node.end_lineno - node.lineno + 1
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")


def test_no_function_is_over_60_lines():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        for name, length in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            allowed = LONG_FUNCTIONS.get(name, MAX_FUNCTION_LINES)
            if module.startswith(("syntax/", "model/")) and name != "Parser.parse":
                allowed = MAX_FUNCTION_LINES
            if length > allowed:
                too_long.append(f"{module}: {name} has {length} lines")
    assert too_long == []


def test_no_module_is_over_500_lines():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).as_posix()
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > LONG_MODULES.get(module, MAX_MODULE_LINES):
            too_long.append(f"{module}: {lines} lines")
    assert too_long == []


def test_model_and_syntax_import_nothing_of_the_policy_the_reports_or_the_command_line():
    forbidden = ("sla_lang.policy", "sla_lang.report", "sla_lang.command", "sla_lang.__main__", "sla_lang.lint")
    forbidden += ("sla_lang.config", "sla_lang.filtering", "sla_lang.many_files")  # the later stages
    found = []
    for layer in ("model", "syntax"):
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            package = ".".join(("sla_lang", *path.relative_to(PACKAGE).parent.parts))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # inside functions too
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    base = package.rsplit(".", node.level - 1)[0] if node.level else ""
                    module = f"{base}.{node.module}" if base and node.module else base or node.module
                    names = [module] + [f"{module}.{alias.name}" for alias in node.names]
                else:
                    continue
                found += [f"{path.name}: {name}" for name in names if name.startswith(forbidden)]
    assert found == []


def test_the_mistakes_of_durations_suggest_units_of_the_registry():
    from sla_lang.syntax.mistakes import _UNIT_WORDS

    assert set(_UNIT_WORDS.values()) == set(schema.DURATION_UNITS)


# -- metadata (SPEC §6.9): owner, tags and links on declarations, services and objectives ----

METADATA = """\
party acme "Acme" { role: customer  owner: "Sales"  tags: ["key-account"]  links: ["https://crm.example/acme"] }
party it_org { role: provider  owner: "IT" }
party dba { role: team  organization: it_org }
party cloudco { role: supplier }
metric nps "NPS" { unit: number  better: higher  kind: business  owner: "CX"  tags: []  links: [] }
sla gold {
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  owner: "Service desk"
  tags: ["payments", "tier-1"]
  links: ["https://wiki.example/gold", "JIRA-42"]
  service api {
    hours: 24x7
    owner: "API team"
    links: ["https://status.example/api"]
    objective availability { target: >= 99.9%  window: 30d  tags: ["headline", "external"]  owner: "SRE" }
    objective latency { target: <= 300ms  percentile: 99  window: 30d }
  }
}
ola db { provider: dba  customer: it_org  version: "1"  effective: 2026-01-01  supports: gold.api
  owner: "DBA"  tags: ["internal"]  service s { hours: 24x7 } }
contract cloud { provider: cloudco  customer: it_org  version: "1"  effective: 2026-01-01  supports: gold
  links: ["https://cloudco.example/contract.pdf"]  service s { hours: 24x7 } }
"""


def test_every_declaration_service_and_objective_carries_owner_tags_and_links(parser):
    parsed, findings = parse(parser, METADATA)
    assert findings == []
    nodes = {node.id: node for node in parsed.declarations}
    service = nodes["gold"].services[0]
    availability, latency = service.objectives
    written = {
        name: (node.owner, node.tags, node.links)
        for name, node in [*nodes.items(), ("api", service), ("availability", availability), ("latency", latency)]
    }
    assert written == {
        "acme": ("Sales", ["key-account"], ["https://crm.example/acme"]),
        "it_org": ("IT", [], []),
        "dba": (None, [], []),
        "cloudco": (None, [], []),
        "nps": ("CX", [], []),
        "gold": ("Service desk", ["payments", "tier-1"], ["https://wiki.example/gold", "JIRA-42"]),
        "db": ("DBA", ["internal"], []),
        "cloud": (None, [], ["https://cloudco.example/contract.pdf"]),
        "api": ("API team", [], ["https://status.example/api"]),
        "availability": ("SRE", ["headline", "external"], []),
        "latency": (None, [], []),
    }
    assert nodes["dba"].tags is not nodes["cloudco"].tags  # a list of each node's own


def test_metadata_of_the_wrong_type_is_sl003_and_an_invalid_tag_is_dropped_alone(parser):
    text = (
        f"sla gold {{ {HEAD}\n"
        "  owner: 42\n"
        '  tags: ["a", 42, yes]\n'
        '  links: "https://x"\n'
        "  service s { hours: 24x7 } }\n"
    )
    parsed, findings = parse(parser, text)
    assert findings == [
        ("SL003", 2, 10, "'owner' in SLA 'gold' must be a string in double quotes: write owner: \"42\""),
        ("SL003", 3, 15, "each item of 'tags' in SLA 'gold' must be a string in double quotes: write \"42\""),
        (
            "SL003",
            3,
            19,
            "each item of 'tags' in SLA 'gold' must be a string in double quotes, e.g. \"Jane Doe\", "
            "not the boolean yes",
        ),
        (
            "SL003",
            4,
            10,
            "'links' in SLA 'gold' must be a list of strings in double quotes, e.g. [\"payments\", \"tier-1\"], "
            'not the string "https://x"',
        ),
    ]
    assert [f.anchor for f in parsed.findings] == ["gold.owner", "gold.tags 42", "gold.tags yes", "gold.links"]
    gold = parsed.declarations[0]
    assert (gold.owner, gold.tags, gold.links) == (None, ["a"], [])
    assert {"owner", "tags", "links"} <= set(gold.spans)  # written, though invalid


def test_metadata_written_twice_is_sl005(parser):
    text = (
        f"sla gold {{ {HEAD}\n"
        '  service s { hours: 24x7  owner: "a"  owner: "b"\n'
        '    objective availability { target: >= 99%  tags: ["x"]  tags: ["y"] } } }\n'
    )
    parsed, findings = parse(parser, text)
    assert findings == [
        ("SL005", 2, 40, "'owner' is set twice in service 's' of SLA 'gold' (first on line 2); keep one"),
        (
            "SL005",
            3,
            59,
            "'tags' is set twice in objective 'availability' of service 's' of SLA 'gold' (first on line 3); keep one",
        ),
    ]
    objective = parsed.declarations[0].services[0].objectives[0]
    assert (parsed.declarations[0].services[0].owner, objective.tags) == ("a", ["x"])


def test_metadata_elsewhere_says_where_it_belongs(parser):
    text = (
        f"sla gold {{ {HEAD}\n"
        "  service s { hours: 24x7  objective availability { target: >= 99% } }\n"
        '  credits { credit { when: s.availability < 99%  amount: 10%  owner: "x" } } }\n'
    )
    _, findings = parse(parser, text)
    assert findings == [
        (
            "SL002",
            3,
            63,
            "unknown field 'owner' in credit 1 of SLA 'gold'; 'owner' belongs in a declaration, a service or an "
            "objective",
        )
    ]


METADATA_PACK = """\
pack: metadata
rules:
  - code: META001
    name: agreement-owner
    severity: info
    scope: agreement
    where: agreement.owner != null
    assert: "false"
    message: "{agreement.id} is looked after by {agreement.owner}, tagged {tags}"
    at: owner
  - code: META002
    name: objective-tags
    severity: info
    scope: objective
    assert: len(tags) == 0
    message: "objective {id} has {len(tags)} tags"
    at: tags
  - code: META003
    name: service-links
    severity: info
    scope: service
    assert: len(service.links) == 0
    message: "service {id} links to {service.links}"
    at: links
  - code: META004
    name: party-owner-written
    severity: info
    scope: party
    assert: not written(owner)
    message: "party {id} is owned by {owner}"
"""


def test_packs_read_owner_tags_and_links(tmp_path):
    from conftest import lint_files

    from sla_lang.config.settings import Settings

    pack = tmp_path / "metadata.yaml"
    pack.write_text(METADATA_PACK, encoding="utf-8")
    settings = Settings(policies=[str(pack)], select=["META"])
    result = lint_files({"meta.sla": METADATA}, tmp_path, settings=settings)
    assert [(f.code, f.span.line, f.span.column, f.message) for f in result.findings] == [
        ("META004", 1, 1, "party acme is owned by Sales"),
        ("META004", 2, 1, "party it_org is owned by IT"),
        ("META001", 8, 3, "gold is looked after by Service desk, tagged payments, tier-1"),
        ("META003", 14, 5, "service api links to https://status.example/api"),
        ("META002", 15, 61, "objective availability has 2 tags"),
        ("META001", 20, 3, "db is looked after by DBA, tagged internal"),
    ]
