"""What the annotated fixtures of the objectives (SL3) and completeness (SL5)
packs cannot say: per-finding severities, the numbers in messages, and that
every rule of both packs fires somewhere under examples/."""

from __future__ import annotations

import datetime
import os

from conftest import FIXTURES, PROJECT, lint_files

from sla_lang.config.settings import Settings
from sla_lang.lint import LintRequest, lint

TODAY = datetime.date(2026, 6, 1)
OBJECTIVES_CODES = [f"SL30{n}" for n in range(1, 9)]
COMPLETENESS_CODES = [f"SL50{n}" for n in range(1, 10)] + ["SL510"]

HEAD = """party c { role: customer }
party p { role: provider }
sla a { provider: p  customer: c  version: "1"  effective: 2026-01-01
  service s { hours: 24x7
"""


def _findings(tmp_path, text: str, select: str):
    result = lint_files({"t.sla": text}, tmp_path, settings=Settings(select=[select]), today=TODAY)
    return result.findings


def test_sl302_is_an_error_on_percent_metrics_and_a_warning_on_others(tmp_path):
    text = (FIXTURES / "rules" / "objectives" / "window.sla").read_text(encoding="utf-8")
    found = {f.message.split("'")[1]: f.severity for f in _findings(tmp_path, text, "SL302")}
    assert found == {"availability": "error", "errors": "error", "p1_response": "warning", "orders_per_hour": "warning"}


def test_sl304_gives_the_computed_error_budget(tmp_path):
    text = HEAD + 'objective availability { target: >= 99.999%  window: 30d  measurement: "probe" } } }\n'
    (finding,) = _findings(tmp_path, text, "SL304")
    assert "25.92 seconds" in finding.message
    assert "99.999%" in finding.message


def test_sl304_budget_arithmetic_is_exact(tmp_path):
    # 99.99% over 30 days leaves 4.32 minutes; 99.9% over 1000min leaves exactly 60 s: neither fires.
    for target, window in (("99.99%", "30d"), ("99.9%", "1000min"), ("99.95%", "1mo")):
        text = (
            HEAD + f'objective availability {{ target: >= {target}  window: {window}  measurement: "probe" }} }} }}\n'
        )
        assert _findings(tmp_path, text, "SL304") == [], (target, window)


def test_sl304_reports_a_100_percent_target_once(tmp_path):
    text = HEAD + 'objective availability { target: >= 100%  window: 30d  measurement: "probe" } } }\n'
    (finding,) = _findings(tmp_path, text, "SL304")
    assert "100%" in finding.message and "error budget" not in finding.message


def test_sl509_threshold_equal_to_the_target_is_fine(tmp_path):
    text = (
        HEAD
        + "objective availability { target: >= 99.95%  window: 30d } }\n"
        + "  credits { credit { when: s.availability < 99.95%; amount: 10% } } }\n"
    )
    assert _findings(tmp_path, text, "SL509") == []


def test_every_rule_of_both_packs_fires_under_examples():
    cwd = os.getcwd()
    os.chdir(PROJECT)
    try:
        result = lint(LintRequest(paths=["examples"], today=TODAY))
    finally:
        os.chdir(cwd)
    fired = {f.code for f in result.findings}
    missing = [code for code in OBJECTIVES_CODES + COMPLETENESS_CODES if code not in fired]
    assert missing == []
    clean = ("examples/payments.sla", "examples/service-desk.sla")
    assert [f"{f.span.path}:{f.span.line} {f.code}" for f in result.findings if f.span.path in clean] == []
