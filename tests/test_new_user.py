"""What a new user trips over, answered with what to write instead: the exact
inputs a user wrote from the docs, and the hint each gets."""

from __future__ import annotations

import pytest
from conftest import run_cli

PARTIES = "party c { role: customer }\nparty p { role: provider }\n"


def _agreement(service_body: str, objective_body: str = "target: >= 99.9%  window: 30d") -> str:
    return (
        PARTIES
        + 'sla s { provider: p  customer: c  version: "1"  effective: 2026-01-01\n'
        + f"  service x {{ {service_body}\n"
        + f"    objective availability {{ {objective_body} }}\n"
        + "  }\n}\n"
    )


# (input, (line, column) of the SL001, the hint it must give)
LEXICAL = [
    (
        _agreement('hours: Mon-Fri 08:00-18:00  timezone: "Europe/Berlin"'),
        (4, 22),
        "'Mon-Fri' is not a day name: days are written in lowercase as three letters, e.g. mon-fri 08:00-18:00",
    ),
    (
        _agreement("hours: 24x7", "target: >= 99.9%  window: 1 month"),
        (5, 56),
        "'1 month' is not a duration: write the number and the unit together, e.g. 1mo",
    ),
    (
        _agreement("hours: 24x7", "target: >= 99.9%  window: 30 days"),
        (5, 56),
        "'30 days' is not a duration: write the number and the unit together, e.g. 30d",
    ),
    (_agreement("hours: 24/7"), (4, 22), "'24/7' is written 24x7"),
    (
        _agreement("hours: 24x7  review: 03/01/2026"),
        (4, 36),
        "'03/01/2026' is not a date: dates are written YYYY-MM-DD",
    ),
    (
        _agreement("hours: 24x7", "target: >= 99.9 %  window: 30d"),
        (5, 41),
        "'99.9 %' has a space before '%': write the sign right after the number, e.g. 99.9%",
    ),
    (
        _agreement("hours: 24x7  description: '1.0'"),
        (4, 41),
        """'1.0' uses single quotes: strings are written in double quotes, e.g. "1.0\"""",
    ),
]


@pytest.mark.parametrize("text, position, hint", LEXICAL, ids=[h.split(":")[0][:30] for _, _, h in LEXICAL])
def test_a_lexical_mistake_is_explained_at_the_mistake(lint_text, text, position, hint):
    findings = lint_text(text)
    syntax = [f for f in lint_text.result.findings if f.code == "SL001"]
    assert [(f.span.line, f.span.column) for f in syntax] == [position], findings
    assert syntax[0].message.startswith(hint), syntax[0].message


def test_a_version_written_as_a_number_is_told_to_be_quoted(lint_text):
    text = _agreement("hours: 24x7").replace('version: "1"', "version: 2.0")
    lint_text(text)
    [finding] = [f for f in lint_text.result.findings if f.code == "SL003"]
    assert (finding.span.line, finding.span.column) == (3, 44)
    assert finding.message == """'version' in SLA 's' must be a string in double quotes: write version: "2.0\""""


def test_a_missing_brace_names_the_block_that_lacks_it(lint_text):
    text = (
        PARTIES
        + 'sla s { provider: p  customer: c  version: "1"  effective: 2026-01-01\n'
        + "  service x { hours: 24x7\n"
        + "    objective availability { target: >= 99.9%  window: 30d\n"
        + "  }\n"
        + "}\n"
    )
    lint_text(text)
    [finding] = [f for f in lint_text.result.findings if f.code == "SL001"]
    assert (finding.span.line, finding.span.column) == (7, 2)  # the end of the last line with content
    assert finding.message.endswith("the block 'objective availability' opened on line 5 is never closed")


def test_an_unknown_field_lists_the_fields_of_its_block(lint_text):
    lint_text(_agreement("hours: 24x7  colour: blue"))
    [finding] = [f for f in lint_text.result.findings if f.code == "SL002"]
    assert finding.message == (
        "unknown field 'colour' in service 'x' of SLA 's'; valid here: description, hours, timezone, business_hours, "
        "holidays, owner, tags, links, maintenance { }, objective { }"
    )


def test_a_block_at_the_top_of_a_file_says_where_it_belongs(lint_text):
    lint_text("service x { hours: 24x7 }\n")
    [finding] = lint_text.result.findings
    assert finding.message.endswith(
        "found 'service'; 'service' belongs inside an agreement (sla, ola or contract), not at the top of a file"
    )
    assert "did you mean" not in finding.message


@pytest.mark.parametrize(
    "word, choices, expected",
    [
        ("--fix", ["--config", "--format", "--quiet"], None),
        ("service", ["party", "metric", "sla", "ola", "contract"], None),
        ("--formt", ["--config", "--format"], "--format"),
        ("fail_on", ["fail-on", "format"], "fail-on"),
        ("qute", ["quiet", "quote_x"], "quiet"),
        ("lenght", ["len", "lower"], "len"),
        ("pary", ["party", "metric"], "party"),
        ("availabilty", ["availability", "latency"], "availability"),
    ],
)
def test_a_suggestion_is_made_only_for_a_plausible_typo(word, choices, expected):
    from sla_lang.hints import close_match

    assert close_match(word, choices) == expected


def test_an_unknown_option_far_from_every_option_gets_no_suggestion():
    run = run_cli("check", "--frobnicate", "x.sla")
    assert run.returncode == 2
    assert "Error: no such option: --frobnicate\n" in run.stderr.decode()


def test_the_clean_examples_stay_clean_until_2030():
    """The READMEs say payments.sla (with service-desk.sla) gives no finding: on any date until 2030."""
    import datetime

    from conftest import PROJECT

    from sla_lang.lint import LintRequest, lint

    paths = [str(PROJECT / "examples" / "payments.sla"), str(PROJECT / "examples" / "service-desk.sla")]
    day = datetime.date(2026, 1, 1)
    while day <= datetime.date(2030, 6, 29):
        assert lint(LintRequest(paths=paths, today=day)).findings == [], day
        day += datetime.timedelta(days=91)
    assert lint(LintRequest(paths=paths, today=datetime.date(2030, 6, 29))).findings == []


def test_rules_piped_prints_one_whole_rule_a_line():
    run = run_cli("rules")
    assert run.returncode == 0
    lines = run.stdout.decode().splitlines()
    [sl402] = [line for line in lines if line.startswith("SL402 ")]
    assert sl402.split()[:3] == ["SL402", "underpinning-weaker-target", "error"]
    assert sl402.endswith("weaker than the supported service's target for it.")
    assert all(line[:2] == "SL" and line[2:5].isdigit() for line in lines)


def test_a_syntax_error_does_not_cascade_into_dangling_references(tmp_path):
    from conftest import lint_files

    files = {
        "parties.sla": PARTIES + "party desk { role: team  organization: p }\n",
        # `target >= 4h` lacks its ':': the SLA does not parse.
        "crm.sla": 'sla crm { provider: p  customer: c  version: "1"  effective: 2026-01-01\n'
        "  service app { hours: 24x7  objective p1 { metric: response_time  target >= 4h } }\n}\n",
        "desk.sla": 'ola desk_ola { provider: desk  customer: p  version: "1"  effective: 2026-01-01\n'
        "  supports: [crm, crm.app, billing]\n"
        "  service s { hours: 24x7  objective p1 { metric: response_time  target: <= 1h } }\n}\n",
    }
    result = lint_files(files, tmp_path)
    dangling = [(f.span.path, f.span.line, f.span.column, f.message) for f in result.findings if f.code == "SL007"]
    # crm is declared in crm.sla, which does not parse: its SL001 says so, no SL007 does.
    # billing is declared nowhere: the message says where it may be.
    assert dangling == [
        (
            "desk.sla",
            2,
            28,
            "'supports' of OLA 'desk_ola' names 'billing', but no agreement 'billing' is declared "
            "(crm.sla has a syntax error and may declare it: fix that first)",
        )
    ]
    assert [f.span.path for f in result.findings if f.code == "SL001"] == ["crm.sla"]
