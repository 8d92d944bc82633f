"""slalint graph: Mermaid (parsed by mermaid itself where node and npm are
available), DOT (laid out by graphviz where installed), the terminal tree,
--focus, findings on edges, and titles that try to break out of a label."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import PROJECT, in_process

TODAY = "2026-06-01"
MERMAID_DIR = PROJECT / ".cache" / "mermaid"  # git-ignored; the parser is installed there once


def graph(*args: str, cwd=PROJECT):
    run = in_process(cwd, "graph", *args, "--today", TODAY)
    assert run.code == 0, run.err
    return run.out


def test_mermaid_of_a_focus_with_redundancy_and_findings():
    assert graph("examples", "--focus", "storefront", "--format", "mermaid") == (
        "flowchart BT\n"
        '  n0["SLA storefront<br/>Storefront SLA<br/>Example Corp IT → Acme Retail Ltd<br/>SL405 on service web"]\n'
        '  n1["contract edge<br/>Edge network contract<br/>Edge Co. → Example Corp IT"]\n'
        '  subgraph c0["redundancy group dns for storefront.web"]\n'
        '    n2["contract dns_primary<br/>Primary DNS contract<br/>DNS One Ltd → Example Corp IT"]\n'
        '    n3["contract dns_secondary<br/>Secondary DNS contract<br/>DNS Two Ltd → Example Corp IT"]\n'
        "  end\n"
        '  subgraph c1["redundancy group database for storefront.web"]\n'
        '    n4["OLA shop_db<br/>Shop database OLA<br/>Database Team → Example Corp IT"]\n'
        "  end\n"
        '  n1 -->|"service web<br/>availability #gt;= 99.95% over 30d for #gt;= 99.9% over 30d"| n0\n'
        '  n2 -->|"service web<br/>availability #gt;= 99.9% over 30d for #gt;= 99.9% over 30d"| n0\n'
        '  n3 -->|"service web<br/>availability #gt;= 99.9% over 30d for #gt;= 99.9% over 30d"| n0\n'
        '  n4 -->|"service web<br/>availability #gt;= 99.99% over 1y for #gt;= 99.9% over 30d<br/>SL402<br/>SL410<br/>'
        'SL411"| n0\n'
        "  linkStyle 3 stroke:#c62828,color:#c62828,stroke-width:2px\n"
        "  style n0 stroke:#c62828,stroke-width:2px\n"
    )


def test_dot_puts_each_finding_on_the_edge_it_concerns():
    dot = graph("examples", "--focus", "checkout", "--format", "dot")
    red = ', color="#c62828", fontcolor="#c62828", penwidth=2];'
    assert (
        '  n1 -> n0 [label="service basket\\navailability >= 99.95% over 30d for >= 99.95% over 30d\\nSL403\\n' in dot
    )
    assert f'SL404"{red}' in dot
    assert '\\nlatency <= 350ms over 30d for <= 200ms over 30d\\nSL402"' + red in dot
    assert '  n3 -> n0 [label="SL407"' + red in dot  # a retired supporter: every edge it has
    assert (
        'n0 [label="SLA checkout\\nCheckout SLA\\nExample Corp IT → Acme Retail Ltd\\nSL405 on service basket"' in dot
    )


def test_text_tree_shows_the_composite_availability_of_each_service():
    assert graph("examples", "--focus", "payments_gold") == (
        'SLA payments_gold "Payments Gold SLA" (Example Corp IT → Acme Retail Ltd)\n'
        "└── service payments_api: supporters give OLA 'db_ola' (99.99%) × contract 'cloud_uc' (99.99%) = 99.98% "
        "for >= 99.95%\n"
        '    ├── OLA db_ola "Database operations OLA" (Database Team → Example Corp IT): availability >= 99.99% over '
        "30d for >= 99.95% over 30d\n"
        '    └── contract cloud_uc "CloudCo enterprise hosting" (CloudCo Inc. → Example Corp IT): availability >= '
        "99.99% over 1mo for >= 99.95% over 30d\n"
    )


def test_text_tree_follows_supporters_of_supporters_and_marks_a_cycle(tmp_path):
    (tmp_path / "chain.sla").write_text(CHAIN, encoding="utf-8")
    out = graph(".", cwd=tmp_path)
    assert out == (
        'SLA top "Top" (IT → Acme)\n'
        "└── service web\n"
        '    └── OLA middle "Middle" (IT → IT)\n'
        "        └── service mid\n"
        '            └── OLA bottom "Bottom" (IT → IT)\n'
        "                ├── SL406 supports links form a cycle: OLA 'bottom' -> OLA 'middle' -> OLA 'bottom'; an "
        "agreement cannot underpin itself, remove one of the links\n"
        "                └── service low\n"
        '                    └── OLA middle "Middle" (IT → IT) (cycle)\n'
    )


CHAIN = """
party acme "Acme" { role: customer }
party it_org "IT" { role: provider }
sla top "Top" {
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service web { hours: 24x7 }
}
ola middle "Middle" {
  provider: it_org  customer: it_org  version: "1"  effective: 2026-01-01
  supports: [top.web, bottom.low]
  service mid { hours: 24x7 }
}
ola bottom "Bottom" {
  provider: it_org  customer: it_org  version: "1"  effective: 2026-01-01
  supports: middle.mid
  service low { hours: 24x7 }
}
"""


def test_focus_keeps_only_what_an_agreement_supports_and_what_supports_it():
    out = graph("examples", "--focus", "db_ola", "--format", "dot")
    assert out.count(" [label=") == 3  # db_ola and payments_gold, and the edge between them
    assert "SLA payments_gold" in out and "OLA db_ola" in out and "cloud_uc" not in out
    unknown = in_process(PROJECT, "graph", "examples", "--focus", "nope")
    assert (unknown.code, unknown.err) == (2, "slalint: --focus: no agreement 'nope' in examples\n")


# -- attack: titles that try to end a label and start a statement ---------------------------------

HOSTILE = r"""
party acme "Acme \"Retail\" --> x[\"y\"]" { role: customer }
party it_org "IT\nclick n0 href \"javascript:alert(1)\"" { role: provider }
party team "T]; n9 --> n8 %% \\ `#" { role: team  organization: it_org }
sla gold "Gold\"]\n  n0 --> n5\n  click n0 href \"javascript:alert(1)\"\n  x[\"" {
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service web { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
}
ola helper "Helper\"]; n1 -> n0 [label=\"x\"]; // -->|\"y\"| n0" {
  provider: team  customer: it_org  version: "1"  effective: 2026-01-01
  supports: gold.web
  service db { hours: 24x7  objective availability { target: >= 99.99%  window: 30d } }
}
"""


@pytest.fixture(scope="module")
def mermaid_parser():
    """node and the mermaid package (with jsdom for its DOM), installed once into MERMAID_DIR."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are not installed: the Mermaid output is not parsed by mermaid")
    script = MERMAID_DIR / "parse.mjs"
    if not (MERMAID_DIR / "node_modules" / "mermaid").is_dir():
        MERMAID_DIR.mkdir(parents=True, exist_ok=True)
        install = [npm, "install", "--prefix", str(MERMAID_DIR), "--no-audit", "--no-fund", "mermaid@11", "jsdom@26"]
        try:
            done = subprocess.run(install, capture_output=True, timeout=600)
        except subprocess.TimeoutExpired:
            pytest.skip("npm install mermaid jsdom took over 10 minutes (no network?)")
        if done.returncode != 0:
            pytest.skip(f"npm install mermaid jsdom failed (no network?): {done.stderr.decode()[-300:]}")
    shutil.copyfile(PROJECT / "tests" / "mermaid_parse.mjs", script)

    def parse(text: str) -> dict:
        done = subprocess.run([node, str(script)], input=text.encode(), capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)

    return parse


def test_mermaid_parses_and_hostile_titles_stay_inside_their_labels(tmp_path, mermaid_parser):
    (tmp_path / "a.sla").write_text(HOSTILE, encoding="utf-8")
    parsed = mermaid_parser(graph(".", "--format", "mermaid", cwd=tmp_path))
    assert parsed["nodes"] == ["n0", "n1"]
    assert parsed["edges"] == [["n1", "n0"]]
    assert parsed["links"] == []  # no `click ... href` got out of a label
    examples = mermaid_parser(graph("examples", "--format", "mermaid"))
    assert len(examples["nodes"]) == len(examples["labels"]) > 20
    assert ["redundancy group dns for storefront.web", "redundancy group database for storefront.web"] == [
        title for title in examples["subgraphs"] if "storefront" in title
    ]


def test_hostile_titles_in_mermaid_and_dot_text(tmp_path):
    (tmp_path / "a.sla").write_text(HOSTILE, encoding="utf-8")
    mermaid = graph(".", "--format", "mermaid", cwd=tmp_path).splitlines()
    assert len(mermaid) == 4  # flowchart, two nodes, one edge: nothing else became a statement
    assert mermaid[1].startswith('  n0["SLA gold<br/>Gold#quot;]\\n  n0 --#gt; n5\\n  click n0 href #quot;')
    dot = graph(".", "--format", "dot", cwd=tmp_path).splitlines()
    assert dot[4].startswith('  n0 [label="SLA gold\\nGold\\"]\\\\n  n0 --> n5\\\\n  click n0 href \\"javascript')
    assert len(dot) == 8


@pytest.mark.skipif(
    shutil.which("dot") is None, reason="graphviz 'dot' is not installed: the DOT output is not laid out"
)
def test_graphviz_reads_the_dot_output(tmp_path):
    (tmp_path / "a.sla").write_text(HOSTILE, encoding="utf-8")
    for cwd, count in ((tmp_path, (2, 1)), (PROJECT / "examples", None)):
        dot = graph(".", "--format", "dot", cwd=cwd)
        done = subprocess.run(["dot", "-Tplain"], input=dot.encode(), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        lines = done.stdout.decode().splitlines()
        nodes = sum(line.startswith("node ") for line in lines)
        edges = sum(line.startswith("edge ") for line in lines)
        if count is not None:
            assert (nodes, edges) == count
        else:
            assert (nodes, edges) == (dot.count("[label=") - dot.count(" -> "), dot.count(" -> "))
