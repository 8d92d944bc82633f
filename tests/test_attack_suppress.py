"""What a pull request can do with globs, inline suppressions and invisible
characters (issue 13), tried for real.

- Globs of `exclude` and `per-file-ignores` are matched without backtracking,
  compiled once per run, and at most 1,000 per configuration; their meaning
  is exactly that of the regular expressions they replace.
"""

from __future__ import annotations

import os
import random
import re
import time

import pytest
from conftest import run_cli

from sla_lang.config import Settings
from sla_lang.globs import MAX_GLOBS, GlobSet
from sla_lang.lint import LintRequest, lint

pytestmark = pytest.mark.usefixtures("fresh_cache")

PARTIES = """\
party acme "Acme Retail Ltd" { role: customer }
party it_org "Example Corp IT" { role: provider }
"""

# An active SLA (line 1) whose objective (line 7) has no measurement: SL201 at 1:1
# (no customer signature), SL301 at 7:5, and SL5 findings at 1:1.
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


def found(result) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.span.path, f.span.line, f.span.column) for f in result.findings]


def write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lint_in(root, paths: list[str], **settings):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return lint(LintRequest(paths=paths, settings=Settings(root=str(root), **settings)))
    finally:
        os.chdir(cwd)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


# ---------------------------------------------------------------- globs: ReDoS


REDOS_GLOB = "*a" * 12 + "!"  # 168 s against one 40-letter name, with the regular expression
REDOS_NAME = "a" * 40 + ".sla"


@pytest.mark.parametrize("key", ["exclude", "per_file_ignores"])
def test_a_backtracking_glob_costs_nothing(tmp_path, key):
    write(tmp_path, {REDOS_NAME: "party acme { role: partner }\n", "deep/" + REDOS_NAME: "party b { role: team }\n"})
    setting = [REDOS_GLOB] if key == "exclude" else {REDOS_GLOB: ["SL1"]}
    result, seconds = timed(lint_in, tmp_path, [REDOS_NAME, "deep"], select=["SL"], **{key: setting})
    assert found(result) == [("SL003", REDOS_NAME, 1, 20)]
    assert result.files_checked == 2
    assert seconds < 5


def test_the_same_glob_without_the_bang_excludes_the_file(tmp_path):
    write(tmp_path, {REDOS_NAME: "party acme { role: partner }\n", "b.sla": "party b { role: partnr }\n"})
    result, seconds = timed(lint_in, tmp_path, [REDOS_NAME, "b.sla"], exclude=["*a" * 12 + "*"])
    assert found(result) == [("SL003", "b.sla", 1, 17)]
    assert seconds < 5


# ---------------------------------------------------------------- globs: how many


def many_files(root, count: int) -> list[str]:
    """`count` files of one SLA each (SL201 at 1:1), and the parties they name."""
    names = [f"agreements/f{k:02}.sla" for k in range(count)]
    write(root, {name: GOLD.replace("gold", f"gold{k}") for k, name in enumerate(names)} | {"parties.sla": PARTIES})
    return names


def test_a_thousand_globs_over_fifty_files(tmp_path):
    """At the cap, every glob alive to the end of every path (a bare name may
    start after any '/'), in both keys: one compiled automaton, not 1,000
    regular expressions per path (37,302 of them took 112 s for 50 files)."""
    names = many_files(tmp_path, 50)
    exclude = [f"*x{i}" for i in range(MAX_GLOBS // 2 - 1)] + ["f07.sla"]
    per_file = {f"**/*y{i}": ["SL2"] for i in range(MAX_GLOBS // 2 - 1)} | {"agreements/f1?.sla": ["SL6", "SL2"]}
    result, seconds = timed(
        lint_in, tmp_path, ["agreements"], select=["SL2"], exclude=exclude, per_file_ignores=per_file
    )
    reported = [name for name in names if name != "agreements/f07.sla" and not name.startswith("agreements/f1")]
    assert found(result) == [("SL201", name, 1, 1) for name in reported]
    assert result.files_checked == 49
    assert seconds < 5


def three_letters(count: int) -> list[str]:
    """`count` distinct globs of three letters or digits: 37,302 fit in 256 KiB of TOML."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return [a + b + c for a in alphabet for b in alphabet for c in alphabet][:count]


TOO_MANY = (
    "too many globs: 'exclude' and 'per-file-ignores' may hold 1,000 together; "
    "name directories, or use '**', to cover many files with one glob"
)


def test_37302_globs_are_a_config_error(tmp_path):
    globs = three_letters(37_302)
    write(tmp_path, {"pyproject.toml": "[tool.slalint]\nexclude = [" + ",".join(f'"{g}"' for g in globs) + "]\n"})
    many_files(tmp_path, 50)
    start = time.perf_counter()
    run = run_cli("check", "--no-cache", cwd=tmp_path, timeout=60)
    assert time.perf_counter() - start < 5
    column = len("exclude = [") + len('"aaa",') * 1_000 + 1
    assert (run.returncode, run.stderr.decode()) == (2, f"slalint: pyproject.toml:2:{column}: {TOO_MANY}\n")


@pytest.mark.parametrize(
    ("exclude", "per_file", "where"),
    [
        (1_000, 0, None),
        (0, 1_000, None),
        (600, 400, None),
        (1_001, 0, "exclude: [g0 ... g1000] at g1000"),
        (600, 401, "per-file-ignores at p400"),
        (0, 1_001, "per-file-ignores at p1000"),
    ],
)
def test_the_glob_cap_counts_both_keys(tmp_path, exclude, per_file, where):
    excluded = [f"g{i}" for i in range(exclude)]
    lines = ["exclude: [" + ", ".join(excluded) + "]"] if exclude else []
    if per_file:
        lines += ["per-file-ignores:"] + [f"  p{i}: [SL5]" for i in range(per_file)]
    write(tmp_path, {".slalint.yaml": "\n".join(lines) + "\n", "a.sla": "party a { role: team }\n"})
    run = run_cli("check", "--no-cache", cwd=tmp_path)
    if where is None:
        assert (run.returncode, run.stderr) == (0, b"")
    elif where.startswith("exclude"):
        column = len("exclude: [") + sum(len(f"g{i}, ") for i in range(1000)) + 1
        assert run.stderr.decode() == f"slalint: .slalint.yaml:1:{column}: {TOO_MANY}\n"
    else:
        line = 2 + (exclude > 0) + int(where.rsplit("p", 1)[1])
        assert run.stderr.decode() == f"slalint: .slalint.yaml:{line}:3: {TOO_MANY}\n"
    assert run.returncode == (0 if where is None else 2)


# ---------------------------------------------------------------- globs: the same meaning


def regex_of(glob: str) -> re.Pattern:
    """The regular expression slalint used for a glob before the automaton
    (sla_lang/selection.py at 18e9a0e): the meaning the automaton must keep."""
    glob = glob.replace(os.sep, "/").strip("/")
    if glob.startswith("./"):
        glob = glob[2:]
    parts, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            parts.append(".*")
            i += 2
        elif glob[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(glob[i]))
            i += 1
    prefix = "" if "/" in glob else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(parts)}(?:/.*)?$")


def test_globs_mean_what_their_regular_expressions_meant():
    """Random globs of every token against random paths, several globs at once
    (they share one automaton), compared with the old regular expressions."""
    rng = random.Random(13)
    for _ in range(3_000):
        globs = ["".join(rng.choice("ab/*?.[]") for _ in range(rng.randint(0, 9))) for _ in range(rng.randint(1, 4))]
        compiled = GlobSet(globs)
        for _ in range(12):
            path = "".join(rng.choice("ab/.[]") for _ in range(rng.randint(0, 12)))
            expected = [index for index, glob in enumerate(globs) if regex_of(glob).match(path)]
            assert compiled.matching(path) == expected, (globs, path)


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        ("a**/b", "a/b", True),
        ("a**/b", "ab", True),
        ("a**/b", "ax/y/b", True),
        ("a**/b", "axb", False),  # `**/` ends with a '/' or is empty
        ("**", "a/b/c.sla", True),
        ("**/*.sla", "c.sla", True),
        ("*/*.sla", "c.sla", False),
        ("[ab].sla", "[ab].sla", True),  # brackets are literal, as they were
        ("[ab].sla", "a.sla", False),
        ("?.sla", "dir/x.sla", True),
        ("?.sla", "xy.sla", False),
        ("/agreements/", "agreements/x/y.sla", True),
        ("", "x.sla", False),
    ],
)
def test_glob_cases(glob, path, matches):
    assert GlobSet([glob]).matches(path) is matches
    assert bool(regex_of(glob).match(path)) is matches
