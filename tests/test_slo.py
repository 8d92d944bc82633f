"""The SLOs behind the promises (SL701-SL705): the OpenSLO, Sloth and Pyrra
readers on files shaped like each project's own examples (tests/fixtures/slo/,
each naming the upstream file it follows), each rule firing and its near
misses staying clean, hostile SLO files giving SL702 with a position, and SLO
files in the git-aware gate (--new-since, named files, the hooks)."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PROJECT, run_cli

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, lint
from sla_lang.reading.yamldocs import load_documents
from sla_lang.slo.formats import entries_of
from sla_lang.values import Duration

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "slo"
TODAY = datetime.date(2026, 6, 1)
HEAD = """\
party c { role: customer }
party p { role: provider }
sla gold { provider: p  customer: c  version: "1"  effective: 2026-01-01
  service api {
"""


def read(name: str):
    """[(format, name, window, [(label, target, threshold)], line, column, problem)] of a fixture."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [
        (
            e.format,
            e.name,
            None if e.window is None else str(e.window),
            [(o.label, o.target, o.threshold) for o in e.objectives],
            e.line,
            e.column,
            e.problem,
        )
        for e in entries_of(load_documents(text, name))
    ]


# -- readers ------------------------------------------------------------------------------


def test_openslo_with_an_inline_threshold_sli():
    assert read("openslo-occurrences.yaml") == [
        ("openslo", "search-slo", "2w", [("Good experience", Decimal("99.00"), Decimal("0.5"))], 7, 9, None)
    ]


def test_openslo_calendar_month_several_objectives_and_an_sli_document_passed_over():
    assert read("openslo-timeslices.yaml") == [
        (
            "openslo",
            "service-availability",
            "1mo",  # `M` is a 30-day month
            [("Internal objective", Decimal("99.500"), None), ("SLA", Decimal("99.00"), None)],
            24,
            9,
            None,
        )
    ]


def test_the_openslo_com_dialect_without_optional_fields():
    assert read("openslo-dialect.yaml") == [
        ("openslo", "api-availability", None, [(None, Decimal("99.95"), None)], 7, 9, None)
    ]


def test_sloth_spec_has_thirty_days():
    assert read("sloth-getting-started.yml") == [
        ("sloth", "requests-availability", "30d", [(None, Decimal("99.9"), None)], 13, 11, None)
    ]


def test_sloth_resource_with_shared_alerting_anchor():
    assert read("sloth-k8s.yml") == [
        ("sloth", "requests-availability", "30d", [(None, Decimal("99.95"), None)], 14, 13, None),
        ("sloth", "requests-latency", "30d", [(None, Decimal("99"), None)], 29, 13, None),
    ]


def test_sloth_several_documents():
    names = [(entry[1], entry[3][0][1], entry[4]) for entry in read("sloth-multifile.yml")]
    assert names == [("requests-availability", Decimal("99.9"), 7), ("requests-availability", Decimal("99.99"), 22)]


def test_pyrra_latency_threshold_from_the_le_label():
    assert read("pyrra-caddy-latency.yaml") == [
        ("pyrra", "caddy-response-latency", "4w", [(None, Decimal("90"), Decimal("0.05"))], 6, 9, None)
    ]


def test_pyrra_ratio_and_native_latency():
    assert read("pyrra-kubernetes.yaml") == [
        ("pyrra", "coredns-response-errors", "2w", [(None, Decimal("99.99"), None)], 10, 9, None),
        ("pyrra", "pyrra-connect-native-latency", "28d", [(None, Decimal("99.5"), Decimal("0.200"))], 26, 9, None),
    ]


def test_numbers_are_exact_decimals_and_windows_have_the_lengths_of_window():
    text = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n"
        "  timeWindow: [{duration: 1Q}]\n  objectives: [{target: 0.999}]\n"
    )
    (entry,) = entries_of(load_documents(text, "x"))
    assert entry.objectives[0].target == Decimal("99.9")  # not 99.90000000000000568...
    assert entry.window == Duration(Decimal(91), "d")
    minutes = text.replace("1Q", "90m")
    assert entries_of(load_documents(minutes, "x"))[0].window == Duration(Decimal(90), "min")


# -- the rules ----------------------------------------------------------------------------


def check(tmp_path, monkeypatch, objectives: str, files: dict, extra: str = "", codes="SL7", **options):
    """Lint a.sla (HEAD, the objectives, `extra` after the SLA) beside `files`; [(code, line, column, message)]."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")
    (tmp_path / "a.sla").write_text(HEAD + objectives + "  } }\n" + extra, encoding="utf-8")
    result = lint(LintRequest(["a.sla"], options.pop("settings", Settings()), today=TODAY, **options))
    check.result = result
    return [(f.code, f.span.line, f.span.column, f.message) for f in result.findings if f.code.startswith(codes)]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def sloth(objective: str, name: str = "x") -> str:
    return f'version: "prometheus/v1"\nservice: s\nslos:\n  - name: "{name}"\n    objective: {objective}\n'


def openslo(target: str, window: str | None = "30d", extra: str = "") -> str:
    windows = f"  timeWindow:\n    - duration: {window}\n      isRolling: true\n" if window else ""
    return (
        f"apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec:\n  indicatorRef: good\n{windows}"
        f"  objectives:\n    - target: {target}\n{extra}"
    )


AVAILABILITY = '    objective availability {{ target: >= {target}  window: {window}  slo: "slo/x.yaml#x" }}\n'


def availability(target="99.95%", window="30d") -> str:
    return AVAILABILITY.format(target=target, window=window)


def test_sl703_an_slo_weaker_than_the_promise(tmp_path, monkeypatch):
    assert check(tmp_path, monkeypatch, availability(), {"slo/x.yaml": sloth("99.9")}) == [
        (
            "SL703",
            5,
            62,
            "SLO 'x' (slo/x.yaml) aims at 99.9% over 30d, weaker than the 99.95% availability that SLA 'gold' "
            "promises: it alerts only after the promise is broken; tighten the SLO",
        )
    ]
    assert [f.related for f in check.result.findings if f.code == "SL703"] == [("slo/x.yaml",)]


def test_sl704_an_slo_exactly_at_the_promise_read_as_an_exact_decimal(tmp_path, monkeypatch):
    # As binary floats 1 - 0.999 is 0.0010000000000000009: more than the promise's 0.1%, SL703.
    assert check(tmp_path, monkeypatch, availability("99.9%"), {"slo/x.yaml": openslo("0.999")}) == [
        (
            "SL704",
            5,
            61,
            "SLO 'x' (slo/x.yaml) aims at 99.9% over 30d, exactly the 99.9% availability that SLA 'gold' promises: "
            "its error budget runs out at the moment the promise breaks, with no time to act; aim the SLO a little "
            "higher",
        )
    ]


def test_a_stricter_slo_is_clean(tmp_path, monkeypatch):
    assert check(tmp_path, monkeypatch, availability("99.9%"), {"slo/x.yaml": openslo("0.9991")}) == []
    assert check(tmp_path, monkeypatch, availability("99.9%"), {"slo/x.yaml": sloth("99.95")}) == []


def test_sl703_by_the_window_rule(tmp_path, monkeypatch):
    # 99.99% over 365 d allows 0.01% of 31,536,000 s = 3,153.6 s (52 min 33.6 s); 99.9% over
    # 30 d allows 2,592 s (43 min 12 s); worst 30 d: 100% - 0.01% x 365/30 = 99.8783...%.
    found = check(tmp_path, monkeypatch, availability("99.9%"), {"slo/x.yaml": openslo("0.9999", "1Y")})
    assert found == [
        (
            "SL703",
            5,
            61,
            "SLO 'x' (slo/x.yaml) aims at 99.99% over 1y, weaker than the 99.9% availability that SLA 'gold' "
            "promises: that allows 52 min 33.6 s of downtime, all of which may fall into one 30d window, where "
            "43 min 12 s is allowed (99.878% in the worst 30d): it alerts only after the promise is broken; "
            "tighten the SLO",
        )
    ]


def test_sl704_when_a_longer_window_allows_exactly_the_shortfall(tmp_path, monkeypatch):
    # 0.01% of 365 d = 3,153.6 s = 0.1% of 876 h: the same allowed downtime.
    found = check(tmp_path, monkeypatch, availability("99.9%", "876h"), {"slo/x.yaml": openslo("0.9999", "1Y")})
    assert [code for code, *_ in found] == ["SL704"]


def test_a_missing_window_compares_targets_as_written(tmp_path, monkeypatch):
    found = check(
        tmp_path,
        monkeypatch,
        availability().replace("#x", "#api-availability"),
        {"slo/x.yaml": fixture("openslo-dialect.yaml")},
    )
    assert [(code, message[:54]) for code, _, _, message in found] == [
        ("SL704", "SLO 'api-availability' (slo/x.yaml) aims at 99.95% (no")
    ]


def test_lower_is_better_percent_metrics_take_the_share_of_errors(tmp_path, monkeypatch):
    def errors(target: str):
        objective = f'    objective error_rate {{ target: <= {target}  window: 30d  slo: "slo/x.yaml#x" }}\n'
        return [code for code, *_ in check(tmp_path, monkeypatch, objective, {"slo/x.yaml": sloth("99.5")})]

    assert errors("0.5%") == ["SL704"]  # 100% - 99.5%
    assert errors("1%") == []
    assert errors("0.1%") == ["SL703"]


LATENCY = '    objective latency {{ target: <= {target}  percentile: {percentile}  window: 4w  slo: "{link}" }}\n'


def latency(target: str, percentile: str, link: str = "slo/x.yaml#caddy-response-latency") -> str:
    return LATENCY.format(target=target, percentile=percentile, link=link)


def test_latency_slos_by_threshold_and_ratio(tmp_path, monkeypatch):
    files = {"slo/x.yaml": fixture("pyrra-caddy-latency.yaml")}  # 90% within 0.05 s
    assert check(tmp_path, monkeypatch, latency("100ms", "90"), files) == []
    assert [code for code, *_ in check(tmp_path, monkeypatch, latency("50ms", "90"), files)] == ["SL704"]
    assert check(tmp_path, monkeypatch, latency("40ms", "90"), files) == [
        (
            "SL703",
            5,
            70,
            "SLO 'caddy-response-latency' (slo/x.yaml) aims at p90 latency <= 0.05s over 4w, weaker than the p90 "
            "latency <= 40ms that SLA 'gold' promises: it alerts only after the promise is broken; tighten the SLO",
        )
    ]
    assert check(tmp_path, monkeypatch, latency("100ms", "95"), files) == [
        (
            "SL703",
            5,
            71,
            "SLO 'caddy-response-latency' (slo/x.yaml) aims at p90 latency <= 0.05s over 4w, but SLA 'gold' promises "
            "p95 latency <= 100ms, which holds for 95% of events: it alerts only after the promise is broken; raise "
            "the SLO's target to at least 95%",
        )
    ]


def test_an_openslo_objective_named_by_display_name_or_position(tmp_path, monkeypatch):
    files = {"slo/x.yaml": fixture("openslo-timeslices.yaml")}  # 99.5% (Internal objective), 99% (SLA), 1M
    link = '    objective availability {{ target: >= 99%  window: 30d  slo: "slo/x.yaml#service-availability{}" }}\n'
    assert [code for code, *_ in check(tmp_path, monkeypatch, link.format("/SLA"), files)] == ["SL704"]
    assert check(tmp_path, monkeypatch, link.format("/1"), files) == []
    assert check(tmp_path, monkeypatch, link.format(""), files) == [
        (
            "SL705",
            5,
            59,
            "SLO 'service-availability' in slo/x.yaml has 2 objectives: name the one that watches this objective as "
            "'#service-availability/DISPLAYNAME' or '#service-availability/POSITION'",
        )
    ]
    assert check(tmp_path, monkeypatch, link.format("/3"), files) == [
        (
            "SL702",
            5,
            59,
            "SLO 'service-availability' in slo/x.yaml has no objective '3' (its objectives: 'Internal objective', "
            "'SLA')",
        )
    ]


def test_sl705_what_an_slo_cannot_watch(tmp_path, monkeypatch):
    files = {"slo/x.yaml": sloth("99.9")}
    found = check(tmp_path, monkeypatch, latency("300ms", "99", "slo/x.yaml#x"), files)
    assert [(code, message[:60]) for code, _, _, message in found] == [
        ("SL705", "SLO 'x' (slo/x.yaml) has no latency threshold (OpenSLO op: l")
    ]
    business = (
        '    hours: 24x7  business_hours: mon-fri 08:00-18:00  timezone: "Europe/Berlin"\n'
        '    objective response_time { target: <= 4bh  percentile: 90  window: 30d  slo: "slo/x.yaml#x" }\n'
    )
    found = check(tmp_path, monkeypatch, business, files)
    assert [(code, message[-49:]) for code, _, _, message in found] == [
        ("SL705", "time <= 4bh in business time: no SLO can watch it")
    ]
    caddy = {"slo/x.yaml": fixture("pyrra-caddy-latency.yaml")}
    found = check(tmp_path, monkeypatch, availability().replace("#x", "#caddy-response-latency"), caddy)
    assert [code for code, *_ in found] == ["SL705"]


def test_sl701_speaks_once_the_provider_links_slos(tmp_path, monkeypatch):
    objectives = availability("99.9%") + "    objective error_rate { target: <= 1%  window: 30d }\n"
    objectives += "    objective latency { target: <= 300ms  percentile: 99  window: 30d }\n"
    contract = (
        'party s { role: supplier }\ncontract uc { provider: p  customer: c  version: "1"  effective: 2026-01-01\n'
        "  service x { objective availability { target: >= 99.9%  window: 30d } } }\n"
        'sla other { provider: s  customer: c  version: "1"  effective: 2026-01-01\n'
        "  service y { objective availability { target: >= 99.9%  window: 30d } } }\n"
    )
    found = check(tmp_path, monkeypatch, objectives, {"slo/x.yaml": sloth("99.95")}, contract)
    assert found == [
        (
            "SL701",
            6,
            15,
            "objective 'error_rate' of service 'api' in SLA 'gold' names no SLO, while other objectives of its "
            "provider 'p' do: add slo: \"PATH#NAME\" with the SLO that watches it, so that operations hear of a "
            "breach before the customer does",
        )
    ]  # not the latency objective, the contract's, nor those of a provider that links no SLO
    assert check(tmp_path, monkeypatch, objectives.replace(' slo: "slo/x.yaml#x"', ""), {}) == []


def test_names_bare_paths_and_duplicates(tmp_path, monkeypatch):
    one = '    objective availability { target: >= 99.9%  window: 30d  slo: "slo/x.yaml" }\n'
    assert check(tmp_path, monkeypatch, one, {"slo/x.yaml": sloth("99.95")}) == []
    assert check(tmp_path, monkeypatch, one, {"slo/x.yaml": fixture("sloth-k8s.yml")}) == [
        (
            "SL702",
            5,
            61,
            "slo/x.yaml holds 2 SLOs ('requests-availability', 'requests-latency'): name one after '#'",
        )
    ]
    twice = one.replace('x.yaml"', 'x.yaml#requests-availability"')
    assert check(tmp_path, monkeypatch, twice, {"slo/x.yaml": fixture("sloth-multifile.yml")}) == [
        (
            "SL702",
            5,
            61,
            "slo/x.yaml holds several SLOs named 'requests-availability' (lines 7, 22): keep one of the names",
        )
    ]
    typo = one.replace('x.yaml"', 'x.yaml#requests-availabilty"')
    assert check(tmp_path, monkeypatch, typo, {"slo/x.yaml": fixture("sloth-k8s.yml")}) == [
        (
            "SL702",
            5,
            61,
            "slo/x.yaml holds no SLO named 'requests-availabilty'; did you mean 'requests-availability'? (it holds "
            "'requests-availability', 'requests-latency')",
        )
    ]


def test_packs_see_the_resolved_slo(tmp_path, monkeypatch):
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: house\nrules:\n  - code: H001\n    name: slo-from-sloth\n    severity: info\n    scope: objective\n"
        '    where: slo != null\n    assert: slo.format != "sloth"\n'
        '    message: "{slo.name} in {slo.file}: {slo.format}, {slo.target} over {slo.window}"\n',
        encoding="utf-8",
    )
    settings = Settings()
    settings.policies = [str(pack)]
    monkeypatch.chdir(tmp_path)
    found = check(
        tmp_path, monkeypatch, availability("99.9%"), {"slo/x.yaml": sloth("99.95")}, codes="H0", settings=settings
    )
    assert found == [("H001", 5, 5, "x in slo/x.yaml: sloth, 99.95% over 30d")]


# -- hostile SLO files --------------------------------------------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]\n" for i in range(8)
)

HOSTILE = [
    ("not-yaml", "a: [\n", "slo/x.yaml:2:1: invalid YAML: did not find expected node content"),
    (
        "tag",
        "version: !!python/object:os.system x\n",
        "slo/x.yaml:1:10: YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed here",
    ),
    (
        "alias-bomb",
        BOMB,
        "slo/x.yaml:6:8: more than 100,000 values, lists and mappings, aliases counted as what they repeat: far more "
        "than an SLO file holds",
    ),
    (
        "ten-megabytes",
        b"#" * (10 * 1024 * 1024),
        "cannot read the SLO file slo/x.yaml: file is 10,485,760 bytes, over the 5,242,880-byte limit (pass "
        "--max-file-size if it is really that large)",
    ),
    ("not-utf-8", b"name: \xff\n", "slo/x.yaml:1:1: the SLO file is not valid UTF-8 (offset 6)"),
    ("wrong-type", sloth("high"), "slo/x.yaml:5:16: SLO 'x': 'objective' must be a number, not 'high'"),
    ("quoted-number", sloth('"99.9"'), "slo/x.yaml:5:16: SLO 'x': 'objective' must be a number, not '99.9'"),
    ("out-of-range", openslo("1.5"), "slo/x.yaml:11:15: SLO 'x': 'target' must be in [0, 1), not 1.5"),
    (
        "both-targets",
        openslo("0.99", extra="      targetPercent: 99\n"),
        "slo/x.yaml:11:7: SLO 'x': an objective needs exactly one of 'target' (0 to 1) and 'targetPercent'",
    ),
    (
        "objectives-not-a-list",
        openslo("0.99").split("  objectives")[0] + "  objectives: 5\n",
        "slo/x.yaml:10:15: SLO 'x': 'objectives' must be a list of one or more objectives",
    ),
    (
        "bad-window",
        openslo("0.99", "1x"),
        "slo/x.yaml:8:17: SLO 'x': 'duration' must be a number and one of m, h, d, w, M, Q, Y (28d, 1M), not '1x'",
    ),
    (
        "pyrra-window",
        fixture("pyrra-caddy-latency.yaml").replace("4w", "1month"),
        "slo/x.yaml:17:11: SLO 'caddy-response-latency': 'window' must be a Prometheus duration such as 4w, 30d or "
        "1w2d, not '1month'",
    ),
    (
        "old-openslo",
        openslo("0.99").replace("openslo/v1", "openslo/v1alpha"),
        "slo/x.yaml:1:1: SLO 'x': OpenSLO version 'openslo/v1alpha' is not supported: slalint reads openslo/v1",
    ),
    ("empty", "", "slo/x.yaml holds no OpenSLO, Sloth or Pyrra SLO"),
    ("duplicate-key", "version: a\nversion: b\n", "slo/x.yaml:2:1: duplicate key: version"),
]


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_a_hostile_slo_file_is_sl702_with_its_position(tmp_path, monkeypatch, name, content, message):
    link = "#caddy-response-latency" if name == "pyrra-window" else "#x"
    started = time.monotonic()
    found = check(tmp_path, monkeypatch, availability().replace("#x", link), {"slo/x.yaml": content})
    assert time.monotonic() - started < 5
    assert [(code, message) for code, _, _, message in found] == [("SL702", message)]


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("../outside.yaml#x", "cannot read the SLO file ../outside.yaml: it is outside the workspace root"),
        ("slo/../../outside.yaml#x", "cannot read the SLO file ../outside.yaml: it is outside the workspace root"),
        (
            "/etc/passwd#x",
            "slo '/etc/passwd#x' is not a relative path with '/' separators: name the SLO file from this file's folder",
        ),
        (
            "slo\\\\x.yaml#x",
            "slo 'slo\\x.yaml#x' is not a relative path with '/' separators: name the SLO file from this file's folder",
        ),
        ("#x", "slo '#x' names no file: write a path relative to this file, then '#' and the name"),
        ("slo/missing.yaml#x", "cannot read the SLO file slo/missing.yaml: no such file"),
    ],
)
def test_paths_stay_inside_the_workspace(tmp_path, monkeypatch, link, message):
    workspace = tmp_path / "ws"
    (tmp_path / "outside.yaml").write_text(sloth("99.99"), encoding="utf-8")
    objective = availability().replace("slo/x.yaml#x", link)
    assert [(c, m) for c, _, _, m in check(workspace, monkeypatch, objective, {})] == [("SL702", message)]


def test_a_symbolic_link_out_of_the_workspace_is_not_followed(tmp_path, monkeypatch):
    workspace = tmp_path / "ws"
    (workspace / "slo").mkdir(parents=True)
    (tmp_path / "secret.yaml").write_text(sloth("99.99"), encoding="utf-8")
    (workspace / "slo" / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    assert [(c, m) for c, _, _, m in check(workspace, monkeypatch, availability(), {})] == [
        (
            "SL702",
            "cannot read the SLO file slo/x.yaml: it is a symbolic link to a place outside the workspace root; "
            "slalint does not follow it",
        )
    ]
    (workspace / "slo" / "inside.yaml").write_text(sloth("99.99"), encoding="utf-8")
    (workspace / "slo" / "x.yaml").unlink()
    (workspace / "slo" / "x.yaml").symlink_to(workspace / "slo" / "inside.yaml")
    assert check(workspace, monkeypatch, availability(), {}) == []  # a link inside the workspace is fine


def test_deep_nesting_is_refused_with_a_position(tmp_path, monkeypatch):
    # libyaml stops at its own depth limit before the event checks see the 41st level.
    found = check(tmp_path, monkeypatch, availability(), {"slo/x.yaml": "[" * 100_000})
    assert [(code, message[:13]) for code, _, _, message in found] == [("SL702", "slo/x.yaml:1:")]
    assert "nesting" in found[0][3]


# -- reading once, caching by content ------------------------------------------------------


def test_a_file_is_read_once_per_run_and_cached_by_content(tmp_path, monkeypatch):
    from sla_lang.slo import resolve

    parsed = []
    original = resolve._parse
    monkeypatch.setattr(resolve, "_parse", lambda data: parsed.append(data) or original(data))
    twice = availability() + availability().replace("availability {", "durability {")
    files = {"slo/x.yaml": sloth("99.991"), "slo/copy.yaml": sloth("99.991")}
    assert check(tmp_path, monkeypatch, twice.replace("x.yaml", "copy.yaml", 1), files) == []
    assert len(parsed) == 1  # two files of the same bytes, three names: one parse
    assert check(tmp_path, monkeypatch, twice, files) == []
    assert len(parsed) == 1  # the next run reads it from the parse cache
    settings = Settings()
    settings.cache = False
    assert check(tmp_path, monkeypatch, twice, files, settings=settings) == []
    assert len(parsed) == 2


def test_changing_the_slo_file_changes_the_result(tmp_path, monkeypatch):
    """The result cache covers agreement files only: with an `slo` it is not used."""
    assert check(tmp_path, monkeypatch, availability(), {"slo/x.yaml": sloth("99.99")}) == []
    assert [code for code, *_ in check(tmp_path, monkeypatch, availability(), {"slo/x.yaml": sloth("99.9")})] == [
        "SL703"
    ]


# -- the git-aware gate --------------------------------------------------------------------


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_new_since_reads_slo_files_at_the_ref(tmp_path):
    (tmp_path / "slo").mkdir()
    (tmp_path / "a.sla").write_text(HEAD + availability() + "  } }\n", encoding="utf-8")
    (tmp_path / "slo" / "x.yaml").write_text(sloth("99.99"), encoding="utf-8")
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-qm", "one", cwd=tmp_path)
    arguments = ("check", "--new-since", "HEAD", "--today", "2026-06-01", "--format", "concise", "--select", "SL7")
    unchanged = run_cli(*arguments, cwd=tmp_path)
    assert (unchanged.returncode, unchanged.stdout) == (0, b"")
    (tmp_path / "slo" / "x.yaml").write_text(sloth("99.9"), encoding="utf-8")  # weakened, not committed
    weakened = run_cli(*arguments, cwd=tmp_path)
    assert weakened.returncode == 1
    assert weakened.stdout.decode().startswith("a.sla:5:62: SL703 [error] SLO 'x' (slo/x.yaml) aims at 99.9%")


def test_a_named_slo_file_reports_the_findings_that_involve_it(tmp_path):
    (tmp_path / ".slalint.yaml").write_text("fail-on: error\n", encoding="utf-8")
    (tmp_path / "slo").mkdir()
    (tmp_path / "a.sla").write_text(HEAD + availability() + "  } }\n", encoding="utf-8")
    (tmp_path / "slo" / "x.yaml").write_text(sloth("99.9"), encoding="utf-8")
    (tmp_path / "slo" / "other.yaml").write_text(sloth("99.9"), encoding="utf-8")
    arguments = ("--today", "2026-06-01", "--format", "concise", "--select", "SL7")
    named = run_cli("check", "slo/x.yaml", *arguments, cwd=tmp_path)
    assert named.returncode == 1
    assert named.stdout.decode().splitlines()[0].startswith("a.sla:5:62: SL703 [error]")
    other = run_cli("check", "slo/other.yaml", *arguments, cwd=tmp_path)
    assert (other.returncode, other.stdout) == (0, b"")


def test_the_files_hook_runs_when_a_yaml_file_is_staged():
    hooks = (PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "  files: \\.(sla|ya?ml)$\n" in hooks
    assert "  always_run: true\n" in hooks  # the gate runs on every commit, a YAML-only one too


def test_the_examples_show_each_rule():
    monkey = os.getcwd()
    os.chdir(PROJECT)
    try:
        result = lint(LintRequest(["examples/operations"], Settings(root="examples"), today=TODAY))
    finally:
        os.chdir(monkey)
    assert [(f.code, f.span.path, f.span.line) for f in result.findings] == [
        ("SL704", "examples/operations/operations.sla", 44),
        ("SL703", "examples/operations/operations.sla", 70),
        ("SL702", "examples/operations/slo-mistakes.sla", 23),
        ("SL705", "examples/operations/slo-mistakes.sla", 31),
        ("SL701", "examples/operations/slo-mistakes.sla", 34),
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_at_the_ref_a_link_is_not_followed(tmp_path):
    (tmp_path / "slo").mkdir()
    (tmp_path / "a.sla").write_text(HEAD + availability() + "  } }\n", encoding="utf-8")
    (tmp_path / "secret.yaml").write_text(sloth("99.99"), encoding="utf-8")
    (tmp_path / "slo" / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "-qm", "one", cwd=tmp_path)
    (tmp_path / "slo" / "x.yaml").unlink()
    (tmp_path / "slo" / "x.yaml").write_text(sloth("99.9"), encoding="utf-8")
    run = run_cli("check", "--new-since", "HEAD", "--today", "2026-06-01", "--format", "json", cwd=tmp_path)
    new = [(f["code"], f["message"][:40]) for f in json.loads(run.stdout)["findings"]]
    assert new == [("SL703", "SLO 'x' (slo/x.yaml) aims at 99.9% over ")]  # at HEAD: SL702, a link
    from sla_lang.reading.gitrefs import RefTree
    from sla_lang.slo.files import RefFiles

    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        files = RefFiles(RefTree("HEAD", str(tmp_path), "--new-since"), str(tmp_path), 1 << 20)
        assert files.read_all(["slo/x.yaml", "slo/none.yaml", "../x.yaml"]) == {
            "slo/x.yaml": "it is a symbolic link at HEAD; slalint does not follow it",
            "slo/none.yaml": "no such file at HEAD",
            "../x.yaml": "it is outside the workspace root",
        }
    finally:
        os.chdir(previous)
