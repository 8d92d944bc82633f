"""The caches never change an answer: after an edit, a deleted file, a new
grammar or slalint version, or with --no-cache, a check gives exactly the
findings of a cold run (SLALINT_CACHE_DIR points at a fresh directory)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT, report_of, run_cli

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
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in report_of(run)["findings"]]


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
    import sla_lang.many_files.cache as cache_module

    monkeypatch.setenv("SLALINT_CACHE_DIR", str(tmp_path / "cache"))
    before = cache_module.ParseCache().directory
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    assert cache_module.ParseCache().directory != before
    monkeypatch.undo()

    # The grammar is part of slalint's code: code_state() reads it with the modules.
    grammar = tmp_path / "grammar"
    shutil.copytree(cache_module.data_dir("grammar"), grammar)
    with open(grammar / "agreement.lark", "a", encoding="utf-8") as handle:
        handle.write("\n// changed\n")
    real_data_dir = cache_module.data_dir
    monkeypatch.setenv("SLALINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(
        cache_module, "data_dir", lambda name: str(grammar) if name == "grammar" else real_data_dir(name)
    )
    monkeypatch.setattr(cache_module, "_CODE_STATE", [])
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


# -- a rule's severity changed: seen without --no-cache ----------------------------------

HOUSE_PACK = """\
pack: house
rules:
  - code: HR1
    name: window-missing
    severity: warning
    scope: objective
    assert: exists(window)
    message: "objective '{id}' names no window"
    summary: An objective names no window.
"""
NO_WINDOW = SLA.replace("  window: 30d", "")


def severities(workspace, cache, code: str, *extra: str, env: dict | None = None) -> list[str]:
    """The severity of each finding of `code`, in a check that uses the cache."""
    run = run_cli(
        "check", ".", "--format", "json", "--today", "2026-06-01", *extra,
        cwd=workspace, env={"SLALINT_CACHE_DIR": str(cache), **(env or {})},
    )  # fmt: skip
    assert run.returncode == 1 and not run.stderr, run.stderr.decode()
    return [f["severity"] for f in json.loads(run.stdout)["findings"] if f["code"] == code]


def rewrite_keeping_size_and_time(path, old: str, new: str) -> None:
    """Replace `old` by `new` (as long) in the file, and give it back its
    modification time: only its content tells that it changed."""
    assert len(old) == len(new)
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_packs_new_severity_shows_at_once(workspace, tmp_path):
    cache = tmp_path / "cache"
    (workspace / "gold.sla").write_text(NO_WINDOW, encoding="utf-8")
    pack = workspace / "house.yaml"
    pack.write_text(HOUSE_PACK, encoding="utf-8")
    assert severities(workspace, cache, "HR1", "--policy", "house.yaml") == ["warning"]
    assert severities(workspace, cache, "HR1", "--policy", "house.yaml") == ["warning"]  # from the caches
    rewrite_keeping_size_and_time(pack, "severity: warning", "severity: error  ")
    assert severities(workspace, cache, "HR1", "--policy", "house.yaml") == ["error"]


@pytest.fixture
def package_copy(tmp_path):
    """slalint's package, grammar and built-in packs copied under tmp_path/copy:
    the environment that runs the copy instead of the installed package. Without
    bytecode files, since Python itself trusts a .pyc whose source has the same
    size and modification time."""
    copy = tmp_path / "copy"
    shutil.copytree(PROJECT / "sla_lang", copy / "sla_lang", ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("grammar", "policies"):
        shutil.copytree(PROJECT / data, copy / data)
    return copy, {"PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}


# A target of 100% (SL304, a warning) and one of 250% (SL003, an error).
IMPOSSIBLE = SLA.replace(">= 99.9%", ">= 100%").replace(
    " } } }", " }\n  objective a2 { metric: availability  target: >= 250% } } }"
)


@pytest.mark.parametrize(
    ("edited", "code", "old", "new", "severity"),
    [
        # A language rule's severity lives in a module...
        (
            "sla_lang/language_rules.py",
            "SL003",
            '"invalid-value",\n        "error",',
            '"invalid-value",\n        "info", ',
            "error",
        ),
        # ... a built-in rule's in a pack shipped with it.
        (
            "policies/sl3-objectives.yaml",
            "SL304",
            "target\n    severity: warning",
            "target\n    severity: info   ",
            "warning",
        ),
    ],
    ids=["module", "built-in-pack"],
)
def test_a_changed_slalint_is_seen_without_no_cache(
    workspace, tmp_path, package_copy, edited, code, old, new, severity
):
    cache = tmp_path / "cache"
    copy, env = package_copy
    (workspace / "gold.sla").write_text(IMPOSSIBLE, encoding="utf-8")
    assert severities(workspace, cache, code, env=env) == [severity]
    assert severities(workspace, cache, code, env=env) == [severity]  # from the caches
    rewrite_keeping_size_and_time(copy / edited, old, new)
    assert severities(workspace, cache, code, env=env) == ["info"]


def test_no_test_touches_the_users_own_cache(tmp_path_factory):
    """conftest.fresh_cache: every test module has an empty cache of its own
    (run_cli passes this environment on to the commands it runs)."""
    from sla_lang.reading.paths import user_cache_dir

    directory = os.environ["SLALINT_CACHE_DIR"]
    assert Path(directory).parent == tmp_path_factory.getbasetemp()
    assert user_cache_dir() == directory
