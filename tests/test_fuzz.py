"""Property and fuzz tests: slalint never crashes, hangs or misplaces a finding.

slalint gates pull requests, so every file it reads may be hostile. Two kinds
of input are generated (tests/strategies.py):

- valid workspaces built from the language's structure, with the model they
  must parse to: the round trip text -> model must be exact (ids, kinds, field
  values, and the line and column of every keyword, id and attribute), with no
  language finding, also with CRLF line ends and a byte-order mark; and the
  built-in policy packs must evaluate over them without an error;
- valid files broken by mutations (byte flips, truncation, token deletion and
  duplication, random unicode, CRLF, BOM, very long lines, splices): linting
  them in-process never raises, every finding lies inside the file (SL008 at
  1:1), and each input takes well under a time bound; a sample also goes
  through the real command line (exit 0 or 1, no traceback).

Profiles: the default ("ci") is small and derandomised, so the suite stays
fast and reproducible. For a long local run set SLALINT_FUZZ_PROFILE=long
(SLALINT_FUZZ_EXAMPLES sets the examples per test, default 20,000), or use
tools/fuzz --minutes N. Inputs that crashed once are kept in
tests/fixtures/fuzz/ and replayed by test_regression_inputs.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
import strategies
from conftest import report_of, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, analyse, lint
from sla_lang.model.workspace import build_workspace
from sla_lang.source import SourceFile, decode
from sla_lang.syntax.parser import AgreementParser

PROJECT = Path(__file__).resolve().parent.parent
FUZZ_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fuzz"
TODAY = datetime.date(2026, 6, 1)
SECONDS_PER_INPUT = 5.0  # generous: a mutated file of a few kilobytes lints in tens of milliseconds

# -- profiles ---------------------------------------------------------------------------

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example]
settings.register_profile(
    "slalint-ci", max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=_QUIET
)
settings.register_profile(
    "slalint-long",
    max_examples=int(os.environ.get("SLALINT_FUZZ_EXAMPLES", "20000")),
    deadline=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
PROFILE = os.environ.get("SLALINT_FUZZ_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    raise ValueError(f"SLALINT_FUZZ_PROFILE must be ci or long, not {PROFILE!r}")
LONG = PROFILE == "long"
FUZZ = settings.get_profile(f"slalint-{PROFILE}")


def scaled(ci_examples: int, share: float = 1.0) -> settings:
    """The profile's settings with `ci_examples` examples in CI, `share` of the long run's otherwise."""
    return settings(FUZZ, max_examples=max(1, int(FUZZ.max_examples * share)) if LONG else ci_examples)


# Figures for the closing note and tools/fuzz: inputs tried per test.
TRIED: Counter = Counter()


def _report_figures() -> None:
    path = os.environ.get("SLALINT_FUZZ_STATS")
    if path and TRIED:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(dict(TRIED)) + "\n")


atexit.register(_report_figures)


_KEPT: list[str] = []


def _keep_crash(data: bytes, what: object) -> None:
    """With SLALINT_FUZZ_CRASH_DIR set (tools/fuzz sets it), keep the inputs that
    failed, named by their hash, to become regression fixtures: the first few of
    a run (while it shrinks an input, hypothesis tries hundreds of variants)."""
    directory = os.environ.get("SLALINT_FUZZ_CRASH_DIR")
    if directory and len(_KEPT) < 10:
        _KEPT.append(what)
        os.makedirs(directory, exist_ok=True)
        name = hashlib.sha256(data).hexdigest()[:16]
        Path(directory, name + ".sla").write_bytes(data)
        Path(directory, name + ".txt").write_text(f"{what}\n", encoding="utf-8")


# -- helpers ------------------------------------------------------------------------------

_PARSER: AgreementParser | None = None


def parser() -> AgreementParser:
    global _PARSER
    if _PARSER is None:
        _PARSER = AgreementParser()
    return _PARSER


_RULES: list | None = None


def builtin_rules() -> list:
    global _RULES
    if _RULES is None:
        from sla_lang.policy.loader import load_packs

        _RULES = [rule for pack in load_packs([]) for rule in pack.rules]
    return _RULES


def describe(findings) -> list[tuple]:
    return [(f.code, f.span.path, f.span.line, f.span.column, f.message) for f in findings]


def assert_inside(findings, texts: dict[str, str]) -> None:
    """Every finding points inside its file: SL008 at 1:1, anything else at a
    line of the file and a column of that line (one past its end at most), and
    ends no earlier than it starts, also inside the file."""
    for finding in findings:
        span = finding.span
        where = f"{finding.code} at {span.path}:{span.line}:{span.column}-{span.end_line}:{span.end_column}"
        if finding.code == "SL008":
            assert (span.line, span.column) == (1, 1), where
            continue
        assert span.path in texts, f"{where}: a finding in a file that was not linted"
        lines = texts[span.path].split("\n")
        assert 1 <= span.line <= len(lines), f"{where}: the file has {len(lines)} lines"
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (
            f"{where}: line {span.line} is {lines[span.line - 1]!r}"
        )
        assert (span.end_line, span.end_column) >= (span.line, span.column), f"{where}: ends before it starts"
        assert span.end_line <= len(lines), f"{where}: ends after the last line"
        end_of_line = len(lines[span.end_line - 1]) + 1
        # "found end of file" is a one-character caret just after the last character.
        caret_after_end = span.column == end_of_line and (span.end_line, span.end_column) == (
            span.line,
            span.column + 1,
        )
        assert span.end_column <= end_of_line or caret_after_end, f"{where}: ends past its line"


def lint_bytes(data: bytes, name: str = "fuzz.sla"):
    """The whole pipeline (decode, parse, resolve, every built-in rule,
    suppressions) on `data` as if piped to `slalint check -`, timed."""
    request = LintRequest(paths=[], settings=Settings(cache=False), today=TODAY, stdin=(name, data))
    started = time.perf_counter()
    result = lint(request)
    return result, time.perf_counter() - started


def check_input(data: bytes, what: object = "") -> None:
    """The never-crash guarantee for one input."""
    try:
        result, seconds = lint_bytes(data)
        texts = {path: source.text for path, source in result.sources.items()}
        assert_inside(result.findings, texts)
        assert seconds < SECONDS_PER_INPUT, f"took {seconds:.1f} s"
    except Exception:  # not KeyboardInterrupt: tools/fuzz stops a round with one
        _keep_crash(data, what)
        raise


def parse_workspace(files: dict[str, str]) -> tuple[list, list, dict]:
    """Parse `files` (path -> text) and resolve them as one workspace:
    (findings, declarations by path, texts)."""
    findings, by_path, declarations = [], {}, []
    for path, text in files.items():
        parsed = parser().parse(SourceFile(path, text))
        findings += parsed.findings
        by_path[path] = parsed.declarations
        declarations += parsed.declarations
    findings += build_workspace(declarations).findings
    return findings, by_path, files


# -- 1. valid agreements round-trip to their model ------------------------------------------


def _assert_round_trip(generated, files: dict[str, str]) -> None:
    findings, by_path, _ = parse_workspace(files)
    assert describe(findings) == []
    for path, expected in generated.model.items():
        got = [strategies.model_of(node) for node in by_path[path]]
        want = [strategies.expected_model(node) for node in expected]
        assert [(d["kind"], d["id"]) for d in got] == [(d["kind"], d["id"]) for d in want]
        for got_node, want_node in zip(got, want, strict=True):
            assert got_node == want_node


@scaled(60)
@given(strategies.workspaces())
def test_generated_agreements_parse_to_their_model(generated):
    TRIED["round-trip"] += 1
    _assert_round_trip(generated, generated.files)


@scaled(20, share=0.25)
@given(strategies.workspaces(max_files=2))
def test_crlf_line_ends_and_a_byte_order_mark_change_nothing(generated):
    """The same agreements saved on Windows (CRLF, BOM) parse to the same
    model at the same positions: a \\r ends no token, a BOM is no column."""
    TRIED["crlf-bom"] += 1
    files = {
        path: decode(path, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")).text
        for path, text in generated.files.items()
    }
    _assert_round_trip(generated, files)


@scaled(30, share=0.25)
@given(strategies.workspaces())
def test_the_built_in_rules_evaluate_over_any_valid_workspace(generated):
    """Valid but extreme values (the year 9999, 100000y windows, 0%, a party
    that is its own customer) reach every rule of the built-in packs: none
    may fail, and every finding lies inside its file."""
    TRIED["rules-on-valid"] += 1
    sources = [SourceFile(path, text) for path, text in generated.files.items()]
    analysis = analyse(sources, builtin_rules(), TODAY, set(generated.files))
    reported = [f for f in analysis.findings if f.span.path in generated.files]
    assert [f for f in reported if f.code.startswith("SL0")] == []
    assert_inside(reported, generated.files)


# -- 2. broken input never crashes ---------------------------------------------------------


@scaled(120)
@given(strategies.mutated_inputs())
def test_mutated_input_never_crashes(case):
    mutations, data = case
    TRIED["mutations"] += 1
    check_input(data, mutations)


@scaled(15, share=0.1)
@given(strategies.mutated_inputs(max_mutations=1, long_run_max=200_000))
def test_very_long_runs_take_bounded_time(case):
    """One mutation, with runs of up to 200,000 characters (a 200 K line of
    braces, quotes, unknown escapes, digits, ...)."""
    mutations, data = case
    TRIED["long-runs"] += 1
    check_input(data, mutations)


def _boundaries(data: bytes) -> list[int]:
    return sorted({start for start, _ in strategies.token_spans(data)} | {len(data)})


@pytest.mark.parametrize("name", ["payments.sla", "service-desk.sla"])
def test_truncation_at_every_token_boundary(name):
    """Every prefix of the example agreements that ends at a token boundary:
    parsed and resolved (in CI), through the whole pipeline (long profile)."""
    data = (PROJECT / "examples" / name).read_bytes()
    for cut in _boundaries(data):
        prefix = data[:cut]
        TRIED["truncations"] += 1
        if LONG:
            check_input(prefix, f"{name} cut at {cut}")
            continue
        text = prefix.decode("utf-8")
        started = time.perf_counter()
        findings, _, texts = parse_workspace({name: text})
        assert time.perf_counter() - started < SECONDS_PER_INPUT
        assert_inside(findings, texts)


@pytest.mark.parametrize("name", ["payments.sla", "service-desk.sla"] if LONG else ["payments.sla"])
def test_deleting_or_doubling_any_one_token(name):
    """Every token of an example deleted, then doubled (parse and resolve)."""
    data = (PROJECT / "examples" / name).read_bytes()
    spans = strategies.token_spans(data)
    for start, end in spans:
        for variant in (data[:start] + data[end:], data[:end] + data[start:end] + data[end:]):
            TRIED["token-edits"] += 1
            findings, _, texts = parse_workspace({name: variant.decode("utf-8")})
            assert_inside(findings, texts)


def test_the_cli_on_mutated_input(tmp_path):
    """A sample through the real command line: JSON that parses, the exit code
    its findings make, no traceback."""
    samples = []

    @scaled(6, share=0.002)
    @given(strategies.mutated_inputs())
    def collect(case):
        samples.append(case)

    collect()
    for mutations, data in samples:
        TRIED["cli"] += 1
        process = run_cli(
            "check", "-", "--stdin-filename", "fuzz.sla", "--format", "json", "--today", "2026-06-01",
            stdin=data, cwd=tmp_path, env={"SLALINT_CACHE_DIR": str(tmp_path / "cache")}, timeout=60,
        )  # fmt: skip
        stderr = process.stderr.decode("utf-8", "replace")
        if process.returncode not in (0, 1) or "Traceback" in stderr:
            _keep_crash(data, mutations)
        report = report_of(process)  # and the exit code its findings make
        assert all(f["path"] == "fuzz.sla" and f["line"] >= 1 and f["column"] >= 1 for f in report["findings"])
        assert process.seconds < 30, f"{mutations}: took {process.seconds:.1f} s"


# -- 3. inputs that once crashed or hung ---------------------------------------------------------

REGRESSIONS = sorted(p for p in FUZZ_FIXTURES.glob("*.sla")) if FUZZ_FIXTURES.is_dir() else []


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_regression_inputs(path):
    """Each kept input lints in-process without an error, inside the time bound."""
    TRIED["regressions"] += 1
    check_input(path.read_bytes(), path.name)


def test_regression_inputs_are_kept():
    assert REGRESSIONS, "tests/fixtures/fuzz/ holds the inputs that once crashed or hung slalint"


def test_regression_inputs_through_the_command_line(tmp_path):
    """All of them at once, as a CI job would meet them."""
    process = run_cli(
        "check", *map(str, REGRESSIONS), "--format", "json", "--today", "2026-06-01",
        cwd=tmp_path, env={"SLALINT_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    stderr = process.stderr.decode("utf-8", "replace")
    assert process.returncode == 1 and "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert json.loads(process.stdout)["files_checked"] == len(REGRESSIONS)


def test_a_number_of_a_million_digits():
    """Kept inline (a megabyte): once it overflowed the rules' decimal arithmetic."""
    text = (PROJECT / "examples" / "payments.sla").read_text(encoding="utf-8")
    for old, new in [
        ("target: <= 300ms", "target: <= {}y"),
        ("window: 30d", "window: {}d"),
        ("percentile: 99", "percentile: {}"),
    ]:
        data = text.replace(old, new.format("9" * 1_000_000), 1).encode()
        result, seconds = lint_bytes(data)
        [too_large] = [f for f in result.findings if f.code == "SL003"]
        assert too_large.message.startswith("9" * 20 + "...") and "characters) is too large" in too_large.message
        assert seconds < SECONDS_PER_INPUT


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("99.950", "99.95"),
        ("1E+2", "100"),
        ("100.0", "100"),
        ("0.000", "0"),
        ("1E-7", "0.0000001"),
        ("1" + "0" * 40, "1" + "0" * 40),
        ("12345678901234567890123456789.123456789", "12345678901234567890123456789.123456789"),
        ("9" * 5000, "9" * 5000),
    ],
)
def test_numbers_are_shown_exactly_at_any_length(number, shown):
    from decimal import Decimal

    from sla_lang.values import format_decimal

    assert format_decimal(Decimal(number)) == shown


def test_lengths_of_time_are_exact_and_describable_at_any_size():
    from decimal import Decimal

    from sla_lang.values import Duration, describe_seconds

    huge = Duration(Decimal("9" * 100), "y")
    assert int(huge.seconds) == int("9" * 100) * 31_536_000  # exact, not rounded to 28 digits
    assert huge > Duration(Decimal("9" * 99), "y") and huge != Duration(Decimal("9" * 99 + "8"), "y")
    assert describe_seconds(huge.seconds).endswith(" days")
    assert describe_seconds(Duration(Decimal("9" * 999_999), "y").seconds).endswith(" days")
    assert describe_seconds(Decimal("25.92")) == "25.92 seconds"
    assert describe_seconds(Decimal("259.2")) == "4.32 minutes"


def test_many_unknown_escapes_take_linear_time():
    """A string of 30,000 unknown escapes once took minutes (each escape's
    position was found by re-walking the string from its start). The report
    shows the first 1,000 findings of a file, and says there were more."""
    data = b'party a { role: team\n  contact: "' + b"\\q" * 30_000 + b'" }\n'
    result, seconds = lint_bytes(data)
    escapes = [f for f in result.findings if f.code == "SL001"]
    assert len(escapes) == 1_000
    assert [(f.span.line, f.span.column) for f in (escapes[0], escapes[-1])] == [(2, 13), (2, 13 + 2 * 999)]
    assert any("more than 1,000 findings" in warning for warning in result.warnings)
    assert seconds < SECONDS_PER_INPUT, f"took {seconds:.1f} s"


def test_a_string_over_the_length_limit_is_not_even_decoded():
    """Measured as written: a 5 MiB string of unknown escapes is one SL003, in well under a second."""
    data = b'party a { role: team\n  contact: "' + b"\\q" * 2_000_000 + b'" }\n'
    result, seconds = lint_bytes(data)
    assert [(f.code, f.span.line, f.span.column) for f in result.findings] == [("SL003", 2, 12)]
    assert seconds < SECONDS_PER_INPUT, f"took {seconds:.1f} s"


def test_unknown_escapes_in_a_long_string_point_at_their_lines():
    text = 'party a { role: team\n  contact: """\n    one \\q\n    two \\w and \\e\n    """ }\n'
    result, _ = lint_bytes(text.encode())
    assert [(f.code, f.span.line, f.span.column, f.message[:19]) for f in result.findings] == [
        ("SL001", 3, 9, "unknown escape '\\q'"),
        ("SL001", 4, 9, "unknown escape '\\w'"),
        ("SL001", 4, 16, "unknown escape '\\e'"),
    ]


@given(st.binary(max_size=2048))
@scaled(50, share=0.25)
def test_random_bytes(data):
    """Not agreements at all: whatever the bytes, a finding or a clean file."""
    TRIED["random-bytes"] += 1
    check_input(data, "random bytes")


# -- SLO files ----------------------------------------------------------------------------

SLO_FIXTURES = sorted((Path(__file__).resolve().parent / "fixtures" / "slo").iterdir())
SLO_AGREEMENT = (
    'party c { role: customer }\nparty p { role: provider }\nsla gold { provider: p  customer: c  version: "1"\n'
    "  effective: 2026-01-01\n  service api {\n"
    '    objective availability { target: >= 99.9%  window: 30d  slo: "slo/x.yaml" }\n'
    '    objective latency { target: <= 300ms  percentile: 99  window: 30d  slo: "slo/x.yaml#{name}" }\n'
    "  } }\n"
)


@given(
    st.sampled_from(SLO_FIXTURES),
    st.lists(st.tuples(st.integers(0, 4_000), st.integers(0, 255)), max_size=8),
    st.integers(0, 4_000),
    st.sampled_from(["x", "requests-availability", "service-availability/2", "search-slo/Good experience"]),
)
@scaled(100, share=0.5)
def test_mutated_slo_files_never_crash(path, flips, cut, name):
    """An SLO file that objectives name, with bytes flipped and cut short: the
    rules give SL702 (with a position in the SLO file) or compare, and every
    finding points into the agreement."""
    from sla_lang.slo.files import MemoryFiles

    TRIED["slo-files"] += 1
    data = bytearray(path.read_bytes())
    for offset, value in flips:
        if data:
            data[offset % len(data)] = value
    text = bytes(data[: cut or len(data)]).decode("utf-8", "replace")
    source = SourceFile("a.sla", SLO_AGREEMENT.replace("{name}", name))
    started = time.monotonic()
    try:
        files = MemoryFiles({"slo/x.yaml": text})
        findings = analyse([source], builtin_rules(), TODAY, slo_files=lambda: files).findings
    except Exception:
        _keep_crash(text.encode("utf-8"), f"SLO file from {path.name}")
        raise
    assert time.monotonic() - started < SECONDS_PER_INPUT
    assert_inside(findings, {"a.sla": source.text})
    assert not [f for f in findings if f.code.startswith("SL0")]
