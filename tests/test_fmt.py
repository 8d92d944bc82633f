"""`slalint fmt`: the canonical layout, comments kept with their element,
idempotent, and meaning-preserving on every fixture, example and generated
workspace.

"The model before equals the model after" is checked on the parsed
declarations: every slot of every node and value, recursively, except where
things were written (file, span, spans, id_span and the spans inside
values), which formatting moves. Links back up (a service's agreement) are
compared by the node's label, as the model has cycles. The check's findings
are compared as (code, anchor) pairs: anchors name what a finding is about
independent of lines, and suppressions, which do depend on lines, would
show as added or lost findings.
"""

from __future__ import annotations

import datetime
import os
import shutil
import stat
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, in_process, lint_files
from hypothesis import HealthCheck, given, settings
from strategies import workspaces

from sla_lang.fmt import Unformattable, format_text
from sla_lang.model.nodes import Node
from sla_lang.slotted import Plain
from sla_lang.source import SourceFile, Span
from sla_lang.syntax.parser import AgreementParser

_PARSER = AgreementParser()
_POSITIONS = ("file", "span", "spans", "id_span")


def _plain(value, seen: set):
    if isinstance(value, Span):
        return None
    if isinstance(value, Node):
        if id(value) in seen:
            return ("node", value.label)
        seen.add(id(value))
        slots = (name for name in value._slot_names if name not in _POSITIONS)
        return (type(value).__name__, tuple((name, _plain(getattr(value, name, None), seen)) for name in slots))
    if isinstance(value, Plain):
        return (type(value).__name__, tuple(_plain(getattr(value, name, None), seen) for name in value._slot_names))
    if isinstance(value, list | tuple):
        return tuple(_plain(item, seen) for item in value)
    if isinstance(value, dict):
        return tuple((key, _plain(item, seen)) for key, item in value.items())
    return value


def model(text: str):
    """The parsed declarations without positions, and the parse's findings as (code, anchor)."""
    parsed = _PARSER.parse(SourceFile("f.sla", text))
    return _plain(parsed.declarations, set()), sorted((f.code, f.anchor) for f in parsed.findings)


def findings(files: dict[str, str], tmp_path: Path) -> list[tuple[str, str]]:
    result = lint_files(files, tmp_path, today=datetime.date(2026, 6, 1))
    return sorted((f.code, f.anchor or f.span.path) for f in result.findings)


def assert_formats_soundly(files: dict[str, str], tmp_path: Path) -> dict[str, str]:
    formatted = {}
    for path, text in files.items():
        out = format_text(text, path)
        assert format_text(out, path) == out, f"{path}: fmt(fmt(x)) != fmt(x)"
        assert model(out) == model(text), f"{path}: the model changed"
        formatted[path] = out
    before = findings(files, tmp_path / "before")
    assert findings(formatted, tmp_path / "after") == before
    return formatted


def _parses(path: Path) -> bool:
    try:
        format_text(path.read_text(encoding="utf-8"), str(path))
    except (Unformattable, UnicodeDecodeError):
        return False
    return True


FIXTURE_FILES = [p for p in sorted(FIXTURES.rglob("*.sla")) if _parses(p)]
EXAMPLES = sorted((PROJECT / "examples").glob("*.sla"))


def test_most_fixtures_parse():
    # the refused ones are the syntax-error fixtures; the rest must all be formatted
    assert len(FIXTURE_FILES) >= len(list(FIXTURES.rglob("*.sla"))) - 3


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_keeps_its_model_and_findings(fixture, tmp_path):
    assert_formats_soundly({fixture.name: fixture.read_text(encoding="utf-8")}, tmp_path)


def test_examples_keep_their_model_and_findings_as_a_workspace(tmp_path):
    assert_formats_soundly({p.name: p.read_text(encoding="utf-8") for p in EXAMPLES}, tmp_path)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(workspace=workspaces())
def test_generated_workspaces_keep_their_model_and_findings(workspace, tmp_path_factory):
    assert_formats_soundly(workspace.files, tmp_path_factory.mktemp("generated"))


# -- the layout ---------------------------------------------------------------------------

MESSY = """\
# header comment

# about acme
party acme "Acme" { role: customer; contact: "x" }  # trailing acme
party it_org { role: provider }
sla gold "Gold" {   # opening comment
\tversion: "1"
  # slalint: ignore[SL502]
  customer:acme
  provider: it_org  # who delivers


  effective: 2026-01-01
  supports: [ a , b, ]
  service api { hours: 24x7  objective availability { target: >=99.9%; window: 30d } }  # slalint: ignore[SL301]
  credits { credit { when: api.availability<99%; amount: 10% } }
  # dangling at end
}
# end of file comment
"""

CANONICAL = """\
# header comment

# about acme
party acme "Acme" { role: customer  contact: "x" }  # trailing acme

party it_org { role: provider }

sla gold "Gold" {  # opening comment
  provider: it_org  # who delivers
  # slalint: ignore[SL502]
  customer: acme
  version: "1"

  effective: 2026-01-01
  supports: [a, b]
  service api { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }  # slalint: ignore[SL301]
  credits {
    credit { when: api.availability < 99%  amount: 10% }
  }
  # dangling at end
}
# end of file comment
"""


def test_canonical_layout():
    assert format_text(MESSY, "m.sla") == CANONICAL
    assert format_text(CANONICAL, "m.sla") == CANONICAL


def test_one_line_block_that_does_not_fit_is_split():
    long = "x" * 80
    text = f'party acme {{ role: customer  contact: "{long}" }}\n'
    assert format_text(text, "p.sla") == f'party acme {{\n  role: customer\n  contact: "{long}"\n}}\n'


def test_line_with_suppression_is_never_split_even_when_long():
    long = "x" * 80
    text = f'party acme {{ role: customer  contact: "{long}" }}  # slalint: ignore[SL002]\n'
    assert format_text(text, "p.sla") == text
    above = f'# slalint: ignore[SL002]\nparty acme {{ role: customer  contact: "{long}" }}\n'
    assert format_text(above, "p.sla") == above


def test_statements_sharing_a_suppressed_line_stay_on_it():
    text = (
        'sla x {\n  version: "1"; customer: a; provider: a  # slalint: ignore[SL502]\n'
        '  # slalint: ignore[SL101]\n  effective: 2026-01-01; owner: "o"\n  reporting: 1mo; status: active\n'
        "  service s { hours: 24x7 } service t { hours: 24x7 }  # slalint: ignore[SL306]\n}\n"
        "party b { role: customer } party c { role: customer }  # slalint: ignore[SL101]\n"
    )
    assert format_text(text, "s.sla") == (
        'sla x {\n  version: "1"  customer: a  provider: a  # slalint: ignore[SL502]\n  status: active\n'
        '  # slalint: ignore[SL101]\n  effective: 2026-01-01  owner: "o"\n  reporting: 1mo\n'
        "  service s { hours: 24x7 }  service t { hours: 24x7 }  # slalint: ignore[SL306]\n}\n\n"
        "party b { role: customer }  party c { role: customer }  # slalint: ignore[SL101]\n"
    )


def test_multi_line_block_is_not_joined():
    text = "party acme {\n  role: customer\n}\n"
    assert format_text(text, "p.sla") == text


def test_fields_follow_the_language_order_with_metadata_then_unknown_keys_last():
    text = (
        'sla s {\n  zeta: 1\n  links: []\n  owner: "o"\n  redundancy: 2\n  supports: x\n  provider: p\n'
        "  service a {}\n  tags: []\n}\n"
    )
    assert format_text(text, "s.sla") == (
        'sla s {\n  provider: p\n  supports: x\n  redundancy: 2\n  owner: "o"\n  tags: []\n  links: []\n  zeta: 1\n'
        "  service a {}\n}\n"
    )


def test_objective_and_credits_order():
    text = (
        'sla s {\n  service a {\n    objective o {\n      agreed: yes\n      measurement: "m"\n'
        "      attainment: 90%\n      priority: P1\n      window: 30d\n      target: <= 4bh\n"
        '      metric: response_time\n    }\n  }\n  credits {\n    currency: "EUR"\n    claim: 30d\n'
        "    cap: 50%\n  }\n}\n"
    )
    assert format_text(text, "s.sla") == (
        "sla s {\n  service a {\n    objective o {\n      metric: response_time\n      target: <= 4bh\n"
        '      window: 30d\n      attainment: 90%\n      priority: P1\n      measurement: "m"\n'
        '      agreed: yes\n    }\n  }\n  credits {\n    cap: 50%\n    claim: 30d\n    currency: "EUR"\n  }\n}\n'
    )


def test_long_string_and_commented_list_kept_as_written():
    text = (
        'sla s {\n  overview: """\n      Two lines,\n    kept.\n  """\n  supports: [a,  # the first\n         b]\n}\n'
    )
    assert format_text(text, "s.sla") == text


def test_crlf_and_byte_order_mark():
    text = "\ufeffparty a {\r\n  role: customer\r\n}\r\n"
    assert format_text(text, "p.sla") == "party a {\n  role: customer\n}\n"


def test_syntax_error_is_refused_with_its_position():
    with pytest.raises(Unformattable) as raised:
        format_text("party a {\n  role customer\n}\n", "p.sla")
    error = raised.value
    assert (error.path, error.line, error.column) == ("p.sla", 2, 8)
    assert "expected ':' after 'role'" in error.message


# -- the command ---------------------------------------------------------------------------


def test_fmt_check_diff_and_write(tmp_path):
    path = tmp_path / "a.sla"
    path.write_text("party a { role: customer; }\n", encoding="utf-8")
    path.chmod(0o640)
    run = in_process(tmp_path, "fmt", "--check", ".")
    assert (run.code, run.out) == (1, "would reformat a.sla\n")
    run = in_process(tmp_path, "fmt", "--diff", "a.sla")
    assert run.code == 1
    assert "-party a { role: customer; }\n+party a { role: customer }\n" in run.out
    assert path.read_text(encoding="utf-8") == "party a { role: customer; }\n"
    run = in_process(tmp_path, "fmt")
    assert run.code == 0 and "1 file reformatted" in run.err
    assert path.read_text(encoding="utf-8") == "party a { role: customer }\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["a.sla"]  # no temporary file left behind
    assert in_process(tmp_path, "fmt", "--check").code == 0


def test_the_diff_of_a_file_with_crlf_line_ends_says_so(tmp_path):
    (tmp_path / "a.sla").write_bytes(b"party a { role: customer }\r\n")
    run = in_process(tmp_path, "fmt", "--diff", "a.sla")
    assert run.code == 1
    assert run.out.startswith("--- a.sla (before, CRLF line ends)\n+++ a.sla (formatted)\n")
    assert "-party a { role: customer }\r\n+party a { role: customer }\n" in run.out


def test_fmt_refuses_a_broken_file_and_names_it(tmp_path):
    (tmp_path / "ok.sla").write_text("party a { role: customer;}\n", encoding="utf-8")
    (tmp_path / "bad.sla").write_text("party b {\n  role: }\n", encoding="utf-8")
    run = in_process(tmp_path, "fmt")
    assert run.code == 2
    assert "slalint: bad.sla:2:9: syntax error, not formatted: expected a value" in run.err
    assert (tmp_path / "bad.sla").read_text(encoding="utf-8") == "party b {\n  role: }\n"
    assert (tmp_path / "ok.sla").read_text(encoding="utf-8") == "party a { role: customer }\n"
    assert in_process(tmp_path, "fmt", "missing.sla").code == 2


def test_fmt_respects_excludes(tmp_path):
    (tmp_path / ".slalint.yaml").write_text("exclude: [vendor/**]\n", encoding="utf-8")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "v.sla").write_text("party v { role: supplier; }\n", encoding="utf-8")
    assert in_process(tmp_path, "fmt", "--check", ".").code == 0


def test_examples_are_formatted(tmp_path):
    shutil.copytree(PROJECT / "examples", tmp_path / "examples")
    run = in_process(tmp_path, "fmt", "--check", "examples")
    assert run.code == 0, run.out


# -- hostile input ---------------------------------------------------------------------------


def _timed(text: str) -> tuple[str, float]:
    started = time.monotonic()
    out = format_text(text, "big.sla")
    return out, time.monotonic() - started


def test_five_megabyte_file_of_long_strings_and_comments():
    filler = "x" * 1000
    block = f'party p{{0}} {{{{ role: customer  contact: "{filler}" }}}}  # {filler}\n# {filler}\n'
    text = "".join(block.format(n) for n in range(5 * 1024 * 1024 // len(block.format(9999))))
    assert len(text) > 5_000_000
    out, seconds = _timed(text)
    assert out.count("\n# ") == text.count("\n# ")
    assert seconds < 5, seconds


def test_a_megabyte_of_small_declarations_in_linear_time():
    party = 'party p{0} "Party {0}" {{ role: customer; contact: "desk-{0}@example.com" }}  # c\n'
    text = "".join(party.format(n) for n in range(1024 * 1024 // len(party.format(99999))))
    out, seconds = _timed(text)
    assert out.count("\n\n") == text.count("\n") - 1  # a blank line between declarations
    assert seconds < 5, seconds


def test_deep_nesting_and_huge_lists_stay_linear():
    deep = "sla s {\n" + "".join(f"{'  ' * n}b{n} {{\n" for n in range(1, 31)) + "}\n" * 31
    out, seconds = _timed(deep)
    assert format_text(out, "d.sla") == out and seconds < 5
    huge = "sla s { supports: [" + ", ".join(f"a{n}" for n in range(100_000)) + "] }\n"
    out, seconds = _timed(huge)
    assert out.startswith("sla s {\n  supports: [a0, a1, ") and seconds < 5, seconds
    too_deep = "sla s {" + "b {" * 40 + "}" * 41 + "\n"
    with pytest.raises(Unformattable, match="nested more than 32 levels"):
        format_text(too_deep, "d.sla")
