"""Parsing and rule evaluation spread over processes give exactly the
findings of one process (the pool starts at 64 files; --jobs forces it)."""

from __future__ import annotations

import json
import sys

from conftest import PROJECT, run_cli

sys.path.insert(0, str(PROJECT / "bench"))
from corpus import write_corpus  # noqa: E402


def findings(workspace, *extra):
    run = run_cli("check", ".", "--format", "json", "--today", "2026-06-01", "--no-cache", *extra, cwd=workspace)
    assert run.returncode in (0, 1), run.stderr.decode()
    return json.loads(run.stdout)["findings"]


def test_two_processes_find_what_one_finds(tmp_path):
    write_corpus(str(tmp_path), 90, seed=7)
    alone = findings(tmp_path, "--jobs", "1")
    assert len({f["code"] for f in alone}) >= 4  # the corpus has several kinds of defect
    assert findings(tmp_path, "--jobs", "2") == alone
    assert findings(tmp_path) == alone  # the default: a pool, since there are over 64 files
