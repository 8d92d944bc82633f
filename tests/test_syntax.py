"""The lexical elements and syntax forms of SPEC §2.1-2.2, checked on the typed
model the parser builds: values, labels, items, comments and positions.

Each test parses a small text with AgreementParser and looks at the nodes, so
a form that "parses" but yields the wrong value fails here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sla_lang.model.nodes import Agreement, Metric, Party
from sla_lang.source import SourceFile, Span
from sla_lang.syntax.parser import AgreementParser
from sla_lang.values import Comparison, Condition, DayWindow, Duration, Percent, Reference, Schedule


@pytest.fixture(scope="module")
def parser():
    return AgreementParser()


@pytest.fixture
def parse(parser):
    """Parse `text` as t.sla; the result keeps declarations, comments and findings."""

    def run(text: str):
        return parser.parse(SourceFile("t.sla", text))

    return run


def codes(parsed) -> list[tuple[str, int, int]]:
    return [(f.code, f.span.line, f.span.column) for f in parsed.findings]


def only(parsed, kind=None):
    """The single declaration of a parse that must have no finding at all."""
    assert parsed.findings == [], [f.message for f in parsed.findings]
    assert len(parsed.declarations) == 1
    node = parsed.declarations[0]
    if kind is not None:
        assert isinstance(node, kind)
    return node


AGREEMENT_HEAD = 'provider: p\n  customer: c\n  version: "1"\n  effective: 2026-01-01\n'


def agreement(body: str = "", service_body: str = "hours: 24x7") -> str:
    """An `sla` with all required fields, one service, and `body` added."""
    return f"sla a {{\n  {AGREEMENT_HEAD}  service s {{\n    {service_body}\n  }}\n  {body}\n}}\n"


def objective_text(body: str) -> str:
    return agreement(service_body=f"objective availability {{\n      target: >= 99.9%\n      {body}\n    }}")


def the_objective(parsed):
    return only(parsed, Agreement).services[0].objectives[0]


# -- comments -------------------------------------------------------------------


def test_comments_are_kept_with_their_positions(parse):
    text = (
        "# owner: service desk\n"
        "party acme {  # the customer\n"
        '  contact: "sla # desk"   # a # inside a string is not a comment\n'
        "  role: customer\n"
        "    #indented, no space\n"
        "}\n"
        "#"
    )
    parsed = parse(text)
    party = only(parsed, Party)
    assert party.contact == "sla # desk"
    assert [(c.text, c.span.line, c.span.column, c.span.end_column) for c in parsed.comments] == [
        ("# owner: service desk", 1, 1, 22),
        ("# the customer", 2, 15, 29),
        ("# a # inside a string is not a comment", 3, 27, 65),
        ("#indented, no space", 5, 5, 24),
        ("#", 7, 1, 2),
    ]


def test_a_comment_ends_before_a_crlf_line_end(parse):
    parsed = parse("party acme { role: customer }  # note\r\nparty b { role: provider }\r\n")
    assert len(parsed.declarations) == 2 and parsed.findings == []
    [comment] = parsed.comments
    assert (comment.text, comment.span) == ("# note", Span("t.sla", 1, 32, 1, 38))


def test_a_file_of_comments_only_has_no_declaration(parse):
    parsed = parse("# one\n\n   # two\n")
    assert parsed.declarations == [] and parsed.findings == []
    assert [c.text for c in parsed.comments] == ["# one", "# two"]


# -- strings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        (r'""', ""),
        (r'"Jane Doe"', "Jane Doe"),
        (r'"say \"hi\""', 'say "hi"'),
        (r'"C:\\temp\\x"', "C:\\temp\\x"),
        (r'"two\nlines"', "two\nlines"),
        (r'"a\tb"', "a\tb"),
        (r'"\\n is not a newline"', "\\n is not a newline"),
        (r'"\"\\\n\t"', '"\\\n\t'),
        ('"unicode: Zoë ✓"', "unicode: Zoë ✓"),
        ('"tab\tinside"', "tab\tinside"),
    ],
)
def test_string_escapes(parse, written, value):
    party = only(parse(f"party acme {{ role: customer  contact: {written} }}"), Party)
    assert party.contact == value


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ('"""one line"""', "one line"),
        ('"""\n    Payment processing\n    for Acme.\n  """', "Payment processing\nfor Acme."),
        (
            '"""\n    first\n      indented more\n\n    after a blank line\n  """',
            "first\n  indented more\n\nafter a blank line",
        ),
        ('"""\n\tTabbed\n\tlines\n"""', "Tabbed\nlines"),
        ('"""He said "yes" and ""maybe"" """', 'He said "yes" and ""maybe"" '),
        ('"""\n    escapes: \\"\\"\\" and \\t\n    """', 'escapes: """ and \t'),
        ('"""\r\n    saved with CRLF\r\n      line ends\r\n    """', "saved with CRLF\n  line ends"),
    ],
    ids=["one-line", "dedent", "relative-indent", "tabs", "inner-quotes", "escapes", "crlf"],
)
def test_triple_quoted_strings_lose_common_indentation(parse, written, value):
    party = only(parse(f"party acme {{ role: customer\n  contact: {written}\n}}\n"), Party)
    assert party.contact == value


def test_a_triple_quoted_string_moves_the_lines_of_what_follows(parse):
    parsed = parse('party acme {\n  contact: """\n    a\n    b\n  """  role: custmer\n}\n')
    # The bad role is on line 5, after the string's three lines.
    assert codes(parsed) == [("SL003", 5, 14)]


# -- numbers, percents, durations, dates -------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("99", Decimal(99)),
        ("2.5", Decimal("2.5")),
        ("100", Decimal(100)),
        ("0.1", Decimal("0.1")),
        ("99.90", Decimal("99.9")),
    ],
)
def test_numbers_are_exact_decimals(parse, written, value):
    objective = the_objective(parse(objective_text(f"percentile: {written}")))
    assert isinstance(objective.percentile, Decimal)
    assert objective.percentile == value


@pytest.mark.parametrize(("written", "value"), [("0", Decimal(0)), ("-1", Decimal(-1)), ("-2.5", Decimal("-2.5"))])
def test_zero_and_negative_numbers(parse, written, value):
    text = agreement(service_body=f"objective throughput {{ target: >= {written} }}")
    target = only(parse(text), Agreement).services[0].objectives[0].target
    assert isinstance(target.value, Decimal)
    assert target.value == value


@pytest.mark.parametrize("written", ["0", "-1", "150", "100.5"])
def test_a_percentile_outside_0_to_100_is_invalid(parse, written):
    parsed = parse(objective_text(f"percentile: {written}"))
    assert [f.code for f in parsed.findings] == ["SL003"]
    objective = parsed.declarations[0].services[0].objectives[0]
    assert objective.percentile is None


def test_decimal_numbers_are_not_floats(parse):
    objective = the_objective(parse(objective_text("percentile: 99.9")))
    assert objective.percentile == Decimal("99.9")
    assert objective.percentile != 99.9  # binary floating point would make these equal


@pytest.mark.parametrize(
    ("written", "value"),
    [("99.95%", "99.95"), ("0%", "0"), ("100%", "100"), ("50%", "50"), ("99.999%", "99.999"), ("0.1%", "0.1")],
)
def test_percents(parse, written, value):
    agreement_node = only(parse(agreement(f"credits {{ cap: {written} }}")), Agreement)
    assert agreement_node.credit_cap == Percent(Decimal(value))
    assert agreement_node.credit_cap.value == Decimal(value)
    assert str(agreement_node.credit_cap) == written


def test_percent_fraction_is_exact():
    assert Percent(Decimal("99.95")).fraction == Decimal("0.9995")


@pytest.mark.parametrize(
    ("written", "amount", "unit", "seconds"),
    [
        ("250ms", "250", "ms", "0.25"),
        ("30s", "30", "s", "30"),
        ("15min", "15", "min", "900"),
        ("4h", "4", "h", "14400"),
        ("1.5h", "1.5", "h", "5400"),
        ("30d", "30", "d", "2592000"),
        ("2w", "2", "w", "1209600"),
        ("1mo", "1", "mo", str(30 * 86400)),
        ("1q", "1", "q", str(91 * 86400)),
        ("1y", "1", "y", str(365 * 86400)),
        ("0s", "0", "s", "0"),
    ],
)
def test_durations_keep_their_unit(parse, written, amount, unit, seconds):
    window = the_objective(parse(objective_text(f"window: {written}"))).window
    assert isinstance(window, Duration)
    assert (window.amount, window.unit) == (Decimal(amount), unit)
    assert window.seconds == Decimal(seconds)
    assert str(window) == written


def test_durations_compare_by_length():
    assert Duration(Decimal(1), "h") == Duration(Decimal(60), "min")
    assert Duration(Decimal(1), "mo") == Duration(Decimal(30), "d")
    assert Duration(Decimal(1), "q") < Duration(Decimal(92), "d")
    assert Duration(Decimal(1), "y") > Duration(Decimal(364), "d")


def test_exact_arithmetic_of_an_error_budget():
    # SPEC §3.1: 99.9% of 1000min leaves exactly 60 s.
    budget = (1 - Percent(Decimal("99.9")).fraction) * Duration(Decimal(1000), "min").seconds
    assert budget == Decimal(60)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2026-01-01", datetime.date(2026, 1, 1)),
        ("2024-02-29", datetime.date(2024, 2, 29)),
        ("2026-12-31", datetime.date(2026, 12, 31)),
        ("0001-01-01", datetime.date(1, 1, 1)),
    ],
)
def test_dates(parse, written, value):
    assert only(parse(agreement(f"expires: {written}")), Agreement).expires == value


# -- schedules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "schedule"),
    [
        ("24x7", Schedule(True)),
        ("mon-fri 08:00-18:00", Schedule(False, (DayWindow(0, 4, 8 * 60, 18 * 60),))),
        (
            "mon-fri 08:00-18:00, sat 09:00-13:00",
            Schedule(False, (DayWindow(0, 4, 480, 1080), DayWindow(5, 5, 540, 780))),
        ),
        ("sun 00:00-24:00", Schedule(False, (DayWindow(6, 6, 0, 1440),))),
        ("fri 22:00-06:00", Schedule(False, (DayWindow(4, 4, 1320, 360),))),
        ("sat-mon 10:30-11:45", Schedule(False, (DayWindow(5, 0, 630, 705),))),
        (
            "mon 08:00-12:00,\n      mon 13:00-17:00",
            Schedule(False, (DayWindow(0, 0, 480, 720), DayWindow(0, 0, 780, 1020))),
        ),
    ],
)
def test_service_hours(parse, written, schedule):
    service = only(parse(agreement(service_body=f'hours: {written}\n    timezone: "UTC"')), Agreement).services[0]
    assert service.hours == schedule
    assert str(service.hours) == " ".join(written.split()).replace(" ,", ",")


def test_an_overnight_window_runs_into_the_next_day():
    hours = Schedule(False, (DayWindow(4, 4, 22 * 60, 6 * 60),))  # fri 22:00-06:00
    friday = 4 * 24 * 60
    assert hours.week_intervals() == [(friday + 22 * 60, friday + 30 * 60)]


def test_a_window_over_sunday_midnight_wraps_to_monday():
    hours = Schedule(False, (DayWindow(6, 6, 22 * 60, 2 * 60),))  # sun 22:00-02:00
    week = 7 * 24 * 60
    assert hours.week_intervals() == [(0, 2 * 60), (week - 2 * 60, week)]


def test_a_day_range_across_the_weekend():
    assert DayWindow(5, 0, 0, 60).days == [5, 6, 0]


# -- booleans, references, comparators, lists ---------------------------------------


@pytest.mark.parametrize(("word", "value"), [("yes", True), ("no", False), ("true", True), ("false", False)])
def test_booleans_in_value_position(parse, word, value):
    party = only(parse(f"party acme {{ role: customer  internal: {word} }}"), Party)
    assert party.internal is value


@pytest.mark.parametrize(("word", "value"), [("yes", True), ("no", False)])
def test_agreed_takes_a_boolean(parse, word, value):
    assert the_objective(parse(objective_text(f"agreed: {word}"))).agreed is value


@pytest.mark.parametrize("name", ["yes_team", "no_ops", "true_north", "falsework", "yesterday", "monday", "d2"])
def test_names_that_start_like_a_boolean_or_day_are_references(parse, name):
    party = only(parse(f"party t {{ role: team  organization: {name} }}"), Party)
    assert party.organization_ref == Reference((name,), party.organization_ref.span)
    assert isinstance(party.organization_ref, Reference)


def test_identifiers(parse):
    parsed = parse(
        "party _x { role: team }\nparty P1 { role: team }\nparty p1 { role: team }\n"
        "party a_B_9 { role: team  organization: _x }\n"
    )
    assert parsed.findings == []
    assert [d.id for d in parsed.declarations] == ["_x", "P1", "p1", "a_B_9"]  # case-sensitive: P1 is not p1
    assert parsed.declarations[3].organization_ref.parts == ("_x",)


def test_a_boolean_is_never_a_reference(parse):
    parsed = parse("party t { role: team  organization: yes }")
    assert codes(parsed) == [("SL003", 1, 37)]
    assert "not the boolean yes" in parsed.findings[0].message


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("gold", ("gold",)),
        ("gold.api", ("gold", "api")),
        ("payments_gold.payments_api.availability", ("payments_gold", "payments_api", "availability")),
        ("gold . api", ("gold", "api")),
    ],
)
def test_dotted_references(parse, written, parts):
    node = only(parse(f"ola o {{\n  {AGREEMENT_HEAD}  supports: {written}\n  service s {{ hours: 24x7 }}\n}}"))
    [reference] = node.supports_refs
    assert reference.parts == parts
    assert str(reference) == ".".join(parts)


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("[a]", [("a",)]),
        ("[a, b.s]", [("a",), ("b", "s")]),
        ("[a, b.s,]", [("a",), ("b", "s")]),
        ("[\n    a,\n    b\n  ]", [("a",), ("b",)]),
    ],
)
def test_lists(parse, written, parts):
    node = only(parse(f"ola o {{\n  {AGREEMENT_HEAD}  supports: {written}\n  service s {{ hours: 24x7 }}\n}}"))
    assert [reference.parts for reference in node.supports_refs] == parts


def test_an_empty_list_parses(parse):
    parsed = parse(f"ola o {{\n  {AGREEMENT_HEAD}  supports: []\n  service s {{ hours: 24x7 }}\n}}")
    assert [f for f in parsed.findings if f.code == "SL001"] == []
    assert parsed.declarations[0].supports_refs == []


@pytest.mark.parametrize("op", [">=", "<=", ">", "<", "=="])
@pytest.mark.parametrize(
    ("quantity", "value"),
    [
        ("99.95%", Percent(Decimal("99.95"))),
        ("300ms", Duration(Decimal(300), "ms")),
        ("1000", Decimal(1000)),
        ("-5", Decimal(-5)),
    ],
)
def test_comparisons(parse, op, quantity, value):
    objective = the_objective(parse(objective_text("").replace(">= 99.9%", f"{op} {quantity}")))
    assert objective.target == Comparison(op, value)
    assert isinstance(objective.target.value, type(value))


def test_a_comparison_needs_no_space(parse):
    objective = the_objective(parse(objective_text("").replace("target: >= 99.9%", "target:>=99.9%")))
    assert objective.target == Comparison(">=", Percent(Decimal("99.9")))


@pytest.mark.parametrize(
    ("written", "subject", "op", "value"),
    [
        ("s.availability < 99.95%", ("s", "availability"), "<", Percent(Decimal("99.95"))),
        ("availability <= 99%", ("availability",), "<=", Percent(Decimal(99))),
        ("s.latency > 300ms", ("s", "latency"), ">", Duration(Decimal(300), "ms")),
        ("s.throughput == 10", ("s", "throughput"), "==", Decimal(10)),
    ],
)
def test_credit_conditions(parse, written, subject, op, value):
    text = agreement(f"credits {{ credit {{ when: {written}; amount: 10% }} }}")
    [credit] = only(parse(text), Agreement).credits
    assert credit.condition == Condition(Reference(subject, credit.condition.subject.span), op, value)
    assert (credit.op, credit.threshold, credit.amount) == (op, value, Percent(Decimal(10)))


# -- blocks, labels, items -------------------------------------------------------------


def test_declarations_with_and_without_a_title(parse):
    parsed = parse(
        'party acme "Acme Retail Ltd" { role: customer }\n'
        "party it { role: provider }\n"
        'metric orders "Orders placed" { unit: number  better: higher  kind: business }\n'
        f'contract uc "Hosting" {{ {AGREEMENT_HEAD} service h {{ hours: 24x7 }} }}\n'
    )
    assert parsed.findings == []
    acme, it, orders, uc = parsed.declarations
    assert (acme.id, acme.name, acme.role) == ("acme", "Acme Retail Ltd", "customer")
    assert (it.id, it.name) == ("it", None)
    assert isinstance(orders, Metric)
    assert (orders.name, orders.unit, orders.better, orders.kind) == ("Orders placed", "number", "higher", "business")
    assert (uc.kind, uc.id, uc.title) == ("contract", "uc", "Hosting")


@pytest.mark.parametrize("kind", ["sla", "ola", "contract"])
def test_agreement_kinds(parse, kind):
    node = only(parse(agreement().replace("sla a", f"{kind} a", 1)), Agreement)
    assert node.kind == kind


def test_nested_blocks_with_labels(parse):
    text = agreement(
        'responsibilities customer {\n    "Report incidents"\n    """\n      Keep the contact current\n    """\n  }\n'
        "  responsibilities it_ops { }\n"
        '  exclusions { "Planned maintenance" "Force majeure" }\n'
        '  approval { signature c { by: "Jane Doe"; title: "CIO"; date: 2025-12-15; version: "1" } }\n',
        service_body='description: "The API"\n    objective availability { target: >= 99.9%  window: 30d }',
    ).replace("service s {", 'service payments_api "Payments API" {')
    node = only(parse(text), Agreement)
    [service] = node.services
    assert (service.id, service.name, service.description) == ("payments_api", "Payments API", "The API")
    assert [(o.id, o.window) for o in service.objectives] == [("availability", Duration(Decimal(30), "d"))]
    assert [(r.party_ref.parts, r.items) for r in node.responsibilities] == [
        (("customer",), ["Report incidents", "Keep the contact current"]),
        (("it_ops",), []),
    ]
    assert node.exclusions == ["Planned maintenance", "Force majeure"]
    [signature] = node.signatures
    assert signature.party_ref.parts == ("c",)
    assert (signature.by, signature.title, signature.date, signature.version) == (
        "Jane Doe",
        "CIO",
        datetime.date(2025, 12, 15),
        "1",
    )


def test_semicolons_after_attributes_are_optional(parse):
    with_semicolons = parse('party a { role: customer; contact: "x"; internal: yes; }')
    without = parse('party a { role: customer contact: "x" internal: yes }')
    one_per_line = parse('party a {\n  role: customer\n  contact: "x"\n  internal: yes\n}')
    for parsed in (with_semicolons, without, one_per_line):
        party = only(parsed, Party)
        assert (party.role, party.contact, party.internal) == ("customer", "x", True)


def test_whitespace_is_insignificant(parse):
    party = only(parse('party\n\ta\n\t"A"\n{\n\trole\n\t:\n\tcustomer\n}'), Party)
    assert (party.id, party.name, party.role) == ("a", "A", "customer")
    assert only(parse('party a "A" {role:customer}'), Party).role == "customer"


@pytest.mark.parametrize(
    "text",
    [
        "party sla { role: customer }",
        "party party { role: customer }",
        "party contract { role: customer }",
        "party mon { role: customer }",
        "party yes { role: customer }",
        "party ms { role: customer }",
        "party d { role: customer }",
        "metric y { unit: number  better: higher }",
    ],
)
def test_keywords_day_names_and_units_are_ids_where_a_name_is_expected(parse, text):
    node = only(parse(text))
    assert node.id == text.split()[1]


def test_keywords_and_day_names_as_block_labels(parse):
    text = agreement(
        "responsibilities sla { }",
        service_body="objective yes { metric: availability  target: >= 99.9% }",
    ).replace("service s {", "service mon {")
    node = only(parse(text), Agreement)
    assert [s.id for s in node.services] == ["mon"]
    assert [o.id for o in node.services[0].objectives] == ["yes"]
    assert node.responsibilities[0].party_ref.parts == ("sla",)


@pytest.mark.parametrize("key", ["sla", "party", "mon", "yes", "ms", "contract"])
def test_keywords_as_keys_are_names_too(parse, key):
    # Not a field of a party: reported as an unknown field, which means the key lexed as a name.
    parsed = parse(f"party a {{ role: customer  {key}: 1 }}")
    assert codes(parsed) == [("SL002", 1, 27)]
    assert f"unknown field '{key}'" in parsed.findings[0].message


def test_any_number_of_declarations_in_a_file(parse):
    text = "".join(f"party p{i} {{ role: team }}\n" for i in range(50))
    parsed = parse(text)
    assert parsed.findings == []
    assert [d.id for d in parsed.declarations] == [f"p{i}" for i in range(50)]


def test_an_empty_file_has_no_declaration(parse):
    parsed = parse("")
    assert (parsed.declarations, parsed.comments, parsed.findings) == ([], [], [])


# -- positions ---------------------------------------------------------------------------


def test_positions_of_keyword_id_attributes_and_references(parse):
    text = (
        "# header\n"  # 1
        "\n"  # 2
        '  sla gold "Gold" {\n'  # 3
        "  provider: it_org\n"  # 4
        "  customer:   acme\n"  # 5
        '  version: "1"\n'  # 6
        "  effective: 2026-01-01;\n"  # 7
        '  overview: """\n'  # 8
        "    Two lines\n"  # 9
        '  """\n'  # 10
        "  service api {\n"  # 11
        "    hours: mon-fri 08:00-18:00\n"  # 12
        '    timezone: "UTC"\n'  # 13
        "    objective availability { target: >= 99.9% }\n"  # 14
        "  }\n"  # 15
        "}\n"
    )
    node = only(parse(text), Agreement)
    assert node.span == Span("t.sla", 3, 3, 3, 6)  # the keyword `sla`, end exclusive
    assert node.id_span == Span("t.sla", 3, 7, 3, 11)
    assert node.spans["provider"] == Span("t.sla", 4, 3, 4, 19)  # `provider: it_org`
    assert node.provider_ref.span == Span("t.sla", 4, 13, 4, 19)
    assert node.spans["customer"] == Span("t.sla", 5, 3, 5, 19)
    assert node.customer_ref.span == Span("t.sla", 5, 15, 5, 19)
    assert node.spans["effective"] == Span("t.sla", 7, 3, 7, 24)  # the `;` is not part of it
    assert node.spans["overview"] == Span("t.sla", 8, 3, 10, 6)  # a value over three lines
    [service] = node.services
    assert service.span == Span("t.sla", 11, 3, 11, 10)
    assert service.id_span == Span("t.sla", 11, 11, 11, 14)
    assert service.spans["hours"] == Span("t.sla", 12, 5, 12, 31)
    [objective] = service.objectives
    assert objective.span == Span("t.sla", 14, 5, 14, 14)
    assert objective.id_span == Span("t.sla", 14, 15, 14, 27)
    assert objective.spans["target"] == Span("t.sla", 14, 30, 14, 46)


def test_a_dotted_reference_spans_all_its_parts(parse):
    text = f"ola o {{\n  {AGREEMENT_HEAD}  supports: [gold.api,\n    silver]\n  service s {{ hours: 24x7 }}\n}}"
    node = only(parse(text))
    assert [r.span for r in node.supports_refs] == [Span("t.sla", 6, 14, 6, 22), Span("t.sla", 7, 5, 7, 11)]


def test_columns_count_characters_not_bytes(parse):
    parsed = parse('party a { contact: "Zoë ✓"  role: custmer }')
    assert codes(parsed) == [("SL003", 1, 35)]


def test_positions_of_labels_and_the_credit_keyword(parse):
    text = agreement(
        "credits {\n    credit { when: s.availability < 99%; amount: 10% }\n  }\n"
        '  approval {\n    signature c { by: "J"; date: 2026-01-01 }\n  }'
    )
    node = only(parse(text), Agreement)
    [credit], [signature] = node.credits, node.signatures
    assert credit.span == Span("t.sla", 10, 5, 10, 11)
    assert credit.condition.subject.span == Span("t.sla", 10, 20, 10, 34)
    assert credit.spans["amount"] == Span("t.sla", 10, 42, 10, 53)
    assert signature.span == Span("t.sla", 13, 5, 13, 14)
    assert signature.party_ref.span == Span("t.sla", 13, 15, 13, 16)
