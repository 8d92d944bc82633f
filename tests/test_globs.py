"""`exclude` and `per-file-ignores` globs mean what a .gitignore at the
workspace root means (sla_lang/filtering/globs.py): compared with `git check-ignore` on
thousands of random globs and paths, the documented cases one by one, the
globs a list cannot hold refused with a located config error, and matching
that stays linear whatever the classes."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import time

import pytest
from conftest import run_cli

from sla_lang.filtering.globs import GlobError, GlobSet, parse_glob
from sla_lang.reading.yamlfile import quote

# -- the same answers as git ---------------------------------------------------------------

PIECES = [
    "a", "b", ".", "-", " ", "!", "#", "/", "/", "*", "?", "**", "***", "**/", "/**",
    "[ab]", "[!a]", "[^b]", "[a-c]", "[]a]", "[a-]", "[*]", "[?]", "[!/]", "[\\]]",
    "\\*", "\\[", "\\a", "\\ ", "\\\\",
]  # fmt: skip
PATH_CHARACTERS = "abc//-. *[]?!\\#"


def _inside_a_name(glob: str) -> bool:
    """Whether a run of stars is not a whole path component (`a**b`, `**a`).
    gitignore's documentation makes it a `*`, and so does slalint; git's code
    does too, except right after the literal text a glob starts with (it
    strips that text first, and the stars are then at the start)."""
    unescaped = re.sub(r"\\.", "x", glob)
    return re.search(r"(^|[^/*])\*\*|\*\*+($|[^/*])", unescaped) is not None


def _random_cases(seed: int, count: int) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        glob = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        try:
            parse_glob(glob)
        except GlobError:
            continue
        if _inside_a_name(glob):
            continue
        paths: set[str] = set()
        while len(paths) < 30:
            path = "".join(rng.choice(PATH_CHARACTERS) for _ in range(rng.randint(1, 12)))
            if path[0] != "/" and path[-1] != "/" and "//" not in path and not {".", ".."} & set(path.split("/")):
                paths.add(path)
        cases.append((glob, sorted(paths)))
    return cases


def _ignored_by_git(tmp_path, cases) -> dict[tuple[int, str], bool]:
    """What git says of each path of each case: case i's glob is the only line
    of d{i}/.gitignore, so one `git check-ignore` answers for every case."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    asked = []
    for index, (glob, paths) in enumerate(cases):
        (tmp_path / f"d{index}").mkdir()
        (tmp_path / f"d{index}" / ".gitignore").write_text(glob + "\n", encoding="utf-8")
        asked += [f"d{index}/{path}" for path in paths]
    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "--verbose", "--non-matching", "-z", "--stdin"],
        cwd=tmp_path, input="\0".join(asked) + "\0", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    fields = done.stdout.split("\0")
    answers = {}
    for at in range(0, len(fields) - 1, 4):
        source, _, _, path = fields[at : at + 4]
        directory, _, relative = path.partition("/")
        answers[int(directory[1:]), relative] = bool(source)
    assert len(answers) == len(asked), done.stderr
    return answers


@pytest.mark.skipif(shutil.which("git") is None, reason="git compares")
def test_globs_match_what_git_check_ignore_says(tmp_path):
    cases = _random_cases(15, 1_500)
    git = _ignored_by_git(tmp_path, cases)
    differences = [
        (glob, path, git[index, path])
        for index, (glob, paths) in enumerate(cases)
        for path in paths
        if GlobSet([glob]).matches(path) != git[index, path]
    ]
    assert differences == []
    matched = sum(git.values())
    assert 1_000 < matched < len(git) - 1_000, matched  # both answers are well represented


def test_several_globs_compiled_together_answer_as_each_alone():
    cases = _random_cases(16, 400)
    rng = random.Random(17)
    for _ in range(300):
        chosen = rng.sample(cases, rng.randint(2, 6))
        together = GlobSet([glob for glob, _ in chosen])
        for path in rng.choice(chosen)[1]:
            alone = [index for index, (glob, _) in enumerate(chosen) if GlobSet([glob]).matches(path)]
            assert together.matching(path) == alone, (chosen, path)


# -- the documented cases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "matches"),
    [
        # classes
        ("draft[12].sla", "draft1.sla", True),
        ("draft[12].sla", "agreements/draft2.sla", True),
        ("draft[12].sla", "draft3.sla", False),
        ("draft[!12].sla", "draft3.sla", True),
        ("draft[^12].sla", "draft1.sla", False),
        ("v[0-9][0-9].sla", "v42.sla", True),
        ("v[0-9][0-9].sla", "v4x.sla", False),
        ("a[]]b", "a]b", True),
        ("a[-x]b", "a-b", True),
        ("a[?/]b", "a/b", False),  # a class never matches '/'
        # a leading '/' anchors at the root; a '/' in the middle too
        ("/draft.sla", "draft.sla", True),
        ("/draft.sla", "agreements/draft.sla", False),
        ("draft.sla", "agreements/draft.sla", True),
        ("agreements/*.sla", "agreements/a.sla", True),
        ("agreements/*.sla", "old/agreements/a.sla", False),
        # escapes
        ("\\*.sla", "*.sla", True),
        ("\\*.sla", "a.sla", False),
        ("\\[ab\\].sla", "[ab].sla", True),
        ("\\[ab\\].sla", "a.sla", False),
        ("\\!important.sla", "!important.sla", True),
        ("\\#1.sla", "#1.sla", True),
        # trailing spaces are dropped, unless escaped
        ("a.sla  ", "a.sla", True),
        ("a.sla\\ ", "a.sla ", True),
        ("a.sla\\ ", "a.sla", False),
        # a trailing '/' names directories only; any glob covers what lies under a directory it names
        ("legacy/", "legacy/a.sla", True),
        ("legacy/", "eu/legacy/deep/a.sla", True),
        ("legacy/", "legacy", False),
        ("legacy", "legacy", True),
        ("legacy", "eu/legacy/a.sla", True),
        ("/agreements/", "agreements/x/y.sla", True),
        # `**`
        ("**/x.sla", "x.sla", True),
        ("**/x.sla", "a/b/x.sla", True),
        ("agreements/**/x.sla", "agreements/x.sla", True),
        ("agreements/**/x.sla", "agreements/eu/deep/x.sla", True),
        ("agreements/**", "agreements/eu/a.sla", True),
        ("agreements/**", "agreements", False),
        ("**", "a/b/c.sla", True),
        ("a**b", "axb", True),  # stars inside a name are one star
        ("a**b", "ax/yb", False),
        ("a**/b", "ax/b", True),
        ("a**/b", "ax/y/b", False),
        ("**.sla", "deep/a.sla", True),  # a name at any depth, as `*.sla`
        ("agreements/**.sla", "agreements/eu/a.sla", False),
        ("*", "a/b.sla", True),
        ("?.sla", "dir/x.sla", True),
        ("?.sla", "xy.sla", False),
    ],
)
def test_gitignore_cases(glob, path, matches):
    assert GlobSet([glob]).matches(path) is matches


# -- what a list of globs cannot hold ---------------------------------------------------------

DOTS = "'.' and '..' match nothing: globs are relative to the workspace root (a leading '/' anchors one there)"
EMPTY = "an empty glob matches nothing: remove it"
REFUSED = [
    ("!draft.sla", "'!' (negation) is not supported: list only what to match, or write '\\!' for a name that "
     "starts with '!'"),
    ("#draft.sla", "in a .gitignore a line that starts with '#' is a comment: write '\\#' for a name that starts "
     "with '#'"),
    ("", EMPTY),
    ("   ", EMPTY),
    ("/", EMPTY),
    ("a//b.sla", "'//' (an empty directory name) matches nothing: write one '/'"),
    ("./a.sla", DOTS),
    ("a/../b.sla", DOTS),
    ("[[:alpha:]].sla", "classes such as [:alpha:] are not supported: write the characters, e.g. [a-zA-Z]"),
    ("draft[12.sla", "'[' opens a class that no ']' closes: write '\\[' for a bracket"),
    ("v[9-0].sla", "the range 9-0 runs backwards: write 0-9"),
    ("draft\\", "a glob cannot end with a lone '\\': write '\\\\' for a backslash"),
]  # fmt: skip


@pytest.mark.parametrize(("glob", "message"), REFUSED)
def test_a_glob_gitignore_reads_otherwise_is_refused(glob, message):
    with pytest.raises(GlobError) as raised:
        parse_glob(glob)
    assert str(raised.value) == message


@pytest.mark.parametrize(("glob", "message"), REFUSED[:2] + REFUSED[-3:])
def test_the_configuration_error_points_at_the_glob(tmp_path, glob, message):
    yaml_glob = glob.replace("\\", "\\\\")
    (tmp_path / ".slalint.yaml").write_text(
        f'exclude: ["a.sla", "{yaml_glob}"]\nper-file-ignores:\n  "{yaml_glob}": [SL5]\n', encoding="utf-8"
    )
    (tmp_path / "a.sla").write_text("party a { role: team }\n", encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    column = len('exclude: ["a.sla", ') + 1
    assert (run.returncode, run.stdout, run.stderr.decode()) == (
        2,
        b"",
        f"slalint: .slalint.yaml:1:{column}: glob {quote(glob)}: {message}\n",
    )
    (tmp_path / ".slalint.yaml").write_text(f'per-file-ignores:\n  "{yaml_glob}": [SL5]\n', encoding="utf-8")
    run = run_cli("check", cwd=tmp_path)
    assert (run.returncode, run.stderr.decode()) == (2, f"slalint: .slalint.yaml:2:3: glob {quote(glob)}: {message}\n")


# -- linear, whatever the globs hold -----------------------------------------------------------


def test_classes_and_stars_that_would_backtrack_cost_nothing():
    """`[a-z]*` twelve times and a '!' that never comes: a backtracking matcher
    tries every way to split a 40-letter name; the automaton reads it once."""
    globs = GlobSet(["[a-z]*" * 12 + "!", "*[!b]" * 12 + "!", "**/" * 12 + "[a]*" * 12 + "!"])
    names = ["a" * 40 + ".sla", "/".join(["a" * 8] * 6) + "/" + "a" * 40 + ".sla"]
    started = time.perf_counter()
    assert [globs.matching(name) for name in names] == [[], []]
    assert time.perf_counter() - started < 5
