"""Baselines: `--write-baseline FILE` records today's findings, `--baseline FILE`
reports only the new ones. A finding is recognised by its fingerprint (code,
path relative to the root, logical location, message; never the line), each
recorded fingerprint hides one finding, a broken or missing baseline is a
warning, and the file is replaced atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import PARTIES, check_in_process

# With select SL0,SL5 and today 2026-06-01: SL501 SL502 SL503 SL504 SL507 SL508
# at 1:1 and SL505 at 6:3; SL502 and SL505 are warnings, SL503 is info.
GOLD = """\
sla gold "Gold" {
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  service api {
    objective availability { target: >= 99.9%  window: 30d }
  }
}
"""
GOLD_CODES = ["SL501", "SL502", "SL503", "SL504", "SL507", "SL508", "SL505"]


class Run(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def findings(self) -> list[tuple[str, int, int, str]]:
        """(path, line, column, code) of every concise report line."""
        found = []
        for line in self.out.splitlines():
            path, line_number, column, rest = line.split(":", 3)
            found.append((path, int(line_number), int(column), rest.split()[0]))
        return found


def slalint(cwd: Path, *args: str) -> Run:
    return Run(*check_in_process(cwd, "--format", "concise", "--today", "2026-06-01", *args))


@pytest.fixture
def ws(tmp_path) -> Path:
    root = tmp_path / "ws"
    (root / "agreements").mkdir(parents=True)
    (root / ".slalint.yaml").write_text("select: [SL5]\nfail-on: warning\n", encoding="utf-8")
    (root / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (root / "agreements" / "gold.sla").write_text(GOLD, encoding="utf-8")
    return root


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".slalint-") or p.suffix == ".tmp")


def test_round_trip(ws):
    before = slalint(ws)
    assert [f[3] for f in before.findings] == GOLD_CODES
    assert before.code == 1

    written = slalint(ws, "--write-baseline", "baseline.json")
    assert written.code == 0, "recording a baseline is not a failure"
    assert written.out == ""
    assert written.err == "slalint: recorded 7 findings in baseline.json\n"

    after = slalint(ws, "--baseline", "baseline.json")
    assert after.findings == [] and after.code == 0
    assert after.err == ""


def test_the_baseline_file(ws):
    slalint(ws, "--write-baseline", "baseline.json")
    document = json.loads((ws / "baseline.json").read_text(encoding="utf-8"))
    assert document["version"] == 2
    assert document["tool"]["name"] == "slalint"
    entries = document["findings"]
    assert [entry["code"] for entry in entries] == GOLD_CODES
    assert {entry["path"] for entry in entries} == {"agreements/gold.sla"}
    assert entries[-1]["anchor"] == "gold.api"  # SL505: the service without hours
    assert all(len(entry["fingerprint"]) == 32 for entry in entries)
    assert not any("line" in entry for entry in entries), "lines change; fingerprints must not"


def test_only_new_findings_are_reported(ws):
    slalint(ws, "--write-baseline", "baseline.json")
    gold = ws / "agreements" / "gold.sla"
    # a second service without hours (SL505, new) and a new file with its own findings
    gold.write_text(
        GOLD.replace(
            "  service api {",
            "  service web { objective availability { target: >= 99%  window: 30d } }\n  service api {",
        )
    )
    (ws / "agreements" / "silver.sla").write_text(GOLD.replace("gold", "silver"), encoding="utf-8")
    run = slalint(ws, "--baseline", "baseline.json")
    assert run.findings == [("agreements/gold.sla", 6, 3, "SL505")] + [
        ("agreements/silver.sla", 1 if code != "SL505" else 6, 1 if code != "SL505" else 3, code) for code in GOLD_CODES
    ]
    assert run.code == 1
    # --fail-on applies to what is left
    slalint(ws, "--write-baseline", "baseline.json")
    assert slalint(ws, "--baseline", "baseline.json").code == 0


def test_a_fixed_finding_leaves_a_harmless_stale_entry(ws):
    slalint(ws, "--write-baseline", "baseline.json")
    gold = ws / "agreements" / "gold.sla"
    gold.write_text(GOLD.replace('version: "1"', 'version: "1"\n  expires: 2026-12-31'), encoding="utf-8")
    run = slalint(ws, "--baseline", "baseline.json")
    assert run.findings == [] and run.code == 0 and run.err == ""


def test_the_baseline_survives_a_line_shift(ws):
    slalint(ws, "--write-baseline", "baseline.json")
    gold = ws / "agreements" / "gold.sla"
    shifted = "# Gold tier, reviewed quarterly\n\n# owner: service desk\n" + GOLD.replace(
        "  service api {", '  # the one service\n  service api "Payments API" {'
    )
    gold.write_text(shifted, encoding="utf-8")
    assert [f[1:] for f in slalint(ws).findings][-1] == (10, 3, "SL505"), "the findings did move"
    run = slalint(ws, "--baseline", "baseline.json")
    assert run.findings == [] and run.code == 0


def test_a_second_identical_finding_still_shows(ws):
    """Each recorded fingerprint hides one finding: a copy of an old problem is new."""
    (ws / ".slalint.yaml").write_text("select: [SL0]\n", encoding="utf-8")
    gold = ws / "agreements" / "gold.sla"
    gold.write_text(GOLD.replace("effective: 2026-01-01", "effective: 2026-02-30"), encoding="utf-8")
    assert slalint(ws).findings == [("agreements/gold.sla", 5, 14, "SL003")]
    slalint(ws, "--write-baseline", "baseline.json")

    gold.write_text(
        GOLD.replace("effective: 2026-01-01", "effective: 2026-02-30\n  review: 2026-02-30"), encoding="utf-8"
    )
    both = slalint(ws)
    assert [f[3] for f in both.findings] == ["SL003", "SL003"]
    assert both.out.split(": SL003 ")[1].split("\n")[0] == both.out.split(": SL003 ")[2].split("\n")[0]
    run = slalint(ws, "--baseline", "baseline.json")
    assert len(run.findings) == 1 and run.findings[0][3] == "SL003"
    assert run.code == 1


def test_a_baseline_from_the_root_works_from_a_subdirectory(ws):
    slalint(ws, "--write-baseline", "baseline.json")
    run = slalint(ws / "agreements", "--baseline", "../baseline.json")
    assert run.findings == [] and run.code == 0
    # and one written from the subdirectory works at the root
    slalint(ws / "agreements", "--write-baseline", "sub.json")
    entries = json.loads((ws / "agreements" / "sub.json").read_text())["findings"]
    assert {entry["path"] for entry in entries} == {"agreements/gold.sla"}, "paths are relative to the root"
    assert slalint(ws, "--baseline", "agreements/sub.json").findings == []


def test_a_renamed_file_keeps_its_baseline(ws):
    # A fingerprint names what the finding is about (gold.api.hours), not the file.
    slalint(ws, "--write-baseline", "baseline.json")
    (ws / "agreements" / "gold.sla").rename(ws / "agreements" / "gold-2026.sla")
    assert slalint(ws, "--baseline", "baseline.json").findings == []


def test_a_baseline_of_the_old_format_is_ignored_with_a_warning(ws):
    (ws / "baseline.json").write_text('{"version": 1, "findings": []}\n', encoding="utf-8")
    run = slalint(ws, "--baseline", "baseline.json")
    assert len(run.findings) == len(GOLD_CODES)
    assert "written by an older slalint, whose fingerprints changed: write it again with --write-baseline" in run.err


def test_write_baseline_records_everything_even_with_a_configured_baseline(ws):
    (ws / ".slalint.yaml").write_text("select: [SL5]\nbaseline: baseline.json\n", encoding="utf-8")
    slalint(ws, "--write-baseline", "baseline.json")
    assert slalint(ws).findings == [], "the configured baseline applies"
    (ws / "agreements" / "silver.sla").write_text(GOLD.replace("gold", "silver"), encoding="utf-8")
    run = slalint(ws, "--write-baseline", "baseline.json")
    assert run.err == "slalint: recorded 14 findings in baseline.json\n"


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "does not exist; reporting every finding (create it with --write-baseline)"),
        ("not json at all\n", "cannot be read"),
        ('{"version": 99, "findings": []}\n', "cannot be read (unknown baseline format)"),
        ('{"version": 1}\n', "cannot be read"),
        ('{"version": 1, "findings": [{"code": "SL501"}]}\n', "cannot be read"),
        ("[1, 2, 3]\n", "cannot be read"),
        ("\xff\xfe garbage", "cannot be read"),
    ],
)
def test_a_missing_or_corrupt_baseline_is_a_warning(ws, content, words):
    if content is not None:
        (ws / "baseline.json").write_bytes(content.encode("latin-1"))
    run = slalint(ws, "--baseline", "baseline.json")
    assert [f[3] for f in run.findings] == GOLD_CODES, "every finding is reported"
    assert run.code == 1
    assert run.err.startswith("slalint: warning: baseline baseline.json ")
    assert words in run.err
    assert run.err.count("\n") == 1


def test_the_baseline_is_written_atomically(ws):
    slalint(ws, "--write-baseline", "baseline.json")
    first = (ws / "baseline.json").read_bytes()
    assert leftovers(ws) == []
    (ws / "agreements" / "silver.sla").write_text(GOLD.replace("gold", "silver"), encoding="utf-8")
    slalint(ws, "--write-baseline", "baseline.json")
    assert leftovers(ws) == []
    assert len(json.loads((ws / "baseline.json").read_text())["findings"]) == 2 * len(json.loads(first)["findings"])


def test_a_failed_write_leaves_the_old_baseline_and_no_temporary_file(ws, monkeypatch):
    slalint(ws, "--write-baseline", "baseline.json")
    before = (ws / "baseline.json").read_bytes()
    (ws / "agreements" / "silver.sla").write_text(GOLD.replace("gold", "silver"), encoding="utf-8")

    def failing_replace(source, destination):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", failing_replace)
    run = slalint(ws, "--write-baseline", "baseline.json")
    monkeypatch.undo()
    assert run.code == 2
    assert run.err == "slalint: cannot write the baseline baseline.json: Permission denied\n"
    assert (ws / "baseline.json").read_bytes() == before
    assert leftovers(ws) == []


def test_a_baseline_that_cannot_be_written(ws):
    run = slalint(ws, "--write-baseline", "no/such/dir/baseline.json")
    assert run.code == 2
    assert run.err == "slalint: cannot write the baseline no/such/dir/baseline.json: No such file or directory\n"
    (ws / "taken").mkdir()
    run = slalint(ws, "--write-baseline", "taken")
    assert run.code == 2 and run.err.startswith("slalint: cannot write the baseline taken: ")
    assert leftovers(ws) == []
