"""Inline suppressions (SPEC §4.3 and the Suppressions paragraph of §3.1).

    sla old "Legacy" {   # slalint: ignore[SL502, SL507] -- retired next quarter

`ignore[CODES]` covers findings that start on its line, or on the next line
when the comment stands on a line of its own; `ignore-file[CODES]` covers the
file. SL901: one per unused code, at the comment. SL902: one per unknown
code, once for an empty list, once for a malformed `# slalint:` comment, and
never together with SL901 for the same code. The limits a pull request must
not get around (no SL0xx or SL9xx, no code without a group) are in
tests/test_attack_suppress.py."""

from __future__ import annotations

import datetime

import pytest
from conftest import PARTIES

from sla_lang.config.settings import Settings

TODAY = datetime.date(2026, 6, 1)


def sla(header_comment: str = "", before_service: str = "", before_objective: str = "", tail: str = "") -> str:
    """An SLA (line 4) with one service (line 9) and one objective (line 10), plus the
    comments given. Without comments it has, for SL3/SL5: SL501 SL502 SL503 SL504 SL507
    SL508 at 4:1, SL505 at 9:3 (no hours) and SL301 at 10:5 (no measurement)."""
    lines = [
        *PARTIES.splitlines(),
        "",
        f'sla gold "Gold" {{{header_comment}',
        "  provider: it_org",
        "  customer: acme",
        '  version: "1"',
        "  effective: 2026-01-01",
        "  service api {",
        "    objective availability { target: >= 99.9%  window: 30d }",
        "  }",
        "}",
    ]
    if before_objective:
        lines.insert(9, before_objective)
    if before_service:
        lines.insert(8, before_service)
    return "\n".join(lines) + "\n" + tail


CLEAN = [
    ("SL501", 4, 1),
    ("SL502", 4, 1),
    ("SL503", 4, 1),
    ("SL504", 4, 1),
    ("SL507", 4, 1),
    ("SL508", 4, 1),
    ("SL505", 9, 3),
    ("SL301", 10, 5),
]


@pytest.fixture
def check(lint_text):
    """Lint one text for SL3, SL5, SL6 and SL9; returns sorted (code, line, column)."""

    def run(text: str, **settings) -> list[tuple[str, int, int]]:
        settings.setdefault("select", ["SL3", "SL5", "SL6", "SL9"])
        found = lint_text(text, settings=Settings(**settings), today=TODAY)
        run.result = lint_text.result
        run.messages = [(f.code, f.message) for f in run.result.findings]
        return sorted(found, key=lambda f: (f[1], f[2], f[0]))

    return run


def without(findings, *codes_at) -> list:
    return sorted((f for f in findings if f not in codes_at), key=lambda f: (f[1], f[2], f[0]))


CLEAN_SORTED = sorted(CLEAN, key=lambda f: (f[1], f[2], f[0]))


def test_the_unsuppressed_text(check):
    assert check(sla()) == CLEAN_SORTED


# ---------------------------------------------------------------- what a suppression covers


def test_same_line(check):
    found = check(sla(header_comment="  # slalint: ignore[SL502, SL507] -- retired next quarter"))
    assert found == without(CLEAN_SORTED, ("SL502", 4, 1), ("SL507", 4, 1))


def test_line_above(check):
    """A comment on its own line covers the next line."""
    found = check(sla(before_objective="    # slalint: ignore[SL301] -- measured by the customer"))
    # the comment is line 10, so the service stays at 9 and the objective moves to 11
    assert found == without(CLEAN_SORTED, ("SL301", 10, 5))


def test_line_above_covers_only_the_next_line(check):
    text = sla(before_service="  # slalint: ignore[SL301]")  # line 9: covers the service line (10), not 11
    found = check(text)
    assert ("SL301", 11, 5) in found
    assert ("SL505", 10, 3) in found
    assert ("SL901", 9, 3) in found


def test_line_above_does_not_skip_blank_lines(check):
    text = sla(before_objective="    # slalint: ignore[SL301]\n")  # a blank line between
    found = check(text)
    assert ("SL301", 12, 5) in found
    assert ("SL901", 10, 5) in found


def test_same_line_does_not_cover_the_next_line(check):
    text = sla().replace("  service api {", "  service api {  # slalint: ignore[SL301]")
    found = check(text)
    assert ("SL301", 10, 5) in found
    assert ("SL901", 9, 18) in found


def test_ignore_file(check):
    found = check(sla(tail="# slalint: ignore-file[SL501, SL505] -- written by the customer's template\n"))
    assert found == without(CLEAN_SORTED, ("SL501", 4, 1), ("SL505", 9, 3))


def test_ignore_file_at_the_top(check):
    found = check("# slalint: ignore-file[SL3]\n" + sla())
    assert not any(code == "SL301" for code, _, _ in found)
    assert ("SL505", 10, 3) in found


def test_a_prefix_covers_its_group(check):
    found = check(sla(header_comment="  # slalint: ignore[SL5]"))
    assert found == [("SL505", 9, 3), ("SL301", 10, 5)]


def test_ignore_file_with_a_prefix(check):
    found = check(sla(tail="# slalint: ignore-file[SL50]\n"))
    assert found == [("SL301", 10, 5)]


@pytest.mark.parametrize(
    "comment",
    [
        "# slalint: ignore[SL502,SL507]",
        "# slalint: ignore[ SL502 , SL507 ]",
        "# slalint: ignore[sl502, sl507]",
        "#slalint:ignore[SL502, SL507]",
        "# slalint: ignore[SL502, SL507] -- retired next quarter",
        "# slalint: ignore[SL502, SL507]--no space",
        "# slalint: ignore[SL502, SL507] -- ",
        "# slalint: ignore[SL502, SL507,]",
    ],
)
def test_spellings_of_several_codes_and_reasons(check, comment):
    found = check(sla(header_comment="  " + comment))
    assert found == without(CLEAN_SORTED, ("SL502", 4, 1), ("SL507", 4, 1))


def test_several_suppressions_for_one_line(check):
    text = sla(header_comment="  # slalint: ignore[SL502]", before_service="  # slalint: ignore[SL505]")
    found = check(text + "# slalint: ignore-file[SL503]\n")
    assert found == [
        ("SL501", 4, 1),
        ("SL504", 4, 1),
        ("SL507", 4, 1),
        ("SL508", 4, 1),
        ("SL301", 11, 5),
    ]


def test_a_suppression_inside_a_string_is_not_a_comment(check):
    text = sla().replace('  version: "1"', '  version: "1"\n  overview: "# slalint: ignore-file[SL3]"')
    found = check(text)
    assert ("SL301", 11, 5) in found
    assert not any(code.startswith("SL90") for code, _, _ in found)


# ---------------------------------------------------------------- SL901: unused


def test_one_sl901_per_unused_code_at_the_comment(check):
    found = check(sla(header_comment="  # slalint: ignore[SL502, SL601, SL604] -- old"))
    assert found == sorted(
        without(CLEAN_SORTED, ("SL502", 4, 1)) + [("SL901", 4, 20), ("SL901", 4, 20)],
        key=lambda f: (f[1], f[2], f[0]),
    )
    messages = [message for code, message in check.messages if code == "SL901"]
    assert messages == [
        "unused suppression: no SL601 finding on line 4; remove it",
        "unused suppression: no SL604 finding on line 4; remove it",
    ]


def test_an_unused_ignore_file(check):
    found = check(sla(tail="# slalint: ignore-file[SL601]\n"))
    assert ("SL901", 13, 1) in found
    assert ("SL901", "unused suppression: no SL601 finding on this file; remove it") in check.messages


def test_a_prefix_is_used_when_any_code_of_it_fires(check):
    found = check(sla(header_comment="  # slalint: ignore[SL6, SL50]"))
    assert [f for f in found if f[0] == "SL901"] == [("SL901", 4, 20)]
    assert [m for c, m in check.messages if c == "SL901"] == ["unused suppression: no SL6 finding on line 4; remove it"]


def test_sl901_cannot_silence_itself(check):
    """SL9xx cannot be suppressed inline (SPEC §4.6): naming SL901 is SL902, and
    the comment's unused code is still reported."""
    found = check(sla(header_comment="  # slalint: ignore[SL502, SL601, SL901]"))
    assert [f for f in found if f[0].startswith("SL90")] == [("SL901", 4, 20), ("SL902", 4, 20)]
    assert ("SL502", 4, 1) not in found


def test_ignore_file_sl901_does_not_silence_unused_suppressions(check):
    text = sla(header_comment="  # slalint: ignore[SL601]", before_service="  # slalint: ignore[SL604]")
    unused = [("SL901", 4, 20), ("SL901", 9, 3)]
    assert [f for f in check(text) if f[0] == "SL901"] == unused
    found = check(text + "# slalint: ignore-file[SL901] -- cleaned up next sprint\n")
    assert [f for f in found if f[0].startswith("SL90")] == [*unused, ("SL902", 14, 1)]


@pytest.mark.parametrize(
    "settings",
    [
        {"ignore": ["SL6"]},  # switched off by ignore
        {"select": ["SL3", "SL5", "SL9"]},  # not selected
        {"ignore": ["SL601"]},  # the exact code switched off
        {"per_file_ignores": {"t.sla": ["SL6"]}},  # switched off for this file
    ],
)
def test_a_suppression_of_a_rule_that_is_off_is_not_unused(check, settings):
    found = check(sla(header_comment="  # slalint: ignore[SL601]"), **settings)
    assert not any(code == "SL901" for code, _, _ in found)


def test_sl901_follows_select_ignore_severity_and_per_file_ignores(check):
    text = sla(header_comment="  # slalint: ignore[SL601]")
    assert ("SL901", 4, 20) in check(text)
    assert ("SL901", 4, 20) not in check(text, ignore=["SL901"])
    assert ("SL901", 4, 20) not in check(text, ignore=["SL9"])
    assert ("SL901", 4, 20) not in check(text, select=["SL3", "SL5", "SL6"])
    assert ("SL901", 4, 20) not in check(text, per_file_ignores={"*.sla": ["SL901"]})
    check(text, severity={"SL9": "error"})
    assert [f.severity for f in check.result.findings if f.code == "SL901"] == ["error"]


# ---------------------------------------------------------------- SL902: invalid


def test_sl902_for_each_unknown_code(check):
    found = check(sla(header_comment="  # slalint: ignore[SL999, SL5, XX1]"))
    assert [f for f in found if f[0].startswith("SL90")] == [("SL902", 4, 20), ("SL902", 4, 20)]
    messages = sorted(m for c, m in check.messages if c == "SL902")
    assert messages[0].startswith("suppression names an unknown rule 'SL999'")
    assert messages[1].startswith("suppression names an unknown rule 'XX1'")
    # the valid code in the same comment still works
    assert not any(f[0].startswith("SL50") and f[1] == 4 for f in found)


@pytest.mark.parametrize("codes", ["", " ", " , ", ","])
def test_sl902_once_for_an_empty_list(check, codes):
    found = check(sla(header_comment=f"  # slalint: ignore[{codes}]"))
    assert [f for f in found if f[0].startswith("SL90")] == [("SL902", 4, 20)]
    assert [m for c, m in check.messages if c == "SL902"] == [
        "suppression names no rule: list the codes, e.g. ignore[SL502]"
    ]


@pytest.mark.parametrize(
    "comment",
    [
        "# slalint: ignore SL502",
        "# slalint: ignor[SL502]",
        "# slalint: ignore(SL502)",
        "# slalint: ignore[SL502",
        "# slalint: ignore[SL502] reason without dashes",
        "# slalint: noqa",
        "# slalint:",
        "# slalint: ignore-files[SL502]",
    ],
)
def test_sl902_for_a_malformed_directive(check, comment):
    found = check(sla(header_comment="  " + comment))
    assert [f for f in found if f[0].startswith("SL90")] == [("SL902", 4, 20)]
    assert ("SL502", 4, 1) in found, "a malformed comment suppresses nothing"
    assert [m for c, m in check.messages if c == "SL902"][0].startswith("invalid suppression: write")


def test_a_plain_comment_that_mentions_slalint_is_not_a_directive(check):
    found = check(sla(header_comment="  # see the slalint docs: ignore[SL502] is how"))
    assert not any(code.startswith("SL90") for code, _, _ in found)


@pytest.mark.parametrize(
    "comment",
    ["# slalint: ignore[SL999]", "# slalint: ignore[]", "# slalint: ignor[SL601]", "# slalint: ignore-file[ZZ9]"],
)
def test_an_invalid_suppression_is_sl902_only(check, comment):
    found = check(sla(header_comment="  " + comment))
    assert [f[0] for f in found if f[0].startswith("SL90")] == ["SL902"]


def test_an_unknown_and_an_unused_code_in_one_comment(check):
    """SL902 for the unknown code; the known one that matched nothing is still SL901."""
    found = check(sla(header_comment="  # slalint: ignore[SL999, SL601]"))
    assert [f for f in found if f[0].startswith("SL90")] == [("SL901", 4, 20), ("SL902", 4, 20)]


def test_sl902_follows_the_selection(check):
    text = sla(header_comment="  # slalint: ignore[SL999]")
    assert ("SL902", 4, 20) in check(text)
    assert ("SL902", 4, 20) not in check(text, ignore=["SL902"])
    assert ("SL902", 4, 20) not in check(text, per_file_ignores={"t.sla": ["SL9"]})


def test_codes_of_an_extra_policy_pack_are_known(check, tmp_path):
    pack = tmp_path / "house.yaml"
    pack.write_text(
        "pack: house\nrules:\n  - code: ACME001\n    name: every-agreement\n    severity: warning\n"
        '    scope: agreement\n    assert: "false"\n    message: "ACME001 on {id}"\n',
        encoding="utf-8",
    )
    text = sla(header_comment="  # slalint: ignore[ACME001]")
    found = check(text, select=["ACME", "SL9"], policies=[str(pack)])
    assert found == []
    found = check(text, select=["SL5", "SL9"])
    assert [f for f in found if f[0].startswith("SL90")] == [("SL902", 4, 20)]


def test_ignore_file_sl902_does_not_silence_invalid_suppressions(check):
    text = sla(header_comment="  # slalint: ignore[SL999]", tail="# slalint: ignore-file[SL902] -- generated file\n")
    found = check(text)
    assert [f for f in found if f[0].startswith("SL90")] == [("SL902", 4, 20), ("SL902", 13, 1)]
