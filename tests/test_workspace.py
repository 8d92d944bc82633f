"""The workspace (SPEC §2, §4.2): every file's declarations in one namespace,
references resolved across files, back-links filled in, and every SL006
(duplicate id) and SL007 (unresolved reference) situation reported at its
exact position.

Most tests parse texts in memory with AgreementParser and resolve them with
build_workspace; the workspace root tests run the real command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import report_of, run_cli

from sla_lang.model.workspace import build_workspace
from sla_lang.source import SourceFile
from sla_lang.syntax.parser import AgreementParser

PARTIES = """\
party acme "Acme Retail Ltd" { role: customer }
party it_org "Example Corp IT" { role: provider }
party dba "Database Team" { role: team  organization: it_org }
"""

GOLD = """\
sla gold "Gold SLA" {
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  service api {
    objective availability { target: >= 99.95%  window: 30d }
    objective orders { metric: order_rate  target: >= 100  window: 1d }
  }
  service web { objective availability { target: >= 99.9%  window: 30d } }
  responsibilities acme { "Report incidents" }
  credits { credit { when: api.availability < 99.95%; amount: 10% } }
  approval { signature acme { by: "Jane Doe"; date: 2025-12-15 } }
}
"""

METRICS = 'metric order_rate "Orders per minute" { unit: number  better: higher }\n'

OLA = """\
ola db_ola {
  provider: dba
  customer: it_org
  version: "1"
  effective: 2026-01-01
  supports: gold.api
  service db { objective availability { target: >= 99.99%  window: 30d } }
}
"""


def resolve(files: dict[str, str], order=None):
    """Parse `files` (path -> text) and resolve them as one workspace; returns
    the workspace and its findings as (code, path, line, column, message)."""
    parser = AgreementParser()
    declarations, findings = [], []
    for path in order or files:
        parsed = parser.parse(SourceFile(path, files[path]))
        declarations += parsed.declarations
        findings += parsed.findings
    workspace = build_workspace(declarations)
    findings += workspace.findings
    rows = sorted((f.code, f.span.path, f.span.line, f.span.column, f.message) for f in findings)
    return workspace, rows


def positions(rows) -> list[tuple[str, str, int, int]]:
    return [row[:4] for row in rows]


# -- resolution across files ------------------------------------------------------


def test_references_resolve_across_files():
    files = {"parties.sla": PARTIES, "metrics.sla": METRICS, "gold.sla": GOLD, "ola.sla": OLA}
    workspace, findings = resolve(files)
    assert findings == []
    gold, ola = workspace.agreements["gold"], workspace.agreements["db_ola"]
    acme, it_org, dba = workspace.parties["acme"], workspace.parties["it_org"], workspace.parties["dba"]
    assert gold.provider is it_org and gold.customer is acme
    assert dba.organization is it_org
    assert gold.responsibilities[0].party is acme
    assert gold.signatures[0].party is acme
    api = gold.services[0]
    assert api.objectives[1].metric is workspace.metrics["order_rate"]
    assert api.objectives[0].metric is workspace.metrics["availability"]  # built-in, by the objective's id
    assert gold.credits[0].objective is api.objectives[0]
    assert ola.supports == [api]
    assert {gold.file, ola.file, acme.file} == {"gold.sla", "ola.sla", "parties.sla"}


def test_the_order_of_the_files_does_not_matter():
    files = {"parties.sla": PARTIES, "metrics.sla": METRICS, "gold.sla": GOLD, "ola.sla": OLA}
    workspace, findings = resolve(files, order=list(reversed(files)))
    assert findings == []
    assert workspace.agreements["db_ola"].supports == [workspace.agreements["gold"].services[0]]


def test_a_reference_may_point_forward_in_the_same_file():
    workspace, findings = resolve({"one.sla": OLA + GOLD + METRICS + PARTIES})
    assert findings == []
    assert workspace.agreements["gold"].customer is workspace.parties["acme"]


def test_responsibilities_customer_and_provider_mean_the_agreements_own_parties():
    text = GOLD.replace(
        'responsibilities acme { "Report incidents" }',
        'responsibilities customer { "a" }\n  responsibilities provider { "b" }',
    )
    workspace, findings = resolve({"p.sla": PARTIES, "m.sla": METRICS, "g.sla": text})
    assert findings == []
    gold = workspace.agreements["gold"]
    assert [r.party for r in gold.responsibilities] == [workspace.parties["acme"], workspace.parties["it_org"]]


# -- back-links ---------------------------------------------------------------------


def test_supported_by_back_links():
    contract = """\
party cloudco { role: supplier }
contract cloud_uc {
  provider: cloudco
  customer: it_org
  version: "1"
  effective: 2026-01-01
  supports: [gold, db_ola.db]
  service hosting { objective availability { target: >= 99.99%  window: 30d } }
}
"""
    files = {"parties.sla": PARTIES, "metrics.sla": METRICS, "gold.sla": GOLD, "ola.sla": OLA, "uc.sla": contract}
    workspace, findings = resolve(files)
    assert findings == []
    gold, ola, uc = (workspace.agreements[k] for k in ("gold", "db_ola", "cloud_uc"))
    api, web = gold.services
    # db_ola supports gold.api: the service and its agreement know it.
    # cloud_uc supports the whole of gold: the agreement and every one of its services know it.
    assert gold.supported_by == [ola, uc]
    assert api.supported_by == [ola, uc]
    assert web.supported_by == [uc]
    assert ola.supported_by == [uc] and ola.services[0].supported_by == [uc]
    assert uc.supported_by == [] and uc.services[0].supported_by == []
    assert uc.supports == [gold, ola.services[0]]


def test_a_link_named_twice_is_one_back_link():
    ola = OLA.replace("supports: gold.api", "supports: [gold.api, gold.api, gold]")
    workspace, findings = resolve({"p.sla": PARTIES, "m.sla": METRICS, "g.sla": GOLD, "o.sla": ola})
    assert findings == []
    gold, db_ola = workspace.agreements["gold"], workspace.agreements["db_ola"]
    assert gold.supported_by == [db_ola]
    assert gold.services[0].supported_by == [db_ola] and gold.services[1].supported_by == [db_ola]


def test_an_unresolved_link_leaves_no_back_link():
    ola = OLA.replace("supports: gold.api", "supports: [gold.nope, nowhere]")
    workspace, _ = resolve({"p.sla": PARTIES, "m.sla": METRICS, "g.sla": GOLD, "o.sla": ola})
    gold = workspace.agreements["gold"]
    assert workspace.agreements["db_ola"].supports == []
    assert gold.supported_by == [] and all(s.supported_by == [] for s in gold.services)


# -- SL006: duplicate ids -------------------------------------------------------------

BASE = {"p.sla": PARTIES, "m.sla": METRICS}

DUPLICATES = [
    (
        "party-across-files",
        {"a.sla": "party acme { role: customer }\n", "b.sla": "\n  party acme { role: customer }\n"},
        [("SL006", "b.sla", 2, 9, "duplicate id 'acme': already declared as party 'acme' at a.sla:1")],
    ),
    (
        "every-later-occurrence-in-path-line-order",
        {
            "c.sla": "party x { role: customer }\n",
            "a.sla": "party y { role: team }\nparty x { role: customer }\n",
            "b.sla": "party x { role: provider }\n\nparty x { role: team }\n",
        },
        [
            ("SL006", "b.sla", 1, 7, "duplicate id 'x': already declared as party 'x' at a.sla:2"),
            ("SL006", "b.sla", 3, 7, "duplicate id 'x': already declared as party 'x' at a.sla:2"),
            ("SL006", "c.sla", 1, 7, "duplicate id 'x': already declared as party 'x' at a.sla:2"),
        ],
    ),
    (
        "agreement-across-files",
        {**BASE, "g1.sla": GOLD, "g2.sla": "# the same SLA again\n" + GOLD},
        [("SL006", "g2.sla", 2, 5, "duplicate id 'gold': already declared as SLA 'gold' at g1.sla:1")],
    ),
    (
        "party-and-agreement-share-the-namespace",
        {**BASE, "g.sla": GOLD, "t.sla": "party gold { role: team }\n"},
        [("SL006", "t.sla", 1, 7, "duplicate id 'gold': already declared as SLA 'gold' at g.sla:1")],
    ),
    (
        "metric-and-party-share-the-namespace",
        {**BASE, "x.sla": "metric acme { unit: number  better: higher }\n"},
        [("SL006", "x.sla", 1, 8, "duplicate id 'acme': already declared as party 'acme' at p.sla:1")],
    ),
    (
        "agreement-kinds-share-the-namespace",
        {**BASE, "g.sla": GOLD, "o.sla": OLA.replace("ola db_ola", "ola gold")},
        [("SL006", "o.sla", 1, 5, "duplicate id 'gold': already declared as SLA 'gold' at g.sla:1")],
    ),
    (
        "shadowing-a-built-in-metric",
        {"m.sla": 'metric latency "Latency" { unit: duration  better: lower }\n'},
        [("SL006", "m.sla", 1, 8, "duplicate id 'latency': a built-in metric; rename one of them")],
    ),
    (
        "a-party-named-like-a-built-in-metric",
        {"m.sla": "party availability { role: team }\n"},
        [("SL006", "m.sla", 1, 7, "duplicate id 'availability': a built-in metric; rename one of them")],
    ),
    (
        "duplicate-service-ids",
        {**BASE, "g.sla": GOLD.replace("service web", "service api")},
        [
            (
                "SL006",
                "g.sla",
                10,
                11,
                "service 'api' is declared twice in SLA 'gold' (first on line 6); rename one",
            )
        ],
    ),
    (
        "duplicate-objective-ids",
        {**BASE, "g.sla": GOLD.replace("objective orders", "objective availability")},
        [
            (
                "SL006",
                "g.sla",
                8,
                15,
                "objective 'availability' is declared twice in service 'api' of SLA 'gold' (first on line 7); "
                "give each its own id",
            )
        ],
    ),
    (
        "the-same-objective-id-in-two-services-is-fine",
        {**BASE, "g.sla": GOLD},
        [],
    ),
    (
        "the-same-service-id-in-two-agreements-is-fine",
        {**BASE, "g.sla": GOLD, "o.sla": OLA.replace("service db", "service api")},
        [],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in DUPLICATES], ids=[c[0] for c in DUPLICATES])
def test_duplicate_ids(files, expected):
    _, findings = resolve(files)
    duplicates = [row for row in findings if row[0] == "SL006"]
    assert [row[:4] for row in duplicates] == [row[:4] for row in expected]
    for row, (*_, words) in zip(duplicates, expected, strict=True):
        assert row[4].startswith(words), row[4]
    assert [row for row in findings if row[0] != "SL006"] == [], findings


def test_the_first_declaration_wins_whatever_the_reading_order():
    files = {"b.sla": 'party x "Second" { role: provider }\n', "a.sla": 'party x "First" { role: customer }\n'}
    for order in (["a.sla", "b.sla"], ["b.sla", "a.sla"]):
        workspace, findings = resolve(files, order)
        assert workspace.parties["x"].name == "First"
        assert positions(findings) == [("SL006", "b.sla", 1, 7)]


# -- SL007: unresolved references ---------------------------------------------------------


def _with(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


UNRESOLVED = [
    (
        "provider",
        {**BASE, "g.sla": _with(GOLD, "provider: it_org", "provider: it_orgs")},
        ("g.sla", 2, 13),
        "the provider of SLA 'gold' names 'it_orgs', but no party 'it_orgs' is declared; did you mean 'it_org'?",
    ),
    (
        "customer-not-in-workspace",
        {**BASE, "g.sla": _with(GOLD, "customer: acme", "customer: globex")},
        ("g.sla", 3, 13),
        "the customer of SLA 'gold' names 'globex', but no party 'globex' is declared "
        "(is the file that declares it in the workspace?)",
    ),
    (
        "organization",
        {"p.sla": _with(PARTIES, "organization: it_org", "organization: it"), "m.sla": METRICS},
        ("p.sla", 3, 55),
        "the organization of party 'dba' names 'it', but no party 'it' is declared",
    ),
    (
        "metric",
        {**BASE, "g.sla": _with(GOLD, "metric: order_rate", "metric: order_rates")},
        ("g.sla", 8, 32),
        "the metric of objective 'orders' of service 'api' in SLA 'gold' names 'order_rates', but no metric "
        "'order_rates' is declared; did you mean 'order_rate'?",
    ),
    (
        "metric-not-declared-anywhere",
        {"p.sla": PARTIES, "g.sla": GOLD},
        ("g.sla", 8, 32),
        "the metric of objective 'orders' of service 'api' in SLA 'gold' names 'order_rate', but no metric "
        "'order_rate' is declared",
    ),
    (
        "supports-agreement",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "supports: gold.api", "supports: silver")},
        ("o.sla", 6, 13),
        "'supports' of OLA 'db_ola' names 'silver', but no agreement 'silver' is declared",
    ),
    (
        "supports-missing-service",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "supports: gold.api", "supports: gold.apii")},
        ("o.sla", 6, 13),
        "'supports' of OLA 'db_ola' names 'gold.apii', but SLA 'gold' has no service 'apii'; did you mean 'api'?",
    ),
    (
        "supports-too-many-parts",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "supports: gold.api", "supports: gold.api.availability")},
        ("o.sla", 6, 13),
        "'supports' of OLA 'db_ola' must name an agreement or agreement.service, not 'gold.api.availability'",
    ),
    (
        "supports-in-a-list",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "supports: gold.api", "supports: [gold.api, gold.www]")},
        ("o.sla", 6, 24),
        "'supports' of OLA 'db_ola' names 'gold.www', but SLA 'gold' has no service 'www'",
    ),
    (
        "signature",
        {**BASE, "g.sla": _with(GOLD, "signature acme", "signature acme_retail")},
        ("g.sla", 13, 24),
        "the signature on SLA 'gold' names 'acme_retail', but no party 'acme_retail' is declared",
    ),
    (
        "responsibilities",
        {**BASE, "g.sla": _with(GOLD, "responsibilities acme", "responsibilities customers")},
        ("g.sla", 11, 20),
        "the responsibilities in SLA 'gold' names 'customers', but no party 'customers' is declared",
    ),
    (
        "credit-when-unknown-objective",
        {**BASE, "g.sla": _with(GOLD, "when: api.availability", "when: api.availabilty")},
        ("g.sla", 12, 28),
        "the credit condition in SLA 'gold' names 'api.availabilty', but SLA 'gold' has no such objective "
        "(write service.objective or an objective id); did you mean 'api.availability'?",
    ),
    (
        "credit-when-unknown-service",
        {**BASE, "g.sla": _with(GOLD, "when: api.availability", "when: www.availability")},
        ("g.sla", 12, 28),
        "the credit condition in SLA 'gold' names 'www.availability', but SLA 'gold' has no such objective",
    ),
    (
        "credit-when-ambiguous",
        {**BASE, "g.sla": _with(GOLD, "when: api.availability", "when: availability")},
        ("g.sla", 12, 28),
        "the credit condition in SLA 'gold' names objective 'availability', which services api, web all have: "
        "write api.availability",
    ),
    # the wrong sort of thing
    (
        "agreement-where-a-party-is-needed",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "provider: dba", "provider: gold")},
        ("o.sla", 2, 13),
        "the provider of OLA 'db_ola' must name a party, but 'gold' is SLA 'gold'",
    ),
    (
        "metric-where-a-party-is-needed",
        {**BASE, "g.sla": _with(GOLD, "customer: acme", "customer: order_rate")},
        ("g.sla", 3, 13),
        "the customer of SLA 'gold' must name a party, but 'order_rate' is metric 'order_rate'",
    ),
    (
        "agreement-as-organization",
        {**BASE, "g.sla": GOLD, "t.sla": "party ops { role: team  organization: gold }\n"},
        ("t.sla", 1, 39),
        "the organization of party 'ops' must name a party, but 'gold' is SLA 'gold'",
    ),
    (
        "party-where-an-agreement-is-needed",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "supports: gold.api", "supports: acme")},
        ("o.sla", 6, 13),
        "'supports' of OLA 'db_ola' must name an agreement, but 'acme' is party 'acme'",
    ),
    (
        "party-service-where-an-agreement-service-is-needed",
        {**BASE, "g.sla": GOLD, "o.sla": _with(OLA, "supports: gold.api", "supports: acme.api")},
        ("o.sla", 6, 13),
        "'supports' of OLA 'db_ola' must name an agreement, but 'acme' is party 'acme'",
    ),
    (
        "party-where-a-metric-is-needed",
        {**BASE, "g.sla": _with(GOLD, "metric: order_rate", "metric: acme")},
        ("g.sla", 8, 32),
        "the metric of objective 'orders' of service 'api' in SLA 'gold' must name a metric, "
        "but 'acme' is party 'acme'",
    ),
    (
        "agreement-where-a-metric-is-needed",
        {**BASE, "g.sla": _with(GOLD, "metric: order_rate", "metric: gold")},
        ("g.sla", 8, 32),
        "the metric of objective 'orders' of service 'api' in SLA 'gold' must name a metric, but 'gold' is SLA 'gold'",
    ),
    (
        "agreement-as-signing-party",
        {**BASE, "g.sla": _with(GOLD, "signature acme", "signature gold")},
        ("g.sla", 13, 24),
        "the signature on SLA 'gold' must name a party, but 'gold' is SLA 'gold'",
    ),
]


@pytest.mark.parametrize(("files", "where", "message"), [c[1:] for c in UNRESOLVED], ids=[c[0] for c in UNRESOLVED])
def test_unresolved_reference(files, where, message):
    _, findings = resolve(files)
    assert [row[:4] for row in findings] == [("SL007", *where)], findings
    assert findings[0][4].startswith(message), findings[0][4]


def test_an_unresolved_reference_is_reported_once_per_place():
    text = _with(GOLD, "provider: it_org", "provider: ghost")
    text = _with(text, "customer: acme", "customer: ghost")
    _, findings = resolve({**BASE, "g.sla": text})
    assert positions(findings) == [("SL007", "g.sla", 2, 13), ("SL007", "g.sla", 3, 13)]


def test_a_duplicate_declaration_is_not_what_references_resolve_to():
    files = {**BASE, "g.sla": GOLD, "z.sla": "sla acme { }\n"}
    workspace, findings = resolve(files)
    assert ("SL006", "z.sla", 1, 5) in positions(findings)
    assert workspace.agreements["gold"].customer is workspace.parties["acme"]


# -- "did you mean" in a large workspace ----------------------------------------------------

# 3,000 SLAs whose ids differ only in their digits, and OLAs that support SLAs that are not there.
MANY_SLAS = "".join(f'sla sla_{n:04d} "SLA {n}" {{ }}\n' for n in range(3000))


def _supporting(*names: str) -> str:
    return "".join(f"ola o_{i} {{ supports: {name} }}\n" for i, name in enumerate(names))


def test_a_hint_in_a_large_workspace_compares_few_names(monkeypatch):
    from sla_lang import hints

    compared: list[int] = []
    real = hints.close_match

    def counting(word, possibilities, max_edits=None):
        compared.append(len(possibilities))
        return real(word, possibilities, max_edits)

    monkeypatch.setattr(hints, "close_match", counting)
    _, findings = resolve({"slas.sla": MANY_SLAS, "o.sla": _supporting("sla_12345", "payments")})
    messages = [row[4] for row in findings if row[0] == "SL007"]
    # sla_1234 and sla_2345 are both one edit away; sla_1234 shares more letter pairs.
    assert messages[0].endswith("no agreement 'sla_12345' is declared; did you mean 'sla_1234'?"), messages
    assert messages[1].endswith("no agreement 'payments' is declared (is the file that declares it in the workspace?)")
    assert compared == [64, 64]  # not 3,000 each


def test_a_missing_name_referenced_many_times_is_hinted_once(monkeypatch):
    from sla_lang.hints import NameHints

    asked: list[str] = []
    real = NameHints.closest
    monkeypatch.setattr(NameHints, "closest", lambda self, word: asked.append(word) or real(self, word))
    _, findings = resolve({"slas.sla": MANY_SLAS, "o.sla": _supporting(*["sla_9999"] * 50, "sla_0001x")})
    assert len([row for row in findings if row[0] == "SL007"]) == 51
    assert sorted(asked) == ["sla_0001x", "sla_9999"]


def test_with_few_names_the_hint_is_difflibs_own():
    from sla_lang.hints import NameHints, did_you_mean

    names = [f"svc_{n}" for n in range(64)] + ["payments"]
    assert NameHints(names[:64]).closest("svc_6") == did_you_mean("svc_6", names[:64]) == "; did you mean 'svc_6'?"
    assert NameHints(names).closest("paymnts") == "; did you mean 'payments'?"


# -- the workspace root (command line) ------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _findings(result) -> list[tuple[str, str, int, int]]:
    return [(f["code"], f["path"], f["line"], f["column"]) for f in report_of(result)["findings"]]


def _check(cwd: Path, *arguments: str):
    return run_cli("check", "--select", "SL0", "--format", "json", *arguments, cwd=cwd)


# gold.sla has one mistake of its own (SL007 on line 2); the other files have one each.
WORKSPACE = {
    "parties.sla": PARTIES + "party broken { role: partner }\n",
    "metrics.sla": METRICS,
    "agreements/gold.sla": _with(GOLD, "provider: it_org", "provider: nobody"),
    "agreements/db.sla": OLA + "party acme { role: customer }\n",
}


def test_without_a_root_the_workspace_is_exactly_the_given_paths(tmp_path):
    _write(tmp_path, WORKSPACE)
    found = _findings(_check(tmp_path, "agreements/gold.sla"))
    # acme is declared in parties.sla, order_rate in metrics.sla: neither is read.
    assert found == [
        ("SL007", "agreements/gold.sla", 2, 13),
        ("SL007", "agreements/gold.sla", 3, 13),
        ("SL007", "agreements/gold.sla", 8, 32),
        ("SL007", "agreements/gold.sla", 11, 20),
        ("SL007", "agreements/gold.sla", 13, 24),
    ]


def test_without_a_root_all_given_paths_form_one_workspace(tmp_path):
    _write(tmp_path, WORKSPACE)
    found = _findings(_check(tmp_path, "agreements/gold.sla", "parties.sla", "metrics.sla"))
    assert found == [("SL007", "agreements/gold.sla", 2, 13), ("SL003", "parties.sla", 4, 22)]


def test_a_directory_is_every_sla_file_under_it(tmp_path):
    _write(tmp_path, WORKSPACE)
    # Paths sort agreements/db.sla before parties.sla: its party acme is the first, parties.sla's the duplicate.
    assert _findings(_check(tmp_path, ".")) == [
        ("SL007", "agreements/gold.sla", 2, 13),
        ("SL006", "parties.sla", 1, 7),
        ("SL003", "parties.sla", 4, 22),
    ]


@pytest.mark.parametrize("how", ["--root", ".slalint.yaml", "pyproject.toml"])
def test_with_a_root_one_file_is_checked_against_the_whole_workspace(tmp_path, how):
    _write(tmp_path, WORKSPACE)
    cwd = tmp_path / "agreements"
    if how == "--root":
        result = _check(cwd, "--root", "..", "gold.sla")
    else:
        config = ".slalint.yaml" if how == ".slalint.yaml" else "pyproject.toml"
        (tmp_path / config).write_text("exclude: []\n" if how == ".slalint.yaml" else "[tool.slalint]\n")
        result = _check(cwd, "gold.sla")
    # References into parties.sla and metrics.sla resolve; the mistakes of the other files are not reported.
    assert _findings(result) == [("SL007", "gold.sla", 2, 13)]


def test_with_a_root_a_duplicate_is_reported_with_either_file(tmp_path):
    _write(tmp_path, WORKSPACE)
    (tmp_path / ".slalint.yaml").write_text("exclude: []\n")
    # agreements/db.sla sorts before parties.sla, so the party acme in parties.sla is the later one.
    assert _findings(_check(tmp_path, "parties.sla")) == [
        ("SL006", "parties.sla", 1, 7),
        ("SL003", "parties.sla", 4, 22),
    ]
    # The SL006 involves the file of the first declaration too: a check of it reports it.
    assert _findings(_check(tmp_path, "agreements/db.sla")) == [("SL006", "parties.sla", 1, 7)]


def test_with_a_root_and_no_paths_every_file_is_checked(tmp_path):
    _write(tmp_path, WORKSPACE)
    (tmp_path / ".slalint.yaml").write_text("exclude: []\n")
    # Paths are shown relative to the current directory, but which declaration comes first does not
    # depend on it: agreements/db.sla still comes before parties.sla.
    assert _findings(_check(tmp_path / "agreements")) == [
        ("SL006", "../parties.sla", 1, 7),
        ("SL003", "../parties.sla", 4, 22),
        ("SL007", "gold.sla", 2, 13),
    ]


def test_excluded_files_are_not_in_the_workspace(tmp_path):
    _write(tmp_path, WORKSPACE)
    (tmp_path / ".slalint.yaml").write_text('exclude: ["metrics.sla"]\n')
    found = _findings(_check(tmp_path / "agreements", "gold.sla"))
    assert found == [("SL007", "gold.sla", 2, 13), ("SL007", "gold.sla", 8, 32)]
