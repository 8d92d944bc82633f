"""Language findings that need the whole workspace: one namespace over all
files (SPEC §2), duplicates reported after the first in (path, line) order
(SL006, §3.1), references across files (SL007), and the declarations of a
broken file that still count (§3.1 "Syntax errors")."""

from __future__ import annotations

import pytest
from conftest import lint_files

from sla_lang.config.settings import Settings

PARTIES = "party acme { role: customer }\nparty it_org { role: provider }\n"
GOLD = (
    'sla gold {\n  provider: it_org\n  customer: acme\n  version: "1"\n  effective: 2026-01-01\n'
    "  service api { hours: 24x7  objective availability { target: >= 99.9% } }\n}\n"
)


def language(files: dict[str, str], tmp_path) -> list[tuple[str, str, int, int]]:
    result = lint_files(files, tmp_path, settings=Settings(select=["SL0"]))
    language.messages = [f.message for f in result.findings]
    return [(f.code, f.span.path, f.span.line, f.span.column) for f in result.findings]


def test_references_resolve_across_files(tmp_path):
    assert language({"parties.sla": PARTIES, "agreements/gold.sla": GOLD}, tmp_path) == []


def test_a_reference_into_a_file_outside_the_workspace_does_not_resolve(tmp_path):
    assert language({"gold.sla": GOLD}, tmp_path) == [("SL007", "gold.sla", 2, 13), ("SL007", "gold.sla", 3, 13)]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # The first in path order wins, whatever the line.
        (
            {"a.sla": "\n\n\nparty acme { role: customer }\n", "b.sla": "party acme { role: team }\n"},
            [("SL006", "b.sla", 1, 7)],
        ),
        # Within a file, line order; every later one is reported.
        (
            {"a.sla": "party x { role: team }\nparty x { role: team }\nmetric x { unit: number  better: higher }\n"},
            [("SL006", "a.sla", 2, 7), ("SL006", "a.sla", 3, 8)],
        ),
        # Parties, metrics and agreements share one namespace.
        ({"a.sla": PARTIES, "b.sla": GOLD.replace("sla gold", "ola acme")}, [("SL006", "b.sla", 1, 5)]),
        # A declaration may not reuse a built-in metric's id.
        ({"m.sla": "metric latency { unit: duration  better: lower }\n"}, [("SL006", "m.sla", 1, 8)]),
    ],
    ids=["across-files", "within-a-file", "across-kinds", "built-in-metric"],
)
def test_duplicate_ids(tmp_path, files, expected):
    assert language(files, tmp_path) == expected


def test_a_duplicate_id_message_names_the_first_declaration(tmp_path):
    language({"a.sla": "\nparty acme { role: customer }\n", "b.sla": "party acme { role: team }\n"}, tmp_path)
    assert "a.sla:2" in language.messages[0]


def test_complete_declarations_of_a_broken_file_still_count(tmp_path):
    broken = "party acme { role: customer }\nparty it_org { role: provider }\nparty broken { role team }\n"
    findings = language({"parties.sla": broken, "gold.sla": GOLD}, tmp_path)
    assert findings == [("SL001", "parties.sla", 3, 21)]


def test_the_declaration_holding_the_error_does_not_count(tmp_path):
    broken = "party acme { role: customer }\nparty it_org { role provider }\n"
    findings = language({"parties.sla": broken, "gold.sla": GOLD}, tmp_path)
    # it_org is in a declaration that did not parse: only the syntax error is reported.
    assert findings == [("SL001", "parties.sla", 2, 21)]


def test_an_unreadable_file_declares_nothing(tmp_path):
    (tmp_path / "parties.sla").write_bytes(PARTIES.encode() + b"\x00")
    findings = lint_files({"gold.sla": GOLD}, tmp_path, settings=Settings(select=["SL0"]))
    assert [(f.code, f.span.path) for f in findings.findings] == [("SL007", "gold.sla"), ("SL007", "gold.sla")]


# -- names that read as days or booleans (docs/language.md "Known limits") ----------------


def test_day_names_are_ids_as_labels_and_in_lists(tmp_path):
    files = {
        "a.sla": PARTIES
        + "party mon { role: team  organization: it_org }\n"
        + GOLD.replace("service api", "service fri").replace("}\n}\n", "}\n  responsibilities mon { }\n}\n")
        + 'ola sat { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01  supports: [gold.fri]\n'
        "  service s { hours: 24x7 } }\n",
    }
    assert language(files, tmp_path) == []


def test_a_day_name_at_the_start_of_a_value_is_a_day_spec(tmp_path):
    files = {"a.sla": "party mon { role: customer }\nparty t { role: team  organization: mon }\n"}
    [(code, _, line, column)] = language(files, tmp_path)
    assert (code, line, column) == ("SL001", 2, 41)
    assert "a time range" in language.messages[0]


def test_a_boolean_word_is_never_a_reference(tmp_path):
    files = {"a.sla": "party yes { role: customer }\nparty t { role: team  organization: yes }\n"}
    assert language(files, tmp_path) == [("SL003", "a.sla", 2, 37)]
