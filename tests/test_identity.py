"""What identifies a finding and where it points, each asserted where a change
used to go unnoticed by the suite (a mutant that survived it):

- the fingerprint of a finding about a file (SL001, SL008, SL009, SL901,
  SL902) holds the file's path, so the same problem in another file is new;
- a finding about the other side of an underpinning (SL402's weaker target,
  SL403's hours) holds that side in its anchor, so the same gap against
  another SLA is new;
- a support cycle is reported once, at the member whose id sorts first,
  whatever order the files and declarations come in;
- `at:` and `written()` know the fields written under another key
  (`credit_cap` as `cap`; a credit's `objective`, `op` and `threshold` in
  `when`).
"""

from __future__ import annotations

import itertools
import json

import pytest
from conftest import check_in_process

PARTIES = """\
party acme { role: customer }
party it_org { role: provider }
party dba { role: team  organization: it_org }
"""


def write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")


def findings(root, *args: str) -> list[dict]:
    run = check_in_process(root, "--format", "json", "--today", "2026-06-01", *args)
    assert run.code in (0, 1) and run.err == "", run.err
    return json.loads(run.out)["findings"]


def shown(found: list[dict]) -> list[tuple[str, str, int, int, str]]:
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in found]


def moved_between_runs(root, before: dict[str, str], after: dict[str, str], select: str) -> list[tuple]:
    """The findings of `after` that a baseline written on `before` does not hide."""
    write(root, before)
    assert findings(root, "--select", select), "the baseline must record the finding"
    recorded = check_in_process(root, "--select", select, "--write-baseline", "baseline.json")
    assert recorded.code == 0, recorded.err
    write(root, after)
    return shown(findings(root, "--select", select, "--baseline", "baseline.json"))


# -- the fingerprint of a finding about a file holds its path --------------------------------


def test_an_unused_suppression_moved_to_another_file_is_new(tmp_path):
    """The same comment, `# slalint: ignore[SL301]` with no SL301 to hide, in a.sla then in b.sla."""
    unused = "  # slalint: ignore[SL301]\n"
    a, b = "party x1 { role: supplier }", "party x2 { role: supplier }"
    write(tmp_path, {"parties.sla": PARTIES})
    new = moved_between_runs(
        tmp_path, {"a.sla": a + unused, "b.sla": b + "\n"}, {"a.sla": a + "\n", "b.sla": b + unused}, "SL901,SL301"
    )
    assert new == [("SL901", "b.sla", 1, 30, "unused suppression: no SL301 finding on line 1; remove it")]


# -- the other side of an underpinning is part of the anchor ---------------------------------------

OLA = """\
ola db { provider: dba  customer: it_org  version: "1"  effective: 2026-01-01
  supports: [gold.api, silver.api]
  service db { hours: HOURS  objective availability { target: >= 99.9%  window: 30d } } }
"""
SLAS = """\
sla gold { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service api { hours: GOLD_HOURS  objective availability { target: >= GOLD_TARGET  window: 30d } } }
sla silver { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service api { hours: SILVER_HOURS  objective availability { target: >= SILVER_TARGET  window: 30d } } }
"""


def slas(**values: str) -> str:
    text = SLAS
    for name, value in values.items():
        text = text.replace(name, value)
    return text


def test_a_weaker_target_against_another_sla_is_new(tmp_path):
    """SL402 at the OLA's objective: against gold, then (gold relaxed, silver
    tightened) against silver. The same objective, another promise broken."""
    write(tmp_path, {"parties.sla": PARTIES, "ola.sla": OLA.replace("HOURS", "24x7")})
    hours = {"GOLD_HOURS": "24x7", "SILVER_HOURS": "24x7"}
    new = moved_between_runs(
        tmp_path,
        {"slas.sla": slas(GOLD_TARGET="99.95%", SILVER_TARGET="99.0%", **hours)},
        {"slas.sla": slas(GOLD_TARGET="99.0%", SILVER_TARGET="99.95%", **hours)},
        "SL402",
    )
    assert new == [
        (
            "SL402", "ola.sla", 3, 29,
            "SLA 'silver' promises 99.95% availability for service 'api' but OLA 'db' guarantees only 99.9% "
            "availability",
        )
    ]  # fmt: skip


def test_hours_left_uncovered_for_another_sla_are_new(tmp_path):
    """SL403 at the OLA's hours: gold's 24x7 uncovered, then (gold on office
    hours, silver 24x7) silver's."""
    office = "mon-fri 08:00-18:00"
    write(tmp_path, {"parties.sla": PARTIES, "ola.sla": OLA.replace("HOURS", office)})
    targets = {"GOLD_TARGET": "99.0%", "SILVER_TARGET": "99.0%"}
    new = moved_between_runs(
        tmp_path,
        {"slas.sla": slas(GOLD_HOURS="24x7", SILVER_HOURS=office, **targets)},
        {"slas.sla": slas(GOLD_HOURS=office, SILVER_HOURS="24x7", **targets)},
        "SL403",
    )
    assert [(code, path, line, column) for code, path, line, column, _ in new] == [("SL403", "ola.sla", 3, 16)]
    assert new[0][4].startswith(f"OLA 'db' covers {office} but supports service 'api' of SLA 'silver', which runs 24x7")


# -- a support cycle, at the member whose id sorts first ---------------------------------------------

CYCLE = {
    name: f'ola {name} {{ provider: dba  customer: it_org  version: "1"  effective: 2026-01-01  supports: {target}'
    "  service s { } }\n"
    for name, target in (("a", "b"), ("b", "c"), ("c", "a"))
}


@pytest.mark.parametrize("order", list(itertools.permutations("abc")), ids="".join)
def test_a_support_cycle_is_reported_at_the_member_whose_id_sorts_first(tmp_path, order):
    """The three OLAs in one file, in every order: one finding, at 'a', with
    the same fingerprint (a reordered file is not a new problem)."""
    lines = [CYCLE[name] for name in order]
    write(tmp_path, {"parties.sla": PARTIES, "cycle.sla": "".join(lines)})
    (found,) = findings(tmp_path, "--select", "SL406")
    assert (found["code"], found["line"], found["column"]) == ("SL406", 1 + order.index("a"), 79)
    assert found["message"].startswith("supports links form a cycle: OLA 'a' -> OLA 'b' -> OLA 'c' -> OLA 'a'; ")
    write(tmp_path, {"cycle.sla": "".join(CYCLE.values())})  # a, b, c
    (in_order,) = findings(tmp_path, "--select", "SL406")
    assert found["fingerprint"] == in_order["fingerprint"]


# -- fields written under another key -----------------------------------------------------------------

CREDITS = """\
sla gold { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service api { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } }
  credits {
    cap: 50%
    credit { when: api.availability < 99.9%; amount: 10% }
  }
}
"""
# (code, scope, assert, message, at): findings at the fields, and findings where written() says yes.
AT_RULES = [
    ("AT001", "agreement", "false", "cap", "credit_cap"),
    ("AT002", "credit", "false", "threshold", "threshold"),
    ("AT003", "credit", "false", "op", "op"),
    ("AT004", "credit", "false", "objective", "objective"),
    ("AT005", "agreement", "not written(credit_cap)", "written cap", None),
    ("AT006", "credit", "not written(threshold)", "written when", None),
    ("AT007", "credit", "not written(op)", "written op", None),
    ("AT008", "credit", "not written(objective)", "written objective", None),
]
AT_PACK = "pack: written-elsewhere\nrules:\n" + "".join(
    f"  - {{code: {code}, name: rule-{code.lower()}, severity: info, scope: {scope}, assert: '{test}', "
    f"message: {message}{f', at: {at}' if at else ''}}}\n"
    for code, scope, test, message, at in AT_RULES
)


def test_at_and_written_know_the_keys_fields_are_written_under(tmp_path):
    write(tmp_path, {"parties.sla": PARTIES, "gold.sla": CREDITS, "at.yaml": AT_PACK})
    found = shown(findings(tmp_path, "--select", "AT", "--policy", "at.yaml"))
    assert found == [
        ("AT005", "gold.sla", 1, 1, "written cap"),
        ("AT001", "gold.sla", 4, 5, "cap"),  # at `cap`, not at the agreement
        ("AT006", "gold.sla", 5, 5, "written when"),
        ("AT007", "gold.sla", 5, 5, "written op"),
        ("AT008", "gold.sla", 5, 5, "written objective"),
        ("AT002", "gold.sla", 5, 14, "threshold"),  # at `when`, not at the credit
        ("AT003", "gold.sla", 5, 14, "op"),
        ("AT004", "gold.sla", 5, 14, "objective"),
    ]
