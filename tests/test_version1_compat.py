"""Language 2 is a superset of version 1: every fixture and example of
version 1, checked alone, gives the findings it gave before language 2, except
for the differences listed (and explained) below.

tests/fixtures/version1/findings.json holds what version 1 reported (code,
path, line, column, message; `--today 2026-06-01`). It is a record of the
past: it is never regenerated.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import FIXTURES, PROJECT, in_process

RECORD = json.loads((FIXTURES / "version1" / "findings.json").read_text(encoding="utf-8"))
VERSION1_PATHS = {finding[1] for target in RECORD.values() for finding in target["findings"]} | set(RECORD)

# Findings that language 2 changes on purpose: (target, code, line, column) of
# a finding version 1 gave and language 2 does not ("removed") or the reverse
# ("added"), with the reason.
EXPLAINED = {
    ("tests/fixtures/language/values.sla", "SL003", 78, 13, "removed"): (
        "in a list only the invalid element is dropped: `supports: [gold, 2]` is one SL003 at the 2, "
        "and the reference to gold is kept"
    ),
    ("tests/fixtures/language/values.sla", "SL003", 78, 20, "added"): "the same SL003, at the element",
    ("tests/fixtures/language/values.sla", "SL003", 64, 10, "removed"): (
        "`cap: 50` became valid (money); the fixture now writes the invalid `cap: 50h`"
    ),
    ("tests/fixtures/language/values.sla", "SL003", 64, 10, "added"): "the SL003 of `cap: 50h`",
    ("tests/fixtures/rules/completeness/present_but_invalid.sla", "SL003", 77, 56, "removed"): (
        "`amount: 10` became valid (money); the fixture now writes the invalid `amount: 10h`"
    ),
    ("tests/fixtures/rules/completeness/present_but_invalid.sla", "SL003", 77, 56, "added"): (
        "the SL003 of `amount: 10h`"
    ),
    ("tests/fixtures/language/unknown.sla", "SL002", 40, 65, "removed"): (
        "`cap` written inside a credit: the message now says it belongs in the credits block"
    ),
    ("tests/fixtures/language/unknown.sla", "SL002", 40, 65, "added"): "the same SL002 with that hint",
}

_VALID_HERE = re.compile(r"^(?P<head>.*; valid here: )(?P<fields>.*)$")

# The examples were formatted by `slalint fmt` (issue 18): their findings are
# the same (tests/test_fmt.py checks codes and anchors), at other lines and
# columns, so a finding in an example, or a message that cites a line of one,
# is compared without those numbers.
_EXAMPLE_LINE = re.compile(r"(examples/[\w.-]+\.sla):\d+")
_LINE_NUMBER = re.compile(r"\bline \d+")


def _as_formatted(finding: list) -> list:
    code, path, line, column, message = finding
    message = _EXAMPLE_LINE.sub(r"\1:N", message)
    if path.startswith("examples/"):
        return [code, path, None, None, _LINE_NUMBER.sub("line N", message)]
    return [code, path, line, column, message]


def _same(old: list, new: list) -> bool:
    """Equal (example lines aside), or an SL002 whose list of valid fields
    grew by language 2's fields (owner, tags, links, business_hours, ...) and
    lost none."""
    old, new = _as_formatted(old), _as_formatted(new)
    if old == new:
        return True
    if old[:4] != new[:4] or old[0] != "SL002":
        return False
    before, after = _VALID_HERE.match(old[4]), _VALID_HERE.match(new[4])
    if not (before and after) or before["head"] != after["head"]:
        return False
    old_fields, new_fields = before["fields"].split(", "), after["fields"].split(", ")
    return set(old_fields) <= set(new_fields)


def _current(target: str) -> tuple[int, list[list]]:
    run = in_process(PROJECT, "check", "--format", "json", "--today", "2026-06-01", "--no-cache", target)
    report = json.loads(run.out)
    findings = [
        [finding["code"], finding["path"], finding["line"], finding["column"], finding["message"]]
        for finding in report["findings"]
        if finding["path"] in VERSION1_PATHS
    ]
    return run.code, findings


def _differences(target: str, old: list[list], new: list[list]) -> list[tuple]:
    unmatched_new = list(new)
    removed = []
    for finding in old:
        match = next((candidate for candidate in unmatched_new if _same(finding, candidate)), None)
        if match is None:
            removed.append(finding)
        else:
            unmatched_new.remove(match)
    return [(target, *finding[:1], *finding[2:4], "removed") for finding in removed] + [
        (target, *finding[:1], *finding[2:4], "added") for finding in unmatched_new
    ]


def test_the_record_covers_every_version1_fixture_and_example():
    assert len(RECORD) >= 50
    assert sum(len(target["findings"]) for target in RECORD.values()) == 2051


@pytest.mark.parametrize("target", sorted(RECORD))
def test_version1_files_keep_their_findings(target):
    expected = RECORD[target]
    code, findings = _current(target)
    differences = _differences(target, expected["findings"], findings)
    unexplained = [difference for difference in differences if difference not in EXPLAINED]
    assert unexplained == [], "\n".join(map(str, unexplained))
    if target.endswith(".sla"):
        assert code == expected["exit"]


def test_every_explained_difference_still_happens():
    seen = Counter()
    for target in {key[0] for key in EXPLAINED}:
        _, findings = _current(target)
        seen.update(_differences(target, RECORD[target]["findings"], findings))
    assert sorted(seen) == sorted(EXPLAINED)
