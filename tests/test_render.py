"""slalint render: golden Markdown of the examples, the HTML parsed back
section by section, figures in words, escaping, the template sandbox, and a
real headless Chromium for the layout (see test_render_browser below).

Regenerate the golden documents after an intended change:
    SLALINT_REGENERATE_GOLDEN=1 python -m pytest tests/test_render.py -k golden
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PARTIES, PROJECT, in_process

from sla_lang.render import load_workspace
from sla_lang.render.document import document
from sla_lang.render.engine import markdown_escape
from sla_lang.render.words import allowance, service_hours, target

GOLDEN = Path(__file__).parent / "golden" / "render"
EXAMPLES = PROJECT / "examples"
TODAY = "2026-06-01"

# (agreement id, extra options): one SLA of each kind of content, an OLA and a contract.
GOLDEN_CASES = [
    ("payments_gold", ()),
    ("payments_gold", ("--internal",)),
    ("harbour_shop_hosting", ()),
    ("acme_webshop", ()),
    ("hr_desk", ()),
    ("field_service", ()),
    ("db_ola", ()),
    ("cloud_uc", ()),
]


def render_md(*args: str, cwd=PROJECT):
    return in_process(cwd, "render", *args, "--today", TODAY)


@pytest.mark.parametrize(("ident", "options"), GOLDEN_CASES, ids=lambda v: "-".join(v) if isinstance(v, tuple) else v)
def test_golden_markdown_of_the_examples(ident, options):
    run = render_md("examples", ident, *options)
    assert run.code == 0, run.err
    name = ident + ("-internal" if options else "") + ".md"
    golden = GOLDEN / name
    if os.environ.get("SLALINT_REGENERATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(run.out, encoding="utf-8")
    assert run.out == golden.read_text(encoding="utf-8")


# -- figures in words ---------------------------------------------------------------------------


def workspace_of(tmp_path, text: str):
    (tmp_path / "a.sla").write_text(PARTIES + text, encoding="utf-8")
    return load_workspace([str(tmp_path)], 1 << 20)


SERVICE_TIME = """
sla gold "Gold" {
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service web { hours: 24x7  objective availability { target: >= 99.95%  window: 30d } }
  service desk {
    hours: mon-fri 08:00-18:00
    timezone: "Europe/Berlin"
    holidays: ["DE-BY", 2026-12-24]
    objective availability { target: >= 99.9%  window: 30d }
    objective p1 { metric: response_time  priority: P1  target: <= 4bh  window: 1mo  attainment: 90% }
  }
}
"""


def test_allowance_names_its_basis(tmp_path):
    gold = workspace_of(tmp_path, SERVICE_TIME).agreements["gold"]
    web, desk = gold.services
    # 24x7: (100% - 99.95%) x 30 d = 0.0005 x 2,592,000 s = 1,296 s = 21 min 36 s.
    assert allowance(web.objectives[0]) == "at most 21 min 36 s of downtime in a 30-day window"
    # mon-fri 08-18 is 50 of the week's 168 h: 30 d x 50/168 = 771,428.57 s = 214 h 17 min 8.57 s;
    # 0.1% of it is 771.43 s, cut to whole seconds: 12 min 51 s.
    assert allowance(desk.objectives[0]) == (
        "at most 12 min 51 s of downtime in 214 h 17 min of service hours per 30-day window"
    )
    assert allowance(desk.objectives[1]) == ""  # not an availability target


def test_hours_and_business_targets_in_words(tmp_path):
    desk = workspace_of(tmp_path, SERVICE_TIME).agreements["gold"].services[1]
    hours = (
        "Monday to Friday, 08:00-18:00 Europe/Berlin, except public holidays in Bayern, Germany (DE-BY) and 2026-12-24"
    )
    assert service_hours(desk) == hours
    assert target(desk.objectives[1]) == f"within 4 business hours ({hours}) for 90% of events"
    assert target(desk.objectives[0]) == "at least 99.9%"


# -- HTML, parsed back ---------------------------------------------------------------------------


class Sections(HTMLParser):
    """The text of each <section id> and <header id>, the <script> elements, and the tables' rows."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.scripts = 0
        self.rows: list[list[str]] = []
        self._open: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("section", "header") and "id" in attrs:
            self._open.append(attrs["id"])
            self.text.setdefault(attrs["id"], "")
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("section", "header") and self._open:
            self._open.pop()
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        for section in self._open:
            self.text[section] += data
        if self._cell is not None:
            self._cell.append(data)


def parsed_html(*args: str, cwd=PROJECT) -> Sections:
    run = in_process(cwd, "render", *args, "--format", "html", "--today", TODAY)
    assert run.code == 0, run.err
    parser = Sections()
    parser.feed(run.out)
    return parser


def test_html_has_every_section_with_its_content():
    html = parsed_html("examples", "harbour_shop_hosting")
    text = {key: " ".join(value.split()) for key, value in html.text.items()}
    assert list(text) == [
        "title",
        "overview",
        "services",
        "responsibilities",
        "exclusions",
        "credits",
        "reporting",
        "approval",
    ]
    assert "Web shop hosting" in text["title"] and "version 1.2" in text["title"]
    assert ["Provider", "Example Corp IT"] in html.rows and [
        "Customer",
        "Harbour Shop GmbH (it@harbour-shop.example)",
    ] in html.rows
    assert ["Term", "From 2026-01-01 to 2030-12-31"] in html.rows
    assert text["overview"] == "Overview Hosting of Harbour Shop's web shop on the provider's standard terms."
    assert [
        "availability",
        "at least 99.9%",
        "30 days",
        "at most 43 min 12 s of downtime in a 30-day window",
        "Synthetic checkout every minute",
    ] in html.rows
    assert "Hoursaround the clock (24x7)" in text["services"]  # <dt>Hours</dt><dd>...</dd>
    assert "HoursMonday to Friday, 08:00-18:00 Europe/Berlin" in text["services"]
    assert text["responsibilities"] == "Responsibilities Harbour Shop GmbH Report incidents through the service portal"
    assert text["exclusions"] == "Exclusions Maintenance announced five working days ahead"
    assert ["Web shop availability below 99%", "1% of the fee per started 1 h of shortfall", "1"] in html.rows
    assert ["Service desk p1_response above 2 h", "100 EUR per 1 h of shortfall", "1"] in html.rows
    assert "Cap: at most 50% of the fee in total. Claims: within 30 days." in text["credits"]
    assert "Cap: at most 5000 EUR in total." in text["credits"]
    assert text["reporting"] == (
        "Reporting and review The provider reports on the service every month. "
        "The agreement is next reviewed on 2030-06-30."
    )
    assert "Approved by the customer on 2025-12-15." in text["approval"]
    assert [
        "Harbour Shop GmbH",
        "acceptance (order)",
        "—",
        "2025-12-15",
        "1.2",
        "PO 4711 of 15 December 2025",
    ] in html.rows
    assert ["Example Corp IT", "signature", "John Roe, Head of Service", "2025-12-14", "1.2", "—"] in html.rows


def test_responsibilities_customer_first_and_the_sla_names_no_ola_unless_internal():
    plain = parsed_html("examples", "payments_gold")
    responsibilities = " ".join(plain.text["responsibilities"].split())
    assert responsibilities.index("Acme Retail Ltd") < responsibilities.index("Example Corp IT")
    assert "db_ola" not in "".join(plain.text.values()) and "CloudCo" not in "".join(plain.text.values())
    internal = " ".join(parsed_html("examples", "payments_gold", "--internal").text["services"].split())
    assert "Backed by: Database operations OLA (db_ola, ola with Database Team)" in internal
    assert "CloudCo enterprise hosting (cloud_uc, contract with CloudCo Inc.)" in internal
    ola = parsed_html("examples", "db_ola")
    assert " ".join(ola.text["supports"].split()) == (
        "Supports This agreement underpins: Payments Gold SLA (payments_gold), service Payments API"
    )


def test_an_internal_copy_names_the_slo_that_watches_each_objective():
    operations = PROJECT / "examples" / "operations"
    internal = render_md("ops_checkout", "--internal", cwd=operations)
    assert internal.code == 0, internal.err
    assert (
        "Watched by these SLOs:\n\n"
        "- availability: checkout-availability/Good checkouts (OpenSLO, slo/checkout-openslo.yaml): "
        "99.97% over 30 days\n"
        "- latency: checkout-latency/Fast (OpenSLO, slo/checkout-openslo.yaml): 99% within 0.25 s over 1 week\n"
        "- error\\_rate: checkout-errors (Sloth, slo/database-sloth.yaml): 99.5% over 30 days\n"
    ) in internal.out
    assert "Watched by" not in render_md("ops_checkout", cwd=operations).out  # the customer's copy
    ola = render_md("ops_db_ola", cwd=operations).out  # an OLA is an internal document
    assert "- availability: db-availability (Sloth, slo/database-sloth.yaml): 99.95% over 30 days\n" in ola
    unresolved = render_md("ops_storefront", "--internal", cwd=operations).out
    assert "- latency: slo/checkout-openslo.yaml\\#checkout-latency (not resolved: slalint check says why)\n" in (
        unresolved
    )


def test_a_hostile_slo_name_renders_as_text(tmp_path):
    (tmp_path / "slo.yaml").write_text(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: '<img src=x onerror=alert(1)>'\nspec:\n"
        "  timeWindow:\n    - duration: 30d\n  objectives:\n    - target: 0.9995\n",
        encoding="utf-8",
    )
    watched = HOSTILE.replace("window: 30d }", 'window: 30d  slo: "slo.yaml" }')
    (tmp_path / "a.sla").write_text(PARTIES + watched, encoding="utf-8")
    html = parsed_html(".", "evil", "--internal", cwd=tmp_path)
    assert html.scripts == 0
    assert (
        "availability: <img src=x onerror=alert(1)> (OpenSLO, slo.yaml): 99.95% over 30 days" in html.text["services"]
    )
    run = render_md(".", "evil", "--internal", cwd=tmp_path)
    assert "- availability: \\<img src=x onerror=alert(1)\\> (OpenSLO, slo.yaml): 99.95% over 30 days\n" in run.out


HOSTILE = """
sla evil "<script>alert('x')</script> & <b>bold</b>" {
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  overview: "Line one\\n# heading | pipe *star* [link](javascript:alert(1))"
  service web { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
  responsibilities customer { "- not a list <img src=x onerror=alert(1)>" }
}
"""


def test_a_script_in_a_title_renders_as_text(tmp_path):
    (tmp_path / "a.sla").write_text(PARTIES + HOSTILE, encoding="utf-8")
    html = parsed_html(".", "evil", cwd=tmp_path)
    assert html.scripts == 0
    assert "<script>alert('x')</script> & <b>bold</b>" in html.text["title"]
    assert "<img src=x onerror=alert(1)>" in html.text["responsibilities"]
    run = render_md(".", "evil", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out.startswith("# \\<script\\>alert('x')\\</script\\> &amp; \\<b\\>bold\\</b\\>\n")
    assert "Line one \\# heading \\| pipe \\*star\\* \\[link\\](javascript:alert(1))" in run.out
    assert "- \\- not a list \\<img src=x onerror=alert(1)\\>\n" in run.out


def test_markdown_escape_leaves_nothing_to_read_as_markup():
    assert markdown_escape("1. a_b `c` ~d~ & e\nf") == "1\\. a\\_b \\`c\\` \\~d\\~ &amp; e f"
    assert markdown_escape("+ x") == "\\+ x" and markdown_escape("2.1") == "2.1" and markdown_escape("-") == "\\-"


UNAPPROVED = """
sla open_one "Open" {
  provider: it_org  customer: acme  version: "2"  effective: 2026-01-01
  service web { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
  approval { signature it_org { by: "John Roe"; date: 2025-12-14 } }
}
sla old_one "Old" {
  provider: it_org  customer: acme  version: "2"  effective: 2026-01-01  expires: 2026-03-01
  service web { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
  approval { signature acme { by: "Jane Doe"; date: 2025-12-15; version: "1" } }
}
"""


def test_approval_says_what_the_customer_has_not_approved(tmp_path):
    workspace = workspace_of(tmp_path, UNAPPROVED)
    today = datetime.date(2026, 6, 1)
    open_one = document(workspace.agreements["open_one"], today, False)
    assert open_one["approval"]["status"] == "Not yet approved by the customer."
    assert open_one["approval"]["signature_lines"] == ["Acme Retail Ltd"]  # the provider has signed
    old_one = document(workspace.agreements["old_one"], today, False)
    assert old_one["approval"]["status"] == "Approved by the customer for version 1, not this version 2."
    assert old_one["banner"] == "Expired on 2026-03-01."
    run = render_md(".", "open_one", cwd=tmp_path)
    assert "**Not yet approved by the customer.**" in run.out
    html = parsed_html(".", "open_one", cwd=tmp_path)
    assert "Not yet approved by the customer." in html.text["approval"]


# -- the command line -----------------------------------------------------------------------------


def test_output_dir_gets_one_file_per_agreement(tmp_path):
    run = in_process(PROJECT, "render", "examples/payments.sla", "--output", str(tmp_path / "out"), "--format", "html")
    assert run.code == 0, run.err
    assert sorted(os.listdir(tmp_path / "out")) == ["cloud_uc.html", "db_ola.html", "payments_gold.html"]
    assert run.err == f"3 document(s) written to {tmp_path / 'out'}\n"


def test_usage_errors_exit_2_with_a_clear_message(tmp_path):
    several = in_process(PROJECT, "render", "examples/payments.sla", "--format", "html")
    assert (several.code, several.err) == (
        2,
        "slalint: 3 agreements to render as HTML: name one, or give --output DIR for one file each\n",
    )
    unknown = in_process(PROJECT, "render", "examples", "no_such_sla")
    assert unknown.code == 2
    assert unknown.err == "slalint: 'no_such_sla' is neither a file nor the id of an agreement in examples\n"
    (tmp_path / "broken.sla").write_text("sla x {\n  version: \n", encoding="utf-8")
    broken = in_process(tmp_path, "render", "broken.sla")
    assert broken.code == 2 and broken.err.startswith("slalint: broken.sla:2:11: expected a value"), broken.err


# -- the template sandbox ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("line one\n{{ ''.__class__.__mro__ }}\n", ":2: the template was stopped: access to attribute '__class__'"),
        (
            "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
            ":1: the template was stopped: access to attribute '__init__'",
        ),
        (
            "{% include '../../etc/passwd' %}",
            ":1: no template '../../etc/passwd': a template includes only files inside",
        ),
        ("{% for x in doc %}\n{{ x.y.z( }}", ":2: unexpected '}'"),
    ],
    ids=["mro", "globals", "include-outside", "syntax"],
)
def test_a_hostile_template_fails_with_a_clear_error(tmp_path, template, message):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agreement.md.j2").write_text(template, encoding="utf-8")
    run = in_process(PROJECT, "render", "examples/payments.sla", "payments_gold", "--templates", str(templates))
    assert run.code == 2
    assert run.err.startswith(f"slalint: {templates / 'agreement.md.j2'}"), run.err
    assert message in run.err
    assert run.out == ""


def test_a_template_linked_to_a_file_outside_its_directory_is_not_read(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agreement.md.j2").symlink_to(outside)
    run = in_process(PROJECT, "render", "examples/payments.sla", "payments_gold", "--templates", str(templates))
    assert (run.code, run.out) == (2, "")
    assert run.err == f"slalint: agreement.md.j2: the template leads outside {templates}; slalint does not read it\n"
    assert "SECRET" not in run.err


def test_a_user_template_replaces_the_shipped_one_and_is_escaped(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agreement.md.j2").write_text("Title: {{ doc.title }} ({{ doc.customer.name }})\n", encoding="utf-8")
    (tmp_path / "a.sla").write_text(PARTIES + HOSTILE, encoding="utf-8")
    run = in_process(tmp_path, "render", ".", "evil", "--templates", str(templates))
    assert run.code == 0, run.err
    assert run.out == "Title: \\<script\\>alert('x')\\</script\\> &amp; \\<b\\>bold\\</b\\> (Acme Retail Ltd)\n"
    missing = in_process(tmp_path, "render", ".", "--templates", str(tmp_path / "nope"))
    assert missing.code == 2
    assert (
        missing.err == f"slalint: {tmp_path / 'nope'}: no such directory (--templates names a directory of templates)\n"
    )


# -- a real browser ------------------------------------------------------------------------------
#
# Headless Chromium (the system package) renders the HTML of the complete example.
# Screen: a script in the page measures, at a desktop, an A4 and a phone width, that
# the document is no wider than the window and no element reaches past its right
# edge (--dump-dom returns what the script wrote). Print: the page is printed to
# PDF with the shipped print styles; a script first makes the first and the last
# row of every table a link, and a PDF names each link (its URI) in the annotations
# of the page it is on, so the test reads on which page each table starts and ends.

sys.path.insert(0, str(PROJECT / "tools"))
from render_screenshot import BROWSER_FLAGS, find_browser  # noqa: E402

CHROMIUM = find_browser()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium): the layout is not checked"
)

MEASURE = """<script>
const width = document.documentElement.clientWidth;
const over = [...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
document.body.setAttribute('data-layout', JSON.stringify(
  {width: width, scrollWidth: document.documentElement.scrollWidth, over: over}));
</script>"""

MARK_TABLES = """<script>
document.querySelectorAll('table').forEach((table, number) => {
  const rows = table.tBodies.length ? table.tBodies[0].rows : table.rows;  // a repeated <thead> would mislead
  for (const [row, end] of [[rows[0], 'first'], [rows[rows.length - 1], 'last']]) {
    const cell = row.cells[0];
    cell.innerHTML = `<a href="https://slalint.test/t${number}/${end}">${cell.innerHTML}</a>`;
  }
});
</script>"""


def browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    done = subprocess.run(
        [CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done


def rendered_page(
    tmp_path: Path, script: str, cwd: Path = PROJECT, paths=("examples/payments.sla",), ident="payments_gold"
) -> str:
    """The URL of an agreement's HTML with `script` added before </body>."""
    run = in_process(cwd, "render", *paths, ident, "--format", "html", "--today", TODAY)
    assert run.code == 0, run.err
    page = tmp_path / f"{ident}.html"
    page.write_text(run.out.replace("</body>", script + "\n</body>"), encoding="utf-8")
    return page.as_uri()


def complete_example_html(tmp_path: Path, script: str) -> str:
    return rendered_page(tmp_path, script)


# An agreement whose objectives table starts low on page 1: without the print
# styles' `break-inside: avoid` it is split across pages 1 and 2.
LONG_OBJECTIVES = "\n".join(
    f"    objective o{number} {{ metric: response_time  priority: P{number}  target: <= {number}h  window: 1mo"
    f'  measurement: "Ticket timestamps of priority {number}" }}'
    for number in range(1, 9)
)
LONG = (
    PARTIES
    + '''
sla long_one "A long agreement" {
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  overview: """
'''
    + "\n\n".join(["    " + "The service is described at length in this paragraph of the overview. " * 6] * 3)
    + '''
  """
  service desk "Service desk" {
    hours: 24x7
'''
    + LONG_OBJECTIVES
    + """
  }
}
"""
)


WIDE_WORD, URL = "Supercalifragilistic" + "x" * 150, "https://example.com/" + "a" * 300
LONG_WORDS = (
    PARTIES
    + f"""
sla wide_one "{WIDE_WORD}" {{
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  overview: "See {URL}"
  service desk "Service desk" {{
    hours: 24x7
    objective availability {{ target: >= 99.9%  window: 30d  measurement: "{"m" * 200}" }}
  }}
  exclusions {{ "{"e" * 250}" }}
}}
"""
)


@needs_chromium
@pytest.mark.parametrize("width", [1280, 794, 390])  # desktop, A4 at 96 dpi, phone
@pytest.mark.parametrize("agreement", ["complete", "long-words"])
def test_browser_nothing_overflows_the_page_width(tmp_path, width, agreement):
    import html as html_module
    import re

    if agreement == "complete":
        url = complete_example_html(tmp_path, MEASURE)
    else:
        (tmp_path / "wide.sla").write_text(LONG_WORDS, encoding="utf-8")
        url = rendered_page(tmp_path, MEASURE, cwd=tmp_path, paths=(".",), ident="wide_one")
    dom = browser(tmp_path, f"--window-size={width},1000", "--dump-dom", url).stdout.decode()
    found = re.search(r'data-layout="([^"]*)"', dom)
    assert found, dom[-500:]
    layout = json.loads(html_module.unescape(found[1]))
    assert layout["over"] == [], layout
    assert layout["scrollWidth"] <= layout["width"], layout


def pdf_pages(pdf: bytes) -> list[dict]:
    """Each page of a PDF in order: its size and the URIs of its link annotations
    (Chromium writes dictionaries uncompressed; only content streams are compressed)."""
    import re

    objects = {
        int(match[1]): match[2] for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:endobj|stream)", pdf, re.S)
    }

    def refs(body: bytes, key: bytes) -> list[int]:
        found = re.search(rb"/" + key + rb"\s*\[([^\]]*)\]", body)
        return [int(n) for n in re.findall(rb"(\d+) 0 R", found[1])] if found else []

    def pages_under(number: int) -> list[int]:
        body = objects[number]
        if re.search(rb"/Type\s*/Pages\b", body):
            return [page for kid in refs(body, b"Kids") for page in pages_under(kid)]
        return [number]

    root = next(n for n, body in objects.items() if re.search(rb"/Type\s*/Pages\b", body) and b"/Parent" not in body)
    pages = []
    for number in pages_under(root):
        body = objects[number]
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", body)[1].split()]
        uris, rights = [], []
        for annotation in refs(body, b"Annots"):
            uri = re.search(rb"/URI\s*\(([^)]*)\)", objects[annotation])
            rect = re.search(rb"/Rect\s*\[([^\]]*)\]", objects[annotation])
            if uri:
                uris.append(uri[1].decode())
                rights.append(max(float(x) for x in rect[1].split()[::2]))
        pages.append({"width": box[2] - box[0], "uris": uris, "rights": rights})
    return pages


def printed_tables(tmp_path: Path, url: str) -> tuple[list[dict], dict[str, tuple[int, int]]]:
    """The pages of the printed document, and each table's first and last page."""
    pdf = tmp_path / "printed.pdf"
    browser(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    pages = pdf_pages(pdf.read_bytes())
    page_of: dict[str, list[int]] = {}
    for number, page in enumerate(pages, 1):
        for uri in page["uris"]:
            page_of.setdefault(uri, []).append(number)
    tables = sorted({uri.rsplit("/", 1)[0] for uri in page_of})
    return pages, {table: (min(page_of[f"{table}/first"]), max(page_of[f"{table}/last"])) for table in tables}


@needs_chromium
def test_browser_prints_a_table_that_would_straddle_two_pages_on_one(tmp_path):
    (tmp_path / "long.sla").write_text(LONG, encoding="utf-8")
    url = rendered_page(tmp_path, MARK_TABLES, cwd=tmp_path, paths=(".",), ident="long_one")
    pages, tables = printed_tables(tmp_path, url)
    assert len(tables) == 2 and len(pages) >= 2
    assert all(first == last for first, last in tables.values()), tables


@needs_chromium
def test_browser_prints_no_table_split_across_the_first_two_pages(tmp_path):
    pages, tables = printed_tables(tmp_path, complete_example_html(tmp_path, MARK_TABLES))
    assert 1 <= len(pages) <= 3, len(pages)
    assert round(pages[0]["width"]) == 595  # A4, from the shipped @page rule
    assert len(tables) == 4  # the facts, objectives, credits and approval tables
    for table, (first, last) in tables.items():
        if first <= 2:
            assert first == last, f"{table} starts on page {first} and ends on page {last}"
    for page in pages:  # every link (a table's first cell) inside the paper
        assert all(right <= page["width"] for right in page["rights"]), page


def test_a_huge_agreement_renders_in_linear_time(tmp_path):
    """3,000 objectives, a 52,800-character overview full of markup and 2,000
    exclusions: both formats well within the time limit (about 1 s here)."""
    import time

    objectives = "\n".join(
        f"    objective o{n} {{ metric: response_time  priority: P{n}  target: <= {n}min  window: 1mo"
        f'  measurement: "<b>*{n}*</b> | `x` [y](z)" }}'
        for n in range(3000)
    )
    exclusions = " ".join(f'"- item {n} <i>|</i>"' for n in range(2000))
    text = (
        PARTIES
        + f"""
sla huge "Huge" {{
  provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  overview: "{"<a href=x>*_[|]_*</a> " * 2400}"
  service desk {{
    hours: mon-fri 08:00-18:00
    timezone: "Europe/Berlin"
{objectives}
  }}
  exclusions {{ {exclusions} }}
}}
"""
    )
    (tmp_path / "huge.sla").write_text(text, encoding="utf-8")
    started = time.monotonic()
    markdown = in_process(tmp_path, "render", ".", "huge", "--today", TODAY)
    html = in_process(tmp_path, "render", ".", "huge", "--format", "html", "--today", TODAY)
    seconds = time.monotonic() - started
    assert (markdown.code, html.code) == (0, 0), markdown.err + html.err
    assert markdown.out.count("\n| response\\_time (P") == 3000 and html.out.count("<tr><td>response_time (P") == 3000
    assert "<a href" not in html.out and "&lt;a href=x&gt;" in html.out
    assert seconds < 5, f"took {seconds:.1f} s"


def test_language_errors_of_a_rendered_file_are_warned_about_and_the_document_still_written(tmp_path):
    (tmp_path / "a.sla").write_text(
        PARTIES
        + """sla x "X" {
  provider: it_org  customer: nobody  version: "1"  effective: 2026-02-30
  service web { hours: 24x7 }
}
""",
        encoding="utf-8",
    )
    run = render_md(".", cwd=tmp_path)
    assert run.code == 0
    assert run.err == (
        "slalint: warning: a.sla:4:64: SL003 2026-02-30 is not a date: February 2026 has 28 days\n"
        "slalint: warning: a.sla:4:31: SL007 the customer of SLA 'x' names 'nobody', but no party 'nobody' is "
        "declared (is the file that declares it in the workspace?)\n"
    )
    assert (
        "| Customer | (unknown party) |\n| Version | 1 |\n| Term | From a date not yet set, with no end date |"
        in run.out
    )
