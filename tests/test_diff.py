"""`slalint diff`: one before/after pair per class of change, the window and
deadline comparisons, moves and reformatting, the formats and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sla_lang.diff.compare import compare
from sla_lang.many_files.workspace import workspace_of
from sla_lang.source import decode

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

BASE = """\
party acme "Acme Retail Ltd" { role: customer }
party it_org "Example Corp IT" { role: provider }
party dba "Database Team" { role: team  organization: it_org }

sla gold "Gold SLA" {
  provider: it_org
  customer: acme
  version: "2.1"
  effective: 2026-01-01
  expires: 2030-12-31
  review: 2030-06-30

  service api "API" {
    hours: 24x7
    business_hours: mon-fri 08:00-18:00
    timezone: "Europe/Berlin"
    holidays: [2026-12-24]
    objective availability {
      target: >= 99.9%
      window: 30d
      measurement: "Synthetic probe"
    }
    objective latency {
      target: <= 300ms
      percentile: 99
      window: 30d
      measurement: "Load balancer timing"
    }
    objective p1_response {
      metric: response_time
      priority: P1
      target: <= 4bh
      window: 1mo
      measurement: "Ticket timestamps"
    }
  }
  service portal "Portal" {
    hours: 24x7
    objective availability { target: >= 99.5%  window: 30d  measurement: "Probe" }
  }

  responsibilities customer { "Report incidents through the portal" }
  responsibilities provider { "Publish a monthly report" }
  exclusions { "Announced maintenance" }

  credits {
    cap: 50%
    credit { when: api.availability < 99.9%; amount: 10% }
    credit { when: api.availability < 99.0%; amount: 25% }
  }

  approval {
    signature acme { by: "Jane Doe"; date: 2025-12-15; version: "2.1" }
  }
}

ola db_ola "Database OLA" {
  provider: dba
  customer: it_org
  version: "1.0"
  effective: 2026-01-01
  expires: 2031-01-01
  supports: gold.api
  service db "Database" {
    hours: 24x7
    objective availability { target: >= 99.99%  window: 30d  measurement: "Replica checks" }
  }
}
"""


def workspace(files: dict[str, str]):
    return workspace_of([decode(path, text.encode(), 10_000_000) for path, text in files.items()])


def entries(old: str, new: str) -> list[tuple]:
    changes = compare(workspace({"a.sla": old}), workspace({"a.sla": new}))
    return [(c.path, c.old, c.new, c.kind, c.needs_reapproval) for c in changes]


def edited(*replacements: tuple[str, str]) -> str:
    text = BASE
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


P = "gold.api."


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        # weakening rows (the reverse edit is the strengthening row, checked below)
        ([("target: >= 99.9%", "target: >= 99.8%")], (P + "availability.target", ">= 99.9%", ">= 99.8%", "weakening")),
        ([("target: <= 300ms", "target: <= 1s")], (P + "latency.target", "<= 300ms", "<= 1s", "weakening")),
        ([("target: <= 4bh", "target: <= 8bh")], (P + "p1_response.target", "<= 4bh", "<= 8bh", "weakening")),
        ([("percentile: 99", "percentile: 95")], (P + "latency.percentile", "99", "95", "weakening")),
        (
            [('window: 30d\n      measurement: "Synthetic', 'window: 90d\n      measurement: "Synthetic')],
            (P + "availability.window", "30d", "90d", "weakening"),
        ),
        ([("cap: 50%", "cap: 40%")], ("gold.credits.cap", "50%", "40%", "weakening")),
        (
            [("amount: 25%", "amount: 20%")],
            ("gold.credits.api.availability", "< 99.9%: 10%, < 99%: 25%", "< 99.9%: 10%, < 99%: 20%", "weakening"),
        ),
        (
            [("    credit { when: api.availability < 99.0%; amount: 25% }\n", "")],
            ("gold.credits.api.availability", "< 99.9%: 10%, < 99%: 25%", "< 99.9%: 10%", "weakening"),
        ),
        (
            [("holidays: [2026-12-24]", "holidays: [2026-12-24, 2026-12-31]")],
            (P + "holidays", "none", "2026-12-31", "weakening"),
        ),
        (
            [('exclusions { "Announced maintenance" }', 'exclusions { "Announced maintenance" "Force majeure" }')],
            ("gold.exclusions", "none", '"Force majeure"', "weakening"),
        ),
        ([("expires: 2030-12-31", "expires: 2029-12-31")], ("gold.expires", "2030-12-31", "2029-12-31", "weakening")),
        (
            [("effective: 2026-01-01\n  expires: 2030", "effective: 2026-02-01\n  expires: 2030")],
            ("gold.effective", "2026-01-01", "2026-02-01", "weakening"),
        ),
        (
            [
                (
                    'responsibilities customer { "Report incidents through the portal" }',
                    'responsibilities customer { "Report incidents through the portal" "Keep a contact" }',
                )
            ],
            ("gold.responsibilities customer", "none", '"Keep a contact"', "weakening"),
        ),
        (
            [('responsibilities provider { "Publish a monthly report" }\n', "")],
            ("gold.responsibilities provider", '"Publish a monthly report"', "none", "weakening"),
        ),
        (
            [
                (
                    "    hours: 24x7\n    business_hours",
                    "    hours: 24x7\n    maintenance { window: sun 02:00-04:00 }\n    business_hours",
                )
            ],
            (P + "maintenance", "none", "present", "weakening"),
        ),
        (
            [('    objective availability { target: >= 99.5%  window: 30d  measurement: "Probe" }\n', "")],
            ("gold.portal.availability", "present", "none", "weakening"),
        ),
        (
            [("business_hours: mon-fri 08:00-18:00", "business_hours: mon-fri 09:00-17:00")],
            (P + "business_hours", "mon-fri 08:00-18:00", "mon-fri 09:00-17:00", "weakening"),
        ),
        (
            [
                (
                    "hours: 24x7\n    objective availability { target: >= 99.5%",
                    "hours: mon-fri 06:00-22:00\n    objective availability { target: >= 99.5%",
                )
            ],
            ("gold.portal.hours", "24x7", "mon-fri 06:00-22:00", "weakening"),
        ),
        # neutral rows
        (
            [('measurement: "Synthetic probe"', 'measurement: "Probe every minute"')],
            (P + "availability.measurement", '"Synthetic probe"', '"Probe every minute"', "neutral"),
        ),
        ([("review: 2030-06-30", "review: 2029-06-30")], ("gold.review", "2030-06-30", "2029-06-30", "neutral")),
        (
            [('sla gold "Gold SLA"', 'sla gold "Gold Service Agreement"')],
            ("gold.title", '"Gold SLA"', '"Gold Service Agreement"', "neutral"),
        ),
        # changed rows: cannot be ordered
        (
            [("metric: response_time\n      priority: P1", "metric: resolution_time\n      priority: P1")],
            (P + "p1_response.metric", "response_time", "resolution_time", "changed"),
        ),
        (
            [("provider: it_org\n  customer: acme", "provider: dba\n  customer: acme")],
            ("gold.provider", "it_org", "dba", "changed"),
        ),
        (
            [('timezone: "Europe/Berlin"', 'timezone: "Europe/London"')],
            (P + "timezone", '"Europe/Berlin"', '"Europe/London"', "changed"),
        ),
    ],
)
def test_each_class_row(replacements, expected):
    """Each edit gives exactly its one entry; the reverse edit the reverse class."""
    new = edited(*replacements)
    needs = expected[3] != "neutral"  # an active sla whose consent did not change
    assert entries(BASE, new) == [(*expected, needs)]
    reverse = {"weakening": "strengthening", "strengthening": "weakening"}.get(expected[3], expected[3])
    path, old, after, _ = expected
    if after == "present" or old == "present" or old == "none" or after == "none":
        return  # removals and additions are checked below as pairs
    assert entries(new, BASE) == [(path, after, old, reverse, needs)]


def test_additions_strengthen_removals_weaken():
    new = edited(('    objective availability { target: >= 99.5%  window: 30d  measurement: "Probe" }\n', ""))
    assert entries(new, BASE) == [("gold.portal.availability", "none", "present", "strengthening", True)]
    without_service = BASE.replace(BASE[BASE.index("  service portal") : BASE.index("  responsibilities customer")], "")
    assert entries(BASE, without_service) == [("gold.portal", "present", "none", "weakening", True)]


def test_maintenance_window_widened_weakens_and_moved_is_changed():
    add = (
        "    hours: 24x7\n    business_hours",
        "    hours: 24x7\n    maintenance { window: sun 02:00-04:00 }\n    business_hours",
    )
    before = edited(add)
    wider = before.replace("sun 02:00-04:00", "sun 01:00-05:00")
    moved = before.replace("sun 02:00-04:00", "sat 02:00-04:00")
    assert entries(before, wider) == [
        (P + "maintenance.window", "sun 02:00-04:00", "sun 01:00-05:00", "weakening", True)
    ]
    assert entries(wider, before)[0][3] == "strengthening"
    assert entries(before, moved) == [(P + "maintenance.window", "sun 02:00-04:00", "sat 02:00-04:00", "changed", True)]


@pytest.mark.parametrize(
    ("tiers", "kind"),
    [
        ("credit { when: api.availability < 99.5%; amount: 10% }", "weakening"),  # the threshold made worse
        ("credit { when: api.availability < 99.95%; amount: 10% }", "strengthening"),
        ("credit { when: api.availability <= 99.9%; amount: 10% }", "strengthening"),  # owes at 99.9% too
        ("credit { when: api.availability < 99.95%; amount: 5% }", "changed"),  # more often, but less
    ],
)
def test_one_objectives_credits_compare_as_a_schedule(tiers, kind):
    new = edited(("credit { when: api.availability < 99.9%; amount: 10% }", tiers))
    [(path, old, after, found, _)] = entries(BASE, new)
    assert (path, old, found) == ("gold.credits.api.availability", "< 99.9%: 10%, < 99%: 25%", kind)
    assert after == tiers.split("when: api.availability ")[1].replace("; amount:", ":").rstrip(" }") + ", < 99%: 25%"


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("amount: 1% per started 1h", "amount: 2% per started 1h", "strengthening"),
        # A begun hour no longer counts: 30 min of shortfall owed 1% and now owes nothing.
        ("amount: 1% per started 1h", "amount: 1% per 1h", "weakening"),
        ("amount: 100 per 1h", "amount: 100 per 30min", "strengthening"),
        ("p1_response > 1h  amount: 200", "p1_response > 1h  amount: 300", "strengthening"),
        # 2h 30min late owed 100 x 0 whole hours and now 500; 12 h late owed 100 x 10 and now 500.
        ("amount: 100 per 1h", "amount: 500", "changed"),
    ],
)
def test_credits_with_per_amounts_compare_as_a_schedule_by_what_evaluate_would_owe(before, after, kind):
    text = (EXAMPLES / "credits-and-acceptance.sla").read_text()
    changes = compare(workspace({"a.sla": text}), workspace({"a.sla": text.replace(before, after)}))
    assert [(c.path.rpartition(".credits")[2], c.kind) for c in changes] == [
        (".shop.availability" if "%" in before else " penalties.desk.p1_response", kind)
    ]


def test_status_maintenance_limits_and_claim():
    retired = edited(('version: "2.1"\n  effective', 'version: "2.1"\n  status: retired\n  effective'))
    # a retired sla is no longer active on the new side: nothing to re-approve
    assert entries(BASE, retired) == [("gold.status", '"active"', '"retired"', "weakening", False)]
    assert entries(retired, BASE) == [("gold.status", '"retired"', '"active"', "strengthening", True)]
    add = (
        "    hours: 24x7\n    business_hours",
        "    hours: 24x7\n    maintenance { window: sun 02:00-04:00  notice: 5d  limit: 4h }\n    business_hours",
    )
    before = edited(add)
    assert entries(before, before.replace("notice: 5d", "notice: 2d")) == [
        (P + "maintenance.notice", "5d", "2d", "weakening", True)
    ]
    assert entries(before, before.replace("limit: 4h", "limit: 8h")) == [
        (P + "maintenance.limit", "4h", "8h", "weakening", True)
    ]
    claimed = edited(("cap: 50%", "cap: 50%\n    claim: 30d"))
    assert entries(claimed, claimed.replace("claim: 30d", "claim: 14d")) == [
        ("gold.credits.claim", "30d", "14d", "weakening", True)
    ]


def test_a_new_supports_target_is_changed():
    new = edited(("supports: gold.api", "supports: gold.portal"))
    assert entries(BASE, new) == [
        ("db_ola.supports", "gold.api", "none", "weakening", False),
        ("db_ola.supports", "none", "gold.portal", "changed", False),
    ]


def test_supports_link_removed_weakens_the_supporter():
    new = edited(("  supports: gold.api\n", ""))
    assert entries(BASE, new) == [("db_ola.supports", "gold.api", "none", "weakening", False)]


def test_new_signature_is_neutral_and_a_changed_consent_clears_reapproval():
    signed = edited(
        (
            'signature acme { by: "Jane Doe"; date: 2025-12-15; version: "2.1" }',
            'signature acme { by: "Jane Doe"; date: 2025-12-15; version: "2.1" }\n'
            '    signature it_org { by: "John Roe"; date: 2025-12-14; version: "2.1" }',
        )
    )
    assert entries(BASE, signed) == [("gold.approval.signature it_org", "none", "present", "neutral", False)]
    reconsented = edited(
        ("target: >= 99.9%", "target: >= 99.8%"),
        ('date: 2025-12-15; version: "2.1"', 'date: 2026-03-01; version: "2.2"'),
    )
    assert entries(BASE, reconsented) == [
        (P + "availability.target", ">= 99.9%", ">= 99.8%", "weakening", False),
        ("gold.approval.signature acme.date", "2025-12-15", "2026-03-01", "neutral", False),
        ("gold.approval.signature acme.version", '"2.1"', '"2.2"', "neutral", False),
    ]


def test_window_change_on_a_percent_target_is_judged_by_allowed_shortfall():
    """99.9% over 30d allows 43.2 min of downtime. Over 90d, 99.99% allows 12.96 min,
    less in any 30 days: stronger. 99.95% allows 64.8 min, which may all fall into
    one 30-day window, while it promises more over 90 days than 99.9% a month does:
    neither backs the other."""
    old = "target: >= 99.9%\n      window: 30d"
    stronger = edited((old, "target: >= 99.99%\n      window: 90d"))
    assert entries(BASE, stronger) == [
        (P + "availability", "target: >= 99.9%, window: 30d", "target: >= 99.99%, window: 90d", "strengthening", True)
    ]
    unordered = edited((old, "target: >= 99.95%\n      window: 90d"))
    assert entries(BASE, unordered) == [
        (P + "availability", "target: >= 99.9%, window: 30d", "target: >= 99.95%, window: 90d", "changed", True)
    ]


def test_business_hours_against_clock_hours_by_deadline():
    """4bh (mon-fri 08-18) and 8h: 8h is later at Monday 08:00, 4bh later on a
    Friday evening, so neither backs the other; 4h is never later than 4bh."""
    assert entries(BASE, edited(("target: <= 4bh", "target: <= 8h"))) == [
        (P + "p1_response.target", "<= 4bh", "<= 8h", "changed", True)
    ]
    assert entries(BASE, edited(("target: <= 4bh", "target: <= 4h"))) == [
        (P + "p1_response.target", "<= 4bh", "<= 4h", "strengthening", True)
    ]


def test_moving_and_reformatting_give_no_entry():
    sla_start = BASE.index("sla gold")
    ola_start = BASE.index("ola db_ola")
    moved = {"parties.sla": BASE[:sla_start], "gold/sla.sla": BASE[sla_start:ola_start], "ola.sla": BASE[ola_start:]}
    reformatted = "# a comment\n" + BASE.replace("  ", "    ").replace("target: >= 99.9%", "target:>=99.9% # kept")
    assert compare(workspace({"a.sla": BASE}), workspace(moved)) == []
    assert compare(workspace({"a.sla": BASE}), workspace({"b.sla": reformatted})) == []


def test_every_example_against_itself_renamed_gives_no_entry_and_acceptances_compare():
    """Every construct of the examples (acceptances, credits per unit, maintenance...) is compared."""
    examples = sorted(EXAMPLES.glob("*.sla"))
    old = {str(path): path.read_text() for path in examples}
    new = {f"moved/{path.stem}-renamed.sla": path.read_text() for path in examples}
    assert compare(workspace(old), workspace(new)) == []
    text = (EXAMPLES / "credits-and-acceptance.sla").read_text()
    changed = text.replace('evidence: "PO 4711', 'evidence: "PO 4712')
    changes = compare(workspace({"a.sla": text}), workspace({"a.sla": changed}))
    assert [(c.path, c.old, c.new, c.kind, c.needs_reapproval) for c in changes] == [
        (
            "harbour_shop_hosting.approval.acceptance harbour_shop.evidence",
            '"PO 4711 of 15 December 2025"',
            '"PO 4712 of 15 December 2025"',
            "neutral",
            False,
        )
    ]


# -- the command -------------------------------------------------------------------------------


def slalint(*arguments, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "sla_lang", "diff", *arguments], capture_output=True, text=True, cwd=cwd, timeout=60
    )


@pytest.fixture
def sides(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "a.sla").write_text(BASE)
    (tmp_path / "new" / "b.sla").write_text(edited(("target: >= 99.9%", "target: >= 99.8%")))
    return tmp_path


def test_text_output_and_exit_codes(sides):
    result = slalint(str(sides / "old"), str(sides / "new"))
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "gold:\n"
        "  weakening     gold.api.availability.target: >= 99.9% -> >= 99.8%  (needs re-approval)\n"
        "\n1 weakening, 0 strengthening, 0 neutral, 0 changed\n"
    )
    assert slalint(str(sides / "old"), str(sides / "new"), "--fail-on", "never").returncode == 0
    assert slalint(str(sides / "new"), str(sides / "old")).returncode == 0  # a strengthening
    assert slalint(str(sides / "new"), str(sides / "old"), "--fail-on", "any").returncode == 1
    same = slalint(str(sides / "old"), str(sides / "old"), "--fail-on", "any")
    assert (same.returncode, same.stdout) == (0, "No semantic change.\n")


def test_json_output(sides):
    result = slalint(str(sides / "old"), str(sides / "new"), "--format", "json")
    assert json.loads(result.stdout) == {
        "version": 1,
        "summary": {"weakening": 1, "strengthening": 0, "neutral": 0, "changed": 0, "editorial": 0, "ignored": 0},
        "changes": [
            {
                "agreement": "gold",
                "path": "gold.api.availability.target",
                "old": ">= 99.9%",
                "new": ">= 99.8%",
                "class": "weakening",
                "needs_reapproval": True,
                "ignored": None,
            }
        ],
    }


def test_markdown_output_puts_weakenings_first_and_is_appended_to_the_step_summary(sides):
    (sides / "new" / "b.sla").write_text(
        edited(("cap: 50%", "cap: 60%"), ("target: >= 99.9%", "target: >= 99.8%"), ('"Synthetic probe"', '"a | b"'))
    )
    summary = sides / "summary.md"
    summary.write_text("earlier step\n")
    result = subprocess.run(
        [sys.executable, "-m", "sla_lang", "diff", str(sides / "old"), str(sides / "new"), "--format", "markdown"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)},
    )
    expected = (
        "## slalint diff\n\n### `gold`\n\n| what | old | new | class |\n|---|---|---|---|\n"
        "| `gold.api.availability.target` | `>= 99.9%` | `>= 99.8%` | **weakening**, needs re-approval |\n"
        "| `gold.credits.cap` | `50%` | `60%` | strengthening, needs re-approval |\n"
        '| `gold.api.availability.measurement` | `"Synthetic probe"` | `"a \\| b"` | neutral |\n\n'
        "1 weakening or unordered change(s) in 3 change(s); 2 need the customer's re-approval.\n"
    )
    assert (result.returncode, result.stdout) == (1, expected)
    assert summary.read_text() == "earlier step\n" + expected


def test_a_side_that_does_not_parse_is_exit_2_naming_the_file(sides):
    (sides / "new" / "broken.sla").write_text("sla x {\n  provider: \n")
    result = slalint(str(sides / "old"), str(sides / "new"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert re.fullmatch(r"slalint: \S*/new/broken\.sla:2:12: expected a value.*never closed\n", result.stderr)


def test_usage_errors_are_exit_2(sides):
    assert slalint(str(sides / "old")).returncode == 2
    assert slalint(str(sides / "old"), str(sides / "new"), "--fail-on", "sometimes").returncode == 2
    wrong_format = slalint(str(sides / "old"), str(sides / "new"), "--format", "xml")
    assert wrong_format.returncode == 2
    assert "--format must be text, markdown or json" in wrong_format.stderr


def git(*arguments, cwd):
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True)


def test_base_ref_is_read_from_git_objects_and_a_rename_is_no_change(tmp_path):
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "a.sla").write_text(BASE)
    git("add", ".", cwd=tmp_path)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one", cwd=tmp_path)
    (tmp_path / "a.sla").rename(tmp_path / "renamed.sla")
    start = time.monotonic()
    result = slalint("--base", "HEAD", cwd=tmp_path)
    assert time.monotonic() - start < 5
    assert (result.returncode, result.stdout, result.stderr) == (0, "No semantic change.\n", "")
    (tmp_path / "renamed.sla").write_text(edited(("cap: 50%", "cap: 40%")))
    result = slalint("--base", "HEAD", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert [c["path"] for c in json.loads(result.stdout)["changes"]] == ["gold.credits.cap"]
    assert slalint("--base", "nosuchref", cwd=tmp_path).returncode == 2


def commit(cwd, message: str) -> None:
    git("add", "-A", cwd=cwd)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message, cwd=cwd)
    git("tag", message.split(":")[0], cwd=cwd)


def test_a_renamed_file_a_moved_agreement_and_a_reformatted_file_are_only_editorial(tmp_path):
    sla_start, ola_start = BASE.index("sla gold"), BASE.index("ola db_ola")
    parties, gold, ola = BASE[:sla_start], BASE[sla_start:ola_start], BASE[ola_start:]
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "parties.sla").write_text(parties)
    (tmp_path / "gold.sla").write_text(gold)
    (tmp_path / "db.sla").write_text(ola)
    commit(tmp_path, "first: three files")
    (tmp_path / "olas").mkdir()
    git("mv", "db.sla", "olas/database.sla", cwd=tmp_path)
    commit(tmp_path, "second: a renamed file")
    (tmp_path / "gold.sla").unlink()
    (tmp_path / "parties.sla").write_text(parties + "\n" + gold)
    reformatted = "# Operated by the database team.\n" + ola.replace("  ", "    ").replace("\n}", "  # end\n}")
    (tmp_path / "olas" / "database.sla").write_text(reformatted)
    commit(tmp_path, "third: a moved agreement and a reformatted file")

    for ref in ("first", "second"):
        result = slalint("--base", ref, "--fail-on", "any", cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "No semantic change.\n", "")
    result = slalint("--base", "first", "--all", "--format", "json", "--fail-on", "any", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(c["path"], c["old"], c["new"], c["class"]) for c in report["changes"]] == [
        ("db_ola.file", "db.sla", "olas/database.sla", "editorial"),
        ("db_ola.text", "db.sla:1-12", "olas/database.sla:2-13", "editorial"),
        ("gold.file", "gold.sla", "parties.sla", "editorial"),
    ]
    assert report["summary"]["editorial"] == 3
    assert not any(c["needs_reapproval"] for c in report["changes"])
    text = slalint("--base", "first", "--all", cwd=tmp_path).stdout
    assert "  editorial     gold.file: gold.sla -> parties.sla\n" in text
    assert text.endswith("0 weakening, 0 strengthening, 0 neutral, 0 changed, 3 editorial\n")


def test_an_agreement_with_a_semantic_change_has_no_editorial_entry(sides):
    (sides / "new" / "b.sla").write_text("# reworded\n" + edited(("target: >= 99.9%", "target: >= 99.8%")))
    result = slalint(str(sides / "old"), str(sides / "new"), "--all", "--format", "json")
    assert [(c["path"], c["class"]) for c in json.loads(result.stdout)["changes"]] == [
        ("db_ola.file", "editorial"),
        ("gold.api.availability.target", "weakening"),
    ]


IGNORE_CONFIG = """\
diff-ignore:
  - path: gold.api.availability
    reason: "CHG-42: the customer accepted 99.8% for 2027"
  - agreement: "db_*"
    reason: internal
"""


def test_diff_ignore_lists_an_accepted_change_with_its_reason_and_does_not_fail(sides):
    (sides / "new" / ".slalint.yaml").write_text(IGNORE_CONFIG)
    result = slalint(str(sides / "old"), str(sides / "new"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "gold:\n"
        "  weakening     gold.api.availability.target: >= 99.9% -> >= 99.8%  (needs re-approval)"
        "  (accepted: CHG-42: the customer accepted 99.8% for 2027)\n"
        "\n0 weakening, 0 strengthening, 0 neutral, 0 changed, 1 ignored\n"
    )
    report = json.loads(slalint(str(sides / "old"), str(sides / "new"), "--format", "json").stdout)
    assert report["changes"][0]["ignored"] == "CHG-42: the customer accepted 99.8% for 2027"
    assert report["summary"]["ignored"] == 1
    markdown = slalint(str(sides / "old"), str(sides / "new"), "--format", "markdown").stdout
    assert "| weakening, accepted: CHG-42: the customer accepted 99.8% for 2027, needs re-approval |" in markdown
    assert "Nothing weakened in 1 change(s) (1 accepted by diff-ignore); 1 need the customer's re-approval." in markdown


def test_diff_ignore_matches_the_agreement_and_the_dotted_path_by_globs(sides):
    (sides / "new" / "b.sla").write_text(edited(("target: >= 99.9%", "target: >= 99.8%"), ("cap: 50%", "cap: 40%")))
    (sides / "new" / ".slalint.yaml").write_text(
        "diff-ignore:\n  - {agreement: gold, path: '*.api.*.target', reason: accepted}\n"
    )
    result = slalint(str(sides / "old"), str(sides / "new"), "--format", "json")
    assert [(c["path"], c["ignored"]) for c in json.loads(result.stdout)["changes"]] == [
        ("gold.api.availability.target", "accepted"),
        ("gold.credits.cap", None),
    ]
    assert result.returncode == 1  # the cap is not accepted


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("diff-ignore:\n  - path: gold.api\n", ".slalint.yaml:2:5: a 'diff-ignore' entry needs a 'reason'"),
        ("diff-ignore:\n  - {path: gold, reason: ''}\n", ".slalint.yaml:2:26: a 'diff-ignore' entry needs a 'reason'"),
        ("diff-ignore:\n  - reason: why\n", ".slalint.yaml:2:5: a 'diff-ignore' entry must name an agreement glob"),
        ("diff-ignore:\n  - {pth: x, reason: y}\n", ".slalint.yaml:2:6: unknown key 'pth' in a 'diff-ignore' entry"),
        ("diff-ignore: gold\n", ".slalint.yaml:1:14: 'diff-ignore' must be a list of"),
        ("diff-ignore:\n  - {path: '!gold', reason: y}\n", ".slalint.yaml:2:12: glob '!gold'"),
    ],
)
def test_diff_ignore_mistakes_are_located(sides, config, message):
    (sides / "new" / ".slalint.yaml").write_text(config)
    result = slalint(str(sides / "old"), str(sides / "new"))
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_text_and_markdown_show_control_characters_as_escapes(sides):
    (sides / "new" / "b.sla").write_text(edited(('"Synthetic probe"', '"probe \\u001b[2J"')))
    (sides / "new" / ".slalint.yaml").write_text('diff-ignore:\n  - {path: gold, reason: "ok \\e[31m"}\n')
    for format in ("text", "markdown"):
        shown = slalint(str(sides / "old"), str(sides / "new"), "--format", format).stdout
        assert "\x1b" not in shown


def test_config_from_the_base_keeps_a_pull_request_from_accepting_its_own_weakening(tmp_path):
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "a.sla").write_text(BASE)
    commit(tmp_path, "base: one agreement")
    (tmp_path / "a.sla").write_text(edited(("target: >= 99.9%", "target: >= 99.8%")))
    (tmp_path / ".slalint.yaml").write_text(IGNORE_CONFIG)
    assert slalint("--base", "base", cwd=tmp_path).returncode == 0  # the pull request's own diff-ignore
    judged = slalint("--base", "base", "--config-from", "base", cwd=tmp_path)
    assert judged.returncode == 1, judged.stderr
    assert "accepted" not in judged.stdout


def as_sources(files: dict[str, str], prefix: str) -> list:
    return [decode(prefix + path, text.encode(), 10_000_000) for path, text in files.items()]


def fast_and_full(old: dict[str, str], new: dict[str, str]) -> tuple[list, list]:
    """The entries of the diff as the command computes them (unchanged files
    parsed once) and of a full comparison of two independently built workspaces."""
    from sla_lang.diff.load import load_pair

    pair = load_pair(
        as_sources(old, "old/"),
        lambda path: path.removeprefix("old/"),
        as_sources(new, "new/"),
        lambda path: path.removeprefix("new/"),
    )
    fast = compare(pair.old.workspace, pair.new.workspace, pair.candidates)
    full = compare(workspace(old), workspace(new))
    shown = [(c.path, c.old, c.new, c.kind, c.needs_reapproval) for c in fast]
    return shown, [(c.path, c.old, c.new, c.kind, c.needs_reapproval) for c in full]


METRIC = 'metric uptime "Uptime" { unit: percent  better: higher }\n'
ON_METRIC = """\
party c "C" { role: customer }
party p "P" { role: provider }
sla uses_metric "U" {
  provider: p
  customer: c
  effective: 2026-01-01
  service s "S" {
    hours: 24x7
    objective up { metric: uptime  target: >= 99.9%  window: 30d  measurement: "m" }
  }
}
"""


@pytest.mark.parametrize(
    ("change", "entries"),
    [
        ("target", 1),
        ("metric declared elsewhere", 1),  # uses.sla is unchanged, but the direction of what it measures is not
        ("moved", 0),
        ("file removed", 5),  # webshop.sla's five agreements
        ("file added", 2),
        ("every example", 39),
        ("duplicate", 1),  # the later declaration of an id is SL006: the first one changed
    ],
)
def test_parsing_unchanged_files_once_gives_the_entries_of_a_full_comparison(change, entries):
    examples = {path.name: path.read_text() for path in sorted(EXAMPLES.glob("*.sla"))}
    old = {"a.sla": BASE, "metrics.sla": METRIC, "uses.sla": ON_METRIC, **examples}
    new = dict(old)
    if change == "target":
        new["a.sla"] = edited(("target: >= 99.9%", "target: >= 99.8%"))
    elif change == "metric declared elsewhere":  # uses.sla is unchanged, but what it measures is not
        new["metrics.sla"] = METRIC.replace("better: higher", "better: lower")
    elif change == "moved":
        new["uses.sla"] = ""
        new["metrics.sla"] = METRIC + ON_METRIC
    elif change == "file removed":
        del new["webshop.sla"]
    elif change == "file added":
        new["new.sla"] = BASE.replace("gold", "silver").replace("db_ola", "db2_ola").replace("party ", "# party ")
    elif change == "every example":
        new = {name: text.replace("99.9", "99.8") for name, text in old.items()}
    else:
        new["a_first.sla"] = ON_METRIC.replace("99.9%", "99.5%").replace("party", "# party")
    fast, full = fast_and_full(old, new)
    assert fast == full
    assert len(fast) == entries


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ('["DE"]', '["DE-BY"]', "weakening"),  # Bavaria closes Epiphany, Corpus Christi, ... besides Germany's days
        ('["DE-BY"]', '["DE"]', "strengthening"),
        ('["DE-BY"]', '["DE-BY", 2026-12-25]', "neutral"),  # Christmas Day is a Bavarian holiday already
        ("[2026-12-24]", '["DE-BY"]', "changed"),  # Christmas Eve is open again, Christmas Day closed
        ("[2026-12-24]", '[2026-12-24, "DE-BY"]', "weakening"),
    ],
)
def test_holiday_calendars_compare_by_the_dates_they_close_over_the_term(old, new, kind):
    before = edited(("holidays: [2026-12-24]", f"holidays: {old}"))
    after = edited(("holidays: [2026-12-24]", f"holidays: {new}"))
    shown = (P + "holidays", old.replace('"', ""), new.replace('"', ""), kind, kind != "neutral")  # re-approval
    assert entries(before, after) == [shown]


def test_diff_reads_the_parse_cache_but_writes_nothing_into_it(sides, tmp_path):
    cache = tmp_path / "cache"
    environment = dict(os.environ, SLALINT_CACHE_DIR=str(cache))
    arguments = [sys.executable, "-m", "sla_lang", "diff", str(sides / "old"), str(sides / "new")]
    result = subprocess.run(arguments, capture_output=True, text=True, env=environment, timeout=60)
    assert result.returncode == 1, result.stderr
    assert not list(cache.rglob("*.pickle"))
    checked = [sys.executable, "-m", "sla_lang", "check", str(sides / "new")]
    subprocess.run(checked, capture_output=True, env=environment, timeout=60)
    assert list(cache.rglob("*.pickle")), "check stores what diff reads"


def test_text_is_coloured_by_class_on_a_terminal_only():
    from sla_lang.diff.report import as_text

    changes = compare(workspace({"a.sla": BASE}), workspace({"a.sla": edited(("cap: 50%", "cap: 60%"))}))
    assert "  \x1b[32mstrengthening\x1b[0m gold.credits.cap: 50% -> 60%" in as_text(changes, color=True)
    assert "\x1b" not in as_text(changes)


def test_a_new_slo_link_is_neutral():
    linked = edited(('measurement: "Synthetic probe"', 'measurement: "Synthetic probe"\n      slo: "slo.yaml#api"'))
    assert entries(BASE, linked) == [(P + "availability.slo", "none", '"slo.yaml#api"', "neutral", False)]


@pytest.mark.parametrize(
    ("declared", "entry"),
    [
        (
            "unit: percent  better: lower",
            ("uses_metric.s.up.metric", "uptime (percent, higher is better)", "uptime (percent, lower is better)"),
        ),
        (
            "unit: number  better: higher",
            ("uses_metric.s.up.metric", "uptime (percent, higher is better)", "uptime (number, higher is better)"),
        ),
        ('unit: percent  better: higher  description: "Minutes up"', None),  # says nothing new of the target
    ],
)
def test_a_metric_declared_anew_changes_what_the_same_target_means(declared, entry):
    old = {"metrics.sla": METRIC, "uses.sla": ON_METRIC}
    new = {"metrics.sla": METRIC.replace("unit: percent  better: higher", declared), "uses.sla": ON_METRIC}
    changes = [(c.path, c.old, c.new, c.kind, c.needs_reapproval) for c in compare(workspace(old), workspace(new))]
    assert changes == ([(*entry, "changed", True)] if entry else [])
    if entry:  # with the target changed too, the two cannot be ordered either
        moved = {**new, "uses.sla": ON_METRIC.replace(">= 99.9%", ">= 99.5%")}
        both = compare(workspace(old), workspace(moved))
        assert [(c.path, c.kind) for c in both] == [("uses_metric.s.up.target", "changed")]
