"""The pull-request gate: fingerprints that identify a problem, not its text or
position; findings elsewhere that a change of a named file causes; the root
found from the files; --new-since and the pre-commit hooks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import run_cli

PARTIES = """\
party acme { role: customer }
party it_org { role: provider }
party desk { role: team  organization: it_org }
"""

CRM = """\
sla crm "CRM SLA" {
  provider: it_org
  customer: acme
  version: "1"
  effective: 2026-01-01
  expires: 2026-12-31
  service app {
    hours: 24x7
    objective p1 {
      metric: response_time
      priority: P1
      target: <= 20min
      window: 1mo
    }
  }
  approval { signature acme { by: "Jane"; date: 2025-12-01 } }
}
"""

SERVICEDESK = """\
ola desk_ola "Service desk OLA" {
  provider: desk
  customer: it_org
  version: "1"
  effective: 2026-01-01
  expires: 2026-12-31
  supports: crm.app
  service triage {
    hours: 24x7
    objective p1 {
      metric: response_time
      priority: P1
      target: <= 15min
      window: 1mo
    }
  }
}
"""


def workspace(root: Path, files: dict[str, str], config: str = "select: [SL0, SL4]\n") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".slalint.yaml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def check(cwd: Path, *args: str) -> tuple[int, list[dict], str]:
    run = run_cli("check", "--format", "json", "--today", "2026-06-01", *args, cwd=cwd)
    report = json.loads(run.stdout) if run.stdout else {"findings": []}
    return run.returncode, report["findings"], run.stderr.decode()


def codes_at(findings: list[dict]) -> list[tuple[str, str, int]]:
    return [(f["path"], f["code"], f["line"]) for f in findings]


# -- fingerprints ------------------------------------------------------------------------


def fingerprints(findings: list[dict]) -> list[str]:
    return sorted(f["fingerprint"] for f in findings)


def test_a_fingerprint_survives_moved_lines_a_new_day_a_renamed_file_and_a_reworded_message(tmp_path):
    files = {"parties.sla": PARTIES, "crm.sla": CRM.replace("<= 20min", "<= 10min"), "desk.sla": SERVICEDESK}
    root = workspace(tmp_path / "ws", files, config="")
    _, before, _ = check(root)
    assert "SL402" in {f["code"] for f in before}
    # Lines moved: three blank lines and a comment above everything.
    for name in files:
        (root / name).write_text("\n\n# moved\n\n" + (root / name).read_text(encoding="utf-8"), encoding="utf-8")
    _, moved, _ = check(root)
    assert [f["line"] for f in moved] != [f["line"] for f in before]
    assert fingerprints(moved) == fingerprints(before)
    # Renamed file.
    (root / "desk.sla").rename(root / "service-desk.sla")
    _, renamed, _ = check(root)
    assert fingerprints(renamed) == fingerprints(before)
    # A new --today changes the date messages ("... days before today"), not the fingerprints.
    run = run_cli("check", "--format", "json", "--today", "2027-03-01", cwd=root)
    later = json.loads(run.stdout)["findings"]
    expired = [f for f in later if f["code"] == "SL602"]
    assert expired, later
    earlier = run_cli("check", "--format", "json", "--today", "2027-02-01", cwd=root)
    same_day_one_month_before = [f for f in json.loads(earlier.stdout)["findings"] if f["code"] == "SL602"]
    assert [f["message"] for f in expired] != [f["message"] for f in same_day_one_month_before]
    assert fingerprints(expired) == fingerprints(same_day_one_month_before)


def test_a_fingerprint_names_what_the_finding_is_about(tmp_path):
    from sla_lang.findings import Finding
    from sla_lang.source import Span

    at = Span("a.sla", 3, 1, 3, 4)
    target = Finding("SL402", "x", "error", "one wording", at, "desk_ola.triage.p1 @ crm.app.p1")
    assert (
        target.fingerprint
        == Finding("SL402", "x", "error", "another", Span("b.sla", 9, 2, 9, 5), target.anchor).fingerprint
    )
    other_side = Finding("SL402", "x", "error", "one wording", at, "desk_ola.triage.p1 @ gold.app.p1")
    assert other_side.fingerprint != target.fingerprint
    # A finding about a file (a syntax error) is identified with its path.
    syntax = Finding("SL001", "syntax-error", "error", "expected ...", at)
    assert (
        syntax.fingerprint
        != Finding("SL001", "syntax-error", "error", "expected ...", Span("b.sla", 3, 1, 3, 4)).fingerprint
    )


def test_a_baseline_written_one_day_hides_everything_the_next(tmp_path):
    root = workspace(tmp_path / "ws", {}, config="")
    for example in (Path(__file__).resolve().parent.parent / "examples").glob("*.sla"):
        shutil.copy(example, root)
    written = run_cli("check", "--today", "2027-01-15", "--write-baseline", "b.json", cwd=root)
    assert written.returncode == 0, written.stderr
    recorded = len(json.loads((root / "b.json").read_text(encoding="utf-8"))["findings"])
    assert recorded > 40
    run = run_cli("check", "--today", "2027-01-16", "--baseline", "b.json", "--format", "json", cwd=root)
    assert (run.returncode, json.loads(run.stdout)["findings"]) == (0, [])


# -- the root, from the files ------------------------------------------------------------


def test_the_same_check_from_inside_and_outside_the_project(tmp_path):
    project = workspace(
        tmp_path / "project",
        {},
        config="select: [SL0, SL4]\n",
    )
    (project / "agreements" / "ola").mkdir(parents=True)
    (project / "agreements" / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (project / "agreements" / "crm.sla").write_text(CRM.replace("<= 20min", "<= 10min"), encoding="utf-8")
    (project / "agreements" / "ola" / "desk.sla").write_text(SERVICEDESK, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = project / "agreements" / "ola" / "desk.sla"

    inside = run_cli("check", "--format", "json", "agreements/ola/desk.sla", cwd=project)
    outside = run_cli("check", "--format", "json", str(target), cwd=elsewhere)
    found_inside = [(f["code"], f["line"], f["column"]) for f in json.loads(inside.stdout)["findings"]]
    found_outside = [(f["code"], f["line"], f["column"]) for f in json.loads(outside.stdout)["findings"]]
    # The project's configuration applies (SL0 and SL4 only) and its parties resolve: no SL007.
    assert found_inside == found_outside == [("SL402", 10, 5)]


def test_without_a_configuration_the_git_work_tree_is_the_workspace(tmp_path):
    repository = tmp_path / "repo"
    (repository / "agreements").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (repository / "agreements" / "crm.sla").write_text(CRM, encoding="utf-8")
    run = run_cli(
        "check", "--format", "json", "--select", "SL0", str(repository / "agreements" / "crm.sla"), cwd=tmp_path
    )
    assert (run.returncode, json.loads(run.stdout)["findings"]) == (0, [])  # parties.sla was loaded to resolve


def test_outside_any_project_the_workspace_is_the_named_files(tmp_path):
    (tmp_path / "crm.sla").write_text(CRM, encoding="utf-8")
    run = run_cli("check", "--format", "json", "--select", "SL0", "crm.sla", cwd=tmp_path)
    assert [f["code"] for f in json.loads(run.stdout)["findings"]] == ["SL007", "SL007", "SL007"]


# -- what a change breaks elsewhere --------------------------------------------------------


def test_a_named_file_reports_what_elsewhere_involves_it(tmp_path):
    root = workspace(
        tmp_path / "ws",
        {
            "parties.sla": PARTIES,
            "crm.sla": CRM.replace("<= 20min", "<= 10min").replace("2026-12-31", "2027-12-31"),
            "desk.sla": SERVICEDESK,
        },
    )
    code, findings, _ = check(root, "crm.sla")
    # SL402 at the OLA in desk.sla: it involves the SLA in crm.sla. SL404 (the OLA
    # expires first) too, through the rule's `involves: supports`.
    assert (code, codes_at(findings)) == (1, [("desk.sla", "SL404", 6), ("desk.sla", "SL402", 10)])
    # parties.sla is involved in none of them.
    assert check(root, "parties.sla")[1] == []


def test_a_cycle_is_reported_with_any_of_its_members(tmp_path):
    a = 'ola a { provider: desk  customer: it_org  version: "1"  effective: 2026-01-01  supports: b\n'
    a += "  service s { hours: 24x7  objective availability { target: >= 99%  window: 30d } } }\n"
    b = a.replace("ola a ", "ola b ").replace("supports: b", "supports: c")
    c = a.replace("ola a ", "ola c ").replace("supports: b", "supports: a")
    root = workspace(tmp_path / "ws", {"parties.sla": PARTIES, "a.sla": a, "b.sla": b, "c.sla": c})
    for name in ("a.sla", "b.sla", "c.sla"):
        assert [(f["path"], f["code"]) for f in check(root, name)[1]] == [("a.sla", "SL406")], name


def test_a_duplicate_id_is_reported_with_the_file_of_the_first(tmp_path):
    root = workspace(tmp_path / "ws", {"a.sla": PARTIES, "b.sla": "party acme { role: customer }\n"})
    assert codes_at(check(root, "a.sla")[1]) == [("b.sla", "SL006", 1)]


def test_a_dangling_reference_involves_no_other_file(tmp_path):
    root = workspace(tmp_path / "ws", {"parties.sla": "party nobody { role: team }\n", "crm.sla": CRM})
    assert check(root, "parties.sla")[1] == []
    assert {f["code"] for f in check(root, "crm.sla")[1]} == {"SL007"}
