"""The caches never change an answer: after an edit, a deleted file, a new
grammar or slalint version, or with --no-cache, a check gives exactly the
findings of a cold run (SLALINT_CACHE_DIR points at a fresh directory)."""

from __future__ import annotations

import json
import os

import pytest
from conftest import run_cli

PARTIES = """\
party acme { role: customer }
party it_org { role: provider }
"""
SLA = """\
sla gold { provider: it_org  customer: acme  version: "1"  effective: 2026-01-01
  service api { hours: 24x7  objective availability { target: >= 99.9%  window: 30d } } }
"""


def check(workspace, cache, *extra):
    run = run_cli(
        "check", ".", "--format", "json", "--today", "2026-06-01", *extra,
        cwd=workspace, env={"SLALINT_CACHE_DIR": str(cache)},
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr.decode()
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(run.stdout)["findings"]]


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".slalint.yaml").write_text("fail-on: error\n", encoding="utf-8")
    (root / "parties.sla").write_text(PARTIES, encoding="utf-8")
    (root / "gold.sla").write_text(SLA, encoding="utf-8")
    return root


def cold(workspace, tmp_path):
    """The answer of a run that has never seen a cache."""
    fresh = tmp_path / f"cold-{len(os.listdir(tmp_path))}"
    return check(workspace, fresh, "--no-cache")


def test_a_warm_run_answers_like_a_cold_one(workspace, tmp_path):
    cache = tmp_path / "cache"
    first = check(workspace, cache)
    assert (cache / "parsed").is_dir() and (cache / "results").is_dir()
    assert check(workspace, cache) == first == cold(workspace, tmp_path)


def test_a_changed_file_is_checked_again(workspace, tmp_path):
    cache = tmp_path / "cache"
    check(workspace, cache)
    (workspace / "gold.sla").write_text(SLA.replace(">= 99.9%", ">= 100%"), encoding="utf-8")
    warm = check(workspace, cache)
    assert any(code == "SL304" for code, *_ in warm)  # 100% is unachievable
    assert warm == cold(workspace, tmp_path)


def test_a_deleted_file_takes_its_declarations_with_it(workspace, tmp_path):
    cache = tmp_path / "cache"
    assert not [f for f in check(workspace, cache) if f[0] == "SL007"]
    (workspace / "parties.sla").unlink()
    warm = check(workspace, cache)
    assert [f[0] for f in warm if f[0] == "SL007"] == ["SL007", "SL007"]  # provider and customer
    assert warm == cold(workspace, tmp_path)


def test_no_cache_neither_reads_nor_writes_parse_results(workspace, tmp_path):
    cache = tmp_path / "cache"
    assert check(workspace, cache, "--no-cache") == cold(workspace, tmp_path)
    assert not (cache / "parsed").exists() and not (cache / "results").exists()


def test_a_new_version_or_grammar_starts_a_new_generation(workspace, tmp_path, monkeypatch):
    import sla_lang.cache as cache_module

    monkeypatch.setenv("SLALINT_CACHE_DIR", str(tmp_path / "cache"))
    before = cache_module.ParseCache().directory
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    assert cache_module.ParseCache().directory != before
    monkeypatch.undo()

    grammar = tmp_path / "agreement.lark"
    grammar.write_text(open(cache_module.grammar_path("agreement.lark"), encoding="utf-8").read() + "\n// changed\n")
    monkeypatch.setenv("SLALINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "grammar_path", lambda name: str(grammar))
    assert cache_module.ParseCache().directory != before


def test_corrupt_entries_are_ignored_and_replaced(workspace, tmp_path):
    cache = tmp_path / "cache"
    expected = check(workspace, cache)
    for directory, _, names in os.walk(cache):
        for name in names:
            if name.endswith(".pickle"):
                with open(os.path.join(directory, name), "wb") as handle:
                    handle.write(b"\x80\x05not a pickle")
    run = run_cli("check", ".", "--format", "json", "--today", "2026-06-01", cwd=workspace,
                  env={"SLALINT_CACHE_DIR": str(cache)})  # fmt: skip
    assert b"Traceback" not in run.stderr
    assert check(workspace, cache) == expected


def test_results_depend_on_the_date_and_the_selection(workspace, tmp_path):
    cache = tmp_path / "cache"
    expired = SLA.replace("effective: 2026-01-01", "effective: 2026-01-01 expires: 2026-03-01")
    (workspace / "gold.sla").write_text(expired, encoding="utf-8")
    assert any(f[0] == "SL602" for f in check(workspace, cache))  # expired by 2026-06-01
    earlier = run_cli("check", ".", "--format", "json", "--today", "2026-02-01", cwd=workspace,
                      env={"SLALINT_CACHE_DIR": str(cache)})  # fmt: skip
    assert not any(f["code"] == "SL602" for f in json.loads(earlier.stdout)["findings"])
    assert not any(f[0] == "SL602" for f in check(workspace, cache, "--ignore", "SL6"))
