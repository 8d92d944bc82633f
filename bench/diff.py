"""`slalint diff --base REF` on the 2,000-file benchmark workspace in which
10 files changed, against a cold `slalint check` of the same workspace.

    python bench/diff.py [--runs 5] [--files 2000]

The diff starts with an empty parse cache: it parses the working tree's
files once, and of the REF side (read with one `git cat-file --batch`) only
the 10 changed files. The target is at most 1.5x the cold check. It is
timed again after a `check` filled the parse cache (a diff writes nothing
into it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import write_corpus  # noqa: E402
from run import PYTHON, SLALINT, TODAY, measure  # noqa: E402


def git(*arguments: str, cwd: str) -> None:
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=2000)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="slalint-bench-diff-")
    cache = os.path.join(work, "cache")
    env = dict(os.environ, SLALINT_CACHE_DIR=cache, PYTHONPATH=os.path.dirname(os.path.dirname(__file__)))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    corpus = os.path.join(work, "corpus")
    paths = write_corpus(corpus, args.files)
    shutil.rmtree(os.path.join(corpus, "yaml"))
    git("init", "-q", cwd=corpus)
    git("add", "-A", cwd=corpus)
    git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "base", cwd=corpus)
    git("tag", "base", cwd=corpus)
    changed = 0
    for path in paths[1:]:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        edited = re.sub(r"target: >= 99\.(\d+)%", lambda m: f"target: >= 98.{m.group(1)}%", text, count=1)
        if edited != text:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(edited)
            changed += 1
            if changed == 10:
                break
    subprocess.run([*SLALINT, "rules"], env=env, stdout=subprocess.DEVNULL, check=True)  # compile the packs once

    def empty_parse_cache():
        shutil.rmtree(os.path.join(cache, "parsed"), ignore_errors=True)

    check, _ = measure([*SLALINT, "check", ".", *TODAY, "--no-cache"], corpus, env, args.runs)
    diff, peak = measure([*SLALINT, "diff", "--base", "base", "."], corpus, env, args.runs, empty_parse_cache)
    subprocess.run([*SLALINT, "check", ".", *TODAY], cwd=corpus, env=env, stdout=subprocess.DEVNULL)  # fills the cache
    warm, _ = measure([*SLALINT, "diff", "--base", "base", "."], corpus, env, args.runs)
    result = subprocess.run(
        [*SLALINT, "diff", "--base", "base", ".", "--format", "json"], cwd=corpus, env=env, capture_output=True
    )
    entries = result.stdout.count(b'"class"')
    print(f"{args.files} files, {changed} changed, {entries} diff entries (python {PYTHON})")
    print(f"cold check:              {check * 1000:7.0f} ms")
    print(f"diff, empty parse cache: {diff * 1000:7.0f} ms  ({diff / check:.2f}x the cold check; target <= 1.5x)")
    print(f"diff after a check:      {warm * 1000:7.0f} ms  ({warm / check:.2f}x; the check filled the cache)")
    print(f"peak memory of the diff: {peak:.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
