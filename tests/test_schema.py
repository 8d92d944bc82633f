"""The schema (sla_lang/model/schema/) is the one description of the language
and its model: the builder, the nodes, what packs see, the grammars' words
and docs/language.md's tables follow it. Also: the size of functions and
modules, and what model/ and syntax/ may import.
"""

from __future__ import annotations

import pytest

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
